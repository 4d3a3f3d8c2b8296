// Built-in body fields of SGLang's native /generate (spec/protocols.md §4.1).
#include "protocol/style_bodies.h"

namespace servebench::protocol {

Expected<JsonObject> NativeBody(const RequestInput& input, const RequestOptions& options) {
  JsonObject body;
  switch (input.kind) {
    case PromptKind::kText:
      body.Set("text", JsonString(input.text));
      break;
    case PromptKind::kTokenIds:
      body.Set("input_ids", JsonIntArray(input.token_ids));
      break;
    case PromptKind::kMessages:
      return MakeError(
          "--backend sglang: the dataset row is a chat conversation; use --backend "
          "sglang-oai-chat");
  }
  JsonObject sampling;
  sampling.Set("max_new_tokens", JsonInt(input.output_len));
  sampling.Set("temperature", JsonDouble(options.temperature.value_or(0.0)));
  sampling.Set("ignore_eos", JsonBool(!options.disable_ignore_eos));
  if (options.top_p < 1.0) sampling.Set("top_p", JsonDouble(options.top_p));
  SetSamplingFlags(options, sampling);
  body.Set("sampling_params", sampling.ToJson());
  body.Set("stream", JsonBool(options.stream));
  body.Set("return_logprob", JsonBool(options.return_logprob));
  body.Set("logprob_start_len", JsonInt(options.logprob_start_len));
  if (options.top_logprobs_num > 0) {
    body.Set("top_logprobs_num", JsonInt(options.top_logprobs_num));
  }
  if (!options.token_ids_logprob.empty()) {
    body.Set("token_ids_logprob", JsonIntArray(options.token_ids_logprob));
  }
  if (!input.images.empty()) body.Set("image_data", JsonStringArray(input.images));
  return body;
}

}  // namespace servebench::protocol

// Built-in body fields of the Triton generate extension (spec/protocols.md §4.4).
#include "protocol/style_bodies.h"

namespace servebench::protocol {

namespace {
// An id no vocabulary has: with min_length = O it makes the ensemble ignore EOS.
constexpr int64_t kUnreachableEndId = 1048576;
// The ensemble has no exact-greedy flag; this is as close to 0 as it accepts.
constexpr double kGreedyTemperature = 0.000001;
}  // namespace

Expected<JsonObject> TrtBody(const RequestInput& input, const RequestOptions& options) {
  Expected<std::string> text = PromptText(input, "trt");
  if (!text) return std::unexpected(text.error());
  JsonObject body;
  body.Set("text_input", JsonString(*text));
  body.Set("max_tokens", JsonInt(input.output_len));
  double temperature = options.temperature.value_or(0.0);
  body.Set("temperature", JsonDouble(temperature > 0 ? temperature : kGreedyTemperature));
  body.Set("top_p", JsonDouble(options.top_p));
  if (options.stream) body.Set("stream", "true");
  body.Set("accumulate_tokens", "true");
  if (!options.disable_ignore_eos) {
    body.Set("min_length", JsonInt(input.output_len));
    body.Set("end_id", JsonInt(kUnreachableEndId));
  }
  body.Set("bad_words", "\"\"");
  body.Set("stop_words", "\"\"");
  if (!options.stream) body.Set("exclude_input_in_output", "true");
  SetSamplingFlags(options, body);
  return body;
}

}  // namespace servebench::protocol

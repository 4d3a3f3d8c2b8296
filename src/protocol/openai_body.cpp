// Built-in body fields of the completions and chat styles (spec/protocols.md §4.2, §4.3).
#include "protocol/request_body.h"
#include "protocol/style_bodies.h"

namespace servebench::protocol {

namespace {

std::string ChatMessages(const RequestInput& input, const RequestOptions& options) {
  std::string out = "[";
  if (input.kind == PromptKind::kMessages) {
    for (size_t i = 0; i < input.messages.size(); ++i) {
      const ChatMessage& message = input.messages[i];
      if (i > 0) out += ',';
      out += "{\"role\":";
      AppendJsonString(out, message.role);
      out += ",\"content\":";
      if (message.content_is_json) {
        out += message.content;
      } else {
        AppendJsonString(out, message.content);
      }
      out += '}';
    }
  } else if (!input.images.empty()) {
    // One user message: image parts then the text part (SGLang); vLLM puts the text first.
    std::string text_part = "{\"type\":\"text\",\"text\":";
    AppendJsonString(text_part, input.text);
    text_part += '}';
    bool text_first = options.compat == Compat::kVllm;
    out += "{\"role\":\"user\",\"content\":[";
    if (text_first) out += text_part;
    for (size_t i = 0; i < input.images.size(); ++i) {
      if (i > 0 || text_first) out += ',';
      out += "{\"type\":\"image_url\",\"image_url\":{\"url\":";
      AppendJsonString(out, input.images[i]);
      out += "}}";
    }
    if (!text_first) {
      out += ',';
      out += text_part;
    }
    out += "]}";
  } else {
    out += "{\"role\":\"user\",\"content\":";
    AppendJsonString(out, input.text);
    out += '}';
  }
  out += ']';
  return out;
}

bool SendsStreamOptions(const RequestInput& input, const RequestOptions& options) {
  if (!options.stream || options.no_usage_request) return false;
  // SGLang's and LMDeploy's clients ask for usage only on multi-turn rounds.
  bool client_asks = options.compat != Compat::kSglang && options.compat != Compat::kLmdeploy;
  return client_asks || input.multi_turn || options.continuous_usage;
}

}  // namespace

Expected<JsonObject> OpenAiBody(const BackendInfo& backend, const RequestInput& input,
                                const RequestOptions& options) {
  const bool chat = backend.style == Style::kChat;
  JsonObject body;
  body.Set("model", JsonString(options.model));
  if (chat) {
    if (input.kind == PromptKind::kTokenIds) {
      return MakeError(
          "--backend {}: chat requests need text or messages; the dataset row has "
          "token ids",
          backend.name);
    }
    body.Set("messages", ChatMessages(input, options));
    std::string limit = JsonInt(input.output_len);
    if (options.max_tokens_field != MaxTokensField::kMaxTokens) {
      body.Set("max_completion_tokens", limit);
    }
    if (options.max_tokens_field != MaxTokensField::kMaxCompletionTokens) {
      body.Set("max_tokens", limit);
    }
  } else {
    switch (input.kind) {
      case PromptKind::kText:
        body.Set("prompt", JsonString(input.text));
        break;
      case PromptKind::kTokenIds:
        body.Set("prompt", JsonIntArray(input.token_ids));
        break;
      case PromptKind::kMessages:
        return MakeError(
            "--backend {}: the dataset row is a chat conversation; use a chat "
            "backend (e.g. {}-chat)",
            backend.name, backend.family);
    }
    body.Set("max_tokens", JsonInt(input.output_len));
  }
  if (options.temperature || options.compat != Compat::kVllm) {
    body.Set("temperature", JsonDouble(options.temperature.value_or(0.0)));
  }
  if (options.top_p < 1.0) body.Set("top_p", JsonDouble(options.top_p));
  if (!backend.strict) {
    body.Set("ignore_eos", JsonBool(!options.disable_ignore_eos));
  } else if (WantsIgnoreEos(backend, options)) {
    body.Set("ignore_eos", "true");
  }
  body.Set("stream", JsonBool(options.stream));
  if (SendsStreamOptions(input, options)) {
    body.Set("stream_options", options.continuous_usage
                                   ? "{\"include_usage\":true,\"continuous_usage_stats\":true}"
                                   : "{\"include_usage\":true}");
  }
  if (chat) {
    // The chat API's logprobs is a boolean with the count in top_logprobs.
    int64_t top = options.return_logprob ? options.top_logprobs_num : options.logprobs.value_or(0);
    if (options.return_logprob || options.logprobs) {
      body.Set("logprobs", "true");
      if (top > 0) body.Set("top_logprobs", JsonInt(top));
    }
  } else if (options.return_logprob) {
    body.Set("logprobs", JsonInt(options.top_logprobs_num));
  } else if (options.logprobs) {
    body.Set("logprobs", JsonInt(*options.logprobs));
  }
  if (!chat && (options.compat == Compat::kSglang || options.compat == Compat::kLmdeploy)) {
    body.Set("best_of", "1");
  }
  if (!chat && options.compat == Compat::kVllm) body.Set("repetition_penalty", "1.0");
  if (options.return_cached_tokens_details) body.Set("return_cached_tokens_details", "true");
  if (!chat && !backend.strict && !input.images.empty()) {
    body.Set("image_data", JsonStringArray(input.images));
  }
  SetSamplingFlags(options, body);
  return body;
}

}  // namespace servebench::protocol

#include "protocol/request_body.h"

#include "protocol/style_bodies.h"

namespace servebench::protocol {

void SetSamplingFlags(const RequestOptions& options, JsonObject& object) {
  if (options.top_k) object.Set("top_k", JsonInt(*options.top_k));
  if (options.min_p) object.Set("min_p", JsonDouble(*options.min_p));
  if (options.frequency_penalty) {
    object.Set("frequency_penalty", JsonDouble(*options.frequency_penalty));
  }
  if (options.presence_penalty) {
    object.Set("presence_penalty", JsonDouble(*options.presence_penalty));
  }
  if (options.repetition_penalty) {
    object.Set("repetition_penalty", JsonDouble(*options.repetition_penalty));
  }
}

Expected<std::string> PromptText(const RequestInput& input, std::string_view backend) {
  if (input.kind == PromptKind::kText) return input.text;
  return MakeError("--backend {}: this backend sends prompt text; the dataset row has {}", backend,
                   input.kind == PromptKind::kTokenIds ? "token ids" : "chat messages");
}

namespace {

template <typename Int>
std::string IntArray(const std::vector<Int>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonInt(out, values[i]);
  }
  out += ']';
  return out;
}

}  // namespace

std::string JsonIntArray(const std::vector<int32_t>& values) {
  return IntArray(values);
}
std::string JsonIntArray(const std::vector<int64_t>& values) {
  return IntArray(values);
}

std::string JsonStringArray(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, values[i]);
  }
  out += ']';
  return out;
}

bool WantsIgnoreEos(const BackendInfo& backend, const RequestOptions& options) {
  if (options.disable_ignore_eos) return false;
  if (backend.strict) return options.ignore_eos || options.synthetic_dataset;
  return true;
}

Expected<std::string> BuildRequestBody(const BackendInfo& backend, const RequestInput& input,
                                       const RequestOptions& options) {
  Expected<JsonObject> body;
  switch (backend.style) {
    case Style::kCompletions:
    case Style::kChat:
      body = OpenAiBody(backend, input, options);
      break;
    case Style::kNative:
      body = NativeBody(input, options);
      break;
    case Style::kTrt:
      body = TrtBody(input, options);
      break;
    case Style::kTgi:
      body = TgiBody(input, options);
      break;
  }
  if (!body) return std::unexpected(body.error());
  body->Update(options.extra_body);
  body->Update(input.extra_body);
  if (!input.lora_name.empty()) {
    std::string name = JsonString(input.lora_name);
    switch (backend.style) {
      case Style::kCompletions:
      case Style::kChat:
        body->Set("model", name);
        body->Set("lora_path", name);
        break;
      case Style::kNative:
        body->Set("lora_path", name);
        break;
      case Style::kTrt:
      case Style::kTgi:
        return MakeError("--lora-name: --backend {} has no LoRA adapter field", backend.name);
    }
  }
  return body->ToJson();
}

}  // namespace servebench::protocol

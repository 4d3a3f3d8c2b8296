#include "sim/request.h"

#include <algorithm>
#include <expected>

#include <fmt/format.h>
#include <simdjson.h>

#include "sim/token_text.h"

namespace servebench::sim {
namespace {

namespace od = simdjson::ondemand;

using Result = std::expected<GenerationRequest, RequestError>;

std::unexpected<RequestError> Fail(ErrorKind kind, std::string message) {
  return std::unexpected(RequestError{kind, std::move(message)});
}

std::unexpected<RequestError> BadField(std::string_view field, std::string_view expected) {
  return Fail(ErrorKind::kBadRequest, fmt::format("field '{}': expected {}", field, expected));
}

// The prompt-token count of a piece of text.
int CountText(std::string_view text, const tokenizer::Tokenizer* tokenizer) {
  return tokenizer != nullptr ? static_cast<int>(tokenizer->CountTokens(text)) : CountWords(text);
}

// Tokens of a prompt value: a string, a list of token ids, or a list of strings.
bool CountPrompt(od::value value, const tokenizer::Tokenizer* tokenizer, int* tokens) {
  od::json_type type;
  if (value.type().get(type)) return false;
  if (type == od::json_type::string) {
    std::string_view text;
    if (value.get_string().get(text)) return false;
    *tokens = CountText(text, tokenizer);
    return true;
  }
  if (type != od::json_type::array) return false;
  od::array array;
  if (value.get_array().get(array)) return false;
  int count = 0;
  for (auto element : array) {
    od::value item;
    if (element.get(item)) return false;
    od::json_type item_type;
    if (item.type().get(item_type)) return false;
    if (item_type == od::json_type::number) {
      ++count;
    } else if (item_type == od::json_type::string) {
      std::string_view text;
      if (item.get_string().get(text)) return false;
      count += CountText(text, tokenizer);
    } else {
      return false;
    }
  }
  *tokens = count;
  return true;
}

// Chat messages: words of every text content, string or list of parts.
bool CountMessages(od::value value, const tokenizer::Tokenizer* tokenizer, int* tokens) {
  od::array messages;
  if (value.get_array().get(messages)) return false;
  int count = 0;
  for (auto element : messages) {
    od::object message;
    if (element.get_object().get(message)) return false;
    for (auto field : message) {
      std::string_view key;
      if (field.unescaped_key().get(key)) return false;
      if (key != "content") continue;
      od::value content;
      if (field.value().get(content)) return false;
      od::json_type type;
      if (content.type().get(type)) return false;
      if (type == od::json_type::string) {
        std::string_view text;
        if (content.get_string().get(text)) return false;
        count += CountText(text, tokenizer);
      } else if (type == od::json_type::array) {
        od::array parts;
        if (content.get_array().get(parts)) return false;
        for (auto part_element : parts) {
          od::object part;
          if (part_element.get_object().get(part)) return false;
          std::string_view text;
          if (part.find_field_unordered("text").get_string().get(text) == simdjson::SUCCESS) {
            count += CountText(text, tokenizer);
          }
        }
      } else if (type != od::json_type::null) {
        return false;
      }
    }
  }
  *tokens = count;
  return true;
}

bool GetInt(od::value value, int* out) {
  int64_t v;
  if (value.get_int64().get(v) || v < 0 || v > (1 << 30)) return false;
  *out = static_cast<int>(v);
  return true;
}

bool GetBool(od::value value, bool* out) {
  return value.get_bool().get(*out) == simdjson::SUCCESS;
}

bool IsOpenAiRoute(Route route) {
  return route == Route::kCompletions || route == Route::kChat || route == Route::kTruss;
}

Result Validate(GenerationRequest request, Family family, bool max_tokens_given,
                const SimOptions& options) {
  const bool openai_route = IsOpenAiRoute(request.route);
  if (openai_route && request.route != Route::kTruss) {
    bool checks_model = family == Family::kVllm || family == Family::kLmdeploy ||
                        family == Family::kLmdeployLegacy || family == Family::kOpenai ||
                        family == Family::kTrtllmServe;
    bool lmdeploy = family == Family::kLmdeploy || family == Family::kLmdeployLegacy;
    if (request.model.empty() && lmdeploy) {
      return Fail(ErrorKind::kMissingModel, "field 'model': required");
    }
    if (!request.model.empty() && checks_model && request.model != options.model_name &&
        std::ranges::find(options.lora_modules, request.model) == options.lora_modules.end()) {
      return Fail(ErrorKind::kModelNotFound,
                  lmdeploy ? fmt::format("The model '{}' does not exist.", request.model)
                           : fmt::format("The model `{}` does not exist.", request.model));
    }
    if (request.has_stream_options && !request.stream &&
        (family == Family::kVllm || family == Family::kOpenai)) {
      return Fail(ErrorKind::kStreamOptions,
                  "Stream options can only be defined when `stream=True`.");
    }
  }
  if (!max_tokens_given) {
    switch (request.route) {
      case Route::kChat:
        request.max_tokens = std::max(1, options.max_model_len - request.prompt_tokens);
        break;
      case Route::kSglangGenerate:
        request.max_tokens = 128;
        break;
      case Route::kTgiGenerate:
      case Route::kTgiGenerateStream:
        request.max_tokens = 100;
        break;
      case Route::kTritonGenerate:
      case Route::kTritonGenerateStream:
        return Fail(ErrorKind::kBadRequest, "input 'max_tokens' is required");
      default:
        request.max_tokens = 16;
    }
  }
  if (request.max_tokens < 1) {
    return Fail(ErrorKind::kBadRequest,
                fmt::format("max_tokens must be at least 1, got {}.", request.max_tokens));
  }
  int64_t total = static_cast<int64_t>(request.prompt_tokens) + request.max_tokens;
  if (request.prompt_tokens > options.max_model_len ||
      (total > options.max_model_len && request.route != Route::kSglangGenerate)) {
    if (request.route == Route::kSglangGenerate) {
      return Fail(ErrorKind::kContextLength,
                  fmt::format("The input ({} tokens) is longer than the model's context length "
                              "({} tokens).",
                              request.prompt_tokens, options.max_model_len));
    }
    return Fail(
        ErrorKind::kContextLength,
        fmt::format("This model's maximum context length is {} tokens. However, you "
                    "requested {} tokens ({} in the messages, {} in the completion). "
                    "Please reduce the length of the messages or completion.",
                    options.max_model_len, total, request.prompt_tokens, request.max_tokens));
  }
  // SGLang caps the output at the context instead of refusing.
  if (request.route == Route::kSglangGenerate && total > options.max_model_len) {
    request.max_tokens = options.max_model_len - request.prompt_tokens;
    if (request.max_tokens < 1) {
      return Fail(ErrorKind::kContextLength,
                  fmt::format("The input ({} tokens) is longer than the model's context length "
                              "({} tokens).",
                              request.prompt_tokens, options.max_model_len));
    }
  }
  return request;
}

}  // namespace

std::expected<GenerationRequest, RequestError> ParseGenerationRequest(
    Route route, Family family, std::string_view body, std::string_view content_type,
    const SimOptions& options, const tokenizer::Tokenizer* tokenizer) {
  if (family == Family::kSglang && IsOpenAiRoute(route) &&
      content_type.substr(0, 16) != "application/json") {
    return Fail(
        ErrorKind::kContentType,
        fmt::format("Unsupported Content-Type '{}': expected application/json", content_type));
  }
  GenerationRequest request;
  request.route = route;
  request.stream = route == Route::kTgiGenerateStream || route == Route::kTritonGenerateStream;
  bool max_tokens_given = false;
  bool prompt_given = false;
  int min_length = 0;

  thread_local od::parser parser;
  simdjson::padded_string padded(body);
  od::document doc;
  od::object root;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(root)) {
    return Fail(ErrorKind::kBadRequest, "request body: expected a JSON object");
  }
  for (auto field : root) {
    std::string_view key;
    od::value value;
    if (field.unescaped_key().get(key) || field.value().get(value)) {
      return Fail(ErrorKind::kBadRequest, "request body: invalid JSON");
    }
    if (key == "model") {
      std::string_view model;
      if (value.get_string().get(model)) return BadField(key, "a string");
      request.model = model;
    } else if (key == "prompt" || key == "text" || key == "input_ids" || key == "inputs" ||
               key == "text_input") {
      if (!CountPrompt(value, tokenizer, &request.prompt_tokens)) {
        return BadField(key, "a string or a list of token ids");
      }
      prompt_given = true;
    } else if (key == "messages") {
      if (!CountMessages(value, tokenizer, &request.prompt_tokens)) {
        return BadField(key, "a list of {role, content} objects");
      }
      prompt_given = true;
    } else if (key == "max_tokens" || key == "max_completion_tokens" || key == "max_new_tokens") {
      if (value.is_null()) continue;
      if (!GetInt(value, &request.max_tokens)) return BadField(key, "a non-negative integer");
      max_tokens_given = true;
    } else if (key == "stream") {
      if (!GetBool(value, &request.stream)) return BadField(key, "a boolean");
      if (route == Route::kTritonGenerateStream || route == Route::kTgiGenerateStream) {
        request.stream = true;  // the route decides
      }
    } else if (key == "ignore_eos") {
      if (!GetBool(value, &request.ignore_eos)) return BadField(key, "a boolean");
    } else if (key == "return_cached_tokens_details") {
      if (!GetBool(value, &request.return_cached_tokens_details)) {
        return BadField(key, "a boolean");
      }
    } else if (key == "min_length" || key == "min_tokens") {
      if (!GetInt(value, &min_length)) return BadField(key, "a non-negative integer");
    } else if (key == "stream_options") {
      if (value.is_null()) continue;
      od::object so;
      if (value.get_object().get(so)) return BadField(key, "an object");
      request.has_stream_options = true;
      for (auto option : so) {
        std::string_view name;
        od::value v;
        if (option.unescaped_key().get(name) || option.value().get(v)) {
          return BadField(key, "an object");
        }
        bool flag = false;
        if (name == "include_usage") {
          if (!GetBool(v, &flag)) return BadField("stream_options.include_usage", "a boolean");
          request.include_usage = flag;
        } else if (name == "continuous_usage_stats") {
          if (!GetBool(v, &flag)) {
            return BadField("stream_options.continuous_usage_stats", "a boolean");
          }
          request.continuous_usage = flag;
        }
      }
    } else if (key == "sampling_params" || key == "parameters") {
      od::object params;
      if (value.get_object().get(params)) return BadField(key, "an object");
      for (auto param : params) {
        std::string_view name;
        od::value v;
        if (param.unescaped_key().get(name) || param.value().get(v)) {
          return BadField(key, "an object");
        }
        if (name == "max_new_tokens") {
          if (v.is_null()) continue;
          if (!GetInt(v, &request.max_tokens)) {
            return BadField(fmt::format("{}.max_new_tokens", key), "a non-negative integer");
          }
          max_tokens_given = true;
        } else if (name == "ignore_eos") {
          if (!GetBool(v, &request.ignore_eos)) {
            return BadField(fmt::format("{}.ignore_eos", key), "a boolean");
          }
        }
      }
    }
  }
  if (!prompt_given) {
    switch (route) {
      case Route::kChat:
        return Fail(ErrorKind::kBadRequest, "field 'messages': required");
      case Route::kSglangGenerate:
        return Fail(ErrorKind::kBadRequest, "Either text or input_ids should be provided.");
      case Route::kTgiGenerate:
      case Route::kTgiGenerateStream:
        return Fail(ErrorKind::kBadRequest, "field 'inputs': required");
      case Route::kTritonGenerate:
      case Route::kTritonGenerateStream:
        return Fail(ErrorKind::kBadRequest, "input 'text_input' is required");
      default:
        return Fail(ErrorKind::kBadRequest, "field 'prompt': required");
    }
  }
  // The Triton ensemble has no ignore_eos: min_length equal to max_tokens emulates it.
  if (max_tokens_given && min_length >= request.max_tokens) request.ignore_eos = true;
  const bool stream = request.stream;
  auto result = Validate(std::move(request), family, max_tokens_given, options);
  if (!result) result.error().stream = stream;
  return result;
}

}  // namespace servebench::sim

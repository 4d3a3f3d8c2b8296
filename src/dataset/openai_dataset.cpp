#include "dataset/openai_dataset.h"

#include <simdjson.h>

#include "dataset/jsonl_lines.h"
#include "template/json_value.h"

namespace servebench::dataset {

namespace {

constexpr int64_t kDefaultOutputLen = 256;

struct Request {
  std::vector<ChatMessage> messages;
  std::optional<int64_t> max_tokens;
  std::optional<int64_t> max_completion_tokens;
  std::string tools_json;  // compact JSON of `tools`, or empty
  std::string extra_body;  // JSON object of the other keys, or empty
  std::optional<double> timestamp;
};

Expected<int64_t> TokenLimit(simdjson::dom::element value, std::string_view where,
                             std::string_view key) {
  int64_t n = 0;
  if (value.get(n) != simdjson::SUCCESS || n < 1) {
    return MakeError("{}: field {}: expected a positive integer", where, key);
  }
  return n;
}

Expected<Request> ReadRequest(simdjson::dom::parser& parser, const JsonlFile& file,
                              const JsonlLine& line) {
  std::string where = fmt::format("{}:{}", file.path(), line.number);
  simdjson::dom::element doc;
  if (auto e = parser.parse(line.text.data(), line.text.size(), false).get(doc); e) {
    return MakeError("{}: expected one JSON object ({})", where, simdjson::error_message(e));
  }
  simdjson::dom::object object;
  if (doc.get(object) != simdjson::SUCCESS) return MakeError("{}: expected a JSON object", where);
  Request request;
  std::string extra;
  for (auto [key, value] : object) {
    if (key == "messages") {
      simdjson::dom::array messages;
      if (value.get(messages) != simdjson::SUCCESS) {
        return MakeError("{}: field messages: expected an array of {{role, content}}", where);
      }
      size_t index = 0;
      for (simdjson::dom::element m : messages) {
        ChatMessage message;
        std::string_view role;
        if (m["role"].get(role) != simdjson::SUCCESS) {
          return MakeError("{}: field messages[{}].role: expected a string", where, index);
        }
        message.role = std::string(role);
        simdjson::dom::element content;
        if (m["content"].get(content) == simdjson::SUCCESS && !content.is_null()) {
          std::string_view text;
          if (content.get(text) == simdjson::SUCCESS) {
            message.content = std::string(text);
          } else {
            message.content = simdjson::minify(content);
            message.content_is_json = true;
          }
        }
        request.messages.push_back(std::move(message));
        ++index;
      }
    } else if (key == "max_tokens" || key == "max_completion_tokens") {
      auto n = TokenLimit(value, where, key);
      if (!n) return std::unexpected(n.error());
      (key == "max_tokens" ? request.max_tokens : request.max_completion_tokens) = *n;
    } else if (key == "model") {
      continue;
    } else if (key == "timestamp" && value.is_number()) {
      request.timestamp = value.get_double().value_unsafe();
    } else {
      if (key == "tools") request.tools_json = simdjson::minify(value);
      extra += extra.empty() ? "{" : ",";
      extra += "\"" + std::string(key) + "\":" + simdjson::minify(value);
    }
  }
  if (request.messages.empty()) {
    return MakeError("{}: field messages: expected a non-empty array of {{role, content}}", where);
  }
  if (!extra.empty()) request.extra_body = extra + "}";
  return request;
}

// Tools as SGLang counts them: json.dumps with ", " and ": " separators (Python's defaults,
// ASCII-escaped).
Expected<std::string> PythonJson(const std::string& compact) {
  auto value = tmpl::ParseJson(compact);
  if (!value) return std::unexpected(value.error());
  tmpl::JsonOptions options;
  options.ensure_ascii = true;
  return tmpl::ToJson(*value, options);
}

}  // namespace

Expected<DatasetResult> BuildOpenAi(const DatasetOptions& o, const DatasetContext& c) {
  if (o.path.empty()) {
    return MakeError("--dataset-path: --dataset-name openai needs a JSONL file of chat requests");
  }
  if (o.tokenize_prompt) {
    return MakeError("--tokenize-prompt: not available with --dataset-name openai");
  }
  if (!o.chat_backend) {
    return MakeError(
        "--backend {}: the openai dataset sends chat messages; use a chat backend (openai-chat, "
        "vllm-chat, sglang-oai-chat, lmdeploy-chat)",
        o.backend);
  }
  auto file = JsonlFile::Read(o.path);
  if (!file) return std::unexpected(file.error());
  DatasetResult result;
  result.report.source = o.path;
  if (c.renderer == nullptr && c.client_counts) {
    result.report.warnings.push_back(
        "the tokenizer has no chat template: prompt_len of openai rows is the sum of the "
        "message token counts");
  }
  simdjson::dom::parser parser;
  for (const JsonlLine& line : file->lines()) {
    if (result.rows.size() == o.num_prompts) break;  // the first N lines, in file order
    ++result.report.read;
    ++result.report.examined;
    auto request = ReadRequest(parser, *file, line);
    if (!request) {
      if (!o.skip_invalid_lines) return std::unexpected(request.error());
      result.report.Drop("invalid lines");
      continue;
    }
    WorkloadRow row;
    row.output_len = o.sharegpt_output_len.value_or(
        request->max_completion_tokens.value_or(request->max_tokens.value_or(kDefaultOutputLen)));
    int64_t prompt_len = 0;
    if (c.renderer != nullptr) {
      auto rendered = c.renderer->Render(request->messages, request->tools_json);
      if (!rendered) {
        return MakeError("{}:{}: chat template: {}", o.path, line.number, rendered.error().message);
      }
      prompt_len = static_cast<int64_t>(c.codec.Encode(*rendered, false).size());
    } else {
      for (const ChatMessage& m : request->messages)
        prompt_len += static_cast<int64_t>(c.codec.Encode(m.content, false).size());
    }
    if (!request->tools_json.empty()) {
      auto tools = PythonJson(request->tools_json);
      if (!tools) {
        return MakeError("{}:{}: field tools: {}", o.path, line.number, tools.error().message);
      }
      prompt_len += static_cast<int64_t>(c.codec.Encode(*tools, true).size());
    }
    row.prompt_len = prompt_len;
    row.text_prompt_len = prompt_len;
    row.messages = std::move(request->messages);
    row.extra_body_json = std::move(request->extra_body);
    row.timestamp_ms = request->timestamp;
    result.rows.push_back(std::move(row));
  }
  return result;
}

}  // namespace servebench::dataset

#include "protocol/json_text.h"

#include <simdjson.h>

namespace servebench::protocol {

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  size_t run = 0;  // start of the pending run of bytes that need no escape
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

void AppendJsonDouble(std::string& out, double value) {
  size_t start = out.size();
  fmt::format_to(std::back_inserter(out), "{}", value);
  // fmt's shortest form equals Python's repr except that integral values lack ".0".
  if (out.find_first_of(".en", start) == std::string::npos) out += ".0";
}

std::string JsonString(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

std::string JsonDouble(double value) {
  std::string out;
  AppendJsonDouble(out, value);
  return out;
}

void JsonObject::Set(std::string_view key, std::string json) {
  for (auto& field : fields_) {
    if (field.first == key) {
      field.second = std::move(json);
      return;
    }
  }
  fields_.emplace_back(std::string(key), std::move(json));
}

void JsonObject::Update(const JsonObject& other) {
  for (const auto& [key, json] : other.fields_)
    Set(key, json);
}

bool JsonObject::Has(std::string_view key) const {
  for (const auto& field : fields_) {
    if (field.first == key) return true;
  }
  return false;
}

void JsonObject::AppendTo(std::string& out) const {
  out += '{';
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, fields_[i].first);
    out += ':';
    out += fields_[i].second;
  }
  out += '}';
}

std::string JsonObject::ToJson() const {
  std::string out;
  AppendTo(out);
  return out;
}

namespace {

void AppendElement(std::string& out, simdjson::dom::element element) {
  using simdjson::dom::element_type;
  switch (element.type()) {
    case element_type::OBJECT: {
      simdjson::dom::object object = element;
      out += '{';
      bool first = true;
      for (auto [key, value] : object) {
        if (!first) out += ',';
        first = false;
        AppendJsonString(out, key);
        out += ':';
        AppendElement(out, value);
      }
      out += '}';
      break;
    }
    case element_type::ARRAY: {
      simdjson::dom::array array = element;
      out += '[';
      bool first = true;
      for (simdjson::dom::element value : array) {
        if (!first) out += ',';
        first = false;
        AppendElement(out, value);
      }
      out += ']';
      break;
    }
    case element_type::STRING:
      AppendJsonString(out, std::string_view(element));
      break;
    case element_type::INT64:
      AppendJsonInt(out, int64_t(element));
      break;
    case element_type::UINT64:
      out += std::to_string(uint64_t(element));
      break;
    case element_type::DOUBLE:
      AppendJsonDouble(out, double(element));
      break;
    case element_type::BOOL:
      out += bool(element) ? "true" : "false";
      break;
    case element_type::NULL_VALUE:
      out += "null";
      break;
  }
}

}  // namespace

Expected<JsonObject> ParseJsonObject(std::string_view text, std::string_view what) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  simdjson::dom::element root;
  if (auto error = parser.parse(padded).get(root)) {
    return MakeError("{}: not valid JSON ({}); expected a JSON object such as {{\"key\":1}}", what,
                     simdjson::error_message(error));
  }
  simdjson::dom::object object;
  if (root.get_object().get(object)) {
    return MakeError("{}: expected a JSON object such as {{\"key\":1}}, got {}", what,
                     text.substr(0, 80));
  }
  JsonObject result;
  for (auto [key, value] : object) {
    std::string json;
    AppendElement(json, value);
    result.Set(key, std::move(json));
  }
  return result;
}

}  // namespace servebench::protocol

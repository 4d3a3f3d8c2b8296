#include "tokenizer/json.h"

#include <cerrno>
#include <cstring>

namespace servebench::tokenizer::json {

namespace {

const char* TypeName(Element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY:
      return "an array";
    case simdjson::dom::element_type::OBJECT:
      return "an object";
    case simdjson::dom::element_type::STRING:
      return "a string";
    case simdjson::dom::element_type::BOOL:
      return "a boolean";
    case simdjson::dom::element_type::NULL_VALUE:
      return "null";
    default:
      return "a number";
  }
}

std::unexpected<Error> WrongType(Element e, std::string_view path, std::string_view expected) {
  return MakeError("{}: expected {}, found {}", path, expected, TypeName(e));
}

}  // namespace

std::string ZeroHugeIntegers(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < text.size()) {
        out.push_back(text[++i]);
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') in_string = true;
    if (c >= '0' && c <= '9') {
      size_t end = i;
      while (end < text.size() && text[end] >= '0' && text[end] <= '9')
        ++end;
      bool integer =
          end == text.size() || (text[end] != '.' && text[end] != 'e' && text[end] != 'E');
      if (integer && end - i > 18) {
        out.push_back('0');
        i = end - 1;
        continue;
      }
    }
    out.push_back(c);
  }
  return out;
}

Expected<Element> ParseFile(simdjson::dom::parser& parser, const std::string& path) {
  simdjson::padded_string contents;
  if (simdjson::padded_string::load(path).get(contents)) {
    return MakeError("{}: cannot read: {}", path, std::strerror(errno));
  }
  Element doc;
  if (auto error = parser.parse(ZeroHugeIntegers(contents)).get(doc)) {
    return MakeError("{}: not valid JSON: {}", path, simdjson::error_message(error));
  }
  return doc;
}

std::string Child(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}

std::string Index(std::string_view path, size_t i) {
  return fmt::format("{}[{}]", path, i);
}

Expected<Object> AsObject(Element e, std::string_view path) {
  Object o;
  if (e.get_object().get(o)) return WrongType(e, path, "an object");
  return o;
}

Expected<Array> AsArray(Element e, std::string_view path) {
  Array a;
  if (e.get_array().get(a)) return WrongType(e, path, "an array");
  return a;
}

Expected<std::string_view> AsString(Element e, std::string_view path) {
  std::string_view s;
  if (e.get_string().get(s)) return WrongType(e, path, "a string");
  return s;
}

Expected<int64_t> AsInt(Element e, std::string_view path) {
  int64_t v;
  if (e.get_int64().get(v)) return WrongType(e, path, "an integer");
  return v;
}

Expected<double> AsNumber(Element e, std::string_view path) {
  double v;
  if (e.is_int64()) return static_cast<double>(e.get_int64().value_unsafe());
  if (e.get_double().get(v)) return WrongType(e, path, "a number");
  return v;
}

Expected<bool> AsBool(Element e, std::string_view path) {
  bool v;
  if (e.get_bool().get(v)) return WrongType(e, path, "a boolean");
  return v;
}

std::optional<Element> Field(Object o, std::string_view key) {
  Element e;
  if (o.at_key(key).get(e) || e.is_null()) return std::nullopt;
  return e;
}

Expected<Element> Require(Object o, std::string_view key, std::string_view path) {
  auto e = Field(o, key);
  if (!e) return MakeError("{}: missing field", Child(path, key));
  return *e;
}

Expected<std::string_view> String(Object o, std::string_view key, std::string_view path) {
  auto e = Require(o, key, path);
  if (!e) return std::unexpected(e.error());
  return AsString(*e, Child(path, key));
}

Expected<int64_t> Int(Object o, std::string_view key, std::string_view path) {
  auto e = Require(o, key, path);
  if (!e) return std::unexpected(e.error());
  return AsInt(*e, Child(path, key));
}

Expected<std::optional<std::string_view>> OptString(Object o, std::string_view key,
                                                    std::string_view path) {
  auto e = Field(o, key);
  if (!e) return std::optional<std::string_view>();
  auto s = AsString(*e, Child(path, key));
  if (!s) return std::unexpected(s.error());
  return std::optional<std::string_view>(*s);
}

Expected<bool> Bool(Object o, std::string_view key, bool fallback, std::string_view path) {
  auto e = Field(o, key);
  if (!e) return fallback;
  return AsBool(*e, Child(path, key));
}

Expected<int64_t> Int(Object o, std::string_view key, int64_t fallback, std::string_view path) {
  auto e = Field(o, key);
  if (!e) return fallback;
  return AsInt(*e, Child(path, key));
}

}  // namespace servebench::tokenizer::json

#include "template/json_value.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <simdjson.h>

#include "template/template_error.h"

namespace servebench::tmpl {
namespace {

// Converts an ondemand value or document. Integers beyond 64 bits (model_max_length is often
// 1e30 written out) become floats, where Python would keep an exact integer.
template <typename JsonValue>
Value FromJson(JsonValue&& v, int depth) {
  if (depth > 1000) throw simdjson::simdjson_error(simdjson::DEPTH_ERROR);
  switch (v.type().value()) {
    case simdjson::ondemand::json_type::array: {
      std::vector<Value> items;
      for (auto child : v.get_array())
        items.push_back(FromJson(child.value(), depth + 1));
      return Value::List(std::move(items));
    }
    case simdjson::ondemand::json_type::object: {
      Value dict = Value::Dict();
      for (auto field : v.get_object()) {
        std::string key(field.unescaped_key().value());
        dict.dict().Set(std::move(key), FromJson(field.value(), depth + 1));
      }
      return dict;
    }
    case simdjson::ondemand::json_type::number: {
      auto type = v.get_number_type().value();
      if (type == simdjson::ondemand::number_type::signed_integer) {
        return Value(static_cast<int64_t>(v.get_int64().value()));
      }
      if (type == simdjson::ondemand::number_type::unsigned_integer) {
        uint64_t u = 0;
        if (v.get_uint64().get(u) == simdjson::SUCCESS) return Value(static_cast<double>(u));
        std::string raw{std::string_view(v.raw_json_token())};
        return Value(std::strtod(raw.c_str(), nullptr));
      }
      return Value(static_cast<double>(v.get_double().value()));
    }
    case simdjson::ondemand::json_type::string:
      return Value(std::string(v.get_string().value()));
    case simdjson::ondemand::json_type::boolean:
      return Value(static_cast<bool>(v.get_bool().value()));
    case simdjson::ondemand::json_type::null:
      if (!v.is_null().value()) throw simdjson::simdjson_error(simdjson::N_ATOM_ERROR);
      return Value(None{});
  }
  return Value(None{});
}

void AppendUtf16Escape(std::string& out, unsigned unit) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "\\u%04x", unit);
  out += buf;
}

void AppendJsonString(std::string& out, std::string_view s, bool ensure_ascii) {
  out += '"';
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      default:
        break;
    }
    if (c < 0x20) {
      AppendUtf16Escape(out, c);
    } else if (c < 0x80 || !ensure_ascii) {
      out += static_cast<char>(c);
    } else {
      // Decode one UTF-8 sequence and write it as \uXXXX (a surrogate pair above the BMP).
      int len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      unsigned cp = c & (len == 4 ? 0x07 : len == 3 ? 0x0f : 0x1f);
      for (int k = 1; k < len && i + 1 < s.size(); ++k) {
        cp = (cp << 6) | (static_cast<unsigned char>(s[++i]) & 0x3f);
      }
      if (cp >= 0x10000) {
        cp -= 0x10000;
        AppendUtf16Escape(out, 0xd800 + (cp >> 10));
        AppendUtf16Escape(out, 0xdc00 + (cp & 0x3ff));
      } else {
        AppendUtf16Escape(out, cp);
      }
    }
  }
  out += '"';
}

class JsonWriter {
 public:
  explicit JsonWriter(const JsonOptions& o) : o_(o) {
    item_sep_ = o.item_separator.value_or(o.indent ? "," : ", ");
    key_sep_ = o.key_separator.value_or(": ");
  }

  void Write(const Value& v, int depth) {
    if (depth > 1000) Fail("ValueError: Circular reference detected");
    switch (v.kind()) {
      case Value::Kind::kNone:
        out_ += "null";
        return;
      case Value::Kind::kBool:
        out_ += v.as_bool() ? "true" : "false";
        return;
      case Value::Kind::kInt:
        out_ += std::to_string(v.as_int());
        return;
      case Value::Kind::kFloat: {
        double d = v.as_double();
        if (std::isnan(d)) {
          out_ += "NaN";
        } else if (std::isinf(d)) {
          out_ += d > 0 ? "Infinity" : "-Infinity";
        } else {
          out_ += FloatRepr(d);
        }
        return;
      }
      case Value::Kind::kString:
        AppendJsonString(out_, v.as_string(), o_.ensure_ascii);
        return;
      case Value::Kind::kList: {
        const auto& items = v.list().items;
        if (items.empty()) {
          out_ += "[]";
          return;
        }
        out_ += '[';
        for (size_t i = 0; i < items.size(); ++i) {
          if (i > 0) out_ += item_sep_;
          NewLine(depth + 1);
          Write(items[i], depth + 1);
        }
        NewLine(depth);
        out_ += ']';
        return;
      }
      case Value::Kind::kDict: {
        std::vector<const std::pair<std::string, Value>*> items;
        for (const auto& item : v.dict().items)
          items.push_back(&item);
        if (items.empty()) {
          out_ += "{}";
          return;
        }
        if (o_.sort_keys) {
          std::stable_sort(items.begin(), items.end(),
                           [](auto* a, auto* b) { return a->first < b->first; });
        }
        out_ += '{';
        for (size_t i = 0; i < items.size(); ++i) {
          if (i > 0) out_ += item_sep_;
          NewLine(depth + 1);
          AppendJsonString(out_, items[i]->first, o_.ensure_ascii);
          out_ += key_sep_;
          Write(items[i]->second, depth + 1);
        }
        NewLine(depth);
        out_ += '}';
        return;
      }
      default:
        Fail("Object of type " + v.TypeName() + " is not JSON serializable");
    }
  }

  std::string Take() { return std::move(out_); }

 private:
  void NewLine(int depth) {
    if (!o_.indent) return;
    out_ += '\n';
    for (int i = 0; i < depth; ++i)
      out_ += *o_.indent;
  }

  const JsonOptions& o_;
  std::string item_sep_;
  std::string key_sep_;
  std::string out_;
};

}  // namespace

Expected<Value> ParseJson(std::string_view text) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(text);
  try {
    simdjson::ondemand::document doc = parser.iterate(padded);
    Value v = FromJson(doc, 0);
    return v;
  } catch (const simdjson::simdjson_error& e) {
    return MakeError("invalid JSON: {}", e.what());
  }
}

std::string ToJson(const Value& value, const JsonOptions& options) {
  JsonWriter writer(options);
  writer.Write(value, 0);
  return writer.Take();
}

}  // namespace servebench::tmpl

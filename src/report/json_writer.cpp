#include "report/json_writer.h"

#include <cmath>

#include <fmt/format.h>

namespace servebench::report {

std::string PythonFloat(double value) {
  std::string s = fmt::format("{}", value);
  if (std::isfinite(value) && s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_items_.empty()) {
    if (has_items_.back()) out_ += ", ";
    has_items_.back() = true;
  }
}

void JsonWriter::AppendQuoted(std::string_view text) {
  out_ += '"';
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out_ += "\\\"";
        break;
      case '\\':
        out_ += "\\\\";
        break;
      case '\n':
        out_ += "\\n";
        break;
      case '\r':
        out_ += "\\r";
        break;
      case '\t':
        out_ += "\\t";
        break;
      case '\b':
        out_ += "\\b";
        break;
      case '\f':
        out_ += "\\f";
        break;
      default:
        if (c < 0x20) {
          out_ += fmt::format("\\u{:04x}", c);
        } else {
          out_ += static_cast<char>(c);  // UTF-8 passes through unchanged
        }
    }
  }
  out_ += '"';
}

JsonWriter& JsonWriter::BeginObject() {
  BeforeValue();
  out_ += '{';
  has_items_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  out_ += '}';
  has_items_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  BeforeValue();
  out_ += '[';
  has_items_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  out_ += ']';
  has_items_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  BeforeValue();
  if (has_items_.size() == 1) {
    member_keys_.emplace_back(key);
    member_starts_.push_back(out_.size());
  }
  AppendQuoted(key);
  out_ += ": ";
  after_key_ = true;
  return *this;
}

std::vector<JsonWriter::Member> JsonWriter::TopLevelMembers() const {
  std::vector<Member> members;
  std::string_view out(out_);
  for (size_t i = 0; i < member_starts_.size(); ++i) {
    // A member ends where the ", " before the next one starts, the last one before the '}'.
    size_t end = i + 1 < member_starts_.size() ? member_starts_[i + 1] - 2 : out.size() - 1;
    members.push_back({member_keys_[i], out.substr(member_starts_[i], end - member_starts_[i])});
  }
  return members;
}

JsonWriter& JsonWriter::String(std::string_view value) {
  BeforeValue();
  AppendQuoted(value);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t value) {
  BeforeValue();
  out_ += fmt::format("{}", value);
  return *this;
}

JsonWriter& JsonWriter::Double(double value) {
  if (std::isnan(value)) return Null();
  if (std::isinf(value)) {
    BeforeValue();
    if (infinity_ == InfinityStyle::kBareToken) {
      out_ += value > 0 ? "Infinity" : "-Infinity";
    } else {
      AppendQuoted(value > 0 ? "inf" : "-inf");
    }
    return *this;
  }
  BeforeValue();
  out_ += PythonFloat(value);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) {
  BeforeValue();
  out_ += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view json) {
  BeforeValue();
  out_ += json;
  return *this;
}

}  // namespace servebench::report

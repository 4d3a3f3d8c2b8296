#include "sim/wire/json_writer.h"

#include <charconv>
#include <cstring>

#include <fmt/format.h>

namespace servebench::sim {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendUnicodeEscape(uint32_t unit, std::string& out) {
  char buf[6] = {'\\',
                 'u',
                 kHex[(unit >> 12) & 0xF],
                 kHex[(unit >> 8) & 0xF],
                 kHex[(unit >> 4) & 0xF],
                 kHex[unit & 0xF]};
  out.append(buf, 6);
}

// The escape of an ASCII byte that JSON requires escaped, or nullptr.
const char* ShortEscape(unsigned char c) {
  switch (c) {
    case '"':
      return "\\\"";
    case '\\':
      return "\\\\";
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
    case '\b':
      return "\\b";
    case '\f':
      return "\\f";
    default:
      return nullptr;
  }
}

void AppendEscapedAscii(unsigned char c, std::string& out) {
  if (const char* e = ShortEscape(c)) {
    out.append(e, 2);
  } else {
    AppendUnicodeEscape(c, out);
  }
}

// Length of the well-formed UTF-8 sequence at s[i] and its code point, or 0 when malformed.
size_t DecodeUtf8(std::string_view s, size_t i, uint32_t* cp) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char c = b(0);
  size_t len;
  uint32_t v;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2, v = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3, v = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4, v = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    v = (v << 6) | (b(k) & 0x3F);
  }
  if ((len == 3 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) ||
      (len == 4 && (v < 0x10000 || v > 0x10FFFF))) {
    return 0;
  }
  *cp = v;
  return len;
}

void AppendShortest(std::string& out, auto value) {
  char buf[32];
  auto end = fmt::format_to(buf, "{}", value);
  std::string_view text(buf, static_cast<size_t>(end - buf));
  out.append(text);
  // Python and serde mark every float as such: 1.0, not 1.
  if (text.find_first_of(".eEn") == std::string_view::npos) out.append(".0");
}

}  // namespace

void AppendJsonString(std::string_view s, std::string& out) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\') break;
    ++i;
  }
  if (i == s.size()) {  // nothing to escape, the usual case: one copy
    size_t at = out.size();
    out.resize(at + s.size() + 2);
    char* p = out.data() + at;
    p[0] = '"';
    if (!s.empty()) std::memcpy(p + 1, s.data(), s.size());
    p[s.size() + 1] = '"';
    return;
  }
  out.push_back('"');
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    AppendEscapedAscii(c, out);
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void AppendJsonStringAscii(std::string_view s, std::string& out) {
  out.push_back('"');
  size_t run = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    out.append(s.data() + run, i - run);
    if (c < 0x80) {
      AppendEscapedAscii(c, out);
      ++i;
    } else if (uint32_t cp; size_t len = DecodeUtf8(s, i, &cp)) {
      if (cp >= 0x10000) {
        cp -= 0x10000;
        AppendUnicodeEscape(0xD800 + (cp >> 10), out);
        AppendUnicodeEscape(0xDC00 + (cp & 0x3FF), out);
      } else {
        AppendUnicodeEscape(cp, out);
      }
      i += len;
    } else {
      out.push_back(static_cast<char>(c));  // not UTF-8: through as it is
      ++i;
    }
    run = i;
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void AppendInt(int64_t value, std::string& out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, static_cast<size_t>(end - buf));
}

void AppendDouble(double value, std::string& out) {
  AppendShortest(out, value);
}
void AppendFloat(float value, std::string& out) {
  AppendShortest(out, value);
}

void JsonOut::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (depth_ > 0) {
    uint32_t bit = 1u << depth_;
    if (has_items_ & bit) out_.append(style_.spaced ? ", " : ",");
    has_items_ |= bit;
  }
}

JsonOut& JsonOut::Open() {
  BeforeValue();
  out_.push_back('{');
  ++depth_;
  has_items_ &= ~(1u << depth_);
  return *this;
}

JsonOut& JsonOut::Close() {
  --depth_;
  out_.push_back('}');
  return *this;
}

JsonOut& JsonOut::OpenArray() {
  BeforeValue();
  out_.push_back('[');
  ++depth_;
  has_items_ &= ~(1u << depth_);
  return *this;
}

JsonOut& JsonOut::CloseArray() {
  --depth_;
  out_.push_back(']');
  return *this;
}

JsonOut& JsonOut::Key(std::string_view key) {
  // Separator, quotes and colon in one append: keys are the hot path's most frequent item.
  char buf[72];
  size_t n = 0;
  uint32_t bit = 1u << depth_;
  if (has_items_ & bit) {
    buf[n++] = ',';
    if (style_.spaced) buf[n++] = ' ';
  }
  has_items_ |= bit;
  if (key.size() > sizeof buf - 8) {
    out_.append(buf, n);
    n = 0;
    out_.push_back('"');
    out_.append(key);
  } else {
    buf[n++] = '"';
    std::memcpy(buf + n, key.data(), key.size());
    n += key.size();
  }
  buf[n++] = '"';
  buf[n++] = ':';
  if (style_.spaced) buf[n++] = ' ';
  out_.append(buf, n);
  after_key_ = true;
  return *this;
}

JsonOut& JsonOut::ContinueObject(std::string_view rendered) {
  BeforeValue();
  out_.append(rendered);
  ++depth_;
  has_items_ |= 1u << depth_;
  return *this;
}

JsonOut& JsonOut::Str(std::string_view value) {
  BeforeValue();
  if (style_.ascii) {
    AppendJsonStringAscii(value, out_);
  } else {
    AppendJsonString(value, out_);
  }
  return *this;
}

JsonOut& JsonOut::Int(int64_t value) {
  BeforeValue();
  AppendInt(value, out_);
  return *this;
}

JsonOut& JsonOut::Double(double value) {
  BeforeValue();
  AppendDouble(value, out_);
  return *this;
}

JsonOut& JsonOut::Float(float value) {
  BeforeValue();
  AppendFloat(value, out_);
  return *this;
}

JsonOut& JsonOut::Bool(bool value) {
  BeforeValue();
  out_.append(value ? "true" : "false");
  return *this;
}

JsonOut& JsonOut::Null() {
  BeforeValue();
  out_.append("null");
  return *this;
}

JsonOut& JsonOut::Raw(std::string_view json) {
  BeforeValue();
  out_.append(json);
  return *this;
}

JsonOut& JsonOut::Ints(std::span<const int> values) {
  OpenArray();
  for (int v : values)
    Int(v);
  return CloseArray();
}

JsonOut& JsonOut::StrOrNull(std::string_view key, std::string_view value) {
  Key(key);
  return value.empty() ? Null() : Str(value);
}

}  // namespace servebench::sim

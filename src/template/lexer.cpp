#include "template/lexer.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include <fmt/format.h>

#include "template/template_error.h"
#include "template/value.h"

namespace servebench::tmpl {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsNameChar(char c) {
  return IsNameStart(c) || IsDigit(c);
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Python's "unicode-escape" decoding of a string literal's body.
std::string DecodeEscapes(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c != '\\' || i + 1 >= body.size()) {
      out += c;
      continue;
    }
    char e = body[++i];
    switch (e) {
      case '\n':
        break;
      case '\\':
      case '\'':
      case '"':
        out += e;
        break;
      case 'a':
        out += '\a';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case 'x':
      case 'u':
      case 'U': {
        size_t digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        uint32_t cp = 0;
        size_t k = 0;
        for (; k < digits && i + 1 + k < body.size() && HexValue(body[i + 1 + k]) >= 0; ++k) {
          cp = cp * 16 + static_cast<uint32_t>(HexValue(body[i + 1 + k]));
        }
        if (k != digits || cp > 0x10ffff) Fail(fmt::format("truncated \\{} escape", e));
        AppendUtf8(out, cp);
        i += digits;
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          uint32_t cp = 0;
          size_t k = 0;
          for (; k < 3 && i + k < body.size() && body[i + k] >= '0' && body[i + k] <= '7'; ++k) {
            cp = cp * 8 + static_cast<uint32_t>(body[i + k] - '0');
          }
          i += k - 1;
          AppendUtf8(out, cp);
        } else {
          out += '\\';
          out += e;
        }
    }
  }
  return out;
}

class Lexer {
 public:
  explicit Lexer(std::string_view raw) {
    // Newlines normalised to "\n"; one trailing newline dropped (keep_trailing_newline=False).
    src_.reserve(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\r') {
        src_ += '\n';
        if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
      } else {
        src_ += raw[i];
      }
    }
    if (!src_.empty() && src_.back() == '\n') src_.pop_back();
    line_starts_.push_back(0);
    for (size_t i = 0; i < src_.size(); ++i) {
      if (src_[i] == '\n') line_starts_.push_back(i + 1);
    }
  }

  std::vector<Token> Run() {
    size_t pos = 0;
    bool line_starting = true;
    while (pos < src_.size()) {
      size_t tag = FindTagStart(pos);
      if (tag == std::string_view::npos) {
        Emit(Token::Type::kData, src_.substr(pos), pos);
        break;
      }
      char kind = src_[tag + 1];
      char modifier = tag + 2 < src_.size() ? src_[tag + 2] : '\0';
      std::string data = src_.substr(pos, tag - pos);
      StripBefore(data, modifier, kind != '{', line_starting);
      if (!data.empty()) Emit(Token::Type::kData, std::move(data), pos);
      size_t body = tag + 2 + (modifier == '-' || modifier == '+' ? 1 : 0);
      if (kind == '#') {
        pos = EndOfComment(tag, body, line_starting);
      } else if (kind == '%' && IsRawBegin(body)) {
        pos = Raw(tag, line_starting);
      } else {
        pos = Tag(tag, body, kind == '%', line_starting);
      }
    }
    Emit(Token::Type::kEof, "", src_.size());
    return std::move(tokens_);
  }

 private:
  size_t FindTagStart(size_t from) const {
    for (size_t i = src_.find('{', from); i != std::string::npos; i = src_.find('{', i + 1)) {
      if (i + 1 < src_.size() && (src_[i + 1] == '{' || src_[i + 1] == '%' || src_[i + 1] == '#')) {
        return i;
      }
    }
    return std::string::npos;
  }

  // `{%-` strips all whitespace before the tag; otherwise lstrip_blocks removes the spaces and
  // tabs that precede a block or comment tag on its own line (`{%+` opts out).
  static void StripBefore(std::string& data, char modifier, bool is_block, bool line_starting) {
    if (modifier == '-') {
      size_t end = data.size();
      while (end > 0 && IsSpace(data[end - 1]))
        --end;
      data.resize(end);
    } else if (modifier != '+' && is_block) {
      size_t nl = data.rfind('\n');
      size_t l_pos = nl == std::string::npos ? 0 : nl + 1;
      if (l_pos > 0 || line_starting) {
        bool blank =
            l_pos < data.size() && std::all_of(data.begin() + static_cast<std::ptrdiff_t>(l_pos),
                                               data.end(), [](char c) { return IsSpace(c); });
        if (blank) data.resize(l_pos);
      }
    }
  }

  // After a block or comment end: `-%}` eats the whitespace that follows, `+%}` nothing, and a
  // plain `%}` one newline (trim_blocks). Returns the position after what was consumed.
  size_t AfterBlockEnd(size_t after_close, char before_close, bool& line_starting) const {
    size_t p = after_close;
    if (before_close == '-') {
      while (p < src_.size() && IsSpace(src_[p]))
        ++p;
    } else if (before_close != '+' && p < src_.size() && src_[p] == '\n') {
      ++p;
    }
    line_starting = p > 0 && src_[p - 1] == '\n';
    return p;
  }

  size_t EndOfComment(size_t tag, size_t body, bool& line_starting) {
    size_t close = src_.find("#}", body);
    if (close == std::string::npos) Error(tag, "Missing end of comment tag");
    char before = close > body ? src_[close - 1] : '\0';
    return AfterBlockEnd(close + 2, before, line_starting);
  }

  size_t SkipSpaces(size_t p) const {
    while (p < src_.size() && IsSpace(src_[p]))
      ++p;
    return p;
  }

  bool MatchWord(size_t p, std::string_view word) const {
    return src_.compare(p, word.size(), word) == 0 &&
           (p + word.size() >= src_.size() || !IsNameChar(src_[p + word.size()]));
  }

  bool IsRawBegin(size_t body) const {
    size_t p = SkipSpaces(body);
    if (!MatchWord(p, "raw")) return false;
    p = SkipSpaces(p + 3);
    return src_.compare(p, 2, "%}") == 0 || src_.compare(p, 3, "-%}") == 0;
  }

  // {% raw %}...{% endraw %}: the body is text. The opening tag never trims a newline (as in
  // jinja2); the closing one follows the block rules.
  size_t Raw(size_t tag, bool& line_starting) {
    size_t p = SkipSpaces(src_.find("raw", tag) + 3);
    if (src_[p] == '-') {
      p = SkipSpaces(p + 3);
    } else {
      p += 2;
    }
    line_starting = p > 0 && src_[p - 1] == '\n';
    for (size_t i = src_.find("{%", p); i != std::string::npos; i = src_.find("{%", i + 1)) {
      char modifier = i + 2 < src_.size() ? src_[i + 2] : '\0';
      size_t q = SkipSpaces(i + 2 + (modifier == '-' || modifier == '+' ? 1 : 0));
      if (!MatchWord(q, "endraw")) continue;
      q = SkipSpaces(q + 6);
      char before = '\0';
      if (src_[q] == '-' || src_[q] == '+') before = src_[q++];
      if (src_.compare(q, 2, "%}") != 0) continue;
      std::string data = src_.substr(p, i - p);
      StripBefore(data, modifier, true, line_starting);
      if (!data.empty()) Emit(Token::Type::kData, std::move(data), p);
      return AfterBlockEnd(q + 2, before, line_starting);
    }
    Error(tag, "Missing end of raw directive");
  }

  // A `{{ ... }}` or `{% ... %}` tag: expression tokens up to the closing delimiter at bracket
  // depth zero.
  size_t Tag(size_t tag, size_t p, bool is_block, bool& line_starting) {
    Emit(is_block ? Token::Type::kBlockBegin : Token::Type::kVariableBegin, "", tag);
    std::string brackets;
    while (true) {
      if (p >= src_.size()) {
        Error(p, is_block ? "unexpected end of template, expected end of statement block"
                          : "unexpected end of template, expected end of print statement");
      }
      if (brackets.empty()) {
        char close = is_block ? '%' : '}';
        for (char mod : {'-', '+', '\0'}) {
          if (mod == '+' && !is_block) continue;
          size_t q = p + (mod ? 1 : 0);
          if ((mod && src_[p] != mod) || src_.compare(q, 2, std::string{close, '}'}) != 0) continue;
          Emit(is_block ? Token::Type::kBlockEnd : Token::Type::kVariableEnd, "", p);
          if (is_block) return AfterBlockEnd(q + 2, mod, line_starting);
          size_t end = q + 2;
          if (mod == '-') end = SkipSpaces(end);
          line_starting = src_[end - 1] == '\n';
          return end;
        }
      }
      char c = src_[p];
      if (IsSpace(c)) {
        ++p;
      } else if (IsDigit(c)) {
        p = Number(p);
      } else if (IsNameStart(c) || static_cast<unsigned char>(c) >= 0x80) {
        size_t start = p;
        while (p < src_.size() &&
               (IsNameChar(src_[p]) || static_cast<unsigned char>(src_[p]) >= 0x80)) {
          ++p;
        }
        Emit(Token::Type::kName, src_.substr(start, p - start), start);
      } else if (c == '\'' || c == '"') {
        p = String(p);
      } else {
        p = Operator(p, brackets);
      }
    }
  }

  size_t Digits(size_t p) const {
    // (\d+_)*\d+
    size_t q = p;
    while (q < src_.size() && IsDigit(src_[q])) {
      ++q;
      if (q + 1 < src_.size() && src_[q] == '_' && IsDigit(src_[q + 1])) ++q;
    }
    return q;
  }

  size_t Number(size_t start) {
    size_t p = Digits(start);
    bool is_float = false;
    if (p + 1 < src_.size() && src_[p] == '.' && IsDigit(src_[p + 1])) {
      p = Digits(p + 1);
      is_float = true;
    }
    if (p < src_.size() && (src_[p] == 'e' || src_[p] == 'E')) {
      size_t q = p + 1;
      if (q < src_.size() && (src_[q] == '+' || src_[q] == '-')) ++q;
      if (q < src_.size() && IsDigit(src_[q])) {
        p = Digits(q);
        is_float = true;
      }
    }
    std::string text;
    for (size_t i = start; i < p; ++i) {
      if (src_[i] != '_') text += src_[i];
    }
    int64_t unused = 0;
    if (!is_float &&
        std::from_chars(text.data(), text.data() + text.size(), unused).ec != std::errc()) {
      Error(start, "integer literal too large (integers are 64-bit here)");
    }
    Emit(is_float ? Token::Type::kFloat : Token::Type::kInt, std::move(text), start);
    return p;
  }

  size_t String(size_t start) {
    char quote = src_[start];
    size_t p = start + 1;
    while (p < src_.size() && src_[p] != quote) {
      p += src_[p] == '\\' ? 2 : 1;
    }
    if (p >= src_.size()) Error(start, "unterminated string literal");
    Emit(Token::Type::kString,
         DecodeEscapes(std::string_view(src_).substr(start + 1, p - start - 1)), start);
    return p + 1;
  }

  size_t Operator(size_t p, std::string& brackets) {
    static constexpr std::string_view kTwo[] = {"//", "**", "==", "!=", ">=", "<="};
    for (std::string_view op : kTwo) {
      if (src_.compare(p, 2, op) == 0) {
        Emit(Token::Type::kOperator, std::string(op), p);
        return p + 2;
      }
    }
    char c = src_[p];
    if (std::string_view("+-/*%~[](){}><=.:|,;").find(c) == std::string_view::npos) {
      Error(p, fmt::format("unexpected char '{}'", c));
    }
    if (c == '(' || c == '[' || c == '{') {
      brackets += c == '(' ? ')' : c == '[' ? ']' : '}';
    } else if (c == ')' || c == ']' || c == '}') {
      if (brackets.empty()) Error(p, fmt::format("unexpected '{}'", c));
      if (brackets.back() != c) {
        Error(p, fmt::format("unexpected '{}', expected '{}'", c, brackets.back()));
      }
      brackets.pop_back();
    }
    Emit(Token::Type::kOperator, std::string(1, c), p);
    return p + 1;
  }

  void Emit(Token::Type type, std::string text, size_t offset) {
    auto [line, column] = Position(offset);
    tokens_.push_back(Token{type, std::move(text), line, column});
  }

  std::pair<int, int> Position(size_t offset) const {
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    size_t line = static_cast<size_t>(it - line_starts_.begin());
    return {static_cast<int>(line), static_cast<int>(offset - line_starts_[line - 1] + 1)};
  }

  [[noreturn]] void Error(size_t offset, std::string_view message) const {
    auto [line, column] = Position(offset);
    Fail(fmt::format("line {}, column {}: {}", line, column, message));
  }

  std::string src_;
  std::vector<size_t> line_starts_;
  std::vector<Token> tokens_;
};

}  // namespace

std::vector<Token> Tokenize(std::string_view source) {
  return Lexer(source).Run();
}

std::string Describe(const Token& token) {
  switch (token.type) {
    case Token::Type::kVariableBegin:
      return "begin of print statement";
    case Token::Type::kVariableEnd:
      return "end of print statement";
    case Token::Type::kBlockBegin:
      return "begin of statement block";
    case Token::Type::kBlockEnd:
      return "end of statement block";
    case Token::Type::kEof:
      return "end of template";
    case Token::Type::kData:
      return "template data";
    case Token::Type::kString:
      return "string " + StringRepr(token.text);
    default:
      return "'" + token.text + "'";
  }
}

}  // namespace servebench::tmpl

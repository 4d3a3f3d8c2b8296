// The fast path of ReadOpenAiEvent (openai_event.cpp) for the shape nearly every completions and
// chat chunk has: a flat root object whose `choices` holds objects with scalar `index`, `text`,
// `finish_reason` and a `delta` (or `message`) of strings, and an optional `usage` of integers.
//
// It reads the event with one forward scan, without simdjson's document set-up, and is strict:
// it accepts only well-formed JSON of that shape and gives up (returns false) on anything else
// (tool calls, an object finish reason, a non-null `error`, fractions where integers are read,
// lone surrogates, control bytes in strings, nesting deeper than kMaxDepth, trailing bytes).
// Giving up is never an answer: the caller then runs the full parser on the same bytes, so the
// facts, including every malformed_event, are the full parser's whenever the shape is unusual.
// Where it answers, it mirrors openai_event.cpp's rules field by field (null reads as absent, a
// repeated key overwrites, entries with another `index` are ignored); fast_event_test.cpp feeds
// the same events through both.
#include <bit>
#include <cstring>

#include "protocol/event_facts.h"

namespace servebench::protocol {
namespace {

constexpr int kMaxDepth = 32;

bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// After a number or a literal: what may follow it in well-formed JSON.
bool IsDelimiter(char c) {
  return IsSpace(c) || c == ',' || c == '}' || c == ']';
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The first byte at or after `p` that a string scan must look at: '"', '\\', a control byte, or
// a byte of a multi-byte UTF-8 sequence. Eight bytes at a time.
const char* FindSpecial(const char* p, const char* end) {
  constexpr uint64_t kOnes = 0x0101010101010101, kHigh = 0x8080808080808080;
  while (end - p >= 8) {
    uint64_t x;
    std::memcpy(&x, p, 8);
    uint64_t quote = x ^ (kOnes * '"'), backslash = x ^ (kOnes * '\\');
    // Zero bytes of quote/backslash, bytes below 0x20, and high bytes. A borrow can only mark
    // bytes above a true hit, so the lowest mark is exact.
    uint64_t hits = ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) |
                    ((x - kOnes * 0x20) & ~x) | x;
    hits &= kHigh;
    if (hits != 0) return p + (std::countr_zero(hits) >> 3);
    p += 8;
  }
  while (p < end && *p != '"' && *p != '\\' && static_cast<unsigned char>(*p) >= 0x20 &&
         static_cast<unsigned char>(*p) < 0x80) {
    ++p;
  }
  return p;
}

// A cursor over one event. Strings with escapes are unescaped into `out`, which has room for the
// whole event (unescaping never lengthens a string), so earlier views stay valid.
class Scanner {
 public:
  Scanner(std::string_view data, char* out)
      : p_(data.data()), end_(data.data() + data.size()), out_(out) {}

  char Peek() {
    while (p_ < end_ && IsSpace(*p_))
      ++p_;
    return p_ < end_ ? *p_ : '\0';
  }
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++p_;
    return true;
  }
  // A string held a byte >= 0x80 (outside strings the grammar admits none).
  bool non_ascii() const { return non_ascii_; }
  bool AtEnd() {
    Peek();
    return p_ == end_;
  }

  // A key (without escapes) and its colon.
  bool Key(std::string_view* key) {
    if (!Consume('"')) return false;
    const char* begin = p_;
    p_ = FindSpecial(p_, end_);
    if (p_ == end_ || *p_ != '"') return false;  // escapes, control or non-ASCII bytes
    *key = std::string_view(begin, static_cast<size_t>(p_ - begin));
    ++p_;
    return Consume(':');
  }

  // A string value; the cursor is on its opening quote.
  bool String(std::string_view* value) {
    ++p_;
    const char* begin = p_;
    for (p_ = FindSpecial(p_, end_); p_ < end_ && static_cast<unsigned char>(*p_) >= 0x80;
         p_ = FindSpecial(p_ + 1, end_)) {
      non_ascii_ = true;
    }
    if (p_ == end_ || static_cast<unsigned char>(*p_) < 0x20) return false;
    if (*p_ == '"') {
      *value = std::string_view(begin, static_cast<size_t>(p_ - begin));
      ++p_;
      return true;
    }
    // Escapes: copy what came before, then unescape the rest.
    char* start = out_;
    size_t plain = static_cast<size_t>(p_ - begin);
    std::memcpy(out_, begin, plain);
    out_ += plain;
    while (p_ < end_ && *p_ != '"') {
      char c = *p_;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (static_cast<unsigned char>(c) >= 0x80) non_ascii_ = true;
      if (c != '\\') {
        *out_++ = c;
        ++p_;
        continue;
      }
      if (++p_ == end_) return false;
      switch (*p_++) {
        case '"':
          *out_++ = '"';
          break;
        case '\\':
          *out_++ = '\\';
          break;
        case '/':
          *out_++ = '/';
          break;
        case 'b':
          *out_++ = '\b';
          break;
        case 'f':
          *out_++ = '\f';
          break;
        case 'n':
          *out_++ = '\n';
          break;
        case 'r':
          *out_++ = '\r';
          break;
        case 't':
          *out_++ = '\t';
          break;
        case 'u':
          if (!CodePoint()) return false;
          break;
        default:
          return false;
      }
    }
    if (p_ == end_) return false;
    ++p_;
    *value = std::string_view(start, static_cast<size_t>(out_ - start));
    return true;
  }

  // null (a value that reads as absent), else a string.
  bool OptionalString(std::string_view* value) {
    char c = Peek();
    if (c == 'n') return Literal("null");
    return c == '"' && String(value);
  }

  // null, else a non-negative integer of at most 18 digits (anything else: the full parser).
  bool OptionalInt(std::optional<int64_t>* value) {
    char c = Peek();
    if (c == 'n') return Literal("null");
    if (c < '0' || c > '9') return false;
    if (c == '0' && p_ + 1 < end_ && p_[1] >= '0' && p_[1] <= '9') return false;
    int64_t number = 0;
    int digits = 0;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
      if (++digits > 18) return false;
      number = number * 10 + (*p_++ - '0');
    }
    if (p_ < end_ && !IsDelimiter(*p_)) return false;
    *value = number;
    return true;
  }

  bool Literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) {
      return false;
    }
    p_ += word.size();
    return p_ == end_ || IsDelimiter(*p_);
  }

  // Any well-formed value, read and dropped.
  bool SkipValue(int depth = 0) {
    char c = Peek();
    switch (c) {
      case '"':
        return SkipString();
      case '{':
        return Members(depth, [&](std::string_view) { return SkipValue(depth + 1); });
      case '[':
        return Elements(depth, [&] { return SkipValue(depth + 1); });
      case 't':
        return Literal("true");
      case 'f':
        return Literal("false");
      case 'n':
        return Literal("null");
      default:
        return SkipNumber();
    }
  }

  // An object (cursor on "{"): on_member(key) reads each member's value.
  template <typename OnMember>
  bool Members(int depth, OnMember&& on_member) {
    if (depth >= kMaxDepth || !Consume('{')) return false;
    if (Consume('}')) return true;
    do {
      std::string_view key;
      if (!Key(&key) || !on_member(key)) return false;
    } while (Consume(','));
    return Consume('}');
  }

  // An array (cursor on "["): on_element() reads each element.
  template <typename OnElement>
  bool Elements(int depth, OnElement&& on_element) {
    if (depth >= kMaxDepth || !Consume('[')) return false;
    if (Consume(']')) return true;
    do {
      if (!on_element()) return false;
    } while (Consume(','));
    return Consume(']');
  }

 private:
  // \uXXXX (after "\u"), a surrogate pair included, written as UTF-8.
  bool CodePoint() {
    uint32_t code = 0;
    if (!Hex4(&code)) return false;
    if (code >= 0xDC00 && code <= 0xDFFF) return false;
    if (code >= 0xD800 && code <= 0xDBFF) {
      uint32_t low = 0;
      if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
      p_ += 2;
      if (!Hex4(&low) || low < 0xDC00 || low > 0xDFFF) return false;
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    if (code < 0x80) {
      *out_++ = static_cast<char>(code);
    } else if (code < 0x800) {
      *out_++ = static_cast<char>(0xC0 | (code >> 6));
      *out_++ = static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      *out_++ = static_cast<char>(0xE0 | (code >> 12));
      *out_++ = static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      *out_++ = static_cast<char>(0x80 | (code & 0x3F));
    } else {
      *out_++ = static_cast<char>(0xF0 | (code >> 18));
      *out_++ = static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      *out_++ = static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      *out_++ = static_cast<char>(0x80 | (code & 0x3F));
    }
    return true;
  }

  bool Hex4(uint32_t* code) {
    if (end_ - p_ < 4) return false;
    for (int i = 0; i < 4; ++i) {
      int digit = HexDigit(*p_++);
      if (digit < 0) return false;
      *code = *code * 16 + static_cast<uint32_t>(digit);
    }
    return true;
  }

  bool SkipString() {
    ++p_;
    while ((p_ = FindSpecial(p_, end_)) < end_ && *p_ != '"') {
      if (static_cast<unsigned char>(*p_) < 0x20) return false;
      if (static_cast<unsigned char>(*p_) >= 0x80) non_ascii_ = true;
      if (*p_ == '\\') {
        if (++p_ == end_) return false;
        char c = *p_++;
        if (c == 'u') {
          uint32_t code = 0;
          if (!Hex4(&code)) return false;
        } else if (std::string_view("\"\\/bfnrt").find(c) == std::string_view::npos) {
          return false;
        }
        continue;
      }
      ++p_;
    }
    if (p_ == end_) return false;
    ++p_;
    return true;
  }

  // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
  bool SkipNumber() {
    auto digits = [&] {
      const char* begin = p_;
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9')
        ++p_;
      return p_ - begin;
    };
    if (p_ < end_ && *p_ == '-') ++p_;
    if (p_ < end_ && *p_ == '0') {
      ++p_;
    } else if (digits() == 0) {
      return false;
    }
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      if (digits() == 0) return false;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (digits() == 0) return false;
    }
    return p_ == end_ || IsDelimiter(*p_);
  }

  const char* p_;
  const char* end_;
  char* out_;
  bool non_ascii_ = false;
};

struct Choice {
  std::optional<int64_t> index;
  std::string_view text, content, reasoning_content, reasoning, finish_reason;
};

// `delta` or `message`: null, or an object of strings; tool calls only when there are none.
bool ReadMessage(Scanner& s, Choice& choice) {
  if (s.Peek() == 'n') return s.Literal("null");
  return s.Members(2, [&](std::string_view key) {
    if (key == "content") return s.OptionalString(&choice.content);
    if (key == "reasoning_content") return s.OptionalString(&choice.reasoning_content);
    if (key == "reasoning") return s.OptionalString(&choice.reasoning);
    if (key == "tool_calls") {
      if (s.Peek() == 'n') return s.Literal("null");
      return s.Elements(3, [] { return false; });  // only [] here
    }
    return s.SkipValue(3);
  });
}

bool ReadChoices(Scanner& s, bool stream, EventFacts& facts) {
  if (s.Peek() == 'n') return s.Literal("null");
  const std::string_view message_key = stream ? "delta" : "message";
  return s.Elements(0, [&] {
    facts.has_choices = true;
    Choice choice;
    bool ok = s.Members(1, [&](std::string_view key) {
      if (key == "index") return s.OptionalInt(&choice.index);
      if (key == "text") return s.OptionalString(&choice.text);
      if (key == message_key) return ReadMessage(s, choice);
      if (key == "finish_reason") return s.OptionalString(&choice.finish_reason);
      return s.SkipValue(2);
    });
    if (!ok) return false;
    if (choice.index.value_or(0) != 0) {
      facts.other_choice_index = true;
      return true;
    }
    facts.text = choice.text.empty() ? choice.content : choice.text;
    facts.reasoning =
        choice.reasoning_content.empty() ? choice.reasoning : choice.reasoning_content;
    if (!choice.finish_reason.empty()) facts.finish_reason = choice.finish_reason;
    return true;
  });
}

bool ReadUsage(Scanner& s, EventFacts& facts) {
  if (s.Peek() == 'n') return s.Literal("null");
  return s.Members(0, [&](std::string_view key) {
    facts.has_usage = true;
    if (key == "prompt_tokens") return s.OptionalInt(&facts.prompt_tokens);
    if (key == "completion_tokens") {
      if (!s.OptionalInt(&facts.completion_tokens)) return false;
      facts.counter = facts.completion_tokens;
      return true;
    }
    return s.SkipValue(1);
  });
}

}  // namespace

bool ReadOpenAiEventFast(std::string_view data, bool stream, JsonParser::Impl& impl) {
  if (impl.unescaped.size() < data.size()) impl.unescaped.resize(data.size());
  EventFacts& facts = impl.facts;
  impl.tool_scratch.clear();
  Scanner s(data, impl.unescaped.data());
  if (s.Peek() != '{') return false;
  bool ok = s.Members(0, [&](std::string_view key) {
    if (key == "choices") {
      if (!ReadChoices(s, stream, facts)) return false;
      facts.tool_text = impl.tool_scratch;
      return true;
    }
    if (key == "usage") return ReadUsage(s, facts);
    if (key == "error") return s.Peek() == 'n' && s.Literal("null");
    if (key == "id") return s.Peek() == '"' ? s.String(&facts.id) : s.SkipValue(1);
    // SGLang's `sglext` (cached-token details): rare, one event per reply; the full parser reads
    // it.
    if (key == "sglext") return false;
    return s.SkipValue(1);
  });
  if (!ok || !s.AtEnd()) return false;
  // simdjson validates the whole document's UTF-8; so must this path.
  return !s.non_ascii() || simdjson::validate_utf8(data.data(), data.size());
}

}  // namespace servebench::protocol

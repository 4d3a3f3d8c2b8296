#include "tokenizer/normalizer.h"

#include <cstdlib>
#include <vector>

#include <utf8proc.h>

#include "tokenizer/pattern.h"
#include "tokenizer/precompiled_charsmap.h"
#include "tokenizer/unicode.h"

namespace servebench::tokenizer {

namespace {

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Calls fn(code_point) for each character of valid UTF-8 text.
template <typename Fn>
void ForEachChar(std::string_view s, Fn&& fn) {
  size_t i = 0;
  while (i < s.size()) {
    size_t len;
    char32_t c = DecodeUtf8(s, i, &len);
    fn(c);
    i += len;
  }
}

// Whether NFC leaves `text` as it is, judged quickly and conservatively: every character is in a
// range that NFC never changes and that never combines with a neighbour (below U+0300 before
// the combining marks, Cyrillic letters, kana, CJK ideographs, Hangul syllables, fullwidth
// forms). Anything else takes the full normalization.
bool SurelyNfc(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    char32_t c = DecodeUtf8(s, i, &len);
    bool stable = c < 0x300 || (c >= 0x400 && c <= 0x482) || (c >= 0x2010 && c <= 0x2027) ||
                  (c >= 0x3000 && c <= 0x3029) || (c >= 0x3041 && c <= 0x3096) ||
                  (c >= 0x30A1 && c <= 0x30FA) || (c >= 0x4E00 && c <= 0x9FFF) ||
                  (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xFF01 && c <= 0xFF5E);
    if (!stable) return false;
    i += len;
  }
  return true;
}

class UnicodeForm : public Normalizer {
 public:
  explicit UnicodeForm(int options) : options_(options) {}
  void Apply(std::string& text) const override {
    if (IsAscii(text)) return;  // every normalization form leaves ASCII as is
    if (options_ == (UTF8PROC_STABLE | UTF8PROC_COMPOSE) && SurelyNfc(text)) return;
    utf8proc_uint8_t* out = nullptr;
    utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                      static_cast<utf8proc_ssize_t>(text.size()), &out,
                                      static_cast<utf8proc_option_t>(options_));
    if (n >= 0) text.assign(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
    std::free(out);
  }

 private:
  int options_;
};

class Lowercase : public Normalizer {
 public:
  void Apply(std::string& text) const override {
    std::string out;
    out.reserve(text.size());
    ForEachChar(text, [&](char32_t c) { AppendLowercase(out, c); });
    text.swap(out);
  }
};

class Strip : public Normalizer {
 public:
  Strip(bool left, bool right) : left_(left), right_(right) {}
  void Apply(std::string& text) const override {
    size_t begin = 0, end = text.size();
    if (left_) {
      while (begin < end) {
        size_t len;
        if (!IsWhitespace(DecodeUtf8(text, begin, &len))) break;
        begin += len;
      }
    }
    if (right_) {
      while (end > begin) {
        size_t start = end - 1;
        while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
          --start;
        size_t len;
        if (!IsWhitespace(DecodeUtf8(text, start, &len))) break;
        end = start;
      }
    }
    text = text.substr(begin, end - begin);
  }

 private:
  bool left_, right_;
};

class StripAccents : public Normalizer {
 public:
  void Apply(std::string& text) const override {
    std::string out;
    out.reserve(text.size());
    ForEachChar(text, [&](char32_t c) {
      if (!IsNonspacingMark(c)) AppendUtf8(out, c);
    });
    text.swap(out);
  }
};

class Replace : public Normalizer {
 public:
  explicit Replace(Replacement replacement) : replacement_(std::move(replacement)) {}
  void Apply(std::string& text) const override { text = replacement_.Apply(text); }

 private:
  Replacement replacement_;
};

class Prepend : public Normalizer {
 public:
  explicit Prepend(std::string prefix) : prefix_(std::move(prefix)) {}
  void Apply(std::string& text) const override {
    if (!text.empty()) text.insert(0, prefix_);
  }

 private:
  std::string prefix_;
};

class Bert : public Normalizer {
 public:
  Bert(bool clean_text, bool chinese, bool strip_accents, bool lowercase)
      : clean_text_(clean_text),
        chinese_(chinese),
        strip_accents_(strip_accents),
        lowercase_(lowercase) {}
  void Apply(std::string& text) const override {
    std::string out;
    out.reserve(text.size());
    ForEachChar(text, [&](char32_t c) {
      if (clean_text_) {
        if (c == 0 || c == 0xFFFD || (c != '\t' && c != '\n' && c != '\r' && IsOther(c))) return;
        if (c == '\t' || c == '\n' || c == '\r' || IsWhitespace(c)) c = ' ';
      }
      if (chinese_ && IsChineseChar(c)) {
        out.push_back(' ');
        AppendUtf8(out, c);
        out.push_back(' ');
        return;
      }
      AppendUtf8(out, c);
    });
    text.swap(out);
    if (strip_accents_) {
      UnicodeForm(UTF8PROC_STABLE | UTF8PROC_DECOMPOSE).Apply(text);
      StripAccents().Apply(text);
    }
    if (lowercase_) Lowercase().Apply(text);
  }

 private:
  bool clean_text_, chinese_, strip_accents_, lowercase_;
};

class Nmt : public Normalizer {
 public:
  void Apply(std::string& text) const override {
    std::string out;
    out.reserve(text.size());
    ForEachChar(text, [&](char32_t c) {
      if ((c >= 0x01 && c <= 0x08) || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F ||
          c == 0x8F || c == 0x9F) {
        return;
      }
      if (c == 0x0009 || c == 0x000A || c == 0x000C || c == 0x000D || c == 0x1680 ||
          (c >= 0x200B && c <= 0x200F) || c == 0x2028 || c == 0x2029 || c == 0x2581 ||
          c == 0xFEFF || c == 0xFFFD) {
        c = ' ';
      }
      AppendUtf8(out, c);
    });
    text.swap(out);
  }
};

class PrecompiledNormalizer : public Normalizer {
 public:
  explicit PrecompiledNormalizer(PrecompiledCharsmap map) : map_(std::move(map)) {}
  void Apply(std::string& text) const override { text = map_.Normalize(text); }

 private:
  PrecompiledCharsmap map_;
};

class Sequence : public Normalizer {
 public:
  explicit Sequence(std::vector<std::unique_ptr<Normalizer>> steps) : steps_(std::move(steps)) {}
  void Apply(std::string& text) const override {
    for (const auto& step : steps_)
      step->Apply(text);
  }

 private:
  std::vector<std::unique_ptr<Normalizer>> steps_;
};

}  // namespace

Expected<std::unique_ptr<Normalizer>> MakeNormalizer(json::Element spec, const std::string& path) {
  auto o = json::AsObject(spec, path);
  if (!o) return std::unexpected(o.error());
  auto type = json::String(*o, "type", path);
  if (!type) return std::unexpected(type.error());
  std::unique_ptr<Normalizer> result;
  const std::string_view t = *type;
  auto flag = [&](std::string_view key, bool fallback) {
    return json::Bool(*o, key, fallback, path);
  };
  if (t == "NFC") {
    result = std::make_unique<UnicodeForm>(UTF8PROC_STABLE | UTF8PROC_COMPOSE);
  } else if (t == "NFD") {
    result = std::make_unique<UnicodeForm>(UTF8PROC_STABLE | UTF8PROC_DECOMPOSE);
  } else if (t == "NFKC") {
    result = std::make_unique<UnicodeForm>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
  } else if (t == "NFKD") {
    result = std::make_unique<UnicodeForm>(UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT);
  } else if (t == "Lowercase") {
    result = std::make_unique<Lowercase>();
  } else if (t == "StripAccents") {
    result = std::make_unique<StripAccents>();
  } else if (t == "Nmt") {
    result = std::make_unique<Nmt>();
  } else if (t == "Strip") {
    auto left = flag("strip_left", true);
    if (!left) return std::unexpected(left.error());
    auto right = flag("strip_right", true);
    if (!right) return std::unexpected(right.error());
    result = std::make_unique<Strip>(*left, *right);
  } else if (t == "Replace") {
    auto replacement = Replacement::Read(*o, path);
    if (!replacement) return std::unexpected(replacement.error());
    result = std::make_unique<Replace>(std::move(*replacement));
  } else if (t == "Prepend") {
    auto prefix = json::String(*o, "prepend", path);
    if (!prefix) return std::unexpected(prefix.error());
    result = std::make_unique<Prepend>(std::string(*prefix));
  } else if (t == "BertNormalizer") {
    auto clean = flag("clean_text", true);
    auto chinese = flag("handle_chinese_chars", true);
    auto lower = flag("lowercase", true);
    for (auto* r : {&clean, &chinese, &lower}) {
      if (!*r) return std::unexpected(r->error());
    }
    auto strip = flag("strip_accents", *lower);  // null follows `lowercase`, as in BERT
    if (!strip) return std::unexpected(strip.error());
    result = std::make_unique<Bert>(*clean, *chinese, *strip, *lower);
  } else if (t == "Precompiled") {
    auto blob = json::String(*o, "precompiled_charsmap", path);
    if (!blob) return std::unexpected(blob.error());
    auto map = PrecompiledCharsmap::FromBase64(*blob);
    if (!map) {
      return MakeError("{}: {}", json::Child(path, "precompiled_charsmap"), map.error().message);
    }
    result = std::make_unique<PrecompiledNormalizer>(std::move(*map));
  } else if (t == "Sequence") {
    auto steps = json::MapArray(*o, "normalizers", path, MakeNormalizer);
    if (!steps) return std::unexpected(steps.error());
    result = std::make_unique<Sequence>(std::move(*steps));
  } else {
    return MakeError("{}.type: unsupported normalizer '{}'", path, t);
  }
  return result;
}

}  // namespace servebench::tokenizer

#include "tokenizer/decoder.h"

#include "tokenizer/byte_level.h"
#include "tokenizer/pattern.h"
#include "tokenizer/unicode.h"

namespace servebench::tokenizer {

namespace {

class ByteLevel : public Decoder {
 public:
  void DecodeChain(std::vector<std::string>& tokens) const override {
    std::string bytes;
    for (const std::string& t : tokens) {
      size_t before = bytes.size();
      if (!ByteLevelToBytes(t, bytes)) {
        bytes.resize(before);
        bytes += t;  // a token outside the alphabet (an added token) stands for itself
      }
    }
    tokens.assign(1, Utf8Lossy(bytes));
  }
};

class Metaspace : public Decoder {
 public:
  Metaspace(std::string replacement, bool strip_first)
      : replacement_(std::move(replacement)), strip_first_(strip_first) {}
  void DecodeChain(std::vector<std::string>& tokens) const override {
    for (size_t i = 0; i < tokens.size(); ++i) {
      std::string out;
      const std::string& t = tokens[i];
      size_t pos = 0;
      while (pos < t.size()) {
        if (t.compare(pos, replacement_.size(), replacement_) == 0) {
          if (!(i == 0 && strip_first_)) out.push_back(' ');
          pos += replacement_.size();
        } else {
          out.push_back(t[pos++]);
        }
      }
      tokens[i] = std::move(out);
    }
  }

 private:
  std::string replacement_;
  bool strip_first_;
};

class ByteFallback : public Decoder {
 public:
  void DecodeChain(std::vector<std::string>& tokens) const override {
    std::vector<std::string> out;
    std::string bytes;
    size_t byte_count = 0;
    auto flush = [&]() {
      if (byte_count == 0) return;
      if (IsValidUtf8(bytes)) {
        out.push_back(bytes);
      } else {
        for (size_t i = 0; i < byte_count; ++i)
          out.push_back("\xEF\xBF\xBD");
      }
      bytes.clear();
      byte_count = 0;
    };
    for (std::string& t : tokens) {
      int value = ParseByte(t);
      if (value >= 0) {
        bytes.push_back(static_cast<char>(value));
        ++byte_count;
        continue;
      }
      flush();
      out.push_back(std::move(t));
    }
    flush();
    tokens.swap(out);
  }

 private:
  // The byte of a "<0xXX>" token, or -1.
  static int ParseByte(const std::string& t) {
    if (t.size() != 6 || t.compare(0, 3, "<0x") != 0 || t[5] != '>') return -1;
    int v = 0;
    for (int i = 3; i < 5; ++i) {
      char c = t[i];
      int d = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                     : -1;
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    return v;
  }
};

class Fuse : public Decoder {
 public:
  void DecodeChain(std::vector<std::string>& tokens) const override {
    std::string all;
    for (const std::string& t : tokens)
      all += t;
    tokens.assign(1, std::move(all));
  }
};

class Strip : public Decoder {
 public:
  Strip(char32_t content, size_t start, size_t stop)
      : content_(content), start_(start), stop_(stop) {}
  void DecodeChain(std::vector<std::string>& tokens) const override {
    for (std::string& t : tokens) {
      size_t begin = 0, end = t.size(), len;
      for (size_t k = 0; k < start_ && begin < end && DecodeUtf8(t, begin, &len) == content_; ++k) {
        begin += len;
      }
      for (size_t k = 0; k < stop_ && end > begin; ++k) {
        size_t s = end - 1;
        while (s > begin && (static_cast<unsigned char>(t[s]) & 0xC0) == 0x80)
          --s;
        if (DecodeUtf8(t, s, &len) != content_) break;
        end = s;
      }
      t = t.substr(begin, end - begin);
    }
  }

 private:
  char32_t content_;
  size_t start_, stop_;
};

class Replace : public Decoder {
 public:
  explicit Replace(Replacement replacement) : replacement_(std::move(replacement)) {}
  void DecodeChain(std::vector<std::string>& tokens) const override {
    for (std::string& t : tokens)
      t = replacement_.Apply(t);
  }

 private:
  Replacement replacement_;
};

class WordPiece : public Decoder {
 public:
  WordPiece(std::string prefix, bool cleanup) : prefix_(std::move(prefix)), cleanup_(cleanup) {}
  void DecodeChain(std::vector<std::string>& tokens) const override {
    for (size_t i = 0; i < tokens.size(); ++i) {
      std::string& t = tokens[i];
      if (i > 0) {
        if (t.starts_with(prefix_)) {
          t.erase(0, prefix_.size());
        } else {
          t = std::string(" ").append(t);
        }
      }
      if (cleanup_) t = Cleanup(t);
    }
  }
  static std::string Cleanup(std::string s) {
    static const std::pair<const char*, const char*> kRules[] = {
        {" .", "."},   {" ?", "?"},     {" !", "!"},    {" ,", ","},
        {" ' ", "'"},  {" n't", "n't"}, {" 'm", "'m"},  {" do not", " don't"},
        {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
    for (auto [from, to] : kRules)
      s = Pattern::Literal(from).ReplaceAll(s, to);
    return s;
  }

 private:
  std::string prefix_;
  bool cleanup_;
};

class BpeSuffix : public Decoder {
 public:
  explicit BpeSuffix(std::string suffix) : suffix_(std::move(suffix)) {}
  void DecodeChain(std::vector<std::string>& tokens) const override {
    for (size_t i = 0; i < tokens.size(); ++i) {
      tokens[i] =
          Pattern::Literal(suffix_).ReplaceAll(tokens[i], i + 1 == tokens.size() ? "" : " ");
    }
  }

 private:
  std::string suffix_;
};

class Sequence : public Decoder {
 public:
  explicit Sequence(std::vector<std::unique_ptr<Decoder>> steps) : steps_(std::move(steps)) {}
  void DecodeChain(std::vector<std::string>& tokens) const override {
    for (const auto& step : steps_)
      step->DecodeChain(tokens);
  }

 private:
  std::vector<std::unique_ptr<Decoder>> steps_;
};

}  // namespace

Expected<std::unique_ptr<Decoder>> MakeDecoder(json::Element spec, const std::string& path) {
  auto o = json::AsObject(spec, path);
  if (!o) return std::unexpected(o.error());
  auto type = json::String(*o, "type", path);
  if (!type) return std::unexpected(type.error());
  const std::string_view t = *type;
  if (t == "ByteLevel") return std::make_unique<ByteLevel>();
  if (t == "ByteFallback") return std::make_unique<ByteFallback>();
  if (t == "Fuse") return std::make_unique<Fuse>();
  if (t == "Metaspace") {
    auto replacement = json::OptString(*o, "replacement", path);
    if (!replacement) return std::unexpected(replacement.error());
    auto scheme = json::OptString(*o, "prepend_scheme", path);
    if (!scheme) return std::unexpected(scheme.error());
    auto legacy = json::Bool(*o, "add_prefix_space", true, path);
    if (!legacy) return std::unexpected(legacy.error());
    bool strip_first = *scheme ? **scheme != "never" : *legacy;
    return std::make_unique<Metaspace>(std::string(replacement->value_or("\u2581")), strip_first);
  }
  if (t == "Strip") {
    auto content = json::String(*o, "content", path);
    if (!content) return std::unexpected(content.error());
    size_t len = 0;
    if (content->empty() || (DecodeUtf8(*content, 0, &len), len != content->size())) {
      return MakeError("{}.content: expected one character", path);
    }
    auto start = json::Int(*o, "start", 0, path);
    if (!start) return std::unexpected(start.error());
    auto stop = json::Int(*o, "stop", 0, path);
    if (!stop) return std::unexpected(stop.error());
    return std::make_unique<Strip>(DecodeUtf8(*content, 0, &len),
                                   static_cast<size_t>(std::max<int64_t>(*start, 0)),
                                   static_cast<size_t>(std::max<int64_t>(*stop, 0)));
  }
  if (t == "Replace") {
    auto replacement = Replacement::Read(*o, path);
    if (!replacement) return std::unexpected(replacement.error());
    return std::make_unique<Replace>(std::move(*replacement));
  }
  if (t == "WordPiece") {
    auto prefix = json::OptString(*o, "prefix", path);
    if (!prefix) return std::unexpected(prefix.error());
    auto cleanup = json::Bool(*o, "cleanup", true, path);
    if (!cleanup) return std::unexpected(cleanup.error());
    return std::make_unique<WordPiece>(std::string(prefix->value_or("##")), *cleanup);
  }
  if (t == "BPEDecoder") {
    auto suffix = json::OptString(*o, "suffix", path);
    if (!suffix) return std::unexpected(suffix.error());
    return std::make_unique<BpeSuffix>(std::string(suffix->value_or("</w>")));
  }
  if (t == "Sequence") {
    auto steps = json::MapArray(*o, "decoders", path, MakeDecoder);
    if (!steps) return std::unexpected(steps.error());
    return std::make_unique<Sequence>(std::move(*steps));
  }
  return MakeError("{}.type: unsupported decoder '{}'", path, t);
}

}  // namespace servebench::tokenizer

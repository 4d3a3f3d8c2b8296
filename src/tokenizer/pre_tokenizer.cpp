#include "tokenizer/pre_tokenizer.h"

#include <vector>

#include "tokenizer/byte_level.h"
#include "tokenizer/pattern.h"
#include "tokenizer/unicode.h"

namespace servebench::tokenizer {

namespace {

// Each character for which pred(c) holds is one match.
template <typename Pred>
auto CharMatcher(Pred pred) {
  return [pred](std::string_view text, std::vector<Match>& out) {
    size_t i = 0;
    while (i < text.size()) {
      size_t len;
      char32_t c = DecodeUtf8(text, i, &len);
      if (pred(c)) out.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(i + len)});
      i += len;
    }
  };
}

auto PatternMatcher(const Pattern& pattern) {
  return [&pattern](std::string_view text, std::vector<Match>& out) { pattern.FindAll(text, out); };
}

const char kGpt2Pattern[] =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
// Oniguruma's \w: letters, marks, decimal digits and connector punctuation.
const char kWhitespacePattern[] = R"([\p{L}\p{M}\p{Nd}\p{Pc}]+|[^\p{L}\p{M}\p{Nd}\p{Pc}\s]+)";

class ByteLevel : public PreTokenizer {
 public:
  ByteLevel(bool add_prefix_space, bool use_regex)
      : add_prefix_space_(add_prefix_space),
        use_regex_(use_regex),
        pattern_(Pattern::FromRegex(kGpt2Pattern).value()) {}
  void Apply(PieceList& list) const override {
    if (add_prefix_space_) {
      list.Rewrite([](std::string_view text, std::string& out) {
        if (text.empty() || text[0] != ' ') out.push_back(' ');
        out.append(text);
      });
    }
    if (use_regex_) list.Split(PatternMatcher(pattern_), SplitBehavior::kIsolated);
    if (map_bytes_) {
      list.Rewrite([](std::string_view text, std::string& out) { AppendByteLevel(out, text); });
    }
  }
  bool EndsWithByteMapping() const override { return map_bytes_; }
  void SkipFinalByteMapping() override { map_bytes_ = false; }

 private:
  bool add_prefix_space_, use_regex_;
  bool map_bytes_ = true;
  Pattern pattern_;
};

class RegexSplit : public PreTokenizer {
 public:
  RegexSplit(Pattern pattern, SplitBehavior behavior, bool invert)
      : pattern_(std::move(pattern)), behavior_(behavior), invert_(invert) {}
  void Apply(PieceList& list) const override {
    list.Split(PatternMatcher(pattern_), behavior_, invert_);
  }

 private:
  Pattern pattern_;
  SplitBehavior behavior_;
  bool invert_;
};

class Metaspace : public PreTokenizer {
 public:
  enum class Prepend { kAlways, kFirst, kNever };
  Metaspace(std::string replacement, Prepend prepend, bool split)
      : replacement_(std::move(replacement)),
        prepend_(prepend),
        split_(split),
        pattern_(Pattern::Literal(replacement_)) {}
  void Apply(PieceList& list) const override {
    for (Piece& p : list.pieces) {
      if (p.added_id >= 0) continue;
      std::string out;
      for (char c : list.Text(p)) {
        if (c == ' ') {
          out += replacement_;
        } else {
          out.push_back(c);
        }
      }
      if (prepend_ != Prepend::kNever && !out.starts_with(replacement_) &&
          (prepend_ == Prepend::kAlways || p.at_start)) {
        out.insert(0, replacement_);
      }
      p.begin = static_cast<uint32_t>(list.buffer.size());
      list.buffer += out;
      p.end = static_cast<uint32_t>(list.buffer.size());
    }
    if (split_) list.Split(PatternMatcher(pattern_), SplitBehavior::kMergedWithNext);
  }

 private:
  std::string replacement_;
  Prepend prepend_;
  bool split_;
  Pattern pattern_;
};

// Pre-tokenizers that split on a character class.
template <typename Pred>
class CharSplit : public PreTokenizer {
 public:
  CharSplit(Pred pred, SplitBehavior behavior) : pred_(pred), behavior_(behavior) {}
  void Apply(PieceList& list) const override { list.Split(CharMatcher(pred_), behavior_); }

 private:
  Pred pred_;
  SplitBehavior behavior_;
};

template <typename Pred>
std::unique_ptr<PreTokenizer> MakeCharSplit(Pred pred, SplitBehavior behavior) {
  return std::make_unique<CharSplit<Pred>>(pred, behavior);
}

bool IsBertPunctuation(char32_t c) {
  return IsAsciiPunctuation(c) || IsPunctuation(c);
}

class BertPreTokenizer : public PreTokenizer {
 public:
  void Apply(PieceList& list) const override {
    list.Split(CharMatcher(IsWhitespace), SplitBehavior::kRemoved);
    list.Split(CharMatcher(IsBertPunctuation), SplitBehavior::kIsolated);
  }
};

class Sequence : public PreTokenizer {
 public:
  explicit Sequence(std::vector<std::unique_ptr<PreTokenizer>> steps) : steps_(std::move(steps)) {}
  void Apply(PieceList& list) const override {
    for (const auto& step : steps_)
      step->Apply(list);
  }
  bool EndsWithByteMapping() const override {
    return !steps_.empty() && steps_.back()->EndsWithByteMapping();
  }
  void SkipFinalByteMapping() override {
    if (!steps_.empty()) steps_.back()->SkipFinalByteMapping();
  }

 private:
  std::vector<std::unique_ptr<PreTokenizer>> steps_;
};

Expected<SplitBehavior> ReadBehavior(json::Object o, const std::string& path,
                                     SplitBehavior fallback) {
  auto name = json::OptString(o, "behavior", path);
  if (!name) return std::unexpected(name.error());
  if (!*name) return fallback;
  std::string_view b = **name;
  if (b == "Removed") return SplitBehavior::kRemoved;
  if (b == "Isolated") return SplitBehavior::kIsolated;
  if (b == "MergedWithPrevious") return SplitBehavior::kMergedWithPrevious;
  if (b == "MergedWithNext") return SplitBehavior::kMergedWithNext;
  if (b == "Contiguous") return SplitBehavior::kContiguous;
  return MakeError("{}.behavior: unknown split behavior '{}'", path, b);
}

}  // namespace

Expected<std::unique_ptr<PreTokenizer>> MakePreTokenizer(json::Element spec,
                                                         const std::string& path) {
  auto o = json::AsObject(spec, path);
  if (!o) return std::unexpected(o.error());
  auto type = json::String(*o, "type", path);
  if (!type) return std::unexpected(type.error());
  const std::string_view t = *type;
  auto flag = [&](std::string_view key, bool fallback) {
    return json::Bool(*o, key, fallback, path);
  };
  if (t == "ByteLevel") {
    auto prefix = flag("add_prefix_space", true);
    if (!prefix) return std::unexpected(prefix.error());
    auto regex = flag("use_regex", true);
    if (!regex) return std::unexpected(regex.error());
    return std::make_unique<ByteLevel>(*prefix, *regex);
  }
  if (t == "Split") {
    auto pattern_spec = json::Require(*o, "pattern", path);
    if (!pattern_spec) return std::unexpected(pattern_spec.error());
    auto pattern = Pattern::Read(*pattern_spec, json::Child(path, "pattern"));
    if (!pattern) return std::unexpected(pattern.error());
    auto behavior = ReadBehavior(*o, path, SplitBehavior::kRemoved);
    if (!behavior) return std::unexpected(behavior.error());
    auto invert = flag("invert", false);
    if (!invert) return std::unexpected(invert.error());
    return std::make_unique<RegexSplit>(std::move(*pattern), *behavior, *invert);
  }
  if (t == "Metaspace") {
    auto replacement = json::OptString(*o, "replacement", path);
    if (!replacement) return std::unexpected(replacement.error());
    auto scheme = json::OptString(*o, "prepend_scheme", path);
    if (!scheme) return std::unexpected(scheme.error());
    auto legacy_prefix = flag("add_prefix_space", true);
    if (!legacy_prefix) return std::unexpected(legacy_prefix.error());
    auto split = flag("split", true);
    if (!split) return std::unexpected(split.error());
    Metaspace::Prepend prepend =
        *legacy_prefix ? Metaspace::Prepend::kAlways : Metaspace::Prepend::kNever;
    if (*scheme) {
      if (**scheme == "always") {
        prepend = Metaspace::Prepend::kAlways;
      } else if (**scheme == "first") {
        prepend = Metaspace::Prepend::kFirst;
      } else if (**scheme == "never") {
        prepend = Metaspace::Prepend::kNever;
      } else {
        return MakeError("{}.prepend_scheme: expected always, first or never, found '{}'", path,
                         **scheme);
      }
    }
    return std::make_unique<Metaspace>(std::string(replacement->value_or("\u2581")), prepend,
                                       *split);
  }
  if (t == "Whitespace") {
    auto pattern = Pattern::FromRegex(kWhitespacePattern);
    if (!pattern) return std::unexpected(pattern.error());
    return std::make_unique<RegexSplit>(std::move(*pattern), SplitBehavior::kRemoved, true);
  }
  if (t == "WhitespaceSplit") return MakeCharSplit(IsWhitespace, SplitBehavior::kRemoved);
  if (t == "BertPreTokenizer") return std::make_unique<BertPreTokenizer>();
  if (t == "Punctuation") {
    auto behavior = ReadBehavior(*o, path, SplitBehavior::kIsolated);
    if (!behavior) return std::unexpected(behavior.error());
    return MakeCharSplit(IsBertPunctuation, *behavior);
  }
  if (t == "Digits") {
    auto individual = flag("individual_digits", false);
    if (!individual) return std::unexpected(individual.error());
    return MakeCharSplit(IsDigit,
                         *individual ? SplitBehavior::kIsolated : SplitBehavior::kContiguous);
  }
  if (t == "CharDelimiterSplit") {
    auto delimiter = json::String(*o, "delimiter", path);
    if (!delimiter) return std::unexpected(delimiter.error());
    return std::make_unique<RegexSplit>(Pattern::Literal(std::string(*delimiter)),
                                        SplitBehavior::kRemoved, false);
  }
  if (t == "Sequence") {
    auto steps = json::MapArray(*o, "pretokenizers", path, MakePreTokenizer);
    if (!steps) return std::unexpected(steps.error());
    return std::make_unique<Sequence>(std::move(*steps));
  }
  return MakeError("{}.type: unsupported pre-tokenizer '{}'", path, t);
}

}  // namespace servebench::tokenizer

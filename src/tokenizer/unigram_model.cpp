// Unigram (SentencePiece's model): the segmentation of highest total log-probability (Viterbi over
// the pieces that start at each character); runs of unknown characters become one unknown token.
#include <algorithm>
#include <limits>

#include "tokenizer/model.h"
#include "tokenizer/string_id_map.h"
#include "tokenizer/unicode.h"

namespace servebench::tokenizer {

namespace {

constexpr double kUnknownPenalty = 10.0;

class UnigramModel : public Model {
 public:
  Status Load(json::Object spec, const std::string& path);

  void Tokenize(std::string_view word, std::vector<int32_t>& ids) const override;
  std::optional<int32_t> TokenToId(std::string_view token) const override {
    int32_t id = ids_.Find(token);
    return id < 0 ? std::nullopt : std::optional<int32_t>(id);
  }
  std::optional<std::string_view> IdToToken(int32_t id) const override {
    if (id < 0 || static_cast<size_t>(id) >= pieces_.size()) return std::nullopt;
    return pieces_[id];
  }
  size_t VocabSize() const override { return pieces_.size(); }

 private:
  std::vector<std::string> pieces_;
  std::vector<double> scores_;
  StringIdMap ids_;
  size_t max_piece_bytes_ = 0;
  double min_score_ = 0;
  int32_t unk_id_ = -1;
  bool byte_fallback_ = false;
};

Status UnigramModel::Load(json::Object spec, const std::string& path) {
  std::string vocab_path = json::Child(path, "vocab");
  auto vocab_spec = json::Require(spec, "vocab", path);
  if (!vocab_spec) return std::unexpected(vocab_spec.error());
  auto vocab = json::AsArray(*vocab_spec, vocab_path);
  if (!vocab) return std::unexpected(vocab.error());
  ids_.Reserve(vocab->size());
  min_score_ = std::numeric_limits<double>::infinity();
  for (json::Element entry : *vocab) {
    std::string entry_path = json::Index(vocab_path, pieces_.size());
    json::Array pair;
    std::string_view piece;
    if (entry.get_array().get(pair) || pair.size() != 2 || pair.at(0).get_string().get(piece)) {
      return MakeError("{}: expected [piece, score]", entry_path);
    }
    auto score = json::AsNumber(pair.at(1).value_unsafe(), json::Index(entry_path, 1));
    if (!score) return std::unexpected(score.error());
    ids_.Insert(piece, static_cast<int32_t>(pieces_.size()));
    pieces_.emplace_back(piece);
    scores_.push_back(*score);
    max_piece_bytes_ = std::max(max_piece_bytes_, piece.size());
    min_score_ = std::min(min_score_, *score);
  }
  auto unk = json::Int(spec, "unk_id", -1, path);
  if (!unk) return std::unexpected(unk.error());
  if (*unk >= static_cast<int64_t>(pieces_.size())) {
    return MakeError("{}.unk_id: {} is not an id of the vocabulary", path, *unk);
  }
  unk_id_ = static_cast<int32_t>(*unk);
  auto fallback = json::Bool(spec, "byte_fallback", false, path);
  if (!fallback) return std::unexpected(fallback.error());
  byte_fallback_ = *fallback;
  return Ok();
}

void UnigramModel::Tokenize(std::string_view word, std::vector<int32_t>& ids) const {
  struct Node {
    int32_t id = -1;
    double score = 0;
    int64_t starts_at = -1;  // -1: no path ends here yet
  };
  thread_local std::vector<Node> best;
  best.assign(word.size() + 1, Node{});
  best[0].starts_at = 0;
  const double unknown_score = min_score_ - kUnknownPenalty;
  size_t start = 0;
  while (start < word.size()) {
    double here = best[start].score;
    size_t char_len =
        std::min(Utf8Length(static_cast<unsigned char>(word[start])), word.size() - start);
    bool single_char_piece = false;
    size_t limit = std::min(max_piece_bytes_, word.size() - start);
    for (size_t len = char_len; len <= limit;) {
      int32_t id = ids_.Find(word.substr(start, len));
      if (id >= 0) {
        Node& target = best[start + len];
        double candidate = scores_[id] + here;
        if (target.starts_at < 0 || candidate > target.score) {
          target = Node{id, candidate, static_cast<int64_t>(start)};
        }
        if (len == char_len) single_char_piece = true;
      }
      if (start + len >= word.size()) break;
      len += Utf8Length(static_cast<unsigned char>(word[start + len]));
    }
    if (!single_char_piece) {
      Node& target = best[start + char_len];
      double candidate = unknown_score + here;
      if (target.starts_at < 0 || candidate > target.score) {
        target = Node{unk_id_, candidate, static_cast<int64_t>(start)};
      }
    }
    start += char_len;
  }
  // Walk back from the end; adjacent unknown pieces fuse into one.
  thread_local std::vector<std::pair<size_t, size_t>> spans;  // [begin, end) of each token
  thread_local std::vector<bool> unknown;
  spans.clear();
  unknown.clear();
  size_t end = word.size();
  while (end > 0) {
    const Node& node = best[end];
    auto begin = static_cast<size_t>(node.starts_at);
    bool is_unknown = node.id == unk_id_;
    if (is_unknown && !unknown.empty() && unknown.back()) {
      spans.back().first = begin;
    } else {
      spans.emplace_back(begin, end);
      unknown.push_back(is_unknown);
    }
    end = begin;
  }
  for (size_t k = spans.size(); k-- > 0;) {
    std::string_view piece = word.substr(spans[k].first, spans[k].second - spans[k].first);
    int32_t id = ids_.Find(piece);
    if (id >= 0) {
      ids.push_back(id);
      continue;
    }
    if (byte_fallback_) {
      bool all = true;
      size_t before = ids.size();
      for (char c : piece) {
        int32_t b = ids_.Find(fmt::format("<0x{:02X}>", static_cast<uint8_t>(c)));
        if (b < 0) {
          all = false;
          break;
        }
        ids.push_back(b);
      }
      if (all) continue;
      ids.resize(before);
    }
    if (unk_id_ >= 0) ids.push_back(unk_id_);
  }
}

}  // namespace

Expected<std::unique_ptr<Model>> MakeUnigramModel(json::Object spec, const std::string& path) {
  auto model = std::make_unique<UnigramModel>();
  if (auto s = model->Load(spec, path); !s) return std::unexpected(s.error());
  return std::unique_ptr<Model>(std::move(model));
}

}  // namespace servebench::tokenizer

// Tokenizers: text <-> token ids, giving exactly the ids HuggingFace's tokenizers library gives
// for the same tokenizer.json (or SentencePiece's for a .model file).
//
//   auto tok = tokenizer::LoadTokenizer("meta-llama/Llama-3.1-8B-Instruct");  // or a path
//   if (!tok) { print tok.error().message; }
//   std::vector<int32_t> ids = (*tok)->Encode("Hello world");
//   size_t n = (*tok)->CountTokens(" chunk");
//   std::string text = (*tok)->Decode(ids);
//
// A Tokenizer is immutable after loading: every method may be called from many threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace servebench::tokenizer {

// Ids of the well-known special tokens (from tokenizer_config.json), when the tokenizer has them.
struct SpecialTokenIds {
  std::optional<int32_t> bos;
  std::optional<int32_t> eos;
  std::optional<int32_t> pad;
  std::optional<int32_t> unk;
};

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;

  // Appends the ids of `text` to `ids`. With add_special_tokens the tokenizer's post-processor
  // adds its tokens (e.g. BOS). Special tokens written in the text are always recognized. Bytes
  // that are not UTF-8 are read as U+FFFD.
  virtual void EncodeInto(std::string_view text, bool add_special_tokens,
                          std::vector<int32_t>& ids) const = 0;
  std::vector<int32_t> Encode(std::string_view text, bool add_special_tokens = false) const;
  // The number of ids Encode(text) gives, without allocating: cheap for short pieces of text.
  size_t CountTokens(std::string_view text) const;

  // The text of `ids` (special tokens left out with skip_special_tokens). Unknown ids are
  // skipped.
  virtual std::string Decode(std::span<const int32_t> ids,
                             bool skip_special_tokens = false) const = 0;

  // One past the largest id (model vocabulary and added tokens).
  virtual size_t VocabSize() const = 0;
  virtual std::optional<std::string> IdToToken(int32_t id) const = 0;
  virtual std::optional<int32_t> TokenToId(std::string_view token) const = 0;
  virtual bool IsSpecial(int32_t id) const = 0;
  const SpecialTokenIds& special_ids() const { return special_ids_; }

 protected:
  SpecialTokenIds special_ids_;
};

// Loads a tokenizer from `name_or_path`: a tokenizer.json or SentencePiece .model file, a model
// directory holding one of them, or a HuggingFace hub id ("org/name", optionally "@revision")
// found in the HF cache or downloaded into it (see hub.h).
Expected<std::unique_ptr<Tokenizer>> LoadTokenizer(std::string_view name_or_path);

// Encodes every text, spreading them over `threads` threads (0: the hardware's count). The
// result is in the order of `texts`.
std::vector<std::vector<int32_t>> EncodeBatch(const Tokenizer& tokenizer,
                                              std::span<const std::string> texts,
                                              bool add_special_tokens, unsigned threads = 0);

}  // namespace servebench::tokenizer

#include "tokenizer/tokenizer.h"

#include <atomic>
#include <filesystem>
#include <thread>

#include "tokenizer/hf_tokenizer.h"
#include "tokenizer/hub.h"
#include "tokenizer/sentencepiece_tokenizer.h"

namespace servebench::tokenizer {

std::vector<int32_t> Tokenizer::Encode(std::string_view text, bool add_special_tokens) const {
  std::vector<int32_t> ids;
  EncodeInto(text, add_special_tokens, ids);
  return ids;
}

size_t Tokenizer::CountTokens(std::string_view text) const {
  thread_local std::vector<int32_t> ids;
  ids.clear();
  EncodeInto(text, false, ids);
  return ids.size();
}

namespace {

Expected<std::unique_ptr<Tokenizer>> LoadFile(const std::filesystem::path& file) {
  if (file.extension() == ".model") return LoadSentencePieceTokenizer(file.string());
  return LoadHfTokenizer(file.string());
}

Expected<std::unique_ptr<Tokenizer>> LoadDirectory(const std::filesystem::path& dir) {
  std::error_code ec;
  for (const char* name : {"tokenizer.json", "tokenizer.model"}) {
    if (std::filesystem::is_regular_file(dir / name, ec)) return LoadFile(dir / name);
  }
  return MakeError("{}: no tokenizer.json or tokenizer.model in this directory", dir.string());
}

}  // namespace

Expected<std::unique_ptr<Tokenizer>> LoadTokenizer(std::string_view name_or_path) {
  std::filesystem::path path(name_or_path);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return LoadDirectory(path);
  if (std::filesystem::exists(path, ec)) return LoadFile(path);
  if (!LooksLikeHubId(name_or_path)) {
    return MakeError("{}: no such file or directory", name_or_path);
  }
  auto dir = ResolveHubTokenizer(name_or_path, HubSettings::FromEnvironment());
  if (!dir) return std::unexpected(dir.error());
  return LoadDirectory(*dir);
}

std::vector<std::vector<int32_t>> EncodeBatch(const Tokenizer& tokenizer,
                                              std::span<const std::string> texts,
                                              bool add_special_tokens, unsigned threads) {
  std::vector<std::vector<int32_t>> result(texts.size());
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, texts.size()));
  // Threads take small blocks of texts in turn, so a few long texts do not leave others idle.
  constexpr size_t kBlock = 64;
  std::atomic<size_t> next{0};
  auto work = [&]() {
    while (true) {
      size_t begin = next.fetch_add(kBlock, std::memory_order_relaxed);
      if (begin >= texts.size()) return;
      size_t end = std::min(begin + kBlock, texts.size());
      for (size_t i = begin; i < end; ++i) {
        tokenizer.EncodeInto(texts[i], add_special_tokens, result[i]);
      }
    }
  };
  if (threads <= 1) {
    work();
    return result;
  }
  {
    std::vector<std::jthread> pool;
    for (unsigned t = 0; t < threads; ++t)
      pool.emplace_back(work);
  }  // joins every thread
  return result;
}

}  // namespace servebench::tokenizer

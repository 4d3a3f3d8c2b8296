#include "tokenizer/word_cache.h"

#include <array>
#include <atomic>
#include <cstring>
#include <memory>

#include "tokenizer/string_id_map.h"

namespace servebench::tokenizer {

uint64_t WordCache::NewOwnerId() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

WordCache& WordCache::ForThread(uint64_t owner) {
  // A thread usually serves one tokenizer; a few slots cover the rest without unbounded growth.
  struct Entry {
    uint64_t owner = 0;
    std::unique_ptr<WordCache> cache;
  };
  thread_local std::array<Entry, 4> entries;
  thread_local size_t next_victim = 0;
  for (Entry& e : entries) {
    if (e.owner == owner) return *e.cache;
  }
  Entry& e = entries[next_victim];
  next_victim = (next_victim + 1) % entries.size();
  if (!e.cache) e.cache = std::make_unique<WordCache>();
  e.cache->Clear();
  e.owner = owner;
  return *e.cache;
}

void WordCache::Clear() {
  slots_.assign(kSlots, Slot{0, 0, 0, 0, 0});
  keys_.clear();
  ids_.clear();
  size_ = 0;
}

std::span<const int32_t> WordCache::Find(std::string_view word, bool* found) const {
  *found = false;
  if (word.empty() || word.size() > kMaxWordBytes || slots_.empty()) return {};
  uint64_t h = HashBytes(word);
  auto low = static_cast<uint32_t>(h >> 32);
  size_t i = h & (kSlots - 1);
  while (slots_[i].key_length != 0) {
    const Slot& s = slots_[i];
    if (s.hash_low == low && s.key_length == word.size() &&
        std::memcmp(keys_.data() + s.key_offset, word.data(), word.size()) == 0) {
      *found = true;
      return std::span<const int32_t>(ids_.data() + s.ids_offset, s.ids_length);
    }
    i = (i + 1) & (kSlots - 1);
  }
  return {};
}

void WordCache::Insert(std::string_view word, std::span<const int32_t> ids) {
  if (word.empty() || word.size() > kMaxWordBytes || ids.size() > 0xFFFF) return;
  if (slots_.empty() || size_ >= kMaxEntries) Clear();
  uint64_t h = HashBytes(word);
  auto low = static_cast<uint32_t>(h >> 32);
  size_t i = h & (kSlots - 1);
  while (slots_[i].key_length != 0)
    i = (i + 1) & (kSlots - 1);
  slots_[i] = Slot{low, static_cast<uint32_t>(keys_.size()), static_cast<uint32_t>(ids_.size()),
                   static_cast<uint16_t>(word.size()), static_cast<uint16_t>(ids.size())};
  keys_.append(word);
  ids_.insert(ids_.end(), ids.begin(), ids.end());
  ++size_;
}

}  // namespace servebench::tokenizer

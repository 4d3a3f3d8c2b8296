#include "tokenizer/word_cache.h"

#include <algorithm>
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

WordCache& WordCache::ForThread(uint64_t owner, size_t slots) {
  // A thread usually serves one tokenizer; a few slots cover the rest without unbounded growth.
  struct Entry {
    uint64_t owner = 0;
    std::unique_ptr<WordCache> cache;
  };
  thread_local std::array<Entry, 8> entries;
  thread_local size_t next_victim = 0;
  for (Entry& e : entries) {
    if (e.owner == owner) return *e.cache;
  }
  Entry& e = entries[next_victim];
  next_victim = (next_victim + 1) % entries.size();
  if (!e.cache) e.cache = std::make_unique<WordCache>();
  e.cache->slot_count_ = slots;
  e.cache->Clear();
  e.owner = owner;
  return *e.cache;
}

void WordCache::Clear() {
  slots_.assign(slot_count_, Slot{});
  keys_.clear();
  ids_.clear();
  size_ = 0;
}

std::span<const int32_t> WordCache::Find(std::string_view word, bool* found) const {
  *found = false;
  if (word.empty() || word.size() > kMaxWordBytes || slots_.empty()) return {};
  uint64_t h = HashBytes(word);
  auto low = static_cast<uint32_t>(h >> 32);
  size_t i = h & (slot_count_ - 1);
  while (slots_[i].key_length != 0) {
    const Slot& s = slots_[i];
    if (s.hash_low == low && s.key_length == word.size()) {
      const char* key = word.size() <= kInlineKey ? s.key : keys_.data() + s.key_offset;
      if (std::memcmp(key, word.data(), word.size()) == 0) {
        *found = true;
        const int32_t* ids = s.ids_length <= kInlineIds ? s.ids : ids_.data() + s.ids[0];
        return std::span<const int32_t>(ids, s.ids_length);
      }
    }
    i = (i + 1) & (slot_count_ - 1);
  }
  return {};
}

void WordCache::Insert(std::string_view word, std::span<const int32_t> ids) {
  if (word.empty() || word.size() > kMaxWordBytes || ids.size() > kMaxIds) return;
  if (slots_.empty() || size_ >= slot_count_ / 2) Clear();
  uint64_t h = HashBytes(word);
  size_t i = h & (slot_count_ - 1);
  while (slots_[i].key_length != 0)
    i = (i + 1) & (slot_count_ - 1);
  Slot& s = slots_[i];
  s.hash_low = static_cast<uint32_t>(h >> 32);
  s.key_length = static_cast<uint8_t>(word.size());
  s.ids_length = static_cast<uint8_t>(ids.size());
  if (word.size() <= kInlineKey) {
    std::memcpy(s.key, word.data(), word.size());
  } else {
    s.key_offset = static_cast<uint32_t>(keys_.size());
    keys_.append(word);
  }
  if (ids.size() <= kInlineIds) {
    std::copy(ids.begin(), ids.end(), s.ids);
  } else {
    s.ids[0] = static_cast<int32_t>(ids_.size());
    ids_.insert(ids_.end(), ids.begin(), ids.end());
  }
  ++size_;
}

}  // namespace servebench::tokenizer

// Memo of word -> ids for a model, one per thread (no locks; batch encoding threads each warm
// their own). Bounded: when full it starts over, which is cheap and keeps memory flat.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace servebench::tokenizer {

class WordCache {
 public:
  static constexpr size_t kMaxWordBytes = 128;

  // The calling thread's cache for the model whose unique id is `owner`.
  static WordCache& ForThread(uint64_t owner);
  // A fresh unique id for a model.
  static uint64_t NewOwnerId();

  // The cached ids of `word`, or an empty span with *found false.
  std::span<const int32_t> Find(std::string_view word, bool* found) const;
  void Insert(std::string_view word, std::span<const int32_t> ids);

 private:
  struct Slot {
    uint32_t hash_low;
    uint32_t key_offset;
    uint32_t ids_offset;
    uint16_t key_length;  // 0: empty slot (empty words are never cached)
    uint16_t ids_length;
  };
  void Clear();

  static constexpr size_t kSlots = 1 << 16;
  static constexpr size_t kMaxEntries = kSlots / 2;
  std::vector<Slot> slots_;
  std::string keys_;
  std::vector<int32_t> ids_;
  size_t size_ = 0;
};

}  // namespace servebench::tokenizer

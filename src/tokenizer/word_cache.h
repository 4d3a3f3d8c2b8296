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
  static constexpr size_t kMaxIds = 255;

  // The calling thread's cache for the owner (a model or tokenizer) with this unique id, with
  // room for about slots / 2 words. A thread keeps a few owners' caches; asking for another
  // evicts one, so do not hold a reference across calls that may use other caches.
  static WordCache& ForThread(uint64_t owner, size_t slots = kDefaultSlots);
  // A fresh unique id for a model.
  static uint64_t NewOwnerId();

  // The cached ids of `word`, or an empty span with *found false.
  std::span<const int32_t> Find(std::string_view word, bool* found) const;
  void Insert(std::string_view word, std::span<const int32_t> ids);

 private:
  // One cache line or so: short words and their ids (most words are one or two tokens) sit in
  // the slot itself, so a hit touches no other memory.
  struct Slot {
    uint32_t hash_low;
    uint8_t key_length;  // 0: empty slot (empty words are never cached)
    uint8_t ids_length;
    uint32_t key_offset;  // into keys_ when key_length > kInlineKey
    int32_t ids[2];       // inline when ids_length <= 2, else ids[0] is an offset into ids_
    char key[16];
  };
  static constexpr size_t kInlineKey = sizeof(Slot::key);
  static constexpr size_t kInlineIds = 2;

  void Clear();

  static constexpr size_t kDefaultSlots = 1 << 18;
  size_t slot_count_ = kDefaultSlots;  // a power of two
  std::vector<Slot> slots_;
  std::string keys_;
  std::vector<int32_t> ids_;
  size_t size_ = 0;
};

}  // namespace servebench::tokenizer

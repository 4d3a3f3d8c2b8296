// A compact hash map from token text to id: one arena for the keys, one flat open-addressing
// table, no allocation per lookup. Vocabularies have up to a few hundred thousand entries and are
// probed for every symbol of every word, so this is on the hot path.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace servebench::tokenizer {

inline uint64_t HashBytes(std::string_view s) {
  // 8 bytes at a time with a multiply-xorshift mix: fast for the short keys tokens are.
  uint64_t h = 0x9E3779B97F4A7C15ull ^ (s.size() * 0xC2B2AE3D27D4EB4Full);
  const char* p = s.data();
  size_t n = s.size();
  while (n >= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    h = (h ^ v) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t v = 0;
    std::memcpy(&v, p, n);
    h = (h ^ v) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
  }
  h *= 0xC4CEB9FE1A85EC53ull;
  return h ^ (h >> 29);
}

class StringIdMap {
 public:
  static constexpr int32_t kMissing = -1;

  void Reserve(size_t n);
  // Sets key -> id (a later insert of the same key replaces the id, as a JSON map would).
  void Insert(std::string_view key, int32_t id);
  int32_t Find(std::string_view key) const;
  size_t size() const { return size_; }

 private:
  struct Slot {
    uint32_t hash_low;
    uint32_t offset;
    uint32_t length;
    int32_t id;  // kMissing: empty slot
  };
  void Grow();

  std::string arena_;
  std::vector<Slot> slots_;
  size_t size_ = 0;
};

}  // namespace servebench::tokenizer

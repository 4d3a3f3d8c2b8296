#include "tokenizer/string_id_map.h"

namespace servebench::tokenizer {

void StringIdMap::Reserve(size_t n) {
  size_t want = 16;
  while (want < n * 2)
    want *= 2;
  if (want <= slots_.size()) return;
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(want, Slot{0, 0, 0, kMissing});
  size_t mask = want - 1;
  for (const Slot& s : old) {
    if (s.id == kMissing) continue;
    size_t i = HashBytes(std::string_view(arena_).substr(s.offset, s.length)) & mask;
    while (slots_[i].id != kMissing)
      i = (i + 1) & mask;
    slots_[i] = s;
  }
}

void StringIdMap::Grow() {
  Reserve(slots_.empty() ? 8 : slots_.size());
}

void StringIdMap::Insert(std::string_view key, int32_t id) {
  if ((size_ + 1) * 2 > slots_.size()) Grow();
  uint64_t h = HashBytes(key);
  size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  auto low = static_cast<uint32_t>(h >> 32);
  while (slots_[i].id != kMissing) {
    const Slot& s = slots_[i];
    if (s.hash_low == low && std::string_view(arena_).substr(s.offset, s.length) == key) {
      slots_[i].id = id;
      return;
    }
    i = (i + 1) & mask;
  }
  slots_[i] =
      Slot{low, static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(key.size()), id};
  arena_.append(key);
  ++size_;
}

int32_t StringIdMap::Find(std::string_view key) const {
  if (slots_.empty()) return kMissing;
  uint64_t h = HashBytes(key);
  size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  auto low = static_cast<uint32_t>(h >> 32);
  const char* arena = arena_.data();
  while (true) {
    const Slot& s = slots_[i];
    if (s.id == kMissing) return kMissing;
    if (s.hash_low == low && s.length == key.size() &&
        std::memcmp(arena + s.offset, key.data(), key.size()) == 0) {
      return s.id;
    }
    i = (i + 1) & mask;
  }
}

}  // namespace servebench::tokenizer

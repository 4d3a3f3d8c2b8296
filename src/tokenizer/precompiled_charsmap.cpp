#include "tokenizer/precompiled_charsmap.h"

#include <cstring>

#include <utf8proc.h>

#include "common/base64.h"
#include "tokenizer/unicode.h"

namespace servebench::tokenizer {

Expected<PrecompiledCharsmap> PrecompiledCharsmap::FromBase64(std::string_view base64) {
  auto blob = Base64Decode(base64);
  if (!blob) return std::unexpected(blob.error());
  return FromBlob(*blob);
}

Expected<PrecompiledCharsmap> PrecompiledCharsmap::FromBlob(std::string_view blob) {
  if (blob.size() < 4) return MakeError("charsmap of {} bytes is too short", blob.size());
  uint32_t trie_size;
  std::memcpy(&trie_size, blob.data(), 4);
  if (trie_size % 4 != 0 || trie_size > blob.size() - 4) {
    return MakeError("charsmap trie size {} does not fit its {} bytes", trie_size, blob.size());
  }
  PrecompiledCharsmap map;
  map.units_.resize(trie_size / 4);
  std::memcpy(map.units_.data(), blob.data() + 4, trie_size);
  map.normalized_.assign(blob.substr(4 + trie_size));
  return map;
}

bool PrecompiledCharsmap::Lookup(std::string_view chunk, std::string_view* replacement) const {
  // Darts: each unit packs a label, an offset to its children and a has-leaf bit.
  auto offset = [](uint32_t u) { return (u >> 10) << ((u & (1u << 9)) >> 6); };
  auto label = [](uint32_t u) { return u & ((1u << 31) | 0xFF); };
  auto has_leaf = [](uint32_t u) { return ((u >> 8) & 1) == 1; };
  if (units_.empty()) return false;
  size_t pos = offset(units_[0]);
  for (size_t i = 0; i < chunk.size(); ++i) {
    auto c = static_cast<unsigned char>(chunk[i]);
    if (c == 0) return false;
    pos ^= c;
    if (pos >= units_.size()) return false;
    uint32_t u = units_[pos];
    if (label(u) != c) return false;
    pos ^= offset(u);
    if (i + 1 == chunk.size() && has_leaf(u)) {
      if (pos >= units_.size()) return false;
      size_t value = units_[pos] & ((1u << 31) - 1);
      if (value >= normalized_.size()) return false;
      std::string_view rest = std::string_view(normalized_).substr(value);
      *replacement = rest.substr(0, rest.find('\0'));
      return true;
    }
  }
  return false;
}

std::string PrecompiledCharsmap::Normalize(std::string_view text) const {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  utf8proc_int32_t state = 0;
  while (i < text.size()) {
    // One grapheme cluster: [i, end).
    size_t len;
    char32_t prev = DecodeUtf8(text, i, &len);
    size_t end = i + len;
    while (end < text.size()) {
      size_t next_len;
      char32_t next = DecodeUtf8(text, end, &next_len);
      if (utf8proc_grapheme_break_stateful(static_cast<utf8proc_int32_t>(prev),
                                           static_cast<utf8proc_int32_t>(next), &state)) {
        break;
      }
      prev = next;
      end += next_len;
    }
    state = 0;
    std::string_view grapheme = text.substr(i, end - i);
    std::string_view replacement;
    if (grapheme.size() < 6 && Lookup(grapheme, &replacement)) {
      out.append(replacement);
    } else {
      for (size_t k = 0; k < grapheme.size(); k += len) {
        DecodeUtf8(grapheme, k, &len);
        std::string_view ch = grapheme.substr(k, len);
        out.append(Lookup(ch, &replacement) ? replacement : ch);
      }
    }
    i = end;
  }
  return out;
}

}  // namespace servebench::tokenizer

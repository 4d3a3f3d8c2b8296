#include "tokenizer/vocab.h"

namespace servebench::tokenizer {

Expected<Vocab> ReadVocabObject(json::Element spec, const std::string& path) {
  auto o = json::AsObject(spec, path);
  if (!o) return std::unexpected(o.error());
  Vocab vocab;
  vocab.ids.Reserve(o->size());
  for (auto [key, value] : *o) {
    int64_t id;
    if (value.get_int64().get(id) || id < 0 || id > INT32_MAX) {
      return MakeError("{}[\"{}\"]: expected a non-negative integer id", path, key);
    }
    if (static_cast<size_t>(id) >= vocab.tokens.size()) vocab.tokens.resize(id + 1);
    vocab.tokens[id] = std::string(key);
    vocab.ids.Insert(key, static_cast<int32_t>(id));
  }
  return vocab;
}

}  // namespace servebench::tokenizer

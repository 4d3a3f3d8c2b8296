#include "tokenizer/model.h"

namespace servebench::tokenizer {

Expected<std::unique_ptr<Model>> MakeUnigramModel(json::Object, const std::string& path) {
  return MakeError("{}.type: the Unigram model is not supported yet", path);
}

}  // namespace servebench::tokenizer

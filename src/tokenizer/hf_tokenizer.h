// The tokenizer of a HuggingFace tokenizer.json: added tokens, normalizer, pre-tokenizer, model,
// post-processor and decoder, as the file describes them.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "tokenizer/tokenizer.h"

namespace servebench::tokenizer {

// Loads `path` (a tokenizer.json); a tokenizer_config.json beside it, if any, names the special
// tokens. Errors name the file and the field.
Expected<std::unique_ptr<Tokenizer>> LoadHfTokenizer(const std::string& path);
// The same from the file's contents (`name` is used in error messages).
Expected<std::unique_ptr<Tokenizer>> ParseHfTokenizer(std::string_view json,
                                                      const std::string& name);

// Fills the special token ids from a tokenizer_config.json (bos_token, eos_token, pad_token,
// unk_token as strings or {"content": ...}); tokens it cannot resolve are left empty.
Status ReadSpecialTokens(const std::string& config_path, const Tokenizer& tokenizer,
                         SpecialTokenIds& ids);

}  // namespace servebench::tokenizer

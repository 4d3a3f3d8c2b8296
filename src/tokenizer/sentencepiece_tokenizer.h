// A SentencePiece .model file, through libsentencepiece, behind the Tokenizer interface.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "tokenizer/tokenizer.h"

namespace servebench::tokenizer {

// With add_special_tokens, encoding adds BOS (and EOS) when the model defines them and the
// tokenizer_config.json beside the file (if any) asks for them (add_bos_token, default true;
// add_eos_token, default false), as HF's LlamaTokenizer does.
Expected<std::unique_ptr<Tokenizer>> LoadSentencePieceTokenizer(const std::string& path);

}  // namespace servebench::tokenizer

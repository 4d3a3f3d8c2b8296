// Which tokenizer a run loads when --tokenizer is not given (spec/protocols.md §7 step 2).
#pragma once

#include <string>

#include "app/run_flags.h"
#include "app/run_target.h"

namespace servebench::app {

// --tokenizer; else for sglang backends GET /model_info (404: /get_model_info) → tokenizer_path,
// else model_path; else for vllm backends /v1/models data[0].root when it differs from the id;
// else --model-path; else the model name. A server that does not answer is skipped.
std::string DiscoverTokenizerName(const RunFlags& f, const Target& target,
                                  const std::string& model);

}  // namespace servebench::app

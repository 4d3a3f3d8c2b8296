// The command line of a small `servebench run` the e2e tests share.
#pragma once

#include <string>
#include <vector>

#include "tests/support/test_files.h"

namespace servebench::testing {

// A random-ids run against `base_url` with the llama3 tokenizer fixture, its JSONL line appended
// to `jsonl`, no progress bar and 5 s for the server to answer; then `more`.
inline std::vector<std::string> SmallRunArgs(const std::string& base_url, const std::string& jsonl,
                                             const std::vector<std::string>& more = {}) {
  std::vector<std::string> args = {"run",
                                   "--base-url",
                                   base_url,
                                   "--tokenizer",
                                   TokenizerFixture(),
                                   "--dataset-name",
                                   "random-ids",
                                   "--output-file",
                                   jsonl,
                                   "--disable-tqdm",
                                   "--ready-check-timeout-sec",
                                   "5"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// SmallRunArgs with prompts of exactly 16 input and 4 output tokens, then `more`.
inline std::vector<std::string> FixedLengthRunArgs(const std::string& base_url,
                                                   const std::string& jsonl,
                                                   const std::vector<std::string>& more = {}) {
  std::vector<std::string> fixed = {"--random-input-len",   "16", "--random-output-len", "4",
                                    "--random-range-ratio", "1.0"};
  fixed.insert(fixed.end(), more.begin(), more.end());
  return SmallRunArgs(base_url, jsonl, fixed);
}

}  // namespace servebench::testing

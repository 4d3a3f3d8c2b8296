// One request's worth of workload (spec/datasets.md §1), built before the run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace servebench::dataset {

struct WorkloadRow {
  std::string prompt_text;          // the prompt as text
  std::vector<int32_t> prompt_ids;  // the prompt as ids (--tokenize-prompt), else empty
  int64_t prompt_len = 0;           // d: prompt tokens by the client tokenizer
  int64_t text_prompt_len = 0;
  int64_t vision_prompt_len = 0;
  int64_t output_len = 0;  // requested maximum output tokens
  std::optional<double> timestamp_ms;
  std::string system_prompt;
  std::string routing_key;
};

}  // namespace servebench::dataset

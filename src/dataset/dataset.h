// One entry point for every dataset (spec/datasets.md): `BuildDataset` turns the dataset flags
// (DatasetOptions), the run's tokenizer (TokenCodec) and, where a dataset needs it, the model's
// chat template (ChatRenderer) into workload rows plus a report of what was read, dropped and
// sampled.
//
// Contract for a dataset builder (one file each, e.g. sharegpt_dataset.{h,cpp}):
//   Expected<DatasetResult> BuildFoo(const DatasetOptions&, const DatasetContext&);
// - It returns at most `num_prompts` rows (or its own count, setting report.requested, e.g.
//   generated-shared-prefix), deterministically from options.seed (streams of load.md §3).
// - It counts every record it read (report.read) and every record it dropped with a short reason
//   (report.Drop("prompt_len < 2")). It never fails just because fewer rows than asked remain.
// - Bad input (file, line, flag) is an error naming it, as datasets.md §17 says.
// The dispatcher then, uniformly: refuses zero rows with the counts per reason, oversamples
// (--oversample) or warns when fewer rows than asked remain.
//
// Adding a dataset: add its enumerator to DatasetKind and its name to kDatasetNames (dataset.cpp),
// its flags to DatasetOptions, and one `case` to the switch in BuildDataset.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/compat.h"
#include "common/status.h"
#include "dataset/chat_renderer.h"
#include "dataset/lengths.h"
#include "dataset/token_codec.h"
#include "dataset/workload_row.h"

namespace servebench::dataset {

enum class DatasetKind {
  kShareGpt,
  kRandom,
  kRandomIds,
  kGeneratedSharedPrefix,
  kImage,
  kMmmu,
  kMooncake,
  kCustom,
  kOpenAi,
  kBurstGpt,
  kSonnet,
  kPrefixRepetition,
};

// --dataset-name (datasets.md §2): an unknown name is an error listing the known ones.
Expected<DatasetKind> ParseDatasetName(std::string_view name);
std::string_view DatasetName(DatasetKind kind);

// The dataset flags of spec/cli.md §1.3, parsed, plus what the datasets need to know about the
// backend. Defaults are the spec's.
struct DatasetOptions {
  DatasetKind kind = DatasetKind::kShareGpt;
  std::string path;  // --dataset-path; empty: the dataset's default source
  size_t num_prompts = 1000;
  uint64_t seed = 42;
  Compat compat = Compat::kNone;
  bool disable_shuffle = false;
  bool oversample = false;  // resolved: --oversample, or --compat vllm without --no-oversample
  bool skip_invalid_lines = false;
  std::optional<int64_t> sharegpt_output_len;
  std::optional<int64_t> sharegpt_context_len;
  std::string prompt_suffix;
  bool apply_chat_template = false;
  bool tokenize_prompt = false;

  // random / random-ids / image text lengths (--random-*, --range-semantics).
  LengthOptions lengths;
  int64_t random_prefix_len = 0;

  // generated-shared-prefix.
  int64_t gsp_num_groups = 64;
  int64_t gsp_prompts_per_group = 16;
  int64_t gsp_system_prompt_len = 2048;
  int64_t gsp_question_len = 128;
  int64_t gsp_output_len = 256;
  std::optional<double> gsp_range_ratio;  // unset: fixed lengths under either range semantics
  int64_t gsp_num_turns = 1;
  bool gsp_fast_prepare = false;
  bool gsp_send_routing_key = false;
  bool gsp_ordered = false;
  std::string gsp_group_distribution = "uniform";
  std::optional<double> gsp_zipf_alpha;

  // image.
  int64_t image_count = 1;
  bool random_image_count = false;
  std::string image_resolution = "1080p";
  std::string image_format = "jpeg";
  std::string image_content = "random";
  std::string image_url_list;
  std::optional<int64_t> vision_tokens_per_image;

  // mooncake.
  std::string mooncake_workload = "conversation";
  int64_t mooncake_num_rounds = 1;
  int64_t mooncake_block_size = 128;

  // sonnet.
  int64_t sonnet_input_len = 550;
  int64_t sonnet_output_len = 150;
  int64_t sonnet_prefix_len = 200;

  // prefix_repetition.
  int64_t prefix_repetition_prefix_len = 256;
  int64_t prefix_repetition_suffix_len = 256;
  int64_t prefix_repetition_num_prefixes = 10;
  int64_t prefix_repetition_output_len = 128;

  // Multi-turn sessions from sharegpt / custom conversations (datasets.md §15).
  bool multi_turn = false;
  std::optional<int64_t> max_turns;

  // The backend: its name (for messages), whether it sends chat messages, and whether it can
  // carry images (datasets.md §7 lists them).
  std::string backend = "sglang";
  bool chat_backend = false;
  bool image_backend = false;
};

// What a dataset read and why rows were left out; printed by --dry-run and in the warning about
// fewer usable rows than --num-prompts.
struct DropReport {
  std::string source;    // the file read (empty for synthetic datasets)
  size_t read = 0;       // records read from the source (pairs, lines, CSV rows)
  size_t examined = 0;   // records run through the filters (a walk may stop once N are accepted)
  size_t requested = 0;  // rows asked for: num_prompts, or the dataset's own count
  size_t oversampled = 0;
  size_t off_target = 0;  // prompts whose fitted text misses its length (datasets.md §2.2)
  std::vector<std::pair<std::string, size_t>> dropped;  // reason -> count, in first-seen order
  std::vector<std::string> warnings;                    // one line each, printed to stderr

  void Drop(std::string_view reason, size_t count = 1);
  size_t DroppedTotal() const;
  // "12 prompt_len < 2, 3 with fewer than 2 turns" ("none" when nothing was dropped).
  std::string DropSummary() const;
};

struct DatasetResult {
  std::vector<WorkloadRow> rows;
  DropReport report;
};

struct DatasetContext {
  const TokenCodec& codec;
  // The model's chat template; null when the tokenizer has none (datasets needing it fail).
  const ChatRenderer* renderer = nullptr;
  // False when no tokenizer was loaded on purpose (--skip-tokenizer-init): prompt counts are the
  // server's, so the absent template is no news worth a warning.
  bool client_counts = true;
};

// Builds the rows of options.kind (see the contract above).
Expected<DatasetResult> BuildDataset(const DatasetOptions& options, const DatasetContext& context);

}  // namespace servebench::dataset

#include "app/synthetic_dataset_flags.h"

#include "app/flag_names.h"

namespace servebench::app {

void AddSyntheticDatasetFlags(CLI::App& cmd, RunFlags& f) {
  dataset::DatasetOptions& d = f.synthetic_dataset;
  cmd.add_option(Names("--gsp-num-groups"), d.gsp_num_groups, "GSP system prompts (64)");
  cmd.add_option(Names("--gsp-prompts-per-group"), d.gsp_prompts_per_group,
                 "GSP requests per group (16)");
  cmd.add_option(Names("--gsp-system-prompt-len"), d.gsp_system_prompt_len,
                 "GSP system prompt tokens (2048)");
  cmd.add_option(Names("--gsp-question-len"), d.gsp_question_len, "GSP question tokens (128)");
  cmd.add_option(Names("--gsp-output-len"), d.gsp_output_len, "GSP output tokens (256)");
  cmd.add_option(Names("--gsp-range-ratio"), d.gsp_range_ratio,
                 "Range ratio of the GSP lengths (fixed lengths when absent)");
  cmd.add_option(Names("--gsp-num-turns"), d.gsp_num_turns, "GSP turns per request (1)");
  cmd.add_flag(Names("--gsp-fast-prepare"), d.gsp_fast_prepare, "Skip GSP prompt tokenization");
  cmd.add_flag(Names("--gsp-send-routing-key"), d.gsp_send_routing_key,
               "Send X-SMG-Routing-Key per GSP group");
  cmd.add_flag(Names("--gsp-ordered"), d.gsp_ordered, "Keep GSP rows in group order");
  cmd.add_option(Names("--gsp-group-distribution"), d.gsp_group_distribution,
                 "uniform or zipf (uniform)");
  cmd.add_option(Names("--gsp-zipf-alpha"), d.gsp_zipf_alpha, "Zipf exponent (required for zipf)");

  cmd.add_option(Names("--image-count"), d.image_count, "Images per request (1)");
  cmd.add_flag(Names("--random-image-count"), d.random_image_count,
               "1..--image-count images per request");
  cmd.add_option(Names("--image-resolution"), d.image_resolution,
                 "4k, 1080p, 720p, 360p, HxW (height first) or random:<h>x<w>-<h>x<w> (1080p)");
  cmd.add_option(Names("--image-format"), d.image_format, "jpeg or png (jpeg)");
  cmd.add_option(Names("--image-content"), d.image_content, "random or blank (random)");
  cmd.add_option(Names("--image-url-list"), d.image_url_list, "File of image URLs or paths");
  cmd.add_option(Names("--vision-tokens-per-image"), d.vision_tokens_per_image,
                 "Vision tokens per image for input accounting");

  cmd.add_option(Names("--mooncake-workload"), d.mooncake_workload,
                 "mooncake, conversation, synthetic or toolagent (conversation)");
  cmd.add_option(Names("--mooncake-num-rounds"), d.mooncake_num_rounds, "Rounds per session (1)");
  cmd.add_option(Names("--mooncake-block-size"), d.mooncake_block_size,
                 "'hi' words per hash id (128)");

  cmd.add_option(Names("--sonnet-input-len"), d.sonnet_input_len, "Sonnet prompt tokens (550)");
  cmd.add_option(Names("--sonnet-output-len"), d.sonnet_output_len, "Sonnet output tokens (150)");
  cmd.add_option(Names("--sonnet-prefix-len"), d.sonnet_prefix_len,
                 "Sonnet shared prefix tokens (200)");

  cmd.add_option(Names("--prefix-repetition-prefix-len"), d.prefix_repetition_prefix_len,
                 "Shared prefix tokens (256)");
  cmd.add_option(Names("--prefix-repetition-suffix-len"), d.prefix_repetition_suffix_len,
                 "Own suffix tokens (256)");
  cmd.add_option(Names("--prefix-repetition-num-prefixes"), d.prefix_repetition_num_prefixes,
                 "Distinct prefixes (10)");
  cmd.add_option(Names("--prefix-repetition-output-len"), d.prefix_repetition_output_len,
                 "Output tokens (128)");
}

}  // namespace servebench::app

// LMDeploy profile_restful_api's positional form (spec/cli.md §1.9):
// `servebench run SERVER_ADDR TOKENIZER_PATH DATASET [options]`.
#pragma once

#include <functional>
#include <string_view>

#include "app/run_flags.h"
#include "common/status.h"

namespace servebench::app {

// With three operands: SERVER_ADDR is --base-url, TOKENIZER_PATH --tokenizer, DATASET a ShareGPT
// file (--dataset-name sharegpt --dataset-path), and the form's defaults apply to every flag
// `given` says was not on the command line (backend lmdeploy, --concurrency 64, --num-prompts
// 2000, non-streaming unless --stream-output, --csv ../profile_api_server.csv, --seed 0).
// Without operands nothing changes; any other count, or an operand that repeats a flag that was
// also given, is an error naming it.
Status ApplyPositionalForm(RunFlags& f, const std::function<bool(std::string_view flag)>& given);

}  // namespace servebench::app

#include "app/result_file_flags.h"

#include "app/flag_names.h"

namespace servebench::app {

void AddResultFileFlags(CLI::App& cmd, RunFlags& f) {
  cmd.add_flag(Names("--save-result"), f.save_result, "Also write vLLM's JSON result file");
  cmd.add_flag(Names("--save-detailed"), f.save_detailed,
               "Per-request arrays in the vLLM result file");
  cmd.add_flag(Names("--append-result"), f.append_result,
               "Append to the vLLM result file (one object per line)");
  cmd.add_option(Names("--result-dir"), f.result_dir,
                 "Directory of the vLLM result file (created; default cwd)");
  cmd.add_option(Names("--result-filename"), f.result_filename,
                 "vLLM result file name (default {label}-{rate}qps-...-{date}.json)");
  cmd.add_option(Names("--label"), f.label, "Label in the vLLM result (default: the backend)");
  cmd.add_option(Names("--metadata"), f.metadata, "KEY=VALUE pairs added to the vLLM result");
  cmd.add_option(Names("--request-log"), f.request_log,
                 "JSONL file: the full record of every request sent");
}

}  // namespace servebench::app

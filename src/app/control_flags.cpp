#include "app/control_flags.h"

#include "app/flag_names.h"

namespace servebench::app {

void AddSweepAndControlFlags(CLI::App& cmd, RunFlags& f) {
  cmd.add_flag(Names("--multi"), f.multi, "Rate sweep: one measured phase per rate");
  cmd.add_option(Names("--request-rate-range"), f.request_rate_range,
                 "start,stop,step (stop exclusive) or a list (2,34,2)");
  cmd.add_option(Names("--request-rates"), f.request_rates, "Explicit rate list, inf allowed");
  cmd.add_flag(Names("--calibrate"), f.calibrate,
               "Replay the schedule against an in-process serve-sim first");
  cmd.add_option(Names("--calibrate-seconds"), f.calibrate_seconds, "Calibration length (5)");
  cmd.add_flag(Names("--flush-cache"), f.flush_cache, "Flush the prefix cache after warmup");
  cmd.add_option(Names("--flush-cache-timeout"), f.flush_cache_timeout_s,
                 "Seconds to keep trying the flush (60)");

  cmd.add_flag(Names("--profile"), f.profile, "Start/stop the server profiler");
  cmd.add_option(Names("--profile-activities"), f.profile_activities,
                 "CPU GPU (also CUDA_PROFILER, XPU, MEM)");
  cmd.add_option(Names("--profile-start-step"), f.profile_start_step, "Forwarded");
  cmd.add_option(Names("--profile-steps,--profile-num-steps"), f.profile_steps,
                 "Forwarded; the server stops by itself");
  cmd.add_flag(Names("--profile-by-stage"), f.profile_by_stage, "Forwarded");
  cmd.add_option(Names("--profile-stages"), f.profile_stages, "Forwarded");
  cmd.add_option(Names("--profile-output-dir"), f.profile_output_dir, "Forwarded (+ time)");
  cmd.add_option(Names("--profile-prefix"), f.profile_prefix, "Forwarded");
  cmd.add_flag(Names("--pd-separated"), f.pd_separated, "Profile prefill and decode workers");
  auto* prefill = cmd.add_option(Names("--profile-prefill-url"), f.profile_prefill_urls,
                                 "Prefill worker base URLs");
  auto* decode = cmd.add_option(Names("--profile-decode-url"), f.profile_decode_urls,
                                "Decode worker base URLs");
  prefill->excludes(decode);

  cmd.add_flag(Names("--stream-output"), f.stream_output,
               "Streaming (the default; needed in the positional form)");
  cmd.add_option("operands", f.positional,
                 "LMDeploy's positional form: SERVER_ADDR TOKENIZER_PATH DATASET");
}

}  // namespace servebench::app

// The server-control calls around a measured phase (spec/load.md §9, protocols.md §8): the
// prefix-cache flush after warmup and the profiler start/stop around the phase. Blocking HTTP,
// never inside the measured duration.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "app/run_context.h"
#include "app/run_flags.h"

namespace servebench::app {

// The flush URL of the backend: sglang*: /flush_cache?timeout=T; vllm*: /reset_prefix_cache;
// others /flush_cache.
std::string FlushCacheUrl(const RunFlags& f, const Prepared& p);

// POSTs the flush every second until a 200 or --flush-cache-timeout; returns whether the cache
// was flushed. A refusal until the timeout prints one warning line (the run goes on).
bool FlushCache(const RunFlags& f, const Prepared& p, const std::atomic<bool>& stop);

// The /start_profile body: sglang backends send the --profile-* settings as JSON, others nothing.
std::string ProfileStartBody(const RunFlags& f, const Prepared& p, int64_t unix_seconds);

// --profile: POST /start_profile to the base URL (or, with --pd-separated, to every
// --profile-prefill-url / --profile-decode-url). A non-200 answer is a warning line.
void StartProfiler(const RunFlags& f, const Prepared& p);

// POST /stop_profile to the same URLs, unless --profile-steps makes the server stop by itself.
void StopProfiler(const RunFlags& f, const Prepared& p);

}  // namespace servebench::app

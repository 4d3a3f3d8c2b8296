// Response heads as each family's HTTP stack writes them (header names, order, case).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/wire/wire.h"

namespace servebench::sim {

enum class HeadStyle {
  kUvicorn,  // vLLM, SGLang, LMDeploy, trtllm-serve, Truss: `date`, `server: uvicorn` first
  kHyper,    // TGI (axum on hyper)
  kTriton,   // Triton's libevhtp front end: capitalised names, no date
  kOpenai,   // api.openai.com: `date`, no server name
};

inline constexpr std::string_view kEventStreamUtf8 = "text/event-stream; charset=utf-8";
inline constexpr std::string_view kJson = "application/json";

// A whole head ending with the blank line. `chunked` selects Transfer-Encoding over
// Content-Length; `extra_headers` are whole lines added after the standard ones.
struct HeadSpec {
  int status = 200;
  std::string_view content_type = kJson;
  bool chunked = false;
  size_t content_length = 0;
  std::string_view extra_headers;
};
void AppendHttpHead(HeadStyle style, const ReplyContext& ctx, const HeadSpec& spec,
                    std::string& out);

// RFC 9110 IMF-fixdate ("Wed, 01 Jan 2025 00:00:00 GMT") of unix seconds.
void AppendHttpDate(int64_t unix_seconds, std::string& out);
// ctx.wall_time_us, or the current time when it is 0.
int64_t WallTimeMicros(const ReplyContext& ctx);

}  // namespace servebench::sim

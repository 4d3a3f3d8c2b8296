// Blocking GETs and POSTs for the control endpoints around a run (readiness probe, /v1/models,
// /info, cache flush, profiler): never on the measured path, so plain libcurl easy handles.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "client/transport.h"
#include "common/status.h"

namespace servebench::client {

struct GetResult {
  long status = 0;  // 0 when no response arrived
  std::string body;
  std::string error;  // transport error text when status is 0
};

// One GET of `url` with `header_lines` ("Name: value"), at most `timeout_ms`.
GetResult HttpGet(const std::string& url, const std::vector<std::string>& header_lines,
                  int64_t timeout_ms, const Transport& transport = {});

// One POST of `body` (the caller puts its Content-Type in `header_lines`).
GetResult HttpPost(const std::string& url, const std::vector<std::string>& header_lines,
                   const std::string& body, int64_t timeout_ms, const Transport& transport = {});

// Probes `url` once a second (each probe at most 5 s) until it answers 200 or `timeout_s`
// passes; the error names the URL and the last outcome.
Status WaitReady(const std::string& url, const std::vector<std::string>& header_lines,
                 double timeout_s, const Transport& transport = {});

}  // namespace servebench::client

// How the run reaches its server (--http2, --insecure): the same for the measured requests of the
// event loop and for the control requests around them (readiness, model lookup, /metrics), so a
// server that only a given transport reaches is reached by all of them.
#pragma once

#include <curl/curl.h>

#include <string_view>

namespace servebench::client {

struct Transport {
  bool http2 = false;     // --http2: HTTP/2 (prior knowledge on http://, ALPN on https://)
  bool insecure = false;  // --insecure: no certificate or host name checks
};

// Sets `easy`'s HTTP version for `url` and its certificate checks.
void ApplyTransport(CURL* easy, std::string_view url, const Transport& transport);

}  // namespace servebench::client

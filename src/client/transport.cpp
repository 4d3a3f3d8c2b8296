#include "client/transport.h"

namespace servebench::client {

void ApplyTransport(CURL* easy, std::string_view url, const Transport& transport) {
  // HTTP/2 on a plain connection cannot be negotiated (no ALPN): the client speaks it at once,
  // as vLLM's and SGLang's h2c servers expect.
  long version = CURL_HTTP_VERSION_1_1;
  if (transport.http2) {
    version =
        url.starts_with("https://") ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE;
  }
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, version);
  if (transport.insecure) {
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
  }
}

}  // namespace servebench::client

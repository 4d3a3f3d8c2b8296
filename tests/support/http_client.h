// A small HTTP client for tests: libcurl for ordinary requests (one or thousands at once) and raw
// POSIX sockets when the test must see the exact bytes on the wire (chunk framing, head lines).
// Every receive is stamped with CLOCK_MONOTONIC, the clock of serve-sim's --trace-out.
#pragma once

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"

namespace servebench::testing {

struct HttpResponse {
  CURLcode code = CURLE_OK;  // transport result: CURLE_OK, CURLE_RECV_ERROR, ...
  long status = 0;
  std::string headers;  // raw header block as received
  std::string body;     // decoded body (chunked framing removed by libcurl)
  struct Read {
    int64_t time_ns;
    size_t bytes;
  };
  std::vector<Read> reads;  // one entry per body delivery from libcurl

  std::string Header(std::string_view name) const {
    size_t pos = 0;
    while (pos < headers.size()) {
      size_t end = headers.find("\r\n", pos);
      if (end == std::string::npos) end = headers.size();
      std::string_view line(headers.data() + pos, end - pos);
      size_t colon = line.find(':');
      if (colon == name.size()) {
        bool same = true;
        for (size_t i = 0; i < colon; ++i) {
          if (std::tolower(static_cast<unsigned char>(line[i])) !=
              std::tolower(static_cast<unsigned char>(name[i]))) {
            same = false;
            break;
          }
        }
        if (same) {
          std::string_view value = line.substr(colon + 1);
          while (!value.empty() && value.front() == ' ')
            value.remove_prefix(1);
          return std::string(value);
        }
      }
      pos = end + 2;
    }
    return "";
  }
};

struct HttpRequest {
  std::string method = "POST";
  std::string path = "/";
  std::string body;
  std::vector<std::string> headers = {"Content-Type: application/json"};
  long timeout_ms = 20000;
};

class HttpClient {
 public:
  explicit HttpClient(int port, std::string host = "127.0.0.1")
      : port_(port), host_(std::move(host)) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
  }

  HttpResponse Send(const HttpRequest& request) const {
    std::vector<HttpResponse> responses = SendAll({request}, 1);
    return std::move(responses.front());
  }

  HttpResponse Post(const std::string& path, const std::string& body,
                    std::vector<std::string> extra_headers = {}) const {
    HttpRequest request;
    request.path = path;
    request.body = body;
    for (auto& h : extra_headers)
      request.headers.push_back(std::move(h));
    return Send(request);
  }

  HttpResponse Get(const std::string& path) const {
    HttpRequest request;
    request.method = "GET";
    request.path = path;
    return Send(request);
  }

  // Runs every request concurrently (up to `parallel` at once) on one curl multi handle.
  std::vector<HttpResponse> SendAll(const std::vector<HttpRequest>& requests,
                                    size_t parallel) const {
    std::vector<HttpResponse> responses(requests.size());
    CURLM* multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(parallel));
    std::vector<CURL*> easies(requests.size(), nullptr);
    std::vector<curl_slist*> header_lists(requests.size(), nullptr);
    size_t next = 0;
    int running = 0;
    auto add = [&](size_t i) {
      CURL* easy = curl_easy_init();
      const HttpRequest& r = requests[i];
      std::string url = "http://" + host_ + ":" + std::to_string(port_) + r.path;
      curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, r.method.c_str());
      if (r.method == "POST") {
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(r.body.size()));
        curl_easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, r.body.c_str());
      }
      curl_slist* list = nullptr;
      for (const auto& h : r.headers)
        list = curl_slist_append(list, h.c_str());
      list = curl_slist_append(list, "Expect:");
      header_lists[i] = list;
      curl_easy_setopt(easy, CURLOPT_HTTPHEADER, list);
      curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, r.timeout_ms);
      curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
      curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &OnBody);
      curl_easy_setopt(easy, CURLOPT_WRITEDATA, &responses[i]);
      curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &OnHeader);
      curl_easy_setopt(easy, CURLOPT_HEADERDATA, &responses[i]);
      curl_easy_setopt(easy, CURLOPT_PRIVATE, reinterpret_cast<void*>(i));
      easies[i] = easy;
      curl_multi_add_handle(multi, easy);
    };
    while (next < requests.size() && next < parallel)
      add(next++);
    size_t done = 0;
    while (done < requests.size()) {
      curl_multi_perform(multi, &running);
      int queued = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
        if (msg->msg != CURLMSG_DONE) continue;
        void* private_data = nullptr;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &private_data);
        size_t i = reinterpret_cast<size_t>(private_data);
        responses[i].code = msg->data.result;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &responses[i].status);
        curl_multi_remove_handle(multi, msg->easy_handle);
        curl_easy_cleanup(msg->easy_handle);
        curl_slist_free_all(header_lists[i]);
        ++done;
        if (next < requests.size()) add(next++);
      }
      if (done < requests.size()) curl_multi_poll(multi, nullptr, 0, 100, nullptr);
    }
    curl_multi_cleanup(multi);
    return responses;
  }

  // Sends `raw` on a new connection and returns every byte received until the server closes the
  // connection or `timeout_ms` passes; `reads` gets the time and size of each recv().
  std::string Raw(const std::string& raw, int timeout_ms = 10000,
                  std::vector<HttpResponse::Read>* reads = nullptr) const {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    inet_pton(AF_INET, host_.c_str(), &addr.sin_addr);
    std::string received;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      return received;
    }
    size_t sent = 0;
    while (sent < raw.size()) {
      ssize_t n = ::send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    int64_t deadline = MonotonicNanos() + int64_t{timeout_ms} * 1'000'000;
    char buffer[65536];
    for (;;) {
      int64_t left_ms = (deadline - MonotonicNanos()) / 1'000'000;
      if (left_ms <= 0) break;
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left_ms)) <= 0) break;
      ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      if (reads) reads->push_back({MonotonicNanos(), static_cast<size_t>(n)});
      received.append(buffer, static_cast<size_t>(n));
    }
    ::close(fd);
    return received;
  }

  // A complete raw POST with Connection: close, for Raw().
  std::string RawPost(const std::string& path, const std::string& body,
                      const std::string& extra_headers = "") const {
    return "POST " + path + " HTTP/1.1\r\nHost: " + host_ +
           "\r\nContent-Type: application/json\r\n" + extra_headers +
           "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
           body;
  }

 private:
  static size_t OnBody(char* data, size_t size, size_t count, void* user) {
    auto* r = static_cast<HttpResponse*>(user);
    r->reads.push_back({MonotonicNanos(), size * count});
    r->body.append(data, size * count);
    return size * count;
  }
  static size_t OnHeader(char* data, size_t size, size_t count, void* user) {
    static_cast<HttpResponse*>(user)->headers.append(data, size * count);
    return size * count;
  }

  int port_;
  std::string host_;
};

// Splits a raw HTTP/1.1 response into head and the chunked body's chunks (payloads in order).
struct ChunkedResponse {
  std::string head;
  std::vector<std::string> size_lines;  // the hex size lines as sent ("e1", "7E", ...)
  std::vector<std::string> chunks;
  bool terminated = false;  // the zero-size chunk arrived
};

inline ChunkedResponse ParseChunked(const std::string& raw) {
  ChunkedResponse r;
  size_t head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) return r;
  r.head = raw.substr(0, head_end + 4);
  size_t pos = head_end + 4;
  while (pos < raw.size()) {
    size_t line_end = raw.find("\r\n", pos);
    if (line_end == std::string::npos) break;
    std::string line = raw.substr(pos, line_end - pos);
    size_t size = std::stoul(line, nullptr, 16);
    if (size == 0) {
      r.terminated = true;
      break;
    }
    if (line_end + 2 + size > raw.size()) break;
    r.size_lines.push_back(line);
    r.chunks.push_back(raw.substr(line_end + 2, size));
    pos = line_end + 2 + size + 2;
  }
  return r;
}

}  // namespace servebench::testing

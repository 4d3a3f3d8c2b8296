#include "common/loopback_pair.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace servebench {

Expected<LoopbackPair> LoopbackPair::Open() {
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0) return MakeError("cannot open a TCP socket: {}", std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  int reader = -1, writer = -1;
  if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      listen(listener, 1) == 0 &&
      getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    reader = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (reader >= 0 &&
        connect(reader, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
      writer = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    }
  }
  const int saved = errno;
  close(listener);
  if (writer < 0) {
    if (reader >= 0) close(reader);
    return MakeError("cannot connect over loopback TCP: {}", std::strerror(saved));
  }
  return LoopbackPair(reader, writer);
}

LoopbackPair::LoopbackPair(LoopbackPair&& other) noexcept
    : reader_(std::exchange(other.reader_, -1)), writer_(std::exchange(other.writer_, -1)) {}

LoopbackPair::~LoopbackPair() {
  if (reader_ >= 0) close(reader_);
  if (writer_ >= 0) close(writer_);
}

}  // namespace servebench

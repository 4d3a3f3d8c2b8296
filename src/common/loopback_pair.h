// A connected TCP pair on 127.0.0.1, for probing what the kernel does with TCP data.
#pragma once

#include "common/status.h"

namespace servebench {

class LoopbackPair {
 public:
  // Fails when no loopback TCP connection can be made.
  static Expected<LoopbackPair> Open();

  LoopbackPair(LoopbackPair&& other) noexcept;
  LoopbackPair& operator=(LoopbackPair&&) = delete;
  LoopbackPair(const LoopbackPair&) = delete;
  ~LoopbackPair();

  int reader() const { return reader_; }  // receives what writer() sends
  int writer() const { return writer_; }

 private:
  LoopbackPair(int reader, int writer) : reader_(reader), writer_(writer) {}
  int reader_ = -1;
  int writer_ = -1;
};

}  // namespace servebench

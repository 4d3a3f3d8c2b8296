// How many SSE events per second one thread renders and frames with serve-sim's wire formats
// (the --instant ceiling, before sockets). Prints events/s per family dialect.
#include <chrono>
#include <cstdio>
#include <string>

#include "sim/wire/wire.h"

namespace {

using servebench::sim::AppendChunk;
using servebench::sim::Dialect;
using servebench::sim::DialectFor;
using servebench::sim::Family;
using servebench::sim::FamilyName;
using servebench::sim::Finish;
using servebench::sim::Progress;
using servebench::sim::ReplyContext;
using servebench::sim::Route;

// Frames each event as an HTTP chunk into one reused buffer, as the session's writer would.
class ChunkSink : public servebench::sim::EventSink {
 public:
  explicit ChunkSink(bool upper) : upper_(upper) { out_.reserve(1 << 20); }
  void Event(std::string_view bytes) override {
    AppendChunk(bytes, upper_, out_);
    if (out_.size() > (1 << 19)) {
      bytes_ += out_.size();
      out_.clear();
    }
  }
  size_t bytes() const { return bytes_ + out_.size(); }

 private:
  bool upper_;
  std::string out_;
  size_t bytes_ = 0;
};

void Measure(Family family, Route route, const char* label) {
  const Dialect& d = DialectFor(family, route);
  ReplyContext ctx;
  ctx.family = family;
  ctx.route = route;
  ctx.model = "meta-llama/Llama-3.1-8B-Instruct";
  std::string id = servebench::sim::MakeResponseId(family, route, 42);
  ctx.id = id;
  ctx.created = 1735689600;
  ctx.prompt_tokens = 512;
  ctx.max_tokens = 1 << 30;
  ctx.include_usage = true;
  ChunkSink sink(d.UpperHexChunks());
  std::string full;
  full.reserve(64);
  const int kEvents = 3'000'000;
  int ids[1] = {12366};
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kEvents; ++i) {
    Progress p;
    p.new_text = " the";
    p.new_ids = ids;
    p.full_text = " the";  // cumulative formats: a short stand-in keeps the loop about framing
    p.completion_tokens = i + 1;
    p.finish = Finish::kNone;
    d.StreamTokens(ctx, p, sink);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%-16s %-24s %10.0f events/s  %7.1f MB/s\n", std::string(FamilyName(family)).c_str(),
              label, kEvents / seconds, sink.bytes() / seconds / 1e6);
}

}  // namespace

int main() {
  Measure(Family::kVllm, Route::kCompletions, "completions");
  Measure(Family::kVllm, Route::kChat, "chat");
  Measure(Family::kSglang, Route::kSglangGenerate, "native /generate");
  Measure(Family::kSglang, Route::kChat, "chat");
  Measure(Family::kLmdeployLegacy, Route::kCompletions, "completions (spaced)");
  Measure(Family::kTgi, Route::kTgiGenerateStream, "/generate_stream");
  Measure(Family::kOpenai, Route::kChat, "chat");
  Measure(Family::kVllm, Route::kTritonGenerateStream, "triton generate_stream");
  return 0;
}

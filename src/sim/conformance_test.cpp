// Every route and family over real sockets, compared with the wire transcripts of
// spec/protocols.md §6. serve-sim chooses its own words, ids and timestamps, so both sides are
// normalised the same way (values replaced by placeholders) before the comparison: key order,
// spacing, nulls, event count, prefixes, separators and chunk framing must match exactly.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "sim/sim_fixture_test_util.h"

namespace servebench::sim {
namespace {

using servebench::testing::ChunkedResponse;
using servebench::testing::ParseChunked;

std::string Normalize(std::string s) {
  static const std::vector<std::pair<std::regex, std::string>> rules = {
      {std::regex(R"re("id": ?"[^"]*")re"), R"("id":"ID")"},
      {std::regex(R"re("id": ?\d+)re"), R"("id":0)"},
      {std::regex(R"re("created": ?\d+)re"), R"("created":0)"},
      {std::regex(R"re("model": ?"[^"]*")re"), R"("model":"M")"},
      {std::regex(R"re("(text|content|text_output|generated_text)": ?"[^"]+")re"), R"("$1":"T")"},
      {std::regex(
           R"re("(prompt_tokens|completion_tokens|total_tokens|input_length|generated_tokens|length|index)": ?\d+)re"),
       R"("$1":0)"},
      {std::regex(R"re("output_ids": ?\[[^\]]*\])re"), R"("output_ids":[0])"},
      {std::regex(R"re("(logprob|e2e_latency)": ?-?[\d.e-]+)re"), R"("$1":0)"},
  };
  for (const auto& [re, replacement] : rules)
    s = std::regex_replace(s, re, replacement);
  return s;
}

// The events of a transcript, one per line as in the spec.
std::vector<std::string> Events(std::initializer_list<std::string_view> lines) {
  std::vector<std::string> events;
  for (std::string_view line : lines)
    events.push_back(Normalize(std::string(line) + "\n\n"));
  return events;
}

class ConformanceTest : public SimServerTest {
 protected:
  void SetUp() override {
    SimOptions o = Instant();
    o.model_name = "meta-llama/Llama-3.1-8B-Instruct";
    StartServer(o);
  }

  ChunkedResponse Stream(std::string_view family, const std::string& path,
                         const std::string& body) {
    std::string raw = client_->Raw(
        client_->RawPost(path, body, "X-Serve-Sim-Family: " + std::string(family) + "\r\n"));
    ChunkedResponse r = ParseChunked(raw);
    EXPECT_TRUE(r.terminated) << raw;
    return r;
  }

  static void ExpectEvents(const ChunkedResponse& r, const std::vector<std::string>& expected) {
    ASSERT_EQ(r.chunks.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(Normalize(r.chunks[i]), expected[i]) << "event " << i;
    }
  }
};

constexpr std::string_view kCompletion3 =
    R"({"model":"meta-llama/Llama-3.1-8B-Instruct","prompt":"The capital of France is","max_tokens":3,"stream":true,"ignore_eos":true,"stream_options":{"include_usage":true}})";
constexpr std::string_view kChat3 =
    R"({"model":"meta-llama/Llama-3.1-8B-Instruct","messages":[{"role":"user","content":"Capital of France?"}],"max_completion_tokens":3,"stream":true,"ignore_eos":true,"stream_options":{"include_usage":true}})";

TEST_F(ConformanceTest, VllmCompletionsMatchTranscript) {
  ChunkedResponse r = Stream("vllm", "/v1/completions", std::string(kCompletion3));
  EXPECT_NE(r.head.find("content-type: text/event-stream; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(r.head.find("transfer-encoding: chunked\r\n"), std::string::npos);
  for (const auto& size : r.size_lines) {
    EXPECT_EQ(size, Normalize(size)) << "sizes are plain hex";
    EXPECT_EQ(size.find_first_of("ABCDEF"), std::string::npos) << "vLLM writes lower-case hex";
  }
  ExpectEvents(
      r,
      Events({
          R"(data: {"id":"cmpl-4f1d9c2a7b8e4e0f","object":"text_completion","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"text":" Paris","logprobs":null,"finish_reason":null,"stop_reason":null}]})",
          R"(data: {"id":"cmpl-4f1d9c2a7b8e4e0f","object":"text_completion","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"text":".","logprobs":null,"finish_reason":null,"stop_reason":null}]})",
          R"(data: {"id":"cmpl-4f1d9c2a7b8e4e0f","object":"text_completion","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"text":" It","logprobs":null,"finish_reason":"length","stop_reason":null}]})",
          R"(data: {"id":"cmpl-4f1d9c2a7b8e4e0f","object":"text_completion","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[],"usage":{"prompt_tokens":6,"total_tokens":9,"completion_tokens":3}})",
          R"(data: [DONE])",
      }));
}

TEST_F(ConformanceTest, VllmChatMatchesTranscript) {
  ChunkedResponse r = Stream("vllm", "/v1/chat/completions", std::string(kChat3));
  ASSERT_FALSE(r.chunks.empty());
  // The role chunk comes first, then one event per token, the usage event and [DONE].
  EXPECT_EQ(
      Normalize(r.chunks[0]),
      Events(
          {R"(data: {"id":"chatcmpl-8bbcdb2d35bb72b2","object":"chat.completion.chunk","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"prompt_token_ids":null})"})
          [0]);
  EXPECT_EQ(r.chunks.size(), 6u);
  EXPECT_EQ(
      Normalize(r.chunks[4]),
      Events(
          {R"(data: {"id":"chatcmpl-8bbcdb2d35bb72b2","object":"chat.completion.chunk","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[],"usage":{"prompt_tokens":15,"total_tokens":18,"completion_tokens":3}})"})
          [0]);
  EXPECT_EQ(r.chunks[5], "data: [DONE]\n\n");
}

TEST_F(ConformanceTest, SglangNativeMatchesTranscript) {
  ChunkedResponse r = Stream(
      "sglang", "/generate",
      R"({"text":"The capital of France is","sampling_params":{"max_new_tokens":3,"temperature":0.0,"ignore_eos":true},"stream":true})");
  ExpectEvents(
      r,
      Events({
          R"(data: {"text":" Paris","output_ids":[12366],"meta_info":{"id":"0c3a9e8f6d2b4f1e","finish_reason":null,"prompt_tokens":6,"weight_version":"default","total_retractions":0,"completion_tokens":1,"cached_tokens":0}})",
          R"(data: {"text":" Paris.","output_ids":[13],"meta_info":{"id":"0c3a9e8f6d2b4f1e","finish_reason":null,"prompt_tokens":6,"weight_version":"default","total_retractions":0,"completion_tokens":2,"cached_tokens":0}})",
          R"(data: {"text":" Paris. It","output_ids":[1102],"meta_info":{"id":"0c3a9e8f6d2b4f1e","finish_reason":{"type":"length","length":3},"prompt_tokens":6,"weight_version":"default","total_retractions":0,"completion_tokens":3,"cached_tokens":0,"e2e_latency":0.0712}})",
          R"(data: [DONE])",
      }));
}

TEST_F(ConformanceTest, TgiGenerateStreamMatchesTranscript) {
  ChunkedResponse r = Stream(
      "tgi", "/generate_stream",
      R"({"inputs":"The capital of France is","parameters":{"max_new_tokens":3,"details":true}})");
  EXPECT_NE(r.head.find("content-type: text/event-stream\r\n"), std::string::npos);
  EXPECT_EQ(r.head.find("charset"), std::string::npos);
  bool upper_seen = false;
  for (const auto& size : r.size_lines) {
    EXPECT_EQ(size.find_first_of("abcdef"), std::string::npos) << "TGI writes upper-case hex";
    upper_seen = upper_seen || size.find_first_of("ABCDEF") != std::string::npos;
  }
  // TGI's events are at least 0xA0 bytes, so a letter digit appears in some size.
  EXPECT_TRUE(upper_seen);
  ExpectEvents(
      r,
      Events({
          R"(data:{"index":1,"token":{"id":12366,"text":" Paris","logprob":-0.0917,"special":false},"generated_text":null,"details":null})",
          R"(data:{"index":2,"token":{"id":13,"text":".","logprob":-0.6128,"special":false},"generated_text":null,"details":null})",
          R"(data:{"index":3,"token":{"id":1102,"text":" It","logprob":-1.1953,"special":false},"generated_text":" Paris. It","details":{"finish_reason":"length","generated_tokens":3,"seed":null,"input_length":6}})",
      }));
}

TEST_F(ConformanceTest, OpenAiChatMatchesTranscript) {
  ChunkedResponse r =
      Stream("openai", "/v1/chat/completions",
             std::regex_replace(std::string(kChat3), std::regex(",\"ignore_eos\":true"), ""));
  ASSERT_GE(r.chunks.size(), 4u);
  EXPECT_NE(
      Normalize(r.chunks[0]).find(R"("delta":{"role":"assistant","content":"","refusal":null})"),
      std::string::npos);
  // The finish reason comes in its own empty delta, then usage with completion_tokens_details.
  std::string finish = Normalize(r.chunks[r.chunks.size() - 3]);
  EXPECT_NE(finish.find(R"("delta":{},"logprobs":null,"finish_reason":)"), std::string::npos)
      << finish;
  EXPECT_NE(
      r.chunks[r.chunks.size() - 2].find(R"("completion_tokens_details":{"reasoning_tokens":0})"),
      std::string::npos);
  EXPECT_EQ(r.chunks.back(), "data: [DONE]\n\n");
}

TEST_F(ConformanceTest, LmdeployLegacyCompletionsMatchTranscript) {
  ChunkedResponse r = Stream("lmdeploy-legacy", "/v1/completions", std::string(kCompletion3));
  ExpectEvents(
      r,
      Events({
          R"(data: {"id": "1", "object": "text_completion", "created": 1735689600, "model": "internlm2_5-7b-chat", "choices": [{"index": 0, "text": " Paris", "logprobs": null, "gen_tokens": null, "finish_reason": null}], "usage": null})",
          R"(data: {"id": "1", "object": "text_completion", "created": 1735689600, "model": "internlm2_5-7b-chat", "choices": [{"index": 0, "text": ".", "logprobs": null, "gen_tokens": null, "finish_reason": null}], "usage": null})",
          R"(data: {"id": "1", "object": "text_completion", "created": 1735689600, "model": "internlm2_5-7b-chat", "choices": [{"index": 0, "text": " It", "logprobs": null, "gen_tokens": null, "finish_reason": "length"}], "usage": {"prompt_tokens": 7, "total_tokens": 10, "completion_tokens": 3}})",
          R"(data: [DONE])",
      }));
}

TEST_F(ConformanceTest, TritonMatchesTranscript) {
  ChunkedResponse r = Stream(
      "vllm", "/v2/models/ensemble/generate_stream",
      R"({"text_input":"The capital of France is","max_tokens":3,"temperature":0.000001,"top_p":1.0,"stream":true,"accumulate_tokens":true,"min_length":3,"end_id":1048576,"bad_words":"","stop_words":""})");
  std::string event =
      R"(data: {"batch_index":0,"context_logits":0.0,"cum_log_probs":0.0,"generation_logits":0.0,"model_name":"ensemble","model_version":"1","output_log_probs":[0.0],"sequence_end":false,"sequence_id":0,"sequence_index":0,"sequence_start":false,"text_output":" Paris"})";
  ExpectEvents(r, Events({event, event, event}));
}

TEST_F(ConformanceTest, TrussCarriesVllmCompletionBytesAsOctetStream) {
  ChunkedResponse r = Stream("sglang", "/v1/models/model:predict", std::string(kCompletion3));
  EXPECT_NE(r.head.find("content-type: application/octet-stream"), std::string::npos) << r.head;
  ASSERT_EQ(r.chunks.size(), 5u);
  EXPECT_NE(r.chunks[0].find(R"("object":"text_completion")"), std::string::npos);
  EXPECT_EQ(r.chunks.back(), "data: [DONE]\n\n");
}

TEST_F(ConformanceTest, EveryFamilyStreamsAndAnswersNonStreaming) {
  for (std::string family :
       {"sglang", "vllm", "lmdeploy", "lmdeploy-legacy", "trtllm-serve", "tgi", "openai"}) {
    for (std::string path : {"/v1/completions", "/v1/chat/completions"}) {
      SCOPED_TRACE(family + " " + path);
      std::string stream_body =
          path == "/v1/completions" ? std::string(kCompletion3) : std::string(kChat3);
      ChunkedResponse r = Stream(family, path, stream_body);
      EXPECT_NE(r.head.find("HTTP/1.1 200 OK\r\n"), std::string::npos);
      int token_events = 0;
      for (const auto& chunk : r.chunks) {
        EXPECT_TRUE(chunk.starts_with("data:")) << chunk;
        EXPECT_TRUE(chunk.ends_with("\n\n")) << chunk;
        if (chunk.find("[DONE]") == std::string::npos &&
            std::regex_search(chunk, std::regex(R"re("(text|content)": ?"[^"]+")re"))) {
          ++token_events;
        }
      }
      EXPECT_EQ(token_events, 3);
      // The usage event was asked for; every family reports 3 completion tokens somewhere.
      bool usage = false;
      for (const auto& chunk : r.chunks) {
        usage = usage || std::regex_search(chunk, std::regex(R"re("completion_tokens": ?3)re"));
      }
      EXPECT_TRUE(usage);

      std::string plain = std::regex_replace(
          stream_body,
          std::regex(
              R"re(,"stream":true,"ignore_eos":true,"stream_options":\{"include_usage":true\})re"),
          R"(,"ignore_eos":true)");
      auto response = client_->Post(path, plain, {"X-Serve-Sim-Family: " + family});
      EXPECT_EQ(response.status, 200) << response.body;
      EXPECT_NE(response.Header("content-length"), "");
      EXPECT_TRUE(std::regex_search(response.body, std::regex(R"re("completion_tokens": ?3)re")))
          << response.body;
    }
  }
}

TEST_F(ConformanceTest, NonStreamingFamilyRoutes) {
  auto native = client_->Post(
      "/generate", R"({"text":"Hello","sampling_params":{"max_new_tokens":4,"ignore_eos":true}})");
  EXPECT_EQ(native.status, 200);
  EXPECT_NE(native.body.find(R"("completion_tokens":4)"), std::string::npos) << native.body;

  auto tgi = client_->Post("/generate", R"({"inputs":"Hello","parameters":{"max_new_tokens":4}})",
                           {"X-Serve-Sim-Family: tgi"});
  EXPECT_EQ(tgi.status, 200);
  EXPECT_NE(tgi.body.find("generated_text"), std::string::npos) << tgi.body;

  auto triton = client_->Post("/v2/models/ensemble/generate",
                              R"({"text_input":"Hello","max_tokens":4,"min_length":4})");
  EXPECT_EQ(triton.status, 200);
  EXPECT_NE(triton.body.find("text_output"), std::string::npos) << triton.body;
  EXPECT_EQ(triton.body.find("Hello"), std::string::npos) << "no prompt echo";
}

}  // namespace
}  // namespace servebench::sim

namespace servebench::sim {
namespace {

TEST_F(SimServerTest, CrlfStyleSeparatesEventsWithCrlf) {
  SimOptions o = Instant();
  o.crlf = true;
  o.family = Family::kVllm;
  StartServer(o);
  ChunkedResponse r = ParseChunked(client_->Raw(client_->RawPost(
      "/v1/completions", R"({"model":"serve-sim","prompt":"x","max_tokens":2,"stream":true})")));
  ASSERT_EQ(r.chunks.size(), 3u);
  for (const auto& chunk : r.chunks)
    EXPECT_TRUE(chunk.ends_with("\r\n\r\n")) << chunk;
  EXPECT_EQ(r.chunks.back(), "data: [DONE]\r\n\r\n");
}

TEST_F(SimServerTest, TgiKeepAliveCommentWhileIdle) {
  SimOptions o;
  o.pace_ttft_ms = 250;
  o.pace_itl_ms = 1;
  o.keepalive_ms = 60;
  o.family = Family::kTgi;
  StartServer(o);
  ChunkedResponse r = ParseChunked(client_->Raw(
      client_->RawPost("/generate_stream", R"({"inputs":"x","parameters":{"max_new_tokens":2}})")));
  ASSERT_GE(r.chunks.size(), 3u);
  EXPECT_EQ(r.chunks[0], ":\n\n");
  EXPECT_TRUE(r.chunks.back().starts_with("data:{")) << "no [DONE] on TGI's native stream";
}

TEST_F(SimServerTest, TritonAccumulatedText) {
  SimOptions o = Instant();
  o.trt_accumulate = true;
  StartServer(o);
  ChunkedResponse r = ParseChunked(client_->Raw(
      client_->RawPost("/v2/models/ensemble/generate_stream",
                       R"({"text_input":"x","max_tokens":3,"min_length":3,"stream":true})")));
  ASSERT_EQ(r.chunks.size(), 3u);
  std::regex text(R"re("text_output":"([^"]*)")re");
  std::smatch m1, m3;
  ASSERT_TRUE(std::regex_search(r.chunks[0], m1, text));
  ASSERT_TRUE(std::regex_search(r.chunks[2], m3, text));
  EXPECT_TRUE(m3[1].str().starts_with(m1[1].str()));
  EXPECT_GT(m3[1].str().size(), m1[1].str().size());
}

TEST_F(SimServerTest, TgiNativeStreamIsOneTokenPerEvent) {
  SimOptions o = Instant();
  o.tokens_per_event = 4;
  StartServer(o);
  ChunkedResponse r = ParseChunked(client_->Raw(
      client_->RawPost("/generate_stream", R"({"inputs":"x","parameters":{"max_new_tokens":5}})")));
  EXPECT_EQ(r.chunks.size(), 5u);
}

}  // namespace
}  // namespace servebench::sim

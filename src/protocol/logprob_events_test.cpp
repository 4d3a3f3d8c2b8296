// Streams answered with logprobs (--return-logprob, --logprobs, --top-logprobs-num) carry extra
// fields in every event; the readers must take the same text, token events and counts from them
// as from the plain events, whatever the logprob fields contain (tokens named "text", nested
// arrays, byte lists).
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "protocol/stream_reader.h"

namespace servebench::protocol {
namespace {

using ::testing::ElementsAre;

struct Read {
  std::string text;
  std::vector<int64_t> token_times;
  std::vector<int32_t> server_tokens;
  ReaderFailure failure = ReaderFailure::kNone;
  std::optional<int64_t> completion_tokens;
};

Read ReadAll(Style style, std::initializer_list<std::string_view> events) {
  ReaderOptions options;
  options.style = style;
  options.expected_tokens = 4;
  JsonParser parser;
  StreamReader reader(options, parser);
  int64_t ts = 0;
  for (std::string_view data : events) {
    PaddedEvent padded(data);
    ++ts;
    reader.OnEvent(padded.view(), ts, 100 * ts);
  }
  Read out;
  out.text = reader.generated_text();
  for (size_t k = 0; k < reader.token_events().size(); ++k) {
    out.token_times.push_back(reader.token_events()[k].read_ns);
    out.server_tokens.push_back(reader.ServerTokens(k));
  }
  out.failure = reader.failure();
  if (reader.completion_tokens()) out.completion_tokens = *reader.completion_tokens();
  return out;
}

TEST(LogprobEvents, CompletionsWithLogprobsObjects) {
  // vLLM /v1/completions with "logprobs": 2; one top-logprob token is spelled "text" and the
  // logprobs object comes before the choice's own text in the last event.
  Read r = ReadAll(
      Style::kCompletions,
      {R"({"id":"cmpl-1","object":"text_completion","created":1,"model":"m","choices":[{"index":0,"text":" Paris","logprobs":{"text_offset":[0],"token_logprobs":[-0.0917],"tokens":[" Paris"],"top_logprobs":[{" Paris":-0.0917,"text":-2.5}]},"finish_reason":null,"stop_reason":null}]})",
       R"({"id":"cmpl-1","object":"text_completion","created":1,"model":"m","choices":[{"index":0,"text":".","logprobs":{"text_offset":[6],"token_logprobs":[-0.61],"tokens":["."],"top_logprobs":[{".":-0.61,",":-1.2}]},"finish_reason":null,"stop_reason":null}]})",
       R"({"id":"cmpl-1","object":"text_completion","created":1,"model":"m","choices":[{"index":0,"logprobs":{"text_offset":[7],"token_logprobs":[-1.19],"tokens":["text"],"top_logprobs":[{"text":-1.19,"\"text\":":-3.0}]},"text":" It","finish_reason":"length","stop_reason":null}]})",
       R"({"id":"cmpl-1","object":"text_completion","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":6,"total_tokens":9,"completion_tokens":3}})",
       "[DONE]"});
  EXPECT_EQ(r.failure, ReaderFailure::kNone);
  EXPECT_EQ(r.text, " Paris. It");
  EXPECT_THAT(r.token_times, ElementsAre(1, 2, 3));
  EXPECT_EQ(r.completion_tokens, 3);
}

TEST(LogprobEvents, ChatWithLogprobsContent) {
  // vLLM / SGLang / LMDeploy chat chunks with "logprobs": true, "top_logprobs": 2.
  Read r = ReadAll(
      Style::kChat,
      {R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]})",
       R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Par"},"logprobs":{"content":[{"token":"Par","logprob":-0.1,"bytes":[80,97,114],"top_logprobs":[{"token":"Par","logprob":-0.1,"bytes":[80,97,114]},{"token":"content","logprob":-2.3,"bytes":null}]}]},"finish_reason":null}]})",
       R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"logprobs":{"content":[{"token":"\u00eds","logprob":-0.2,"bytes":[195,173,115],"top_logprobs":[]}]},"delta":{"content":"\u00eds"},"finish_reason":"length"}]})",
       R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":9,"total_tokens":11,"completion_tokens":2}})",
       "[DONE]"});
  EXPECT_EQ(r.failure, ReaderFailure::kNone);
  EXPECT_EQ(r.text, "Par\xc3\xads");
  EXPECT_THAT(r.token_times, ElementsAre(2, 3));
  EXPECT_EQ(r.completion_tokens, 2);
}

TEST(LogprobEvents, SglangNativeWithTokenLogprobsInMetaInfo) {
  // /generate with return_logprob, top_logprobs_num 2 and token_ids_logprob: the logprob lists
  // ride in meta_info next to the cumulative counter.
  Read r = ReadAll(
      Style::kNative,
      {R"({"text":" Paris","output_ids":[12366],"meta_info":{"id":"a","finish_reason":null,"prompt_tokens":6,"completion_tokens":1,"cached_tokens":0,"input_token_logprobs":[[null,128000,null],[-3.2,791,null]],"output_token_logprobs":[[-0.0917,12366,null]],"input_top_logprobs":[null,[[-3.2,791,null],[-4.0,12,null]]],"output_top_logprobs":[[[-0.0917,12366,null],[-2.5,578,null]]],"output_token_ids_logprobs":[[[-5.0,7,null],[-6.0,8,null]]],"text":"decoy"}})",
       R"({"text":" Paris.","output_ids":[13],"meta_info":{"id":"a","finish_reason":{"type":"length","length":2},"prompt_tokens":6,"completion_tokens":2,"cached_tokens":0,"output_token_logprobs":[[-0.0917,12366,null],[-0.61,13,null]],"output_top_logprobs":[[[-0.0917,12366,null]],[[-0.61,13,null]]]}})",
       "[DONE]"});
  EXPECT_EQ(r.failure, ReaderFailure::kNone);
  EXPECT_EQ(r.text, " Paris.");
  EXPECT_THAT(r.token_times, ElementsAre(1, 2));
  EXPECT_THAT(r.server_tokens, ElementsAre(1, 1));
  EXPECT_EQ(r.completion_tokens, 2);
}

TEST(LogprobEvents, TgiTokensCarryTheirLogprobAndTopTokens) {
  // TGI's generate_stream with "details": true, "top_n_tokens": 2.
  Read r = ReadAll(
      Style::kTgi,
      {R"({"index":1,"token":{"id":12366,"text":" Paris","logprob":-0.0917,"special":false},"top_tokens":[{"id":12366,"text":" Paris","logprob":-0.0917,"special":false},{"id":578,"text":" The","logprob":-2.5,"special":false}],"generated_text":null,"details":null})",
       R"({"index":2,"token":{"id":13,"text":".","logprob":-0.6128,"special":false},"top_tokens":[{"id":13,"text":".","logprob":-0.61,"special":false}],"generated_text":" Paris.","details":{"finish_reason":"length","generated_tokens":2,"seed":null,"input_length":6}})"});
  EXPECT_EQ(r.failure, ReaderFailure::kNone);
  EXPECT_EQ(r.text, " Paris.");
  EXPECT_THAT(r.token_times, ElementsAre(1, 2));
  EXPECT_EQ(r.completion_tokens, 2);
}

}  // namespace
}  // namespace servebench::protocol

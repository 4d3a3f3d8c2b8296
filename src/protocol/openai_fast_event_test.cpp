// The fast path must answer exactly as the full parser does, or not at all: the same events go
// through ReadOpenAiEventFast and through simdjson + ReadOpenAiEvent, and their facts are
// compared field by field.
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "protocol/event_facts.h"

namespace servebench::protocol {
namespace {

// EventFacts with owned strings, comparable after the parser has moved on.
struct Snapshot {
  std::string text, tool_text, reasoning, finish_reason, id;
  bool has_choices, other_choice_index, has_usage, error;
  std::optional<int64_t> prompt_tokens, completion_tokens, counter;

  explicit Snapshot(const EventFacts& f)
      : text(f.text),
        tool_text(f.tool_text),
        reasoning(f.reasoning),
        finish_reason(f.finish_reason),
        id(f.id),
        has_choices(f.has_choices),
        other_choice_index(f.other_choice_index),
        has_usage(f.has_usage),
        error(f.error),
        prompt_tokens(f.prompt_tokens),
        completion_tokens(f.completion_tokens),
        counter(f.counter) {}
  bool operator==(const Snapshot&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Snapshot& s) {
  auto opt = [](const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "-"; };
  return os << "{text='" << s.text << "' tool='" << s.tool_text << "' reasoning='" << s.reasoning
            << "' finish='" << s.finish_reason << "' id='" << s.id << "' choices=" << s.has_choices
            << " other=" << s.other_choice_index << " usage=" << s.has_usage << " error=" << s.error
            << " prompt=" << opt(s.prompt_tokens) << " completion=" << opt(s.completion_tokens)
            << " counter=" << opt(s.counter) << "}";
}

class Paths {
 public:
  std::optional<Snapshot> Fast(std::string_view data, bool stream) {
    PaddedEvent padded(data);
    JsonParser::Impl& impl = parser_.impl();
    impl.facts.Clear();
    if (!ReadOpenAiEventFast(padded.view(), stream, impl)) return std::nullopt;
    return Snapshot(impl.facts);
  }

  // As StreamReader::OnEvent runs the full parser; nullopt when the event is malformed.
  std::optional<Snapshot> Full(std::string_view data, bool stream) {
    PaddedEvent padded(data);
    std::string_view view = padded.view();
    JsonParser::Impl& impl = parser_.impl();
    impl.facts.Clear();
    simdjson::ondemand::document doc;
    auto error = impl.parser.iterate(view.data(), view.size(), view.size() + kJsonPadding).get(doc);
    simdjson::ondemand::object root;
    if (!error) error = doc.get_object().get(root);
    if (!error) error = ReadOpenAiEvent(root, stream, impl);
    const char* rest = nullptr;
    if (!error && doc.current_location().get(rest) == simdjson::SUCCESS) return std::nullopt;
    if (error) return std::nullopt;
    return Snapshot(impl.facts);
  }

  // True when the fast path answered; fails the test when its answer differs from the full one.
  bool Check(std::string_view data, bool stream) {
    std::optional<Snapshot> fast = Fast(data, stream);
    if (!fast) return false;
    std::optional<Snapshot> full = Full(data, stream);
    EXPECT_TRUE(full.has_value()) << "fast path accepted an event the full parser rejects: "
                                  << data;
    if (full) {
      EXPECT_EQ(*fast, *full) << data;
    }
    return true;
  }

 private:
  JsonParser parser_;
};

// Events the fast path is for: every one must take it, and agree with the full parser.
const std::vector<std::string> kCommon = {
    // vLLM completions and chat
    R"({"id":"cmpl-1","object":"text_completion","created":1735689600,"model":"m","choices":[{"index":0,"text":" Paris","logprobs":null,"finish_reason":null,"stop_reason":null}],"usage":null})",
    R"({"id":"cmpl-1","object":"text_completion","created":1735689600,"model":"m","choices":[{"index":0,"text":" Paris. It","logprobs":null,"finish_reason":null,"stop_reason":null}],"usage":{"prompt_tokens":6,"total_tokens":9,"completion_tokens":3}})",
    R"({"id":"chatcmpl-8b","object":"chat.completion.chunk","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"prompt_token_ids":null})",
    R"({"id":"chatcmpl-8b","object":"chat.completion.chunk","created":1735689600,"model":"m","choices":[{"index":0,"delta":{"content":" the"},"logprobs":null,"finish_reason":"length","stop_reason":null,"token_ids":null}]})",
    R"({"id":"chatcmpl-8b","object":"chat.completion.chunk","created":1735689600,"model":"m","choices":[],"usage":{"prompt_tokens":15,"total_tokens":18,"completion_tokens":3}})",
    // OpenAI, with nested skipped objects
    R"({"id":"chatcmpl-A","object":"chat.completion.chunk","created":1,"model":"gpt-4o","system_fingerprint":"fp_7","choices":[],"usage":{"prompt_tokens":14,"completion_tokens":1,"total_tokens":15,"completion_tokens_details":{"reasoning_tokens":0}}})",
    R"({"id":"cmpl-1","object":"text_completion","created":1,"choices":[{"text":"","index":0,"logprobs":null,"finish_reason":"length"}],"model":"gpt-3.5-turbo-instruct"})",
    // SGLang, LMDeploy (spaces after separators), reasoning, empty tool calls
    R"({"id":"0c3a","object":"chat.completion.chunk","created":1735689600,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning_content":null,"tool_calls":null},"logprobs":null,"finish_reason":null,"matched_stop":null}],"usage":{"prompt_tokens":6,"total_tokens":6,"completion_tokens":0,"prompt_tokens_details":null,"reasoning_tokens":0}})",
    R"({"id": "1", "object": "text_completion", "created": 1735689600, "model": "internlm2_5-7b-chat", "choices": [{"index": 0, "text": " It", "logprobs": null, "gen_tokens": null, "finish_reason": "length"}], "usage": {"prompt_tokens": 7, "total_tokens": 10, "completion_tokens": 3}})",
    R"({"id":"1","object":"chat.completion.chunk","created":1735689600,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":" Paris","reasoning_content":null,"gen_tokens":null,"tool_calls":[]},"logprobs":null,"finish_reason":null}],"usage":null})",
    R"({"choices":[{"index":0,"delta":{"reasoning_content":"Let me think","content":null}}]})",
    R"({"choices":[{"index":0,"delta":{"reasoning":"hmm"}}]})",
    R"({"choices":[{"index":0,"delta":{"reasoning_content":"","reasoning":"both"}}]})",
    // escapes, unicode, surrogate pairs, raw UTF-8
    R"({"choices":[{"index":0,"text":"line\nbreak \"quoted\" back\\slash \/ tab\t\b\f\r"}]})",
    R"({"choices":[{"index":0,"text":"caf\u00e9 \u20ac \ud83d\ude00 \u0041"}]})",
    R"({"choices":[{"index":0,"delta":{"content":"café 日本語 😀"}}]})",
    R"({"id":"\u0069d","choices":[{"index":0,"text":"a\u00e9b"}]})",
    // empty deltas and odd but valid shapes
    R"({"choices":[{"index":0,"delta":{}}]})",
    R"({"choices":[{"index":0,"delta":null,"finish_reason":"stop"}]})",
    R"({"choices":[{}]})",
    R"({"choices":null})",
    R"({})",
    R"(  { "choices" : [ { "index" : 0 , "text" : "x" } ] }  )",
    "{\n\t\"choices\":[{\"index\":0,\"text\":\"y\"}]\r\n}",
    R"({"choices":[{"index":1,"text":"other"},{"index":0,"text":"mine"}]})",
    R"({"choices":[{"index":0,"text":"first"},{"index":0,"text":"second","finish_reason":"length"}]})",
    R"({"choices":[{"index":null,"text":"null index"}]})",
    R"({"choices":[{"text":"a","text":"b","text":null}]})",
    R"({"choices":[{"index":0,"text":"t"}],"choices":[{"index":0,"delta":{"content":"c"}}]})",
    R"({"usage":{}})",
    R"({"usage":{"prompt_tokens":null,"completion_tokens":null}})",
    R"({"usage":{"completion_tokens":5},"usage":{"completion_tokens":null}})",
    R"({"usage":{"completion_tokens":0,"extra":[1,-2.5e+3,true,false,null,{"a":[]}]}})",
    R"({"error":null,"choices":[{"index":0,"text":"ok"}]})",
    R"({"id":7,"choices":[]})",
    R"({"id":null})",
    R"({"message":{"content":"not a choice"},"choices":[{"index":0,"message":{"content":"stream ignores me"},"delta":{"content":"d"}}]})",
    R"({"choices":[{"index":0,"logprobs":{"content":[{"token":"x","logprob":-0.25,"bytes":[120],"top_logprobs":[]}]},"text":"x"}]})",
};

// Events the fast path must leave to the full parser (unusual or malformed).
const std::vector<std::string> kUnusual = {
    R"({"id":"a","object":"chat.completion.chunk","choices":[],"usage":null,"sglext":{"cached_tokens_details":{"device":3,"host":0}}})",
    R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"name":"f","arguments":"{}"}}]}}]})",
    R"({"choices":[{"index":0,"finish_reason":{"type":"stop","matched":2}}]})",
    R"({"error":{"message":"bad","type":"BadRequestError","code":400}})",
    R"({"error":"overloaded"})",
    R"({"choices":[{"index":0.0,"text":"x"}]})",
    R"({"choices":[{"index":-1,"text":"x"}]})",
    R"({"usage":{"completion_tokens":1e3}})",
    R"({"usage":{"completion_tokens":12345678901234567890}})",
    R"({"choices":[{"index":0,"text":"lone \ud83d surrogate"}]})",
    R"({"choices":[{"index":0,"text":"bad \x escape"}]})",
    "{\"choices\":[{\"index\":0,\"text\":\"raw\tcontrol\"}]}",
    "{\"choices\":[{\"index\":0,\"text\":\"invalid \xff\xfe utf8\"}]}",
    R"({"choices":[{"index":0,"text":"malformed)",
    R"({"choices":[{"index":0,"text":"x"}]} trailing)",
    R"({"choices":[{"index":0,"text":"x",}]})",
    R"({"choices":[{"index":0,"text":"x"}],})",
    R"([{"choices":[]}])",
    R"("just a string")",
    R"({"choices":[1]})",
    R"({"choices":"none"})",
    R"({"choices":[{"index":0,"text":7}]})",
    R"({"choices":[{"index":0,"delta":"text"}]})",
    R"({"usage":[1]})",
    R"({"ch\u006fices":[]})",
    R"({"a":nul})",
    R"({"a":01})",
    R"({"a":1.})",
    R"({"a":tru})",
    R"({"a":[1 2]})",
    "",
    "   ",
};

TEST(OpenAiFastEvent, CommonShapesTakeTheFastPathAndAgree) {
  Paths paths;
  for (const std::string& event : kCommon) {
    for (bool stream : {true, false}) {
      EXPECT_TRUE(paths.Check(event, stream)) << "fast path gave up on " << event;
    }
  }
}

TEST(OpenAiFastEvent, UnusualShapesAreLeftToTheFullParser) {
  Paths paths;
  for (const std::string& event : kUnusual) {
    EXPECT_FALSE(paths.Check(event, true)) << "fast path answered " << event;
  }
  // A whole (non-streamed) chat body reads `message`, not `delta`.
  for (std::string_view event :
       {R"({"choices":[{"index":0,"message":{"tool_calls":[{"function":{"name":"f"}}]}}]})",
        R"({"choices":[{"index":0,"message":"text"}]})"}) {
    EXPECT_FALSE(paths.Check(event, false)) << "fast path answered " << event;
    EXPECT_TRUE(paths.Check(event, true)) << "a stream skips `message`: " << event;
  }
}

TEST(OpenAiFastEvent, SpecificFacts) {
  Paths paths;
  auto facts = paths.Fast(kCommon[14], true);
  ASSERT_TRUE(facts);
  EXPECT_EQ(facts->text, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 A");
  facts = paths.Fast(R"({"choices":[{"index":1,"text":"other"},{"index":0,"text":"mine"}]})", true);
  ASSERT_TRUE(facts);
  EXPECT_EQ(facts->text, "mine");
  EXPECT_TRUE(facts->other_choice_index);
  facts = paths.Fast(kCommon[4], true);
  ASSERT_TRUE(facts);
  EXPECT_TRUE(facts->has_usage);
  EXPECT_EQ(facts->counter, 3);
  EXPECT_EQ(facts->prompt_tokens, 15);
  EXPECT_FALSE(facts->has_choices);
}

// Random edits of the common events (bytes that matter to JSON, deletions, duplications): the
// fast path may give up on any of them, but whatever it answers must be the full parser's answer.
TEST(OpenAiFastEvent, MutatedEventsNeverDisagree) {
  Paths paths;
  std::mt19937 rng(20261124);
  const std::string alphabet = "{}[]\":,\\ \n0123456789-+.eEnultrfasx\x01\xc3\xa9\xff";
  int answered = 0, total = 0;
  for (int round = 0; round < 40; ++round) {
    for (const std::string& original : kCommon) {
      std::string event = original;
      int edits = 1 + static_cast<int>(rng() % 3);
      for (int e = 0; e < edits && !event.empty(); ++e) {
        size_t at = rng() % event.size();
        switch (rng() % 3) {
          case 0:
            event[at] = alphabet[rng() % alphabet.size()];
            break;
          case 1:
            event.erase(at, 1 + rng() % 3);
            break;
          default:
            event.insert(at, 1, alphabet[rng() % alphabet.size()]);
        }
      }
      bool stream = rng() % 2 == 0;
      ++total;
      if (paths.Check(event, stream)) ++answered;
    }
  }
  // Many edits land in skipped strings or keep the JSON valid: the comparison is not vacuous.
  EXPECT_GT(answered, total / 10) << answered << " of " << total;
}

}  // namespace
}  // namespace servebench::protocol

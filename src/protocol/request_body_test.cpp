#include "protocol/request_body.h"

#include <gtest/gtest.h>

namespace servebench::protocol {
namespace {

const BackendInfo& Backend(std::string_view name) {
  auto found = FindBackend(name);
  EXPECT_TRUE(found) << name;
  return **found;
}

RequestInput TextRow(std::string text, int64_t output_len) {
  RequestInput input;
  input.text = std::move(text);
  input.output_len = output_len;
  return input;
}

RequestOptions Options(std::string model = "m") {
  RequestOptions options;
  options.model = std::move(model);
  return options;
}

std::string Body(std::string_view backend, const RequestInput& input,
                 const RequestOptions& options) {
  auto body = BuildRequestBody(Backend(backend), input, options);
  EXPECT_TRUE(body) << body.error().message;
  return body ? *body : "";
}

TEST(BackendTable, MatchesSpecSection1) {
  ASSERT_EQ(Backends().size(), 13u);
  EXPECT_EQ(Backends()[0].name, "sglang");  // the default
  struct Row {
    std::string_view name;
    int port;
    std::string_view path;
    Style style;
    bool model_in_body;
    ModelDiscovery discovery;
  };
  for (const Row& row : std::initializer_list<Row>{
           {"sglang", 30000, "/generate", Style::kNative, false, ModelDiscovery::kV1Models},
           {"sglang-native", 30000, "/generate", Style::kNative, false, ModelDiscovery::kV1Models},
           {"sglang-oai", 30000, "/v1/completions", Style::kCompletions, true,
            ModelDiscovery::kV1Models},
           {"sglang-oai-chat", 30000, "/v1/chat/completions", Style::kChat, true,
            ModelDiscovery::kV1Models},
           {"vllm", 8000, "/v1/completions", Style::kCompletions, true, ModelDiscovery::kV1Models},
           {"vllm-chat", 8000, "/v1/chat/completions", Style::kChat, true,
            ModelDiscovery::kV1Models},
           {"lmdeploy", 23333, "/v1/completions", Style::kCompletions, true,
            ModelDiscovery::kV1Models},
           {"lmdeploy-chat", 23333, "/v1/chat/completions", Style::kChat, true,
            ModelDiscovery::kV1Models},
           {"trt", 8000, "/v2/models/ensemble/generate_stream", Style::kTrt, false,
            ModelDiscovery::kNone},
           {"truss", 8080, "/v1/models/model:predict", Style::kCompletions, true,
            ModelDiscovery::kNone},
           {"tgi", 3000, "/generate_stream", Style::kTgi, false, ModelDiscovery::kTgiInfo},
           {"openai", 8000, "/v1/completions", Style::kCompletions, true,
            ModelDiscovery::kV1Models},
           {"openai-chat", 8000, "/v1/chat/completions", Style::kChat, true,
            ModelDiscovery::kV1Models},
       }) {
    const BackendInfo& b = Backend(row.name);
    EXPECT_EQ(b.default_port, row.port) << row.name;
    EXPECT_EQ(RequestPath(b, true), row.path) << row.name;
    EXPECT_EQ(b.style, row.style) << row.name;
    EXPECT_EQ(b.model_in_body, row.model_in_body) << row.name;
    EXPECT_EQ(b.discovery, row.discovery) << row.name;
    EXPECT_EQ(b.strict, row.name.starts_with("openai")) << row.name;
    EXPECT_EQ(b.model_required_by_server, row.name.starts_with("lmdeploy")) << row.name;
  }
  EXPECT_EQ(RequestPath(Backend("trt"), false), "/v2/models/ensemble/generate");
  EXPECT_EQ(RequestPath(Backend("tgi"), false), "/generate");
  EXPECT_EQ(RequestPath(Backend("vllm"), false), "/v1/completions");
  auto unknown = FindBackend("vllm-oai");
  ASSERT_FALSE(unknown);
  EXPECT_TRUE(unknown.error().message.starts_with(
      "--backend: unknown backend 'vllm-oai'; expected one of sglang, sglang-native, "))
      << unknown.error().message;
  EXPECT_FALSE(ParseCompat("tgi"));
  EXPECT_EQ(*ParseCompat("vllm"), Compat::kVllm);
}

TEST(RequestBody, NativeSpecExample) {
  EXPECT_EQ(Body("sglang", TextRow("The capital of France is", 3), Options()),
            R"({"text":"The capital of France is","sampling_params":{"max_new_tokens":3,)"
            R"("temperature":0.0,"ignore_eos":true},"stream":true,"return_logprob":false,)"
            R"("logprob_start_len":-1})");
}

TEST(RequestBody, NativeAllOptions) {
  RequestInput input;
  input.kind = PromptKind::kTokenIds;
  input.token_ids = {1, 2, 3};
  input.output_len = 8;
  input.images = {"data:image/png;base64,AAA"};
  input.lora_name = "ad1";
  RequestOptions options = Options();
  options.stream = false;
  options.temperature = 0.7;
  options.top_p = 0.9;
  options.top_k = 20;
  options.repetition_penalty = 1.1;
  options.disable_ignore_eos = true;
  options.return_logprob = true;
  options.top_logprobs_num = 5;
  options.token_ids_logprob = {7, 8};
  options.logprob_start_len = 0;
  EXPECT_EQ(Body("sglang-native", input, options),
            R"({"input_ids":[1,2,3],"sampling_params":{"max_new_tokens":8,"temperature":0.7,)"
            R"("ignore_eos":false,"top_p":0.9,"top_k":20,"repetition_penalty":1.1},)"
            R"("stream":false,"return_logprob":true,"logprob_start_len":0,"top_logprobs_num":5,)"
            R"("token_ids_logprob":[7,8],"image_data":["data:image/png;base64,AAA"],)"
            R"("lora_path":"ad1"})");
}

TEST(RequestBody, ChatSpecExample) {
  for (std::string_view backend : {"vllm-chat", "sglang-oai-chat", "lmdeploy-chat"}) {
    EXPECT_EQ(Body(backend, TextRow("Capital of France?", 3), Options()),
              R"({"model":"m","messages":[{"role":"user","content":"Capital of France?"}],)"
              R"("max_completion_tokens":3,"temperature":0.0,"ignore_eos":true,"stream":true,)"
              R"("stream_options":{"include_usage":true}})")
        << backend;
  }
}

TEST(RequestBody, CompletionsDefaultEveryNonStrictBackend) {
  for (std::string_view backend : {"vllm", "sglang-oai", "lmdeploy", "truss"}) {
    EXPECT_EQ(Body(backend, TextRow("Hi", 16), Options("llama")),
              R"({"model":"llama","prompt":"Hi","max_tokens":16,"temperature":0.0,)"
              R"("ignore_eos":true,"stream":true,"stream_options":{"include_usage":true}})")
        << backend;
  }
}

TEST(RequestBody, CompletionsCompatModes) {
  RequestInput row = TextRow("Hi", 16);
  RequestOptions options = Options();
  options.compat = Compat::kSglang;
  EXPECT_EQ(Body("sglang-oai", row, options),
            R"({"model":"m","prompt":"Hi","max_tokens":16,"temperature":0.0,"ignore_eos":true,)"
            R"("stream":true,"best_of":1})");
  options.compat = Compat::kLmdeploy;
  EXPECT_EQ(Body("lmdeploy", row, options),
            R"({"model":"m","prompt":"Hi","max_tokens":16,"temperature":0.0,"ignore_eos":true,)"
            R"("stream":true,"best_of":1})");
  options.compat = Compat::kVllm;
  EXPECT_EQ(Body("vllm", row, options),
            R"({"model":"m","prompt":"Hi","max_tokens":16,"ignore_eos":true,"stream":true,)"
            R"("stream_options":{"include_usage":true},"repetition_penalty":1.0})");
  options.temperature = 0.0;  // given explicitly: sent even in vllm mode
  options.repetition_penalty = 1.2;
  EXPECT_EQ(Body("vllm", row, options),
            R"({"model":"m","prompt":"Hi","max_tokens":16,"temperature":0.0,"ignore_eos":true,)"
            R"("stream":true,"stream_options":{"include_usage":true},"repetition_penalty":1.2})");
  // Multi-turn rounds ask for usage in every mode.
  row.multi_turn = true;
  options = Options();
  options.compat = Compat::kSglang;
  EXPECT_EQ(Body("sglang-oai", row, options),
            R"({"model":"m","prompt":"Hi","max_tokens":16,"temperature":0.0,"ignore_eos":true,)"
            R"("stream":true,"stream_options":{"include_usage":true},"best_of":1})");
}

TEST(RequestBody, ChatCompatModes) {
  RequestInput row = TextRow("Q", 4);
  RequestOptions options = Options();
  options.compat = Compat::kSglang;
  EXPECT_EQ(Body("sglang-oai-chat", row, options),
            R"({"model":"m","messages":[{"role":"user","content":"Q"}],)"
            R"("max_completion_tokens":4,"temperature":0.0,"ignore_eos":true,"stream":true})");
  options.compat = Compat::kLmdeploy;
  EXPECT_EQ(Body("lmdeploy-chat", row, options),
            R"({"model":"m","messages":[{"role":"user","content":"Q"}],)"
            R"("max_completion_tokens":4,"temperature":0.0,"ignore_eos":true,"stream":true})");
  options.compat = Compat::kVllm;
  EXPECT_EQ(Body("vllm-chat", row, options),
            R"({"model":"m","messages":[{"role":"user","content":"Q"}],)"
            R"("max_completion_tokens":4,"ignore_eos":true,"stream":true,)"
            R"("stream_options":{"include_usage":true}})");
}

TEST(RequestBody, StrictBackendsSendOnlyOpenAiFields) {
  RequestInput row = TextRow("Hi", 5);
  row.images = {"https://x/y.png"};  // image_data is an SGLang extension: not sent
  RequestOptions options = Options("gpt");
  EXPECT_EQ(Body("openai", row, options),
            R"({"model":"gpt","prompt":"Hi","max_tokens":5,"temperature":0.0,"stream":true,)"
            R"("stream_options":{"include_usage":true}})");
  options.synthetic_dataset = true;  // random, random-ids, image: vLLM's rule
  EXPECT_EQ(Body("openai", TextRow("Hi", 5), options),
            R"({"model":"gpt","prompt":"Hi","max_tokens":5,"temperature":0.0,)"
            R"("ignore_eos":true,"stream":true,"stream_options":{"include_usage":true}})");
  options.synthetic_dataset = false;
  options.ignore_eos = true;
  EXPECT_EQ(Body("openai-chat", TextRow("Hi", 5), options),
            R"({"model":"gpt","messages":[{"role":"user","content":"Hi"}],)"
            R"("max_completion_tokens":5,"temperature":0.0,"ignore_eos":true,"stream":true,)"
            R"("stream_options":{"include_usage":true}})");
  options.disable_ignore_eos = true;
  options.synthetic_dataset = true;
  EXPECT_EQ(Body("openai-chat", TextRow("Hi", 5), options),
            R"({"model":"gpt","messages":[{"role":"user","content":"Hi"}],)"
            R"("max_completion_tokens":5,"temperature":0.0,"stream":true,)"
            R"("stream_options":{"include_usage":true}})");
  EXPECT_FALSE(WantsIgnoreEos(Backend("openai"), options));
}

TEST(RequestBody, StreamOffUsageFlagsAndMaxTokensField) {
  RequestInput row = TextRow("Hi", 5);
  RequestOptions options = Options();
  options.stream = false;
  options.continuous_usage = true;  // never stream_options with stream:false
  EXPECT_EQ(Body("vllm", row, options),
            R"({"model":"m","prompt":"Hi","max_tokens":5,"temperature":0.0,"ignore_eos":true,)"
            R"("stream":false})");
  options.stream = true;
  EXPECT_EQ(Body("vllm", row, options),
            R"({"model":"m","prompt":"Hi","max_tokens":5,"temperature":0.0,"ignore_eos":true,)"
            R"("stream":true,"stream_options":{"include_usage":true,)"
            R"("continuous_usage_stats":true}})");
  options.continuous_usage = false;
  options.no_usage_request = true;
  options.max_tokens_field = MaxTokensField::kBoth;
  options.disable_ignore_eos = true;
  options.top_p = 0.95;
  EXPECT_EQ(Body("vllm-chat", row, options),
            R"({"model":"m","messages":[{"role":"user","content":"Hi"}],)"
            R"("max_completion_tokens":5,"max_tokens":5,"temperature":0.0,"top_p":0.95,)"
            R"("ignore_eos":false,"stream":true})");
  options.max_tokens_field = MaxTokensField::kMaxTokens;
  EXPECT_EQ(Body("vllm-chat", row, options),
            R"({"model":"m","messages":[{"role":"user","content":"Hi"}],"max_tokens":5,)"
            R"("temperature":0.0,"top_p":0.95,"ignore_eos":false,"stream":true})");
}

TEST(RequestBody, ExtraBodiesAndLoraOverwriteKeyByKey) {
  RequestInput row = TextRow("Hi", 5);
  row.extra_body = *ParseJsonObject(R"({"temperature":0.5,"seed":3})", "row");
  row.lora_name = "adapter-b";
  RequestOptions options = Options();
  options.top_k = 5;
  options.min_p = 0.1;
  options.frequency_penalty = 0.5;
  options.presence_penalty = -0.5;
  options.extra_body = *ParseJsonObject(
      R"({"stream":false, "top_k": 9, "chat_template_kwargs": {"enable_thinking": false}})",
      "--extra-request-body");
  EXPECT_EQ(Body("vllm", row, options),
            R"({"model":"adapter-b","prompt":"Hi","max_tokens":5,"temperature":0.5,)"
            R"("ignore_eos":true,"stream":false,"stream_options":{"include_usage":true},)"
            R"("top_k":9,"min_p":0.1,"frequency_penalty":0.5,"presence_penalty":-0.5,)"
            R"("chat_template_kwargs":{"enable_thinking":false},"seed":3,)"
            R"("lora_path":"adapter-b"})");
}

TEST(RequestBody, ChatMessagesFromRowsAndImages) {
  RequestInput row;
  row.kind = PromptKind::kMessages;
  row.messages = {{"system", "Be brief.", false},
                  {"user", R"([{"type":"text","text":"Hi"}])", true},
                  {"assistant", "Hello \"you\"", false}};
  row.output_len = 2;
  RequestOptions options = Options();
  options.no_usage_request = true;
  EXPECT_EQ(Body("sglang-oai-chat", row, options),
            R"({"model":"m","messages":[{"role":"system","content":"Be brief."},)"
            R"({"role":"user","content":[{"type":"text","text":"Hi"}]},)"
            R"({"role":"assistant","content":"Hello \"you\""}],"max_completion_tokens":2,)"
            R"("temperature":0.0,"ignore_eos":true,"stream":true})");
  RequestInput image = TextRow("What is it?", 2);
  image.images = {"data:image/jpeg;base64,QQ", "https://h/i.png"};
  EXPECT_EQ(Body("vllm-chat", image, options),
            R"({"model":"m","messages":[{"role":"user","content":[)"
            R"({"type":"image_url","image_url":{"url":"data:image/jpeg;base64,QQ"}},)"
            R"({"type":"image_url","image_url":{"url":"https://h/i.png"}},)"
            R"({"type":"text","text":"What is it?"}]}],"max_completion_tokens":2,)"
            R"("temperature":0.0,"ignore_eos":true,"stream":true})");
  options.compat = Compat::kVllm;
  options.temperature = 0.0;
  EXPECT_EQ(Body("vllm-chat", image, options),
            R"({"model":"m","messages":[{"role":"user","content":[)"
            R"({"type":"text","text":"What is it?"},)"
            R"({"type":"image_url","image_url":{"url":"data:image/jpeg;base64,QQ"}},)"
            R"({"type":"image_url","image_url":{"url":"https://h/i.png"}}]}],)"
            R"("max_completion_tokens":2,"temperature":0.0,"ignore_eos":true,"stream":true})");
  // Images on a completions backend ride in image_data (SGLang extension).
  EXPECT_EQ(Body("sglang-oai", image, Options()),
            R"({"model":"m","prompt":"What is it?","max_tokens":2,"temperature":0.0,)"
            R"("ignore_eos":true,"stream":true,"stream_options":{"include_usage":true},)"
            R"("image_data":["data:image/jpeg;base64,QQ","https://h/i.png"]})");
}

TEST(RequestBody, LogprobFields) {
  RequestInput row = TextRow("Hi", 2);
  RequestOptions options = Options();
  options.no_usage_request = true;
  options.return_logprob = true;
  options.top_logprobs_num = 3;
  EXPECT_EQ(Body("sglang-oai", row, options),
            R"({"model":"m","prompt":"Hi","max_tokens":2,"temperature":0.0,"ignore_eos":true,)"
            R"("stream":true,"logprobs":3})");
  EXPECT_EQ(Body("sglang-oai-chat", row, options),
            R"({"model":"m","messages":[{"role":"user","content":"Hi"}],)"
            R"("max_completion_tokens":2,"temperature":0.0,"ignore_eos":true,"stream":true,)"
            R"("logprobs":true,"top_logprobs":3})");
  options.return_logprob = false;
  options.logprobs = 1;
  EXPECT_EQ(Body("vllm", row, options),
            R"({"model":"m","prompt":"Hi","max_tokens":2,"temperature":0.0,"ignore_eos":true,)"
            R"("stream":true,"logprobs":1})");
}

TEST(RequestBody, TokenIdPromptsOnCompletions) {
  RequestInput row;
  row.kind = PromptKind::kTokenIds;
  row.token_ids = {101, 7592};
  row.output_len = 4;
  EXPECT_EQ(Body("vllm", row, Options()),
            R"({"model":"m","prompt":[101,7592],"max_tokens":4,"temperature":0.0,)"
            R"("ignore_eos":true,"stream":true,"stream_options":{"include_usage":true}})");
}

TEST(RequestBody, Trt) {
  EXPECT_EQ(Body("trt", TextRow("Hi", 4), Options()),
            R"({"text_input":"Hi","max_tokens":4,"temperature":1e-06,"top_p":1.0,)"
            R"("stream":true,"accumulate_tokens":true,"min_length":4,"end_id":1048576,)"
            R"("bad_words":"","stop_words":""})");
  RequestOptions options = Options();
  options.stream = false;
  options.temperature = 0.8;
  options.disable_ignore_eos = true;
  EXPECT_EQ(Body("trt", TextRow("Hi", 4), options),
            R"({"text_input":"Hi","max_tokens":4,"temperature":0.8,"top_p":1.0,)"
            R"("accumulate_tokens":true,"bad_words":"","stop_words":"",)"
            R"("exclude_input_in_output":true})");
}

TEST(RequestBody, Tgi) {
  EXPECT_EQ(Body("tgi", TextRow("Hi", 4), Options()),
            R"({"inputs":"Hi","parameters":{"max_new_tokens":4,"details":true}})");
  RequestOptions options = Options();
  options.temperature = 0.6;
  options.top_p = 0.9;
  options.top_k = 40;
  EXPECT_EQ(Body("tgi", TextRow("Hi", 4), options),
            R"({"inputs":"Hi","parameters":{"max_new_tokens":4,"details":true,)"
            R"("do_sample":true,"temperature":0.6,"top_p":0.9,"top_k":40}})");
  EXPECT_TRUE(WantsIgnoreEos(Backend("tgi"), Options()));
}

TEST(RequestBody, RowsABackendCannotSend) {
  RequestInput ids;
  ids.kind = PromptKind::kTokenIds;
  ids.token_ids = {1};
  auto tgi = BuildRequestBody(Backend("tgi"), ids, Options());
  ASSERT_FALSE(tgi);
  EXPECT_EQ(tgi.error().message,
            "--backend tgi: this backend sends prompt text; the dataset row has token ids");
  auto chat = BuildRequestBody(Backend("vllm-chat"), ids, Options());
  ASSERT_FALSE(chat);
  RequestInput messages;
  messages.kind = PromptKind::kMessages;
  messages.messages = {{"user", "x", false}};
  auto completions = BuildRequestBody(Backend("vllm"), messages, Options());
  ASSERT_FALSE(completions);
  EXPECT_EQ(completions.error().message,
            "--backend vllm: the dataset row is a chat conversation; use a chat backend (e.g. "
            "vllm-chat)");
  RequestInput lora = TextRow("x", 1);
  lora.lora_name = "a";
  auto trt = BuildRequestBody(Backend("trt"), lora, Options());
  ASSERT_FALSE(trt);
  EXPECT_EQ(trt.error().message, "--lora-name: --backend trt has no LoRA adapter field");
}

TEST(RequestBody, IdenticalInputsGiveIdenticalBytes) {
  RequestInput row = TextRow("naïve “quotes” \\ \n", 7);
  RequestOptions options = Options();
  options.extra_body = *ParseJsonObject(R"({"b":1,"a":[1,{"y":2,"x":1}]})", "x");
  for (const BackendInfo& backend : Backends()) {
    auto first = BuildRequestBody(backend, row, options);
    auto second = BuildRequestBody(backend, row, options);
    ASSERT_TRUE(first && second) << backend.name;
    EXPECT_EQ(*first, *second);
    EXPECT_NE(first->find(R"("naïve “quotes” \\ \n")"), std::string::npos) << *first;
    EXPECT_TRUE(first->ends_with(R"("b":1,"a":[1,{"y":2,"x":1}]})")) << *first;
  }
}

}  // namespace
}  // namespace servebench::protocol

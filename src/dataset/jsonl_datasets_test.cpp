// The custom (conversation) and openai (chat request) JSONL datasets from files written by each
// test, through BuildDataset with the fake tokenizer and chat template.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "common/base64.h"
#include "dataset/dataset.h"
#include "dataset/fake_codec.h"
#include "dataset/fake_renderer.h"

namespace servebench::dataset {
namespace {

namespace fs = std::filesystem;
using testing::FakeCodec;
using testing::FakeRenderer;

class Jsonl : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("jsonl-" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return (dir_ / name).string();
  }
  DatasetOptions Options(DatasetKind kind, const std::string& path, size_t n) {
    DatasetOptions o;
    o.kind = kind;
    o.path = path;
    o.num_prompts = n;
    o.disable_shuffle = true;
    o.backend = "openai-chat";
    o.chat_backend = true;
    o.image_backend = true;
    return o;
  }
  Expected<DatasetResult> Build(const DatasetOptions& o, bool with_template = true) {
    return BuildDataset(o, {codec_, with_template ? &renderer_ : nullptr});
  }

  fs::path dir_;
  FakeCodec codec_;
  FakeRenderer renderer_;
};

TEST_F(Jsonl, CustomConversationsTakeContentOrValue) {
  std::string path = Write("c.jsonl",
                           "{\"conversations\":[{\"role\":\"user\",\"content\":\"hello\"},"
                           "{\"role\":\"assistant\",\"content\":\"world\"}]}\n"
                           "\n"
                           "{\"conversation\":[{\"value\":\"again\"},{\"value\":\"there\"}]}\n");
  auto built = Build(Options(DatasetKind::kCustom, path, 5));
  ASSERT_TRUE(built.has_value()) << built.error().message;
  ASSERT_EQ(built->rows.size(), 2u);
  EXPECT_EQ(built->rows[0].prompt_text, "hello");
  EXPECT_EQ(built->rows[0].prompt_len, 6);
  EXPECT_EQ(built->rows[0].output_len, 6);
  EXPECT_EQ(built->rows[1].prompt_text, "again");
  EXPECT_EQ(built->report.read, 2u);  // the blank line is not a record
  ASSERT_EQ(built->report.warnings.size(), 1u);
  EXPECT_NE(built->report.warnings[0].find("only 2 usable rows for --num-prompts 5"),
            std::string::npos);
}

TEST_F(Jsonl, CustomRowsCarryTheirTimestamps) {
  std::string path =
      Write("t.jsonl",
            "{\"timestamp\": 1500.5, \"conversations\":[{\"value\":\"first one\"},"
            "{\"value\":\"reply\"}]}\n"
            "{\"conversations\":[{\"value\":\"second one\"},{\"value\":\"reply\"}],"
            "\"timestamp\": 20}\n"
            "{\"conversations\":[{\"value\":\"third one\"},{\"value\":\"reply\"}]}\n");
  auto built = Build(Options(DatasetKind::kCustom, path, 3));
  ASSERT_TRUE(built.has_value()) << built.error().message;
  ASSERT_EQ(built->rows.size(), 3u);
  EXPECT_EQ(built->rows[0].timestamp_ms, 1500.5);
  EXPECT_EQ(built->rows[1].timestamp_ms, 20.0);
  EXPECT_FALSE(built->rows[2].timestamp_ms.has_value());

  std::string bad = Write("bad-t.jsonl",
                          "{\"conversations\":[{\"value\":\"a b\"},{\"value\":\"c d\"}]}\n"
                          "{\"timestamp\":\"noon\",\"conversations\":[{\"value\":\"a b\"},"
                          "{\"value\":\"c d\"}]}\n");
  auto refused = Build(Options(DatasetKind::kCustom, bad, 2));
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message.find("bad-t.jsonl:2: field timestamp"), std::string::npos)
      << refused.error().message;
}

TEST_F(Jsonl, CustomBadLinesNameFileAndLine) {
  struct Case {
    std::string line, expected;
  };
  for (const Case& c : std::vector<Case>{
           {"not json", "expected a JSON object"},
           {"{\"conversations\": [", "expected one JSON object"},
           {"[1, 2]", "expected a JSON object"},
           {"{\"turns\": []}", "expected a \"conversations\" array"},
           {"{\"conversations\":[{\"content\":5},{\"content\":\"x\"}]}",
            "field content/value: expected a string"},
           {"{\"conversations\":[{\"role\":\"user\"},{\"content\":\"x\"}]}",
            "field content/value: expected in every turn"},
           {"{\"conversations\":[{\"content\":\"a\"},{\"content\":\"b\"}]} trailing",
            "expected one JSON object"},
       }) {
    std::string path =
        Write("bad.jsonl", "{\"conversations\":[{\"content\":\"fine\"},{\"content\":\"ok\"}]}\n" +
                               c.line + "\n");
    auto built = Build(Options(DatasetKind::kCustom, path, 2));
    ASSERT_FALSE(built.has_value()) << c.line;
    EXPECT_NE(built.error().message.find(path + ":2: "), std::string::npos)
        << built.error().message;
    EXPECT_NE(built.error().message.find(c.expected), std::string::npos) << built.error().message;

    DatasetOptions skip = Options(DatasetKind::kCustom, path, 2);
    skip.skip_invalid_lines = true;
    auto skipped = Build(skip);
    ASSERT_TRUE(skipped.has_value()) << skipped.error().message;
    EXPECT_EQ(skipped->rows.size(), 1u);
    EXPECT_EQ(skipped->report.DropSummary(), "1 invalid lines");
  }
}

TEST_F(Jsonl, CustomImagesBecomeDataUrisAndNeedAnImageBackend) {
  std::ofstream(dir_ / "pic.png", std::ios::binary) << "PNGBYTES";
  std::string path = Write("img.jsonl",
                           "{\"image\":\"pic.png\",\"conversations\":[{\"content\":\"<image 1>look "
                           "here\"},{\"content\":\"a cat\"}]}\n");
  auto built = Build(Options(DatasetKind::kCustom, path, 1));
  ASSERT_TRUE(built.has_value()) << built.error().message;
  EXPECT_EQ(built->rows[0].prompt_text, "look here");
  ASSERT_EQ(built->rows[0].images.size(), 1u);
  EXPECT_EQ(built->rows[0].images[0], "data:image/png;base64," + Base64Encode("PNGBYTES"));

  DatasetOptions text_only = Options(DatasetKind::kCustom, path, 1);
  text_only.backend = "vllm";
  text_only.image_backend = false;
  auto refused = Build(text_only);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message.find("--backend vllm"), std::string::npos);

  std::string missing = Write("missing.jsonl",
                              "{\"image\":\"nope.png\",\"conversations\":[{\"content\":\"a\"},"
                              "{\"content\":\"b\"}]}\n");
  auto absent = Build(Options(DatasetKind::kCustom, missing, 1));
  ASSERT_FALSE(absent.has_value());
  EXPECT_NE(absent.error().message.find(missing + ":1: image"), std::string::npos);
}

TEST_F(Jsonl, CustomRefusesTokenIdsAndAMissingFile) {
  DatasetOptions o = Options(DatasetKind::kCustom, (dir_ / "absent.jsonl").string(), 1);
  auto missing = Build(o);
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("no such file"), std::string::npos);
  o.tokenize_prompt = true;
  auto ids = Build(o);
  ASSERT_FALSE(ids.has_value());
  EXPECT_NE(ids.error().message.find("--tokenize-prompt"), std::string::npos);
}

TEST_F(Jsonl, CustomMultiTurnSessions) {
  std::string path = Write("m.jsonl",
                           "{\"conversations\":[{\"content\":\"hi\"},{\"content\":\"hey\"},"
                           "{\"content\":\"more\"},{\"content\":\"sure\"}]}\n");
  DatasetOptions o = Options(DatasetKind::kCustom, path, 1);
  o.multi_turn = true;
  auto built = Build(o);
  ASSERT_TRUE(built.has_value()) << built.error().message;
  ASSERT_EQ(built->rows[0].rounds.size(), 2u);
  EXPECT_EQ(built->rows[0].rounds[1].user_text, "more");
  EXPECT_EQ(built->rows[0].rounds[1].dataset_reply, "sure");
  EXPECT_EQ(built->rows[0].rounds[1].output_len, 5);
}

TEST_F(Jsonl, OpenAiRowsCarryMessagesLimitsExtraBodyAndTimestamp) {
  std::string path =
      Write("o.jsonl",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
            "{\"role\":\"user\",\"content\":\"hello\"}],\"max_tokens\":50,\"temperature\":0.5,"
            "\"timestamp\":1500}\n"
            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}],"
            "\"max_completion_tokens\":7,\"max_tokens\":9}\n"
            "{\"messages\":[{\"role\":\"user\",\"content\":\"third\"}]}\n");
  auto built = Build(Options(DatasetKind::kOpenAi, path, 2));
  ASSERT_TRUE(built.has_value()) << built.error().message;
  ASSERT_EQ(built->rows.size(), 2u);  // the first N lines
  const WorkloadRow& a = built->rows[0];
  ASSERT_EQ(a.messages.size(), 2u);
  EXPECT_EQ(a.messages[0].role, "system");
  EXPECT_EQ(a.output_len, 50);
  EXPECT_EQ(a.extra_body_json, "{\"temperature\":0.5}");
  ASSERT_TRUE(a.timestamp_ms.has_value());
  EXPECT_EQ(*a.timestamp_ms, 1500);
  // The fake template: "<s>[system]bebrief<s>[user]hello[assistant]", counted without specials.
  std::string rendered = *renderer_.Render(a.messages);
  EXPECT_EQ(a.prompt_len, static_cast<int64_t>(codec_.Encode(rendered, false).size()));
  const WorkloadRow& b = built->rows[1];
  EXPECT_EQ(b.output_len, 7);  // max_completion_tokens wins over max_tokens
  EXPECT_TRUE(b.messages[0].content_is_json);
  EXPECT_EQ(b.messages[0].content, "[{\"type\":\"text\",\"text\":\"hi\"}]");

  DatasetOptions fixed = Options(DatasetKind::kOpenAi, path, 3);
  fixed.sharegpt_output_len = 11;
  auto overridden = Build(fixed);
  ASSERT_TRUE(overridden.has_value());
  for (const WorkloadRow& row : overridden->rows)
    EXPECT_EQ(row.output_len, 11);
  EXPECT_EQ(overridden->rows[2].output_len, 11);
  DatasetOptions plain = Options(DatasetKind::kOpenAi, path, 3);
  auto defaults = Build(plain);
  ASSERT_TRUE(defaults.has_value());
  EXPECT_EQ(defaults->rows[2].output_len, 256);
}

TEST_F(Jsonl, OpenAiToolsCountAsPythonJson) {
  std::string path = Write("t.jsonl",
                           "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                           "\"tools\":[{\"name\":\"f\",\"n\":1}]}\n");
  auto built = Build(Options(DatasetKind::kOpenAi, path, 1));
  ASSERT_TRUE(built.has_value()) << built.error().message;
  const WorkloadRow& row = built->rows[0];
  std::string rendered = *renderer_.Render(row.messages, "[{\"name\":\"f\",\"n\":1}]");
  int64_t expected =
      static_cast<int64_t>(codec_.Encode(rendered, false).size() +
                           codec_.Encode("[{\"name\": \"f\", \"n\": 1}]", true).size());
  EXPECT_EQ(row.prompt_len, expected);
  EXPECT_EQ(row.extra_body_json, "{\"tools\":[{\"name\":\"f\",\"n\":1}]}");
}

TEST_F(Jsonl, OpenAiBadLinesAndBackends) {
  struct Case {
    std::string line, expected;
  };
  for (const Case& c : std::vector<Case>{
           {"{\"messages\":[{\"content\":\"no role\"}]}", "field messages[0].role"},
           {"{\"messages\":\"text\"}", "field messages: expected an array"},
           {"{\"messages\":[]}", "expected a non-empty array"},
           {"{\"messages\":[{\"role\":\"user\",\"content\":\"a\"}],\"max_tokens\":\"ten\"}",
            "field max_tokens: expected a positive integer"},
           {"{oops", "expected one JSON object"},
       }) {
    std::string path = Write("bad.jsonl", c.line + "\n");
    auto built = Build(Options(DatasetKind::kOpenAi, path, 1));
    ASSERT_FALSE(built.has_value()) << c.line;
    EXPECT_NE(built.error().message.find(path + ":1: "), std::string::npos)
        << built.error().message;
    EXPECT_NE(built.error().message.find(c.expected), std::string::npos) << built.error().message;
  }
  std::string good =
      Write("good.jsonl", "{\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}\n");
  DatasetOptions o = Options(DatasetKind::kOpenAi, good, 1);
  o.backend = "sglang";
  o.chat_backend = false;
  auto refused = Build(o);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message.find("--backend sglang"), std::string::npos);
}

}  // namespace
}  // namespace servebench::dataset

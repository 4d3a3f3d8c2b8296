// A SentencePiece model trained on the spot (libsentencepiece's trainer), read through
// LoadTokenizer and compared with the library's own processor.
#include "tokenizer/sentencepiece_tokenizer.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include "tokenizer/tokenizer.h"

namespace servebench::tokenizer {
namespace {

namespace fs = std::filesystem;

class SentencePiece : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::path(testing::TempDir()) / ("spm-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    std::ofstream corpus(dir_ / "corpus.txt");
    const char* lines[] = {"The quick brown fox jumps over the lazy dog.",
                           "Tokenizers turn text into ids and back again.",
                           "Benchmarks measure servers under load, token by token.",
                           "Hello world, hello tokens, hello servebench!",
                           "Numbers like 12345 and 2024 appear in text too."};
    for (int i = 0; i < 200; ++i)
      corpus << lines[i % 5] << " " << i << "\n";
    corpus.close();
    auto status = sentencepiece::SentencePieceTrainer::Train(
        "--input=" + (dir_ / "corpus.txt").string() + " --model_prefix=" + (dir_ / "m").string() +
        " --vocab_size=90 --model_type=unigram --minloglevel=2");
    ASSERT_TRUE(status.ok()) << status.ToString();
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }
  static fs::path dir_;
};

fs::path SentencePiece::dir_;

TEST_F(SentencePiece, EncodesAsTheLibraryDoes) {
  std::string model = (dir_ / "m.model").string();
  auto tokenizer = LoadTokenizer(model);
  ASSERT_TRUE(tokenizer) << tokenizer.error().message;
  sentencepiece::SentencePieceProcessor processor;
  ASSERT_TRUE(processor.Load(model).ok());
  const std::string text = "Hello quick tokens, 2024 servers!";
  std::vector<int> expected;
  ASSERT_TRUE(processor.Encode(text, &expected).ok());
  std::vector<int32_t> ids = (*tokenizer)->Encode(text);
  EXPECT_EQ(ids, std::vector<int32_t>(expected.begin(), expected.end()));
  std::vector<int32_t> with_bos = (*tokenizer)->Encode(text, true);
  ASSERT_EQ(with_bos.size(), ids.size() + 1);
  EXPECT_EQ(with_bos[0], processor.bos_id());
  EXPECT_EQ((*tokenizer)->special_ids().bos, std::optional<int32_t>(processor.bos_id()));
  EXPECT_EQ((*tokenizer)->special_ids().eos, std::optional<int32_t>(processor.eos_id()));
  EXPECT_EQ((*tokenizer)->Decode(with_bos, true), text);
  EXPECT_EQ((*tokenizer)->VocabSize(), 90u);
  EXPECT_EQ((*tokenizer)->IdToToken(ids[0]),
            std::optional<std::string>(processor.IdToPiece(ids[0])));
  EXPECT_EQ((*tokenizer)->TokenToId(processor.IdToPiece(ids[0])), std::optional<int32_t>(ids[0]));
  EXPECT_EQ((*tokenizer)->TokenToId("no-such-piece"), std::nullopt);
}

TEST_F(SentencePiece, ConfigBesideTheModelTurnsBosOff) {
  fs::path sub = dir_ / "no-bos";
  fs::create_directories(sub);
  fs::copy_file(dir_ / "m.model", sub / "tokenizer.model", fs::copy_options::overwrite_existing);
  std::ofstream(sub / "tokenizer_config.json")
      << R"({"add_bos_token": false, "add_eos_token": true, "model_max_length": 1000000000000000019884624838656})";
  auto tokenizer = LoadTokenizer(sub.string());
  ASSERT_TRUE(tokenizer) << tokenizer.error().message;
  std::vector<int32_t> ids = (*tokenizer)->Encode("hello", true);
  ASSERT_FALSE(ids.empty());
  EXPECT_NE(ids.front(), *(*tokenizer)->special_ids().bos);
  EXPECT_EQ(ids.back(), *(*tokenizer)->special_ids().eos);
}

TEST_F(SentencePiece, NotAModelIsAnErrorNamingTheFile) {
  fs::path bogus = dir_ / "bogus.model";
  std::ofstream(bogus) << "this is not a protobuf";
  auto tokenizer = LoadTokenizer(bogus.string());
  ASSERT_FALSE(tokenizer);
  EXPECT_EQ(tokenizer.error().message.rfind(bogus.string() + ": not a SentencePiece model", 0), 0u)
      << tokenizer.error().message;
}

}  // namespace
}  // namespace servebench::tokenizer

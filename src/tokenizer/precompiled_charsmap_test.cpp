// The Precompiled normalizer's map, compiled by SentencePiece's own trainer from a small rule
// table, then read back out of the trained model (a protobuf) and applied by our trie reader.
#include "tokenizer/precompiled_charsmap.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sentencepiece_trainer.h>

namespace servebench::tokenizer {
namespace {

namespace fs = std::filesystem;

// The bytes of length-delimited field `field` of a protobuf message, or empty.
std::string_view ProtoField(std::string_view message, uint32_t field) {
  size_t i = 0;
  auto varint = [&]() {
    uint64_t v = 0;
    for (int shift = 0; i < message.size(); shift += 7) {
      auto b = static_cast<uint8_t>(message[i++]);
      v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) break;
    }
    return v;
  };
  while (i < message.size()) {
    uint64_t key = varint();
    uint64_t type = key & 7;
    if (type == 0) {
      varint();
    } else if (type == 1) {
      i += 8;
    } else if (type == 5) {
      i += 4;
    } else if (type == 2) {
      uint64_t n = varint();
      if ((key >> 3) == field) return message.substr(i, n);
      i += n;
    } else {
      return {};
    }
  }
  return {};
}

TEST(PrecompiledCharsmap, AppliesTheRulesSentencePieceCompiled) {
  fs::path dir = fs::path(testing::TempDir()) / ("charsmap-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "rules.tsv") << "FF21\t41\nFB01\t66 69\n65 301\tE9\n2160\t49\n";
  std::ofstream corpus(dir / "corpus.txt");
  for (int i = 0; i < 100; ++i)
    corpus << "some plain text for training number " << i << "\n";
  corpus.close();
  std::string model;
  auto status = sentencepiece::SentencePieceTrainer::Train(
      "--input=" + (dir / "corpus.txt").string() +
          " --vocab_size=40 --minloglevel=2 --normalization_rule_tsv=" +
          (dir / "rules.tsv").string(),
      nullptr, &model);
  fs::remove_all(dir);
  ASSERT_TRUE(status.ok()) << status.ToString();
  std::string_view normalizer_spec = ProtoField(model, 3);
  std::string_view blob = ProtoField(normalizer_spec, 2);
  ASSERT_FALSE(blob.empty());

  auto map = PrecompiledCharsmap::FromBlob(blob);
  ASSERT_TRUE(map) << map.error().message;
  EXPECT_EQ(map->Normalize("\xEF\xBC\xA1"), "A");       // Ａ
  EXPECT_EQ(map->Normalize("x\xEF\xAC\x81y"), "xfiy");  // ﬁ
  EXPECT_EQ(map->Normalize("caf"
                           "e\xCC\x81!"),
            "caf\xC3\xA9!");                                   // e + U+0301
  EXPECT_EQ(map->Normalize("\xE2\x85\xA0 plain"), "I plain");  // Ⅰ
  EXPECT_EQ(map->Normalize("untouched \xE4\xBD\xA0"), "untouched \xE4\xBD\xA0");
  EXPECT_FALSE(PrecompiledCharsmap::FromBlob("\x10\x00\x00\x00"));  // trie larger than blob
}

}  // namespace
}  // namespace servebench::tokenizer

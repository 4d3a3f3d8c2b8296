// Every component family (models, normalizers, pre-tokenizers, added-token flags, post-processors,
// decoders) on small tokenizer.json files, against the ids and texts HuggingFace's own library
// gave for them (tests/fixtures/tokenizer/make-component-goldens.js).
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "tokenizer/hf_tokenizer.h"

namespace servebench::tokenizer {
namespace {

std::string Show(const std::vector<int32_t>& ids) {
  std::string s;
  for (int32_t id : ids)
    s += std::to_string(id) + " ";
  return s;
}

std::vector<int32_t> Ids(simdjson::dom::element e) {
  std::vector<int32_t> ids;
  simdjson::dom::array array = e.get_array().value();
  for (int64_t id : array)
    ids.push_back(static_cast<int32_t>(id));
  return ids;
}

TEST(Components, MatchHuggingFace) {
  std::ifstream in(std::string(SERVEBENCH_SOURCE_DIR) +
                   "/tests/fixtures/tokenizer/components.jsonl");
  std::string line;
  simdjson::dom::parser parser;
  size_t tokenizers = 0, cases = 0;
  while (std::getline(in, line)) {
    simdjson::dom::element doc = parser.parse(line).value();
    std::string name(doc["name"].get_string().value());
    std::string json = simdjson::minify(doc["tokenizer"]);
    auto tokenizer = ParseHfTokenizer(json, name);
    ASSERT_TRUE(tokenizer) << tokenizer.error().message;
    ++tokenizers;
    simdjson::dom::array list = doc["cases"].get_array().value();
    for (simdjson::dom::element c : list) {
      std::string text(c["text"].get_string().value());
      std::string where = name + ": \"" + text + "\"";
      std::vector<int32_t> ids_special = (*tokenizer)->Encode(text, true);
      EXPECT_EQ(Show((*tokenizer)->Encode(text, false)), Show(Ids(c["ids"]))) << where;
      EXPECT_EQ(Show(ids_special), Show(Ids(c["ids_special"]))) << where;
      EXPECT_EQ((*tokenizer)->Decode(Ids(c["ids_special"]), false),
                std::string(c["decode"].get_string().value()))
          << where;
      EXPECT_EQ((*tokenizer)->Decode(Ids(c["ids_special"]), true),
                std::string(c["decode_skip"].get_string().value()))
          << where;
      ++cases;
    }
  }
  EXPECT_GE(tokenizers, 40u);
  EXPECT_GE(cases, 400u);
}

}  // namespace
}  // namespace servebench::tokenizer

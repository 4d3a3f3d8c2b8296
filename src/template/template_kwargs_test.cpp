#include "template/template_kwargs.h"

#include <gtest/gtest.h>

#include "template/chat_template.h"

namespace servebench::tmpl {
namespace {

TEST(TemplateKwargsTest, MembersKeepTheirOrderAndTypes) {
  auto kwargs = ParseTemplateKwargs(R"({"enable_thinking": false, "n": 3, "who": "x"})", "--f");
  ASSERT_TRUE(kwargs) << kwargs.error().message;
  ASSERT_EQ(kwargs->size(), 3u);
  EXPECT_EQ((*kwargs)[0].first, "enable_thinking");
  EXPECT_EQ((*kwargs)[1].first, "n");
  EXPECT_EQ((*kwargs)[2].first, "who");
}

TEST(TemplateKwargsTest, ReachTheTemplatesVariables) {
  auto chat_template = ChatTemplate::Parse(
      "{% if enable_thinking is defined and not enable_thinking %}no-think{% else %}think"
      "{% endif %}|{{ n + 1 }}");
  ASSERT_TRUE(chat_template) << chat_template.error().message;
  auto kwargs = ParseTemplateKwargs(R"({"enable_thinking": false, "n": 3})", "--f");
  ASSERT_TRUE(kwargs);
  RenderOptions options;
  options.kwargs = *kwargs;
  auto text = chat_template->render(Value::List(), options);
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(*text, "no-think|4");
}

TEST(TemplateKwargsTest, AnythingButAnObjectIsAnErrorNamingTheFlag) {
  for (const char* bad : {"[1, 2]", "true", "{oops", "\"s\""}) {
    auto kwargs = ParseTemplateKwargs(bad, "--chat-template-kwargs");
    ASSERT_FALSE(kwargs) << bad;
    EXPECT_EQ(kwargs.error().message.rfind("--chat-template-kwargs: expected a JSON object", 0), 0u)
        << kwargs.error().message;
    EXPECT_EQ(kwargs.error().message.find('\n'), std::string::npos);
  }
}

}  // namespace
}  // namespace servebench::tmpl

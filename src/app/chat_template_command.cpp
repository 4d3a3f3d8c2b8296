// `servebench chat-template`: renders a chat template over a conversation file, writing exactly
// the rendered text (no newline added) so it can be compared with Python's output byte for byte.
#include <cstdio>
#include <memory>
#include <string>

#include "app/commands.h"
#include "template/chat_template.h"
#include "template/conversation.h"
#include "template/template_kwargs.h"
#include "template/template_source.h"

namespace servebench::app {
namespace {

struct ChatTemplateFlags {
  std::string tokenizer_dir;
  std::string template_file;
  std::string template_name;
  std::string messages_file;
  std::string kwargs_json;
  bool add_generation_prompt = false;
};

Expected<std::string> Run(const ChatTemplateFlags& f) {
  Expected<tmpl::ChatTemplate> chat_template = MakeError("no template");
  if (!f.template_file.empty()) {
    auto source = tmpl::ReadTextFile(f.template_file);
    if (!source) return std::unexpected(source.error());
    chat_template = tmpl::ChatTemplate::Parse(*source);
    if (!chat_template) return MakeError("{}: {}", f.template_file, chat_template.error().message);
  } else {
    chat_template = tmpl::LoadChatTemplate(f.tokenizer_dir, f.template_name);
    if (!chat_template) return std::unexpected(chat_template.error());
  }
  auto text = tmpl::ReadTextFile(f.messages_file);
  if (!text) return std::unexpected(text.error());
  auto conversation = tmpl::ParseConversation(*text, f.messages_file);
  if (!conversation) return std::unexpected(conversation.error());

  tmpl::RenderOptions options;
  options.add_generation_prompt = f.add_generation_prompt;
  options.tools = conversation->tools;
  options.documents = conversation->documents;
  if (!f.kwargs_json.empty()) {
    auto kwargs = tmpl::ParseTemplateKwargs(f.kwargs_json, "--chat-template-kwargs");
    if (!kwargs) return std::unexpected(kwargs.error());
    options.kwargs = std::move(*kwargs);
  }
  return chat_template->render(conversation->messages, options);
}

}  // namespace

void AddChatTemplateCommand(CLI::App& app, CommandRunner& runner) {
  auto flags = std::make_shared<ChatTemplateFlags>();
  CLI::App* cmd = app.add_subcommand(
      "chat-template", "Render a model's chat template over a conversation (as transformers does)");
  auto* tokenizer = cmd->add_option("--tokenizer", flags->tokenizer_dir,
                                    "Directory with tokenizer_config.json or chat_template.jinja");
  auto* file = cmd->add_option("--template", flags->template_file, "A Jinja template file");
  tokenizer->excludes(file);
  cmd->add_option("--template-name", flags->template_name,
                  "Which of several named templates in tokenizer_config.json (default: default)")
      ->needs(tokenizer);
  cmd->add_option("--messages", flags->messages_file,
                  "JSON file: a list of messages, or {\"messages\", \"tools\", \"documents\"}")
      ->required();
  cmd->add_flag("--add-generation-prompt", flags->add_generation_prompt,
                "End with the prompt that starts the assistant's turn");
  cmd->add_option("--chat-template-kwargs", flags->kwargs_json,
                  "JSON object of extra template variables, e.g. {\"enable_thinking\": false}");

  cmd->callback([flags, &runner] {
    runner = [flags] {
      if (flags->tokenizer_dir.empty() && flags->template_file.empty()) {
        std::fprintf(stderr,
                     "chat-template: one of --tokenizer DIR or --template FILE is required\n");
        return 2;
      }
      auto text = Run(*flags);
      if (!text) {
        std::fprintf(stderr, "chat-template: %s\n", text.error().message.c_str());
        return 1;
      }
      std::fwrite(text->data(), 1, text->size(), stdout);
      return std::fflush(stdout) == 0 ? 0 : 1;
    };
  });
}

}  // namespace servebench::app

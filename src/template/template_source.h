// Finds a model's chat template and special tokens in a tokenizer directory, as transformers
// does: `chat_template.jinja` if present, else tokenizer_config.json's `chat_template` (a string,
// or a list of {name, template} from which "default" or the asked name is taken).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "template/chat_template.h"
#include "template/value.h"

namespace servebench::tmpl {

struct ChatTemplateSource {
  std::string source;
  std::string origin;  // the file (and template name) it came from, for messages
  // bos_token, eos_token, unk_token, sep_token, pad_token, cls_token, mask_token (those set)
  // and additional_special_tokens, as transformers' special_tokens_map passes them.
  std::vector<std::pair<std::string, Value>> special_tokens;
};

// `name` empty means the default template.
Expected<ChatTemplateSource> FindChatTemplate(const std::string& dir, const std::string& name = "");

// FindChatTemplate then ChatTemplate::Parse; errors name the file.
Expected<ChatTemplate> LoadChatTemplate(const std::string& dir, const std::string& name = "");

// Reads a whole file; the error names it.
Expected<std::string> ReadTextFile(const std::string& path);

}  // namespace servebench::tmpl

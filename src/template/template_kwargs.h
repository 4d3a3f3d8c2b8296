// `--chat-template-kwargs JSON`: extra variables every render of a chat template sees (e.g.
// {"enable_thinking": false} for Qwen3's template), read from the flag's JSON object.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "template/value.h"

namespace servebench::tmpl {

using TemplateKwargs = std::vector<std::pair<std::string, Value>>;

// The object's members in their order; an error naming `flag` when `json` is not a JSON object.
Expected<TemplateKwargs> ParseTemplateKwargs(std::string_view json, std::string_view flag);

}  // namespace servebench::tmpl

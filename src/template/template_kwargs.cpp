#include "template/template_kwargs.h"

#include "template/json_value.h"

namespace servebench::tmpl {

Expected<TemplateKwargs> ParseTemplateKwargs(std::string_view json, std::string_view flag) {
  auto value = ParseJson(json);
  if (!value) {
    return MakeError("{}: expected a JSON object such as '{{\"enable_thinking\": false}}': {}",
                     flag, value.error().message);
  }
  if (!value->is_dict()) {
    return MakeError(
        "{}: expected a JSON object such as '{{\"enable_thinking\": false}}', got '{}'", flag,
        json);
  }
  return value->dict().items;
}

}  // namespace servebench::tmpl

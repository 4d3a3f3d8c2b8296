#include "template/template_source.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "template/json_value.h"

namespace servebench::tmpl {
namespace {

namespace fs = std::filesystem;

// A token is a string or an AddedToken object {"content": ...}; null means unset.
std::optional<std::string> TokenText(const Value& v) {
  if (v.is_string()) return v.as_string();
  if (v.is_dict()) {
    const Value* content = v.dict().Find("content");
    if (content && content->is_string()) return content->as_string();
  }
  return std::nullopt;
}

void CollectSpecialTokens(const Value& config, std::vector<std::pair<std::string, Value>>& out) {
  if (!config.is_dict()) return;
  auto set = [&](const std::string& name, Value v) {
    for (auto& [k, old] : out) {
      if (k == name) {
        old = std::move(v);
        return;
      }
    }
    out.emplace_back(name, std::move(v));
  };
  for (const char* name : {"bos_token", "eos_token", "unk_token", "sep_token", "pad_token",
                           "cls_token", "mask_token"}) {
    const Value* v = config.dict().Find(name);
    if (!v) continue;
    // transformers' special_tokens_map leaves out unset and empty tokens.
    if (auto text = TokenText(*v); text && !text->empty()) set(name, Value(*text));
  }
  if (const Value* extra = config.dict().Find("additional_special_tokens");
      extra && extra->is_list()) {
    std::vector<Value> tokens;
    for (const auto& t : extra->list().items) {
      if (auto text = TokenText(t)) tokens.emplace_back(*text);
    }
    if (!tokens.empty()) set("additional_special_tokens", Value::List(std::move(tokens)));
  }
}

Expected<Value> ReadJsonFile(const std::string& path) {
  auto text = ReadTextFile(path);
  if (!text) return std::unexpected(text.error());
  auto json = ParseJson(*text);
  if (!json) return MakeError("{}: {}", path, json.error().message);
  return json;
}

}  // namespace

Expected<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("{}: cannot open: {}", path, std::strerror(errno));
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

Expected<ChatTemplateSource> FindChatTemplate(const std::string& dir, const std::string& name) {
  if (!fs::is_directory(dir)) return MakeError("{}: not a directory", dir);
  ChatTemplateSource result;
  std::string config_path = (fs::path(dir) / "tokenizer_config.json").string();
  Value config;
  if (fs::exists(config_path)) {
    auto json = ReadJsonFile(config_path);
    if (!json) return std::unexpected(json.error());
    config = *json;
    CollectSpecialTokens(config, result.special_tokens);
  }
  std::string map_path = (fs::path(dir) / "special_tokens_map.json").string();
  if (fs::exists(map_path)) {
    auto json = ReadJsonFile(map_path);
    if (!json) return std::unexpected(json.error());
    CollectSpecialTokens(*json, result.special_tokens);
  }

  std::string jinja_path = (fs::path(dir) / "chat_template.jinja").string();
  if (name.empty() && fs::exists(jinja_path)) {
    auto text = ReadTextFile(jinja_path);
    if (!text) return std::unexpected(text.error());
    result.source = std::move(*text);
    result.origin = jinja_path;
    return result;
  }
  const Value* field = config.is_dict() ? config.dict().Find("chat_template") : nullptr;
  if (!field || field->is_none()) {
    return MakeError(
        "{}: no chat template (no chat_template in tokenizer_config.json and no "
        "chat_template.jinja)",
        dir);
  }
  if (field->is_string()) {
    if (!name.empty() && name != "default") {
      return MakeError("{}: chat_template is a single template; there is no template named '{}'",
                       config_path, name);
    }
    result.source = field->as_string();
    result.origin = config_path;
    return result;
  }
  if (!field->is_list()) {
    return MakeError("{}: chat_template: expected a string or a list of {{name, template}}",
                     config_path);
  }
  std::string wanted = name.empty() ? "default" : name;
  std::string available;
  for (const auto& entry : field->list().items) {
    const Value* entry_name = entry.is_dict() ? entry.dict().Find("name") : nullptr;
    const Value* entry_template = entry.is_dict() ? entry.dict().Find("template") : nullptr;
    if (!entry_name || !entry_name->is_string() || !entry_template ||
        !entry_template->is_string()) {
      return MakeError("{}: chat_template: expected entries {{\"name\": ..., \"template\": ...}}",
                       config_path);
    }
    if (entry_name->as_string() == wanted) {
      result.source = entry_template->as_string();
      result.origin = config_path + " (template '" + wanted + "')";
      return result;
    }
    available += (available.empty() ? "" : ", ") + entry_name->as_string();
  }
  return MakeError("{}: chat_template has no template named '{}' (available: {})", config_path,
                   wanted, available);
}

Expected<ChatTemplate> LoadChatTemplate(const std::string& dir, const std::string& name) {
  auto found = FindChatTemplate(dir, name);
  if (!found) return std::unexpected(found.error());
  auto parsed = ChatTemplate::Parse(found->source, found->special_tokens);
  if (!parsed) return MakeError("{}: {}", found->origin, parsed.error().message);
  return parsed;
}

}  // namespace servebench::tmpl

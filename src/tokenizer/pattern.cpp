#include "tokenizer/pattern.h"

namespace servebench::tokenizer {

Expected<Pattern> Pattern::Read(json::Element spec, const std::string& path) {
  auto o = json::AsObject(spec, path);
  if (!o) return std::unexpected(o.error());
  Pattern p;
  if (auto s = json::Field(*o, "String")) {
    auto text = json::AsString(*s, json::Child(path, "String"));
    if (!text) return std::unexpected(text.error());
    p.literal_ = *text;
    return p;
  }
  if (auto r = json::Field(*o, "Regex")) {
    auto text = json::AsString(*r, json::Child(path, "Regex"));
    if (!text) return std::unexpected(text.error());
    auto regex = Regex::Compile(*text);
    if (!regex) return MakeError("{}: {}", json::Child(path, "Regex"), regex.error().message);
    p.regex_ = std::move(*regex);
    return p;
  }
  return MakeError("{}: expected {{\"String\": ...}} or {{\"Regex\": ...}}", path);
}

Pattern Pattern::Literal(std::string text) {
  Pattern p;
  p.literal_ = std::move(text);
  return p;
}

Expected<Pattern> Pattern::FromRegex(std::string_view regex) {
  auto compiled = Regex::Compile(regex);
  if (!compiled) return std::unexpected(compiled.error());
  Pattern p;
  p.regex_ = std::move(*compiled);
  return p;
}

void Pattern::FindAll(std::string_view text, std::vector<Match>& out) const {
  if (regex_) {
    regex_->FindAll(text, out);
    return;
  }
  if (literal_.empty()) return;
  size_t pos = 0;
  while ((pos = text.find(literal_, pos)) != std::string_view::npos) {
    out.push_back({static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + literal_.size())});
    pos += literal_.size();
  }
}

std::string Pattern::ReplaceAll(std::string_view text, std::string_view content) const {
  thread_local std::vector<Match> matches;
  matches.clear();
  FindAll(text, matches);
  std::string out;
  out.reserve(text.size());
  size_t prev = 0;
  for (const Match& m : matches) {
    out.append(text.substr(prev, m.begin - prev));
    out.append(content);
    prev = m.end;
  }
  out.append(text.substr(prev));
  return out;
}

Expected<Replacement> Replacement::Read(json::Object spec, const std::string& path) {
  auto pattern_spec = json::Require(spec, "pattern", path);
  if (!pattern_spec) return std::unexpected(pattern_spec.error());
  auto pattern = Pattern::Read(*pattern_spec, json::Child(path, "pattern"));
  if (!pattern) return std::unexpected(pattern.error());
  auto content = json::String(spec, "content", path);
  if (!content) return std::unexpected(content.error());
  return Replacement{std::move(*pattern), std::string(*content)};
}

}  // namespace servebench::tokenizer

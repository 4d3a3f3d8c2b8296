#include "tokenizer/post_processor.h"

#include <map>

namespace servebench::tokenizer {

namespace {

// The ids before and after the sequence (every kind reduces to this for a single sequence).
class Surround : public PostProcessor {
 public:
  Surround(std::vector<int32_t> before, std::vector<int32_t> after)
      : before_(std::move(before)), after_(std::move(after)) {}
  void Apply(std::vector<int32_t>& ids, size_t start) const override {
    ids.insert(ids.begin() + static_cast<std::ptrdiff_t>(start), before_.begin(), before_.end());
    ids.insert(ids.end(), after_.begin(), after_.end());
  }

 private:
  std::vector<int32_t> before_, after_;
};

class Sequence : public PostProcessor {
 public:
  explicit Sequence(std::vector<std::unique_ptr<PostProcessor>> steps) : steps_(std::move(steps)) {}
  void Apply(std::vector<int32_t>& ids, size_t start) const override {
    for (const auto& step : steps_)
      step->Apply(ids, start);
  }

 private:
  std::vector<std::unique_ptr<PostProcessor>> steps_;
};

// [token, id] of Bert/RobertaProcessing.
Expected<int32_t> TokenPairId(json::Object o, std::string_view key, const std::string& path) {
  auto e = json::Require(o, key, path);
  if (!e) return std::unexpected(e.error());
  std::string p = json::Child(path, key);
  auto pair = json::AsArray(*e, p);
  if (!pair) return std::unexpected(pair.error());
  int64_t id;
  if (pair->size() != 2 || pair->at(1).get_int64().get(id)) {
    return MakeError("{}: expected [token, id]", p);
  }
  return static_cast<int32_t>(id);
}

Expected<std::unique_ptr<PostProcessor>> MakeTemplate(json::Object o, const std::string& path) {
  std::map<std::string, std::vector<int32_t>, std::less<>> specials;
  if (auto table = json::Field(o, "special_tokens")) {
    std::string table_path = json::Child(path, "special_tokens");
    auto entries = json::AsObject(*table, table_path);
    if (!entries) return std::unexpected(entries.error());
    for (auto [name, entry] : *entries) {
      std::string entry_path = json::Child(table_path, name);
      auto entry_object = json::AsObject(entry, entry_path);
      if (!entry_object) return std::unexpected(entry_object.error());
      auto ids_spec = json::Require(*entry_object, "ids", entry_path);
      if (!ids_spec) return std::unexpected(ids_spec.error());
      auto ids = json::AsArray(*ids_spec, json::Child(entry_path, "ids"));
      if (!ids) return std::unexpected(ids.error());
      std::vector<int32_t>& out = specials[std::string(name)];
      for (json::Element id : *ids) {
        auto v = json::AsInt(id, json::Child(entry_path, "ids"));
        if (!v) return std::unexpected(v.error());
        out.push_back(static_cast<int32_t>(*v));
      }
    }
  }
  auto single = json::Require(o, "single", path);
  if (!single) return std::unexpected(single.error());
  std::string single_path = json::Child(path, "single");
  auto items = json::AsArray(*single, single_path);
  if (!items) return std::unexpected(items.error());
  std::vector<int32_t> before, after;
  bool seen_sequence = false;
  size_t i = 0;
  for (json::Element item : *items) {
    std::string item_path = json::Index(single_path, i++);
    auto item_object = json::AsObject(item, item_path);
    if (!item_object) return std::unexpected(item_object.error());
    if (json::Field(*item_object, "Sequence")) {
      seen_sequence = true;
      continue;
    }
    auto special = json::Require(*item_object, "SpecialToken", item_path);
    if (!special) return std::unexpected(special.error());
    auto special_object = json::AsObject(*special, json::Child(item_path, "SpecialToken"));
    if (!special_object) return std::unexpected(special_object.error());
    auto name = json::String(*special_object, "id", json::Child(item_path, "SpecialToken"));
    if (!name) return std::unexpected(name.error());
    auto found = specials.find(*name);
    if (found == specials.end()) {
      return MakeError("{}.SpecialToken.id: \"{}\" is not in {}.special_tokens", item_path, *name,
                       path);
    }
    auto& target = seen_sequence ? after : before;
    target.insert(target.end(), found->second.begin(), found->second.end());
  }
  return std::make_unique<Surround>(std::move(before), std::move(after));
}

}  // namespace

Expected<std::unique_ptr<PostProcessor>> MakePostProcessor(json::Element spec,
                                                           const std::string& path) {
  auto o = json::AsObject(spec, path);
  if (!o) return std::unexpected(o.error());
  auto type = json::String(*o, "type", path);
  if (!type) return std::unexpected(type.error());
  const std::string_view t = *type;
  if (t == "ByteLevel")
    return std::make_unique<Surround>(std::vector<int32_t>{}, std::vector<int32_t>{});
  if (t == "TemplateProcessing") return MakeTemplate(*o, path);
  if (t == "BertProcessing" || t == "RobertaProcessing") {
    auto cls = TokenPairId(*o, "cls", path);
    if (!cls) return std::unexpected(cls.error());
    auto sep = TokenPairId(*o, "sep", path);
    if (!sep) return std::unexpected(sep.error());
    return std::make_unique<Surround>(std::vector<int32_t>{*cls}, std::vector<int32_t>{*sep});
  }
  if (t == "Sequence") {
    auto steps = json::MapArray(*o, "processors", path, MakePostProcessor);
    if (!steps) return std::unexpected(steps.error());
    return std::make_unique<Sequence>(std::move(*steps));
  }
  return MakeError("{}.type: unsupported post-processor '{}'", path, t);
}

}  // namespace servebench::tokenizer

#include "tokenizer/hub.h"

namespace servebench::tokenizer {

HubSettings HubSettings::FromEnvironment() {
  return HubSettings{};
}

bool LooksLikeHubId(std::string_view name) {
  return !name.empty() && name.find('/') != std::string_view::npos && name[0] != '/' &&
         name[0] != '.' && name[0] != '~';
}

Expected<std::string> ResolveHubTokenizer(std::string_view repo_id, const HubSettings&) {
  return MakeError("{}: hub download not implemented", repo_id);
}

}  // namespace servebench::tokenizer

// HuggingFace hub ids ("org/name" or "org/name@revision"): found in the local HF cache or
// downloaded into it.
//
// Cache layout (as huggingface_hub writes it): $HF_HOME/hub (default ~/.cache/huggingface/hub)
// holds models--ORG--NAME/snapshots/<commit>/<files> and refs/<revision> naming the commit.
// Downloads come from $HF_ENDPOINT (default https://huggingface.co) at
// /{repo}/resolve/{revision}/{file}, with $HF_TOKEN as a bearer token when set.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace servebench::tokenizer {

struct HubSettings {
  std::string cache_dir;  // the "hub" directory
  std::string endpoint;
  std::string token;     // empty: anonymous
  bool offline = false;  // HF_HUB_OFFLINE: never download
  long timeout_seconds = 60;

  // From $HF_HUB_CACHE, $HF_HOME, $HOME, $HF_ENDPOINT, $HF_TOKEN, $HF_HUB_OFFLINE.
  static HubSettings FromEnvironment();
};

// Whether `name` reads as a hub id rather than a local path.
bool LooksLikeHubId(std::string_view name);

// The snapshot directory of `repo_id` holding the tokenizer files: the cached one when it has a
// tokenizer.json or tokenizer.model, else freshly downloaded (tokenizer.json, or tokenizer.model
// when the repo has no tokenizer.json, plus tokenizer_config.json when present).
Expected<std::string> ResolveHubTokenizer(std::string_view repo_id, const HubSettings& settings);

}  // namespace servebench::tokenizer

// Compact JSON text for request bodies (spec/protocols.md §3).
//
// Bodies are written the way Python's json.dumps(separators=(",", ":"), ensure_ascii=False)
// writes them: no spaces, raw UTF-8, escapes only where JSON requires them, floats in their
// shortest round-trip form with ".0" on integral values. Identical inputs give identical bytes.
//
// JsonObject is an ordered map of top-level keys to compact JSON values with Python dict
// semantics for updates: setting an existing key replaces its value in place, a new key goes
// last. Body assembly (built-in fields, sampling flags, --extra-request-body, the row's extra
// body, LoRA) is a sequence of such updates.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace servebench::protocol {

void AppendJsonString(std::string& out, std::string_view text);
void AppendJsonDouble(std::string& out, double value);
inline void AppendJsonInt(std::string& out, int64_t value) {
  out += std::to_string(value);
}

std::string JsonString(std::string_view text);
std::string JsonDouble(double value);
inline std::string JsonInt(int64_t value) {
  return std::to_string(value);
}
inline std::string JsonBool(bool value) {
  return value ? "true" : "false";
}

class JsonObject {
 public:
  // `json` must already be one compact JSON value.
  void Set(std::string_view key, std::string json);
  // Every key of `other`, in its order, as Set() would.
  void Update(const JsonObject& other);
  bool Has(std::string_view key) const;
  bool empty() const { return fields_.empty(); }
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

  std::string ToJson() const;
  void AppendTo(std::string& out) const;

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// Parses `text` as a JSON object and rewrites each top-level value compactly. `what` names the
// source in errors (e.g. "--extra-request-body").
Expected<JsonObject> ParseJsonObject(std::string_view text, std::string_view what);

}  // namespace servebench::protocol

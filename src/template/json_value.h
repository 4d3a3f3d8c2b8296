// JSON in and out of template values: messages and tools arrive as JSON, and `tojson` writes
// JSON exactly as Python's json.dumps does (transformers' tojson passes its options through).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "template/value.h"

namespace servebench::tmpl {

// Parses a JSON document; objects keep their key order, numbers with a fraction or exponent
// become floats (as Python's json.loads does).
Expected<Value> ParseJson(std::string_view text);

struct JsonOptions {
  bool ensure_ascii = false;
  std::optional<std::string> indent;  // json.dumps' indent, already turned into its text
  std::optional<std::string> item_separator;
  std::optional<std::string> key_separator;
  bool sort_keys = false;
};

// json.dumps(value, ...). Throws TemplateError on values JSON cannot hold (undefined,
// functions), naming the type as Python's TypeError does.
std::string ToJson(const Value& value, const JsonOptions& options = {});

}  // namespace servebench::tmpl

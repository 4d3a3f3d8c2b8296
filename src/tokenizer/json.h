// Typed reads from a parsed tokenizer.json; every error names the field's path (`model.merges[3]`)
// and what was expected.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "common/status.h"

namespace servebench::tokenizer::json {

using Element = simdjson::dom::element;
using Object = simdjson::dom::object;
using Array = simdjson::dom::array;

// `text` with every integer too large for 64 bits (outside strings) replaced by 0: real
// tokenizer_config.json files hold model_max_length = 1e30 written out as an integer, which
// simdjson rejects.
std::string ZeroHugeIntegers(std::string_view text);

// Reads and parses a JSON file (huge integers zeroed); errors name the file.
Expected<Element> ParseFile(simdjson::dom::parser& parser, const std::string& path);

std::string Child(std::string_view path, std::string_view key);
std::string Index(std::string_view path, size_t i);

Expected<Object> AsObject(Element e, std::string_view path);
Expected<Array> AsArray(Element e, std::string_view path);
Expected<std::string_view> AsString(Element e, std::string_view path);
Expected<int64_t> AsInt(Element e, std::string_view path);
Expected<double> AsNumber(Element e, std::string_view path);
Expected<bool> AsBool(Element e, std::string_view path);

// The field, or nullopt when it is absent or null.
std::optional<Element> Field(Object o, std::string_view key);

// Required fields.
Expected<Element> Require(Object o, std::string_view key, std::string_view path);
Expected<std::string_view> String(Object o, std::string_view key, std::string_view path);
Expected<int64_t> Int(Object o, std::string_view key, std::string_view path);
// Optional fields with defaults.
Expected<std::optional<std::string_view>> OptString(Object o, std::string_view key,
                                                    std::string_view path);
Expected<bool> Bool(Object o, std::string_view key, bool fallback, std::string_view path);
Expected<int64_t> Int(Object o, std::string_view key, int64_t fallback, std::string_view path);

}  // namespace servebench::tokenizer::json

// Typed reads from a parsed tokenizer.json; every error names the field's path (`model.merges[3]`)
// and what was expected.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

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

// Builds every element of the required array field `key` with make(element, element_path), which
// returns an Expected; the first error stops.
template <typename Make>
auto MapArray(Object o, std::string_view key, const std::string& path, Make&& make) -> Expected<
    std::vector<typename std::invoke_result_t<Make, Element, std::string>::value_type>> {
  using Item = typename std::invoke_result_t<Make, Element, std::string>::value_type;
  auto list = Require(o, key, path);
  if (!list) return std::unexpected(list.error());
  std::string list_path = Child(path, key);
  auto array = AsArray(*list, list_path);
  if (!array) return std::unexpected(array.error());
  std::vector<Item> items;
  size_t i = 0;
  for (Element e : *array) {
    auto item = make(e, Index(list_path, i++));
    if (!item) return std::unexpected(item.error());
    items.push_back(std::move(*item));
  }
  return items;
}

}  // namespace servebench::tokenizer::json

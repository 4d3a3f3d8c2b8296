// A small streaming JSON writer for result lines: keys stay in the order written, numbers print
// like Python's json module (shortest round trip, "4.0" for an integral float) and the
// separators are Python's defaults (", " and ": "), so a line reads like the reference tools'.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace servebench::report {

// How +/-infinity is written: the string "inf" (valid JSON) or Python's bare Infinity token.
enum class InfinityStyle { kString, kBareToken };

class JsonWriter {
 public:
  explicit JsonWriter(InfinityStyle infinity = InfinityStyle::kString) : infinity_(infinity) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Double(double value);  // NaN is written as null
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  JsonWriter& Raw(std::string_view json);  // an already-serialised JSON value

  JsonWriter& Double(const std::optional<double>& value) { return value ? Double(*value) : Null(); }
  JsonWriter& Int(const std::optional<int64_t>& value) { return value ? Int(*value) : Null(); }

  const std::string& str() const { return out_; }

  // One member of the outermost object: its key and its text (`"key": value`).
  struct Member {
    std::string_view key;
    std::string_view text;
  };
  // The members of the outermost object in the order written; call once it is closed.
  std::vector<Member> TopLevelMembers() const;

 private:
  void BeforeValue();
  void AppendQuoted(std::string_view text);

  InfinityStyle infinity_;
  std::string out_;
  std::vector<bool> has_items_;  // per open container: something was written already
  bool after_key_ = false;
  std::vector<std::string> member_keys_;  // of the outermost object
  std::vector<size_t> member_starts_;     // where each of its members begins in out_
};

// A double as Python's repr writes it: shortest round trip, ".0" appended to integral values.
std::string PythonFloat(double value);

}  // namespace servebench::report

// Appending JSON to a reused std::string, in the two styles the servers' serializers produce.
//
// Compact (`{"a":1,"b":[]}`, raw UTF-8) is what pydantic's model_dump_json, Starlette's
// JSONResponse and serde write; spaced (`{"a": 1, "b": []}`, non-ASCII as \uXXXX) is Python's
// json.dumps with its defaults, used by LMDeploy's completions stream and by in-stream errors.
// Invalid UTF-8 is copied through unchanged in both styles: serve-sim's invalid-utf8 fault
// depends on the bytes reaching the wire as they are.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace servebench::sim {

// `s` as a JSON string, quotes included, escaping only what JSON requires; UTF-8 kept raw.
void AppendJsonString(std::string_view s, std::string& out);
// `s` as a JSON string as json.dumps(ensure_ascii=True) writes it: every byte outside
// printable ASCII escaped, code points above U+FFFF as surrogate pairs (\ud83d\ude00).
void AppendJsonStringAscii(std::string_view s, std::string& out);

void AppendInt(int64_t value, std::string& out);
// A float as Python's repr / serde's shortest form: "0.0712", "1.0", "-0.5"; f32 values keep
// their own shortest digits ("-0.0917", not "-0.09170000255107880").
void AppendDouble(double value, std::string& out);
void AppendFloat(float value, std::string& out);

struct JsonStyle {
  bool spaced = false;  // ", " and ": " separators
  bool ascii = false;   // \uXXXX for non-ASCII
};
inline constexpr JsonStyle kCompact{false, false};
inline constexpr JsonStyle kPython{true, true};  // json.dumps defaults

// Writes one JSON value with separators handled: callers say what comes next, never where a
// comma goes. Nesting up to 32 levels; nothing is allocated beyond `out`'s own growth.
class JsonOut {
 public:
  JsonOut(std::string& out, JsonStyle style) : out_(out), style_(style) {}
  JsonStyle style() const { return style_; }

  JsonOut& Open();        // {
  JsonOut& Close();       // }
  JsonOut& OpenArray();   // [
  JsonOut& CloseArray();  // ]
  JsonOut& Key(std::string_view key);

  JsonOut& Str(std::string_view value);
  JsonOut& Int(int64_t value);
  JsonOut& Double(double value);
  JsonOut& Float(float value);
  JsonOut& Bool(bool value);
  JsonOut& Null();
  // Pre-rendered JSON (a constant object, say) taking one value's place.
  JsonOut& Raw(std::string_view json);
  JsonOut& Ints(std::span<const int> values);
  // Appends the start of an object rendered earlier (`{"a":1,"b":2`, at least one member) and
  // continues inside it, as if it had been written with Open() and keys.
  JsonOut& ContinueObject(std::string_view rendered);

  // Key followed by a value.
  JsonOut& Str(std::string_view key, std::string_view value) { return Key(key).Str(value); }
  JsonOut& Int(std::string_view key, int64_t value) { return Key(key).Int(value); }
  JsonOut& Null(std::string_view key) { return Key(key).Null(); }
  // A string, or null when `value` is empty (finish reasons while running).
  JsonOut& StrOrNull(std::string_view key, std::string_view value);

 private:
  void BeforeValue();

  std::string& out_;
  JsonStyle style_;
  int depth_ = 0;
  uint32_t has_items_ = 0;  // bit d: the container at depth d already holds an item
  bool after_key_ = false;
};

}  // namespace servebench::sim

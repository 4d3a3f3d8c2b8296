// The values a chat template computes with: Python's data model as Jinja2 exposes it.
//
// A Value is undefined, none, a bool, an int, a float, a string, a list (or tuple), a dict
// (string keys in insertion order, as JSON and Python keep them) or a callable. Lists and dicts
// are shared by reference like Python objects, so `namespace()` attribute assignment is seen
// by every holder. Undefined carries the message it raises when used, as jinja2's Undefined.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace servebench::tmpl {

class Value;
struct CallArgs;
class Renderer;

// Why a value is undefined; the error message is only built if the value is misused (most
// undefined values are just tested with `is defined`).
struct Undefined {
  enum class Why : uint8_t { kText, kName, kAttribute, kNoPrevious, kNoNext };
  Why why = Why::kText;
  std::string detail;  // kText: the message; kName: the name; kAttribute: owner '\0' attribute
};
struct None {};

// Values nest at most this deep (JSON input stops at 1000): freeing, comparing and printing
// them recurse, so a template that keeps wrapping a value in a loop fails instead of
// exhausting the stack.
constexpr int kMaxValueDepth = 1100;

struct ListData {
  std::vector<Value> items;
  bool is_tuple = false;
  int depth = 1;  // 1 + the deepest item
};

struct DictData {
  std::vector<std::pair<std::string, Value>> items;
  bool is_namespace = false;
  int depth = 1;  // 1 + the deepest value ever set

  const Value* Find(std::string_view key) const;
  Value* Find(std::string_view key);
  // Throws TemplateError past kMaxValueDepth.
  void Set(std::string key, Value value);
};

// A builtin function, filter-like method or macro: receives evaluated arguments.
struct Function {
  std::string name;
  std::function<Value(CallArgs&, Renderer&)> call;
  int depth = 1;  // 1 + the depth of a bound method's object
};

class Value {
 public:
  enum class Kind { kUndefined, kNone, kBool, kInt, kFloat, kString, kList, kDict, kFunction };

  Value() : v_(Undefined{}) {}
  Value(None) : v_(None{}) {}
  Value(Undefined u) : v_(std::move(u)) {}
  Value(bool b) : v_(b) {}
  Value(int i) : v_(static_cast<int64_t>(i)) {}
  Value(int64_t i) : v_(i) {}
  Value(double d) : v_(d) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(std::shared_ptr<ListData> l) : v_(std::move(l)) {}
  Value(std::shared_ptr<DictData> d) : v_(std::move(d)) {}
  Value(std::shared_ptr<Function> f) : v_(std::move(f)) {}

  // Throws TemplateError past kMaxValueDepth.
  static Value List(std::vector<Value> items = {}, bool tuple = false);
  static Value Dict();
  static Value MakeUndefined(std::string hint) {
    return Value(Undefined{Undefined::Why::kText, std::move(hint)});
  }
  static Value UndefinedName(std::string name) {
    return Value(Undefined{Undefined::Why::kName, std::move(name)});
  }
  static Value UndefinedAttribute(std::string_view owner, std::string_view attribute);
  static Value UndefinedSibling(bool previous) {
    return Value(Undefined{previous ? Undefined::Why::kNoPrevious : Undefined::Why::kNoNext, {}});
  }

  Kind kind() const { return static_cast<Kind>(v_.index()); }
  bool is_undefined() const { return kind() == Kind::kUndefined; }
  bool is_none() const { return kind() == Kind::kNone; }
  bool is_bool() const { return kind() == Kind::kBool; }
  bool is_int() const { return kind() == Kind::kInt; }
  bool is_float() const { return kind() == Kind::kFloat; }
  // Python's numbers: bool is an int subclass.
  bool is_number() const { return is_bool() || is_int() || is_float(); }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_list() const { return kind() == Kind::kList; }
  bool is_dict() const { return kind() == Kind::kDict; }
  bool is_function() const { return kind() == Kind::kFunction; }

  bool as_bool() const { return std::get<bool>(v_); }
  int64_t as_int() const;    // bool or int
  double as_double() const;  // any number
  const std::string& as_string() const { return std::get<std::string>(v_); }
  ListData& list() const { return *std::get<std::shared_ptr<ListData>>(v_); }
  DictData& dict() const { return *std::get<std::shared_ptr<DictData>>(v_); }
  const std::shared_ptr<DictData>& dict_ptr() const {
    return std::get<std::shared_ptr<DictData>>(v_);
  }
  Function& function() const { return *std::get<std::shared_ptr<Function>>(v_); }
  // The error jinja2 raises when this undefined value is used.
  std::string undefined_hint() const;

  // Python's bool(x).
  bool Truthy() const;
  // Python's type name, as in error messages: 'str', 'int', 'dict', 'NoneType', ...
  std::string TypeName() const;

 private:
  std::variant<Undefined, None, bool, int64_t, double, std::string, std::shared_ptr<ListData>,
               std::shared_ptr<DictData>, std::shared_ptr<Function>>
      v_;
};

// How deeply a value nests (0 for scalars).
int Depth(const Value& v);

// Python's str(x) (what `{{ x }}` prints) and repr(x) (how containers print their items).
std::string ToStr(const Value& v);
std::string Repr(const Value& v);
std::string FloatRepr(double d);
std::string StringRepr(std::string_view s);

// Python's ==, with 1 == 1.0 == True and deep comparison of containers; namespaces compare by
// identity.
bool Equal(const Value& a, const Value& b);

}  // namespace servebench::tmpl

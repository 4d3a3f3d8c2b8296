// jinja2's tests (`x is defined`) and the globals every template sees (range, dict, namespace).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_map>

#include <fmt/format.h>

#include "template/builtins.h"
#include "template/renderer.h"
#include "template/template_error.h"

namespace servebench::tmpl {
namespace {

using Test = bool (*)(const Value& v, const CallArgs& args);

int64_t IntOf(const Value& v, const char* test) {
  if (v.is_undefined()) Fail(v.undefined_hint());
  if (v.is_int() || v.is_bool()) return v.as_int();
  Fail(fmt::format("test '{}' needs an integer, got {}", test, v.TypeName()));
}

bool CompareTest(const Value& v, const CallArgs& args, int want_low, int want_high) {
  int c = CompareValues(v, args.Get(0, "other"));
  return c >= want_low && c <= want_high;
}

bool HasCase(const std::string& s, bool upper) {
  bool cased = false;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (upper ? std::islower(u) : std::isupper(u)) return false;
    if (std::isalpha(u)) cased = true;
  }
  return cased;
}

const std::unordered_map<std::string_view, Test>& Tests() {
  static const auto* table = new std::unordered_map<std::string_view, Test>{
      {"defined", [](const Value& v, const CallArgs&) { return !v.is_undefined(); }},
      {"undefined", [](const Value& v, const CallArgs&) { return v.is_undefined(); }},
      {"none", [](const Value& v, const CallArgs&) { return v.is_none(); }},
      {"string", [](const Value& v, const CallArgs&) { return v.is_string(); }},
      {"number", [](const Value& v, const CallArgs&) { return v.is_number(); }},
      {"mapping", [](const Value& v, const CallArgs&) { return v.is_dict(); }},
      // Undefined is iterable (as an empty sequence) in jinja2.
      {"iterable",
       [](const Value& v, const CallArgs&) {
         return v.is_list() || v.is_dict() || v.is_string() || v.is_undefined();
       }},
      {"sequence",
       [](const Value& v, const CallArgs&) {
         return v.is_list() || v.is_dict() || v.is_string() || v.is_undefined();
       }},
      {"true", [](const Value& v, const CallArgs&) { return v.is_bool() && v.as_bool(); }},
      {"false", [](const Value& v, const CallArgs&) { return v.is_bool() && !v.as_bool(); }},
      {"boolean", [](const Value& v, const CallArgs&) { return v.is_bool(); }},
      {"integer", [](const Value& v, const CallArgs&) { return v.is_int(); }},
      {"float", [](const Value& v, const CallArgs&) { return v.is_float(); }},
      {"callable", [](const Value& v, const CallArgs&) { return v.is_function(); }},
      {"even", [](const Value& v, const CallArgs&) { return IntOf(v, "even") % 2 == 0; }},
      {"odd", [](const Value& v, const CallArgs&) { return IntOf(v, "odd") % 2 != 0; }},
      {"divisibleby",
       [](const Value& v, const CallArgs& a) {
         int64_t d = IntOf(a.Get(0, "num"), "divisibleby");
         if (d == 0) Fail("integer division or modulo by zero");
         return IntOf(v, "divisibleby") % d == 0;
       }},
      {"eq", [](const Value& v, const CallArgs& a) { return Equal(v, a.Get(0, "other")); }},
      {"equalto", [](const Value& v, const CallArgs& a) { return Equal(v, a.Get(0, "other")); }},
      {"==", [](const Value& v, const CallArgs& a) { return Equal(v, a.Get(0, "other")); }},
      {"ne", [](const Value& v, const CallArgs& a) { return !Equal(v, a.Get(0, "other")); }},
      {"!=", [](const Value& v, const CallArgs& a) { return !Equal(v, a.Get(0, "other")); }},
      {"lt", [](const Value& v, const CallArgs& a) { return CompareTest(v, a, -1, -1); }},
      {"lessthan", [](const Value& v, const CallArgs& a) { return CompareTest(v, a, -1, -1); }},
      {"<", [](const Value& v, const CallArgs& a) { return CompareTest(v, a, -1, -1); }},
      {"le", [](const Value& v, const CallArgs& a) { return CompareTest(v, a, -1, 0); }},
      {"<=", [](const Value& v, const CallArgs& a) { return CompareTest(v, a, -1, 0); }},
      {"gt", [](const Value& v, const CallArgs& a) { return CompareTest(v, a, 1, 1); }},
      {"greaterthan", [](const Value& v, const CallArgs& a) { return CompareTest(v, a, 1, 1); }},
      {">", [](const Value& v, const CallArgs& a) { return CompareTest(v, a, 1, 1); }},
      {"ge", [](const Value& v, const CallArgs& a) { return CompareTest(v, a, 0, 1); }},
      {">=", [](const Value& v, const CallArgs& a) { return CompareTest(v, a, 0, 1); }},
      {"in",
       [](const Value& v, const CallArgs& a) {
         Value seq = a.Get(0, "seq");
         if (seq.is_string())
           return v.is_string() && seq.as_string().find(v.as_string()) != std::string::npos;
         if (seq.is_dict()) return v.is_string() && seq.dict().Find(v.as_string()) != nullptr;
         if (seq.is_list()) {
           return std::any_of(seq.list().items.begin(), seq.list().items.end(),
                              [&](const Value& x) { return Equal(x, v); });
         }
         return false;
       }},
      {"sameas",
       [](const Value& v, const CallArgs& a) {
         Value other = a.Get(0, "other");
         if (v.is_none() || v.is_bool() || v.is_undefined())
           return Equal(v, other) && v.kind() == other.kind();
         if (v.is_list()) return other.is_list() && &v.list() == &other.list();
         if (v.is_dict()) return other.is_dict() && &v.dict() == &other.dict();
         return false;
       }},
      {"lower", [](const Value& v,
                   const CallArgs&) { return v.is_string() && HasCase(v.as_string(), false); }},
      {"upper", [](const Value& v,
                   const CallArgs&) { return v.is_string() && HasCase(v.as_string(), true); }},
      {"filter",
       [](const Value& v, const CallArgs&) { return v.is_string() && HasFilter(v.as_string()); }},
      {"test",
       [](const Value& v, const CallArgs&) { return v.is_string() && HasTest(v.as_string()); }},
      {"escaped", [](const Value&, const CallArgs&) { return false; }},
  };
  return *table;
}

// jinja2's sandbox refuses ranges longer than this, which also bounds template work.
constexpr int64_t kMaxRange = 100000;

Value Range(CallArgs& args, Renderer&) {
  if (!args.keywords.empty()) Fail("range() takes no keyword arguments");
  std::vector<int64_t> n;
  for (const auto& v : args.positional) {
    if (!v.is_int() && !v.is_bool()) {
      Fail(fmt::format("'{}' object cannot be interpreted as an integer", v.TypeName()));
    }
    n.push_back(v.as_int());
  }
  int64_t start = 0, stop = 0, step = 1;
  if (n.size() == 1) {
    stop = n[0];
  } else if (n.size() == 2 || n.size() == 3) {
    start = n[0];
    stop = n[1];
    if (n.size() == 3) step = n[2];
  } else {
    Fail(fmt::format("range expected at most 3 arguments, got {}", n.size()));
  }
  if (step == 0) Fail("range() arg 3 must not be zero");
  // Length computed in long double so extreme bounds cannot overflow.
  long double span = static_cast<long double>(stop) - static_cast<long double>(start);
  long double count = std::ceil(span / static_cast<long double>(step));
  if (count > kMaxRange) {
    Fail("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
  }
  std::vector<Value> out;
  for (int64_t i = 0; i < static_cast<int64_t>(std::max<long double>(count, 0)); ++i) {
    out.emplace_back(start + i * step);
  }
  return Value::List(std::move(out));
}

Value FillDict(Value dict, CallArgs& args) {
  if (args.positional.size() > 1) Fail("expected at most 1 positional argument");
  if (!args.positional.empty()) {
    const Value& from = args.positional[0];
    if (from.is_dict()) {
      for (const auto& [k, v] : from.dict().items)
        dict.dict().Set(k, v);
    } else if (from.is_list()) {
      for (const auto& pair : from.list().items) {
        if (!pair.is_list() || pair.list().items.size() != 2 || !pair.list().items[0].is_string()) {
          Fail("dictionary update sequence element must be a (str, value) pair");
        }
        dict.dict().Set(pair.list().items[0].as_string(), pair.list().items[1]);
      }
    } else {
      Fail(fmt::format("'{}' object is not iterable", from.TypeName()));
    }
  }
  for (auto& [k, v] : args.keywords)
    dict.dict().Set(k, v);
  return dict;
}

Value MakeFunction(std::string name, Value (*fn)(CallArgs&, Renderer&)) {
  auto f = std::make_shared<Function>();
  f->name = std::move(name);
  f->call = fn;
  return Value(f);
}

}  // namespace

bool HasTest(std::string_view name) {
  return Tests().contains(name);
}

bool ApplyTest(std::string_view name, const Value& value, const CallArgs& args) {
  auto it = Tests().find(name);
  if (it == Tests().end()) Fail(fmt::format("No test named '{}'.", name));
  return it->second(value, args);
}

Value GlobalFunction(std::string_view name) {
  if (name == "range") return MakeFunction("range", Range);
  if (name == "dict") {
    return MakeFunction("dict",
                        [](CallArgs& args, Renderer&) { return FillDict(Value::Dict(), args); });
  }
  if (name == "namespace") {
    return MakeFunction("namespace", [](CallArgs& args, Renderer& r) {
      Value ns = FillDict(Value::Dict(), args);
      ns.dict().is_namespace = true;
      r.TrackNamespace(ns.dict_ptr());
      return ns;
    });
  }
  return Value();
}

}  // namespace servebench::tmpl

// jinja2's builtin filters that chat templates use, with transformers' `tojson`.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <unordered_map>

#include <fmt/format.h>
#include <fmt/printf.h>

#include "template/builtins.h"
#include "template/json_value.h"
#include "template/renderer.h"
#include "template/template_error.h"

namespace servebench::tmpl {
namespace {

using Filter = Value (*)(const Value& v, CallArgs& args, Renderer& r);

std::vector<Value> Items(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kList:
      return v.list().items;
    case Value::Kind::kUndefined:
      return {};
    case Value::Kind::kDict: {
      std::vector<Value> keys;
      for (const auto& [k, unused] : v.dict().items)
        keys.emplace_back(k);
      return keys;
    }
    case Value::Kind::kString: {
      std::vector<Value> chars;
      for (auto& c : SplitCodePoints(v.as_string()))
        chars.emplace_back(std::move(c));
      return chars;
    }
    default:
      Fail(fmt::format("'{}' object is not iterable", v.TypeName()));
  }
}

std::string AsciiLower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string AsciiUpper(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// jinja2's attribute getter: "a.b" walks item access, integers as indexes.
Value Attribute(Renderer& r, const Value& item, const Value& attribute) {
  if (!attribute.is_string()) return r.GetItem(item, attribute);
  Value v = item;
  const std::string& path = attribute.as_string();
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string part =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    bool numeric = !part.empty() && std::all_of(part.begin(), part.end(), ::isdigit);
    v = numeric ? r.GetItem(v, Value(static_cast<int64_t>(std::stoll(part))))
                : r.GetItem(v, Value(part));
    if (dot == std::string::npos) return v;
    start = dot + 1;
  }
}

// Lower-cases strings for the case-insensitive comparisons of sort, unique, min, max, dictsort.
Value SortKey(const Value& v, bool case_sensitive) {
  if (!case_sensitive && v.is_string()) return Value(AsciiLower(v.as_string()));
  return v;
}

Value Length(const Value& v, CallArgs&, Renderer&) {
  switch (v.kind()) {
    case Value::Kind::kString:
      return Value(static_cast<int64_t>(CodePointCount(v.as_string())));
    case Value::Kind::kList:
      return Value(static_cast<int64_t>(v.list().items.size()));
    case Value::Kind::kDict:
      return Value(static_cast<int64_t>(v.dict().items.size()));
    case Value::Kind::kUndefined:
      return Value(0);
    default:
      Fail(fmt::format("object of type '{}' has no len()", v.TypeName()));
  }
}

Value ToJsonFilter(const Value& v, CallArgs& args, Renderer& r) {
  JsonOptions o;
  o.ensure_ascii = args.Get(0, "ensure_ascii", Value(false)).Truthy();
  Value indent = args.Get(1, "indent", Value(None{}));
  if (indent.is_int()) {
    o.indent = std::string(static_cast<size_t>(std::max<int64_t>(0, indent.as_int())), ' ');
  } else if (indent.is_string()) {
    o.indent = indent.as_string();
  }
  Value separators = args.Get(2, "separators", Value(None{}));
  if (separators.is_list() && separators.list().items.size() == 2 &&
      separators.list().items[0].is_string() && separators.list().items[1].is_string()) {
    o.item_separator = separators.list().items[0].as_string();
    o.key_separator = separators.list().items[1].as_string();
  }
  o.sort_keys = args.Get(3, "sort_keys", Value(false)).Truthy();
  std::string out = ToJson(v, o);
  r.CheckSize(out.size());
  return Value(std::move(out));
}

Value Trim(const Value& v, CallArgs& args, Renderer&) {
  return Value(PyStrip(ToStr(v), args.Get(0, "chars", Value(None{})), true, true));
}

Value Lower(const Value& v, CallArgs&, Renderer&) {
  return Value(AsciiLower(ToStr(v)));
}
Value Upper(const Value& v, CallArgs&, Renderer&) {
  return Value(AsciiUpper(ToStr(v)));
}

// jinja2's title: words begin after runs of whitespace, '-', '(', '{', '[' or '<'.
Value Title(const Value& v, CallArgs&, Renderer&) {
  std::string s = ToStr(v);
  bool at_start = true;
  for (char& c : s) {
    bool separator = std::isspace(static_cast<unsigned char>(c)) || c == '-' || c == '(' ||
                     c == '{' || c == '[' || c == '<';
    if (separator) {
      at_start = true;
      continue;
    }
    c = static_cast<char>(at_start ? std::toupper(static_cast<unsigned char>(c))
                                   : std::tolower(static_cast<unsigned char>(c)));
    at_start = false;
  }
  return Value(std::move(s));
}

Value Capitalize(const Value& v, CallArgs&, Renderer&) {
  std::string s = AsciiLower(ToStr(v));
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return Value(std::move(s));
}

Value ReplaceFilter(const Value& v, CallArgs& args, Renderer& r) {
  CallArgs method_args;
  method_args.positional = {Value(ToStr(args.Get(0, "old"))), Value(ToStr(args.Get(1, "new")))};
  Value count = args.Get(2, "count", Value(None{}));
  if (!count.is_none()) method_args.positional.push_back(count);
  return r.Call(BoundMethod(Value(ToStr(v)), "replace"), method_args);
}

Value Join(const Value& v, CallArgs& args, Renderer& r) {
  std::string sep = ToStr(args.Get(0, "d", Value("")));
  Value attribute = args.Get(1, "attribute", Value(None{}));
  std::string out;
  bool first = true;
  for (const Value& item : Items(v)) {
    if (!first) out += sep;
    first = false;
    out += ToStr(attribute.is_none() ? item : Attribute(r, item, attribute));
    r.CheckSize(out.size());
  }
  return Value(std::move(out));
}

Value First(const Value& v, CallArgs&, Renderer&) {
  auto items = Items(v);
  if (items.empty()) return Value::MakeUndefined("No first item, sequence was empty.");
  return items.front();
}

Value Last(const Value& v, CallArgs&, Renderer&) {
  auto items = Items(v);
  if (items.empty()) return Value::MakeUndefined("No last item, sequence was empty.");
  return items.back();
}

Value Default(const Value& v, CallArgs& args, Renderer&) {
  bool boolean = args.Get(1, "boolean", Value(false)).Truthy();
  if (v.is_undefined() || (boolean && !v.Truthy())) return args.Get(0, "default_value", Value(""));
  return v;
}

Value ListFilter(const Value& v, CallArgs&, Renderer&) {
  return Value::List(Items(v));
}
Value String(const Value& v, CallArgs&, Renderer&) {
  return Value(ToStr(v));
}

Value Int(const Value& v, CallArgs& args, Renderer&) {
  Value fallback = args.Get(0, "default", Value(0));
  if (v.is_bool() || v.is_int()) return Value(v.as_int());
  if (v.is_float()) {
    if (!std::isfinite(v.as_double())) return fallback;
    return Value(static_cast<int64_t>(std::trunc(v.as_double())));
  }
  if (v.is_string()) {
    std::string s = PyStrip(v.as_string(), Value(None{}), true, true);
    char* end = nullptr;
    int64_t base = args.Get(1, "base", Value(10)).as_int();
    long long n = std::strtoll(s.c_str(), &end, static_cast<int>(base));
    if (!s.empty() && *end == '\0') return Value(static_cast<int64_t>(n));
    double d = std::strtod(s.c_str(), &end);
    if (!s.empty() && *end == '\0' && std::isfinite(d)) {
      return Value(static_cast<int64_t>(std::trunc(d)));
    }
  }
  return fallback;
}

Value Float(const Value& v, CallArgs& args, Renderer&) {
  Value fallback = args.Get(0, "default", Value(0.0));
  if (v.is_number()) return Value(v.as_double());
  if (v.is_string()) {
    std::string s = PyStrip(v.as_string(), Value(None{}), true, true);
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (!s.empty() && *end == '\0') return Value(d);
  }
  return fallback;
}

Value ItemsFilter(const Value& v, CallArgs&, Renderer&) {
  if (v.is_undefined()) return Value::List();
  if (!v.is_dict()) Fail(fmt::format("Can only get item pairs from a mapping."));
  std::vector<Value> items;
  for (const auto& [k, item] : v.dict().items)
    items.push_back(Value::List({Value(k), item}, true));
  return Value::List(std::move(items));
}

// select/reject/selectattr/rejectattr: keep items whose test result equals `keep`.
Value SelectImpl(const Value& v, CallArgs& args, Renderer& r, bool by_attribute, bool keep) {
  size_t next = 0;
  Value attribute;
  if (by_attribute) attribute = args.Get(next++, "attribute");
  CallArgs test_args;
  std::string test;
  if (next < args.positional.size()) {
    Value name = args.positional[next++];
    if (!name.is_string()) Fail("test name must be a string");
    test = name.as_string();
    if (!HasTest(test)) Fail(fmt::format("No test named '{}'.", test));
    test_args.positional.assign(args.positional.begin() + static_cast<std::ptrdiff_t>(next),
                                args.positional.end());
  }
  std::vector<Value> out;
  for (const Value& item : Items(v)) {
    Value subject = by_attribute ? Attribute(r, item, attribute) : item;
    bool result = test.empty() ? subject.Truthy() : ApplyTest(test, subject, test_args);
    if (result == keep) out.push_back(item);
  }
  return Value::List(std::move(out));
}

Value Select(const Value& v, CallArgs& a, Renderer& r) {
  return SelectImpl(v, a, r, false, true);
}
Value Reject(const Value& v, CallArgs& a, Renderer& r) {
  return SelectImpl(v, a, r, false, false);
}
Value SelectAttr(const Value& v, CallArgs& a, Renderer& r) {
  return SelectImpl(v, a, r, true, true);
}
Value RejectAttr(const Value& v, CallArgs& a, Renderer& r) {
  return SelectImpl(v, a, r, true, false);
}

Value Map(const Value& v, CallArgs& args, Renderer& r) {
  std::vector<Value> out;
  if (args.positional.empty()) {
    Value attribute = args.Get(99, "attribute");
    if (attribute.is_undefined()) Fail("map requires a filter name or an attribute");
    bool has_default = args.Has(99, "default");
    Value fallback = args.Get(99, "default");
    for (const Value& item : Items(v)) {
      Value x = Attribute(r, item, attribute);
      out.push_back(has_default && x.is_undefined() ? fallback : x);
    }
    return Value::List(std::move(out));
  }
  Value name = args.positional[0];
  if (!name.is_string() || !HasFilter(name.as_string())) {
    Fail(fmt::format("No filter named '{}'.", ToStr(name)));
  }
  CallArgs rest;
  rest.positional.assign(args.positional.begin() + 1, args.positional.end());
  rest.keywords = args.keywords;
  for (const Value& item : Items(v)) {
    CallArgs copy = rest;
    out.push_back(ApplyFilter(name.as_string(), item, copy, r));
  }
  return Value::List(std::move(out));
}

Value Unique(const Value& v, CallArgs& args, Renderer& r) {
  bool case_sensitive = args.Get(0, "case_sensitive", Value(false)).Truthy();
  Value attribute = args.Get(1, "attribute", Value(None{}));
  std::vector<Value> out, seen;
  for (const Value& item : Items(v)) {
    Value key = SortKey(attribute.is_none() ? item : Attribute(r, item, attribute), case_sensitive);
    bool dup = std::any_of(seen.begin(), seen.end(), [&](const Value& s) { return Equal(s, key); });
    if (!dup) {
      seen.push_back(key);
      out.push_back(item);
    }
  }
  return Value::List(std::move(out));
}

Value Reverse(const Value& v, CallArgs&, Renderer&) {
  if (v.is_string()) {
    auto cps = SplitCodePoints(v.as_string());
    std::string out;
    for (auto it = cps.rbegin(); it != cps.rend(); ++it)
      out += *it;
    return Value(std::move(out));
  }
  auto items = Items(v);
  std::reverse(items.begin(), items.end());
  return Value::List(std::move(items));
}

std::vector<Value> Sorted(std::vector<Value> items, Renderer& r, bool reverse, bool case_sensitive,
                          const Value& attribute) {
  std::vector<std::pair<Value, Value>> keyed;
  for (auto& item : items) {
    Value key =
        attribute.is_none() || attribute.is_undefined() ? item : Attribute(r, item, attribute);
    keyed.emplace_back(SortKey(key, case_sensitive), std::move(item));
  }
  // Python's sort is stable, and reverse=True keeps equal items in their original order.
  std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
    return reverse ? CompareValues(b.first, a.first) < 0 : CompareValues(a.first, b.first) < 0;
  });
  std::vector<Value> out;
  for (auto& [k, item] : keyed)
    out.push_back(std::move(item));
  return out;
}

Value Sort(const Value& v, CallArgs& args, Renderer& r) {
  return Value::List(Sorted(Items(v), r, args.Get(0, "reverse", Value(false)).Truthy(),
                            args.Get(1, "case_sensitive", Value(false)).Truthy(),
                            args.Get(2, "attribute", Value(None{}))));
}

Value DictSort(const Value& v, CallArgs& args, Renderer& r) {
  if (!v.is_dict()) Fail("dictsort: expected a mapping");
  bool case_sensitive = args.Get(0, "case_sensitive", Value(false)).Truthy();
  std::string by = ToStr(args.Get(1, "by", Value("key")));
  bool reverse = args.Get(2, "reverse", Value(false)).Truthy();
  Value pairs = ItemsFilter(v, args, r);
  if (by != "key" && by != "value") Fail("You can only sort by either \"key\" or \"value\"");
  return Value::List(Sorted(pairs.list().items, r, reverse, case_sensitive,
                            Value(static_cast<int64_t>(by == "key" ? 0 : 1))));
}

bool IsLineBreak(unsigned char c) {
  return c == '\n' || c == '\r' || c == '\v' || c == '\f' || (c >= 0x1c && c <= 0x1e);
}

// Python's str.splitlines() for the ASCII line boundaries.
std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!IsLineBreak(static_cast<unsigned char>(s[i]))) continue;
    lines.push_back(s.substr(start, i - start));
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < s.size()) lines.push_back(s.substr(start));
  return lines;
}

Value Indent(const Value& v, CallArgs& args, Renderer& r) {
  Value width = args.Get(0, "width", Value(4));
  std::string indent =
      width.is_string()
          ? width.as_string()
          : std::string(static_cast<size_t>(std::max<int64_t>(0, width.as_int())), ' ');
  bool first = args.Get(1, "first", Value(false)).Truthy();
  bool blank = args.Get(2, "blank", Value(false)).Truthy();
  auto lines = SplitLines(ToStr(v) + "\n");
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) {
      out += "\n";
      if (blank || !lines[i].empty()) out += indent;
    }
    out += lines[i];
    r.CheckSize(out.size());
  }
  if (first) out = indent + out;
  return Value(std::move(out));
}

Value Safe(const Value& v, CallArgs&, Renderer&) {
  return v.is_string() ? v : Value(ToStr(v));
}

Value Escape(const Value& v, CallArgs&, Renderer&) {
  std::string out;
  for (char c : ToStr(v)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&#34;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return Value(std::move(out));
}

Value Round(const Value& v, CallArgs& args, Renderer&) {
  int64_t precision = args.Get(0, "precision", Value(0)).as_int();
  std::string method = ToStr(args.Get(1, "method", Value("common")));
  if (!v.is_number()) Fail(fmt::format("type {} doesn't define __round__ method", v.TypeName()));
  if (method == "common") {
    if (!v.is_float()) return Value(v.as_int());
    // printf rounds the exact binary value half-to-even, as Python's round() does.
    std::string text = fmt::sprintf("%.*f", static_cast<int>(std::clamp<int64_t>(precision, 0, 30)),
                                    v.as_double());
    return Value(std::strtod(text.c_str(), nullptr));
  }
  double scale = std::pow(10.0, static_cast<double>(precision));
  double x = v.as_double() * scale;
  if (method == "ceil") return Value(std::ceil(x) / scale);
  if (method == "floor") return Value(std::floor(x) / scale);
  Fail("method must be common, ceil or floor");
}

Value Abs(const Value& v, CallArgs&, Renderer&) {
  if (v.is_float()) return Value(std::fabs(v.as_double()));
  if (v.is_int() || v.is_bool()) {
    if (v.as_int() == INT64_MIN) Fail("integer overflow");
    return Value(v.as_int() < 0 ? -v.as_int() : v.as_int());
  }
  Fail(fmt::format("bad operand type for abs(): '{}'", v.TypeName()));
}

Value MinMax(const Value& v, CallArgs& args, Renderer& r, bool want_max) {
  bool case_sensitive = args.Get(0, "case_sensitive", Value(false)).Truthy();
  Value attribute = args.Get(1, "attribute", Value(None{}));
  auto items = Items(v);
  if (items.empty()) {
    return Value::MakeUndefined(fmt::format("No aggregated item, sequence was empty."));
  }
  size_t best = 0;
  Value best_key;
  for (size_t i = 0; i < items.size(); ++i) {
    Value key =
        SortKey(attribute.is_none() ? items[i] : Attribute(r, items[i], attribute), case_sensitive);
    if (i == 0 ||
        (want_max ? CompareValues(key, best_key) > 0 : CompareValues(key, best_key) < 0)) {
      best = i;
      best_key = key;
    }
  }
  return items[best];
}

Value Max(const Value& v, CallArgs& a, Renderer& r) {
  return MinMax(v, a, r, true);
}
Value Min(const Value& v, CallArgs& a, Renderer& r) {
  return MinMax(v, a, r, false);
}

Value Sum(const Value& v, CallArgs& args, Renderer& r) {
  Value attribute = args.Get(0, "attribute", Value(None{}));
  Value total = args.Get(1, "start", Value(0));
  for (const Value& item : Items(v)) {
    total = BinaryOp("+", total, attribute.is_none() ? item : Attribute(r, item, attribute));
  }
  return total;
}

Value WordCount(const Value& v, CallArgs&, Renderer&) {
  int64_t n = 0;
  bool in_word = false;
  for (char c : ToStr(v)) {
    unsigned char u = static_cast<unsigned char>(c);
    bool word = std::isalnum(u) || u == '_' || u >= 0x80;
    if (word && !in_word) ++n;
    in_word = word;
  }
  return Value(n);
}

Value Center(const Value& v, CallArgs& args, Renderer& r) {
  std::string s = ToStr(v);
  int64_t width = args.Get(0, "width", Value(80)).as_int();
  r.CheckSize(static_cast<size_t>(std::max<int64_t>(width, 0)));
  int64_t len = static_cast<int64_t>(CodePointCount(s));
  if (width <= len) return Value(std::move(s));
  // CPython's str.center puts the odd space on the left when the width is odd.
  int64_t margin = width - len;
  int64_t left = margin / 2 + (margin & width & 1);
  return Value(std::string(static_cast<size_t>(left), ' ') + s +
               std::string(static_cast<size_t>(margin - left), ' '));
}

Value Format(const Value& v, CallArgs& args, Renderer&) {
  if (!args.keywords.empty()) Fail("format: keyword arguments are not supported");
  if (args.positional.size() == 1 && args.positional[0].is_dict()) {
    Fail("format: mapping arguments are not supported");
  }
  return BinaryOp("%", Value(ToStr(v)), Value::List(args.positional, true));
}

// getattr only: unlike `x.name`, a dict's keys are not attributes.
Value Attr(const Value& v, CallArgs& args, Renderer& r) {
  std::string name = ToStr(args.Get(0, "name"));
  if (v.is_dict() && !v.dict().is_namespace) {
    Value method = BoundMethod(v, name);
    if (!method.is_undefined()) return method;
    return Value::UndefinedAttribute("dict object", name);
  }
  return r.GetAttr(v, name);
}

const std::unordered_map<std::string_view, Filter>& Filters() {
  static const auto* table = new std::unordered_map<std::string_view, Filter>{
      {"abs", Abs},
      {"attr", Attr},
      {"capitalize", Capitalize},
      {"center", Center},
      {"count", Length},
      {"d", Default},
      {"default", Default},
      {"dictsort", DictSort},
      {"e", Escape},
      {"escape", Escape},
      {"first", First},
      {"float", Float},
      {"format", Format},
      {"indent", Indent},
      {"int", Int},
      {"items", ItemsFilter},
      {"join", Join},
      {"last", Last},
      {"length", Length},
      {"list", ListFilter},
      {"lower", Lower},
      {"map", Map},
      {"max", Max},
      {"min", Min},
      {"reject", Reject},
      {"rejectattr", RejectAttr},
      {"replace", ReplaceFilter},
      {"reverse", Reverse},
      {"round", Round},
      {"safe", Safe},
      {"select", Select},
      {"selectattr", SelectAttr},
      {"sort", Sort},
      {"string", String},
      {"sum", Sum},
      {"title", Title},
      {"tojson", ToJsonFilter},
      {"trim", Trim},
      {"unique", Unique},
      {"upper", Upper},
      {"wordcount", WordCount},
  };
  return *table;
}

}  // namespace

bool HasFilter(std::string_view name) {
  return Filters().contains(name);
}

Value ApplyFilter(std::string_view name, const Value& value, CallArgs& args, Renderer& renderer) {
  auto it = Filters().find(name);
  if (it == Filters().end()) Fail(fmt::format("No filter named '{}'.", name));
  return it->second(value, args, renderer);
}

}  // namespace servebench::tmpl

// Python methods of str, dict and list that chat templates call, and the string helpers they
// share with filters.
#include <algorithm>

#include <fmt/format.h>

#include "template/builtins.h"
#include "template/renderer.h"
#include "template/template_error.h"

namespace servebench::tmpl {

Value CallArgs::Get(size_t index, std::string_view name, Value fallback) const {
  if (index < positional.size()) return positional[index];
  for (const auto& [k, v] : keywords) {
    if (k == name) return v;
  }
  return fallback;
}

bool CallArgs::Has(size_t index, std::string_view name) const {
  if (index < positional.size()) return true;
  for (const auto& [k, v] : keywords) {
    if (k == name) return true;
  }
  return false;
}

size_t CodePointCount(std::string_view s) {
  size_t n = 0;
  for (char c : s)
    n += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  return n;
}

std::vector<std::string> SplitCodePoints(std::string_view s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    size_t j = i + 1;
    while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xc0) == 0x80)
      ++j;
    out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

namespace {

bool IsPySpace(unsigned char c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

// Strips whole code points found in `chars` (or whitespace when chars is none/undefined).
std::string StripSet(std::string_view s, const std::vector<std::string>& set, bool left,
                     bool right) {
  auto cps = SplitCodePoints(s);
  size_t b = 0, e = cps.size();
  auto in_set = [&](const std::string& cp) {
    return std::find(set.begin(), set.end(), cp) != set.end();
  };
  if (left) {
    while (b < e && in_set(cps[b]))
      ++b;
  }
  if (right) {
    while (e > b && in_set(cps[e - 1]))
      --e;
  }
  std::string out;
  for (size_t i = b; i < e; ++i)
    out += cps[i];
  return out;
}

}  // namespace

std::string PyStrip(std::string_view s, const Value& chars, bool left, bool right) {
  if (chars.is_string()) return StripSet(s, SplitCodePoints(chars.as_string()), left, right);
  if (!chars.is_none() && !chars.is_undefined()) {
    Fail(fmt::format("strip arg must be None or str, not {}", chars.TypeName()));
  }
  size_t b = 0, e = s.size();
  if (left) {
    while (b < e && IsPySpace(static_cast<unsigned char>(s[b])))
      ++b;
  }
  if (right) {
    while (e > b && IsPySpace(static_cast<unsigned char>(s[e - 1])))
      --e;
  }
  return std::string(s.substr(b, e - b));
}

namespace {

std::string ArgString(const CallArgs& args, size_t index, std::string_view name,
                      std::string_view method) {
  Value v = args.Get(index, name);
  if (!v.is_string()) {
    Fail(fmt::format("{}() argument must be str, not {}", method, v.TypeName()));
  }
  return v.as_string();
}

Value Split(const std::string& s, const CallArgs& args) {
  Value sep = args.Get(0, "sep", Value(None{}));
  int64_t maxsplit = args.Get(1, "maxsplit", Value(-1)).as_int();
  std::vector<Value> parts;
  if (sep.is_none()) {
    size_t i = 0;
    while (true) {
      while (i < s.size() && IsPySpace(static_cast<unsigned char>(s[i])))
        ++i;
      if (i >= s.size()) break;
      if (maxsplit >= 0 && static_cast<int64_t>(parts.size()) >= maxsplit) {
        size_t e = s.size();
        while (e > i && IsPySpace(static_cast<unsigned char>(s[e - 1])))
          --e;
        parts.emplace_back(s.substr(i, e - i));
        break;
      }
      size_t j = i;
      while (j < s.size() && !IsPySpace(static_cast<unsigned char>(s[j])))
        ++j;
      parts.emplace_back(s.substr(i, j - i));
      i = j;
    }
    return Value::List(std::move(parts));
  }
  if (!sep.is_string()) Fail(fmt::format("must be str or None, not {}", sep.TypeName()));
  const std::string& d = sep.as_string();
  if (d.empty()) Fail("ValueError: empty separator");
  size_t start = 0;
  while (maxsplit < 0 || static_cast<int64_t>(parts.size()) < maxsplit) {
    size_t at = s.find(d, start);
    if (at == std::string::npos) break;
    parts.emplace_back(s.substr(start, at - start));
    start = at + d.size();
  }
  parts.emplace_back(s.substr(start));
  return Value::List(std::move(parts));
}

// Python's str.replace, including the empty-pattern case.
std::string Replace(const std::string& s, const std::string& from, const std::string& to,
                    int64_t count) {
  std::string out;
  if (from.empty()) {
    auto cps = SplitCodePoints(s);
    int64_t done = 0;
    for (const auto& cp : cps) {
      if (count < 0 || done < count) {
        out += to;
        ++done;
      }
      out += cp;
    }
    if (count < 0 || done < count) out += to;
    return out;
  }
  size_t start = 0;
  int64_t done = 0;
  while (count < 0 || done < count) {
    size_t at = s.find(from, start);
    if (at == std::string::npos) break;
    out.append(s, start, at - start);
    out += to;
    start = at + from.size();
    ++done;
  }
  out.append(s, start);
  return out;
}

bool AffixMatch(const std::string& s, const Value& affix, bool prefix, const char* method) {
  auto one = [&](const Value& a) {
    if (!a.is_string()) {
      Fail(fmt::format("{} first arg must be str or a tuple of str, not {}", method, a.TypeName()));
    }
    const std::string& x = a.as_string();
    if (x.size() > s.size()) return false;
    return prefix ? s.compare(0, x.size(), x) == 0
                  : s.compare(s.size() - x.size(), x.size(), x) == 0;
  };
  if (affix.is_list() && affix.list().is_tuple) {
    for (const auto& a : affix.list().items) {
      if (one(a)) return true;
    }
    return false;
  }
  return one(affix);
}

std::string AsciiMap(std::string s, int (*f)(int)) {
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x80) c = static_cast<char>(f(c));
  }
  return s;
}

bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Python's str.title: a letter after a non-letter is upper-cased, others lower-cased.
std::string PyTitle(const std::string& s) {
  std::string out = s;
  bool prev_cased = false;
  for (char& c : out) {
    if (IsAlpha(c)) {
      c = static_cast<char>(prev_cased ? std::tolower(c) : std::toupper(c));
      prev_cased = true;
    } else {
      prev_cased = static_cast<unsigned char>(c) >= 0x80 && prev_cased;
    }
  }
  return out;
}

// str.format with automatic ({}), numbered ({0}) and named ({name}) fields; a format spec is
// not supported.
std::string PyFormat(const std::string& f, const CallArgs& args) {
  std::string out;
  size_t auto_index = 0;
  for (size_t i = 0; i < f.size(); ++i) {
    char c = f[i];
    if (c == '{' && i + 1 < f.size() && f[i + 1] == '{') {
      out += '{';
      ++i;
    } else if (c == '}' && i + 1 < f.size() && f[i + 1] == '}') {
      out += '}';
      ++i;
    } else if (c == '{') {
      size_t close = f.find('}', i);
      if (close == std::string::npos) Fail("ValueError: expected '}' before end of string");
      std::string field = f.substr(i + 1, close - i - 1);
      if (field.find_first_of(":!") != std::string::npos) {
        Fail("format specifications in str.format are not supported");
      }
      Value v;
      if (field.empty()) {
        if (auto_index >= args.positional.size()) {
          Fail("IndexError: Replacement index out of range for positional args tuple");
        }
        v = args.positional[auto_index++];
      } else if (std::all_of(field.begin(), field.end(), ::isdigit)) {
        size_t n = std::stoul(field);
        if (n >= args.positional.size()) {
          Fail("IndexError: Replacement index out of range for positional args tuple");
        }
        v = args.positional[n];
      } else {
        bool found = false;
        for (const auto& [k, kv] : args.keywords) {
          if (k == field) {
            v = kv;
            found = true;
          }
        }
        if (!found) Fail(fmt::format("KeyError: '{}'", field));
      }
      out += ToStr(v);
      i = close;
    } else if (c == '}') {
      Fail("ValueError: Single '}' encountered in format string");
    } else {
      out += c;
    }
  }
  return out;
}

using Method = Value (*)(const Value& self, CallArgs& args, Renderer& r);

Value StringMethod(const std::string& name, const Value& self, CallArgs& args, Renderer& r) {
  const std::string& s = self.as_string();
  if (name == "strip") return Value(PyStrip(s, args.Get(0, "chars", Value(None{})), true, true));
  if (name == "lstrip") return Value(PyStrip(s, args.Get(0, "chars", Value(None{})), true, false));
  if (name == "rstrip") return Value(PyStrip(s, args.Get(0, "chars", Value(None{})), false, true));
  if (name == "split") return Split(s, args);
  if (name == "startswith") return Value(AffixMatch(s, args.Get(0, "prefix"), true, "startswith"));
  if (name == "endswith") return Value(AffixMatch(s, args.Get(0, "suffix"), false, "endswith"));
  if (name == "lower") return Value(AsciiMap(s, ::tolower));
  if (name == "upper") return Value(AsciiMap(s, ::toupper));
  if (name == "title") return Value(PyTitle(s));
  if (name == "capitalize") {
    std::string out = AsciiMap(s, ::tolower);
    if (!out.empty()) out[0] = static_cast<char>(std::toupper(out[0]));
    return Value(std::move(out));
  }
  if (name == "replace") {
    std::string out =
        Replace(s, ArgString(args, 0, "old", "replace"), ArgString(args, 1, "new", "replace"),
                args.Get(2, "count", Value(-1)).as_int());
    r.CheckSize(out.size());
    return Value(std::move(out));
  }
  if (name == "format") {
    std::string out = PyFormat(s, args);
    r.CheckSize(out.size());
    return Value(std::move(out));
  }
  if (name == "find") {
    size_t at = s.find(ArgString(args, 0, "sub", "find"));
    return Value(at == std::string::npos ? int64_t{-1}
                                         : static_cast<int64_t>(CodePointCount(s.substr(0, at))));
  }
  if (name == "count") {
    std::string sub = ArgString(args, 0, "sub", "count");
    if (sub.empty()) return Value(static_cast<int64_t>(CodePointCount(s) + 1));
    int64_t n = 0;
    for (size_t at = s.find(sub); at != std::string::npos; at = s.find(sub, at + sub.size()))
      ++n;
    return Value(n);
  }
  if (name == "join") {
    Value seq = args.Get(0, "iterable");
    if (!seq.is_list()) Fail("can only join an iterable");
    std::string out;
    bool first = true;
    for (const auto& item : seq.list().items) {
      if (!item.is_string())
        Fail(fmt::format("sequence item: expected str instance, {} found", item.TypeName()));
      if (!first) out += s;
      first = false;
      out += item.as_string();
      r.CheckSize(out.size());
    }
    return Value(std::move(out));
  }
  auto all = [&](auto pred) {
    return Value(!s.empty() && std::all_of(s.begin(), s.end(), [&](char c) {
      return pred(static_cast<unsigned char>(c));
    }));
  };
  if (name == "isdigit") return all(::isdigit);
  if (name == "isalpha") return all(::isalpha);
  if (name == "isalnum") return all(::isalnum);
  if (name == "isspace") return all(IsPySpace);
  if (name == "islower") {
    return Value(std::any_of(s.begin(), s.end(), ::islower) &&
                 !std::any_of(s.begin(), s.end(), ::isupper));
  }
  if (name == "isupper") {
    return Value(std::any_of(s.begin(), s.end(), ::isupper) &&
                 !std::any_of(s.begin(), s.end(), ::islower));
  }
  Fail("unknown str method " + name);
}

Value DictMethod(const std::string& name, const Value& self, CallArgs& args, Renderer&) {
  const DictData& d = self.dict();
  if (name == "items") {
    std::vector<Value> items;
    for (const auto& [k, v] : d.items)
      items.push_back(Value::List({Value(k), v}, true));
    return Value::List(std::move(items));
  }
  if (name == "keys") {
    std::vector<Value> keys;
    for (const auto& [k, v] : d.items)
      keys.emplace_back(k);
    return Value::List(std::move(keys));
  }
  if (name == "values") {
    std::vector<Value> values;
    for (const auto& [k, v] : d.items)
      values.push_back(v);
    return Value::List(std::move(values));
  }
  if (name == "get") {
    Value key = args.Get(0, "key");
    Value fallback = args.Get(1, "default", Value(None{}));
    if (!key.is_string()) return fallback;
    const Value* v = d.Find(key.as_string());
    return v ? *v : fallback;
  }
  Fail("unknown dict method " + name);
}

Value ListMethod(const std::string& name, const Value& self, CallArgs& args, Renderer&) {
  const auto& items = self.list().items;
  Value x = args.Get(0, "value");
  if (name == "count") {
    return Value(static_cast<int64_t>(
        std::count_if(items.begin(), items.end(), [&](const Value& v) { return Equal(v, x); })));
  }
  if (name == "index") {
    for (size_t i = 0; i < items.size(); ++i) {
      if (Equal(items[i], x)) return Value(static_cast<int64_t>(i));
    }
    Fail(fmt::format("ValueError: {} is not in list", Repr(x)));
  }
  Fail("unknown list method " + name);
}

bool Among(const std::string& name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

Value BoundMethod(const Value& self, const std::string& name) {
  Value (*impl)(const std::string&, const Value&, CallArgs&, Renderer&) = nullptr;
  bool unsafe = false;
  if (self.is_string()) {
    if (Among(name,
              {"strip", "lstrip",  "rstrip",     "split",   "startswith", "endswith", "lower",
               "upper", "title",   "capitalize", "replace", "format",     "find",     "count",
               "join",  "isdigit", "isalpha",    "isalnum", "isspace",    "islower",  "isupper"})) {
      impl = StringMethod;
    }
  } else if (self.is_dict()) {
    if (Among(name, {"items", "keys", "values", "get"})) impl = DictMethod;
    unsafe = Among(name, {"pop", "popitem", "clear", "update", "setdefault"});
  } else if (self.is_list()) {
    if (Among(name, {"count", "index"})) impl = ListMethod;
    unsafe = !self.list().is_tuple && Among(name, {"append", "extend", "insert", "pop", "remove",
                                                   "clear", "sort", "reverse"});
  }
  if (unsafe) {
    // transformers renders in jinja2's ImmutableSandboxedEnvironment, which refuses methods
    // that modify a list or dict.
    auto fn = std::make_shared<Function>();
    fn->name = name;
    std::string type = self.TypeName();
    fn->call = [name, type](CallArgs&, Renderer&) -> Value {
      Fail(fmt::format("access to attribute '{}' of '{}' object is unsafe.", name, type));
    };
    return Value(fn);
  }
  if (!impl) return Value();
  auto fn = std::make_shared<Function>();
  fn->name = name;
  fn->depth = Depth(self) + 1;
  if (fn->depth > kMaxValueDepth) Fail("value nested too deeply");
  fn->call = [impl, self, name](CallArgs& args, Renderer& r) { return impl(name, self, args, r); };
  return Value(fn);
}

}  // namespace servebench::tmpl

#include "template/value.h"

#include "template/template_error.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace servebench::tmpl {

const Value* DictData::Find(std::string_view key) const {
  for (const auto& [k, v] : items) {
    if (k == key) return &v;
  }
  return nullptr;
}

Value* DictData::Find(std::string_view key) {
  for (auto& [k, v] : items) {
    if (k == key) return &v;
  }
  return nullptr;
}

int Depth(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kList:
      return v.list().depth;
    case Value::Kind::kDict:
      return v.dict().depth;
    case Value::Kind::kFunction:
      return v.function().depth;
    default:
      return 0;
  }
}

namespace {

int DepthAbove(const Value& child) {
  int depth = Depth(child) + 1;
  if (depth > kMaxValueDepth) {
    Fail(fmt::format("value nested deeper than {} levels", kMaxValueDepth));
  }
  return depth;
}

}  // namespace

void DictData::Set(std::string key, Value value) {
  depth = std::max(depth, DepthAbove(value));
  if (Value* slot = Find(key)) {
    *slot = std::move(value);
  } else {
    items.emplace_back(std::move(key), std::move(value));
  }
}

Value Value::List(std::vector<Value> items, bool tuple) {
  auto data = std::make_shared<ListData>();
  for (const Value& item : items)
    data->depth = std::max(data->depth, DepthAbove(item));
  data->items = std::move(items);
  data->is_tuple = tuple;
  return Value(std::move(data));
}

Value Value::Dict() {
  return Value(std::make_shared<DictData>());
}

Value Value::UndefinedAttribute(std::string_view owner, std::string_view attribute) {
  std::string detail;
  detail.reserve(owner.size() + attribute.size() + 1);
  detail.append(owner).append(1, '\0').append(attribute);
  return Value(Undefined{Undefined::Why::kAttribute, std::move(detail)});
}

std::string Value::undefined_hint() const {
  const Undefined& u = std::get<Undefined>(v_);
  switch (u.why) {
    case Undefined::Why::kName:
      return "'" + u.detail + "' is undefined";
    case Undefined::Why::kAttribute: {
      size_t split = u.detail.find('\0');
      return "'" + u.detail.substr(0, split) + "' has no attribute '" + u.detail.substr(split + 1) +
             "'";
    }
    case Undefined::Why::kNoPrevious:
      return "there is no previous item";
    case Undefined::Why::kNoNext:
      return "there is no next item";
    case Undefined::Why::kText:
      break;
  }
  return u.detail;
}

int64_t Value::as_int() const {
  if (is_bool()) return as_bool() ? 1 : 0;
  return std::get<int64_t>(v_);
}

double Value::as_double() const {
  if (is_float()) return std::get<double>(v_);
  return static_cast<double>(as_int());
}

bool Value::Truthy() const {
  switch (kind()) {
    case Kind::kUndefined:
    case Kind::kNone:
      return false;
    case Kind::kBool:
      return as_bool();
    case Kind::kInt:
      return as_int() != 0;
    case Kind::kFloat:
      return as_double() != 0.0;
    case Kind::kString:
      return !as_string().empty();
    case Kind::kList:
      return !list().items.empty();
    case Kind::kDict:
      return !dict().items.empty();
    case Kind::kFunction:
      return true;
  }
  return false;
}

std::string Value::TypeName() const {
  switch (kind()) {
    case Kind::kUndefined:
      return "Undefined";
    case Kind::kNone:
      return "NoneType";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kFloat:
      return "float";
    case Kind::kString:
      return "str";
    case Kind::kList:
      return list().is_tuple ? "tuple" : "list";
    case Kind::kDict:
      return dict().is_namespace ? "Namespace" : "dict";
    case Kind::kFunction:
      return "function";
  }
  return "object";
}

std::string FloatRepr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  // Shortest round-trip digits, laid out by Python's repr rule: positional notation when the
  // decimal exponent is in [-4, 16), scientific otherwise.
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  (void)ec;
  std::string sci(buf, end);
  std::string sign;
  if (sci[0] == '-') {
    sign = "-";
    sci.erase(0, 1);
  }
  size_t e = sci.find('e');
  int exp = std::atoi(sci.c_str() + e + 1);
  std::string digits;
  for (size_t i = 0; i < e; ++i) {
    if (sci[i] != '.') digits += sci[i];
  }
  if (exp >= -4 && exp < 16) {
    std::string out;
    if (exp < 0) {
      out = "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
    } else if (static_cast<size_t>(exp) + 1 >= digits.size()) {
      out = digits + std::string(static_cast<size_t>(exp) + 1 - digits.size(), '0') + ".0";
    } else {
      out = digits.substr(0, exp + 1) + "." + digits.substr(exp + 1);
    }
    return sign + out;
  }
  std::string mantissa = digits.substr(0, 1);
  if (digits.size() > 1) mantissa += "." + digits.substr(1);
  char ebuf[16];
  std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
  return sign + mantissa + ebuf;
}

std::string StringRepr(std::string_view s) {
  // Python prefers single quotes unless the text holds a single quote and no double quote.
  char quote = '\'';
  if (s.find('\'') != std::string_view::npos && s.find('"') == std::string_view::npos) {
    quote = '"';
  }
  std::string out(1, quote);
  for (unsigned char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c == static_cast<unsigned char>(quote)) {
          out += '\\';
          out += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7f) {
          char buf[16];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += quote;
  return out;
}

namespace {

// Deep enough for any real data; a namespace that holds itself stops here.
constexpr int kMaxReprDepth = 1000;

std::string ReprAt(const Value& v, int depth);

}  // namespace

std::string Repr(const Value& v) {
  return ReprAt(v, 0);
}

namespace {

std::string ReprAt(const Value& v, int depth) {
  if (depth > kMaxReprDepth) Fail("maximum recursion depth exceeded while printing a value");
  switch (v.kind()) {
    case Value::Kind::kString:
      return StringRepr(v.as_string());
    case Value::Kind::kList: {
      const ListData& l = v.list();
      std::string out = l.is_tuple ? "(" : "[";
      for (size_t i = 0; i < l.items.size(); ++i) {
        if (i > 0) out += ", ";
        out += ReprAt(l.items[i], depth + 1);
      }
      if (l.is_tuple && l.items.size() == 1) out += ",";
      out += l.is_tuple ? ")" : "]";
      return out;
    }
    case Value::Kind::kDict: {
      const DictData& d = v.dict();
      std::string out = d.is_namespace ? "<Namespace {" : "{";
      bool first = true;
      for (const auto& [k, item] : d.items) {
        if (!first) out += ", ";
        first = false;
        out += StringRepr(k) + ": " + ReprAt(item, depth + 1);
      }
      out += d.is_namespace ? "}>" : "}";
      return out;
    }
    default:
      return ToStr(v);
  }
}

}  // namespace

std::string ToStr(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kUndefined:
      return "";
    case Value::Kind::kNone:
      return "None";
    case Value::Kind::kBool:
      return v.as_bool() ? "True" : "False";
    case Value::Kind::kInt:
      return std::to_string(v.as_int());
    case Value::Kind::kFloat:
      return FloatRepr(v.as_double());
    case Value::Kind::kString:
      return v.as_string();
    case Value::Kind::kFunction:
      return "<function " + v.function().name + ">";
    default:
      return Repr(v);
  }
}

bool Equal(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_float() || b.is_float()) return a.as_double() == b.as_double();
    return a.as_int() == b.as_int();
  }
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Value::Kind::kUndefined:
    case Value::Kind::kNone:
      return true;
    case Value::Kind::kString:
      return a.as_string() == b.as_string();
    case Value::Kind::kList: {
      const auto& x = a.list().items;
      const auto& y = b.list().items;
      if (x.size() != y.size() || a.list().is_tuple != b.list().is_tuple) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!Equal(x[i], y[i])) return false;
      }
      return true;
    }
    case Value::Kind::kDict: {
      const auto& x = a.dict();
      const auto& y = b.dict();
      if (x.is_namespace || y.is_namespace) return &x == &y;
      if (x.items.size() != y.items.size()) return false;
      for (const auto& [k, v] : x.items) {
        const Value* other = y.Find(k);
        if (!other || !Equal(v, *other)) return false;
      }
      return true;
    }
    case Value::Kind::kFunction:
      return &a.function() == &b.function();
    default:
      return false;
  }
}

}  // namespace servebench::tmpl

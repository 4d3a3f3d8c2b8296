#include "template/renderer.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>
#include <fmt/printf.h>

#include "template/template_error.h"

namespace servebench::tmpl {
namespace {

// How jinja2 names an object in "has no attribute" messages.
std::string ObjectTypeRepr(const Value& v) {
  if (v.is_none()) return "None";
  return v.TypeName() + " object";
}

[[noreturn]] void FailUndefined(const Value& v) {
  Fail(v.undefined_hint());
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

int64_t FloorMod(int64_t a, int64_t b) {
  int64_t m = a % b;
  if (m != 0 && ((m < 0) != (b < 0))) m += b;
  return m;
}

double FloatMod(double a, double b) {
  double m = std::fmod(a, b);
  if (m != 0 && ((m < 0) != (b < 0))) m += b;
  return m;
}

[[noreturn]] void UnsupportedOperands(const std::string& op, const Value& a, const Value& b) {
  Fail(fmt::format("unsupported operand type(s) for {}: '{}' and '{}'", op, a.TypeName(),
                   b.TypeName()));
}

Value Repeat(const Value& seq, int64_t times) {
  if (times < 0) times = 0;
  if (seq.is_string()) {
    const std::string& s = seq.as_string();
    if (!s.empty() && static_cast<uint64_t>(times) > (64u << 20) / s.size()) {
      Fail("string repetition result too large");
    }
    std::string out;
    for (int64_t i = 0; i < times; ++i)
      out += s;
    return Value(std::move(out));
  }
  const auto& items = seq.list().items;
  if (!items.empty() && static_cast<uint64_t>(times) > (1u << 20) / items.size()) {
    Fail("list repetition result too large");
  }
  std::vector<Value> out;
  for (int64_t i = 0; i < times; ++i)
    out.insert(out.end(), items.begin(), items.end());
  return Value::List(std::move(out), seq.list().is_tuple);
}

// Python's `str % args` for the conversions templates use (%s %d %i %f %r %%).
Value PercentFormat(const std::string& format, const Value& args) {
  std::vector<Value> values;
  if (args.is_list() && args.list().is_tuple) {
    values = args.list().items;
  } else {
    values.push_back(args);
  }
  std::string out;
  size_t next = 0;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      out += format[i];
      continue;
    }
    if (++i >= format.size()) Fail("ValueError: incomplete format");
    std::string spec = "%";
    while (i < format.size() &&
           std::string_view("-+ #0123456789.").find(format[i]) != std::string_view::npos) {
      spec += format[i++];
    }
    if (i >= format.size()) Fail("ValueError: incomplete format");
    char conv = format[i];
    if (conv == '%') {
      out += '%';
      continue;
    }
    if (next >= values.size()) Fail("TypeError: not enough arguments for format string");
    const Value& v = values[next++];
    switch (conv) {
      case 's':
        out += spec.size() > 1 ? fmt::sprintf(spec + "s", ToStr(v)) : ToStr(v);
        break;
      case 'r':
        out += spec.size() > 1 ? fmt::sprintf(spec + "s", Repr(v)) : Repr(v);
        break;
      case 'd':
      case 'i':
        if (!v.is_number()) Fail("TypeError: %d format: a real number is required");
        out += fmt::sprintf(
            spec + "lld",
            static_cast<long long>(v.is_float() ? std::trunc(v.as_double()) : v.as_int()));
        break;
      case 'f':
      case 'F':
      case 'e':
      case 'g':
        if (!v.is_number()) Fail("TypeError: must be real number");
        out += fmt::sprintf(spec + conv, v.as_double());
        break;
      default:
        Fail(fmt::format("ValueError: unsupported format character '{}'", conv));
    }
  }
  if (next < values.size() && args.is_list() && args.list().is_tuple) {
    Fail("TypeError: not all arguments converted during string formatting");
  }
  return Value(std::move(out));
}

Value IntResult(bool overflow, int64_t r) {
  if (overflow) Fail("integer overflow (Python integers are unbounded; these are 64-bit)");
  return Value(r);
}

}  // namespace

Value BinaryOp(const std::string& op, const Value& a, const Value& b) {
  if (a.is_undefined()) FailUndefined(a);
  if (b.is_undefined()) FailUndefined(b);
  bool nums = a.is_number() && b.is_number();
  bool ints = nums && !a.is_float() && !b.is_float();
  int64_t r = 0;
  if (op == "+") {
    if (ints) {
      bool overflow = __builtin_add_overflow(a.as_int(), b.as_int(), &r);
      return IntResult(overflow, r);
    }
    if (nums) return Value(a.as_double() + b.as_double());
    if (a.is_string() && b.is_string()) {
      if (a.as_string().size() + b.as_string().size() > (64u << 20)) Fail("string too large");
      return Value(a.as_string() + b.as_string());
    }
    if (a.is_list() && b.is_list() && a.list().is_tuple == b.list().is_tuple) {
      std::vector<Value> items = a.list().items;
      items.insert(items.end(), b.list().items.begin(), b.list().items.end());
      return Value::List(std::move(items), a.list().is_tuple);
    }
    if (a.is_string()) {
      Fail(fmt::format("can only concatenate str (not \"{}\") to str", b.TypeName()));
    }
    UnsupportedOperands(op, a, b);
  }
  if (op == "-") {
    if (ints) {
      bool overflow = __builtin_sub_overflow(a.as_int(), b.as_int(), &r);
      return IntResult(overflow, r);
    }
    if (nums) return Value(a.as_double() - b.as_double());
    UnsupportedOperands(op, a, b);
  }
  if (op == "*") {
    if (ints) {
      bool overflow = __builtin_mul_overflow(a.as_int(), b.as_int(), &r);
      return IntResult(overflow, r);
    }
    if (nums) return Value(a.as_double() * b.as_double());
    if ((a.is_string() || a.is_list()) && (b.is_int() || b.is_bool())) return Repeat(a, b.as_int());
    if ((b.is_string() || b.is_list()) && (a.is_int() || a.is_bool())) return Repeat(b, a.as_int());
    UnsupportedOperands(op, a, b);
  }
  if (op == "/") {
    if (!nums) UnsupportedOperands(op, a, b);
    if (b.as_double() == 0) Fail("division by zero");
    return Value(a.as_double() / b.as_double());
  }
  if (op == "//") {
    if (!nums) UnsupportedOperands(op, a, b);
    if (b.as_double() == 0) Fail("integer division or modulo by zero");
    if (ints) {
      if (a.as_int() == INT64_MIN && b.as_int() == -1) IntResult(true, 0);
      return Value(FloorDiv(a.as_int(), b.as_int()));
    }
    return Value(std::floor(a.as_double() / b.as_double()));
  }
  if (op == "%") {
    if (a.is_string()) return PercentFormat(a.as_string(), b);
    if (!nums) UnsupportedOperands(op, a, b);
    if (b.as_double() == 0) Fail("integer division or modulo by zero");
    if (ints) {
      if (b.as_int() == -1) return Value(static_cast<int64_t>(0));
      return Value(FloorMod(a.as_int(), b.as_int()));
    }
    return Value(FloatMod(a.as_double(), b.as_double()));
  }
  if (op == "**") {
    if (!nums) UnsupportedOperands("** or pow()", a, b);
    if (ints && b.as_int() >= 0) {
      int64_t base = a.as_int(), result = 1;
      for (int64_t e = b.as_int(); e > 0; --e) {
        if (__builtin_mul_overflow(result, base, &result)) IntResult(true, 0);
        if (result == 0 || result == 1) break;
        if (result == -1) {
          result = (e - 1) % 2 == 0 ? -1 : 1;
          break;
        }
      }
      return Value(result);
    }
    return Value(std::pow(a.as_double(), b.as_double()));
  }
  Fail("unknown operator " + op);
}

int CompareValues(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_float() || b.is_float()) {
      double x = a.as_double(), y = b.as_double();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    return a.as_int() < b.as_int() ? -1 : a.as_int() > b.as_int() ? 1 : 0;
  }
  if (a.is_string() && b.is_string()) {
    int c = a.as_string().compare(b.as_string());
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  if (a.is_list() && b.is_list()) {
    const auto& x = a.list().items;
    const auto& y = b.list().items;
    for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
      if (Equal(x[i], y[i])) continue;
      return CompareValues(x[i], y[i]);
    }
    return x.size() < y.size() ? -1 : x.size() > y.size() ? 1 : 0;
  }
  if (a.is_undefined()) FailUndefined(a);
  if (b.is_undefined()) FailUndefined(b);
  Fail(fmt::format("'<' not supported between instances of '{}' and '{}'", a.TypeName(),
                   b.TypeName()));
}

Renderer::Renderer(std::shared_ptr<DictData> globals, RenderLimits limits)
    : scope_(std::make_shared<Scope>()), globals_(std::move(globals)), limits_(limits) {}

Renderer::~Renderer() {
  // Namespaces may hold themselves (`set ns.me = ns`); emptying them frees such cycles.
  for (auto& ns : namespaces_)
    ns->items.clear();
}

void Renderer::TrackNamespace(const std::shared_ptr<DictData>& ns) {
  namespaces_.push_back(ns);
}

void Renderer::CountStep() {
  if (++steps_ > limits_.max_steps) {
    Fail(fmt::format("template exceeded {} steps (a loop that never ends?)", limits_.max_steps));
  }
}

void Renderer::CheckSize(size_t bytes) const {
  if (bytes > limits_.max_output) {
    Fail(fmt::format("template output exceeded {} bytes", limits_.max_output));
  }
}

std::string Renderer::Render(const Body& body) {
  std::string out;
  try {
    RenderBody(body, out);
  } catch (TemplateError& e) {
    e.message = fmt::format("line {}: {}", line_, e.message);
    throw;
  }
  return out;
}

Renderer::Flow Renderer::RenderBody(const Body& body, std::string& out) {
  for (const auto& node : body) {
    Flow flow = RenderNode(*node, out);
    if (flow != Flow::kNormal) return flow;
  }
  return Flow::kNormal;
}

Renderer::Flow Renderer::RenderNode(const Node& node, std::string& out) {
  CountStep();
  line_ = node.line;
  switch (node.kind) {
    case Node::Kind::kText:
      out += node.text;
      break;
    case Node::Kind::kOutput: {
      Value v = Eval(*node.expr);
      if (v.is_string()) {
        out += v.as_string();
      } else {
        out += ToStr(v);
      }
      break;
    }
    case Node::Kind::kIf: {
      for (size_t i = 0; i < node.conditions.size(); ++i) {
        if (Eval(*node.conditions[i]).Truthy()) return RenderBody(node.bodies[i], out);
      }
      return RenderBody(node.else_body, out);
    }
    case Node::Kind::kFor:
      RenderFor(node, out);
      break;
    case Node::Kind::kSet:
      RenderSet(node);
      break;
    case Node::Kind::kSetBlock: {
      std::string text;
      RenderBody(node.body, text);
      Value v(std::move(text));
      if (node.expr) {
        block_values_.push_back(std::move(v));
        v = Eval(*node.expr);
        block_values_.pop_back();
      }
      Assign(node.targets[0], std::move(v));
      break;
    }
    case Node::Kind::kMacro:
      Assign(node.name, MakeMacro(node));
      break;
    case Node::Kind::kCallBlock: {
      Value caller = MakeMacro(node);
      const Expr& call = *node.expr;
      Value callee = Eval(*call.items[0]);
      CallArgs args = EvalArgs(call, 1);
      args.keywords.emplace_back("caller", std::move(caller));
      out += ToStr(Call(callee, args));
      break;
    }
    case Node::Kind::kFilterBlock: {
      std::string text;
      RenderBody(node.body, text);
      block_values_.push_back(Value(std::move(text)));
      Value v = Eval(*node.expr);
      block_values_.pop_back();
      out += ToStr(v);
      break;
    }
    case Node::Kind::kWith: {
      auto inner = std::make_shared<Scope>();
      inner->parent = scope_;
      for (size_t i = 0; i < node.targets.size(); ++i) {
        inner->vars[node.targets[i]] = Eval(*node.values[i]);
      }
      auto saved = scope_;
      scope_ = inner;
      Flow flow;
      try {
        flow = RenderBody(node.body, out);
      } catch (...) {
        scope_ = saved;
        throw;
      }
      scope_ = saved;
      return flow;
    }
    case Node::Kind::kBreak:
      return Flow::kBreak;
    case Node::Kind::kContinue:
      return Flow::kContinue;
  }
  CheckSize(out.size());
  return Flow::kNormal;
}

Value Renderer::Iterable(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kList:
      return v;
    case Value::Kind::kUndefined:
      return Value::List();
    case Value::Kind::kDict: {
      std::vector<Value> keys;
      for (const auto& [k, unused] : v.dict().items)
        keys.emplace_back(k);
      return Value::List(std::move(keys));
    }
    case Value::Kind::kString: {
      std::vector<Value> chars;
      for (auto& c : SplitCodePoints(v.as_string()))
        chars.emplace_back(std::move(c));
      return Value::List(std::move(chars));
    }
    default:
      Fail(fmt::format("'{}' object is not iterable", v.TypeName()));
  }
}

namespace {

void BindTargets(std::unordered_map<std::string, Value>& vars,
                 const std::vector<std::string>& targets, const Value& item) {
  if (targets.size() == 1) {
    vars[targets[0]] = item;
    return;
  }
  if (!item.is_list()) {
    Fail(fmt::format("cannot unpack non-iterable {} object", item.TypeName()));
  }
  const auto& parts = item.list().items;
  if (parts.size() != targets.size()) {
    Fail(fmt::format("{} values to unpack (expected {}, got {})",
                     parts.size() > targets.size() ? "too many" : "not enough", targets.size(),
                     parts.size()));
  }
  for (size_t i = 0; i < targets.size(); ++i)
    vars[targets[i]] = parts[i];
}

}  // namespace

void Renderer::RenderFor(const Node& node, std::string& out) {
  if (node.recursive) Fail("recursive loops are not supported");
  Value seq = Iterable(Eval(*node.expr));
  // Hold the items: the body may rebind the name the sequence came from.
  std::vector<Value> items = seq.list().items;
  auto saved = scope_;
  struct Restore {
    Renderer* r;
    std::shared_ptr<Scope> saved;
    ~Restore() { r->scope_ = saved; }
  } restore{this, saved};

  if (node.condition) {
    std::vector<Value> kept;
    for (const Value& item : items) {
      CountStep();
      auto probe = std::make_shared<Scope>();
      probe->parent = saved;
      BindTargets(probe->vars, node.targets, item);
      scope_ = probe;
      if (Eval(*node.condition).Truthy()) kept.push_back(item);
    }
    scope_ = saved;
    items = std::move(kept);
  }
  if (items.empty()) {
    RenderBody(node.else_body, out);
    return;
  }

  // One loop object, updated in place each iteration (as jinja2's LoopContext is).
  auto loop = std::make_shared<DictData>();
  std::weak_ptr<DictData> weak_loop = loop;
  const int64_t length = static_cast<int64_t>(items.size());
  auto cycle = std::make_shared<Function>();
  cycle->name = "cycle";
  cycle->call = [weak_loop](CallArgs& args, Renderer&) -> Value {
    if (args.positional.empty()) Fail("no items for cycling given");
    auto l = weak_loop.lock();
    int64_t index0 = l ? l->Find("index0")->as_int() : 0;
    return args.positional[static_cast<size_t>(index0) % args.positional.size()];
  };
  // loop.changed(*values): whether the values differ from the previous call's. The state is
  // dropped when the loop ends, so values that hold the loop itself cannot keep it alive.
  auto last_changed = std::make_shared<std::optional<Value>>();
  struct ForgetChanged {
    std::shared_ptr<std::optional<Value>> last;
    ~ForgetChanged() { last->reset(); }
  } forget_changed{last_changed};
  auto changed = std::make_shared<Function>();
  changed->name = "changed";
  changed->call = [last_changed](CallArgs& args, Renderer&) -> Value {
    Value now = Value::List(args.positional);
    if (*last_changed && Equal(**last_changed, now)) return Value(false);
    *last_changed = std::move(now);
    return Value(true);
  };
  for (const char* key : {"index", "index0", "revindex", "revindex0", "first", "last", "length",
                          "previtem", "nextitem", "depth", "depth0"}) {
    loop->items.emplace_back(key, Value());
  }
  loop->items.emplace_back("cycle", Value(cycle));
  loop->items.emplace_back("changed", Value(changed));
  // previtem and nextitem are set in place below: account for their depth once.
  loop->depth = std::max(loop->depth, Depth(seq));
  loop->items[6].second = Value(length);
  loop->items[9].second = Value(1);
  loop->items[10].second = Value(0);

  for (int64_t i = 0; i < length; ++i) {
    CountStep();
    loop->items[0].second = Value(i + 1);
    loop->items[1].second = Value(i);
    loop->items[2].second = Value(length - i);
    loop->items[3].second = Value(length - i - 1);
    loop->items[4].second = Value(i == 0);
    loop->items[5].second = Value(i == length - 1);
    loop->items[7].second =
        i > 0 ? items[static_cast<size_t>(i - 1)] : Value::UndefinedSibling(true);
    loop->items[8].second =
        i + 1 < length ? items[static_cast<size_t>(i + 1)] : Value::UndefinedSibling(false);
    auto iteration = std::make_shared<Scope>();
    iteration->parent = saved;
    BindTargets(iteration->vars, node.targets, items[static_cast<size_t>(i)]);
    iteration->vars["loop"] = Value(loop);
    scope_ = iteration;
    Flow flow = RenderBody(node.body, out);
    CheckSize(out.size());
    if (flow == Flow::kBreak) break;
  }
}

void Renderer::RenderSet(const Node& node) {
  Value v = Eval(*node.expr);
  if (!node.name.empty()) {
    Value ns = Lookup(node.name);
    if (!ns.is_dict() || !ns.dict().is_namespace) {
      Fail("cannot assign attribute on non-namespace object");
    }
    ns.dict().Set(node.targets[0], std::move(v));
    return;
  }
  if (node.targets.size() == 1) {
    Assign(node.targets[0], std::move(v));
    return;
  }
  std::unordered_map<std::string, Value> parts;
  BindTargets(parts, node.targets, Iterable(v));
  for (auto& [k, part] : parts)
    Assign(k, std::move(part));
}

Value Renderer::MakeMacro(const Node& node) {
  auto fn = std::make_shared<Function>();
  fn->name = node.kind == Node::Kind::kMacro ? node.name : "caller";
  std::weak_ptr<Scope> defined_in = scope_;
  const Node* macro = &node;
  fn->call = [this, macro, defined_in](CallArgs& args, Renderer&) -> Value {
    if (++call_depth_ > limits_.max_call_depth) {
      --call_depth_;
      Fail("maximum recursion depth exceeded in macro calls");
    }
    auto frame = std::make_shared<Scope>();
    frame->parent = defined_in.lock();
    if (!frame->parent) frame->parent = scope_;
    std::vector<bool> bound(macro->params.size(), false);
    std::vector<Value> varargs;
    auto kwargs = Value::Dict();
    std::string name_of_macro = macro->kind == Node::Kind::kMacro ? macro->name : "caller";
    auto reject = [&](std::string message) {
      --call_depth_;
      Fail(std::move(message));
    };
    if (args.positional.size() > macro->params.size() && !macro->uses_varargs) {
      reject(fmt::format("macro '{}' takes not more than {} argument(s)", name_of_macro,
                         macro->params.size()));
    }
    for (size_t i = 0; i < args.positional.size(); ++i) {
      if (i < macro->params.size()) {
        frame->vars[macro->params[i].name] = args.positional[i];
        bound[i] = true;
      } else {
        varargs.push_back(args.positional[i]);
      }
    }
    for (auto& [name, value] : args.keywords) {
      bool matched = false;
      for (size_t i = 0; i < macro->params.size(); ++i) {
        if (macro->params[i].name != name) continue;
        if (bound[i]) {
          --call_depth_;
          Fail(fmt::format("macro '{}' got multiple values for argument '{}'",
                           macro->kind == Node::Kind::kMacro ? macro->name : "caller", name));
        }
        frame->vars[name] = value;
        bound[i] = matched = true;
      }
      if (matched) continue;
      if (name == "caller" && macro->uses_caller) {
        frame->vars["caller"] = value;
      } else if (macro->uses_kwargs) {
        kwargs.dict().Set(name, value);
      } else {
        reject(fmt::format("macro '{}' takes no keyword argument '{}'", name_of_macro, name));
      }
    }
    frame->vars["varargs"] = Value::List(std::move(varargs), /*tuple=*/true);
    frame->vars["kwargs"] = kwargs;
    auto saved = scope_;
    scope_ = frame;
    std::string text;
    try {
      for (size_t i = 0; i < macro->params.size(); ++i) {
        if (bound[i]) continue;
        const Param& p = macro->params[i];
        frame->vars[p.name] =
            p.default_value
                ? Eval(*p.default_value)
                : Value::MakeUndefined(fmt::format("parameter '{}' was not provided", p.name));
      }
      RenderBody(macro->body, text);
    } catch (...) {
      scope_ = saved;
      --call_depth_;
      throw;
    }
    scope_ = saved;
    --call_depth_;
    return Value(std::move(text));
  };
  return Value(fn);
}

Value Renderer::Lookup(const std::string& name) const {
  for (const Scope* s = scope_.get(); s; s = s->parent.get()) {
    auto it = s->vars.find(name);
    if (it != s->vars.end()) return it->second;
  }
  if (const Value* v = globals_->Find(name)) return *v;
  return Value::UndefinedName(name);
}

void Renderer::Assign(const std::string& name, Value value) {
  scope_->vars[name] = std::move(value);
}

CallArgs Renderer::EvalArgs(const Expr& e, size_t first_arg) {
  CallArgs args;
  for (size_t i = first_arg; i < e.items.size(); ++i)
    args.positional.push_back(Eval(*e.items[i]));
  for (const auto& kw : e.keywords)
    args.keywords.emplace_back(kw.name, Eval(*kw.value));
  return args;
}

Value Renderer::Call(const Value& callee, CallArgs& args) {
  if (callee.is_undefined()) FailUndefined(callee);
  if (!callee.is_function()) Fail(fmt::format("'{}' object is not callable", callee.TypeName()));
  CountStep();
  // Hold the function: a call may rebind the name it came from.
  auto fn = callee;
  return fn.function().call(args, *this);
}

Value Renderer::GetAttr(const Value& object, const std::string& name) {
  switch (object.kind()) {
    case Value::Kind::kUndefined:
      FailUndefined(object);
    case Value::Kind::kDict:
      if (!object.dict().is_namespace) {
        Value method = BoundMethod(object, name);
        if (!method.is_undefined()) return method;
      }
      if (const Value* v = object.dict().Find(name)) return *v;
      break;
    case Value::Kind::kString:
    case Value::Kind::kList: {
      Value method = BoundMethod(object, name);
      if (!method.is_undefined()) return method;
      break;
    }
    default:
      break;
  }
  return Value::UndefinedAttribute(ObjectTypeRepr(object), name);
}

namespace {

// Python's index normalisation; false when out of range.
bool NormalizeIndex(int64_t& i, size_t size) {
  if (i < 0) i += static_cast<int64_t>(size);
  return i >= 0 && static_cast<size_t>(i) < size;
}

}  // namespace

Value Renderer::GetItem(const Value& object, const Value& key) {
  if (object.is_undefined()) FailUndefined(object);
  if (object.is_dict() && key.is_string()) {
    if (const Value* v = object.dict().Find(key.as_string())) return *v;
  }
  if ((object.is_list() || object.is_string()) && (key.is_int() || key.is_bool())) {
    int64_t i = key.as_int();
    if (object.is_list()) {
      const auto& items = object.list().items;
      if (NormalizeIndex(i, items.size())) return items[static_cast<size_t>(i)];
    } else {
      auto chars = SplitCodePoints(object.as_string());
      if (NormalizeIndex(i, chars.size())) return Value(std::move(chars[static_cast<size_t>(i)]));
    }
  }
  if (key.is_string()) {
    if (object.is_dict() && object.dict().is_namespace) {
      // Namespaces are not subscriptable.
    } else if (object.is_dict() || object.is_list() || object.is_string()) {
      Value method = BoundMethod(object, key.as_string());
      if (!method.is_undefined()) return method;
    }
    return Value::UndefinedAttribute(ObjectTypeRepr(object), key.as_string());
  }
  return Value::MakeUndefined(
      fmt::format("'{}' has no element {}", ObjectTypeRepr(object), Repr(key)));
}

namespace {

Value Slice(const Value& seq, const Value& start_v, const Value& stop_v, const Value& step_v) {
  auto bound = [](const Value& v) -> std::optional<int64_t> {
    if (v.is_none() || v.is_undefined()) return std::nullopt;
    if (!v.is_int() && !v.is_bool()) {
      Fail("slice indices must be integers or None or have an __index__ method");
    }
    return v.as_int();
  };
  std::optional<int64_t> start = bound(start_v), stop = bound(stop_v), step_opt = bound(step_v);
  int64_t step = step_opt.value_or(1);
  if (step == 0) Fail("slice step cannot be zero");
  std::vector<Value> chars_storage;
  const std::vector<Value>* items = nullptr;
  if (seq.is_list()) {
    items = &seq.list().items;
  } else if (seq.is_string()) {
    for (auto& c : SplitCodePoints(seq.as_string()))
      chars_storage.emplace_back(std::move(c));
    items = &chars_storage;
  } else if (seq.is_undefined()) {
    FailUndefined(seq);
  } else {
    Fail(fmt::format("'{}' object is not subscriptable", seq.TypeName()));
  }
  const int64_t n = static_cast<int64_t>(items->size());
  auto clamp = [&](std::optional<int64_t> v, int64_t dflt, int64_t lo, int64_t hi) {
    if (!v) return dflt;
    int64_t x = *v < 0 ? *v + n : *v;
    return std::clamp(x, lo, hi);
  };
  int64_t b, e;
  if (step > 0) {
    b = clamp(start, 0, 0, n);
    e = clamp(stop, n, 0, n);
  } else {
    b = clamp(start, n - 1, -1, n - 1);
    e = clamp(stop, -1, -1, n - 1);
  }
  std::vector<Value> out;
  for (int64_t i = b; step > 0 ? i < e : i > e; i += step) {
    out.push_back((*items)[static_cast<size_t>(i)]);
  }
  if (seq.is_string()) {
    std::string s;
    for (const auto& c : out)
      s += c.as_string();
    return Value(std::move(s));
  }
  return Value::List(std::move(out), seq.list().is_tuple);
}

bool Contains(const Value& container, const Value& item) {
  switch (container.kind()) {
    case Value::Kind::kString:
      if (!item.is_string()) {
        if (item.is_undefined()) FailUndefined(item);
        Fail(fmt::format("'in <string>' requires string as left operand, not {}", item.TypeName()));
      }
      return container.as_string().find(item.as_string()) != std::string::npos;
    case Value::Kind::kList:
      for (const auto& v : container.list().items) {
        if (Equal(v, item)) return true;
      }
      return false;
    case Value::Kind::kDict:
      return item.is_string() && container.dict().Find(item.as_string()) != nullptr;
    case Value::Kind::kUndefined:
      return false;
    default:
      Fail(fmt::format("argument of type '{}' is not iterable", container.TypeName()));
  }
}

}  // namespace

Value Renderer::EvalCompare(const Expr& e) {
  Value left = Eval(*e.items[0]);
  for (size_t i = 0; i < e.ops.size(); ++i) {
    Value right = Eval(*e.items[i + 1]);
    const std::string& op = e.ops[i];
    bool ok;
    if (op == "==") {
      ok = Equal(left, right);
    } else if (op == "!=") {
      ok = !Equal(left, right);
    } else if (op == "in") {
      ok = Contains(right, left);
    } else if (op == "notin") {
      ok = !Contains(right, left);
    } else {
      int c = CompareValues(left, right);
      ok = op == "<" ? c < 0 : op == "<=" ? c <= 0 : op == ">" ? c > 0 : c >= 0;
    }
    if (!ok) return Value(false);
    left = std::move(right);
  }
  return Value(true);
}

Value Renderer::Eval(const Expr& e) {
  // Expressions are at most 256 deep, but macro calls inside them stack up: this bounds the
  // recursion of a render as a whole.
  if (eval_depth_ >= kMaxEvalDepth) Fail("expressions and macro calls nested too deeply");
  ++eval_depth_;
  struct Leave {
    int& depth;
    ~Leave() { --depth; }
  } leave{eval_depth_};
  return EvalNode(e);
}

Value Renderer::EvalNode(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::kLiteral:
      return e.value;
    case Expr::Kind::kName:
      return Lookup(e.name);
    case Expr::Kind::kList:
    case Expr::Kind::kTuple: {
      std::vector<Value> items;
      items.reserve(e.items.size());
      for (const auto& item : e.items)
        items.push_back(Eval(*item));
      return Value::List(std::move(items), e.kind == Expr::Kind::kTuple);
    }
    case Expr::Kind::kDict: {
      Value dict = Value::Dict();
      for (size_t i = 0; i + 1 < e.items.size(); i += 2) {
        Value key = Eval(*e.items[i]);
        if (!key.is_string()) Fail("dict keys must be strings in chat templates");
        dict.dict().Set(key.as_string(), Eval(*e.items[i + 1]));
      }
      return dict;
    }
    case Expr::Kind::kAttr:
      return GetAttr(Eval(*e.items[0]), e.name);
    case Expr::Kind::kItem: {
      Value object = Eval(*e.items[0]);
      return GetItem(object, Eval(*e.items[1]));
    }
    case Expr::Kind::kSlice: {
      Value seq = Eval(*e.items[0]);
      auto part = [&](size_t i) { return e.items[i] ? Eval(*e.items[i]) : Value(None{}); };
      return Slice(seq, part(1), part(2), part(3));
    }
    case Expr::Kind::kCall: {
      Value callee = Eval(*e.items[0]);
      CallArgs args = EvalArgs(e, 1);
      return Call(callee, args);
    }
    case Expr::Kind::kFilter: {
      Value v = e.items[0] ? Eval(*e.items[0]) : block_values_.back();
      CallArgs args = EvalArgs(e, 1);
      CountStep();
      return ApplyFilter(e.name, v, args, *this);
    }
    case Expr::Kind::kTest: {
      Value v = Eval(*e.items[0]);
      CallArgs args = EvalArgs(e, 1);
      return Value(ApplyTest(e.name, v, args) != e.negated);
    }
    case Expr::Kind::kNot:
      return Value(!Eval(*e.items[0]).Truthy());
    case Expr::Kind::kNegate:
    case Expr::Kind::kPlus: {
      Value v = Eval(*e.items[0]);
      if (v.is_undefined()) FailUndefined(v);
      if (!v.is_number()) {
        Fail(fmt::format("bad operand type for unary {}: '{}'",
                         e.kind == Expr::Kind::kNegate ? "-" : "+", v.TypeName()));
      }
      if (e.kind == Expr::Kind::kPlus) return v.is_bool() ? Value(v.as_int()) : v;
      if (v.is_float()) return Value(-v.as_double());
      if (v.as_int() == INT64_MIN) IntResult(true, 0);
      return Value(-v.as_int());
    }
    case Expr::Kind::kBinary: {
      Value a = Eval(*e.items[0]);
      Value b = Eval(*e.items[1]);
      if (e.name == "~") {
        std::string s = ToStr(a);
        s += ToStr(b);
        CheckSize(s.size());
        return Value(std::move(s));
      }
      return BinaryOp(e.name, a, b);
    }
    case Expr::Kind::kAnd: {
      Value a = Eval(*e.items[0]);
      return a.Truthy() ? Eval(*e.items[1]) : a;
    }
    case Expr::Kind::kOr: {
      Value a = Eval(*e.items[0]);
      return a.Truthy() ? a : Eval(*e.items[1]);
    }
    case Expr::Kind::kCompare:
      return EvalCompare(e);
    case Expr::Kind::kCondition:
      if (Eval(*e.items[0]).Truthy()) return Eval(*e.items[1]);
      if (e.items[2]) return Eval(*e.items[2]);
      return Value::MakeUndefined(fmt::format(
          "the inline if-expression on line {} evaluated to false and no else section was "
          "defined.",
          e.line));
  }
  return Value();
}

}  // namespace servebench::tmpl

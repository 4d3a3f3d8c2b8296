// Walks parsed statements and writes their output: jinja2's runtime semantics (scopes, loops,
// macros, undefined values) within fixed bounds so that no template can run forever.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "template/ast.h"
#include "template/builtins.h"
#include "template/value.h"

namespace servebench::tmpl {

// Bounds on work, so hostile templates fail with an error instead of hanging or exhausting
// memory. Python has no such bounds, but no chat template comes near them.
struct RenderLimits {
  int64_t max_steps = 5'000'000;  // statements executed plus loop iterations plus calls
  size_t max_output = 64 << 20;   // bytes of any one string built
  int max_call_depth = 256;       // nested macro calls
};

class Renderer {
 public:
  // `globals` maps names to values for the template's outermost scope.
  Renderer(std::shared_ptr<DictData> globals, RenderLimits limits);
  ~Renderer();

  // Renders the whole template. Throws TemplateError.
  std::string Render(const Body& body);

  // For builtins: call a value (macro, builtin, method), get an attribute as `x.name` does.
  Value Call(const Value& callee, CallArgs& args);
  Value GetAttr(const Value& object, const std::string& name);
  Value GetItem(const Value& object, const Value& key);
  void CountStep();
  void CheckSize(size_t bytes) const;
  // Registers a namespace so Render() can break reference cycles (`set ns.me = ns`) when done.
  void TrackNamespace(const std::shared_ptr<DictData>& ns);

 private:
  struct Scope {
    std::unordered_map<std::string, Value> vars;
    std::shared_ptr<Scope> parent;
  };
  enum class Flow { kNormal, kBreak, kContinue };

  Flow RenderBody(const Body& body, std::string& out);
  Flow RenderNode(const Node& node, std::string& out);
  void RenderFor(const Node& node, std::string& out);
  void RenderSet(const Node& node);
  Value MakeMacro(const Node& node);
  Value Eval(const Expr& e);
  Value EvalNode(const Expr& e);
  Value EvalCompare(const Expr& e);
  CallArgs EvalArgs(const Expr& e, size_t first_arg);
  Value Lookup(const std::string& name) const;
  void Assign(const std::string& name, Value value);
  Value Iterable(const Value& v);

  std::shared_ptr<Scope> scope_;
  std::shared_ptr<DictData> globals_;
  RenderLimits limits_;
  int64_t steps_ = 0;
  int call_depth_ = 0;
  int line_ = 0;  // of the statement being rendered, for error messages
  int eval_depth_ = 0;
  static constexpr int kMaxEvalDepth = 1500;
  std::vector<std::shared_ptr<DictData>> namespaces_;
  // Text of the enclosing filter block or set block while its filters run.
  std::vector<Value> block_values_;
};

// Python-semantics operators, shared with builtins (sum, max, sort).
Value BinaryOp(const std::string& op, const Value& a, const Value& b);
// -1, 0 or 1; throws TypeError-like TemplateError when Python cannot order the two.
int CompareValues(const Value& a, const Value& b);

}  // namespace servebench::tmpl

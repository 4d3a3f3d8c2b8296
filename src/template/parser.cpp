#include "template/parser.h"

#include <algorithm>
#include <cstdlib>
#include <initializer_list>

#include <fmt/format.h>

#include "template/builtins.h"
#include "template/lexer.h"
#include "template/template_error.h"

namespace servebench::tmpl {
namespace {

using T = Token::Type;

// Deep enough for any real template, shallow enough that recursion cannot overflow the stack
// (each level is a few parser frames).
constexpr int kMaxDepth = 200;
constexpr int kMaxExprDepth = 256;

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  Body Template() {
    Body body = Subparse({});
    if (Cur().type != T::kEof) Error(Cur(), "unexpected " + Describe(Cur()));
    return body;
  }

 private:
  struct DepthGuard {
    explicit DepthGuard(Parser& p) : p(p) {
      if (++p.depth_ > kMaxDepth) p.Error(p.Cur(), "template nested too deeply");
    }
    ~DepthGuard() { --p.depth_; }
    Parser& p;
  };

  const Token& Cur() const { return t_[i_]; }
  const Token& Peek() const { return t_[i_ + 1 < t_.size() ? i_ + 1 : i_]; }
  const Token& Next() { return t_[i_ < t_.size() - 1 ? i_++ : i_]; }

  bool IsOp(std::string_view op) const { return Cur().type == T::kOperator && Cur().text == op; }
  bool IsName(std::string_view name) const { return Cur().type == T::kName && Cur().text == name; }
  bool SkipOp(std::string_view op) {
    if (!IsOp(op)) return false;
    Next();
    return true;
  }
  bool SkipName(std::string_view name) {
    if (!IsName(name)) return false;
    Next();
    return true;
  }

  [[noreturn]] void Error(const Token& at, std::string_view message) const {
    Fail(fmt::format("line {}, column {}: {}", at.line, at.column, message));
  }

  void ExpectOp(std::string_view op) {
    if (!SkipOp(op)) Error(Cur(), fmt::format("expected '{}', got {}", op, Describe(Cur())));
  }
  std::string ExpectName() {
    if (Cur().type != T::kName) Error(Cur(), "expected a name, got " + Describe(Cur()));
    return Next().text;
  }
  void ExpectBlockEnd() {
    if (Cur().type != T::kBlockEnd) {
      Error(Cur(), "expected end of statement block, got " + Describe(Cur()));
    }
    Next();
  }

  // Statements up to a `{% name %}` whose name is in `ends`; stops on that name token.
  Body Subparse(std::initializer_list<std::string_view> ends) {
    DepthGuard guard(*this);
    Body body;
    while (true) {
      const Token& tok = Cur();
      if (tok.type == T::kEof) {
        if (ends.size() == 0) return body;
        std::string wanted;
        for (auto e : ends)
          wanted += (wanted.empty() ? "'" : " or '") + std::string(e) + "'";
        Error(tok, "unexpected end of template, expected " + wanted);
      }
      if (tok.type == T::kData) {
        auto node = MakeNode(Node::Kind::kText, tok);
        node->text = tok.text;
        Next();
        body.push_back(std::move(node));
      } else if (tok.type == T::kVariableBegin) {
        Next();
        auto node = MakeNode(Node::Kind::kOutput, tok);
        node->expr = Tuple(true);
        if (Cur().type != T::kVariableEnd) Error(Cur(), "unexpected " + Describe(Cur()));
        Next();
        body.push_back(std::move(node));
      } else if (tok.type == T::kBlockBegin) {
        Next();
        if (Cur().type == T::kName) {
          for (auto e : ends) {
            if (Cur().text == e) return body;
          }
        }
        body.push_back(Statement());
      } else {
        Error(tok, "unexpected " + Describe(tok));
      }
    }
  }

  // Consumes `{% name %}` closing a block (Subparse stopped on the name).
  void EndTag() {
    Next();
    ExpectBlockEnd();
  }

  std::unique_ptr<Node> MakeNode(Node::Kind kind, const Token& at) {
    auto node = std::make_unique<Node>();
    node->kind = kind;
    node->line = at.line;
    return node;
  }

  std::unique_ptr<Node> Statement() {
    const Token& tok = Cur();
    if (tok.type != T::kName) Error(tok, "tag name expected");
    std::string tag = tok.text;
    Next();
    if (tag == "if") return If(tok);
    if (tag == "for") return For(tok);
    if (tag == "set") return Set(tok);
    if (tag == "macro") return Macro(tok);
    if (tag == "call") return CallBlock(tok);
    if (tag == "filter") return FilterBlock(tok);
    if (tag == "with" || tag == "generation") return With(tok, tag);
    if (tag == "break" || tag == "continue") {
      if (loop_depth_ == 0) Error(tok, fmt::format("'{}' outside of a loop", tag));
      auto node = MakeNode(tag == "break" ? Node::Kind::kBreak : Node::Kind::kContinue, tok);
      ExpectBlockEnd();
      return node;
    }
    Error(tok, fmt::format("Encountered unknown tag '{}'.", tag));
  }

  std::unique_ptr<Node> If(const Token& at) {
    auto node = MakeNode(Node::Kind::kIf, at);
    node->conditions.push_back(Tuple(false));
    ExpectBlockEnd();
    while (true) {
      node->bodies.push_back(Subparse({"elif", "else", "endif"}));
      std::string tag = Next().text;
      if (tag == "elif") {
        node->conditions.push_back(Tuple(false));
        ExpectBlockEnd();
      } else if (tag == "else") {
        ExpectBlockEnd();
        node->else_body = Subparse({"endif"});
        EndTag();
        return node;
      } else {
        ExpectBlockEnd();
        return node;
      }
    }
  }

  std::vector<std::string> AssignTargets() {
    std::vector<std::string> names;
    bool paren = SkipOp("(");
    do {
      names.push_back(ExpectName());
    } while (SkipOp(","));
    if (paren) ExpectOp(")");
    return names;
  }

  std::unique_ptr<Node> For(const Token& at) {
    auto node = MakeNode(Node::Kind::kFor, at);
    node->targets = AssignTargets();
    if (!SkipName("in")) Error(Cur(), "expected 'in', got " + Describe(Cur()));
    node->expr = Tuple(false, {"recursive"});
    if (SkipName("if")) node->condition = Expression(true);
    node->recursive = SkipName("recursive");
    ExpectBlockEnd();
    ++loop_depth_;
    node->body = Subparse({"endfor", "else"});
    --loop_depth_;
    if (Next().text == "else") {
      ExpectBlockEnd();
      node->else_body = Subparse({"endfor"});
      Next();
    }
    ExpectBlockEnd();
    return node;
  }

  std::unique_ptr<Node> Set(const Token& at) {
    auto node = MakeNode(Node::Kind::kSet, at);
    std::string first = ExpectName();
    if (SkipOp(".")) {
      node->name = first;
      node->targets.push_back(ExpectName());
    } else {
      node->targets.push_back(first);
      while (SkipOp(","))
        node->targets.push_back(ExpectName());
    }
    if (SkipOp("=")) {
      node->expr = Tuple(true);
      ExpectBlockEnd();
      return node;
    }
    if (!node->name.empty() || node->targets.size() != 1) {
      Error(Cur(), "expected '=', got " + Describe(Cur()));
    }
    node->kind = Node::Kind::kSetBlock;
    if (IsOp("|")) node->expr = Filters(nullptr);
    ExpectBlockEnd();
    node->body = Subparse({"endset"});
    EndTag();
    return node;
  }

  std::vector<Param> Params() {
    std::vector<Param> params;
    ExpectOp("(");
    while (!SkipOp(")")) {
      if (!params.empty()) ExpectOp(",");
      Param p;
      p.name = ExpectName();
      if (SkipOp("=")) p.default_value = Expression(true);
      params.push_back(std::move(p));
    }
    return params;
  }

  std::unique_ptr<Node> Macro(const Token& at) {
    auto node = MakeNode(Node::Kind::kMacro, at);
    node->name = ExpectName();
    node->params = Params();
    ExpectBlockEnd();
    int saved = loop_depth_;
    loop_depth_ = 0;
    macros_.push_back(node.get());
    node->body = Subparse({"endmacro"});
    macros_.pop_back();
    loop_depth_ = saved;
    EndTag();
    return node;
  }

  std::unique_ptr<Node> CallBlock(const Token& at) {
    auto node = MakeNode(Node::Kind::kCallBlock, at);
    if (IsOp("(")) node->params = Params();
    node->expr = Expression(true);
    if (node->expr->kind != Expr::Kind::kCall) Error(at, "expected call");
    ExpectBlockEnd();
    macros_.push_back(node.get());
    node->body = Subparse({"endcall"});
    macros_.pop_back();
    EndTag();
    return node;
  }

  std::unique_ptr<Node> FilterBlock(const Token& at) {
    auto node = MakeNode(Node::Kind::kFilterBlock, at);
    node->expr = Filters(nullptr, /*inline_start=*/true);
    ExpectBlockEnd();
    node->body = Subparse({"endfilter"});
    EndTag();
    return node;
  }

  std::unique_ptr<Node> With(const Token& at, const std::string& tag) {
    auto node = MakeNode(Node::Kind::kWith, at);
    if (tag == "with") {
      while (Cur().type != T::kBlockEnd) {
        if (!node->targets.empty()) ExpectOp(",");
        node->targets.push_back(ExpectName());
        ExpectOp("=");
        node->values.push_back(Expression(true));
      }
    }
    ExpectBlockEnd();
    node->body = tag == "with" ? Subparse({"endwith"}) : Subparse({"endgeneration"});
    EndTag();
    return node;
  }

  // ----- expressions -----

  // Adds a child, refusing trees deeper than kMaxExprDepth: long operator chains build deep
  // trees without deep parser recursion, and evaluating or freeing them recurses.
  void Add(Expr& parent, ExprPtr child) {
    if (child) {
      parent.depth = std::max(parent.depth, child->depth + 1);
      if (parent.depth > kMaxExprDepth) Error(Cur(), "expression nested too deeply");
    }
    parent.items.push_back(std::move(child));
  }

  ExprPtr Make(Expr::Kind kind, int line) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->line = line;
    return e;
  }

  bool TupleEnd(std::initializer_list<std::string_view> extra_ends) const {
    const Token& tok = Cur();
    if (tok.type == T::kVariableEnd || tok.type == T::kBlockEnd || IsOp(")")) return true;
    if (tok.type == T::kName) {
      for (auto e : extra_ends) {
        if (tok.text == e) return true;
      }
    }
    return false;
  }

  ExprPtr Tuple(bool with_condition, std::initializer_list<std::string_view> extra_ends = {},
                bool explicit_parens = false) {
    int line = Cur().line;
    std::vector<ExprPtr> items;
    bool is_tuple = false;
    while (true) {
      if (!items.empty()) ExpectOp(",");
      if (TupleEnd(extra_ends)) break;
      items.push_back(Expression(with_condition));
      if (IsOp(",")) {
        is_tuple = true;
      } else {
        break;
      }
    }
    if (!is_tuple) {
      if (!items.empty()) return std::move(items[0]);
      if (!explicit_parens) Error(Cur(), "Expected an expression, got " + Describe(Cur()));
    }
    auto e = Make(Expr::Kind::kTuple, line);
    for (auto& item : items)
      Add(*e, std::move(item));
    return e;
  }

  ExprPtr Expression(bool with_condition) {
    DepthGuard guard(*this);
    if (!with_condition) return Or();
    ExprPtr expr = Or();
    while (IsName("if")) {
      int line = Next().line;
      auto e = Make(Expr::Kind::kCondition, line);
      Add(*e, Or());
      Add(*e, std::move(expr));
      if (SkipName("else")) {
        Add(*e, Expression(true));
      } else {
        Add(*e, nullptr);
      }
      expr = std::move(e);
    }
    return expr;
  }

  ExprPtr BinaryNode(Expr::Kind kind, std::string op, ExprPtr l, ExprPtr r) {
    auto e = Make(kind, l->line);
    e->name = std::move(op);
    Add(*e, std::move(l));
    Add(*e, std::move(r));
    return e;
  }

  ExprPtr Or() {
    ExprPtr left = And();
    while (SkipName("or"))
      left = BinaryNode(Expr::Kind::kOr, "or", std::move(left), And());
    return left;
  }

  ExprPtr And() {
    ExprPtr left = Not();
    while (SkipName("and"))
      left = BinaryNode(Expr::Kind::kAnd, "and", std::move(left), Not());
    return left;
  }

  ExprPtr Not() {
    if (IsName("not")) {
      DepthGuard guard(*this);
      auto e = Make(Expr::Kind::kNot, Next().line);
      Add(*e, Not());
      return e;
    }
    return Compare();
  }

  ExprPtr Compare() {
    ExprPtr first = Math1();
    std::unique_ptr<Expr> cmp;
    while (true) {
      std::string op;
      if (Cur().type == T::kOperator &&
          (Cur().text == "==" || Cur().text == "!=" || Cur().text == "<" || Cur().text == "<=" ||
           Cur().text == ">" || Cur().text == ">=")) {
        op = Next().text;
      } else if (SkipName("in")) {
        op = "in";
      } else if (IsName("not") && Peek().type == T::kName && Peek().text == "in") {
        Next();
        Next();
        op = "notin";
      } else {
        break;
      }
      if (!cmp) {
        cmp = Make(Expr::Kind::kCompare, first->line);
        Add(*cmp, std::move(first));
      }
      cmp->ops.push_back(op);
      Add(*cmp, Math1());
    }
    return cmp ? std::move(cmp) : std::move(first);
  }

  ExprPtr Math1() {
    ExprPtr left = Concat();
    while (IsOp("+") || IsOp("-")) {
      std::string op = Next().text;
      left = BinaryNode(Expr::Kind::kBinary, op, std::move(left), Concat());
    }
    return left;
  }

  ExprPtr Concat() {
    ExprPtr left = Math2();
    while (SkipOp("~"))
      left = BinaryNode(Expr::Kind::kBinary, "~", std::move(left), Math2());
    return left;
  }

  ExprPtr Math2() {
    ExprPtr left = Pow();
    while (IsOp("*") || IsOp("/") || IsOp("//") || IsOp("%")) {
      std::string op = Next().text;
      left = BinaryNode(Expr::Kind::kBinary, op, std::move(left), Pow());
    }
    return left;
  }

  ExprPtr Pow() {
    ExprPtr left = Unary(true);
    while (SkipOp("**"))
      left = BinaryNode(Expr::Kind::kBinary, "**", std::move(left), Unary(true));
    return left;
  }

  ExprPtr Unary(bool with_filter) {
    DepthGuard guard(*this);
    ExprPtr node;
    if (IsOp("-") || IsOp("+")) {
      auto e = Make(IsOp("-") ? Expr::Kind::kNegate : Expr::Kind::kPlus, Cur().line);
      Next();
      Add(*e, Unary(false));
      node = std::move(e);
    } else {
      node = Primary();
    }
    node = Postfix(std::move(node));
    if (with_filter) node = FilterExpr(std::move(node));
    return node;
  }

  ExprPtr Primary() {
    const Token& tok = Cur();
    auto literal = [&](Value v) {
      auto e = Make(Expr::Kind::kLiteral, tok.line);
      e->value = std::move(v);
      return e;
    };
    switch (tok.type) {
      case T::kName: {
        Next();
        if (tok.text == "true" || tok.text == "True") return literal(Value(true));
        if (tok.text == "false" || tok.text == "False") return literal(Value(false));
        if (tok.text == "none" || tok.text == "None") return literal(Value(None{}));
        for (Node* macro : macros_) {
          macro->uses_varargs |= tok.text == "varargs";
          macro->uses_kwargs |= tok.text == "kwargs";
          macro->uses_caller |= tok.text == "caller";
        }
        auto e = Make(Expr::Kind::kName, tok.line);
        e->name = tok.text;
        return e;
      }
      case T::kString: {
        std::string s;
        while (Cur().type == T::kString)
          s += Next().text;
        return literal(Value(std::move(s)));
      }
      case T::kInt:
        Next();
        return literal(Value(static_cast<int64_t>(std::strtoll(tok.text.c_str(), nullptr, 10))));
      case T::kFloat:
        Next();
        return literal(Value(std::strtod(tok.text.c_str(), nullptr)));
      case T::kOperator:
        if (tok.text == "(") {
          Next();
          ExprPtr inner = Tuple(true, {}, true);
          ExpectOp(")");
          return inner;
        }
        if (tok.text == "[") {
          Next();
          auto e = Make(Expr::Kind::kList, tok.line);
          while (!SkipOp("]")) {
            if (!e->items.empty()) {
              ExpectOp(",");
              if (SkipOp("]")) break;
            }
            Add(*e, Expression(true));
          }
          return e;
        }
        if (tok.text == "{") {
          Next();
          auto e = Make(Expr::Kind::kDict, tok.line);
          while (!SkipOp("}")) {
            if (!e->items.empty()) {
              ExpectOp(",");
              if (SkipOp("}")) break;
            }
            Add(*e, Expression(true));
            ExpectOp(":");
            Add(*e, Expression(true));
          }
          return e;
        }
        break;
      default:
        break;
    }
    Error(tok, "Expected an expression, got " + Describe(tok));
  }

  ExprPtr Postfix(ExprPtr node) {
    while (true) {
      if (IsOp(".") || IsOp("[")) {
        node = Subscript(std::move(node));
      } else if (IsOp("(")) {
        node = Call(std::move(node));
      } else {
        return node;
      }
    }
  }

  ExprPtr FilterExpr(ExprPtr node) {
    while (true) {
      if (IsOp("|")) {
        node = Filters(std::move(node));
      } else if (IsName("is")) {
        node = Test(std::move(node));
      } else if (IsOp("(")) {
        node = Call(std::move(node));
      } else {
        return node;
      }
    }
  }

  ExprPtr Subscript(ExprPtr node) {
    const Token& tok = Next();
    if (tok.text == ".") {
      const Token& attr = Cur();
      if (attr.type == T::kName) {
        Next();
        auto e = Make(Expr::Kind::kAttr, tok.line);
        e->name = attr.text;
        Add(*e, std::move(node));
        return e;
      }
      if (attr.type == T::kInt) {
        Next();
        auto e = Make(Expr::Kind::kItem, tok.line);
        Add(*e, std::move(node));
        auto index = Make(Expr::Kind::kLiteral, tok.line);
        index->value = Value(static_cast<int64_t>(std::strtoll(attr.text.c_str(), nullptr, 10)));
        Add(*e, std::move(index));
        return e;
      }
      Error(attr, "expected name or number, got " + Describe(attr));
    }
    // '[' index or slice ']'
    ExprPtr start;
    if (!IsOp(":")) {
      start = Expression(true);
      if (SkipOp("]")) {
        auto e = Make(Expr::Kind::kItem, tok.line);
        Add(*e, std::move(node));
        Add(*e, std::move(start));
        return e;
      }
    }
    ExpectOp(":");
    auto e = Make(Expr::Kind::kSlice, tok.line);
    Add(*e, std::move(node));
    Add(*e, std::move(start));
    Add(*e, IsOp(":") || IsOp("]") ? nullptr : Expression(true));
    if (SkipOp(":") && !IsOp("]")) {
      Add(*e, Expression(true));
    } else {
      Add(*e, nullptr);
    }
    ExpectOp("]");
    return e;
  }

  // Arguments after '(' up to ')' into items (after existing ones) and keywords.
  void Arguments(Expr& e) {
    ExpectOp("(");
    bool first = true;
    while (!SkipOp(")")) {
      if (!first) {
        ExpectOp(",");
        if (SkipOp(")")) break;
      }
      first = false;
      if (IsOp("*") || IsOp("**")) Error(Cur(), "argument unpacking is not supported");
      if (Cur().type == T::kName && Peek().type == T::kOperator && Peek().text == "=") {
        std::string name = Next().text;
        Next();
        ExprPtr value = Expression(true);
        e.depth = std::max(e.depth, value->depth + 1);
        if (e.depth > kMaxExprDepth) Error(Cur(), "expression nested too deeply");
        e.keywords.push_back(Keyword{std::move(name), std::move(value)});
      } else {
        if (!e.keywords.empty()) Error(Cur(), "positional argument after keyword argument");
        Add(e, Expression(true));
      }
    }
  }

  ExprPtr Call(ExprPtr node) {
    DepthGuard guard(*this);
    auto e = Make(Expr::Kind::kCall, Cur().line);
    Add(*e, std::move(node));
    Arguments(*e);
    return e;
  }

  // One or more `| name(args)`; `node` is null for a filter block or `set` block.
  ExprPtr Filters(ExprPtr node, bool inline_start = false) {
    bool first = true;
    while (IsOp("|") || (inline_start && first)) {
      if (!(inline_start && first)) Next();
      first = false;
      const Token& tok = Cur();
      std::string name = ExpectName();
      while (SkipOp("."))
        name += "." + ExpectName();
      if (!HasFilter(name)) Error(tok, fmt::format("No filter named '{}'.", name));
      auto e = Make(Expr::Kind::kFilter, tok.line);
      e->name = name;
      Add(*e, std::move(node));
      if (IsOp("(")) Arguments(*e);
      node = std::move(e);
    }
    return node;
  }

  ExprPtr Test(ExprPtr node) {
    Next();  // is
    auto e = Make(Expr::Kind::kTest, Cur().line);
    e->negated = SkipName("not");
    const Token& tok = Cur();
    std::string name = ExpectName();
    while (SkipOp("."))
      name += "." + ExpectName();
    if (!HasTest(name)) Error(tok, fmt::format("No test named '{}'.", name));
    e->name = name;
    Add(*e, std::move(node));
    if (IsOp("(")) {
      Arguments(*e);
    } else if ((Cur().type == T::kName && Cur().text != "else" && Cur().text != "or" &&
                Cur().text != "and") ||
               Cur().type == T::kString || Cur().type == T::kInt || Cur().type == T::kFloat ||
               IsOp("[") || IsOp("{")) {
      Add(*e, Postfix(Primary()));
    }
    return e;
  }

  std::vector<Token> t_;
  size_t i_ = 0;
  int depth_ = 0;
  int loop_depth_ = 0;
  std::vector<Node*> macros_;  // macros and call blocks being parsed, innermost last
};

}  // namespace

Body Parse(std::string_view source) {
  return Parser(Tokenize(source)).Template();
}

}  // namespace servebench::tmpl

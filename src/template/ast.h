// The parsed form of a template: expressions and statements, as plain tagged structs that the
// renderer walks. Every node keeps the line it came from for runtime error messages.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "template/value.h"

namespace servebench::tmpl {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Keyword {
  std::string name;
  ExprPtr value;
};

struct Expr {
  enum class Kind {
    kLiteral,    // value
    kName,       // name
    kList,       // items
    kTuple,      // items
    kDict,       // items as key, value, key, value, ...
    kAttr,       // items[0] . name
    kItem,       // items[0] [ items[1] ]
    kSlice,      // items[0] [ items[1] : items[2] : items[3] ] (null parts absent)
    kCall,       // items[0] ( items[1..] , keywords )
    kFilter,     // items[0] | name ( items[1..], keywords ); items[0] null in a filter block
    kTest,       // items[0] is [not] name ( items[1..] )
    kNot,        // not items[0]
    kNegate,     // - items[0]
    kPlus,       // + items[0]
    kBinary,     // items[0] op items[1]: + - * / // % ** ~ in notin
    kAnd,        // items[0] and items[1]
    kOr,         // items[0] or items[1]
    kCompare,    // items[0] ops[0] items[1] ops[1] items[2] ...
    kCondition,  // items[1] if items[0] else items[2] (items[2] may be null)
  };
  Kind kind;
  int line = 0;
  int depth = 1;  // of the tree below, bounded by the parser
  Value value;
  std::string name;  // variable, attribute, filter, test or operator name
  bool negated = false;
  std::vector<ExprPtr> items;
  std::vector<std::string> ops;
  std::vector<Keyword> keywords;
};

struct Node;
using Body = std::vector<std::unique_ptr<Node>>;

struct Param {
  std::string name;
  ExprPtr default_value;  // may be null
};

struct Node {
  enum class Kind {
    kText,         // text
    kOutput,       // {{ expr }}
    kIf,           // conditions[i] -> bodies[i]; else_body
    kFor,          // for targets in expr [if condition] ... [else else_body]
    kSet,          // set targets (or attr_of.targets[0]) = expr
    kSetBlock,     // set targets[0] [| filters] ... endset; filter in expr
    kMacro,        // macro name(params) body
    kCallBlock,    // call(params) expr body
    kFilterBlock,  // filter expr body
    kWith,         // with targets[i] = values[i] body
    kBreak,
    kContinue,
  };
  Kind kind;
  int line = 0;
  std::string text;
  std::string name;   // macro name; namespace variable of `set ns.attr`
  ExprPtr expr;       // printed value, iterable, assigned value, called macro, filter chain
  ExprPtr condition;  // loop filter
  std::vector<std::string> targets;
  std::vector<ExprPtr> conditions;
  std::vector<Body> bodies;
  std::vector<ExprPtr> values;
  std::vector<Param> params;
  Body body;
  Body else_body;
  bool recursive = false;
  // Whether a macro's body names varargs, kwargs or caller: jinja2 accepts extra positional or
  // keyword arguments (and a call block's caller) only then.
  bool uses_varargs = false;
  bool uses_kwargs = false;
  bool uses_caller = false;
};

}  // namespace servebench::tmpl

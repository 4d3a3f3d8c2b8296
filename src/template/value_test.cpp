// Python's printing and comparison rules for template values.
#include "template/value.h"

#include <gtest/gtest.h>

namespace servebench::tmpl {
namespace {

TEST(Value, FloatReprMatchesPython) {
  EXPECT_EQ(FloatRepr(1.0), "1.0");
  EXPECT_EQ(FloatRepr(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FloatRepr(1e16), "1e+16");
  EXPECT_EQ(FloatRepr(1e15), "1000000000000000.0");
  EXPECT_EQ(FloatRepr(123456789.5), "123456789.5");
  EXPECT_EQ(FloatRepr(0.0001), "0.0001");
  EXPECT_EQ(FloatRepr(0.00001), "1e-05");
  EXPECT_EQ(FloatRepr(-2.5e-300), "-2.5e-300");
  EXPECT_EQ(FloatRepr(-0.0), "-0.0");
  EXPECT_EQ(FloatRepr(1.0 / 0.0), "inf");
}

TEST(Value, StrAndRepr) {
  Value list = Value::List({Value("it's"), Value("say \"x\""), Value("a'b\"c"), Value(None{}),
                            Value(true), Value(3), Value(2.0), Value("tab\t\\")});
  EXPECT_EQ(ToStr(list), R"(["it's", 'say "x"', 'a\'b"c', None, True, 3, 2.0, 'tab\t\\'])");
  EXPECT_EQ(ToStr(Value::List({Value(1)}, true)), "(1,)");
  Value dict = Value::Dict();
  dict.dict().Set("k", Value::List());
  dict.dict().Set("j", Value("v"));
  EXPECT_EQ(ToStr(dict), "{'k': [], 'j': 'v'}");
  EXPECT_EQ(ToStr(Value()), "");
}

TEST(Value, EqualityFollowsPython) {
  EXPECT_TRUE(Equal(Value(1), Value(1.0)));
  EXPECT_TRUE(Equal(Value(true), Value(1)));
  EXPECT_FALSE(Equal(Value("1"), Value(1)));
  EXPECT_FALSE(Equal(Value::List(), Value::List({}, true)));
  Value a = Value::Dict(), b = Value::Dict();
  a.dict().Set("x", Value(1));
  a.dict().Set("y", Value(2));
  b.dict().Set("y", Value(2));
  b.dict().Set("x", Value(1.0));
  EXPECT_TRUE(Equal(a, b));
  EXPECT_TRUE(Value().Truthy() == false && Value("").Truthy() == false && Value(" ").Truthy());
}

}  // namespace
}  // namespace servebench::tmpl

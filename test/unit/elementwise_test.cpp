// Elementwise ops, broadcasting, type promotion, views, casts and factories
// against PyTorch goldens (test/golden/gen_elementwise.py).
#include "test_util.h"

#include <cmath>
#include <functional>
#include <limits>
#include <map>

using namespace ember;
using ember::testing::allclose;
using ember::testing::golden;
using ember::testing::tensors_equal;

namespace {

Tensor in(const std::string &name) {
  return golden("elementwise", "in_" + name);
}
Tensor gold(const std::string &name) { return golden("elementwise", name); }

const std::map<std::string, std::function<Tensor(const Tensor &)>> &
unary_ops() {
  static const std::map<std::string, std::function<Tensor(const Tensor &)>> m =
      {
          {"neg", [](const Tensor &x) { return neg(x); }},
          {"abs", [](const Tensor &x) { return abs(x); }},
          {"exp", [](const Tensor &x) { return exp(x); }},
          {"log", [](const Tensor &x) { return log(x); }},
          {"log1p", [](const Tensor &x) { return log1p(x); }},
          {"sqrt", [](const Tensor &x) { return sqrt(x); }},
          {"rsqrt", [](const Tensor &x) { return rsqrt(x); }},
          {"sin", [](const Tensor &x) { return sin(x); }},
          {"cos", [](const Tensor &x) { return cos(x); }},
          {"tanh", [](const Tensor &x) { return tanh(x); }},
          {"sigmoid", [](const Tensor &x) { return sigmoid(x); }},
          {"relu", [](const Tensor &x) { return relu(x); }},
          {"sign", [](const Tensor &x) { return sign(x); }},
          {"floor", [](const Tensor &x) { return floor(x); }},
          {"ceil", [](const Tensor &x) { return ceil(x); }},
          {"round", [](const Tensor &x) { return round(x); }},
      };
  return m;
}

const std::map<std::string,
               std::function<Tensor(const Tensor &, const Tensor &)>> &
binary_ops() {
  using F = std::function<Tensor(const Tensor &, const Tensor &)>;
  static const std::map<std::string, F> m = {
      {"add", [](const Tensor &a, const Tensor &b) { return add(a, b); }},
      {"sub", [](const Tensor &a, const Tensor &b) { return sub(a, b); }},
      {"mul", [](const Tensor &a, const Tensor &b) { return mul(a, b); }},
      {"div", [](const Tensor &a, const Tensor &b) { return div(a, b); }},
      {"pow", [](const Tensor &a, const Tensor &b) { return pow(a, b); }},
      {"maximum",
       [](const Tensor &a, const Tensor &b) { return maximum(a, b); }},
      {"minimum",
       [](const Tensor &a, const Tensor &b) { return minimum(a, b); }},
      {"eq", [](const Tensor &a, const Tensor &b) { return eq(a, b); }},
      {"ne", [](const Tensor &a, const Tensor &b) { return ne(a, b); }},
      {"lt", [](const Tensor &a, const Tensor &b) { return lt(a, b); }},
      {"le", [](const Tensor &a, const Tensor &b) { return le(a, b); }},
      {"gt", [](const Tensor &a, const Tensor &b) { return gt(a, b); }},
      {"ge", [](const Tensor &a, const Tensor &b) { return ge(a, b); }},
      {"logical_and",
       [](const Tensor &a, const Tensor &b) { return logical_and(a, b); }},
      {"logical_or",
       [](const Tensor &a, const Tensor &b) { return logical_or(a, b); }},
      {"logical_xor",
       [](const Tensor &a, const Tensor &b) { return logical_xor(a, b); }},
  };
  return m;
}

// Elementwise math in float32 may differ from PyTorch's vectorised
// implementations (Sleef) by a few ulp.
constexpr double kRtol = 2e-6, kAtol = 1e-6;

} // namespace

TEST(ElementwiseGolden, UnaryFloat32) {
  for (const auto &[name, f] : unary_ops()) {
    bool positive = name == "log" || name == "sqrt" || name == "rsqrt";
    Tensor x = in(positive ? "pos" : "a");
    EXPECT_TRUE(allclose(f(x), gold("unary_" + name + "_f32"), kRtol, kAtol))
        << name;
  }
}

TEST(ElementwiseGolden, UnaryFloat64TransposedView) {
  for (const auto &[name, f] : unary_ops()) {
    bool positive = name == "log" || name == "sqrt" || name == "rsqrt";
    Tensor x = in("ad");
    if (positive)
      x = abs(x) + 0.1;
    Tensor xt = x.t();
    ASSERT_FALSE(xt.is_contiguous());
    EXPECT_TRUE(allclose(f(xt), gold("unary_" + name + "_f64t"), 1e-12, 1e-12))
        << name;
  }
}

TEST(ElementwiseGolden, UnaryInt64PromotesFloatOps) {
  for (const auto &[name, f] : unary_ops()) {
    if (name == "log" || name == "sqrt" || name == "rsqrt" || name == "log1p")
      continue;
    EXPECT_TRUE(
        allclose(f(in("ai")), gold("unary_" + name + "_i64"), kRtol, kAtol))
        << name;
  }
  EXPECT_TRUE(tensors_equal(logical_not(in("ai")), gold("logical_not_i64")));
}

TEST(ElementwiseGolden, Gelu) {
  EXPECT_TRUE(allclose(gelu(in("a")), gold("gelu_f32"), kRtol, kAtol));
  EXPECT_TRUE(
      allclose(gelu(in("a"), "tanh"), gold("gelu_tanh_f32"), kRtol, kAtol));
  EXPECT_EMBER_ERROR(gelu(in("a"), "fast"),
                     "approximate must be 'none' or 'tanh'");
}

TEST(ElementwiseGolden, BinaryBroadcastAndPromotion) {
  std::map<std::string, std::pair<Tensor, Tensor>> cases = {
      {"bcast", {in("a"), in("b")}},      {"outer", {in("c"), in("b")}},
      {"f32_i64", {in("a"), in("ai")}},   {"i64_i32", {in("ai"), in("bi")}},
      {"u8_bool", {in("au8"), in("ab")}}, {"f64t_f32", {in("ad").t(), in("a")}},
  };
  int checked = 0;
  for (const auto &[name, f] : binary_ops()) {
    for (auto [cname, xy] : cases) {
      auto [x, y] = xy;
      if (name == "sub" && cname == "u8_bool")
        continue;
      if (name == "pow") {
        if (cname == "i64_i32")
          x = abs(x);
        else if (x.is_floating_point())
          x = abs(x) + 0.5;
      }
      Tensor expected = gold("binary_" + name + "_" + cname);
      EXPECT_TRUE(allclose(f(x, y), expected, kRtol, kAtol))
          << name << " " << cname;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 16 * 6 - 1);
}

TEST(ElementwiseGolden, ScalarsAndZeroDimPromotion) {
  EXPECT_TRUE(allclose(in("ai") + 2.5, gold("scalar_i64_plus_float")));
  EXPECT_TRUE(tensors_equal(in("ai") + 3, gold("scalar_i64_plus_int")));
  EXPECT_TRUE(allclose(in("a") * 3, gold("scalar_f32_times_int")));
  EXPECT_TRUE(tensors_equal(in("au8") + 7, gold("scalar_u8_plus_int")));
  EXPECT_TRUE(tensors_equal(in("ab") + 1, gold("scalar_bool_plus_int")));
  EXPECT_TRUE(allclose(in("bi") + tensor(1.5, dtype(kFloat64)),
                       gold("zerodim_i32_plus_f64")));
  EXPECT_TRUE(allclose(in("a") + tensor(1.5, dtype(kFloat64)),
                       gold("zerodim_f32_plus_f64")));
  EXPECT_TRUE(tensors_equal(in("bi") + tensor(5, dtype(kInt64)),
                            gold("zerodim_i32_plus_i64")));
  EXPECT_TRUE(allclose(in("ai") / in("bi"), gold("int_div_int")));
  EXPECT_TRUE(allclose(1.0 - in("a"), gold("rsub_scalar")));
  EXPECT_TRUE(allclose(add(in("a"), in("b"), 2), gold("add_alpha")));
  EXPECT_TRUE(tensors_equal(sub(in("ai"), in("bi"), 3), gold("sub_alpha_int")));
}

TEST(ElementwiseGolden, WhereClampMaskedFill) {
  EXPECT_TRUE(tensors_equal(where(in("ab"), in("a"), in("b")), gold("where")));
  EXPECT_TRUE(
      tensors_equal(where(in("ab"), in("ai"), in("a")), gold("where_promote")));
  EXPECT_TRUE(
      tensors_equal(where(in("a") > 0, in("a"), 0.0), gold("where_scalar")));
  EXPECT_TRUE(tensors_equal(clamp(in("a"), -0.5, 0.5), gold("clamp_both")));
  EXPECT_TRUE(tensors_equal(clamp(in("a"), 0.1), gold("clamp_min")));
  EXPECT_TRUE(
      tensors_equal(clamp(in("ai"), -1.5, 2.5), gold("clamp_int_float")));
  EXPECT_TRUE(tensors_equal(clamp(in("a"), 1.0, -1.0), gold("clamp_inverted")));
  EXPECT_TRUE(
      tensors_equal(in("a").masked_fill(in("ab"), -1.0), gold("masked_fill")));
  EXPECT_TRUE(tensors_equal(in("a").masked_fill(in("b") > 0, 9.0),
                            gold("masked_fill_bcast")));
}

TEST(ElementwiseGolden, InPlace) {
  Tensor x = in("a").clone();
  x.add_(in("ai"));
  EXPECT_TRUE(allclose(x, gold("inplace_add_f32_i64")));
  Tensor y = in("ai").clone();
  y.mul_(in("bi"));
  EXPECT_TRUE(tensors_equal(y, gold("inplace_mul_i64_i32")));
  Tensor z = in("ad").t().clone();
  Tensor zt = z.t();
  zt.div_(2.0); // writes through a non-contiguous view
  EXPECT_TRUE(tensors_equal(z, gold("inplace_div_view")));
}

TEST(ElementwiseGolden, ViewsAndCopies) {
  Tensor t = gold("view_in");
  EXPECT_TRUE(
      tensors_equal(t.permute({2, 0, 1}).contiguous(), gold("view_permute")));
  EXPECT_TRUE(
      tensors_equal(t.transpose(0, 2).contiguous(), gold("view_transpose")));
  EXPECT_TRUE(
      tensors_equal(t.narrow(2, 1, 2).contiguous(), gold("view_narrow")));
  EXPECT_TRUE(tensors_equal(
      t.slice(1, 0, std::nullopt, 2).slice(2, 1, std::nullopt, 2).contiguous(),
      gold("view_slice_step")));
  EXPECT_TRUE(tensors_equal(t.select(1, -1).contiguous(), gold("view_select")));
  EXPECT_TRUE(tensors_equal(t.slice(1, 0, 1).expand({2, 3, 4}).contiguous(),
                            gold("view_expand")));
  EXPECT_TRUE(tensors_equal(t.flatten(1), gold("view_flatten")));
  EXPECT_TRUE(tensors_equal(t.transpose(0, 1).reshape({6, 4}),
                            gold("reshape_noncontig")));
  EXPECT_TRUE(
      tensors_equal(t.slice(1, 0, 1).squeeze(1).unsqueeze(0).contiguous(),
                    gold("squeeze_unsqueeze")));
}

TEST(ElementwiseGolden, Casts) {
  EXPECT_TRUE(tensors_equal(in("a").to(kInt64), gold("cast_f32_i64")));
  EXPECT_TRUE(tensors_equal(in("a").to(kBool), gold("cast_f32_bool")));
  EXPECT_TRUE(tensors_equal(in("ai").to(kUInt8), gold("cast_i64_u8")));
  EXPECT_TRUE(tensors_equal(in("a").to(kFloat64), gold("cast_f32_f64")));
}

TEST(ElementwiseGolden, Factories) {
  EXPECT_TRUE(tensors_equal(arange(5), gold("arange_int")));
  EXPECT_TRUE(tensors_equal(arange(0.5, 3.0, 0.5), gold("arange_float")));
  EXPECT_TRUE(tensors_equal(arange(10, 0, -3), gold("arange_neg")));
  EXPECT_TRUE(allclose(linspace(-1, 1, 7), gold("linspace"), 0, 1e-7));
  EXPECT_TRUE(allclose(linspace(0, 1, 5, dtype(kFloat64)), gold("linspace_f64"),
                       0, 1e-15));
  EXPECT_TRUE(tensors_equal(eye(3, 4), gold("eye")));
  EXPECT_TRUE(tensors_equal(full({2, 2}, 7), gold("full_int")));
  EXPECT_TRUE(tensors_equal(full({2, 2}, 0.25), gold("full_float")));
}

// torch.relu lets NaN and -0.0 through; torch.abs(-0.0) is +0.0 (checked
// with python3-torch 1.13).
TEST(Elementwise, ReluAndAbsSignedZeroAndNaN) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor x = tensor(std::vector<float>{nan, -0.0f, -1.0f, 2.0f});
  Tensor r = relu(x), a = x.abs();
  const float *pr = r.data_ptr<float>(), *pa = a.data_ptr<float>();
  EXPECT_TRUE(std::isnan(pr[0]));
  EXPECT_TRUE(pr[1] == 0.0f && std::signbit(pr[1]));
  EXPECT_EQ(pr[2], 0.0f);
  EXPECT_EQ(pr[3], 2.0f);
  EXPECT_TRUE(std::isnan(pa[0]));
  EXPECT_TRUE(pa[1] == 0.0f && !std::signbit(pa[1]));
  EXPECT_EQ(pa[2], 1.0f);
}

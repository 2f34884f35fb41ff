// Gradients of the elementwise ops (rules_elementwise.cpp): gradcheck
// (float64 finite differences) for unary ops away from their non-smooth
// points, binary ops with broadcasting and wrapped scalar operands, where/
// clamp/masked_fill, the in-place forms applied to a non-leaf clone, and the
// copy ops; plus the conventions at ties and the gradient dtypes.
#include "test_util.h"

using namespace ember;
using ember::testing::allclose;
using ember::testing::d;
using ember::testing::leaf;
using ember::testing::leaf_t;
using ember::testing::tensors_equal;

namespace {

using Fn = std::function<Tensor(const TensorList &)>;

// Uniform in [lo, hi).
Tensor leaf_in(IntArrayRef shape, double lo, double hi) {
  return (rand(shape, dtype(kFloat64)) * (hi - lo) + lo).requires_grad_();
}
// Normal, but at least `gap` away from every point in `avoid` (e.g. 0 for
// abs, integers and halves for floor/round).
Tensor leaf_away(IntArrayRef shape, double gap, double step) {
  Tensor x = randn(shape, dtype(kFloat64)) * 2;
  Tensor frac = x / step - (x / step).floor(); // in [0, 1)
  Tensor nudge =
      ((frac < gap).to(kFloat64) - (frac > 1 - gap).to(kFloat64)) * gap;
  return (x + nudge * step).requires_grad_();
}

template <typename F>
::testing::AssertionResult check(const F &fn, const TensorList &inputs,
                                 const autograd::GradcheckOptions &o = {}) {
  try {
    autograd::gradcheck(fn, inputs, o);
  } catch (const Error &e) {
    return ::testing::AssertionFailure() << e.what();
  }
  return ::testing::AssertionSuccess();
}

} // namespace

TEST(GradElementwise, Unary) {
  manual_seed(1);
  struct Case {
    const char *name;
    Tensor x;
    Fn fn;
  };
  const std::vector<Case> cases = {
      {"neg", leaf({2, 3}), [](const TensorList &in) { return -in[0]; }},
      {"abs", leaf_away({2, 3}, 0.05, 100.0),
       [](const TensorList &in) { return in[0].abs(); }},
      {"exp", leaf({2, 3}), [](const TensorList &in) { return in[0].exp(); }},
      {"log", leaf_in({2, 3}, 0.2, 3),
       [](const TensorList &in) { return in[0].log(); }},
      {"log1p", leaf_in({2, 3}, -0.7, 3),
       [](const TensorList &in) { return in[0].log1p(); }},
      {"sqrt", leaf_in({2, 3}, 0.2, 3),
       [](const TensorList &in) { return in[0].sqrt(); }},
      {"rsqrt", leaf_in({2, 3}, 0.2, 3),
       [](const TensorList &in) { return in[0].rsqrt(); }},
      {"sin", leaf({2, 3}), [](const TensorList &in) { return in[0].sin(); }},
      {"cos", leaf({2, 3}), [](const TensorList &in) { return in[0].cos(); }},
      {"tanh", leaf({2, 3}), [](const TensorList &in) { return in[0].tanh(); }},
      {"sigmoid", leaf({2, 3}),
       [](const TensorList &in) { return in[0].sigmoid(); }},
      {"relu", leaf_away({2, 3}, 0.05, 100.0),
       [](const TensorList &in) { return in[0].relu(); }},
      {"gelu", leaf({2, 3}), [](const TensorList &in) { return gelu(in[0]); }},
      {"gelu at 0", d({0.0, -1.0, 1.0}).requires_grad_(),
       [](const TensorList &in) { return gelu(in[0]); }},
      {"gelu tanh", leaf({2, 3}),
       [](const TensorList &in) { return gelu(in[0], "tanh"); }},
      {"sign", leaf_away({2, 3}, 0.05, 100.0),
       [](const TensorList &in) { return in[0].sign(); }},
      {"floor", leaf_away({2, 3}, 0.05, 1.0),
       [](const TensorList &in) { return in[0].floor(); }},
      {"ceil", leaf_away({2, 3}, 0.05, 1.0),
       [](const TensorList &in) { return in[0].ceil(); }},
      {"round", leaf_away({2, 3}, 0.05, 0.5),
       [](const TensorList &in) { return in[0].round(); }},
      {"non-contiguous", leaf_t({3, 4}),
       [](const TensorList &in) { return in[0].sin() * in[0].exp(); }},
  };
  for (const Case &c : cases)
    EXPECT_TRUE(check(c.fn, {c.x})) << c.name;
}

TEST(GradElementwise, BinaryBroadcasting) {
  manual_seed(2);
  Tensor a = leaf({2, 3, 1});
  Tensor b = leaf({4});
  Tensor bt = leaf_t({4, 3}); // non-contiguous, broadcast against [2,1,3]
  Tensor pa = leaf_in({3, 1}, 0.3, 2);
  Tensor pb = leaf({1, 4});
  Tensor nz = leaf_in({4}, 0.5, 2);
  std::vector<std::pair<const char *, Fn>> fns = {
      {"add", [](const TensorList &in) { return in[0] + in[1]; }},
      {"add alpha",
       [](const TensorList &in) { return add(in[0], in[1], 2.5); }},
      {"sub", [](const TensorList &in) { return in[0] - in[1]; }},
      {"sub alpha",
       [](const TensorList &in) { return sub(in[0], in[1], -1.5); }},
      {"mul", [](const TensorList &in) { return in[0] * in[1]; }},
      {"maximum", [](const TensorList &in) { return maximum(in[0], in[1]); }},
      {"minimum", [](const TensorList &in) { return minimum(in[0], in[1]); }},
  };
  for (const auto &[name, fn] : fns) {
    EXPECT_TRUE(check(fn, {a, b})) << name;
    EXPECT_TRUE(check(fn, {b, a})) << name << " (swapped)";
  }
  EXPECT_TRUE(
      check([](const TensorList &in) { return in[0] / in[1]; }, {a, nz}));
  EXPECT_TRUE(
      check([](const TensorList &in) { return in[1] / in[0]; }, {nz, a}));
  EXPECT_TRUE(
      check([](const TensorList &in) { return in[0] * in[1].unsqueeze(0); },
            {leaf({2, 1, 3}), bt}));
  // pow in both operands (positive base).
  EXPECT_TRUE(
      check([](const TensorList &in) { return pow(in[0], in[1]); }, {pa, pb}));
  // Only one operand requires grad.
  Tensor c = randn({4}, dtype(kFloat64));
  EXPECT_TRUE(check([&](const TensorList &in) { return in[0] * c; }, {a}));
  EXPECT_TRUE(check(
      [&](const TensorList &in) { return pow(in[0].abs() + 0.5, c); }, {a}));
}

TEST(GradElementwise, WrappedScalarOperands) {
  manual_seed(3);
  Tensor x = leaf_in({2, 3}, 0.3, 2);
  std::vector<std::pair<const char *, Fn>> fns = {
      {"x + s", [](const TensorList &in) { return in[0] + 2.5; }},
      {"s + x", [](const TensorList &in) { return 2.5 + in[0]; }},
      {"x + s alpha", [](const TensorList &in) { return add(in[0], 2, 3); }},
      {"x - s", [](const TensorList &in) { return in[0] - 1.5; }},
      {"s - x", [](const TensorList &in) { return 1.5 - in[0]; }},
      {"x * s", [](const TensorList &in) { return in[0] * -3; }},
      {"x / s", [](const TensorList &in) { return in[0] / 0.7; }},
      {"s / x", [](const TensorList &in) { return 2.0 / in[0]; }},
      {"x ^ s", [](const TensorList &in) { return pow(in[0], 2.5); }},
      {"x ^ 2", [](const TensorList &in) { return pow(in[0], 2); }},
      {"x ^ 0", [](const TensorList &in) { return pow(in[0], 0); }},
      {"s ^ x", [](const TensorList &in) { return pow(1.7, in[0]); }},
      {"maximum s",
       [](const TensorList &in) {
         return maximum(in[0], scalar_to_tensor(1.05));
       }},
  };
  for (const auto &[name, fn] : fns)
    EXPECT_TRUE(check(fn, {x})) << name;
  // pow at 0: the PyTorch conventions (no NaN for a non-negative exponent).
  Tensor z = d({0.0, 1.0}).requires_grad_();
  Tensor e = d({2.0, 0.5}).requires_grad_();
  pow(z, e).sum().backward();
  EXPECT_TRUE(allclose(z.grad(), d({0.0, 0.5}), 1e-12, 0));
  EXPECT_TRUE(allclose(e.grad(), d({0.0, 0.0}), 1e-12, 0));
}

TEST(GradElementwise, MaximumMinimumTiesSplitEvenly) {
  Tensor a = d({1, 2, 3}).requires_grad_();
  Tensor b = d({1, 5, 0}).requires_grad_();
  (maximum(a, b) * d({2, 4, 8})).sum().backward();
  EXPECT_TRUE(tensors_equal(a.grad(), d({1, 0, 8})));
  EXPECT_TRUE(tensors_equal(b.grad(), d({1, 4, 0})));
  a.mutable_grad() = Tensor();
  b.mutable_grad() = Tensor();
  (minimum(a, b) * d({2, 4, 8})).sum().backward();
  EXPECT_TRUE(tensors_equal(a.grad(), d({1, 4, 0})));
  EXPECT_TRUE(tensors_equal(b.grad(), d({1, 0, 8})));
}

TEST(GradElementwise, WhereClampMaskedFill) {
  manual_seed(4);
  Tensor cond = tensor({true, false, true, false});
  Tensor a = leaf({3, 4});
  Tensor b = leaf({3, 1});
  EXPECT_TRUE(check(
      [&](const TensorList &in) { return where(cond, in[0], in[1]); }, {a, b}));
  EXPECT_TRUE(check(
      [&](const TensorList &in) { return where(cond, in[0], 0.5); }, {a}));
  EXPECT_TRUE(check(
      [&](const TensorList &in) { return where(cond, -2.0, in[0]); }, {b}));
  Tensor x = leaf_away({3, 4}, 0.05, 0.5); // away from the bounds below
  EXPECT_TRUE(
      check([](const TensorList &in) { return in[0].clamp(-0.5, 1.0); }, {x}));
  EXPECT_TRUE(
      check([](const TensorList &in) { return in[0].clamp(0.5); }, {x}));
  EXPECT_TRUE(
      check([](const TensorList &in) { return in[0].clamp(std::nullopt, 0.0); },
            {x}));
  Tensor mask = tensor({{true, false, false, true}});
  EXPECT_TRUE(check(
      [&](const TensorList &in) { return in[0].masked_fill(mask, 3.0); }, {a}));
  Tensor xt = leaf_t({4, 3});
  EXPECT_TRUE(check(
      [&](const TensorList &in) { return where(cond.unsqueeze(1), in[0], 1); },
      {xt}));
}

TEST(GradElementwise, InPlaceOnNonLeafClone) {
  manual_seed(5);
  Tensor x = leaf({3, 4});
  Tensor y = leaf({4});
  Tensor nz = leaf_in({4}, 0.5, 2);
  Tensor mask = tensor({true, false, false, true});
  struct Case {
    const char *name;
    Fn fn;
    TensorList inputs;
  };
  const std::vector<Case> cases = {
      {"add_",
       [](const TensorList &in) {
         Tensor t = in[0].clone();
         t.add_(in[1]);
         return t * in[0];
       },
       {x, y}},
      {"add_ alpha",
       [](const TensorList &in) {
         Tensor t = in[0].clone();
         t.add_(in[1], -2);
         return t * t;
       },
       {x, y}},
      {"add_ scalar",
       [](const TensorList &in) {
         Tensor t = in[0].clone();
         t.add_(1.5);
         return t * t;
       },
       {x}},
      {"sub_",
       [](const TensorList &in) {
         Tensor t = in[0].clone();
         t.sub_(in[1], 0.5);
         return t * t;
       },
       {x, y}},
      {"mul_",
       [](const TensorList &in) {
         Tensor t = in[0].sin(); // saves its input, not t
         t.mul_(in[1]);
         return t * in[0];
       },
       {x, y}},
      {"mul_ scalar",
       [](const TensorList &in) {
         Tensor t = in[0].clone();
         t.mul_(3);
         return t * t;
       },
       {x}},
      {"div_",
       [](const TensorList &in) {
         Tensor t = in[0].clone();
         t.div_(in[1]);
         return t * t;
       },
       {x, nz}},
      {"clamp_",
       [](const TensorList &in) {
         Tensor t = in[0] * 1;
         t.clamp_(-0.5, 0.5);
         return t * in[0];
       },
       {leaf_away({3, 4}, 0.05, 0.5)}},
      {"masked_fill_",
       [&](const TensorList &in) {
         Tensor t = in[0].clone();
         t.masked_fill_(mask, 2.0);
         return t * in[0];
       },
       {x}},
      {"fill_",
       [](const TensorList &in) {
         Tensor u = in[0] * in[0];
         Tensor t = in[0].clone();
         t.fill_(1.5);
         return u + t * 2;
       },
       {x}},
      {"zero_",
       [](const TensorList &in) {
         Tensor t = in[0].clone();
         t.zero_();
         return t + in[0] * 2;
       },
       {x}},
      {"copy_",
       [](const TensorList &in) {
         Tensor t = in[0].clone();
         t.copy_(in[1]); // broadcast [4] -> [3, 4]
         return t * in[0];
       },
       {x, y}},
      {"copy_ into a view",
       [](const TensorList &in) {
         Tensor t = in[0].clone();
         t.select(0, 1).copy_(in[1].exp());
         return t * t;
       },
       {x, y}},
  };
  for (const Case &c : cases)
    EXPECT_TRUE(check(c.fn, c.inputs)) << c.name;
}

TEST(GradElementwise, CopyOps) {
  manual_seed(6);
  Tensor xt = leaf_t({3, 4});
  EXPECT_TRUE(
      check([](const TensorList &in) { return in[0].contiguous() * 2; }, {xt}));
  EXPECT_TRUE(
      check([](const TensorList &in) { return in[0].clone().exp(); }, {xt}));
  // Through float32: finite differences need a larger step.
  autograd::GradcheckOptions loose;
  loose.eps = 1e-3;
  loose.atol = 1e-3;
  loose.rtol = 1e-2;
  EXPECT_TRUE(check(
      [](const TensorList &in) {
        return (in[0].to(kFloat32) * 3).to(kFloat64);
      },
      {xt}, loose));
}

TEST(GradElementwise, ToDtypeGradientsTakeTheInputDtype) {
  Tensor x32 = ones({3}).requires_grad_();
  (x32.to(kFloat64) * d({1, 2, 3})).sum().backward();
  EXPECT_EQ(x32.grad().dtype(), kFloat32);
  EXPECT_TRUE(tensors_equal(x32.grad(), tensor({1.0f, 2.0f, 3.0f})));
  Tensor x64 = d({1, 2}).requires_grad_();
  (x64.to(kFloat32) * tensor({4.0f, 5.0f})).sum().backward();
  EXPECT_EQ(x64.grad().dtype(), kFloat64);
  EXPECT_TRUE(tensors_equal(x64.grad(), d({4, 5})));
  // Mixed-dtype binary op: each gradient in its input's dtype.
  Tensor a = ones({2}).requires_grad_();
  Tensor b = d({3, 4}).requires_grad_();
  (a * b).sum().backward();
  EXPECT_EQ(a.grad().dtype(), kFloat32);
  EXPECT_EQ(b.grad().dtype(), kFloat64);
  EXPECT_TRUE(tensors_equal(a.grad(), tensor({3.0f, 4.0f})));
}

// Rules are written with ember ops, so they differentiate again
// (create_graph): gradcheck of the first derivative.
TEST(GradElementwise, SecondDerivatives) {
  manual_seed(7);
  using MultiFn = std::function<TensorList(const TensorList &)>;
  auto first = [](Fn fn) -> MultiFn {
    return [fn](const TensorList &in) {
      AutoGradMode on(true); // gradcheck's finite differences run without
      Tensor y = fn(in);
      Tensor go = cos(arange(y.numel(), dtype(kFloat64))).reshape(y.sizes());
      return autograd::grad({y}, in, {go}, std::nullopt,
                            /*create_graph=*/true);
    };
  };
  Tensor x = leaf_in({2, 3}, 0.3, 2);
  Tensor y = leaf_in({3}, 0.5, 1.5);
  std::vector<std::tuple<const char *, Fn, TensorList>> fns = {
      {"exp", [](const TensorList &in) { return in[0].exp(); }, {x}},
      {"log", [](const TensorList &in) { return in[0].log(); }, {x}},
      {"sqrt", [](const TensorList &in) { return in[0].sqrt(); }, {x}},
      {"rsqrt", [](const TensorList &in) { return in[0].rsqrt(); }, {x}},
      {"sin", [](const TensorList &in) { return in[0].sin(); }, {x}},
      {"tanh", [](const TensorList &in) { return in[0].tanh(); }, {x}},
      {"sigmoid", [](const TensorList &in) { return in[0].sigmoid(); }, {x}},
      {"gelu", [](const TensorList &in) { return gelu(in[0]); }, {x}},
      {"gelu tanh",
       [](const TensorList &in) { return gelu(in[0], "tanh"); },
       {x}},
      {"mul",
       [](const TensorList &in) { return in[0] * in[1] * in[0]; },
       {x, y}},
      {"div", [](const TensorList &in) { return in[0] / in[1]; }, {x, y}},
      {"pow", [](const TensorList &in) { return pow(in[0], in[1]); }, {x, y}},
  };
  for (const auto &[name, fn, in] : fns)
    EXPECT_TRUE(check(first(fn), in)) << name;
}

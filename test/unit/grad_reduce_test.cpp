// Gradients of the reduction and softmax ops: gradcheck (float64 finite
// differences) for every op with keepdim true/false, negative dims and
// non-contiguous inputs; the PyTorch conventions at non-smooth points (ties,
// zeros) checked by value; and float32 goldens from PyTorch
// (test/golden/gen_grad_reduce.py).
#include "test_util.h"

using namespace ember;
using ember::testing::allclose;
using ember::testing::d;
using ember::testing::golden;
using ember::testing::leaf;
using ember::testing::leaf_t;
using ember::testing::tensors_equal;

namespace {

using Fn = std::function<Tensor(const TensorList &)>;

template <typename F>
::testing::AssertionResult check(const F &fn, const TensorList &inputs) {
  try {
    autograd::gradcheck(fn, inputs);
  } catch (const Error &e) {
    return ::testing::AssertionFailure() << e.what();
  }
  return ::testing::AssertionSuccess();
}

bool has_nan(const Tensor &t) { return (t != t).sum().item<int64_t>() > 0; }

// Gradient of sum(fn(x) * go) for one leaf x.
Tensor grad_of(const Fn &fn, const Tensor &x, const Tensor &go) {
  Tensor y = fn({x});
  return autograd::grad({y}, {x}, {go})[0];
}

// Dims/keepdim combinations for a 3-dim input.
struct DimCase {
  std::vector<int64_t> dims;
  bool keepdim;
};
const std::vector<DimCase> kDimCases = {{{}, false},     {{}, true},
                                        {{1}, false},    {{-1}, true},
                                        {{0, 2}, false}, {{-3, -1}, true}};

} // namespace

TEST(GradReduce, Sum) {
  manual_seed(1);
  for (const Tensor &x : {leaf({2, 3, 4}), leaf_t({3, 2, 4})})
    for (const auto &[dims, keep] : kDimCases)
      EXPECT_TRUE(check(
          [&](const TensorList &in) { return in[0].sum(dims, keep); }, {x}))
          << IntArrayRef(dims) << " keepdim " << keep;
  Tensor s = d({2.5}).reshape({}).requires_grad_();
  EXPECT_TRUE(check([](const TensorList &in) { return in[0].sum({0}); }, {s}));
  // A float32 input summed in float64 gets a float32 gradient.
  Tensor x32 = ones({2, 2}).requires_grad_();
  ember::sum(x32, {1}, false, kFloat64).sum().backward();
  EXPECT_TRUE(tensors_equal(x32.grad(), ones({2, 2})));
}

TEST(GradReduce, Mean) {
  manual_seed(2);
  for (const Tensor &x : {leaf({2, 3, 4}), leaf_t({3, 2, 4})})
    for (const auto &[dims, keep] : kDimCases)
      EXPECT_TRUE(check(
          [&](const TensorList &in) { return in[0].mean(dims, keep); }, {x}))
          << IntArrayRef(dims) << " keepdim " << keep;
  Tensor s = d({2.5}).reshape({}).requires_grad_();
  EXPECT_TRUE(check([](const TensorList &in) { return in[0].mean(); }, {s}));
}

TEST(GradReduce, Prod) {
  manual_seed(3);
  Tensor x = leaf({2, 3, 4});
  Tensor xt = leaf_t({3, 2, 4});
  for (const Tensor &t : {x, xt}) {
    EXPECT_TRUE(check([](const TensorList &in) { return prod(in[0]); }, {t}));
    for (int64_t dim : {0, 1, -1})
      for (bool keep : {false, true})
        EXPECT_TRUE(check(
            [&](const TensorList &in) { return prod(in[0], dim, keep); }, {t}))
            << dim << " keepdim " << keep;
  }
  // Zeros: prod is a polynomial, so finite differences hold there too.
  Tensor z =
      tensor(
          {{0.0, 1.5, -2.0, 0.7}, {0.0, 0.0, 3.0, 1.1}, {0.9, -1.2, 0.8, 2.0}},
          dtype(kFloat64))
          .requires_grad_();
  EXPECT_TRUE(check([](const TensorList &in) { return prod(in[0]); }, {z}));
  EXPECT_TRUE(check([](const TensorList &in) { return prod(in[0], 1); }, {z}));
  EXPECT_TRUE(
      check([](const TensorList &in) { return prod(in[0], 0, true); }, {z}));
  // By value: the other elements' product for a lone zero, else nothing.
  Tensor g = grad_of([](const TensorList &in) { return prod(in[0], 1); }, z,
                     ones({3}, dtype(kFloat64)));
  EXPECT_TRUE(allclose(g,
                       tensor({{1.5 * -2.0 * 0.7, 0.0, 0.0, 0.0},
                               {0.0, 0.0, 0.0, 0.0},
                               {-1.2 * 0.8 * 2.0, 0.9 * 0.8 * 2.0,
                                0.9 * -1.2 * 2.0, 0.9 * -1.2 * 0.8}},
                              dtype(kFloat64)),
                       1e-12, 1e-15));
  EXPECT_FALSE(has_nan(g));
  Tensor s = d({-1.5}).reshape({}).requires_grad_();
  EXPECT_TRUE(check([](const TensorList &in) { return prod(in[0]); }, {s}));
}

TEST(GradReduce, AmaxAmin) {
  manual_seed(4);
  for (const Tensor &x : {leaf({2, 3, 4}), leaf_t({3, 2, 4})})
    for (const auto &[dims, keep] : kDimCases) {
      EXPECT_TRUE(check(
          [&](const TensorList &in) { return amax(in[0], dims, keep); }, {x}))
          << IntArrayRef(dims) << " keepdim " << keep;
      EXPECT_TRUE(check(
          [&](const TensorList &in) { return amin(in[0], dims, keep); }, {x}))
          << IntArrayRef(dims) << " keepdim " << keep;
    }
  Tensor x = leaf({5});
  EXPECT_TRUE(check([](const TensorList &in) { return max(in[0]); }, {x}));
  EXPECT_TRUE(check([](const TensorList &in) { return min(in[0]); }, {x}));
}

TEST(GradReduce, AmaxTiesSplitEvenly) {
  Tensor x = tensor({{1.0, 3.0, 3.0}, {2.0, 2.0, 2.0}}, dtype(kFloat64))
                 .requires_grad_();
  Tensor go = d({6, 3});
  Tensor g =
      grad_of([](const TensorList &in) { return amax(in[0], {1}); }, x, go);
  EXPECT_TRUE(
      allclose(g, tensor({{0.0, 3.0, 3.0}, {1.0, 1.0, 1.0}}, dtype(kFloat64))));
  g = grad_of([](const TensorList &in) { return amin(in[0], {-1}, true); }, x,
              go.reshape({2, 1}));
  EXPECT_TRUE(
      allclose(g, tensor({{6.0, 0.0, 0.0}, {1.0, 1.0, 1.0}}, dtype(kFloat64))));
  g = grad_of([](const TensorList &in) { return max(in[0]); }, x,
              d({4}).reshape({}));
  EXPECT_TRUE(
      allclose(g, tensor({{0.0, 2.0, 2.0}, {0.0, 0.0, 0.0}}, dtype(kFloat64))));
  // max() of a tensor holding NaN: the gradient goes to the NaN (PyTorch's
  // evenly_distribute_backward).
  Tensor n = d({1.0, NAN, 2.0}).requires_grad_();
  g = grad_of([](const TensorList &in) { return max(in[0]); }, n,
              d({1}).reshape({}));
  EXPECT_TRUE(tensors_equal(g, d({0, 1, 0})));
}

TEST(GradReduce, MaxMinDim) {
  manual_seed(5);
  for (const Tensor &x : {leaf({2, 3, 4}), leaf_t({3, 2, 4})})
    for (int64_t dim : {0, 1, -1})
      for (bool keep : {false, true}) {
        EXPECT_TRUE(check(
            [&](const TensorList &in) {
              return std::get<0>(max(in[0], dim, keep));
            },
            {x}))
            << dim << " keepdim " << keep;
        EXPECT_TRUE(check(
            [&](const TensorList &in) {
              return std::get<0>(min(in[0], dim, keep));
            },
            {x}))
            << dim << " keepdim " << keep;
      }
  // Both outputs: the indices (int64) get no gradient.
  Tensor x = leaf({3, 4});
  EXPECT_TRUE(check(
      std::function<TensorList(const TensorList &)>([](const TensorList &in) {
        auto [v, i] = max(in[0], 1);
        return TensorList{v, i};
      }),
      {x}));
  // 0-dim input.
  Tensor s = d({2.0}).reshape({}).requires_grad_();
  EXPECT_TRUE(check(
      [](const TensorList &in) { return std::get<0>(max(in[0], 0)); }, {s}));
}

TEST(GradReduce, MaxDimTiesGoToTheIndex) {
  Tensor x = tensor({{1.0, 3.0, 3.0}, {2.0, 2.0, 2.0}}, dtype(kFloat64))
                 .requires_grad_();
  auto [v, i] = max(x, 1);
  (v * d({5, 7})).sum().backward();
  Tensor want = zeros({2, 3}, dtype(kFloat64));
  want.select(0, 0).select(0, i[0].item<int64_t>()).fill_(5);
  want.select(0, 1).select(0, i[1].item<int64_t>()).fill_(7);
  EXPECT_TRUE(tensors_equal(x.grad(), want));
  EXPECT_FALSE(i.requires_grad());
}

TEST(GradReduce, VarStd) {
  manual_seed(6);
  for (const Tensor &x : {leaf({2, 3, 4}), leaf_t({3, 2, 4})})
    for (const auto &[dims, keep] : kDimCases)
      for (int64_t corr : {0, 1, 2}) {
        EXPECT_TRUE(check(
            [&](const TensorList &in) { return var(in[0], dims, corr, keep); },
            {x}))
            << IntArrayRef(dims) << " keepdim " << keep << " correction "
            << corr;
        EXPECT_TRUE(check(
            [&](const TensorList &in) {
              return ember::std(in[0], dims, corr, keep);
            },
            {x}))
            << IntArrayRef(dims) << " keepdim " << keep << " correction "
            << corr;
      }
  Tensor x = leaf({6});
  EXPECT_TRUE(check([](const TensorList &in) { return var(in[0]); }, {x}));
  EXPECT_TRUE(
      check([](const TensorList &in) { return ember::std(in[0]); }, {x}));
}

TEST(GradReduce, StdAtZeroIsZero) {
  // PyTorch masks the gradient where std is 0 (no 0/0).
  Tensor x = full({2, 3}, 1.5, dtype(kFloat64)).requires_grad_();
  ember::std(x, {1}).sum().backward();
  EXPECT_TRUE(tensors_equal(x.grad(), zeros({2, 3}, dtype(kFloat64))));
  Tensor y = full({3}, -2.0, dtype(kFloat64)).requires_grad_();
  ember::std(y).backward();
  EXPECT_TRUE(tensors_equal(y.grad(), zeros({3}, dtype(kFloat64))));
}

TEST(GradReduce, Logsumexp) {
  manual_seed(7);
  for (const Tensor &x : {leaf({2, 3, 4}), leaf_t({3, 2, 4})})
    for (const auto &[dims, keep] : kDimCases) {
      if (dims.empty())
        continue; // logsumexp takes explicit dims
      EXPECT_TRUE(check(
          [&](const TensorList &in) { return logsumexp(in[0], dims, keep); },
          {x}))
          << IntArrayRef(dims) << " keepdim " << keep;
    }
  // Large inputs stay finite.
  Tensor big =
      tensor({1000.0, 1001.0, 999.0}, dtype(kFloat64)).requires_grad_();
  EXPECT_TRUE(
      check([](const TensorList &in) { return logsumexp(in[0], {0}); }, {big}));
}

TEST(GradReduce, Norm) {
  manual_seed(8);
  const double inf = INFINITY;
  for (const Tensor &x : {leaf({2, 3, 4}), leaf_t({3, 2, 4})})
    for (double p : {2.0, 1.0, inf, -inf, 0.0, 3.0, 1.5, 0.5, -1.0, 4.0})
      for (const auto &[dims, keep] : kDimCases)
        EXPECT_TRUE(check(
            [&](const TensorList &in) { return norm(in[0], p, dims, keep); },
            {x}))
            << "p " << p << " dims " << IntArrayRef(dims) << " keepdim "
            << keep;
}

TEST(GradReduce, NormSubgradientAtZero) {
  const double inf = INFINITY;
  // A zero row: the gradient there is 0 (not NaN) for every p.
  for (double p : {2.0, 1.0, inf, 3.0, 1.5, 0.5, 0.0}) {
    Tensor x = tensor({{0.0, 0.0, 0.0}, {1.0, -2.0, 0.0}}, dtype(kFloat64))
                   .requires_grad_();
    norm(x, p, {1}).sum().backward();
    Tensor g = x.grad();
    EXPECT_FALSE(has_nan(g)) << "p " << p;
    EXPECT_TRUE(tensors_equal(g.select(0, 0), zeros({3}, dtype(kFloat64))))
        << "p " << p;
    EXPECT_EQ(g[1][2].item<double>(), 0.0) << "p " << p;
  }
  Tensor x = d({3.0, -4.0}).requires_grad_();
  norm(x).backward();
  EXPECT_TRUE(allclose(x.grad(), d({0.6, -0.8}), 1e-12, 0));
}

TEST(GradReduce, SoftmaxLogSoftmax) {
  manual_seed(9);
  for (const Tensor &x : {leaf({2, 3, 4}), leaf_t({3, 2, 4})})
    for (int64_t dim : {0, 1, 2, -1, -3}) {
      EXPECT_TRUE(
          check([&](const TensorList &in) { return softmax(in[0], dim); }, {x}))
          << dim;
      EXPECT_TRUE(check(
          [&](const TensorList &in) { return log_softmax(in[0], dim); }, {x}))
          << dim;
    }
  Tensor s = d({0.3}).reshape({}).requires_grad_();
  EXPECT_TRUE(
      check([](const TensorList &in) { return softmax(in[0], 0); }, {s}));
  EXPECT_TRUE(
      check([](const TensorList &in) { return log_softmax(in[0], -1); }, {s}));
}

TEST(GradReduce, EmptyInputs) {
  Tensor x = zeros({0, 3}, dtype(kFloat64)).requires_grad_();
  std::vector<std::pair<const char *, Fn>> fns = {
      {"sum", [](const TensorList &in) { return in[0].sum({0}); }},
      {"sum all", [](const TensorList &in) { return in[0].sum(); }},
      {"mean", [](const TensorList &in) { return in[0].mean({1}); }},
      {"prod", [](const TensorList &in) { return prod(in[0], 0); }},
      {"var", [](const TensorList &in) { return var(in[0], {1}); }},
      {"std", [](const TensorList &in) { return ember::std(in[0], {1}); }},
      {"logsumexp", [](const TensorList &in) { return logsumexp(in[0], {0}); }},
      {"norm", [](const TensorList &in) { return norm(in[0], 2, {0}); }},
      {"amax", [](const TensorList &in) { return amax(in[0], {1}); }},
      {"softmax", [](const TensorList &in) { return softmax(in[0], 1); }},
  };
  for (const auto &[name, fn] : fns) {
    x.mutable_grad() = Tensor();
    Tensor y = fn({x});
    y.backward(ones_like(y));
    EXPECT_EQ(x.grad().sizes(), IntArrayRef({0, 3})) << name;
  }
}

// The rules are written with ember ops, so they differentiate again
// (create_graph): gradcheck of the first derivative. (mean, amax and
// max/min(dim) have first derivatives that do not depend on the input.)
TEST(GradReduce, SecondDerivatives) {
  manual_seed(10);
  auto first = [](Fn fn) -> Fn {
    return [fn](const TensorList &in) {
      AutoGradMode on(true); // gradcheck's finite differences run without
      Tensor y = fn(in);
      Tensor go = cos(arange(y.numel(), dtype(kFloat64))).reshape(y.sizes());
      return autograd::grad({y}, {in[0]}, {go}, std::nullopt,
                            /*create_graph=*/true)[0];
    };
  };
  Tensor x = leaf({3, 4});
  Tensor z = tensor({{0.0, 1.5, -2.0}, {0.0, 0.0, 3.0}, {0.9, -1.2, 0.8}},
                    dtype(kFloat64))
                 .requires_grad_();
  std::vector<std::tuple<const char *, Fn, Tensor>> fns = {
      {"prod", [](const TensorList &in) { return prod(in[0], 1); }, x},
      {"prod all", [](const TensorList &in) { return prod(in[0]); }, x},
      {"prod zeros", [](const TensorList &in) { return prod(in[0], 1); }, z},
      {"var", [](const TensorList &in) { return var(in[0], {1}); }, x},
      {"std", [](const TensorList &in) { return ember::std(in[0], {0}); }, x},
      {"logsumexp", [](const TensorList &in) { return logsumexp(in[0], {1}); },
       x},
      {"norm3", [](const TensorList &in) { return norm(in[0], 3, {1}); }, x},
      {"norm2", [](const TensorList &in) { return norm(in[0], 2); }, x},
      {"norm1.5", [](const TensorList &in) { return norm(in[0], 1.5); }, x},
      {"softmax", [](const TensorList &in) { return softmax(in[0], 1); }, x},
      {"log_softmax",
       [](const TensorList &in) { return log_softmax(in[0], 0); }, x},
  };
  for (const auto &[name, fn, in] : fns)
    EXPECT_TRUE(check(first(fn), {in})) << name;
}

// --- PyTorch goldens (float32) -------------------------------------------

namespace {
struct GoldenCase {
  const char *name;
  Fn fn;
};
Tensor max_values(const Tensor &x, int64_t dim, bool keep) {
  return std::get<0>(max(x, dim, keep));
}
Tensor min_values(const Tensor &x, int64_t dim, bool keep) {
  return std::get<0>(min(x, dim, keep));
}
} // namespace

TEST(GradReduceGolden, MatchesPyTorch) {
  const double inf = INFINITY;
  const std::vector<GoldenCase> cases = {
      {"softmax_d1", [](const TensorList &in) { return softmax(in[0], 1); }},
      {"softmax_dm3", [](const TensorList &in) { return softmax(in[0], -3); }},
      {"log_softmax_d0",
       [](const TensorList &in) { return log_softmax(in[0], 0); }},
      {"log_softmax_dm1",
       [](const TensorList &in) { return log_softmax(in[0], -1); }},
      {"var_all", [](const TensorList &in) { return var(in[0]); }},
      {"var_d1_c0", [](const TensorList &in) { return var(in[0], {1}, 0); }},
      {"var_d02_k",
       [](const TensorList &in) {
         return var(in[0], {0, 2}, 1, true);
       }},
      {"std_all", [](const TensorList &in) { return ember::std(in[0]); }},
      {"std_dm1_c2_k",
       [](const TensorList &in) { return ember::std(in[0], {-1}, 2, true); }},
      {"std_const_d1",
       [](const TensorList &in) { return ember::std(in[0], {1}); }},
      {"norm_p2", [](const TensorList &in) { return norm(in[0], 2); }},
      {"norm_p1_d1", [](const TensorList &in) { return norm(in[0], 1, {1}); }},
      {"norm_pinf_d0",
       [&](const TensorList &in) { return norm(in[0], inf, {0}); }},
      {"norm_pninf_all",
       [&](const TensorList &in) { return norm(in[0], -inf); }},
      {"norm_p3_d1k",
       [](const TensorList &in) { return norm(in[0], 3, {1}, true); }},
      {"norm_p1_5_d2",
       [](const TensorList &in) { return norm(in[0], 1.5, {2}); }},
      {"norm_p0_5_all", [](const TensorList &in) { return norm(in[0], 0.5); }},
      {"norm_p2_zeros",
       [](const TensorList &in) { return norm(in[0], 2, {0}); }},
      {"max_dim_d1",
       [](const TensorList &in) { return max_values(in[0], 1, false); }},
      {"min_dim_dm1_k",
       [](const TensorList &in) { return min_values(in[0], -1, true); }},
      {"max_dim_ties_d1",
       [](const TensorList &in) { return max_values(in[0], 1, false); }},
      {"amax_ties_d1", [](const TensorList &in) { return amax(in[0], {1}); }},
      {"amin_ties_d0k",
       [](const TensorList &in) { return amin(in[0], {0}, true); }},
      {"max_all_ties", [](const TensorList &in) { return max(in[0]); }},
      {"prod_zeros_d1", [](const TensorList &in) { return prod(in[0], 1); }},
      {"prod_zeros_d0k",
       [](const TensorList &in) { return prod(in[0], 0, true); }},
      {"prod_zeros_all", [](const TensorList &in) { return prod(in[0]); }},
      {"prod_d1", [](const TensorList &in) { return prod(in[0], -1); }},
      {"logsumexp_d1",
       [](const TensorList &in) { return logsumexp(in[0], {1}); }},
      {"mean_d02",
       [](const TensorList &in) {
         return in[0].mean({0, 2});
       }},
  };
  for (const GoldenCase &gc : cases) {
    const std::string n = gc.name;
    Tensor x = golden("grad_reduce", "x_" + n).requires_grad_();
    Tensor go = golden("grad_reduce", "go_" + n);
    Tensor want = golden("grad_reduce", "grad_" + n);
    Tensor got = grad_of(gc.fn, x, go);
    EXPECT_EQ(got.dtype(), kFloat32) << n;
    EXPECT_TRUE(allclose(got, want, 1e-5, 1e-6)) << n;
  }
}

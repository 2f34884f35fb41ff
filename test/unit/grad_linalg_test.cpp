// Gradients of mm, bmm, matmul, conv2d, max_pool2d and avg_pool2d: gradcheck
// (float64 finite differences) in every mode, double backward through the
// conv2d and pool gradient ops, PyTorch goldens of the float32 gradients
// (test/golden/gen_grad_linalg.py), and the gradient ops' error messages.
#include "test_util.h"

using namespace ember;
using autograd::gradcheck;
using ember::testing::allclose;
using ember::testing::golden;
using ember::testing::leaf;

namespace {

// gradcheck of f over fresh float64 leaves of the given shapes.
bool check(std::vector<std::vector<int64_t>> shapes,
           const std::function<Tensor(const TensorList &)> &f) {
  TensorList in;
  for (const auto &s : shapes)
    in.push_back(leaf(s));
  return gradcheck(f, in);
}

Tensor conv(const TensorList &in, IntArrayRef stride, IntArrayRef padding,
            IntArrayRef dilation, int64_t groups) {
  return conv2d(in[0], in[1], in.size() > 2 ? in[2] : Tensor(), stride, padding,
                dilation, groups);
}

} // namespace

// --- matrix products -------------------------------------------------------

TEST(GradLinalg, MmAndBmm) {
  manual_seed(1);
  EXPECT_TRUE(check({{3, 4}, {4, 2}},
                    [](const TensorList &x) { return mm(x[0], x[1]); }));
  EXPECT_TRUE(check({{2, 3, 4}, {2, 4, 5}},
                    [](const TensorList &x) { return bmm(x[0], x[1]); }));
  // Transposed (non-contiguous) leaves.
  Tensor a = randn({4, 3}, dtype(kFloat64)).t().requires_grad_();
  Tensor b = randn({2, 5, 4}, dtype(kFloat64)).transpose(1, 2).requires_grad_();
  Tensor c = randn({2, 3, 4}, dtype(kFloat64)).requires_grad_();
  EXPECT_FALSE(a.is_contiguous());
  EXPECT_TRUE(gradcheck([](const TensorList &x) { return mm(x[0], x[1]); },
                        {a, randn({4, 2}, dtype(kFloat64)).requires_grad_()}));
  EXPECT_TRUE(
      gradcheck([](const TensorList &x) { return bmm(x[0], x[1]); }, {c, b}));
  EXPECT_EQ(mm(a, a.t()).grad_fn()->name(), "MmBackward0");
}

TEST(GradLinalg, MatmulShapeCases) {
  manual_seed(2);
  const std::vector<std::pair<std::vector<int64_t>, std::vector<int64_t>>>
      cases = {{{5}, {5}},                // dot
               {{3, 5}, {5}},             // matrix @ vector
               {{5}, {5, 2}},             // vector @ matrix
               {{3, 4}, {4, 2}},          // matrices
               {{2, 3, 4}, {4, 2}},       // batch @ matrix (one folded GEMM)
               {{3, 4}, {2, 4, 2}},       // matrix @ batch
               {{4}, {2, 4, 3}},          // vector @ batch
               {{2, 3, 4}, {4}},          // batch @ vector
               {{2, 1, 3, 4}, {3, 4, 2}}, // broadcast batch dims
               {{1, 2, 4}, {2, 1, 4, 3}}};
  for (const auto &[sa, sb] : cases) {
    SCOPED_TRACE(::testing::Message()
                 << IntArrayRef(sa) << " @ " << IntArrayRef(sb));
    EXPECT_TRUE(check({sa, sb},
                      [](const TensorList &x) { return matmul(x[0], x[1]); }));
  }
}

TEST(GradLinalg, MatmulOneSideAndBroadcastShapes) {
  manual_seed(3);
  Tensor a = leaf({2, 1, 3, 4});
  Tensor b = randn({3, 4, 5}, dtype(kFloat64)); // no grad
  Tensor y = matmul(a, b);
  EXPECT_EQ(y.grad_fn()->name(), "MatmulBackward0");
  y.sum().backward();
  EXPECT_EQ(a.grad().sizes(), a.sizes());
  // d sum(a @ b) / d a = (row sums of b) broadcast, summed over the batch.
  Tensor want = b.sum({2}).sum({0}).unsqueeze(0).expand({3, 4});
  EXPECT_TRUE(allclose(a.grad()[0][0], want, 1e-12, 1e-12));
  Tensor v = leaf({4});
  matmul(v, b).sum().backward();
  EXPECT_EQ(v.grad().sizes(), IntArrayRef({4}));
  EXPECT_TRUE(allclose(v.grad(), b.sum({0, 2}), 1e-12, 1e-12));
}

// --- conv2d -----------------------------------------------------------------

TEST(GradLinalg, Conv2dModes) {
  manual_seed(4);
  struct Case {
    const char *name;
    std::vector<int64_t> x, w;
    bool bias;
    std::vector<int64_t> stride, padding, dilation;
    int64_t groups;
  };
  const std::vector<Case> cases = {
      {"basic+bias",
       {2, 2, 5, 4},
       {3, 2, 3, 2},
       true,
       {1, 1},
       {0, 0},
       {1, 1},
       1},
      {"stride", {1, 2, 6, 5}, {2, 2, 3, 3}, true, {2, 2}, {0, 0}, {1, 1}, 1},
      {"padding", {1, 2, 4, 4}, {2, 2, 3, 3}, false, {1, 1}, {1, 2}, {1, 1}, 1},
      {"stride+padding",
       {2, 1, 5, 6},
       {2, 1, 3, 3},
       true,
       {2, 3},
       {1, 1},
       {1, 1},
       1},
      {"dilation",
       {1, 2, 7, 6},
       {2, 2, 2, 3},
       false,
       {1, 1},
       {1, 0},
       {2, 2},
       1},
      {"groups", {1, 4, 4, 4}, {4, 2, 2, 2}, true, {1, 1}, {1, 1}, {1, 1}, 2},
      {"depthwise",
       {1, 3, 4, 4},
       {3, 1, 3, 3},
       false,
       {2, 1},
       {1, 1},
       {1, 1},
       3},
      {"1x1", {2, 3, 3, 2}, {2, 3, 1, 1}, true, {1, 1}, {0, 0}, {1, 1}, 1},
      {"1x1 stride",
       {1, 2, 4, 3},
       {2, 2, 1, 1},
       false,
       {2, 2},
       {0, 0},
       {1, 1},
       1},
      {"unbatched", {2, 5, 4}, {3, 2, 2, 2}, true, {2, 1}, {1, 0}, {1, 1}, 1},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::vector<int64_t>> shapes = {c.x, c.w};
    if (c.bias)
      shapes.push_back({c.w[0]});
    EXPECT_TRUE(check(shapes, [&](const TensorList &in) {
      return conv(in, c.stride, c.padding, c.dilation, c.groups);
    }));
  }
}

TEST(GradLinalg, Conv2dPartialAndNonContiguous) {
  manual_seed(5);
  // Only the weight requires grad; the input is a transposed view.
  Tensor x = randn({1, 2, 5, 4}, dtype(kFloat64)).transpose(2, 3);
  Tensor w =
      randn({3, 2, 2, 2}, dtype(kFloat64)).transpose(2, 3).requires_grad_();
  EXPECT_TRUE(gradcheck(
      [&](const TensorList &in) { return conv2d(x, in[0], {}, 1, 1); }, {w}));
  // Only the input and the bias.
  Tensor w2 = randn({3, 2, 2, 2}, dtype(kFloat64));
  EXPECT_TRUE(gradcheck(
      [&](const TensorList &in) { return conv2d(in[0], w2, in[1], 2, 1); },
      {leaf({1, 2, 5, 5}), leaf({3})}));
  Tensor y = conv2d(leaf({1, 2, 4, 4}), w2);
  EXPECT_EQ(y.grad_fn()->name(), "Conv2dBackward0");
}

// Double backward: the conv2d gradient ops are differentiable themselves.
TEST(GradLinalg, Conv2dDoubleBackward) {
  manual_seed(6);
  // gradcheck's finite differences run under NoGradGuard; these functions
  // need the graph for their inner gradient.
  auto grads = [](const TensorList &in) {
    AutoGradMode on(true);
    Tensor y = conv2d(in[0], in[1], {}, 2, 1, 1, 1);
    Tensor loss = (y * y).sum();
    return autograd::grad({loss}, {in[0], in[1]}, {}, true,
                          /*create_graph=*/true);
  };
  EXPECT_TRUE(gradcheck(std::function<TensorList(const TensorList &)>(grads),
                        {leaf({1, 2, 5, 4}), leaf({2, 2, 3, 2})}));
  auto grouped = [](const TensorList &in) {
    AutoGradMode on(true);
    Tensor y = conv2d(in[0], in[1], {}, 1, 0, 2, 2);
    return autograd::grad({(y * y).sum()}, {in[0], in[1]}, {}, true, true);
  };
  EXPECT_TRUE(gradcheck(std::function<TensorList(const TensorList &)>(grouped),
                        {leaf({1, 4, 5, 5}), leaf({2, 2, 2, 2})}));
}

// --- pools ------------------------------------------------------------------

namespace {
// max_pool2d's window modes, shared by its first and second derivatives.
struct PoolCase {
  const char *name;
  std::vector<int64_t> x, k, s, p, d;
  bool ceil;
};
const std::vector<PoolCase> &max_pool_cases() {
  static const std::vector<PoolCase> cases = {
      {"k2", {1, 2, 4, 4}, {2, 2}, {}, {0, 0}, {1, 1}, false},
      {"k3 s2 p1", {2, 1, 5, 6}, {3, 3}, {2, 2}, {1, 1}, {1, 1}, false},
      {"overlap", {1, 2, 4, 5}, {3, 2}, {1, 1}, {1, 1}, {1, 1}, false},
      {"ceil", {1, 2, 5, 5}, {2, 2}, {2, 2}, {0, 0}, {1, 1}, true},
      {"ceil pad", {1, 1, 6, 7}, {3, 3}, {2, 2}, {1, 1}, {1, 1}, true},
      {"dilation", {1, 1, 7, 6}, {2, 3}, {1, 2}, {1, 1}, {2, 2}, false},
      {"unbatched", {2, 5, 4}, {2, 2}, {1, 2}, {1, 0}, {1, 1}, true},
  };
  return cases;
}
} // namespace

TEST(GradLinalg, MaxPool2dModes) {
  manual_seed(7);
  for (const PoolCase &c : max_pool_cases()) {
    SCOPED_TRACE(c.name);
    EXPECT_TRUE(check({c.x}, [&](const TensorList &in) {
      return max_pool2d(in[0], c.k, c.s, c.p, c.d, c.ceil);
    }));
  }
}

TEST(GradLinalg, MaxPool2dTiesGoToTheFirstMaximum) {
  // Every element equal: each window's gradient goes to its first position.
  Tensor x = ones({1, 1, 3, 3}, dtype(kFloat64)).requires_grad_();
  max_pool2d(x, {2, 2}, {1, 1}).sum().backward();
  Tensor want = tensor(std::vector<double>{1, 1, 0, 1, 1, 0, 0, 0, 0})
                    .reshape({1, 1, 3, 3});
  EXPECT_TRUE(ember::testing::tensors_equal(x.grad(), want));
}

TEST(GradLinalg, AvgPool2dModes) {
  manual_seed(8);
  struct Case {
    const char *name;
    std::vector<int64_t> x, k, s, p;
    bool ceil, include_pad;
  };
  const std::vector<Case> cases = {
      {"k2", {1, 2, 4, 4}, {2, 2}, {}, {0, 0}, false, true},
      {"pad", {2, 1, 5, 4}, {3, 3}, {2, 1}, {1, 1}, false, true},
      {"pad exclude", {1, 2, 5, 4}, {3, 3}, {2, 1}, {1, 1}, false, false},
      {"ceil", {1, 1, 5, 5}, {2, 2}, {2, 2}, {0, 0}, true, true},
      {"ceil pad", {1, 1, 6, 5}, {3, 2}, {2, 2}, {1, 1}, true, true},
      {"ceil pad exclude", {1, 1, 6, 5}, {3, 2}, {2, 2}, {1, 1}, true, false},
      {"unbatched", {2, 4, 5}, {2, 3}, {1, 2}, {1, 1}, false, false},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_TRUE(check({c.x}, [&](const TensorList &in) {
      return avg_pool2d(in[0], c.k, c.s, c.p, c.ceil, c.include_pad);
    }));
  }
}

TEST(GradLinalg, PoolDoubleBackward) {
  manual_seed(9);
  auto avg = [](const TensorList &in) {
    AutoGradMode on(true);
    Tensor y = avg_pool2d(in[0] * in[0], {3, 3}, {2, 2}, {1, 1}, true, false);
    return autograd::grad({(y * y).sum()}, {in[0]}, {}, true, true)[0];
  };
  EXPECT_TRUE(gradcheck(std::function<Tensor(const TensorList &)>(avg),
                        {leaf({1, 1, 5, 4})}));
}

// max_pool2d's double backward: max_pool2d_backward is linear in
// grad_output (its rule gathers the double gradient at each window's
// argmax) and piecewise constant in the input, in every window mode.
TEST(GradLinalg, MaxPool2dDoubleBackward) {
  manual_seed(10);
  for (const PoolCase &c : max_pool_cases()) {
    SCOPED_TRACE(c.name);
    // The gradient op alone, with respect to grad_output (x fixed).
    Tensor x = randn(c.x, dtype(kFloat64));
    Tensor go = leaf(max_pool2d(x, c.k, c.s, c.p, c.d, c.ceil).sizes());
    auto op = [&](const TensorList &in) {
      return max_pool2d_backward(in[0], x, c.k, c.s, c.p, c.d, c.ceil);
    };
    EXPECT_TRUE(gradcheck(std::function<Tensor(const TensorList &)>(op), {go}));
    // Through the whole double backward of a loss.
    auto grads = [&](const TensorList &in) {
      AutoGradMode on(true);
      Tensor y = max_pool2d(in[0], c.k, c.s, c.p, c.d, c.ceil);
      return autograd::grad({(y * y * y).sum()}, {in[0]}, {}, true, true)[0];
    };
    EXPECT_TRUE(gradcheck(std::function<Tensor(const TensorList &)>(grads),
                          {leaf(c.x)}));
  }
  // No gradient flows to the input operand of max_pool2d_backward (the
  // engine reports it as zeros or undefined).
  Tensor x = leaf({1, 1, 4, 4}), go = leaf({1, 1, 2, 2});
  Tensor gi = max_pool2d_backward(go, x, {2, 2}, {}, {0}, {1}, false);
  auto g = autograd::grad({(gi * gi).sum()}, {go, x}, {}, true, false, true);
  EXPECT_TRUE(ember::testing::allclose(g[0], 2 * go, 0, 0));
  EXPECT_TRUE(!g[1].defined() ||
              ember::testing::tensors_equal(g[1], zeros_like(x)));
}

// --- PyTorch goldens (float32) -----------------------------------------------

namespace {

const char *kTopic = "grad_linalg";

Tensor load(const std::string &name) {
  return golden(kTopic, name).requires_grad_();
}

// Runs f on the case's inputs, backward with its saved gradient, and
// compares every input's gradient with PyTorch's.
void expect_golden_grads(const std::string &c,
                         const std::vector<std::string> &names,
                         const std::function<Tensor(const TensorList &)> &f) {
  SCOPED_TRACE(c);
  TensorList in;
  for (const auto &n : names)
    in.push_back(load(c + "_" + n));
  Tensor y = f(in);
  y.backward(golden(kTopic, c + "_gout"));
  for (size_t i = 0; i < names.size(); ++i) {
    SCOPED_TRACE(names[i]);
    EXPECT_TRUE(allclose(in[i].grad(), golden(kTopic, c + "_g" + names[i]),
                         1e-5, 1e-6));
  }
}

} // namespace

TEST(GradLinalg, Conv2dGoldens) {
  expect_golden_grads("conv_basic", {"x", "w", "b"}, [](const TensorList &in) {
    return conv2d(in[0], in[1], in[2]);
  });
  expect_golden_grads(
      "conv_stride_pad", {"x", "w", "b"},
      [](const TensorList &in) { return conv2d(in[0], in[1], in[2], 2, 1); });
  expect_golden_grads("conv_dilation", {"x", "w"}, [](const TensorList &in) {
    return conv2d(in[0], in[1], {}, 1, {2, 1}, {2, 3});
  });
  expect_golden_grads("conv_groups", {"x", "w", "b"}, [](const TensorList &in) {
    return conv2d(in[0], in[1], in[2], {1, 2}, 1, 1, 2);
  });
  expect_golden_grads("conv_1x1", {"x", "w", "b"}, [](const TensorList &in) {
    return conv2d(in[0], in[1], in[2]);
  });
  expect_golden_grads(
      "conv_unbatched", {"x", "w", "b"},
      [](const TensorList &in) { return conv2d(in[0], in[1], in[2], 2, 1); });
}

TEST(GradLinalg, PoolGoldens) {
  auto maxp = [](IntArrayRef k, IntArrayRef s, IntArrayRef p, IntArrayRef d,
                 bool ceil) {
    std::vector<int64_t> kv = k.vec(), sv = s.vec(), pv = p.vec(), dv = d.vec();
    return [=](const TensorList &in) {
      return max_pool2d(in[0], kv, sv, pv, dv, ceil);
    };
  };
  expect_golden_grads("max_k2", {"x"}, maxp({2}, {}, {0}, {1}, false));
  expect_golden_grads("max_k3s2p1", {"x"}, maxp({3}, {2}, {1}, {1}, false));
  expect_golden_grads("max_ceil", {"x"}, maxp({3}, {2}, {0}, {1}, true));
  expect_golden_grads("max_dilation", {"x"},
                      maxp({3, 2}, {1}, {1}, {2, 3}, false));
  expect_golden_grads("max_ties", {"x"}, maxp({3}, {1}, {1}, {1}, false));
  auto avgp = [](IntArrayRef k, IntArrayRef s, IntArrayRef p, bool ceil,
                 bool include_pad) {
    std::vector<int64_t> kv = k.vec(), sv = s.vec(), pv = p.vec();
    return [=](const TensorList &in) {
      return avg_pool2d(in[0], kv, sv, pv, ceil, include_pad);
    };
  };
  expect_golden_grads("avg_k2", {"x"}, avgp({2}, {}, {0}, false, true));
  expect_golden_grads("avg_pad", {"x"}, avgp({3}, {2}, {1}, false, true));
  expect_golden_grads("avg_pad_excl", {"x"}, avgp({3}, {2}, {1}, false, false));
  expect_golden_grads("avg_ceil", {"x"}, avgp({3}, {2}, {1}, true, true));
  expect_golden_grads("avg_ceil_excl", {"x"},
                      avgp({3, 2}, {2, 3}, {1, 1}, true, false));
}

TEST(GradLinalg, MatmulGoldens) {
  auto mmf = [](const TensorList &in) { return mm(in[0], in[1]); };
  auto bmmf = [](const TensorList &in) { return bmm(in[0], in[1]); };
  auto mat = [](const TensorList &in) { return matmul(in[0], in[1]); };
  expect_golden_grads("mm", {"a", "b"}, mmf);
  expect_golden_grads("bmm", {"a", "b"}, bmmf);
  for (const char *c :
       {"matmul_dot", "matmul_mv", "matmul_vm", "matmul_3d_2d", "matmul_2d_3d",
        "matmul_1d_3d", "matmul_3d_1d", "matmul_bcast", "matmul_bcast2"})
    expect_golden_grads(c, {"a", "b"}, mat);
}

// --- the gradient ops themselves ---------------------------------------------

TEST(GradLinalg, GradientOpErrors) {
  Tensor w = randn({3, 2, 3, 3});
  Tensor go = randn({1, 3, 4, 4});
  // The forward of a [1, 2, 6, 6] input gives [1, 3, 4, 4].
  EXPECT_EQ(
      conv2d_backward_input(go, w, {1, 2, 6, 6}, {1, 1}, {0, 0}, {1, 1}, 1)
          .sizes(),
      IntArrayRef({1, 2, 6, 6}));
  EXPECT_EMBER_ERROR(
      conv2d_backward_input(go, w, {1, 2, 7, 6}, {1, 1}, {0, 0}, {1, 1}, 1),
      "expected grad_output of shape [1, 3, 5, 4] (the forward's output "
      "shape), but got [1, 3, 4, 4]");
  EXPECT_EMBER_ERROR(conv2d_backward_input(go.to(kFloat64), w, {1, 2, 6, 6},
                                           {1, 1}, {0, 0}, {1, 1}, 1),
                     "expected grad_output and weight to have the same dtype");
  EXPECT_EMBER_ERROR(conv2d_backward_weight(go, randn({1, 3, 6, 6}),
                                            {3, 2, 3, 3}, {1, 1}, {0, 0},
                                            {1, 1}, 1),
                     "do not fit groups=1");
  EXPECT_NO_THROW(max_pool2d_backward(randn({1, 1, 2, 2}), randn({1, 1, 5, 5}),
                                      {2, 2}, {}, {0}, {1}, false));
  EXPECT_EMBER_ERROR(max_pool2d_backward(randn({1, 1, 3, 3}),
                                         randn({1, 1, 5, 5}), {2, 2}, {}, {0},
                                         {1}, false),
                     "expected grad_output of shape [1, 1, 2, 2]");
  EXPECT_EMBER_ERROR(avg_pool2d_backward(zeros({1, 1, 2, 2}, dtype(kInt64)),
                                         {1, 1, 4, 4}, {2, 2}, {}, {0}, false,
                                         true),
                     "expected a float32 or float64 grad_output");
}

TEST(GradLinalg, EmptyBatch) {
  Tensor x = zeros({0, 2, 4, 4}, dtype(kFloat64)).requires_grad_();
  Tensor w = ones({3, 2, 3, 3}, dtype(kFloat64)).requires_grad_();
  Tensor b = ones({3}, dtype(kFloat64)).requires_grad_();
  Tensor y = conv2d(x, w, b, 1, 1);
  (max_pool2d(y, {2, 2}).sum() + avg_pool2d(y, {2, 2}).sum()).backward();
  EXPECT_EQ(x.grad().sizes(), x.sizes());
  EXPECT_TRUE(ember::testing::tensors_equal(w.grad(), zeros_like(w)));
  EXPECT_TRUE(ember::testing::tensors_equal(b.grad(), zeros_like(b)));
}

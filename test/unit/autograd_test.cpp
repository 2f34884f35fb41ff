// The autograd engine: leaves and non-leaves, accumulation, retain_graph,
// hooks, grad mode, version counters, in-place ops on views, custom
// functions (XNOR-net's straight-through sign), gradcheck, and freeing.
#include "test_util.h"

using namespace ember;
using ember::testing::allclose;
using ember::testing::d;
using ember::testing::tensors_equal;

namespace {} // namespace

TEST(Autograd, LeavesGradsAndAccumulation) {
  Tensor x = d({1, 2, 3}).requires_grad_();
  EXPECT_TRUE(x.is_leaf());
  EXPECT_TRUE(x.requires_grad());
  EXPECT_FALSE(x.grad().defined());
  Tensor y = (x * x).sum();
  EXPECT_FALSE(y.is_leaf());
  EXPECT_EQ(y.grad_fn()->name(), "SumBackward0");
  y.backward();
  EXPECT_TRUE(tensors_equal(x.grad(), d({2, 4, 6})));
  (x * 3).sum().backward(); // accumulates
  EXPECT_TRUE(tensors_equal(x.grad(), d({5, 7, 9})));
  x.mutable_grad() = Tensor();
  EXPECT_FALSE(x.grad().defined());
}

TEST(Autograd, BackwardWithGradientAndErrors) {
  Tensor x = d({1, 2}).requires_grad_();
  Tensor y = x * 2;
  EXPECT_EMBER_ERROR(y.backward(),
                     "grad can be implicitly created only for scalar outputs");
  EXPECT_EMBER_ERROR(y.backward(d({1, 2, 3})), "mismatch in shape");
  y.backward(d({1, 10}));
  EXPECT_TRUE(tensors_equal(x.grad(), d({2, 20})));
  EXPECT_EMBER_ERROR(d({1}).backward(),
                     "does not require grad and does not have a grad_fn");
  EXPECT_EMBER_ERROR(
      ones({2}, dtype(kInt64)).requires_grad_(),
      "only tensors of floating point dtype can require gradients");
}

TEST(Autograd, RetainGraph) {
  Tensor x = d({2}).requires_grad_();
  Tensor y = x.exp(); // saves its output
  y.backward(Tensor(), /*retain_graph=*/true);
  y.backward();
  EXPECT_TRUE(allclose(x.grad(), d({2 * std::exp(2.0)}), 1e-12, 0));
  EXPECT_EMBER_ERROR(y.backward(), "backward through the graph a second time");
}

TEST(Autograd, NonLeafRetainGradAndHooks) {
  Tensor x = d({1, 2}).requires_grad_();
  Tensor h = x * 3;
  h.retain_grad();
  std::vector<double> seen;
  h.register_hook(
      [&](const Tensor &g) { seen.push_back(g.sum().item<double>()); });
  size_t id = x.register_hook([](const Tensor &g) { return g * 10; });
  (h * h).sum().backward();
  EXPECT_TRUE(tensors_equal(h.grad(), d({6, 12})));
  EXPECT_EQ(seen, std::vector<double>{18});
  EXPECT_TRUE(tensors_equal(x.grad(), d({180, 360})));
  x.remove_hook(id);
  x.mutable_grad() = Tensor();
  (x * 1).sum().backward();
  EXPECT_TRUE(tensors_equal(x.grad(), d({1, 1})));
}

TEST(Autograd, GradModeAndDetach) {
  Tensor x = d({1, 2}).requires_grad_();
  {
    NoGradGuard no_grad;
    Tensor y = x * 2;
    EXPECT_FALSE(y.requires_grad());
    EXPECT_EQ(y.grad_fn(), nullptr);
    EXPECT_FALSE(is_grad_enabled());
    x.mul_(1); // allowed: nothing is recorded
  }
  EXPECT_TRUE(is_grad_enabled());
  {
    AutoGradMode mode(false);
    EXPECT_FALSE((x + 1).requires_grad());
  }
  Tensor y = x.detach();
  EXPECT_FALSE(y.requires_grad());
  EXPECT_EQ(y.raw_data_ptr(), x.raw_data_ptr());
  Tensor z = (x * 2).detach() * x;
  z.sum().backward();
  EXPECT_TRUE(tensors_equal(x.grad(), d({2, 4})));
}

TEST(Autograd, FrozenInputsGetNoGradient) {
  Tensor w = d({1, 2}).requires_grad_();
  Tensor frozen = d({3, 4}); // requires_grad false
  (w * frozen).sum().backward();
  EXPECT_FALSE(frozen.grad().defined());
  EXPECT_TRUE(tensors_equal(w.grad(), d({3, 4})));
  Tensor a = d({1}), b = d({2});
  Tensor c = a * b;
  EXPECT_EQ(c.grad_fn(), nullptr); // nothing requires grad: no graph
}

TEST(Autograd, VersionCounterCatchesInPlaceOnSaved) {
  Tensor x = d({1, 2}).requires_grad_();
  Tensor y = x.exp();
  Tensor z = y * y;
  y.add_(1);
  EXPECT_EMBER_ERROR(
      z.backward(d({1, 1})),
      "modified by an inplace operation: [float64 tensor of shape [2]]");
  EXPECT_EMBER_ERROR(x.add_(1), "a leaf tensor that requires grad is being "
                                "used in an in-place operation");
}

TEST(Autograd, InPlaceRebasesHistory) {
  Tensor x = d({1, 2}).requires_grad_();
  Tensor y = x * 2;
  y.mul_(x); // y = 2x * x
  y.add_(1);
  y.sum().backward();
  EXPECT_TRUE(tensors_equal(x.grad(), d({4, 8})));
  EXPECT_EQ(y.grad_fn()->name(), "AddBackward0");
}

TEST(Autograd, InPlaceOnViewRewritesBase) {
  Tensor a = ones({2, 3}, dtype(kFloat64).requires_grad(true));
  Tensor b = a * 2;
  Tensor row = b.select(0, 1);
  row.mul_(3);
  EXPECT_EQ(b.grad_fn()->name(), "CopySlices");
  b.sum().backward();
  EXPECT_TRUE(tensors_equal(
      a.grad(), tensor({{2.0, 2.0, 2.0}, {6.0, 6.0, 6.0}}, dtype(kFloat64))));
  // Writing a value that requires grad into a view of a plain tensor.
  Tensor w = d({5, 7}).requires_grad_();
  Tensor buf = zeros({3}, dtype(kFloat64));
  buf.narrow(0, 1, 2).copy_(w * 2);
  EXPECT_TRUE(buf.requires_grad());
  (buf * d({1, 2, 3})).sum().backward();
  EXPECT_TRUE(tensors_equal(w.grad(), d({4, 6})));
}

TEST(Autograd, GradFunctionAndDoubleBackward) {
  Tensor x = d({2}).requires_grad_();
  Tensor y = x * x * x;
  TensorList g =
      autograd::grad({y}, {x}, {}, std::nullopt, /*create_graph=*/true);
  EXPECT_TRUE(allclose(g[0], d({12})));
  EXPECT_FALSE(x.grad().defined()); // grad() does not accumulate
  TensorList g2 = autograd::grad({g[0]}, {x});
  EXPECT_TRUE(allclose(g2[0], d({12}))); // d2/dx2 x^3 = 6x
  Tensor unused = d({1}).requires_grad_();
  EXPECT_EMBER_ERROR(autograd::grad({(x * 2).sum()}, {unused}),
                     "is not used in the graph");
}

TEST(Autograd, DynamicControlFlow) {
  Tensor x = d({0.5}).requires_grad_();
  Tensor y = x;
  int steps = 0;
  while (y.item<double>() < 10) { // data-dependent loop
    y = y * 2;
    ++steps;
  }
  y.backward();
  EXPECT_EQ(steps, 5);
  EXPECT_TRUE(tensors_equal(x.grad(), d({32})));
}

TEST(Autograd, GraphIsFreedWithItsTensors) {
  std::weak_ptr<autograd::Node> node;
  Tensor x = d({1, 2}).requires_grad_();
  {
    Tensor y = (x.exp() * 2).sum();
    node = y.grad_fn();
    EXPECT_FALSE(node.expired());
  }
  EXPECT_TRUE(node.expired());
}

namespace {
// XNOR-net's sign with a straight-through estimator.
struct XNorSign : autograd::Function<XNorSign> {
  static Tensor forward(autograd::AutogradContext *ctx, const Tensor &x) {
    ctx->save_for_backward({x});
    return x.sign();
  }
  static autograd::tensor_list backward(autograd::AutogradContext *ctx,
                                        autograd::tensor_list grads) {
    Tensor x = ctx->get_saved_variables()[0];
    return {grads[0] * (x.abs() <= 1)};
  }
};

struct ScaleBy : autograd::Function<ScaleBy> {
  static autograd::tensor_list forward(autograd::AutogradContext *ctx,
                                       const Tensor &x, double k) {
    ctx->saved_data["k"] = k;
    Tensor idx = x.argmax();
    ctx->mark_non_differentiable({idx});
    return {x * k, idx};
  }
  static autograd::tensor_list backward(autograd::AutogradContext *ctx,
                                        autograd::tensor_list grads) {
    EXPECT_TRUE(ctx->needs_input_grad(0));
    EXPECT_FALSE(ctx->needs_input_grad(1));
    return {grads[0] * ctx->saved_data["k"].toDouble(), Tensor()};
  }
};
} // namespace

TEST(CustomFunction, XNorSignStraightThrough) {
  Tensor x = d({-2, -0.5, 0.3, 1, 1.5}).requires_grad_();
  Tensor y = XNorSign::apply(x);
  EXPECT_TRUE(tensors_equal(y, d({-1, -1, 1, 1, 1})));
  EXPECT_EQ(y.grad_fn()->name(), "XNorSignBackward");
  (y * d({1, 2, 3, 4, 5})).sum().backward();
  EXPECT_TRUE(tensors_equal(x.grad(), d({0, 2, 3, 4, 0})));
}

TEST(CustomFunction, SavedDataAndNonDifferentiableOutputs) {
  Tensor x = d({1, 3, 2}).requires_grad_();
  TensorList out = ScaleBy::apply(x, 2.5);
  EXPECT_TRUE(out[0].requires_grad());
  EXPECT_FALSE(out[1].requires_grad());
  EXPECT_EQ(out[1].item<int64_t>(), 1);
  out[0].sum().backward();
  EXPECT_TRUE(tensors_equal(x.grad(), d({2.5, 2.5, 2.5})));
  NoGradGuard g;
  EXPECT_FALSE(XNorSign::apply(x).requires_grad());
}

TEST(Gradcheck, PassesAndCatchesWrongGradients) {
  Tensor a =
      tensor({{0.3, -1.2}, {2.0, 0.7}}, dtype(kFloat64)).requires_grad_();
  Tensor b = d({0.5, 1.5}).requires_grad_();
  EXPECT_TRUE(autograd::gradcheck(
      [](const TensorList &in) {
        return (in[0] * in[1]).tanh() + in[0].exp() / in[1];
      },
      {a, b}));
  struct Wrong : autograd::Function<Wrong> {
    static Tensor forward(autograd::AutogradContext *, const Tensor &x) {
      return x * x;
    }
    static autograd::tensor_list backward(autograd::AutogradContext *,
                                          autograd::tensor_list g) {
      return {g[0]}; // should be 2x * g
    }
  };
  EXPECT_EMBER_ERROR(
      autograd::gradcheck(
          [](const TensorList &in) { return Wrong::apply(in[0]); }, {b}),
      "Jacobian mismatch");
  autograd::GradcheckOptions quiet;
  quiet.raise_exception = false;
  EXPECT_FALSE(autograd::gradcheck(
      [](const TensorList &in) { return Wrong::apply(in[0]); }, {b}, quiet));
}

TEST(Autograd, InPlaceWithItselfAsOperand) {
  std::weak_ptr<autograd::Node> node;
  Tensor x = d({1.5, -2}).requires_grad_();
  {
    Tensor y = x * 1;
    y.mul_(y); // y = x^2: the node must not keep itself alive
    node = y.grad_fn();
    y.sum().backward();
  }
  EXPECT_TRUE(node.expired());
  EXPECT_TRUE(tensors_equal(x.grad(), d({3, -4})));
}

TEST(Autograd, InPlaceThroughReshapeViewRewritesBase) {
  Tensor x = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, dtype(kFloat64))
                 .requires_grad_();
  Tensor y = x * 1;
  y.reshape({6}).mul_(2); // reshape of a contiguous tensor is a view
  (y * y).sum().backward();
  EXPECT_TRUE(tensors_equal(x.grad(), x.detach() * 8));
}

TEST(Autograd, GradientArgumentTakesTheOutputDtype) {
  Tensor x = d({1, 2}).requires_grad_();
  Tensor y = x * 3;
  y.backward(tensor({1.0f, 1.0f})); // float32 gradient for a float64 output
  EXPECT_TRUE(tensors_equal(x.grad(), d({3, 3})));
}

TEST(Gradcheck, OutputsThatAreViewsOfTheInput) {
  Tensor a = tensor({{0.5, 1.5}, {2.5, 3.5}}, dtype(kFloat64)).requires_grad_();
  EXPECT_TRUE(autograd::gradcheck(
      [](const TensorList &in) { return in[0].flatten(); }, {a}));
}

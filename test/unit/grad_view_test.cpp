// Gradients of the view ops: gradcheck (float64 finite differences) with
// negative dims and non-contiguous inputs, chains of views, in-place writes
// through views of non-leaves, and views whose input is modified in place
// after the view was taken.
#include "test_util.h"

using namespace ember;
using ember::testing::allclose;
using ember::testing::d;
using ember::testing::leaf;
using ember::testing::tensors_equal;

namespace {

using Fn = std::function<Tensor(const TensorList &)>;

// A non-contiguous float64 leaf of the given shape: the transpose of a
// contiguous tensor, or where dims 0 and 1 are not both > 1, every other
// element along the first dim of size > 1.
Tensor leaf_t(IntArrayRef shape) {
  DimVector s(shape.begin(), shape.end());
  Tensor t;
  if (s.size() >= 2 && s[0] > 1 && s[1] > 1) {
    std::swap(s[0], s[1]);
    t = randn(s, dtype(kFloat64)).transpose(0, 1);
  } else {
    size_t d = 0;
    while (d + 1 < s.size() && s[d] == 1)
      ++d;
    s[d] *= 2;
    t = randn(s, dtype(kFloat64))
            .slice(static_cast<int64_t>(d), 0, std::nullopt, 2);
  }
  EXPECT_FALSE(t.is_contiguous()) << t.sizes();
  return t.detach().requires_grad_();
}

::testing::AssertionResult check(const Fn &fn, const TensorList &inputs) {
  try {
    autograd::gradcheck(fn, inputs);
  } catch (const Error &e) {
    return ::testing::AssertionFailure() << e.what();
  }
  return ::testing::AssertionSuccess();
}

// Every view below is followed by a multiplication with distinct weights,
// so a gradient sent to the wrong element is caught even where a view
// of ones would look right.
Tensor weigh(const Tensor &t) {
  Tensor w = arange(t.numel(), dtype(kFloat64)).reshape(t.sizes()) * 0.37 + 1;
  return t * w;
}

// The same gradcheck on a contiguous and on a non-contiguous input.
void check_both(const char *what, IntArrayRef shape,
                const std::function<Tensor(const Tensor &)> &view) {
  for (const Tensor &x : {leaf(shape), leaf_t(shape)})
    EXPECT_TRUE(
        check([&](const TensorList &in) { return weigh(view(in[0])); }, {x}))
        << what << (x.is_contiguous() ? "" : " (non-contiguous input)");
}

} // namespace

TEST(GradView, ViewAndReshape) {
  manual_seed(1);
  check_both("view", {2, 3, 4}, [](const Tensor &x) {
    return x.contiguous().view({4, -1});
  });
  check_both("view 1d", {3, 4},
             [](const Tensor &x) { return x.contiguous().view({12}); });
  // The non-contiguous input makes reshape copy.
  check_both("reshape", {2, 3, 4}, [](const Tensor &x) {
    return x.reshape({6, 4});
  });
  check_both("reshape -1", {2, 3, 4}, [](const Tensor &x) {
    return x.reshape({-1, 2, 3});
  });
  // A view of a transposed leaf that is still a view ([3,2] -> [3,2,1]).
  Tensor xt = leaf_t({3, 2});
  EXPECT_TRUE(check(
      [](const TensorList &in) {
        return weigh(in[0].view({3, 2, 1}));
      },
      {xt}));
  Tensor s = randn({}, dtype(kFloat64)).requires_grad_();
  EXPECT_TRUE(check(
      [](const TensorList &in) {
        return weigh(in[0].reshape({1, 1}));
      },
      {s}));
}

TEST(GradView, PermuteTranspose) {
  manual_seed(2);
  check_both("permute", {2, 3, 4}, [](const Tensor &x) {
    return x.permute({2, 0, 1});
  });
  check_both("permute negative", {2, 3, 4}, [](const Tensor &x) {
    return x.permute({-1, -3, 1});
  });
  check_both("transpose", {2, 3, 4},
             [](const Tensor &x) { return x.transpose(0, 2); });
  check_both("transpose negative", {2, 3, 4},
             [](const Tensor &x) { return x.transpose(-1, 1); });
  check_both("t", {3, 4}, [](const Tensor &x) { return x.t(); });
}

TEST(GradView, ExpandSumsBack) {
  manual_seed(3);
  check_both("expand", {3, 1}, [](const Tensor &x) {
    return x.expand({2, 3, 4});
  });
  check_both("expand -1", {1, 4}, [](const Tensor &x) {
    return x.expand({3, -1});
  });
  Tensor v = leaf({4});
  EXPECT_TRUE(check(
      [](const TensorList &in) {
        return weigh(in[0].expand({2, 3, 4}));
      },
      {v}));
  Tensor s = randn({}, dtype(kFloat64)).requires_grad_();
  EXPECT_TRUE(check(
      [](const TensorList &in) {
        return weigh(in[0].expand({2, 2}));
      },
      {s}));
  // By value: a [3,1] expanded to [2,3,4] gets 8 per element.
  Tensor x = zeros({3, 1}, dtype(kFloat64)).requires_grad_();
  x.expand({2, 3, 4}).sum().backward();
  EXPECT_TRUE(tensors_equal(x.grad(), full({3, 1}, 8.0, dtype(kFloat64))));
}

TEST(GradView, SqueezeUnsqueezeFlatten) {
  manual_seed(4);
  check_both("squeeze", {1, 3, 1, 2},
             [](const Tensor &x) { return x.squeeze(); });
  check_both("squeeze dim", {3, 1, 2},
             [](const Tensor &x) { return x.squeeze(1); });
  check_both("squeeze negative dim", {2, 3, 1},
             [](const Tensor &x) { return x.squeeze(-1); });
  check_both("squeeze non-1 dim", {2, 3},
             [](const Tensor &x) { return x.squeeze(0); });
  check_both("unsqueeze", {2, 3},
             [](const Tensor &x) { return x.unsqueeze(1); });
  check_both("unsqueeze negative", {2, 3},
             [](const Tensor &x) { return x.unsqueeze(-1); });
  check_both("unsqueeze front", {2, 3},
             [](const Tensor &x) { return x.unsqueeze(-3); });
  check_both("flatten", {2, 3, 4}, [](const Tensor &x) { return x.flatten(); });
  check_both("flatten 1..2", {2, 3, 4},
             [](const Tensor &x) { return x.flatten(1, -1); });
  check_both("flatten 0..1", {2, 3, 4},
             [](const Tensor &x) { return x.flatten(0, 1); });
  Tensor s = randn({}, dtype(kFloat64)).requires_grad_();
  EXPECT_TRUE(
      check([](const TensorList &in) { return weigh(in[0].flatten()); }, {s}));
  EXPECT_TRUE(check(
      [](const TensorList &in) { return weigh(in[0].unsqueeze(0)); }, {s}));
}

TEST(GradView, NarrowSliceSelect) {
  manual_seed(5);
  check_both("narrow", {4, 5},
             [](const Tensor &x) { return x.narrow(1, 1, 3); });
  check_both("narrow negative", {4, 5},
             [](const Tensor &x) { return x.narrow(-2, -3, 2); });
  check_both("slice step", {5, 4},
             [](const Tensor &x) { return x.slice(0, 1, std::nullopt, 2); });
  check_both("slice step 3", {4, 7},
             [](const Tensor &x) { return x.slice(-1, std::nullopt, 6, 3); });
  check_both("slice negative bounds", {6, 3},
             [](const Tensor &x) { return x.slice(0, -4, -1); });
  check_both("slice clamped", {3, 4},
             [](const Tensor &x) { return x.slice(1, 2, 100); });
  check_both("select", {3, 4}, [](const Tensor &x) { return x.select(1, 2); });
  check_both("select negative", {3, 4},
             [](const Tensor &x) { return x.select(-2, -1); });
  check_both("index", {3, 4}, [](const Tensor &x) { return x[1]; });
  // An empty slice gets nothing.
  Tensor x = leaf({3, 2});
  x.slice(0, 2, 1).sum().backward();
  EXPECT_TRUE(tensors_equal(x.grad(), zeros({3, 2}, dtype(kFloat64))));
}

TEST(GradView, AsStrided) {
  manual_seed(6);
  Tensor x = leaf({3, 4});
  EXPECT_TRUE(check(
      [](const TensorList &in) {
        return weigh(in[0].as_strided({2, 2}, {4, 2}, 1));
      },
      {x}));
  EXPECT_TRUE(check(
      [](const TensorList &in) {
        return weigh(in[0].as_strided({4, 3}, {1, 4}));
      },
      {x}));
  // Through a non-contiguous leaf (the strides refer to its storage).
  Tensor xt = leaf_t({4, 3});
  EXPECT_TRUE(check(
      [](const TensorList &in) {
        return weigh(in[0].as_strided({3, 2}, {1, 3}, 3));
      },
      {xt}));
  // The input itself sits at an offset in a larger storage.
  Tensor base = randn({20}, dtype(kFloat64));
  Tensor part = base.narrow(0, 5, 12).detach().requires_grad_();
  EXPECT_TRUE(check(
      [](const TensorList &in) {
        return weigh(in[0].as_strided({3, 3}, {4, 1}, 6));
      },
      {part}));
  // An output that overlaps itself: the gradients of aliased elements add.
  EXPECT_TRUE(check(
      [](const TensorList &in) {
        return weigh(in[0].as_strided({3, 3}, {2, 1}, 0));
      },
      {x}));
  EXPECT_TRUE(check(
      [](const TensorList &in) {
        return weigh(in[0].as_strided({2, 4}, {0, 3}, 2));
      },
      {x}));
  // Only the covered elements get a gradient.
  Tensor y = zeros({2, 3}, dtype(kFloat64)).requires_grad_();
  y.as_strided({2}, {3}, 1).sum().backward();
  EXPECT_TRUE(tensors_equal(
      y.grad(), tensor({{0.0, 1.0, 0.0}, {0.0, 1.0, 0.0}}, dtype(kFloat64))));
  // An overlapping input (an expanded tensor) splits the storage gradient
  // evenly between its aliases, as PyTorch does.
  Tensor v = d({1.0, 2.0}).requires_grad_();
  Tensor e = v.unsqueeze(0).expand({3, 2});
  (e.as_strided({2}, {1}, 0) * d({3.0, 5.0})).sum().backward();
  EXPECT_TRUE(tensors_equal(v.grad(), d({3.0, 5.0})));
}

TEST(GradView, Chains) {
  manual_seed(7);
  check_both("chain", {2, 3, 4}, [](const Tensor &x) {
    return x.transpose(0, 1)
        .reshape({3, 8})
        .slice(1, 1, std::nullopt, 2)
        .unsqueeze(0)
        .expand({2, 3, 4})
        .select(2, 1);
  });
  check_both("chain 2", {4, 6}, [](const Tensor &x) {
    return x.narrow(0, 1, 2).t().flatten().view({3, 4}).squeeze();
  });
}

TEST(GradView, InPlaceThroughViewOfNonLeaf) {
  manual_seed(8);
  Tensor x = leaf({3, 4});
  Tensor w = leaf({4});
  EXPECT_TRUE(check(
      [](const TensorList &in) {
        Tensor y = in[0] * 1.5;
        y.select(0, 1).mul_(in[1]);
        y.narrow(1, 0, 2).add_(in[0].slice(1, 2, 4));
        return weigh(y);
      },
      {x, w}));
}

TEST(GradView, InputModifiedAfterTheView) {
  // View rules read no saved input, so modifying the input in place after
  // taking the view leaves the view's backward valid (as in PyTorch).
  Tensor x = leaf({2, 3});
  Tensor y = x * 2;
  Tensor v = y.transpose(0, 1).reshape({6}).narrow(0, 1, 4);
  Tensor loss = (v * v.detach()).sum();
  y.add_(1);
  loss.backward();
  Tensor want = zeros({6}, dtype(kFloat64));
  want.narrow(0, 1, 4).copy_(v.detach() * 2);
  EXPECT_TRUE(allclose(x.grad(), want.reshape({3, 2}).t(), 1e-12, 0));
}

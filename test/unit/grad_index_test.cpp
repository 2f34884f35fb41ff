// Gradients of cat, stack, gather, scatter_add, index_select, advanced
// indexing (index_tensor) and index_put_: gradcheck (float64 finite
// differences) with duplicate indices, masks, broadcast index tensors and
// values, plus the dtype and shape of the gradients in the edge cases.
#include "test_util.h"

using namespace ember;
using autograd::gradcheck;
using ember::testing::leaf;
using ember::testing::tensors_equal;

namespace {

Tensor ints(std::vector<int64_t> v, IntArrayRef shape = {}) {
  Tensor t = tensor(v);
  return shape.empty() ? t : t.reshape(shape);
}

Tensor bools(std::vector<int64_t> v, IntArrayRef shape) {
  return tensor(v).reshape(shape).to(kBool);
}

using Fn = std::function<Tensor(const TensorList &)>;
using Indices = std::vector<std::optional<Tensor>>;

} // namespace

TEST(GradIndex, Cat) {
  manual_seed(1);
  for (int64_t dim : {0, 1, -1}) {
    SCOPED_TRACE(dim);
    DimVector sa{2, 3}, sb{2, 3};
    sa[dim < 0 ? 1 : dim] = 1;
    sb[dim < 0 ? 1 : dim] = 4;
    EXPECT_TRUE(gradcheck(
        [dim](const TensorList &in) {
          return cat({in[0], in[1], in[2]}, dim);
        },
        {leaf(sa), leaf({2, 3}), leaf(sb)}));
  }
  // A legacy [0] tensor in the list and an input that needs no grad.
  Tensor fixed = randn({1, 3}, dtype(kFloat64));
  EXPECT_TRUE(gradcheck(
      [&](const TensorList &in) {
        return cat({in[0], empty({0}, dtype(kFloat64)), fixed, in[1]}, 0);
      },
      {leaf({2, 3}), leaf({1, 3})}));
  Tensor e = zeros({0}, dtype(kFloat64)).requires_grad_();
  Tensor a = leaf({2, 2});
  cat({e, a}, 1).sum().backward();
  EXPECT_EQ(e.grad().sizes(), IntArrayRef({0}));
  EXPECT_TRUE(tensors_equal(a.grad(), ones({2, 2}, dtype(kFloat64))));
}

TEST(GradIndex, CatPromotesAndGradientsKeepTheirDtype) {
  Tensor a = ones({2}, dtype(kFloat32)).requires_grad_();
  Tensor b = ones({3}, dtype(kFloat64)).requires_grad_();
  Tensor y = cat({a, b});
  EXPECT_EQ(y.dtype(), kFloat64);
  EXPECT_EQ(y.grad_fn()->name(), "CatBackward0");
  (y * arange(5, dtype(kFloat64))).sum().backward();
  EXPECT_EQ(a.grad().dtype(), kFloat32);
  EXPECT_TRUE(tensors_equal(a.grad(), tensor(std::vector<float>{0, 1})));
  EXPECT_TRUE(tensors_equal(b.grad(), tensor(std::vector<double>{2, 3, 4})));
}

TEST(GradIndex, Stack) {
  manual_seed(2);
  for (int64_t dim : {0, 1, 2, -1}) {
    SCOPED_TRACE(dim);
    EXPECT_TRUE(gradcheck(
        [dim](const TensorList &in) {
          return stack({in[0], in[1], in[2]}, dim);
        },
        {leaf({2, 3}), leaf({2, 3}), leaf({2, 3})}));
  }
}

TEST(GradIndex, Gather) {
  manual_seed(3);
  // Duplicates along the gathered dim sum in the gradient.
  Tensor i0 = ints({0, 2, 2, 1, 0, 0}, {2, 3});
  EXPECT_TRUE(
      gradcheck([&](const TensorList &in) { return in[0].gather(0, i0); },
                {leaf({3, 4})}));
  Tensor i1 = ints({3, 3, 0, 1, 1, 1}, {3, 2});
  EXPECT_TRUE(
      gradcheck([&](const TensorList &in) { return gather(in[0], 1, i1); },
                {leaf({3, 4})}));
  Tensor x = zeros({4}, dtype(kFloat64)).requires_grad_();
  gather(x, 0, ints({1, 1, 3})).sum().backward();
  EXPECT_TRUE(tensors_equal(x.grad(), tensor(std::vector<double>{0, 2, 0, 1})));
}

TEST(GradIndex, ScatterAdd) {
  manual_seed(4);
  Tensor idx = ints({0, 2, 2, 1, 0, 0}, {2, 3});
  EXPECT_TRUE(gradcheck(
      [&](const TensorList &in) { return in[0].scatter_add(0, idx, in[1]); },
      {leaf({3, 3}), leaf({2, 3})}));
  // src larger than index: its other elements get a zero gradient.
  EXPECT_TRUE(gradcheck(
      [&](const TensorList &in) { return scatter_add(in[0], 1, idx, in[1]); },
      {leaf({2, 4}), leaf({3, 5})}));
  Tensor self = randn({2, 4}, dtype(kFloat64));
  Tensor src = leaf({3, 5});
  scatter_add(self, 1, idx, src).sum().backward();
  Tensor want = zeros({3, 5}, dtype(kFloat64));
  want.narrow(0, 0, 2).narrow(1, 0, 3).fill_(1);
  EXPECT_TRUE(tensors_equal(src.grad(), want));
}

TEST(GradIndex, IndexSelect) {
  manual_seed(5);
  Tensor dup = ints({2, 0, 2, 2});
  for (int64_t dim : {0, 1, -1}) {
    SCOPED_TRACE(dim);
    EXPECT_TRUE(gradcheck(
        [&](const TensorList &in) { return in[0].index_select(dim, dup); },
        {leaf({3, 3})}));
  }
  // int32 and 0-dim indices, 0-dim input.
  EXPECT_TRUE(gradcheck(
      [&](const TensorList &in) {
        return index_select(in[0], 1, ints({1, 1}).to(kInt32));
      },
      {leaf({2, 3})}));
  EXPECT_TRUE(gradcheck(
      [&](const TensorList &in) {
        return index_select(in[0], 0, ints({2}, {1}).reshape({}));
      },
      {leaf({4, 2})}));
  Tensor s = leaf({});
  index_select(s, 0, ints({0})).sum().backward();
  EXPECT_EQ(s.grad().dim(), 0);
  EXPECT_EQ(s.grad().item<double>(), 1.0);
}

TEST(GradIndex, AdvancedIndexing) {
  manual_seed(6);
  struct Case {
    const char *name;
    std::vector<int64_t> shape;
    Indices idx;
  };
  const std::vector<Case> cases = {
      {"duplicates", {4, 3}, {ints({1, 3, 1, 1})}},
      {"negative", {4, 3}, {ints({-1, 0, -1})}},
      {"2-D index", {4, 3}, {ints({0, 1, 1, 3}, {2, 2})}},
      {"broadcast pair", {4, 3}, {ints({0, 2, 2}, {3, 1}), ints({1, 1})}},
      {"after a full dim", {2, 4, 3}, {std::nullopt, ints({3, 0, 3})}},
      {"non-adjacent",
       {3, 2, 4},
       {ints({0, 2, 0}), std::nullopt, ints({1, 1, 3})}},
      {"mask", {3, 4}, {bools({1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0}, {3, 4})}},
      {"row mask", {3, 4}, {bools({1, 0, 1}, {3})}},
      {"mask and index", {3, 4}, {bools({0, 1, 1}, {3}), ints({2, 2})}},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_TRUE(
        gradcheck([&](const TensorList &in) { return index(in[0], c.idx); },
                  {leaf(c.shape)}));
  }
  // Duplicates accumulate.
  Tensor x = zeros({3}, dtype(kFloat64)).requires_grad_();
  index(x, {ints({2, 2, 0, 2})}).sum().backward();
  EXPECT_TRUE(tensors_equal(x.grad(), tensor(std::vector<double>{1, 0, 3})));
  EXPECT_EQ(index(x, {ints({0})}).grad_fn()->name(), "IndexTensorBackward0");
}

TEST(GradIndex, IndexPut) {
  manual_seed(7);
  struct Case {
    const char *name;
    std::vector<int64_t> self, values;
    Indices idx;
    bool accumulate;
  };
  const std::vector<Case> cases = {
      {"put", {4, 3}, {2, 3}, {ints({3, 1})}, false},
      {"put broadcast values", {4, 3}, {3}, {ints({0, 2})}, false},
      {"put scalar value", {4, 3}, {}, {ints({1, 2}), ints({0, 2})}, false},
      {"put mask",
       {3, 4},
       {5},
       {bools({1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0}, {3, 4})},
       false},
      {"put after a full dim",
       {2, 4},
       {2, 1},
       {std::nullopt, ints({3})},
       false},
      {"accumulate duplicates", {4, 3}, {4, 3}, {ints({1, 1, 0, 1})}, true},
      {"accumulate broadcast", {4, 3}, {1, 3}, {ints({2, 2, 3})}, true},
      {"accumulate mask", {3, 4}, {}, {bools({1, 1, 0}, {3})}, true},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_TRUE(gradcheck(
        [&](const TensorList &in) {
          Tensor y = in[0].clone();
          index_put_(y, c.idx, in[1], c.accumulate);
          return y;
        },
        {leaf(c.self), leaf(c.values)}));
  }
  // self's gradient is zero where values were written (and kept whole when
  // accumulating); the written-over values do not matter.
  for (bool acc : {false, true}) {
    Tensor x = zeros({3}, dtype(kFloat64)).requires_grad_();
    Tensor v = ones({2}, dtype(kFloat64)).requires_grad_();
    Tensor y = x * 1;
    index_put_(y, {ints({0, 2})}, v, acc);
    EXPECT_EQ(y.grad_fn()->name(), "IndexPutBackward0");
    (y * tensor(std::vector<double>{5, 6, 7})).sum().backward();
    EXPECT_TRUE(
        tensors_equal(x.grad(), tensor(acc ? std::vector<double>{5, 6, 7}
                                           : std::vector<double>{0, 6, 0})));
    EXPECT_TRUE(tensors_equal(v.grad(), tensor(std::vector<double>{5, 7})));
  }
}

TEST(GradIndex, IndexPutThroughAView) {
  manual_seed(8);
  // Writing into a narrow() view rewrites the base's history (CopySlices).
  EXPECT_TRUE(gradcheck(
      [](const TensorList &in) {
        Tensor y = in[0] * 1;
        Tensor part = y.narrow(0, 1, 2);
        index_put_(part, {ints({1, 0})}, in[1]);
        return y;
      },
      {leaf({4, 3}), leaf({2, 3})}));
}

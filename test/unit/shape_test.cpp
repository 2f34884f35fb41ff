// cat, stack, split and chunk against PyTorch goldens
// (test/golden/gen_index.py).
#include <cmath> // test_util.h uses std::isnan without including it

#include "test_util.h"

using namespace ember;
using ember::testing::golden;
using ember::testing::tensors_equal;

namespace {
Tensor G(const std::string &name) { return golden("index", name); }
} // namespace

TEST(Cat, Dim1WithTransposedInput) {
  Tensor a = G("cat_a"), b = G("cat_bt").t();
  ASSERT_FALSE(b.is_contiguous());
  EXPECT_TRUE(tensors_equal(cat({a, b}, 1), G("cat_dim1")));
  EXPECT_TRUE(tensors_equal(cat({b, a, b}, -1), G("cat_negdim")));
}

TEST(Cat, PromotesMixedDtypes) {
  Tensor r = cat({G("cat_a"), G("cat_i64"), G("cat_f64")}, 0);
  EXPECT_EQ(r.dtype(), kFloat64);
  EXPECT_TRUE(tensors_equal(r, G("cat_mixed")));
  Tensor ib = cat({G("cat_i32"), G("cat_bool")}, 1);
  EXPECT_EQ(ib.dtype(), kInt32);
  EXPECT_TRUE(tensors_equal(ib, G("cat_int_bool")));
}

TEST(Cat, SkipsLegacyEmptyTensors) {
  Tensor a = G("cat_a");
  Tensor r = cat({a, empty({0}, TensorOptions().dtype(kFloat64)), a}, 0);
  EXPECT_TRUE(tensors_equal(r, G("cat_legacy_empty")));
  // Only 1-D empty tensors: a [0] result, dim not even checked.
  Tensor e = cat({empty({0}), empty({0})}, 5);
  EXPECT_EQ(e.sizes(), IntArrayRef({0}));
  // A [0, 3] tensor is not legacy: it takes part in the shape check.
  EXPECT_EQ(cat({a, empty({0, 3})}, 0).sizes(), IntArrayRef({2, 3}));
}

TEST(Cat, SingleTensorAndEmptyPieces) {
  Tensor a = G("cat_a");
  Tensor r = cat({a}, 0);
  EXPECT_FALSE(r.is_same(a));
  EXPECT_TRUE(tensors_equal(r, a));
  EXPECT_EQ(cat({a, empty({2, 0})}, 1).sizes(), IntArrayRef({2, 3}));
}

TEST(Cat, Errors) {
  Tensor a = G("cat_a");
  EXPECT_EMBER_ERROR(cat({}, 0), "ember::cat: expected a non-empty list");
  EXPECT_EMBER_ERROR(cat({a, ones({3, 3})}, 1),
                     "Expected size 2 but got size 3 for tensor number 1");
  EXPECT_EMBER_ERROR(cat({a, ones({3})}, 0),
                     "same number of dimensions: got 2 and 1 (tensor number 1");
  EXPECT_EMBER_ERROR(cat({full({}, 1.0), a}, 0),
                     "zero-dimensional tensor (at position 0)");
  EXPECT_EMBER_ERROR(cat({a}, 2), "ember::cat");
  EXPECT_EMBER_ERROR(cat({a, Tensor()}, 0),
                     "tensor 1 in the list is undefined");
}

TEST(Stack, Goldens) {
  Tensor a = G("cat_a"), b = G("cat_bt").t();
  EXPECT_TRUE(tensors_equal(stack({a, a * 2}, 0), G("stack_dim0")));
  EXPECT_TRUE(tensors_equal(stack({a, a * 2, a * 3}, 1), G("stack_dim1")));
  EXPECT_TRUE(tensors_equal(stack({b, b}, -1), G("stack_negdim")));
  Tensor mixed = stack({G("cat_i32").narrow(1, 0, 1), a.narrow(1, 0, 1)}, 0);
  EXPECT_TRUE(tensors_equal(mixed, G("stack_int_float")));
}

TEST(Stack, ScalarsAndErrors) {
  Tensor s = stack({full({}, 1.0), full({}, 2.0)});
  EXPECT_EQ(s.sizes(), IntArrayRef({2}));
  EXPECT_EQ(s[1].item<double>(), 2.0);
  EXPECT_EMBER_ERROR(
      stack({ones({2, 3}), ones({2, 4})}),
      "ember::stack: expects each tensor to be equal size, but got "
      "[2, 3] at entry 0 and [2, 4] at entry 1");
  EXPECT_EMBER_ERROR(stack({}), "non-empty list");
  EXPECT_EMBER_ERROR(stack({ones({2, 3})}, 3), "ember::stack");
}

TEST(Split, BySizeReturnsViews) {
  Tensor x = arange(10).reshape({5, 2});
  TensorList parts = split(x, 2);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].sizes(), IntArrayRef({2, 2}));
  EXPECT_EQ(parts[2].sizes(), IntArrayRef({1, 2}));
  EXPECT_EQ(parts[2][0][1].item<int64_t>(), 9);
  parts[1].fill_(-1); // views: writes show in x
  EXPECT_EQ(x[3][0].item<int64_t>(), -1);
  TensorList cols = x.split(1, -1);
  ASSERT_EQ(cols.size(), 2u);
  EXPECT_EQ(cols[1].sizes(), IntArrayRef({5, 1}));
  EXPECT_EQ(cols[1].stride(0), 2);
}

TEST(Split, EdgeCasesAndErrors) {
  Tensor e = empty({0, 3});
  TensorList p = split(e, 0);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].sizes(), IntArrayRef({0, 3}));
  EXPECT_EQ(split(e, 4).size(), 1u);
  EXPECT_EQ(split(ones({3}), 5).size(), 1u);
  EXPECT_EMBER_ERROR(split(ones({3}), -1), "split_size=-1");
  EXPECT_EMBER_ERROR(split(ones({3}), 0), "dimension size of 3");
  EXPECT_EMBER_ERROR(split(full({}, 1.0), 1),
                     "at least a 1-dimensional tensor");
}

TEST(Split, BySizes) {
  Tensor x = arange(12).reshape({2, 6});
  TensorList p = split(x, IntArrayRef({1, 0, 5}), 1);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[1].sizes(), IntArrayRef({2, 0}));
  EXPECT_EQ(p[2].sizes(), IntArrayRef({2, 5}));
  EXPECT_EQ(p[2][1][0].item<int64_t>(), 7);
  EXPECT_EQ(p[2].unsafe_impl()->storage(), x.unsafe_impl()->storage());
  EXPECT_EMBER_ERROR(
      split(x, IntArrayRef({1, 1}), 1),
      "must sum exactly to 6 (input tensor's size at dimension 1), "
      "but got split_sizes=[1, 1]");
  EXPECT_EMBER_ERROR(split(x, IntArrayRef({7, -1}), 1), "non-negative");
}

TEST(Chunk, Goldens) {
  Tensor x = arange(10);
  TensorList c = chunk(x, 3);
  ASSERT_EQ(c.size(), 3u); // 4, 4, 2 as torch.chunk
  EXPECT_EQ(c[0].numel(), 4);
  EXPECT_EQ(c[2].numel(), 2);
  EXPECT_EQ(chunk(arange(6), 4).size(),
            3u); // 2, 2, 2: torch gives fewer chunks
  TensorList e = chunk(empty({0}), 3);
  EXPECT_EQ(e.size(), 3u);
  EXPECT_EQ(x.chunk(2)[1][0].item<int64_t>(), 5);
  EXPECT_EMBER_ERROR(chunk(x, 0), "greater than 0, got: 0");
  EXPECT_EMBER_ERROR(chunk(x, 2, 1), "ember::chunk");
}

// conv2d, max_pool2d and avg_pool2d against PyTorch goldens
// (test/golden/gen_linalg.py), and their error messages.
#include <cmath> // test_util.h uses std::isnan without including it

#include "test_util.h"

#include <limits>

using namespace ember;
using ember::testing::allclose;
using ember::testing::golden;
using ember::testing::matches_golden;
using ember::testing::tensors_equal;

namespace {

Tensor G(const std::string &name) { return golden("linalg", name); }

Tensor conv(const std::string &n, IntArrayRef stride = {1, 1},
            IntArrayRef padding = {0, 0}, IntArrayRef dilation = {1, 1},
            int64_t groups = 1, bool bias = true) {
  return conv2d(G(n + "_a"), G(n + "_b"), bias ? G(n + "_bias") : Tensor(),
                stride, padding, dilation, groups);
}

} // namespace

TEST(Conv2d, Golden) {
  EXPECT_TRUE(matches_golden(conv("conv_basic"), G("conv_basic_out")));
  EXPECT_TRUE(
      matches_golden(conv("conv_nobias", {1, 1}, {0, 0}, {1, 1}, 1, false),
                     G("conv_nobias_out")));
  EXPECT_TRUE(
      matches_golden(conv("conv_stride_pad", 2, 1), G("conv_stride_pad_out")));
  EXPECT_TRUE(
      matches_golden(conv("conv_dilation", 1, 2, 2), G("conv_dilation_out")));
  EXPECT_TRUE(
      matches_golden(conv("conv_groups", 1, 1, 1, 2), G("conv_groups_out")));
  EXPECT_TRUE(matches_golden(conv("conv_depthwise", {1, 2}, 0, 1, 3),
                             G("conv_depthwise_out")));
  EXPECT_TRUE(matches_golden(conv("conv_rect", {2, 1}, {1, 0}, {1, 2}),
                             G("conv_rect_out")));
  EXPECT_TRUE(matches_golden(conv("conv_1x1"), G("conv_1x1_out")));
  EXPECT_TRUE(matches_golden(conv("conv_1x1_stride", 2, 0, 1, 1, false),
                             G("conv_1x1_stride_out")));
  EXPECT_TRUE(matches_golden(conv("conv_f64", 1, 1), G("conv_f64_out")));
  EXPECT_TRUE(matches_golden(conv("conv_i64", 2, 1), G("conv_i64_out")));
  EXPECT_TRUE(
      matches_golden(conv("conv_big_pad", 2, 3), G("conv_big_pad_out")));
}

TEST(Conv2d, UnbatchedAndNonContiguous) {
  Tensor y = conv("conv_unbatched", 1, 1);
  EXPECT_EQ(y.sizes(), IntArrayRef({4, 6, 6}));
  EXPECT_TRUE(matches_golden(y, G("conv_unbatched_out")));
  // A channels-last copy viewed back as NCHW, and a transposed weight view.
  Tensor x = G("conv_basic_a");
  Tensor x_cl = x.permute({0, 2, 3, 1}).contiguous().permute({0, 3, 1, 2});
  ASSERT_FALSE(x_cl.is_contiguous());
  Tensor w = G("conv_basic_b");
  Tensor w_t = w.transpose(2, 3).contiguous().transpose(2, 3);
  EXPECT_TRUE(matches_golden(conv2d(x_cl, w_t, G("conv_basic_bias")),
                             G("conv_basic_out")));
}

TEST(Conv2d, EmptyBatch) {
  Tensor y = conv2d(zeros({0, 3, 5, 5}), ones({2, 3, 3, 3}));
  EXPECT_EQ(y.sizes(), IntArrayRef({0, 2, 3, 3}));
}

TEST(Conv2d, Errors) {
  Tensor x = ones({1, 3, 4, 4}), w = ones({6, 3, 3, 3});
  EXPECT_EMBER_ERROR(
      conv2d(ones({3, 4}), w),
      "expected 3-D (unbatched) or 4-D (batched) input to conv2d, but got "
      "input of size: [3, 4]");
  EXPECT_EMBER_ERROR(conv2d(x, ones({6, 3, 3})), "expected a 4-D weight");
  EXPECT_EMBER_ERROR(
      conv2d(ones({1, 2, 4, 4}), w),
      "Given groups=1, weight of size [6, 3, 3, 3], expected input[1, 2, 4, 4] "
      "to have 3 channels, but got 2 channels instead");
  EXPECT_EMBER_ERROR(
      conv2d(ones({1, 4, 4, 4}), ones({5, 2, 3, 3}), {}, 1, 0, 1, 2),
      "Given groups=2, expected weight to be divisible by 2 at dimension 0");
  EXPECT_EMBER_ERROR(
      conv2d(x, ones({6, 1, 3, 3}), {}, 1, 0, 1, 2),
      "expected input[1, 3, 4, 4] to have 2 channels, but got 3 channels");
  EXPECT_EMBER_ERROR(
      conv2d(x, w, ones({5})),
      "expected bias to be 1-dimensional with 6 elements, but got bias of "
      "size [5] instead");
  EXPECT_EMBER_ERROR(
      conv2d(x, ones({6, 3, 5, 5})),
      "Calculated padded input size per channel: (4 x 4). Kernel size: (5 x "
      "5). Kernel size can't be greater than actual input size");
  EXPECT_EMBER_ERROR(conv2d(x, w, {}, 1, 0, 2), "Kernel size: (5 x 5)");
  EXPECT_EMBER_ERROR(conv2d(x, w, {}, 0),
                     "non-positive stride is not supported");
  EXPECT_EMBER_ERROR(conv2d(x, w, {}, 1, -1),
                     "negative padding is not supported");
  EXPECT_EMBER_ERROR(conv2d(x, w, {}, 1, 0, 0),
                     "dilation should be greater than zero");
  EXPECT_EMBER_ERROR(conv2d(x, w, {}, 1, 0, 1, 0),
                     "non-positive groups is not supported");
  EXPECT_EMBER_ERROR(
      conv2d(x, w, {}, {1, 1, 1}),
      "stride must be a single int or a pair of ints, but got [1, 1, 1]");
  EXPECT_EMBER_ERROR(
      conv2d(x.to(kFloat64), w),
      "expected input, weight and bias to have the same dtype, but got "
      "float64, float32, no bias");
}

TEST(Pool2d, MaxGolden) {
  auto mp = [](const std::string &n, IntArrayRef k, IntArrayRef s = {},
               IntArrayRef p = {0, 0}, IntArrayRef d = {1, 1},
               bool ceil = false) {
    return max_pool2d(G(n + "_a"), k, s, p, d, ceil);
  };
  EXPECT_TRUE(matches_golden(mp("max_k2", 2), G("max_k2_out")));
  EXPECT_TRUE(matches_golden(mp("max_k3s2p1", 3, 2, 1), G("max_k3s2p1_out")));
  EXPECT_TRUE(
      matches_golden(mp("max_ceil", 2, 2, 0, 1, true), G("max_ceil_out")));
  EXPECT_TRUE(matches_golden(mp("max_ceil_pad", 3, 2, 1, 1, true),
                             G("max_ceil_pad_out")));
  EXPECT_TRUE(matches_golden(mp("max_dilation", {3, 2}, {2, 1}, {1, 1}, {2, 3}),
                             G("max_dilation_out")));
  EXPECT_TRUE(matches_golden(mp("max_3d", 2, 1), G("max_3d_out")));
  EXPECT_TRUE(matches_golden(mp("max_f64", 3, 2), G("max_f64_out")));
}

TEST(Pool2d, AvgGolden) {
  auto ap = [](const std::string &n, IntArrayRef k, IntArrayRef s = {},
               IntArrayRef p = {0, 0}, bool ceil = false, bool incl = true) {
    return avg_pool2d(G(n + "_a"), k, s, p, ceil, incl);
  };
  EXPECT_TRUE(matches_golden(ap("avg_k2", 2), G("avg_k2_out")));
  EXPECT_TRUE(
      matches_golden(ap("avg_pad_incl", 3, 2, 1), G("avg_pad_incl_out")));
  EXPECT_TRUE(matches_golden(ap("avg_pad_excl", 3, 2, 1, false, false),
                             G("avg_pad_excl_out")));
  EXPECT_TRUE(matches_golden(ap("avg_ceil", 3, 2, 1, true), G("avg_ceil_out")));
  EXPECT_TRUE(matches_golden(ap("avg_ceil_excl", {2, 3}, 2, 1, true, false),
                             G("avg_ceil_excl_out")));
  EXPECT_TRUE(matches_golden(ap("avg_3d", 2, 1), G("avg_3d_out")));
  EXPECT_TRUE(matches_golden(ap("avg_i64", 3, 2, 1), G("avg_i64_out")));
}

TEST(Pool2d, NonContiguousAndNaN) {
  Tensor x = G("max_k2_a");
  Tensor xt = x.transpose(2, 3).contiguous().transpose(2, 3);
  EXPECT_TRUE(tensors_equal(max_pool2d(xt, 2), G("max_k2_out")));
  Tensor n = tensor(std::vector<float>{0.0f, 1.0f, 2.0f,
                                       std::numeric_limits<float>::quiet_NaN()})
                 .reshape({1, 1, 2, 2});
  Tensor m = max_pool2d(n, 2);
  EXPECT_TRUE(std::isnan(m.item<float>()));
  EXPECT_EQ(max_pool2d(zeros({0, 2, 4, 4}), 2).sizes(),
            IntArrayRef({0, 2, 2, 2}));
}

// The 2x2/stride-2 fast path against the general kernel: a ceil_mode pool
// of the input with one more column takes the general path, and its first
// columns are the same windows. Ties and NaNs check which input gets the
// gradient.
TEST(Pool2d, Plain2x2FastPathMatchesGeneralKernel) {
  manual_seed(3);
  for (DType dt : {kFloat32, kFloat64}) {
    Tensor x = (rand({2, 3, 6, 8}, TensorOptions().dtype(dt)) * 4).floor();
    x.index_put_({0, 1, 2, 3}, std::numeric_limits<double>::quiet_NaN());
    x.index_put_({1, 2, 0, 1}, std::numeric_limits<double>::quiet_NaN());
    x.index_put_({1, 2, 1, 0}, std::numeric_limits<double>::quiet_NaN());
    Tensor wide = cat({x, zeros({2, 3, 6, 1}, TensorOptions().dtype(dt))}, 3);
    Tensor fast = max_pool2d(x, 2);
    Tensor general = max_pool2d(wide, {2, 2}, {2, 2}, {0, 0}, {1, 1}, true);
    ASSERT_EQ(general.size(3), 5);
    Tensor ref = general.narrow(3, 0, 4);
    EXPECT_TRUE(tensors_equal(fast.ne(fast), ref.ne(ref)));
    EXPECT_EQ(fast.ne(fast).sum().item<int64_t>(), 2);
    EXPECT_TRUE(tensors_equal(fast.masked_fill(fast.ne(fast), -7),
                              ref.masked_fill(ref.ne(ref), -7)));

    Tensor g = rand(fast.sizes(), TensorOptions().dtype(dt));
    Tensor gx =
        max_pool2d_backward(g, x, {2, 2}, {2, 2}, {0, 0}, {1, 1}, false);
    Tensor gwide = cat({g, zeros({2, 3, 3, 1}, TensorOptions().dtype(dt))}, 3);
    Tensor gref =
        max_pool2d_backward(gwide, wide, {2, 2}, {2, 2}, {0, 0}, {1, 1}, true);
    EXPECT_TRUE(tensors_equal(gx, gref.narrow(3, 0, 8)));
  }
}

TEST(Pool2d, Errors) {
  Tensor x = ones({1, 3, 4, 4});
  EXPECT_EMBER_ERROR(
      max_pool2d(x, 3, {}, 2),
      "pad should be at most half of kernel size, but got pad=[2, 2] and "
      "kernel_size=[3, 3]");
  EXPECT_EMBER_ERROR(avg_pool2d(x, 3, {}, 2),
                     "pad should be at most half of kernel size");
  EXPECT_EMBER_ERROR(max_pool2d(x, 0), "kernel_size must be greater than zero");
  EXPECT_EMBER_ERROR(max_pool2d(x, 2, 0), "stride must be greater than zero");
  EXPECT_EMBER_ERROR(max_pool2d(x, 2, {}, 0, 0),
                     "dilation must be greater than zero");
  EXPECT_EMBER_ERROR(
      max_pool2d(x, 5),
      "Given input size: (3x4x4). Calculated output size: (3x0x0). Output "
      "size is too small");
  EXPECT_EMBER_ERROR(avg_pool2d(x, 5), "Output size is too small");
  EXPECT_EMBER_ERROR(max_pool2d(ones({4, 4}), 2),
                     "expected a 3-D or 4-D (batch mode) input");
  EXPECT_EMBER_ERROR(max_pool2d(ones({1, 0, 4, 4}), 2),
                     "but got: [1, 0, 4, 4]");
  EXPECT_EMBER_ERROR(
      max_pool2d(ones({1, 1, 4, 4}, TensorOptions().dtype(kInt64)), 2),
      "expected a float32 or float64 input");
  EXPECT_EMBER_ERROR(
      avg_pool2d(ones({1, 1, 4, 4}, TensorOptions().dtype(kInt32)), 2),
      "expected a float32, float64 or int64 input");
  EXPECT_EMBER_ERROR(max_pool2d(x, {2, 2, 2}),
                     "kernel_size must be a single int or a pair of ints");
}

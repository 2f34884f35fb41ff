// nn::init: gains, fans, bounds and standard deviations of the draws (not
// PyTorch's random streams), reproducibility under manual_seed, and the
// default initialisation of the layers (PyTorch's reset_parameters).
#include "nn_test_util.h"

#include <cmath>

using namespace ember;
using namespace ember::testing;
namespace init = ember::nn::init;

namespace {
double stddev(const Tensor &t) { return t.to(kFloat64).std().item<double>(); }
double maxabs(const Tensor &t) { return t.abs().max().item<float>(); }
} // namespace

TEST(NnInit, CalculateGain) {
  for (const char *f :
       {"linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
        "conv_transpose2d", "conv_transpose3d", "sigmoid"})
    EXPECT_EQ(init::calculate_gain(f), 1.0) << f;
  EXPECT_DOUBLE_EQ(init::calculate_gain("tanh"), 5.0 / 3);
  EXPECT_DOUBLE_EQ(init::calculate_gain("relu"), std::sqrt(2.0));
  EXPECT_DOUBLE_EQ(init::calculate_gain("leaky_relu"),
                   std::sqrt(2.0 / (1 + 0.01 * 0.01)));
  EXPECT_DOUBLE_EQ(init::calculate_gain("leaky_relu", 0.2),
                   std::sqrt(2.0 / 1.04));
  EXPECT_DOUBLE_EQ(init::calculate_gain("selu"), 0.75);
  EXPECT_EMBER_ERROR(init::calculate_gain("swish"),
                     "Unsupported nonlinearity swish");
}

TEST(NnInit, FanInFanOut) {
  auto [fi, fo] = init::_calculate_fan_in_and_fan_out(empty({8, 3, 5, 2}));
  EXPECT_EQ(fi, 30);
  EXPECT_EQ(fo, 80);
  auto [li, lo] = init::_calculate_fan_in_and_fan_out(empty({4, 6}));
  EXPECT_EQ(li, 6);
  EXPECT_EQ(lo, 4);
  EXPECT_EMBER_ERROR(init::_calculate_fan_in_and_fan_out(empty({5})),
                     "Fan in and fan out can not be computed for tensor with "
                     "fewer than 2 dimensions");
}

TEST(NnInit, SimpleFillsAndUniformNormal) {
  manual_seed(1);
  Tensor t = empty({100, 100});
  init::uniform_(t, -2, 3);
  EXPECT_GE(t.min().item<float>(), -2.0f);
  EXPECT_LT(t.max().item<float>(), 3.0f);
  EXPECT_NEAR(t.mean().item<float>(), 0.5, 0.05);
  init::normal_(t, 1, 2);
  EXPECT_NEAR(t.mean().item<float>(), 1.0, 0.05);
  EXPECT_NEAR(stddev(t), 2.0, 0.05);
  EXPECT_TRUE(
      tensors_equal(init::constant_(empty({2, 2}), 3.5), full({2, 2}, 3.5f)));
  EXPECT_TRUE(tensors_equal(init::zeros_(empty({3})), zeros({3})));
  EXPECT_TRUE(tensors_equal(init::ones_(empty({3})), ones({3})));
  EXPECT_TRUE(tensors_equal(init::eye_(empty({2, 3})), eye(2, 3)));
  EXPECT_EMBER_ERROR(init::eye_(empty({2, 2, 2})),
                     "Only tensors with 2 dimensions are supported");
}

TEST(NnInit, RunsWithoutRecordingOnParameters) {
  Tensor w = empty({3, 4}).requires_grad_();
  init::kaiming_uniform_(w);
  init::orthogonal_(w);
  init::constant_(w, 1);
  EXPECT_TRUE(w.is_leaf());
  EXPECT_TRUE(w.requires_grad());
  EXPECT_EQ(w.grad_fn(), nullptr);
}

TEST(NnInit, XavierAndKaimingStatistics) {
  manual_seed(2);
  Tensor w = empty({200, 300});
  const double xavier_std = std::sqrt(2.0 / 500);
  init::xavier_uniform_(w, 2.0);
  EXPECT_LE(maxabs(w), 2.0 * std::sqrt(3.0) * xavier_std + 1e-6);
  EXPECT_NEAR(stddev(w), 2.0 * xavier_std, 0.02 * 2.0 * xavier_std);
  init::xavier_normal_(w);
  EXPECT_NEAR(stddev(w), xavier_std, 0.02 * xavier_std);

  init::kaiming_uniform_(w, 0, "fan_in", "relu");
  const double k_in = std::sqrt(2.0) / std::sqrt(300.0);
  EXPECT_LE(maxabs(w), std::sqrt(3.0) * k_in + 1e-6);
  EXPECT_NEAR(stddev(w), k_in, 0.02 * k_in);
  init::kaiming_normal_(w, 0, "fan_out", "relu");
  const double k_out = std::sqrt(2.0) / std::sqrt(200.0);
  EXPECT_NEAR(stddev(w), k_out, 0.02 * k_out);
  init::kaiming_normal_(w, 0.5, "FAN_IN");
  const double k_leaky = std::sqrt(2.0 / 1.25) / std::sqrt(300.0);
  EXPECT_NEAR(stddev(w), k_leaky, 0.02 * k_leaky);
  EXPECT_EMBER_ERROR(init::kaiming_uniform_(w, 0, "fan_avg"),
                     "Mode fan_avg not supported, please use one of "
                     "['fan_in', 'fan_out']");
  Tensor e = empty({0, 3});
  EXPECT_EQ(init::kaiming_uniform_(e).numel(), 0); // a no-op, as PyTorch
}

TEST(NnInit, Orthogonal) {
  manual_seed(3);
  for (auto shape : {std::vector<int64_t>{6, 4}, std::vector<int64_t>{3, 7},
                     std::vector<int64_t>{4, 2, 3}}) {
    Tensor w = ember::empty(shape);
    init::orthogonal_(w, 2.0);
    Tensor m = w.reshape({shape[0], -1}).to(kFloat64) / 2.0;
    const bool tall = m.size(0) >= m.size(1);
    Tensor g = tall ? m.t().matmul(m) : m.matmul(m.t());
    const int64_t n = g.size(0);
    EXPECT_TRUE(
        allclose(g, eye(n, TensorOptions().dtype(kFloat64)), 1e-5, 1e-5))
        << IntArrayRef(shape);
  }
  EXPECT_EMBER_ERROR(init::orthogonal_(empty({4})),
                     "Only tensors with 2 or more dimensions are supported");
  manual_seed(9);
  Tensor a = init::orthogonal_(empty({5, 5}));
  manual_seed(9);
  Tensor b = init::orthogonal_(empty({5, 5}));
  EXPECT_TRUE(tensors_equal(a, b));
}

TEST(NnInit, LayerDefaultsFollowResetParameters) {
  manual_seed(4);
  nn::Linear fc{400, 300};
  const double bound = 1 / std::sqrt(400.0);
  EXPECT_LE(maxabs(fc.weight), bound + 1e-7);
  EXPECT_NEAR(stddev(fc.weight), bound / std::sqrt(3.0), 0.02 * bound);
  EXPECT_LE(maxabs(fc.bias), bound + 1e-7);
  nn::Conv2d conv(nn::Conv2dOptions(16, 64, 3).groups(2));
  const double cb = 1 / std::sqrt(8.0 * 9.0); // fan_in = 16/2 * 3 * 3
  EXPECT_LE(maxabs(conv.weight), cb + 1e-7);
  EXPECT_NEAR(stddev(conv.weight), cb / std::sqrt(3.0), 0.03 * cb);
  EXPECT_LE(maxabs(conv.bias), cb + 1e-7);
  nn::Embedding emb{500, 40};
  EXPECT_NEAR(stddev(emb.weight), 1.0, 0.02);
  EXPECT_NEAR(emb.weight.mean().item<float>(), 0.0, 0.02);
  nn::BatchNorm1d bn{3};
  EXPECT_TRUE(tensors_equal(bn.weight, ones({3})));
  EXPECT_TRUE(tensors_equal(bn.bias, zeros({3})));
  manual_seed(5);
  nn::Linear a{3, 2};
  manual_seed(5);
  nn::Linear b{3, 2};
  EXPECT_TRUE(tensors_equal(a.weight, b.weight));
  EXPECT_TRUE(tensors_equal(a.bias, b.bias));
}

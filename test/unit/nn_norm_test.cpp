// BatchNorm1d/2d (running statistics, momentum and cumulative average, eval
// mode, buffers) against PyTorch goldens, and Dropout's statistics.
#include "nn_test_util.h"

using namespace ember;
using namespace ember::testing;

namespace {

// The BatchNorm cases of gen_nn.py: a train forward (checked), two more
// train forwards, the running state after them, then an eval forward.
void check_bn_case(nn::BatchNormBase &m, const std::string &c) {
  m.train();
  forward_case(m, c);
  m(nn_golden(c + "_x2"));
  m(nn_golden(c + "_x3"));
  auto sd = m.state_dict();
  EXPECT_EQ(sd.size(), golden_keys(c, "after").size());
  for (const auto &item : sd) {
    Tensor want = nn_golden(c + "_after_" + item.key());
    if (item.key() == "num_batches_tracked")
      EXPECT_TRUE(tensors_equal(item.value(), want)) << c;
    else
      EXPECT_TRUE(close(item.value(), want)) << c << " " << item.key();
  }
  m.eval();
  EXPECT_TRUE(close(m(nn_golden(c + "_xeval")), nn_golden(c + "_yeval")))
      << c << " eval";
}

} // namespace

TEST(NnBatchNorm, RunningStatsAndEvalGolden) {
  nn::BatchNorm1d a{3};
  check_bn_case(a, "bn1d");
  nn::BatchNorm1d b(nn::BatchNormOptions(3).momentum(std::nullopt));
  check_bn_case(b, "bn1d_cum");
  nn::BatchNorm2d c(nn::BatchNormOptions(3).momentum(0.2).eps(1e-3));
  check_bn_case(c, "bn2d");
  nn::BatchNorm2d d(
      nn::BatchNormOptions(2).affine(false).track_running_stats(false));
  check_bn_case(d, "bn2d_plain");
}

TEST(NnBatchNorm, BackwardGolden) {
  nn::BatchNorm1d a{3};
  backward_case(a, "bn1d");
  nn::BatchNorm1d b(nn::BatchNormOptions(3).momentum(std::nullopt));
  backward_case(b, "bn1d_cum");
  nn::BatchNorm2d c(nn::BatchNormOptions(3).momentum(0.2).eps(1e-3));
  backward_case(c, "bn2d");
  nn::BatchNorm2d d(
      nn::BatchNormOptions(2).affine(false).track_running_stats(false));
  backward_case(d, "bn2d_plain");
}

TEST(NnBatchNorm, BuffersAndDefaults) {
  nn::BatchNorm2d m{4};
  EXPECT_EQ(m.state_dict().keys(),
            (std::vector<std::string>{"weight", "bias", "running_mean",
                                      "running_var", "num_batches_tracked"}));
  EXPECT_EQ(m.named_buffers().size(), 3u);
  EXPECT_EQ(m.num_batches_tracked.dtype(), kInt64);
  EXPECT_EQ(m.num_batches_tracked.dim(), 0);
  EXPECT_TRUE(tensors_equal(m.weight, ones({4})));
  EXPECT_TRUE(tensors_equal(m.running_var, ones({4})));
  m(randn({2, 4, 3, 3}));
  m(randn({2, 4, 3, 3}));
  EXPECT_EQ(m.num_batches_tracked.item<int64_t>(), 2);
  m.eval();
  m(randn({2, 4, 3, 3}));
  EXPECT_EQ(m.num_batches_tracked.item<int64_t>(), 2);
  m.reset_running_stats();
  EXPECT_EQ(m.num_batches_tracked.item<int64_t>(), 0);
  EXPECT_TRUE(tensors_equal(m.running_mean, zeros({4})));
  nn::BatchNorm1d plain(
      nn::BatchNormOptions(3).affine(false).track_running_stats(false));
  EXPECT_TRUE(plain.state_dict().is_empty());
  // The running-stat update is not part of the graph.
  nn::BatchNorm1d g{3};
  Tensor x = randn({5, 3}).requires_grad_();
  g(x).sum().backward();
  EXPECT_FALSE(g.running_mean.requires_grad());
}

TEST(NnBatchNorm, Errors) {
  nn::BatchNorm1d a{3};
  EXPECT_EMBER_ERROR(a(ones({2, 3, 4, 5})), "expected 2D or 3D input (got 4D "
                                            "input)");
  nn::BatchNorm2d b{3};
  EXPECT_EMBER_ERROR(b(ones({2, 3, 4})), "expected 4D input (got 3D input)");
  EXPECT_EMBER_ERROR(b(ones({2, 4, 2, 2})),
                     "running_mean should contain 4 elements not 3");
  EXPECT_EMBER_ERROR(a(ones({1, 3})),
                     "Expected more than 1 value per channel when training, "
                     "got input size [1, 3]");
  a.eval();
  EXPECT_EQ(a(ones({1, 3})).sizes(), IntArrayRef({1, 3}));
  EXPECT_EMBER_ERROR(nn::BatchNorm1d(nn::BatchNormOptions(3).momentum(1.5)),
                     "momentum must be in [0, 1]");
  EXPECT_EMBER_ERROR(nn::BatchNorm2d(-2), "num_features=-2");
  EXPECT_EMBER_ERROR(
      nn::functional::batch_norm(ones({2, 3}), Tensor(), Tensor()),
      "running_mean must be defined in evaluation mode");
}

TEST(NnBatchNorm, Float64Functional) {
  // Batch statistics in float64 against a direct computation.
  Tensor x = randn({6, 2}, dtype(kFloat64));
  Tensor rm = zeros({2}, dtype(kFloat64)), rv = ones({2}, dtype(kFloat64));
  Tensor y = nn::functional::batch_norm(x, rm, rv, {}, {}, true, 0.5, 0.0);
  Tensor mean = x.mean({0}, true), var = x.var({0}, 0, true);
  EXPECT_TRUE(allclose(y, (x - mean) / sqrt(var), 1e-10, 1e-12));
  EXPECT_TRUE(allclose(rm, mean.reshape({2}) * 0.5, 1e-10, 1e-12));
  EXPECT_TRUE(allclose(rv, x.var({0}, 1, false) * 0.5 + 0.5, 1e-10, 1e-12));
}

// --- Dropout ----------------------------------------------------------------

TEST(NnDropout, StatisticsScalingAndEval) {
  manual_seed(0);
  nn::Dropout d(0.3);
  Tensor x = ones({200, 100});
  Tensor y = d(x);
  const double zero_frac = (y == 0).to(kFloat64).mean().item<double>();
  EXPECT_NEAR(zero_frac, 0.3, 0.01);
  // Survivors are scaled by 1/(1-p).
  Tensor kept = y.masked_fill(y == 0, 1.0f / 0.7f);
  EXPECT_TRUE(allclose(kept, full({200, 100}, 1.0f / 0.7f)));
  // The mean is preserved in expectation.
  EXPECT_NEAR(y.mean().item<double>(), 1.0, 0.02);
  d.eval();
  EXPECT_TRUE(d(x).is_same(x));
  EXPECT_TRUE(nn::functional::dropout(x, 0.5, false).is_same(x));
}

TEST(NnDropout, ReproducibleGradientAndEdges) {
  nn::Dropout d(0.5);
  manual_seed(42);
  Tensor a = d(ones({50}));
  manual_seed(42);
  Tensor b = d(ones({50}));
  EXPECT_TRUE(tensors_equal(a, b));
  Tensor c = d(ones({50}));
  EXPECT_FALSE(tensors_equal(a, c));
  // The gradient is the same mask, scaled.
  Tensor x = randn({30}).requires_grad_();
  manual_seed(7);
  Tensor y = d(x);
  y.sum().backward();
  manual_seed(7);
  Tensor mask = d(ones({30}));
  EXPECT_TRUE(allclose(x.grad(), mask));
  EXPECT_TRUE(tensors_equal(nn::Dropout(0.0)(x.detach()), x.detach()));
  EXPECT_TRUE(tensors_equal(nn::Dropout(1.0)(ones({4})), zeros({4})));
  EXPECT_EMBER_ERROR(nn::Dropout(1.5),
                     "dropout probability has to be between 0 and 1, but got "
                     "1.5");
  EXPECT_EMBER_ERROR(nn::functional::dropout(ones({2}), -0.1), "but got -0.1");
}

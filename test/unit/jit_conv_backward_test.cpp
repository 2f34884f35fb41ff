// The gradient ops of conv2d and the pools compiled (NNBackward.cpp's and
// MaxPoolBackward.cpp's lowerings): a loss of one forward op on module
// parameters, with loss.backward() inside jit::compile, so ember-autodiff emits
// conv2d_backward_input/weight, max_pool2d_backward or avg_pool2d_backward
// and the whole call compiles. The .grad of every parameter must equal the
// eager tape's (rtol 1e-4, atol 1e-5: the compiled conv gradients are
// transposed convolutions through im2col + GEMM, the eager ones col2im, so
// sums run in another order) over strides, paddings, dilations, unbatched
// inputs, floor/ceil modes and max-pool ties (first maximum wins, as
// eager; overlapping windows add up). Then the Fashion-MNIST-shaped CNN trains
// a few SGD-momentum steps compiled and equals the eager steps.
#include "test_models.h"
#include "test_util.h"

#include <functional>
#include <sstream>
#include <string>
#include <vector>

using namespace ember;
using namespace ember::testing;

namespace {

constexpr double kRtol = 1e-4, kAtol = 1e-5;

// Parameters only: the tensors whose gradients the test compares.
struct Params : nn::Module {
  std::vector<Tensor> p;
  explicit Params(const std::vector<Tensor> &values) {
    for (size_t i = 0; i < values.size(); ++i)
      p.push_back(register_parameter(std::string(1, char('a' + i)), values[i]));
  }
};

using Forward = std::function<Tensor(const std::vector<Tensor> &)>;

Tensor loss_of(const Forward &forward, Params &m, const Tensor &r) {
  Tensor loss = (forward(m.p) * r).sum();
  loss.backward();
  return loss.detach();
}

// Runs `forward` on parameters `values` compiled (three calls, .grad set to
// none before each) and eagerly on a copy; expects equal losses and
// gradients. Returns the compiled function's stats.
jit::CompileStats compare(const std::vector<Tensor> &values,
                          const Forward &forward, const std::string &what) {
  std::vector<Tensor> copies;
  for (const Tensor &v : values)
    copies.push_back(v.clone());
  Params model(values), ref(copies);
  auto f =
      jit::compile([&](const Tensor &r) { return loss_of(forward, model, r); },
                   {.name = "grad", .modules = {{"", &model}}});
  Tensor shape;
  {
    NoGradGuard no_grad;
    shape = forward(ref.p);
  }
  for (int call = 0; call < 3; ++call) {
    model.zero_grad();
    ref.zero_grad();
    Tensor r = randn(shape.sizes(), TensorOptions().dtype(values[0].dtype()));
    Tensor got = f(r), want = loss_of(forward, ref, r);
    EXPECT_TRUE(allclose(got, want, kRtol, kAtol))
        << what << ": loss of call " << call;
    for (size_t i = 0; i < values.size(); ++i) {
      Tensor a = model.p[i].grad(), b = ref.p[i].grad();
      EXPECT_TRUE(allclose(a, b, kRtol, kAtol))
          << what << ": .grad of parameter " << i << " in call " << call
          << "\ncompiled:\n"
          << a << "\neager:\n"
          << b;
    }
  }
  return f.stats();
}

void expect_compiled(const jit::CompileStats &s, const std::string &what) {
#if EMBER_TEST_HAS_COMPILER
  EXPECT_EQ(s.fallbacks, 0) << what;
  EXPECT_EQ(s.splits, 0) << what;
  EXPECT_GE(s.compiled_calls, 2) << what;
#else
  (void)s;
  (void)what;
#endif
}

struct ConvCase {
  std::vector<int64_t> input; // [N, C, H, W] or [C, H, W]
  std::vector<int64_t> weight;
  std::vector<int64_t> stride, padding, dilation;
  bool bias;
};

std::string describe(const ConvCase &c) {
  std::ostringstream s;
  s << "conv input " << c.input.size() << "-D";
  for (auto *v : {&c.stride, &c.padding, &c.dilation})
    s << " (" << (*v)[0] << "," << (*v)[1] << ")";
  return s.str();
}

void PrintTo(const ConvCase &c, std::ostream *os) { *os << describe(c); }

class ConvBackward : public ::testing::TestWithParam<ConvCase> {};

TEST_P(ConvBackward, CompiledGradientsMatchEager) {
  const ConvCase &c = GetParam();
  manual_seed(3);
  std::vector<Tensor> values = {randn(c.input), randn(c.weight)};
  if (c.bias)
    values.push_back(randn({c.weight[0]}));
  expect_compiled(compare(
                      values,
                      [&](const std::vector<Tensor> &p) {
                        return conv2d(p[0], p[1], c.bias ? p[2] : Tensor(),
                                      c.stride, c.padding, c.dilation);
                      },
                      describe(c)),
                  describe(c));
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, ConvBackward,
    ::testing::Values(
        // The CNN's case: 3x3, padding 1.
        ConvCase{{2, 3, 8, 8}, {4, 3, 3, 3}, {1, 1}, {1, 1}, {1, 1}, true},
        // Stride 2 with rows the forward never reads (9 and 8 wide).
        ConvCase{{2, 3, 9, 8}, {4, 3, 3, 3}, {2, 2}, {1, 1}, {1, 1}, true},
        // Dilation, no padding, uneven strides.
        ConvCase{{1, 2, 11, 10}, {3, 2, 3, 3}, {2, 1}, {0, 0}, {2, 2}, false},
        // Padding beyond dilation * (k - 1): negative offsets are cropped.
        ConvCase{{2, 2, 6, 7}, {3, 2, 2, 3}, {1, 2}, {2, 3}, {1, 2}, true},
        // Stride larger than the kernel: rows skipped between windows.
        ConvCase{{1, 3, 10, 9}, {2, 3, 2, 2}, {3, 3}, {0, 1}, {1, 1}, true},
        // 1x1 kernel, unbatched input.
        ConvCase{{3, 5, 6}, {4, 3, 1, 1}, {1, 1}, {0, 0}, {1, 1}, true},
        // Unbatched, 3x3, mixed stride and padding.
        ConvCase{{2, 6, 7}, {3, 2, 3, 3}, {2, 1}, {0, 1}, {1, 1}, false}));

TEST(ConvBackwardF64, CompiledGradientsMatchEager) {
  manual_seed(4);
  auto f64 = TensorOptions().dtype(DType::Float64);
  std::vector<Tensor> values = {randn({2, 2, 7, 7}, f64),
                                randn({3, 2, 3, 3}, f64)};
  expect_compiled(
      compare(
          values,
          [](const std::vector<Tensor> &p) {
            return conv2d(p[0], p[1], Tensor(), {2, 2}, {1, 1}, {1, 1});
          },
          "f64 conv"),
      "f64 conv");
}

struct PoolCase {
  std::vector<int64_t> input;
  std::vector<int64_t> kernel, stride, padding;
  bool ceil_mode;
  bool count_include_pad; // avg only
  int64_t dilation = 1;   // max only
};

std::string describe(const PoolCase &c) {
  std::ostringstream s;
  s << "pool input " << c.input.size() << "-D";
  for (auto *v : {&c.kernel, &c.stride, &c.padding})
    s << " (" << (*v)[0] << "," << (*v)[1] << ")";
  s << (c.ceil_mode ? " ceil" : "")
    << (c.count_include_pad ? "" : " exclude-pad");
  if (c.dilation != 1)
    s << " dilation " << c.dilation;
  return s.str();
}

void PrintTo(const PoolCase &c, std::ostream *os) { *os << describe(c); }

class AvgPoolBackward : public ::testing::TestWithParam<PoolCase> {};

TEST_P(AvgPoolBackward, CompiledGradientsMatchEager) {
  const PoolCase &c = GetParam();
  manual_seed(5);
  expect_compiled(compare(
                      {randn(c.input)},
                      [&](const std::vector<Tensor> &p) {
                        return avg_pool2d(p[0], c.kernel, c.stride, c.padding,
                                          c.ceil_mode, c.count_include_pad);
                      },
                      describe(c)),
                  describe(c));
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, AvgPoolBackward,
    ::testing::Values(
        PoolCase{{2, 3, 8, 8}, {2, 2}, {2, 2}, {0, 0}, false, true},
        // Overlapping windows with padding, both divisor rules.
        PoolCase{{2, 2, 7, 6}, {3, 3}, {2, 2}, {1, 1}, false, true},
        PoolCase{{2, 2, 7, 6}, {3, 3}, {2, 2}, {1, 1}, false, false},
        // ceil_mode: the last window hangs over the edge.
        PoolCase{{1, 2, 7, 7}, {2, 2}, {2, 2}, {0, 0}, true, true},
        PoolCase{{1, 2, 6, 8}, {3, 3}, {2, 2}, {1, 1}, true, false},
        // Unbatched, rectangular kernel, stride 1 rows.
        PoolCase{{3, 6, 7}, {3, 2}, {1, 2}, {1, 0}, false, true}));

class MaxPoolBackward : public ::testing::TestWithParam<PoolCase> {};

// Integer values 0..2: most windows have tied maxima, and the gradient must
// go to the first one in row-major window order, as eager.
TEST_P(MaxPoolBackward, CompiledGradientsMatchEagerWithTies) {
  const PoolCase &c = GetParam();
  manual_seed(6);
  Tensor x = randint(0, 3, c.input).to(DType::Float32);
  expect_compiled(compare(
                      {x},
                      [&](const std::vector<Tensor> &p) {
                        return max_pool2d(p[0], c.kernel, c.stride, c.padding,
                                          {1, 1}, c.ceil_mode);
                      },
                      describe(c)),
                  describe(c));
}

INSTANTIATE_TEST_SUITE_P(
    NonOverlapping, MaxPoolBackward,
    ::testing::Values(
        PoolCase{{2, 3, 8, 8}, {2, 2}, {2, 2}, {0, 0}, false, true},
        // Floor mode leaves a row and a column without a window.
        PoolCase{{2, 2, 7, 9}, {2, 2}, {2, 2}, {0, 0}, false, true},
        // ceil_mode where the windows fit exactly (same as floor).
        PoolCase{{1, 2, 6, 6}, {3, 3}, {3, 3}, {0, 0}, true, true},
        // Rectangular windows, unbatched.
        PoolCase{{3, 9, 8}, {3, 2}, {3, 2}, {0, 0}, false, true}));

// Windows that tile the input (the CNN's pools) run the runtime's plane
// loop in compiled code; in f64 too, with ties.
TEST(MaxPoolBackwardF64, TiledCompiledGradientsMatchEager) {
  manual_seed(8);
  Tensor x = randint(0, 3, {2, 3, 4, 6}).to(DType::Float64);
  expect_compiled(
      compare(
          {x},
          [](const std::vector<Tensor> &p) {
            return max_pool2d(p[0], {2, 3}, {2, 3}, {0, 0}, {1, 1}, false);
          },
          "f64 2x3 max pool"),
      "f64 2x3 max pool");
}

// Overlapping, padded or dilated windows (the general lowering): an input
// can be the maximum of several windows, whose gradients add up.
class MaxPoolBackwardGeneral : public ::testing::TestWithParam<PoolCase> {};

TEST_P(MaxPoolBackwardGeneral, CompiledGradientsMatchEagerWithTies) {
  const PoolCase &c = GetParam();
  manual_seed(10);
  Tensor x = randint(0, 3, c.input).to(DType::Float32);
  expect_compiled(compare(
                      {x},
                      [&](const std::vector<Tensor> &p) {
                        return max_pool2d(p[0], c.kernel, c.stride, c.padding,
                                          {c.dilation, c.dilation},
                                          c.ceil_mode);
                      },
                      describe(c)),
                  describe(c));
}

INSTANTIATE_TEST_SUITE_P(
    Overlapping, MaxPoolBackwardGeneral,
    ::testing::Values(
        PoolCase{{2, 2, 7, 7}, {3, 3}, {2, 2}, {1, 1}, false, true},
        PoolCase{{1, 3, 6, 5}, {3, 3}, {1, 1}, {0, 0}, false, true},
        PoolCase{{1, 2, 8, 9}, {3, 2}, {2, 1}, {1, 1}, true, true},
        // Dilation 2.
        PoolCase{{2, 2, 9, 9}, {3, 3}, {2, 2}, {1, 1}, false, true, 2},
        PoolCase{{1, 2, 10, 8}, {2, 3}, {3, 2}, {1, 1}, true, true, 2},
        // Unbatched, kernel != stride without overlap (gaps).
        PoolCase{{3, 8, 8}, {2, 2}, {3, 3}, {0, 0}, false, true}));

// Windows of zeros after a ReLU: the gradient goes to each window's first
// element (the first maximum), as eager's kernel.
TEST(MaxPoolBackwardTies, ReluZeroWindows) {
  manual_seed(7);
  Tensor x = relu(randn({2, 4, 8, 8}) - 1.0); // mostly exact zeros
  expect_compiled(compare(
                      {x},
                      [](const std::vector<Tensor> &p) {
                        return max_pool2d(p[0], {2, 2});
                      },
                      "max_pool2d of ReLU zeros"),
                  "max_pool2d of ReLU zeros");
}

// The Fashion-MNIST CNN shape (narrower, make_small_cnn), SGD with
// momentum: zero_grad, forward, backward and step in one compiled function
// equal eager steps.
Tensor train_step(nn::Module &m, optim::Optimizer &opt, const Tensor &x,
                  const Tensor &y) {
  opt.zero_grad(true);
  Tensor loss = (m(x) - y).pow(2).mean();
  loss.backward();
  opt.step();
  return loss.detach();
}

TEST(CnnTrainStep, CompiledSgdMomentumStepsMatchEager) {
  manual_seed(9);
  nn::Sequential model = make_small_cnn(), ref = make_small_cnn();
  {
    NoGradGuard no_grad;
    auto a = model.parameters(), b = ref.parameters();
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i)
      b[i].copy_(a[i]);
  }
  auto options = optim::SGDOptions(0.05).momentum(0.9);
  optim::SGD opt(model.parameters(), options),
      ref_opt(ref.parameters(), options);
  auto step = jit::compile(
      [&](const Tensor &x, const Tensor &y) {
        return train_step(model, opt, x, y);
      },
      {.name = "cnn_step", .modules = {{"", &model}}});
  for (int k = 0; k < 5; ++k) {
    Tensor x = randn({4, 1, 28, 28}), y = randn({4, 10});
    Tensor got = step(x, y), want = train_step(ref, ref_opt, x, y);
    EXPECT_TRUE(allclose(got, want, kRtol, kAtol)) << "loss of step " << k;
    auto pa = model.parameters(), pb = ref.parameters();
    for (size_t i = 0; i < pa.size(); ++i) {
      EXPECT_TRUE(allclose(pa[i], pb[i], kRtol, kAtol))
          << "parameter " << i << " after step " << k;
      EXPECT_TRUE(allclose(pa[i].grad(), pb[i].grad(), kRtol, kAtol))
          << ".grad of parameter " << i << " after step " << k;
    }
  }
#if EMBER_TEST_HAS_COMPILER
  EXPECT_EQ(step.stats().fallbacks, 0);
  EXPECT_GT(step.stats().compiled_calls, 0);
#endif
}

} // namespace

// gradcheck (float64 finite differences) through every layer with
// parameters, with respect to the input and every parameter, plus the
// parameter-free layers whose gradients are composed here.
#include "nn_test_util.h"

using namespace ember;
using namespace ember::testing;

namespace {

// Casts m to float64 and checks d m(x) / d (x, parameters...).
void check_module(nn::Module &m, Tensor x, bool grad_x = true) {
  m.to(kFloat64);
  if (x.is_floating_point())
    x = x.to(kFloat64);
  if (grad_x)
    x.requires_grad_();
  TensorList inputs{x};
  for (const Tensor &p : m.parameters())
    inputs.push_back(p);
  EXPECT_TRUE(autograd::gradcheck(
      // clone(): gradcheck perturbs the input in place, and a view output
      // (Flatten) would otherwise change with it after being computed.
      [&](const TensorList &in) -> Tensor { return m(in[0]).clone(); }, inputs))
      << m.repr();
}

} // namespace

TEST(NnGradcheck, Linear) {
  nn::Linear m{3, 2};
  check_module(m, randn({2, 3}));
}

TEST(NnGradcheck, Conv1d) {
  nn::Conv1d m(nn::Conv1dOptions(2, 4, 3).stride(2).padding(1).groups(2));
  check_module(m, randn({1, 2, 6}));
  nn::Conv1d same(nn::Conv1dOptions(1, 1, 2).padding("same"));
  check_module(same, randn({1, 1, 4}));
}

TEST(NnGradcheck, Conv2d) {
  nn::Conv2d m(
      nn::Conv2dOptions(2, 2, {2, 3}).padding({1, 0}).dilation({1, 2}));
  check_module(m, randn({1, 2, 3, 5}));
}

TEST(NnGradcheck, BatchNorm) {
  nn::BatchNorm1d a{2};
  check_module(a, randn({4, 2}));
  nn::BatchNorm2d b{2};
  check_module(b, randn({2, 2, 2, 2}));
  b.eval();
  check_module(b, randn({2, 2, 2, 2}));
}

TEST(NnGradcheck, LayerNorm) {
  nn::LayerNorm m(std::vector<int64_t>{2, 3});
  {
    NoGradGuard g;
    m.weight.copy_(randn({2, 3}));
    m.bias.copy_(randn({2, 3}));
  }
  check_module(m, randn({2, 2, 3}));
}

TEST(NnGradcheck, Embedding) {
  // Without padding_idx: the padding row's gradient is zero by design
  // (PyTorch's too), which finite differences do not see.
  nn::Embedding m{5, 2};
  check_module(m, tensor({0, 1, 3, 3, 4}), /*grad_x=*/false);
}

TEST(NnGradcheck, PoolsAndActivations) {
  std::vector<std::shared_ptr<nn::Module>> mods = {
      std::make_shared<nn::MaxPool2d>(2),
      std::make_shared<nn::AvgPool2d>(
          nn::AvgPool2dOptions(2).stride(1).padding(1)),
      std::make_shared<nn::AdaptiveAvgPool2d>(
          nn::ExpandingArrayWithOptional<2>{3, 2}),
      std::make_shared<nn::LeakyReLU>(0.1),
      std::make_shared<nn::ELU>(0.5),
      std::make_shared<nn::GELU>(),
      std::make_shared<nn::Softmax>(1),
      std::make_shared<nn::LogSoftmax>(1),
      std::make_shared<nn::Flatten>(),
  };
  for (auto &m : mods) {
    SCOPED_TRACE(m->repr());
    check_module(*m, randn({1, 2, 4, 4}));
  }
}

// float64 layers against PyTorch at 1e-10 (forward and gradients).
TEST(NnFloat64, ForwardGolden) {
  std::vector<std::pair<std::string, std::shared_ptr<nn::Module>>> mods = {
      {"linear64", std::make_shared<nn::Linear>(4, 3)},
      {"conv2d64", std::make_shared<nn::Conv2d>(
                       nn::Conv2dOptions(2, 3, 3).stride(2).padding(1))},
      {"bn2d64", std::make_shared<nn::BatchNorm2d>(2)},
      {"layernorm64", std::make_shared<nn::LayerNorm>(4)},
      {"elu64", std::make_shared<nn::ELU>(0.7)},
      {"gelu64", std::make_shared<nn::GELU>()},
  };
  for (auto &[c, m] : mods) {
    m->to(kFloat64);
    forward_case(*m, c, true, 1e-10, 1e-12);
  }
}

TEST(NnFloat64, BackwardGolden) {
  std::vector<std::pair<std::string, std::shared_ptr<nn::Module>>> mods = {
      {"linear64", std::make_shared<nn::Linear>(4, 3)},
      {"conv2d64", std::make_shared<nn::Conv2d>(
                       nn::Conv2dOptions(2, 3, 3).stride(2).padding(1))},
      {"bn2d64", std::make_shared<nn::BatchNorm2d>(2)},
      {"layernorm64", std::make_shared<nn::LayerNorm>(4)},
      {"elu64", std::make_shared<nn::ELU>(0.7)},
      {"gelu64", std::make_shared<nn::GELU>()},
  };
  for (auto &[c, m] : mods) {
    m->to(kFloat64);
    backward_case(*m, c, true, 1e-10, 1e-12);
  }
}

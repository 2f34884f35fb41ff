// Activation layers and their functional forms against PyTorch goldens
// (the input holds an exact 0 and values of +-1e-4, where ELU's expm1 and
// the kinks of ReLU/LeakyReLU matter).
#include "nn_test_util.h"

using namespace ember;
using namespace ember::testing;

namespace {

std::vector<std::pair<std::string, std::shared_ptr<nn::Module>>> act_layers() {
  return {
      {"relu", std::make_shared<nn::ReLU>()},
      {"leaky_relu", std::make_shared<nn::LeakyReLU>(0.2)},
      {"elu", std::make_shared<nn::ELU>(0.7)},
      {"gelu", std::make_shared<nn::GELU>()},
      {"gelu_tanh", std::make_shared<nn::GELU>("tanh")},
      {"tanh", std::make_shared<nn::Tanh>()},
      {"sigmoid", std::make_shared<nn::Sigmoid>()},
      {"softmax", std::make_shared<nn::Softmax>(1)},
      {"softmax0", std::make_shared<nn::Softmax>(0)},
      {"log_softmax", std::make_shared<nn::LogSoftmax>(-1)},
  };
}

} // namespace

TEST(NnActivation, ForwardGolden) {
  Tensor x = nn_golden("act_x");
  for (auto &[name, m] : act_layers())
    EXPECT_TRUE(close((*m)(x), nn_golden("act_" + name + "_y"))) << name;
  Tensor x3 = nn_golden("act_x3");
  EXPECT_TRUE(close(nn::Softmax()(x3), nn_golden("act_softmax_implicit3_y")));
  EXPECT_TRUE(
      close(nn::LogSoftmax()(x), nn_golden("act_log_softmax_implicit2_y")));
}

TEST(NnActivation, BackwardGolden) {
  for (auto &[name, m] : act_layers()) {
    Tensor x = nn_golden("act_x").requires_grad_();
    (*m)(x).backward(nn_golden("act_" + name + "_gy"));
    EXPECT_TRUE(close(x.grad(), nn_golden("act_" + name + "_gx"))) << name;
  }
}

TEST(NnActivation, FunctionalMatchesLayers) {
  namespace F = nn::functional;
  Tensor x = nn_golden("act_x");
  EXPECT_TRUE(close(F::relu(x), nn_golden("act_relu_y")));
  EXPECT_TRUE(close(F::leaky_relu(x, 0.2), nn_golden("act_leaky_relu_y")));
  EXPECT_TRUE(close(F::elu(x, 0.7), nn_golden("act_elu_y")));
  EXPECT_TRUE(close(F::gelu(x), nn_golden("act_gelu_y")));
  EXPECT_TRUE(close(F::gelu(x, "tanh"), nn_golden("act_gelu_tanh_y")));
  EXPECT_TRUE(close(F::tanh(x), nn_golden("act_tanh_y")));
  EXPECT_TRUE(close(F::sigmoid(x), nn_golden("act_sigmoid_y")));
  EXPECT_TRUE(close(F::softmax(x, 1), nn_golden("act_softmax_y")));
  EXPECT_TRUE(close(F::log_softmax(x, -1), nn_golden("act_log_softmax_y")));
  // float64 and non-contiguous inputs keep their dtype and values.
  Tensor xt = x.to(kFloat64).t();
  EXPECT_EQ(F::elu(xt).dtype(), kFloat64);
  EXPECT_TRUE(allclose(F::elu(xt, 0.7).t(), nn_golden("act_elu_y").to(kFloat64),
                       1e-6, 1e-7));
  EXPECT_TRUE(allclose(F::leaky_relu(xt, 0.2).t(),
                       nn_golden("act_leaky_relu_y").to(kFloat64), 1e-6, 1e-7));
}

TEST(NnActivation, EdgeCasesAndErrors) {
  Tensor e = empty({0, 3});
  EXPECT_EQ(nn::ELU()(e).sizes(), IntArrayRef({0, 3}));
  EXPECT_EQ(nn::LeakyReLU()(e).sizes(), IntArrayRef({0, 3}));
  EXPECT_EQ(nn::ReLU()(full({}, -2.0f)).item<float>(), 0.0f);
  EXPECT_EMBER_ERROR(nn::GELU("fast"),
                     "approximate must be 'none' or 'tanh', but got "
                     "approximate='fast'");
  EXPECT_EMBER_ERROR(nn::Softmax(2)(ones({2, 2})), "dim");
}

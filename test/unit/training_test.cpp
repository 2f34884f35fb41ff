// End-to-end training with the eager stack: a small MLP learns a synthetic
// task to a stated loss, and a model using XNOR-net's binarised sign (a
// custom autograd function) trains too.
#include "test_models.h"
#include "test_util.h"

using namespace ember;

namespace {

// Two interleaved classes on concentric rings: not linearly separable.
std::pair<Tensor, Tensor> rings(int64_t n) {
  Tensor label = randint(0, 2, {n});
  Tensor radius = label.to(kFloat32) + 1 + randn({n}) * 0.1;
  Tensor angle = rand({n}) * (2 * M_PI);
  Tensor x = stack({radius * cos(angle), radius * sin(angle)}, 1);
  return {x, label};
}

struct Mlp : nn::Module {
  nn::Linear fc1{2, 32}, fc2{32, 32}, fc3{32, 2};
  Mlp() {
    register_module("fc1", fc1);
    register_module("fc2", fc2);
    register_module("fc3", fc3);
  }
  Tensor forward(const Tensor &x) override {
    return fc3(tanh(fc2(tanh(fc1(x)))));
  }
};

// Full-batch Adam (lr 0.01) on cross-entropy; returns the first and last loss.
std::pair<double, double> train(nn::Module &model, const Tensor &x,
                                const Tensor &y, int steps) {
  optim::Adam opt(model.parameters(), optim::AdamOptions(0.01));
  double first = 0, last = 0;
  for (int step = 0; step < steps; ++step) {
    opt.zero_grad();
    Tensor loss = nn::functional::cross_entropy(model(x), y);
    loss.backward();
    opt.step();
    if (step == 0)
      first = loss.item<double>();
    last = loss.item<double>();
  }
  return {first, last};
}

double accuracy(const Tensor &logits, const Tensor &y) {
  return (logits.argmax(1) == y).to(kFloat64).mean().item<double>();
}

} // namespace

TEST(Training, MlpLearnsRings) {
  manual_seed(0);
  auto [x, y] = rings(512);
  Mlp model;
  auto [first, last] = train(model, x, y, 300);
  EXPECT_GT(first, 0.5);
  EXPECT_LT(last, 0.05)
      << "stated target: cross-entropy below 0.05 after 300 Adam steps";
  NoGradGuard no_grad;
  auto [xt, yt] = rings(512);
  EXPECT_GT(accuracy(model(xt), yt), 0.97);
}

TEST(Training, XnorNetTrains) {
  manual_seed(1);
  auto [x, y] = rings(512);
  ember::testing::XnorNet model(64);
  auto [first, last] = train(model, x, y, 200);
  EXPECT_LT(last, first * 0.5);
  model.eval();
  NoGradGuard no_grad;
  EXPECT_GT(accuracy(model(x), y), 0.9);
}

// backward() inside a compiled function: the tracer records the request
// (not the engine's ops), ember-autodiff derives the gradients on the IR,
// and each compiled call accumulates them into .grad as eager backward()
// does. Checked against eager runs of the same function on a copy of the
// model: losses, gradients after one call, accumulation over calls, frozen
// parameters (a guard), and the cases that stay eager with a reason.
#include "test_util.h"

#include <cstdlib>
#include <sstream>

using namespace ember;
using namespace ember::testing;

namespace {

// EMBER_LOG=recompiles,splits and the captured log lines.
struct SplitLog {
  EnvVar env{"EMBER_LOG", "recompiles,splits"};
  ember::testing::LogCapture capture;
  std::string text() const { return capture.text(); }
};

nn::Sequential make_mlp() {
  return nn::Sequential{{"fc1", nn::Linear(6, 8)},
                        {"act", nn::Tanh()},
                        {"fc2", nn::Linear(8, 3)}};
}

Tensor step(nn::Module &m, const Tensor &x, const Tensor &y) {
  Tensor loss = (m(x) - y).pow(2).mean();
  loss.backward();
  return loss.detach();
}

void expect_same_grads(nn::Module &a, nn::Module &b) {
  auto pa = a.parameters(), pb = b.parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (size_t i = 0; i < pa.size(); ++i) {
    Tensor ga = pa[i].grad(), gb = pb[i].grad();
    ASSERT_EQ(ga.defined(), gb.defined()) << "parameter " << i;
    if (ga.defined()) {
      EXPECT_TRUE(allclose(ga, gb, 1e-5, 1e-6)) << "parameter " << i;
    }
  }
}

TEST(JitBackward, GradientsAccumulateAsEager) {
  manual_seed(0);
  nn::Sequential model = make_mlp(), ref = make_mlp();
  copy_params(model, ref);
  auto f = jit::compile(
      [&](const Tensor &x, const Tensor &y) { return step(model, x, y); },
      {.name = "train_step", .modules = {{"", &model}}});
  Tensor x = randn({5, 6}), y = randn({5, 3});
  for (int call = 0; call < 3; ++call) {
    Tensor got = f(x, y), want = step(ref, x, y);
    EXPECT_TRUE(allclose(got, want, 1e-5, 1e-6)) << "call " << call;
    expect_same_grads(model, ref); // accumulated over the calls
  }
#if EMBER_TEST_HAS_COMPILER
  EXPECT_EQ(f.stats().compiled_calls, 2);
  EXPECT_EQ(f.stats().fallbacks, 0);
#endif
  // zero_grad between calls: the next call's gradients alone.
  model.zero_grad();
  ref.zero_grad();
  f(x * 2, y);
  step(ref, x * 2, y);
  expect_same_grads(model, ref);
}

// A frozen layer gets no gradient; freezing it is a guard (a new key).
TEST(JitBackward, FrozenParametersAreAGuard) {
  SplitLog logs;
  manual_seed(1);
  nn::Sequential model = make_mlp(), ref = make_mlp();
  copy_params(model, ref);
  auto f = jit::compile(
      [&](const Tensor &x, const Tensor &y) { return step(model, x, y); },
      {.name = "freeze", .modules = {{"", &model}}});
  Tensor x = randn({4, 6}), y = randn({4, 3});
  f(x, y);
  for (auto *m : {&model, &ref})
    for (auto &p : (*m)[0].parameters())
      p.requires_grad_(false);
  model.zero_grad();
  ref.zero_grad();
  f(x, y);
  f(x, y);
  step(ref, x, y);
  step(ref, x, y);
  expect_same_grads(model, ref);
  EXPECT_FALSE(model[0].parameters()[0].grad().defined());
  EXPECT_EQ(f.stats().traces, 2);
  EXPECT_NE(logs.text().find("parameter 'fc1.weight' requires_grad true -> "
                             "false"),
            std::string::npos)
      << logs.text();
}

// What the compiler cannot take stays eager, with the reason.
TEST(JitBackward, UnsupportedUsesStayEager) {
  SplitLog logs;
  manual_seed(2);
  nn::Sequential model = make_mlp(), ref = make_mlp();
  copy_params(model, ref);
  Tensor x = randn({4, 6}), y = randn({4, 3});
  // A hand-written SGD update inside reads the .grad backward() filled:
  // that compiles too (jit_train_step_test has the optimizers); the second
  // call traces again because .grad now exists when the call begins.
  auto sgd = [](nn::Module &m, const Tensor &x, const Tensor &y) {
    Tensor loss = step(m, x, y);
    NoGradGuard no_grad;
    for (auto &p : m.parameters())
      p.sub_(p.grad() * 0.1);
    return loss;
  };
  auto f = jit::compile(
      [&](const Tensor &a, const Tensor &b) { return sgd(model, a, b); },
      {.name = "sgd_inside", .modules = {{"", &model}}});
  for (int k = 0; k < 3; ++k) {
    f(x, y);
    sgd(ref, x, y);
  }
  for (size_t i = 0; i < model.parameters().size(); ++i) {
    EXPECT_TRUE(
        allclose(model.parameters()[i], ref.parameters()[i], 1e-5, 1e-6));
    EXPECT_TRUE(allclose(model.parameters()[i].grad(),
                         ref.parameters()[i].grad(), 1e-5, 1e-6));
  }
#if EMBER_TEST_HAS_COMPILER
  EXPECT_EQ(f.stats().compiled_calls, 1);
  EXPECT_NE(logs.text().find("has a .grad now (the trace saw the opposite)"),
            std::string::npos)
      << logs.text();
#endif
  // backward() on a non-scalar with an explicit gradient.
  auto g = jit::compile(
      [&](const Tensor &a) {
        Tensor out = model(a);
        out.backward(ones_like(out));
        return out.detach();
      },
      {.name = "explicit_grad", .modules = {{"", &model}}});
  g(x);
  g(x);
  EXPECT_EQ(g.stats().compiled_calls, 0);
  EXPECT_NE(logs.text().find("explicit gradient"), std::string::npos);
}

} // namespace

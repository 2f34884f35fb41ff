// Random draws inside jit::compile: bernoulli (dropout's mask) compiles to
// Philox4x32-10 in the generated code, at the blocks the eager call would
// have taken from the default generator. So a compiled call and an eager
// call from the same generator state give bitwise the same numbers (f32
// and f64, probabilities that vary per element), the generator ends in the
// same state, every call draws anew, and a manual_seed between calls
// reaches the compiled code without a recompile. A training step with
// dropout compiles whole (forward, the mask, backward, SGD) and equals the
// eager steps (rtol 1e-5 / atol 1e-6, as jit_train_step_test).
#include "test_util.h"

using namespace ember;
using namespace ember::testing;

namespace {

TEST(JitRandom, CompiledBernoulliDrawsWhatEagerDraws) {
  for (DType dtype : {kFloat32, kFloat64}) {
    auto fn = [](const Tensor &x, const Tensor &p) {
      return x * bernoulli(p) * 2 + 1;
    };
    auto f = jit::compile(fn, {.name = "coins"});
    Tensor x = randn({37, 11}, TensorOptions().dtype(dtype));
    Tensor p = rand({37, 11}, TensorOptions().dtype(dtype));
    // The same calls eagerly and compiled, each from the same generator
    // state; a reseed between calls included.
    std::vector<Tensor> want, got;
    uint64_t want_offset = 0;
    for (int pass = 0; pass < 2; ++pass) {
      manual_seed(11);
      for (int call = 0; call < 5; ++call) {
        if (call == 3)
          manual_seed(1234567890123ull);
        Tensor y = pass == 0 ? fn(x, p) : f(x, p);
        (pass == 0 ? want : got).push_back(y);
      }
      if (pass == 0)
        want_offset = default_generator().offset();
    }
    EXPECT_EQ(default_generator().offset(), want_offset);
    for (size_t k = 0; k < want.size(); ++k)
      EXPECT_TRUE(tensors_equal(got[k], want[k]))
          << dtype << " call " << k << "\ncompiled:\n"
          << got[k] << "\neager:\n"
          << want[k];
    // Each call drew anew.
    EXPECT_FALSE(tensors_equal(got[1], got[2]));
#if EMBER_TEST_HAS_COMPILER
    EXPECT_EQ(f.stats().compiles, 1) << dtype;
    EXPECT_GE(f.stats().compiled_calls, 3) << dtype;
    EXPECT_EQ(f.stats().splits, 0) << dtype;
#endif
  }
}

TEST(JitRandom, DropoutMaskHasTheRightRate) {
  // 200k draws at p = 0.3 keep 70% within 0.5 percentage points (about 7
  // standard deviations): the compiled Philox stream is not degenerate.
  auto fn = [](const Tensor &x) {
    return nn::functional::dropout(x, 0.3, true);
  };
  auto f = jit::compile(fn, {.name = "dropout"});
  Tensor x = ones({400, 500});
  f(x);
  Tensor y = f(x);
  double kept = (y != 0).to(kFloat64).mean().item<double>();
  EXPECT_NEAR(kept, 0.7, 0.005);
  // Kept elements are scaled by 1 / (1 - p).
  EXPECT_NEAR(y.sum().item<double>() / (kept * 400 * 500), 1 / 0.7, 1e-4);
}

TEST(JitRandom, VerifyRerunsDrawTheSameNumbers) {
  // EMBER_JIT_VERIFY reruns a compiled call eagerly: from the generator
  // state the compiled call started from, so a random function verifies.
  ::setenv("EMBER_JIT_VERIFY", "1", 1);
  auto fn = [](const Tensor &x) {
    return nn::functional::dropout(x, 0.5, true) + 1;
  };
  auto f = jit::compile(fn, {.name = "verified_dropout"});
  ::unsetenv("EMBER_JIT_VERIFY");
  Tensor x = randn({16, 9});
  manual_seed(3);
  std::vector<Tensor> got;
  for (int call = 0; call < 4; ++call)
    got.push_back(f(x));
  const uint64_t offset = default_generator().offset();
  manual_seed(3);
  for (int call = 0; call < 4; ++call)
    EXPECT_TRUE(tensors_equal(got[static_cast<size_t>(call)], fn(x)))
        << "call " << call;
  EXPECT_EQ(default_generator().offset(), offset);
#if EMBER_TEST_HAS_COMPILER
  EXPECT_GE(f.stats().verified, 2);
#endif
}

nn::Sequential make_net() {
  return nn::Sequential{{"fc1", nn::Linear(6, 16)},
                        {"act", nn::ReLU()},
                        {"drop", nn::Dropout(0.5)},
                        {"fc2", nn::Linear(16, 3)}};
}

Tensor train_step(nn::Module &m, optim::Optimizer &opt, const Tensor &x,
                  const Tensor &y) {
  opt.zero_grad();
  Tensor loss = nn::functional::cross_entropy(m(x), y);
  loss.backward();
  opt.step();
  return loss.detach();
}

TEST(JitRandom, TrainingStepWithDropoutCompilesAndMatchesEager) {
  manual_seed(0);
  nn::Sequential model = make_net(), ref = make_net();
  copy_params(model, ref);
  optim::SGD opt(model.parameters(), optim::SGDOptions(0.1).momentum(0.9));
  optim::SGD ref_opt(ref.parameters(), optim::SGDOptions(0.1).momentum(0.9));
  auto step = jit::compile(
      [&](const Tensor &x, const Tensor &y) {
        return train_step(model, opt, x, y);
      },
      {.name = "dropout_step", .modules = {{"", &model}}});
  for (int k = 0; k < 6; ++k) {
    Tensor x = randn({8, 6}), y = randint(0, 3, {8});
    manual_seed(100 + k);
    Tensor got = step(x, y);
    manual_seed(100 + k);
    Tensor want = train_step(ref, ref_opt, x, y);
    EXPECT_TRUE(allclose(got, want, 1e-5, 1e-6)) << "loss of step " << k;
    auto pa = model.parameters(), pb = ref.parameters();
    for (size_t i = 0; i < pa.size(); ++i)
      EXPECT_TRUE(allclose(pa[i], pb[i], 1e-5, 1e-6))
          << "step " << k << " parameter " << i;
  }
#if EMBER_TEST_HAS_COMPILER
  EXPECT_EQ(step.stats().fallbacks, 0);
  EXPECT_EQ(step.stats().splits, 0);
  EXPECT_GE(step.stats().compiled_calls, 3);
#endif
}

} // namespace

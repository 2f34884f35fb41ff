// Whole training steps inside jit::compile: zero_grad(), loss.backward()
// (gradients by ember-autodiff) and optimizer.step() traced as ops on the
// parameters, their .grad and the optimizer state, written back in place.
// After N compiled steps the model and the optimizer must equal N eager
// steps of a copy (rtol 1e-5, atol 1e-6: the compiled code fuses and may
// contract a*b+c into an FMA), for SGD (momentum, nesterov, weight decay),
// Adam, AdamW (amsgrad), RMSprop (centered, momentum), Adagrad (lr
// decay); an LR scheduler's changes reach the compiled step
// without recompiling; replaced optimizer state or changed options trace
// again; what cannot be compiled stays eager with its reason.
#include "test_util.h"

#include <functional>
#include <memory>

using namespace ember;
using namespace ember::testing;

namespace {

nn::Sequential make_mlp() {
  return nn::Sequential{{"fc1", nn::Linear(6, 8)},
                        {"act", nn::Tanh()},
                        {"fc2", nn::Linear(8, 3)}};
}

using MakeOptimizer =
    std::function<std::unique_ptr<optim::Optimizer>(std::vector<Tensor>)>;

// One training step, as a user writes it: MSE against float targets, or
// cross-entropy (nll_loss's gather, its gradient a scatter_add) against
// class labels.
Tensor train_step(nn::Module &m, optim::Optimizer &opt, const Tensor &x,
                  const Tensor &y, bool set_to_none) {
  opt.zero_grad(set_to_none);
  Tensor loss = y.dtype() == kInt64 ? nn::functional::cross_entropy(m(x), y)
                                    : (m(x) - y).pow(2).mean();
  loss.backward();
  opt.step();
  return loss.detach();
}

void expect_same_tensors(const Tensor &a, const Tensor &b,
                         const std::string &what) {
  ASSERT_EQ(a.defined(), b.defined()) << what;
  if (a.defined()) {
    EXPECT_TRUE(allclose(a, b, 1e-5, 1e-6)) << what << "\ncompiled:\n"
                                            << a << "\neager:\n"
                                            << b;
  }
}

void expect_same_state(nn::Module &a, optim::Optimizer &oa, nn::Module &b,
                       optim::Optimizer &ob, const std::string &when) {
  auto pa = a.parameters(), pb = b.parameters();
  for (size_t i = 0; i < pa.size(); ++i) {
    expect_same_tensors(pa[i], pb[i],
                        when + ": parameter " + std::to_string(i));
    expect_same_tensors(pa[i].grad(), pb[i].grad(),
                        when + ": .grad of parameter " + std::to_string(i));
  }
  auto sa = oa.state_dict(), sb = ob.state_dict();
  ASSERT_EQ(sa.state.size(), sb.state.size()) << when;
  for (const auto &[index, dict] : sb.state)
    for (const auto &item : dict)
      expect_same_tensors(sa.state.at(index)[item.key()], item.value(),
                          when + ": state '" + item.key() + "' of parameter " +
                              std::to_string(index));
}

struct StepRun {
  int64_t compiled_calls = 0;
  int64_t compiles = 0;
  int64_t fallbacks = 0;
};

// N steps compiled against N eager steps of a copy.
StepRun
compare_steps(const MakeOptimizer &make, int steps, bool set_to_none,
              const std::function<void(optim::Optimizer &)> &between = nullptr,
              bool labels = false) {
  manual_seed(0);
  nn::Sequential model = make_mlp(), ref = make_mlp();
  copy_params(model, ref);
  auto opt = make(model.parameters()), ref_opt = make(ref.parameters());
  auto step = jit::compile(
      [&](const Tensor &x, const Tensor &y) {
        return train_step(model, *opt, x, y, set_to_none);
      },
      {.name = "train_step", .modules = {{"", &model}}});
  for (int k = 0; k < steps; ++k) {
    Tensor x = randn({5, 6});
    Tensor y = labels ? randint(0, 3, {5}) : randn({5, 3});
    Tensor got = step(x, y);
    Tensor want = train_step(ref, *ref_opt, x, y, set_to_none);
    expect_same_tensors(got, want, "loss of step " + std::to_string(k));
    expect_same_state(model, *opt, ref, *ref_opt,
                      "after step " + std::to_string(k));
    if (between) {
      between(*opt);
      between(*ref_opt);
    }
  }
  return {step.stats().compiled_calls, step.stats().compiles,
          step.stats().fallbacks};
}

MakeOptimizer sgd(optim::SGDOptions o) {
  return [o](std::vector<Tensor> ps) -> std::unique_ptr<optim::Optimizer> {
    return std::make_unique<optim::SGD>(std::move(ps), o);
  };
}

} // namespace

TEST(JitTrainStep, PlainSgdMatchesEager) {
  [[maybe_unused]] StepRun r =
      compare_steps(sgd(optim::SGDOptions(0.1)), 5, true);
#if EMBER_TEST_HAS_COMPILER
  // Step 1 finds no .grad; from step 2 on each finds last step's .grad
  // (set to none inside the function): two traces, then compiled.
  EXPECT_EQ(r.fallbacks, 0);
  EXPECT_GE(r.compiled_calls, 3);
#endif
}

TEST(JitTrainStep, SgdMomentumNesterovWeightDecayMatchesEager) {
  [[maybe_unused]] StepRun r = compare_steps(
      sgd(optim::SGDOptions(0.05).momentum(0.9).nesterov(true).weight_decay(
          1e-2)),
      6, true);
#if EMBER_TEST_HAS_COMPILER
  EXPECT_EQ(r.fallbacks, 0);
  EXPECT_GE(r.compiled_calls, 4);
#endif
}

TEST(JitTrainStep, SgdMomentumDampeningZeroGradToZerosMatchesEager) {
  // zero_grad(false): .grad is zeroed in place and backward() accumulates
  // into it, all traced.
  [[maybe_unused]] StepRun r = compare_steps(
      sgd(optim::SGDOptions(0.05).momentum(0.8).dampening(0.1)), 6, false);
#if EMBER_TEST_HAS_COMPILER
  EXPECT_EQ(r.fallbacks, 0);
  EXPECT_GE(r.compiled_calls, 4);
#endif
}

TEST(JitTrainStep, AdamMatchesEager) {
  [[maybe_unused]] StepRun r = compare_steps(
      [](std::vector<Tensor> ps) -> std::unique_ptr<optim::Optimizer> {
        return std::make_unique<optim::Adam>(
            std::move(ps), optim::AdamOptions(1e-2).weight_decay(1e-3));
      },
      6, true);
#if EMBER_TEST_HAS_COMPILER
  EXPECT_EQ(r.fallbacks, 0);
  EXPECT_GE(r.compiled_calls, 4);
#endif
}

TEST(JitTrainStep, AdamWAmsgradMatchesEager) {
  [[maybe_unused]] StepRun r = compare_steps(
      [](std::vector<Tensor> ps) -> std::unique_ptr<optim::Optimizer> {
        return std::make_unique<optim::AdamW>(
            std::move(ps),
            optim::AdamWOptions(1e-2).weight_decay(0.1).amsgrad(true));
      },
      6, false);
#if EMBER_TEST_HAS_COMPILER
  EXPECT_EQ(r.fallbacks, 0);
  EXPECT_GE(r.compiled_calls, 4);
#endif
}

TEST(JitTrainStep, CrossEntropySgdMomentumMatchesEager) {
  [[maybe_unused]] StepRun r =
      compare_steps(sgd(optim::SGDOptions(0.1).momentum(0.9)), 6, true, nullptr,
                    /*labels=*/true);
#if EMBER_TEST_HAS_COMPILER
  EXPECT_EQ(r.fallbacks, 0);
  EXPECT_GE(r.compiled_calls, 4);
#endif
}

TEST(JitTrainStep, GatherGradientWithRepeatedIndicesMatchesEager) {
  // gather's gradient scatter-adds: repeated indices accumulate.
  manual_seed(3);
  Tensor w = randn({4, 5});
  auto f = [&](const Tensor &x, const Tensor &i) {
    Tensor loss = (x.gather(1, i) * w).sum();
    loss.backward();
    return loss.detach();
  };
  auto compiled = jit::compile(f, {.name = "gather_step"});
  Tensor x = randn({4, 3}).requires_grad_(true);
  Tensor x_ref = x.detach().clone().requires_grad_(true);
  Tensor i =
      tensor({0, 2, 2, 1, 0, 1, 1, 1, 0, 0, 2, 2, 2, 2, 2, 0, 1, 0, 1, 0})
          .to(kInt64)
          .reshape({4, 5});
  for (int k = 0; k < 3; ++k) {
    Tensor got = compiled(x, i), want = f(x_ref, i);
    EXPECT_TRUE(allclose(got, want, 1e-5, 1e-6)) << "call " << k;
    EXPECT_TRUE(allclose(x.grad(), x_ref.grad(), 1e-5, 1e-6)) << "call " << k;
  }
#if EMBER_TEST_HAS_COMPILER
  EXPECT_GE(compiled.stats().compiled_calls, 1);
#endif
}

TEST(JitTrainStep, LrSchedulerReachesTheCompiledStep) {
  // The learning rate is an input of the compiled step: halving it every
  // step changes the updates without a recompile.
  [[maybe_unused]] StepRun r =
      compare_steps(sgd(optim::SGDOptions(0.2).momentum(0.9)), 7, true,
                    [](optim::Optimizer &o) {
                      for (auto &g : o.param_groups())
                        g.options().set_lr(g.options().get_lr() * 0.5);
                    });
#if EMBER_TEST_HAS_COMPILER
  EXPECT_EQ(r.compiles, 1);
  EXPECT_GE(r.compiled_calls, 5);
#endif
}

TEST(JitTrainStep, ChangedMomentumTracesAgain) {
  // Options other than the learning rate are baked in and guarded.
  int calls = 0;
  [[maybe_unused]] StepRun r =
      compare_steps(sgd(optim::SGDOptions(0.1).momentum(0.5)), 6, true,
                    [&](optim::Optimizer &o) {
                      if (++calls > 6) // from the 4th step of each on
                        for (auto &g : o.param_groups())
                          g.options().set_momentum(0.9);
                    });
#if EMBER_TEST_HAS_COMPILER
  EXPECT_EQ(r.compiles, 2);
#endif
}

TEST(JitTrainStep, LoadedOptimizerStateTracesAgain) {
  manual_seed(0);
  nn::Sequential model = make_mlp(), ref = make_mlp();
  copy_params(model, ref);
  optim::Adam opt(model.parameters(), optim::AdamOptions(1e-2));
  optim::Adam ref_opt(ref.parameters(), optim::AdamOptions(1e-2));
  auto step = jit::compile(
      [&](const Tensor &x, const Tensor &y) {
        return train_step(model, opt, x, y, true);
      },
      {.name = "train_step", .modules = {{"", &model}}});
  Tensor x = randn({5, 6}), y = randn({5, 3});
  for (int k = 0; k < 3; ++k) {
    step(x, y);
    train_step(ref, ref_opt, x, y, true);
  }
  // load_state_dict replaces the state objects the compiled step updates.
  auto saved = ref_opt.state_dict();
  opt.load_state_dict(saved);
  [[maybe_unused]] int64_t traces = step.stats().traces;
  for (int k = 0; k < 2; ++k) {
    step(x, y);
    train_step(ref, ref_opt, x, y, true);
    expect_same_state(model, opt, ref, ref_opt,
                      "after reload, step " + std::to_string(k));
  }
#if EMBER_TEST_HAS_COMPILER
  EXPECT_GT(step.stats().traces, traces);
#endif
}

TEST(JitTrainStep, ParameterOutsideTheModulesStaysEager) {
  manual_seed(0);
  nn::Sequential model = make_mlp();
  Tensor extra = randn({3}).requires_grad_(true);
  std::vector<Tensor> params = model.parameters();
  params.push_back(extra);
  optim::SGD opt(params, optim::SGDOptions(0.1));
  auto step = jit::compile(
      [&](const Tensor &x, const Tensor &y) {
        opt.zero_grad();
        Tensor loss = (model(x) + extra - y).pow(2).mean();
        loss.backward();
        opt.step();
        return loss.detach();
      },
      {.name = "train_step", .modules = {{"", &model}}});
  Tensor x = randn({5, 6}), y = randn({5, 3});
  Tensor before = extra.detach().clone();
  for (int k = 0; k < 3; ++k)
    step(x, y);
  EXPECT_FALSE(allclose(extra, before)); // the eager runs updated it
#if EMBER_TEST_HAS_COMPILER
  EXPECT_EQ(step.stats().compiled_calls, 0);
  EXPECT_GE(step.stats().fallbacks, 1);
#endif
}

TEST(JitTrainStep, RmspropMatchesEager) {
  [[maybe_unused]] StepRun r = compare_steps(
      [](std::vector<Tensor> ps) -> std::unique_ptr<optim::Optimizer> {
        return std::make_unique<optim::RMSprop>(std::move(ps),
                                                optim::RMSpropOptions(1e-2));
      },
      6, true);
#if EMBER_TEST_HAS_COMPILER
  EXPECT_EQ(r.fallbacks, 0);
  EXPECT_GE(r.compiled_calls, 4);
#endif
}

TEST(JitTrainStep, RmspropCenteredMomentumWeightDecayMatchesEager) {
  [[maybe_unused]] StepRun r = compare_steps(
      [](std::vector<Tensor> ps) -> std::unique_ptr<optim::Optimizer> {
        return std::make_unique<optim::RMSprop>(std::move(ps),
                                                optim::RMSpropOptions(1e-2)
                                                    .centered(true)
                                                    .momentum(0.9)
                                                    .weight_decay(1e-3));
      },
      6, false);
#if EMBER_TEST_HAS_COMPILER
  EXPECT_EQ(r.fallbacks, 0);
  EXPECT_GE(r.compiled_calls, 4);
#endif
}

TEST(JitTrainStep, AdagradLrDecayMatchesEager) {
  // The decayed learning rate depends on the step count: it is read anew
  // by each compiled call.
  [[maybe_unused]] StepRun r = compare_steps(
      [](std::vector<Tensor> ps) -> std::unique_ptr<optim::Optimizer> {
        return std::make_unique<optim::Adagrad>(
            std::move(ps), optim::AdagradOptions(5e-2).lr_decay(0.1));
      },
      6, true);
#if EMBER_TEST_HAS_COMPILER
  EXPECT_EQ(r.fallbacks, 0);
  EXPECT_GE(r.compiled_calls, 4);
#endif
}

TEST(JitTrainStep, OptimizerStepAloneCompiles) {
  // backward() eagerly, then a compiled optimizer step reading .grad.
  manual_seed(0);
  nn::Sequential model = make_mlp(), ref = make_mlp();
  copy_params(model, ref);
  optim::SGD opt(model.parameters(), optim::SGDOptions(0.1).momentum(0.9));
  optim::SGD ref_opt(ref.parameters(), optim::SGDOptions(0.1).momentum(0.9));
  auto update = jit::compile(
      [&](const Tensor &x) { // jit::compile takes one tensor at least
        opt.step();
        return x.sum();
      },
      {.name = "update", .modules = {{"", &model}}});
  for (int k = 0; k < 4; ++k) {
    Tensor x = randn({5, 6}), y = randn({5, 3});
    for (auto *pair : {&model, &ref}) {
      pair->zero_grad();
      ((*pair)(x)-y).pow(2).mean().backward();
    }
    update(ones({2}));
    ref_opt.step();
    expect_same_state(model, opt, ref, ref_opt,
                      "after update " + std::to_string(k));
  }
#if EMBER_TEST_HAS_COMPILER
  EXPECT_GE(update.stats().compiled_calls, 2);
#endif
}

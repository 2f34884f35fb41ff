// ember::optim against PyTorch 1.13 (test/golden/gen_optim.py): parameters
// after each of 20 steps with fixed gradients, the final per-parameter state,
// state_dict round trips, and the errors for bad options.
#include "test_util.h"

#include <ember/nn/module.h>

#include <filesystem>
#include <functional>
#include <map>

using namespace ember;
using namespace ember::testing;
namespace optim = ember::optim;

namespace {

constexpr int kSteps = 20;
const char *kTopic = "optim";

using Maker = std::function<std::unique_ptr<optim::Optimizer>(
    const std::vector<Tensor> &)>;

/// Two groups: p0 with the first options, p1 with the second.
template <typename Opt, typename O>
std::unique_ptr<optim::Optimizer> two_groups(const std::vector<Tensor> &ps,
                                             const O &o0, const O &o1) {
  return std::make_unique<Opt>(
      std::vector<optim::OptimizerParamGroup>{
          optim::OptimizerParamGroup({ps[0]}),
          optim::OptimizerParamGroup({ps[1]}, o1)},
      o0);
}

/// The configurations of gen_optim.py's OPTIMIZERS table.
const std::map<std::string, Maker> &makers() {
  using namespace optim;
  static const std::map<std::string, Maker> m = {
      {"sgd",
       [](auto &ps) { return std::make_unique<SGD>(ps, SGDOptions(0.1)); }},
      {"sgd_momentum",
       [](auto &ps) {
         return std::make_unique<SGD>(ps, SGDOptions(0.1).momentum(0.9));
       }},
      {"sgd_nesterov",
       [](auto &ps) {
         return std::make_unique<SGD>(
             ps,
             SGDOptions(0.05).momentum(0.9).nesterov(true).weight_decay(0.01));
       }},
      {"sgd_dampening_wd",
       [](auto &ps) {
         return std::make_unique<SGD>(
             ps,
             SGDOptions(0.05).momentum(0.5).dampening(0.3).weight_decay(0.1));
       }},
      {"sgd_maximize",
       [](auto &ps) {
         return std::make_unique<SGD>(
             ps, SGDOptions(0.1).momentum(0.9).maximize(true));
       }},
      {"sgd_groups",
       [](auto &ps) {
         return two_groups<SGD>(
             ps, SGDOptions(0.1).momentum(0.9),
             SGDOptions(0.01).momentum(0.5).weight_decay(0.1));
       }},
      {"adam",
       [](auto &ps) { return std::make_unique<Adam>(ps, AdamOptions(0.01)); }},
      {"adam_wd_amsgrad",
       [](auto &ps) {
         return std::make_unique<Adam>(ps, AdamOptions(0.02)
                                               .betas({0.8, 0.99})
                                               .eps(1e-6)
                                               .weight_decay(0.1)
                                               .amsgrad(true));
       }},
      {"adam_maximize",
       [](auto &ps) {
         return std::make_unique<Adam>(ps, AdamOptions(0.01).maximize(true));
       }},
      {"adam_groups",
       [](auto &ps) {
         return two_groups<Adam>(
             ps, AdamOptions(0.01),
             AdamOptions(0.001).betas({0.5, 0.9}).amsgrad(true));
       }},
      {"adamw",
       [](auto &ps) {
         return std::make_unique<AdamW>(ps, AdamWOptions(0.01));
       }},
      {"adamw_amsgrad",
       [](auto &ps) {
         return std::make_unique<AdamW>(
             ps,
             AdamWOptions(0.02).weight_decay(0.1).amsgrad(true).maximize(true));
       }},
      {"adamw_groups",
       [](auto &ps) {
         return two_groups<AdamW>(ps, AdamWOptions(0.01),
                                  AdamWOptions(0.003).weight_decay(0.5));
       }},
      {"rmsprop",
       [](auto &ps) {
         return std::make_unique<RMSprop>(ps, RMSpropOptions(0.01));
       }},
      {"rmsprop_centered",
       [](auto &ps) {
         return std::make_unique<RMSprop>(ps, RMSpropOptions(0.01)
                                                  .alpha(0.9)
                                                  .momentum(0.9)
                                                  .centered(true)
                                                  .weight_decay(0.1));
       }},
      {"rmsprop_momentum_maximize",
       [](auto &ps) {
         return std::make_unique<RMSprop>(
             ps, RMSpropOptions(0.005).momentum(0.5).eps(1e-4).maximize(true));
       }},
      {"rmsprop_groups",
       [](auto &ps) {
         return two_groups<RMSprop>(
             ps, RMSpropOptions(0.01),
             RMSpropOptions(0.001).alpha(0.5).centered(true));
       }},
      {"adagrad",
       [](auto &ps) {
         return std::make_unique<Adagrad>(ps, AdagradOptions(0.1));
       }},
      {"adagrad_full",
       [](auto &ps) {
         return std::make_unique<Adagrad>(ps,
                                          AdagradOptions(0.1)
                                              .lr_decay(0.01)
                                              .weight_decay(0.1)
                                              .initial_accumulator_value(0.1)
                                              .eps(1e-8));
       }},
      {"adagrad_maximize_groups",
       [](auto &ps) {
         return two_groups<Adagrad>(
             ps, AdagradOptions(0.1).maximize(true),
             AdagradOptions(0.01).lr_decay(0.1).maximize(true));
       }},
  };
  return m;
}

std::string dt_name(DType dt) { return dt == kFloat32 ? "f32" : "f64"; }

/// Fresh leaf parameters holding the saved initial values.
std::vector<Tensor> initial_params(DType dt) {
  std::vector<Tensor> ps;
  for (int i = 0; i < 2; ++i)
    ps.push_back(
        golden(kTopic, "init_" + dt_name(dt) + "_p" + std::to_string(i))
            .clone()
            .requires_grad_());
  return ps;
}

/// Sets each parameter's gradient to the saved one of step `s` and steps.
void step_with_saved_grads(optim::Optimizer &opt, std::vector<Tensor> &ps,
                           DType dt, int s) {
  for (size_t i = 0; i < ps.size(); ++i)
    ps[i].mutable_grad() =
        golden(kTopic, "grads_" + dt_name(dt) + "_p" + std::to_string(i))
            .select(0, s)
            .clone();
  opt.step();
}

::testing::AssertionResult matches_step(const std::string &cfg, DType dt,
                                        const std::vector<Tensor> &ps, int s) {
  for (size_t i = 0; i < ps.size(); ++i) {
    Tensor want =
        golden(kTopic, cfg + "_" + dt_name(dt) + "_p" + std::to_string(i))
            .select(0, s);
    double rtol = dt == kFloat32 ? 1e-5 : 1e-10;
    double atol = dt == kFloat32 ? 1e-6 : 1e-12;
    auto r = allclose(ps[i].detach(), want, rtol, atol);
    if (!r)
      return ::testing::AssertionFailure()
             << cfg << " " << dt_name(dt) << " p" << i << " after step "
             << s + 1 << ": " << r.message();
  }
  return ::testing::AssertionSuccess();
}

struct Case {
  std::string cfg;
  DType dt;
};
[[maybe_unused]] void PrintTo(const Case &c, std::ostream *os) {
  *os << c.cfg << " " << dt_name(c.dt);
}

class OptimGolden : public ::testing::TestWithParam<Case> {};

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (const auto &[name, _] : makers())
    for (DType dt : {kFloat32, kFloat64})
      cases.push_back({name, dt});
  return cases;
}

} // namespace

TEST_P(OptimGolden, TwentyStepsMatchPyTorch) {
  auto [cfg, dt] = GetParam();
  auto ps = initial_params(dt);
  auto opt = makers().at(cfg)(ps);
  const void *data0 = ps[0].raw_data_ptr();
  for (int s = 0; s < kSteps; ++s) {
    step_with_saved_grads(*opt, ps, dt, s);
    ASSERT_TRUE(matches_step(cfg, dt, ps, s));
  }
  // Updated in place: the tensors users hold, same storage.
  EXPECT_EQ(ps[0].raw_data_ptr(), data0);
  EXPECT_TRUE(ps[0].requires_grad());
  EXPECT_TRUE(ps[0].is_leaf());
}

class OptimStateGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(OptimStateGolden, FinalStateMatchesPyTorch) {
  const std::string cfg = GetParam();
  const DType dt = kFloat64;
  auto ps = initial_params(dt);
  auto opt = makers().at(cfg)(ps);
  for (int s = 0; s < kSteps; ++s)
    step_with_saved_grads(*opt, ps, dt, s);
  optim::OptimizerStateDict sd = opt->state_dict();
  const std::string dir = std::string(EMBER_GOLDEN_DIR) + "/" + kTopic + "/";
  for (int64_t i = 0; i < 2; ++i) {
    const std::string prefix = cfg + "_state_p" + std::to_string(i) + "_";
    if (!sd.state.count(i)) { // plain SGD keeps no state
      EXPECT_FALSE(
          std::filesystem::exists(dir + prefix + "momentum_buffer.npy"));
      continue;
    }
    const auto &state = sd.state.at(i);
    for (const auto &item : state) {
      ASSERT_TRUE(std::filesystem::exists(dir + prefix + item.key() + ".npy"))
          << cfg << ": ember has state '" << item.key()
          << "' that PyTorch does not";
      EXPECT_TRUE(
          matches_golden(item.value(), golden(kTopic, prefix + item.key())))
          << cfg << " p" << i << " state " << item.key();
    }
    for (const char *key : {"step", "momentum_buffer", "exp_avg", "exp_avg_sq",
                            "max_exp_avg_sq", "square_avg", "grad_avg", "sum"})
      if (std::filesystem::exists(dir + prefix + key + ".npy")) {
        EXPECT_TRUE(state.contains(key)) << cfg << ": missing state " << key;
      }
  }
}

TEST_P(OptimGolden, StateDictRoundTripResumesIdentically) {
  auto [cfg, dt] = GetParam();
  auto ps = initial_params(dt);
  auto opt = makers().at(cfg)(ps);
  for (int s = 0; s < kSteps / 2; ++s)
    step_with_saved_grads(*opt, ps, dt, s);
  optim::OptimizerStateDict saved = opt->state_dict();

  // A fresh optimizer on fresh parameters holding the same values.
  std::vector<Tensor> resumed;
  for (auto &p : ps)
    resumed.push_back(p.detach().clone().requires_grad_());
  auto opt2 = makers().at(cfg)(resumed);
  opt2->load_state_dict(saved);

  for (int s = kSteps / 2; s < kSteps; ++s) {
    step_with_saved_grads(*opt, ps, dt, s);
    step_with_saved_grads(*opt2, resumed, dt, s);
    for (size_t i = 0; i < ps.size(); ++i)
      ASSERT_TRUE(tensors_equal(resumed[i].detach(), ps[i].detach()))
          << cfg << " p" << i << " step " << s + 1;
    ASSERT_TRUE(matches_step(cfg, dt, resumed, s));
  }
  // The saved dict is a copy: the later steps did not change it.
  auto again = opt->state_dict();
  ASSERT_EQ(saved.state.size(), again.state.size());
  for (const auto &[i, state] : saved.state)
    for (const auto &item : state)
      if (item.key() != "step") {
        EXPECT_FALSE(tensors_equal(item.value(), again.state.at(i)[item.key()]))
            << cfg << " " << item.key();
      }
}

INSTANTIATE_TEST_SUITE_P(Optim, OptimGolden, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<Case> &info) {
                           return info.param.cfg + "_" + dt_name(info.param.dt);
                         });

INSTANTIATE_TEST_SUITE_P(Optim, OptimStateGolden, ::testing::ValuesIn([] {
                           std::vector<std::string> v;
                           for (const auto &[name, _] : makers())
                             v.push_back(name);
                           return v;
                         }()));

// --- behaviour -------------------------------------------------------------

TEST(Optim, SkipsParametersWithoutGradOrRequiresGrad) {
  Tensor a = ones({3}).requires_grad_();
  Tensor no_grad_yet = ones({2}).requires_grad_();
  Tensor frozen = ones({2});
  frozen.mutable_grad() = ones({2});
  optim::Adam opt({a, no_grad_yet, frozen}, optim::AdamOptions(0.1));
  a.mutable_grad() = full({3}, 0.5);
  opt.step();
  EXPECT_TRUE(tensors_equal(no_grad_yet.detach(), ones({2})));
  EXPECT_TRUE(tensors_equal(frozen, ones({2})));
  EXPECT_EQ(opt.state(no_grad_yet), nullptr);
  EXPECT_EQ(opt.state(frozen), nullptr);
  ASSERT_NE(opt.state(a), nullptr);
  EXPECT_TRUE(allclose(a.detach(), full({3}, 0.9)));
  auto sd = opt.state_dict();
  EXPECT_EQ(sd.state.size(), 1u);
  EXPECT_EQ(sd.param_groups.at(0).params, (std::vector<int64_t>{0, 1, 2}));
}

TEST(Optim, ZeroGrad) {
  Tensor a = ones({2}).requires_grad_(), b = ones({2}).requires_grad_();
  optim::SGD opt({a, b}, optim::SGDOptions(0.1));
  a.mutable_grad() = full({2}, 3.0);
  opt.zero_grad(/*set_to_none=*/false);
  ASSERT_TRUE(a.grad().defined());
  EXPECT_TRUE(tensors_equal(a.grad(), zeros({2})));
  EXPECT_FALSE(b.grad().defined());
  opt.zero_grad();
  EXPECT_FALSE(a.grad().defined());
}

TEST(Optim, StepWithClosureReturnsLoss) {
  Tensor w = tensor({1.0, -2.0}, dtype(kFloat64)).requires_grad_();
  optim::SGD opt({w}, optim::SGDOptions(0.25));
  int calls = 0;
  Tensor loss;
  {
    NoGradGuard outer; // the closure still records: step() turns grad on
    loss = opt.step([&] {
      ++calls;
      opt.zero_grad();
      Tensor l = (w * w).sum();
      l.backward();
      return l;
    });
  }
  EXPECT_EQ(calls, 1);
  EXPECT_DOUBLE_EQ(loss.item<double>(), 5.0);
  // w - 0.25 * 2w = 0.5 w
  EXPECT_TRUE(tensors_equal(w.detach(), tensor({0.5, -1.0}, dtype(kFloat64))));
  EXPECT_FALSE(opt.step().defined());
}

TEST(Optim, TrainsAModule) {
  struct Net : nn::Module {
    Tensor w;
    Net() { w = register_parameter("w", tensor({2.0, -3.0})); }
  } net;
  optim::SGD opt(net.parameters(), optim::SGDOptions(0.1).momentum(0.9));
  for (int i = 0; i < 200; ++i) {
    opt.zero_grad();
    (net.w * net.w).sum().backward();
    opt.step();
  }
  EXPECT_LT(net.w.detach().abs().max().item<double>(), 1e-3);
}

TEST(Optim, ParamGroupsAndAddParamGroup) {
  Tensor a = ones({2}).requires_grad_(), b = ones({2}).requires_grad_();
  auto base = optim::SGDOptions(0.1).momentum(0.9);
  optim::SGD opt({a}, base);
  opt.add_param_group(
      optim::OptimizerParamGroup({b}, optim::SGDOptions(base).lr(0.01)));
  ASSERT_EQ(opt.param_groups().size(), 2u);
  EXPECT_EQ(opt.size(), 2u);
  EXPECT_DOUBLE_EQ(opt.param_groups()[0].options().get_lr(), 0.1);
  const auto &o1 =
      static_cast<const optim::SGDOptions &>(opt.param_groups()[1].options());
  EXPECT_DOUBLE_EQ(o1.lr(), 0.01);
  EXPECT_DOUBLE_EQ(o1.momentum(), 0.9);
  a.mutable_grad() = ones({2});
  b.mutable_grad() = ones({2});
  opt.step();
  EXPECT_TRUE(allclose(a.detach(), full({2}, 0.9)));
  EXPECT_TRUE(allclose(b.detach(), full({2}, 0.99)));
  // A group without options takes the defaults.
  Tensor c = ones({1}).requires_grad_();
  opt.add_param_group(optim::OptimizerParamGroup({c}));
  EXPECT_DOUBLE_EQ(opt.param_groups()[2].options().get_lr(), 0.1);
  EXPECT_EQ(opt.parameters().size(), 3u);
}

TEST(Optim, StateDictLayout) {
  Tensor a = ones({2}, dtype(kFloat64)).requires_grad_();
  optim::Adam opt({a},
                  optim::AdamOptions(0.01).betas({0.8, 0.9}).amsgrad(true));
  a.mutable_grad() = ones({2}, dtype(kFloat64));
  opt.step();
  auto sd = opt.state_dict();
  EXPECT_EQ(sd.state.at(0).keys(),
            (std::vector<std::string>{"step", "exp_avg", "exp_avg_sq",
                                      "max_exp_avg_sq"}));
  EXPECT_EQ(sd.state.at(0)["step"].dtype(), kFloat32);
  EXPECT_EQ(sd.state.at(0)["step"].dim(), 0);
  const auto &g = sd.param_groups.at(0).options;
  EXPECT_DOUBLE_EQ(optim::state_double(g, "lr", "t"), 0.01);
  EXPECT_EQ(optim::state_doubles(g, "betas", "t"),
            (std::vector<double>{0.8, 0.9}));
  EXPECT_TRUE(optim::state_bool(g, "amsgrad", "t"));
  // Options restored by load_state_dict.
  Tensor b = ones({2}, dtype(kFloat64)).requires_grad_();
  optim::Adam fresh({b});
  fresh.load_state_dict(sd);
  const auto &o = static_cast<const optim::AdamOptions &>(
      fresh.param_groups()[0].options());
  EXPECT_DOUBLE_EQ(o.lr(), 0.01);
  EXPECT_TRUE(o.amsgrad());
  EXPECT_EQ(std::get<0>(o.betas()), 0.8);
  // Float state is cast to the parameter's dtype (step keeps its own).
  Tensor c = ones({2}, dtype(kFloat32)).requires_grad_();
  optim::Adam f32({c});
  f32.load_state_dict(sd);
  auto sd32 = f32.state_dict();
  EXPECT_EQ(sd32.state.at(0)["exp_avg"].dtype(), kFloat32);
}

// --- errors ----------------------------------------------------------------

TEST(OptimErrors, InvalidOptionsNameTheValue) {
  Tensor p = ones({2}).requires_grad_();
  using namespace optim;
  EXPECT_EMBER_ERROR(SGD({p}, SGDOptions(-0.1)),
                     "ember::optim::SGD: Invalid learning rate: -0.1");
  EXPECT_EMBER_ERROR(SGD({p}, SGDOptions(0.1).momentum(-1)),
                     "Invalid momentum value: -1.0");
  EXPECT_EMBER_ERROR(SGD({p}, SGDOptions(0.1).weight_decay(-1e-4)),
                     "Invalid weight_decay value: -0.0001");
  EXPECT_EMBER_ERROR(
      SGD({p}, SGDOptions(0.1).nesterov(true)),
      "Nesterov momentum requires a momentum and zero dampening");
  EXPECT_EMBER_ERROR(
      SGD({p}, SGDOptions(0.1).momentum(0.9).dampening(0.1).nesterov(true)),
      "Nesterov momentum requires a momentum and zero dampening");
  EXPECT_EMBER_ERROR(Adam({p}, AdamOptions(-1e-3)),
                     "ember::optim::Adam: Invalid learning rate: -0.001");
  EXPECT_EMBER_ERROR(Adam({p}, AdamOptions().betas({1.0, 0.999})),
                     "Invalid beta parameter at index 0: 1.0");
  EXPECT_EMBER_ERROR(Adam({p}, AdamOptions().betas({0.9, -0.5})),
                     "Invalid beta parameter at index 1: -0.5");
  EXPECT_EMBER_ERROR(Adam({p}, AdamOptions().eps(-1e-8)),
                     "Invalid epsilon value: -1e-08");
  EXPECT_EMBER_ERROR(AdamW({p}, AdamWOptions().weight_decay(-0.01)),
                     "ember::optim::AdamW: Invalid weight_decay value: -0.01");
  EXPECT_EMBER_ERROR(RMSprop({p}, RMSpropOptions().alpha(-0.99)),
                     "ember::optim::RMSprop: Invalid alpha value: -0.99");
  EXPECT_EMBER_ERROR(RMSprop({p}, RMSpropOptions().momentum(-0.9)),
                     "Invalid momentum value: -0.9");
  EXPECT_EMBER_ERROR(Adagrad({p}, AdagradOptions().lr_decay(-1)),
                     "ember::optim::Adagrad: Invalid lr_decay value: -1.0");
  EXPECT_EMBER_ERROR(
      Adagrad({p}, AdagradOptions().initial_accumulator_value(-0.1)),
      "Invalid initial_accumulator_value value: -0.1");
  EXPECT_EMBER_ERROR(Adagrad({p}, AdagradOptions().eps(-1e20)),
                     "Invalid epsilon value: -1e+20");
  EXPECT_EMBER_ERROR(SGD({p}, SGDOptions(std::nan(""))),
                     "Invalid learning rate: nan");
  // A group's own options are validated too.
  EXPECT_EMBER_ERROR(SGD(std::vector<OptimizerParamGroup>{OptimizerParamGroup(
                             {p}, SGDOptions(-2))},
                         SGDOptions(0.1)),
                     "Invalid learning rate: -2.0");
}

TEST(OptimErrors, BadParameters) {
  using namespace optim;
  EXPECT_EMBER_ERROR(SGD(std::vector<Tensor>{}, SGDOptions(0.1)),
                     "optimizer got an empty parameter list");
  Tensor leaf = ones({2}).requires_grad_();
  Tensor non_leaf = leaf * 2;
  EXPECT_EMBER_ERROR(SGD({non_leaf}, SGDOptions(0.1)),
                     "can't optimize a non-leaf Tensor");
  EXPECT_EMBER_ERROR(SGD({Tensor()}, SGDOptions(0.1)), "undefined tensor");
  SGD opt({leaf}, SGDOptions(0.1));
  EXPECT_EMBER_ERROR(opt.add_param_group(OptimizerParamGroup({leaf})),
                     "some parameters appear in more than one parameter group");
  Tensor other = ones({2}).requires_grad_();
  EXPECT_EMBER_ERROR(opt.add_param_group(OptimizerParamGroup({other, other})),
                     "appears twice in the same parameter group");
  EXPECT_EMBER_ERROR(
      opt.add_param_group(OptimizerParamGroup({other}, AdamOptions(0.1))),
      "a parameter group's options are not SGD's options");
  leaf.mutable_grad() = ones({3});
  EXPECT_EMBER_ERROR(opt.step(), "has a gradient of shape [3]");
  leaf.mutable_grad() = ones({2}, dtype(kFloat64));
  EXPECT_EMBER_ERROR(opt.step(), "they must match");
}

TEST(OptimErrors, LoadStateDictMismatch) {
  using namespace optim;
  Tensor a = ones({2}).requires_grad_(), b = ones({2}).requires_grad_();
  SGD one({a, b}, SGDOptions(0.1));
  SGD two(std::vector<OptimizerParamGroup>{OptimizerParamGroup({a}),
                                           OptimizerParamGroup({b})},
          SGDOptions(0.1));
  EXPECT_EMBER_ERROR(one.load_state_dict(two.state_dict()),
                     "loaded state dict has a different number of parameter "
                     "groups");
  SGD single({a}, SGDOptions(0.1));
  EXPECT_EMBER_ERROR(single.load_state_dict(one.state_dict()),
                     "doesn't match the size of optimizer's group");
  // An SGD dict with momentum state does not make Adam state.
  SGD mom({a}, SGDOptions(0.1).momentum(0.9));
  a.mutable_grad() = ones({2});
  mom.step();
  Adam adam({a});
  EXPECT_EMBER_ERROR(adam.load_state_dict(mom.state_dict()), "'step'");
  // A bad option in the dict is rejected and the optimizer is unchanged.
  auto sd = single.state_dict();
  sd.param_groups[0].options.insert_or_assign("lr", -1.0);
  EXPECT_EMBER_ERROR(single.load_state_dict(sd), "Invalid learning rate: -1.0");
  EXPECT_DOUBLE_EQ(single.param_groups()[0].options().get_lr(), 0.1);
}

// ember::optim::lr_scheduler against PyTorch 1.13 (test/golden/gen_optim.py):
// the lr (and OneCycleLR momentum / beta1) of two parameter groups after
// construction and after each of 50 steps, state_dict round trips, errors.
#include "test_util.h"

#include <cmath>
#include <functional>
#include <map>

using namespace ember;
using namespace ember::testing;
namespace optim = ember::optim;
namespace sched = ember::optim::lr_scheduler;

namespace {

constexpr int kSteps = 50;
const char *kTopic = "optim";

/// An optimizer with two groups (lr 0.1 and 0.02), as gen_optim.py's.
struct Rig {
  std::vector<Tensor> ps{zeros({2}).requires_grad_(),
                         zeros({3}).requires_grad_()};
  std::unique_ptr<optim::Optimizer> opt;
  explicit Rig(bool adam = false) {
    if (adam)
      opt =
          std::make_unique<optim::Adam>(std::vector<optim::OptimizerParamGroup>{
              optim::OptimizerParamGroup({ps[0]}, optim::AdamOptions(0.1)),
              optim::OptimizerParamGroup({ps[1]}, optim::AdamOptions(0.02))});
    else
      opt = std::make_unique<optim::SGD>(
          std::vector<optim::OptimizerParamGroup>{
              optim::OptimizerParamGroup({ps[0]},
                                         optim::SGDOptions(0.1).momentum(0.9)),
              optim::OptimizerParamGroup(
                  {ps[1]}, optim::SGDOptions(0.02).momentum(0.9))},
          optim::SGDOptions(0.1).momentum(0.9));
  }
  std::vector<double> lrs() const {
    std::vector<double> v;
    for (const auto &g : opt->param_groups())
      v.push_back(g.options().get_lr());
    return v;
  }
  std::vector<double> momentums() const {
    std::vector<double> v;
    for (const auto &g : opt->param_groups())
      v.push_back(g.options().has_betas() ? std::get<0>(g.options().get_betas())
                                          : g.options().get_momentum());
    return v;
  }
};

/// A scheduler of either kind, stepped uniformly.
struct AnyScheduler {
  std::unique_ptr<sched::LRScheduler> epoch;
  std::unique_ptr<sched::ReduceLROnPlateau> plateau;
  bool max_mode = false;
  void step(int s) {
    if (plateau) {
      double m =
          golden(kTopic, "sched_plateau_metrics").select(0, s).item<double>();
      plateau->step(max_mode ? -m : m);
    } else {
      epoch->step();
    }
  }
  std::vector<double> get_last_lr() const {
    return plateau ? plateau->get_last_lr() : epoch->get_last_lr();
  }
  optim::StateValueDict state_dict() const {
    return plateau ? plateau->state_dict() : epoch->state_dict();
  }
  void load_state_dict(const optim::StateValueDict &d) {
    plateau ? plateau->load_state_dict(d) : epoch->load_state_dict(d);
  }
};

struct Config {
  bool adam;
  std::function<AnyScheduler(optim::Optimizer &)> make;
};

template <typename S, typename... A>
std::function<AnyScheduler(optim::Optimizer &)> epoch_sched(A... args) {
  return [=](optim::Optimizer &o) {
    AnyScheduler s;
    s.epoch = std::make_unique<S>(o, args...);
    return s;
  };
}

/// gen_optim.py's SCHEDULERS table.
const std::map<std::string, Config> &configs() {
  static const std::map<std::string, Config> m = {
      {"step", {false, epoch_sched<sched::StepLR>(int64_t(7), 0.5)}},
      {"multistep",
       {false, epoch_sched<sched::MultiStepLR>(
                   std::vector<int64_t>{5, 15, 15, 30}, 0.3)}},
      {"exponential", {false, epoch_sched<sched::ExponentialLR>(0.9)}},
      {"cosine",
       {false, epoch_sched<sched::CosineAnnealingLR>(int64_t(10), 0.001)}},
      {"cosine_long",
       {false, epoch_sched<sched::CosineAnnealingLR>(int64_t(50))}},
      {"lambda",
       {false, epoch_sched<sched::LambdaLR>(
                   std::vector<sched::LambdaLR::LRLambda>{
                       [](int64_t e) { return 1.0 / double(e + 1); },
                       [](int64_t e) { return std::pow(0.95, double(e)); }})}},
      {"linear",
       {false, epoch_sched<sched::LinearLR>(0.25, 1.0, int64_t(20))}},
      {"linear_down",
       {false, epoch_sched<sched::LinearLR>(1.0, 0.1, int64_t(30))}},
      {"onecycle",
       {false, epoch_sched<sched::OneCycleLR>(
                   sched::OneCycleLROptions({1.0, 0.5}).total_steps(50))}},
      {"onecycle_linear3",
       {true, epoch_sched<sched::OneCycleLR>(sched::OneCycleLROptions(0.3)
                                                 .total_steps(60)
                                                 .pct_start(0.25)
                                                 .anneal_strategy("linear")
                                                 .three_phase(true)
                                                 .div_factor(10.0)
                                                 .final_div_factor(100.0)
                                                 .base_momentum(0.8)
                                                 .max_momentum(0.9))}},
      {"onecycle_nomomentum",
       {false, epoch_sched<sched::OneCycleLR>(sched::OneCycleLROptions(0.2)
                                                  .epochs(5)
                                                  .steps_per_epoch(11)
                                                  .cycle_momentum(false))}},
      {"plateau",
       {false,
        [](optim::Optimizer &o) {
          AnyScheduler s;
          s.plateau = std::make_unique<sched::ReduceLROnPlateau>(
              o, sched::ReduceLROnPlateauOptions()
                     .mode("min")
                     .factor(0.5)
                     .patience(3)
                     .threshold(0.01)
                     .cooldown(2)
                     .min_lr({0.01, 0.005}));
          return s;
        }}},
      {"plateau_max_abs",
       {false,
        [](optim::Optimizer &o) {
          AnyScheduler s;
          s.plateau = std::make_unique<sched::ReduceLROnPlateau>(
              o, sched::ReduceLROnPlateauOptions()
                     .mode("max")
                     .factor(0.7)
                     .patience(2)
                     .threshold(0.01)
                     .threshold_mode("abs")
                     .min_lr(0.004));
          s.max_mode = true;
          return s;
        }}},
  };
  return m;
}

::testing::AssertionResult row_matches(const std::vector<double> &got,
                                       const Tensor &table, int row,
                                       const char *what) {
  Tensor want = table.select(0, row);
  auto r = allclose(tensor(got, dtype(kFloat64)), want, 1e-10, 1e-15);
  if (!r)
    return ::testing::AssertionFailure()
           << what << " row " << row << ": " << r.message();
  return ::testing::AssertionSuccess();
}

class SchedulerGolden : public ::testing::TestWithParam<std::string> {};

std::vector<std::string> names() {
  std::vector<std::string> v;
  for (const auto &[k, _] : configs())
    v.push_back(k);
  return v;
}

} // namespace

TEST_P(SchedulerGolden, FiftyStepsMatchPyTorch) {
  const std::string name = GetParam();
  const Config &c = configs().at(name);
  Tensor lr_table = golden(kTopic, "sched_" + name + "_lr");
  bool onecycle = name.rfind("onecycle", 0) == 0;
  Tensor mom_table =
      onecycle ? golden(kTopic, "sched_" + name + "_momentum") : Tensor();
  Rig setup(c.adam);
  AnyScheduler s = c.make(*setup.opt);
  ASSERT_TRUE(row_matches(setup.lrs(), lr_table, 0, "lr"));
  ASSERT_TRUE(row_matches(s.get_last_lr(), lr_table, 0, "get_last_lr"));
  for (int i = 0; i < kSteps; ++i) {
    setup.opt->step();
    s.step(i);
    ASSERT_TRUE(row_matches(setup.lrs(), lr_table, i + 1, "lr"));
    ASSERT_TRUE(row_matches(s.get_last_lr(), lr_table, i + 1, "get_last_lr"));
    if (onecycle) {
      ASSERT_TRUE(row_matches(setup.momentums(), mom_table, i + 1, "momentum"));
    }
  }
}

TEST_P(SchedulerGolden, StateDictRoundTripResumesIdentically) {
  const std::string name = GetParam();
  const Config &c = configs().at(name);
  Tensor lr_table = golden(kTopic, "sched_" + name + "_lr");
  Rig setup(c.adam);
  AnyScheduler s = c.make(*setup.opt);
  for (int i = 0; i < 20; ++i)
    s.step(i);
  auto opt_saved = setup.opt->state_dict();
  auto sched_saved = s.state_dict();

  // Resume as PyTorch does: fresh optimizer and scheduler, then load both.
  Rig fresh(c.adam);
  AnyScheduler r = c.make(*fresh.opt);
  fresh.opt->load_state_dict(opt_saved);
  r.load_state_dict(sched_saved);
  for (int i = 20; i < kSteps; ++i) {
    s.step(i);
    r.step(i);
    ASSERT_EQ(fresh.lrs(), setup.lrs()) << name << " step " << i + 1;
    ASSERT_EQ(r.get_last_lr(), s.get_last_lr());
    ASSERT_EQ(fresh.momentums(), setup.momentums());
    ASSERT_TRUE(row_matches(fresh.lrs(), lr_table, i + 1, "lr"));
  }
}

INSTANTIATE_TEST_SUITE_P(LRScheduler, SchedulerGolden,
                         ::testing::ValuesIn(names()),
                         [](const ::testing::TestParamInfo<std::string> &info) {
                           return info.param;
                         });

// --- behaviour ---------------------------------------------------------------

TEST(LRScheduler, SetsInitialLrAndChains) {
  Rig setup;
  sched::LinearLR warmup(*setup.opt, 0.5, 1.0, 2);
  EXPECT_EQ(warmup.base_lrs(), (std::vector<double>{0.1, 0.02}));
  EXPECT_DOUBLE_EQ(setup.opt->param_groups()[0].options().initial_lr(), 0.1);
  // A second scheduler keeps the first one's initial_lr and multiplies the
  // current lr (the chainable form).
  sched::ExponentialLR decay(*setup.opt, 0.5);
  EXPECT_EQ(decay.base_lrs(), (std::vector<double>{0.1, 0.02}));
  EXPECT_DOUBLE_EQ(setup.lrs()[0], 0.05);
  warmup.step(); // 0.05 * 1.5 * ... : PyTorch's chained values
  decay.step();
  EXPECT_DOUBLE_EQ(setup.lrs()[0], 0.05 * (1.0 + 0.5 / (2 * 0.5)) * 0.5);
  EXPECT_EQ(decay.last_epoch(), 1);
}

TEST(LRScheduler, ReduceLROnPlateauAcceptsTensorMetric) {
  Rig setup;
  sched::ReduceLROnPlateau s(*setup.opt,
                             sched::ReduceLROnPlateauOptions().patience(0));
  EXPECT_EQ(s.get_last_lr(), (std::vector<double>{0.1, 0.02}));
  s.step(tensor({1.0}));
  s.step(full({}, 2.0));
  EXPECT_EQ(s.num_bad_epochs(), 0);
  EXPECT_NEAR(s.get_last_lr()[0], 0.01, 1e-15);
  EXPECT_DOUBLE_EQ(s.best(), 1.0);
  EXPECT_EMBER_ERROR(s.step(ones({2})), "one-element tensor");
}

// --- errors ------------------------------------------------------------------

TEST(LRSchedulerErrors, BadArguments) {
  Rig setup;
  auto &opt = *setup.opt;
  EXPECT_EMBER_ERROR(sched::StepLR(opt, 0),
                     "ember::optim::lr_scheduler::StepLR: step_size must be a "
                     "positive integer, but got 0");
  EXPECT_EMBER_ERROR(sched::CosineAnnealingLR(opt, -1),
                     "T_max must be a positive integer, but got -1");
  EXPECT_EMBER_ERROR(sched::LinearLR(opt, 1.5),
                     "Starting multiplicative factor expected to be greater "
                     "than 0 and less or equal to 1, but got 1.5");
  EXPECT_EMBER_ERROR(sched::LinearLR(opt, 0.0), "but got 0.0");
  EXPECT_EMBER_ERROR(sched::LinearLR(opt, 0.5, -0.1),
                     "Ending multiplicative factor expected to be between 0 "
                     "and 1, but got -0.1");
  EXPECT_EMBER_ERROR(
      sched::LambdaLR(opt, std::vector<sched::LambdaLR::LRLambda>{[](int64_t) {
                        return 1.0;
                      }}),
      "Expected 2 lr_lambdas, but got 1");
  using O = sched::OneCycleLROptions;
  EXPECT_EMBER_ERROR(sched::OneCycleLR(opt, O(0.1)),
                     "You must define either total_steps OR (epochs AND "
                     "steps_per_epoch)");
  EXPECT_EMBER_ERROR(sched::OneCycleLR(opt, O(0.1).total_steps(0)),
                     "Expected positive integer total_steps, but got 0");
  EXPECT_EMBER_ERROR(
      sched::OneCycleLR(opt, O(0.1).epochs(-1).steps_per_epoch(3)),
      "Expected positive integer epochs, but got -1");
  EXPECT_EMBER_ERROR(
      sched::OneCycleLR(opt, O(0.1).total_steps(10).pct_start(1.5)),
      "Expected float between 0 and 1 pct_start, but got 1.5");
  EXPECT_EMBER_ERROR(
      sched::OneCycleLR(opt, O(0.1).total_steps(10).anneal_strategy("exp")),
      "anneal_strategy must by one of 'cos' or 'linear', instead got exp");
  EXPECT_EMBER_ERROR(sched::OneCycleLR(opt, O({0.1, 0.2, 0.3}).total_steps(10)),
                     "expected 2 values for max_lr, got 3");
  Tensor p = zeros({2}).requires_grad_();
  optim::Adagrad adagrad({p});
  EXPECT_EMBER_ERROR(sched::OneCycleLR(adagrad, O(0.1).total_steps(10)),
                     "optimizer must support momentum with `cycle_momentum` "
                     "option enabled");
  sched::OneCycleLR ok(adagrad, O(0.1).total_steps(3).cycle_momentum(false));
  ok.step();
  ok.step();
  ok.step();
  EXPECT_EMBER_ERROR(ok.step(), "Tried to step 5 times. The specified number "
                                "of total steps is 3");

  using P = sched::ReduceLROnPlateauOptions;
  EXPECT_EMBER_ERROR(sched::ReduceLROnPlateau(opt, P().factor(1.0)),
                     "Factor should be < 1.0.");
  EXPECT_EMBER_ERROR(sched::ReduceLROnPlateau(opt, P().mode("up")),
                     "mode up is unknown!");
  EXPECT_EMBER_ERROR(sched::ReduceLROnPlateau(opt, P().threshold_mode("pct")),
                     "threshold mode pct is unknown!");
  EXPECT_EMBER_ERROR(sched::ReduceLROnPlateau(opt, P().min_lr({0.1, 0.2, 0.3})),
                     "expected 2 min_lrs, got 3");
}

TEST(LRSchedulerErrors, GroupsAddedAfterConstruction) {
  Rig setup;
  sched::StepLR s(*setup.opt, 2);
  setup.opt->add_param_group(
      optim::OptimizerParamGroup({zeros({1}).requires_grad_()}));
  EXPECT_EMBER_ERROR(s.step(), "the optimizer has 3 parameter groups, but the "
                               "scheduler was made for 2");
}

// The lr schedulers of torch.optim.lr_scheduler (PyTorch 1.13). Each get_lr
// below is PyTorch's, term for term in the same order, so the doubles round
// the same way.
#include "ember/optim/lr_scheduler.h"

#include "common.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace ember::optim::lr_scheduler {

using detail::py_float;

namespace {
constexpr double kPi = std::numbers::pi;

void check_group_count(const std::vector<double> &values, size_t groups,
                       const char *who, const char *what) {
  EMBER_CHECK(values.size() == groups, who, "expected ", groups, " values for ",
              what, ", got ", values.size());
}
/// One value for every group, or one per group.
std::vector<double> per_group(const std::vector<double> &values, size_t groups,
                              const char *who, const char *what) {
  if (values.size() == 1)
    return std::vector<double>(groups, values[0]);
  check_group_count(values, groups, who, what);
  return values;
}
} // namespace

// --- LRScheduler -------------------------------------------------------------

LRScheduler::LRScheduler(Optimizer &optimizer, const char *who)
    : optimizer_(optimizer), who_(who) {}

LRScheduler::~LRScheduler() = default;

void LRScheduler::initial_step() {
  base_lrs_.clear();
  for (auto &group : optimizer_.param_groups()) {
    auto &o = group.options();
    if (!o.has_initial_lr())
      o.set_initial_lr(o.get_lr());
    base_lrs_.push_back(o.initial_lr());
  }
  step_count_ = 0;
  step();
}

void LRScheduler::step() {
  EMBER_CHECK(optimizer_.param_groups().size() == base_lrs_.size(), who_,
              "the optimizer has ", optimizer_.param_groups().size(),
              " parameter groups, but the scheduler was made for ",
              base_lrs_.size());
  ++step_count_;
  ++last_epoch_;
  std::vector<double> values = get_lr();
  auto &groups = optimizer_.param_groups();
  for (size_t i = 0; i < groups.size() && i < values.size(); ++i)
    groups[i].options().set_lr(values[i]);
  last_lr_ = group_lrs();
}

std::vector<double> LRScheduler::group_lrs() const {
  std::vector<double> lrs;
  for (const auto &group : optimizer_.param_groups())
    lrs.push_back(group.options().get_lr());
  return lrs;
}

StateValueDict LRScheduler::state_dict() const {
  StateValueDict d;
  d.insert("base_lrs", base_lrs_);
  d.insert("last_epoch", last_epoch_);
  d.insert("_step_count", step_count_);
  d.insert("_last_lr", last_lr_);
  return d;
}

void LRScheduler::load_state_dict(const StateValueDict &d) {
  auto base_lrs = state_doubles(d, "base_lrs", who_);
  auto last_lr = state_doubles(d, "_last_lr", who_);
  check_group_count(base_lrs, optimizer_.param_groups().size(), who_,
                    "base_lrs");
  check_group_count(last_lr, optimizer_.param_groups().size(), who_,
                    "_last_lr");
  last_epoch_ = state_int(d, "last_epoch", who_);
  step_count_ = state_int(d, "_step_count", who_);
  base_lrs_ = std::move(base_lrs);
  last_lr_ = std::move(last_lr);
}

// --- LambdaLR ----------------------------------------------------------------

LambdaLR::LambdaLR(Optimizer &optimizer, LRLambda lr_lambda)
    : LRScheduler(optimizer, "optim::lr_scheduler::LambdaLR") {
  EMBER_CHECK(lr_lambda, who(), "lr_lambda is empty");
  lr_lambdas_.assign(optimizer.param_groups().size(), lr_lambda);
  initial_step();
}

LambdaLR::LambdaLR(Optimizer &optimizer, std::vector<LRLambda> lr_lambdas)
    : LRScheduler(optimizer, "optim::lr_scheduler::LambdaLR"),
      lr_lambdas_(std::move(lr_lambdas)) {
  EMBER_CHECK(lr_lambdas_.size() == optimizer.param_groups().size(), who(),
              "Expected ", optimizer.param_groups().size(),
              " lr_lambdas, but got ", lr_lambdas_.size());
  for (size_t i = 0; i < lr_lambdas_.size(); ++i)
    EMBER_CHECK(lr_lambdas_[i], who(), "lr_lambda ", i, " is empty");
  initial_step();
}

std::vector<double> LambdaLR::get_lr() {
  std::vector<double> lrs;
  for (size_t i = 0; i < lr_lambdas_.size(); ++i)
    lrs.push_back(base_lrs()[i] * lr_lambdas_[i](last_epoch()));
  return lrs;
}

// --- StepLR ------------------------------------------------------------------

StepLR::StepLR(Optimizer &optimizer, int64_t step_size, double gamma)
    : LRScheduler(optimizer, "optim::lr_scheduler::StepLR"),
      step_size_(step_size), gamma_(gamma) {
  EMBER_CHECK(step_size > 0, who(),
              "step_size must be a positive integer, but got ", step_size);
  initial_step();
}

std::vector<double> StepLR::get_lr() {
  std::vector<double> lrs = group_lrs();
  if (last_epoch() == 0 || last_epoch() % step_size_ != 0)
    return lrs;
  for (double &lr : lrs)
    lr = lr * gamma_;
  return lrs;
}

StateValueDict StepLR::state_dict() const {
  StateValueDict d = LRScheduler::state_dict();
  d.insert("step_size", step_size_);
  d.insert("gamma", gamma_);
  return d;
}

void StepLR::load_state_dict(const StateValueDict &d) {
  int64_t step_size = state_int(d, "step_size", who());
  EMBER_CHECK(step_size > 0, who(),
              "step_size must be a positive integer, "
              "but the state dict has ",
              step_size);
  double gamma = state_double(d, "gamma", who());
  LRScheduler::load_state_dict(d);
  step_size_ = step_size;
  gamma_ = gamma;
}

// --- MultiStepLR -------------------------------------------------------------

MultiStepLR::MultiStepLR(Optimizer &optimizer, std::vector<int64_t> milestones,
                         double gamma)
    : LRScheduler(optimizer, "optim::lr_scheduler::MultiStepLR"),
      milestones_(std::move(milestones)), gamma_(gamma) {
  std::sort(milestones_.begin(), milestones_.end());
  initial_step();
}

std::vector<double> MultiStepLR::get_lr() {
  std::vector<double> lrs = group_lrs();
  auto count = std::count(milestones_.begin(), milestones_.end(), last_epoch());
  if (count == 0)
    return lrs;
  for (double &lr : lrs)
    lr = lr * std::pow(gamma_, static_cast<double>(count));
  return lrs;
}

StateValueDict MultiStepLR::state_dict() const {
  StateValueDict d = LRScheduler::state_dict();
  d.insert("milestones", milestones_);
  d.insert("gamma", gamma_);
  return d;
}

void MultiStepLR::load_state_dict(const StateValueDict &d) {
  auto milestones = state_ints(d, "milestones", who());
  double gamma = state_double(d, "gamma", who());
  LRScheduler::load_state_dict(d);
  milestones_ = std::move(milestones);
  std::sort(milestones_.begin(), milestones_.end());
  gamma_ = gamma;
}

// --- ExponentialLR -----------------------------------------------------------

ExponentialLR::ExponentialLR(Optimizer &optimizer, double gamma)
    : LRScheduler(optimizer, "optim::lr_scheduler::ExponentialLR"),
      gamma_(gamma) {
  initial_step();
}

std::vector<double> ExponentialLR::get_lr() {
  std::vector<double> lrs = group_lrs();
  if (last_epoch() == 0)
    return lrs;
  for (double &lr : lrs)
    lr = lr * gamma_;
  return lrs;
}

StateValueDict ExponentialLR::state_dict() const {
  StateValueDict d = LRScheduler::state_dict();
  d.insert("gamma", gamma_);
  return d;
}

void ExponentialLR::load_state_dict(const StateValueDict &d) {
  double gamma = state_double(d, "gamma", who());
  LRScheduler::load_state_dict(d);
  gamma_ = gamma;
}

// --- CosineAnnealingLR -------------------------------------------------------

CosineAnnealingLR::CosineAnnealingLR(Optimizer &optimizer, int64_t T_max,
                                     double eta_min)
    : LRScheduler(optimizer, "optim::lr_scheduler::CosineAnnealingLR"),
      T_max_(T_max), eta_min_(eta_min) {
  EMBER_CHECK(T_max > 0, who(), "T_max must be a positive integer, but got ",
              T_max);
  initial_step();
}

std::vector<double> CosineAnnealingLR::get_lr() {
  std::vector<double> lrs = group_lrs();
  const int64_t e = last_epoch();
  const double T = static_cast<double>(T_max_);
  if (e == 0)
    return lrs;
  for (size_t i = 0; i < lrs.size(); ++i) {
    double base_lr = base_lrs()[i], lr = lrs[i];
    if (step_count() == 1 && e > 0)
      lrs[i] = eta_min_ +
               (base_lr - eta_min_) * (1 + std::cos(double(e) * kPi / T)) / 2;
    else if ((e - 1 - T_max_) % (2 * T_max_) == 0)
      lrs[i] = lr + (base_lr - eta_min_) * (1 - std::cos(kPi / T)) / 2;
    else
      lrs[i] = (1 + std::cos(kPi * double(e) / T)) /
                   (1 + std::cos(kPi * double(e - 1) / T)) * (lr - eta_min_) +
               eta_min_;
  }
  return lrs;
}

StateValueDict CosineAnnealingLR::state_dict() const {
  StateValueDict d = LRScheduler::state_dict();
  d.insert("T_max", T_max_);
  d.insert("eta_min", eta_min_);
  return d;
}

void CosineAnnealingLR::load_state_dict(const StateValueDict &d) {
  int64_t T_max = state_int(d, "T_max", who());
  EMBER_CHECK(T_max > 0, who(),
              "T_max must be a positive integer, but the "
              "state dict has ",
              T_max);
  double eta_min = state_double(d, "eta_min", who());
  LRScheduler::load_state_dict(d);
  T_max_ = T_max;
  eta_min_ = eta_min;
}

// --- LinearLR ----------------------------------------------------------------

LinearLR::LinearLR(Optimizer &optimizer, double start_factor, double end_factor,
                   int64_t total_iters)
    : LRScheduler(optimizer, "optim::lr_scheduler::LinearLR"),
      start_factor_(start_factor), end_factor_(end_factor),
      total_iters_(total_iters) {
  // PyTorch accepts start_factor = 0 and then divides by zero at epoch 1.
  EMBER_CHECK(start_factor > 0 && start_factor <= 1.0, who(),
              "Starting multiplicative factor expected to be greater than 0 "
              "and less or equal to 1, but got ",
              py_float(start_factor));
  EMBER_CHECK(end_factor >= 0 && end_factor <= 1.0, who(),
              "Ending multiplicative factor expected to be between 0 and 1, "
              "but got ",
              py_float(end_factor));
  EMBER_CHECK(total_iters >= 0, who(),
              "total_iters must not be negative, but got ", total_iters);
  initial_step();
}

std::vector<double> LinearLR::get_lr() {
  std::vector<double> lrs = group_lrs();
  const int64_t e = last_epoch();
  if (e == 0) {
    for (double &lr : lrs)
      lr = lr * start_factor_;
    return lrs;
  }
  if (e > total_iters_)
    return lrs;
  for (double &lr : lrs)
    lr = lr * (1. + (end_factor_ - start_factor_) /
                        (double(total_iters_) * start_factor_ +
                         double(e - 1) * (end_factor_ - start_factor_)));
  return lrs;
}

StateValueDict LinearLR::state_dict() const {
  StateValueDict d = LRScheduler::state_dict();
  d.insert("start_factor", start_factor_);
  d.insert("end_factor", end_factor_);
  d.insert("total_iters", total_iters_);
  return d;
}

void LinearLR::load_state_dict(const StateValueDict &d) {
  double start = state_double(d, "start_factor", who());
  double end = state_double(d, "end_factor", who());
  int64_t total = state_int(d, "total_iters", who());
  LRScheduler::load_state_dict(d);
  start_factor_ = start;
  end_factor_ = end;
  total_iters_ = total;
}

// --- OneCycleLR --------------------------------------------------------------

namespace {
// What a phase anneals between: lrs, then momentums.
enum { kInitialLr, kMaxLr, kMinLr };
enum { kMaxMomentum, kBaseMomentum };
constexpr const char *kOneCycle = "optim::lr_scheduler::OneCycleLR";
} // namespace

OneCycleLR::OneCycleLR(Optimizer &optimizer, const OneCycleLROptions &o)
    : LRScheduler(optimizer, kOneCycle), pct_start_(o.pct_start()),
      anneal_strategy_(o.anneal_strategy()), three_phase_(o.three_phase()),
      cycle_momentum_(o.cycle_momentum()) {
  if (o.total_steps()) {
    total_steps_ = *o.total_steps();
    EMBER_CHECK(total_steps_ > 0, who(),
                "Expected positive integer total_steps, but got ",
                total_steps_);
  } else {
    EMBER_CHECK(o.epochs() && o.steps_per_epoch(), who(),
                "You must define either total_steps OR (epochs AND "
                "steps_per_epoch)");
    EMBER_CHECK(*o.epochs() > 0, who(),
                "Expected positive integer epochs, but got ", *o.epochs());
    EMBER_CHECK(*o.steps_per_epoch() > 0, who(),
                "Expected positive integer steps_per_epoch, but got ",
                *o.steps_per_epoch());
    total_steps_ = *o.epochs() * *o.steps_per_epoch();
  }
  EMBER_CHECK(pct_start_ >= 0 && pct_start_ <= 1, who(),
              "Expected float between 0 and 1 pct_start, but got ",
              py_float(pct_start_));
  EMBER_CHECK(anneal_strategy_ == "cos" || anneal_strategy_ == "linear", who(),
              "anneal_strategy must by one of 'cos' or 'linear', instead got ",
              anneal_strategy_);
  auto &groups = optimizer.param_groups();
  const size_t n = groups.size();
  max_lrs_ = per_group(o.max_lr(), n, who(), "max_lr");
  for (size_t i = 0; i < n; ++i) {
    double initial_lr = max_lrs_[i] / o.div_factor();
    groups[i].options().set_initial_lr(initial_lr);
    min_lrs_.push_back(initial_lr / o.final_div_factor());
  }
  if (cycle_momentum_) {
    const auto &defaults = optimizer.defaults();
    EMBER_CHECK(defaults.has_momentum() || defaults.has_betas(), who(),
                "optimizer must support momentum with `cycle_momentum` option "
                "enabled (",
                optimizer.name(), " has no momentum or betas)");
    use_beta1_ = defaults.has_betas();
    max_momentums_ = per_group(o.max_momentum(), n, who(), "max_momentum");
    base_momentums_ = per_group(o.base_momentum(), n, who(), "base_momentum");
    for (size_t i = 0; i < n; ++i) {
      auto &opts = groups[i].options();
      if (use_beta1_)
        opts.set_betas({max_momentums_[i], std::get<1>(opts.get_betas())});
      else
        opts.set_momentum(max_momentums_[i]);
    }
  }
  initial_step();
}

std::vector<OneCycleLR::Phase> OneCycleLR::phases() const {
  const double total = static_cast<double>(total_steps_);
  if (three_phase_)
    return {{pct_start_ * total - 1, kInitialLr, kMaxLr, kMaxMomentum,
             kBaseMomentum},
            {2 * pct_start_ * total - 2, kMaxLr, kInitialLr, kBaseMomentum,
             kMaxMomentum},
            {total - 1, kInitialLr, kMinLr, kMaxMomentum, kMaxMomentum}};
  return {
      {pct_start_ * total - 1, kInitialLr, kMaxLr, kMaxMomentum, kBaseMomentum},
      {total - 1, kMaxLr, kMinLr, kBaseMomentum, kMaxMomentum}};
}

double OneCycleLR::anneal(double start, double end, double pct) const {
  if (anneal_strategy_ == "cos") {
    double cos_out = std::cos(kPi * pct) + 1;
    return end + (start - end) / 2.0 * cos_out;
  }
  return (end - start) * pct + start;
}

std::vector<double> OneCycleLR::get_lr() {
  const int64_t step_num = last_epoch();
  EMBER_CHECK(step_num <= total_steps_, who(), "Tried to step ", step_num + 1,
              " times. The specified number of total steps is ", total_steps_);
  const auto phase_list = phases();
  auto &groups = optimizer().param_groups();
  std::vector<double> lrs;
  for (size_t g = 0; g < groups.size(); ++g) {
    auto &opts = groups[g].options();
    const double lr_of[] = {opts.initial_lr(), max_lrs_[g], min_lrs_[g]};
    double computed_lr = 0, computed_momentum = 0;
    double start_step = 0;
    for (size_t i = 0; i < phase_list.size(); ++i) {
      const Phase &phase = phase_list[i];
      if (double(step_num) <= phase.end_step || i == phase_list.size() - 1) {
        double pct =
            (double(step_num) - start_step) / (phase.end_step - start_step);
        computed_lr = anneal(lr_of[phase.start_lr], lr_of[phase.end_lr], pct);
        if (cycle_momentum_) {
          const double mom_of[] = {max_momentums_[g], base_momentums_[g]};
          computed_momentum = anneal(mom_of[phase.start_momentum],
                                     mom_of[phase.end_momentum], pct);
        }
        break;
      }
      start_step = phase.end_step;
    }
    lrs.push_back(computed_lr);
    if (cycle_momentum_) {
      if (use_beta1_)
        opts.set_betas({computed_momentum, std::get<1>(opts.get_betas())});
      else
        opts.set_momentum(computed_momentum);
    }
  }
  return lrs;
}

StateValueDict OneCycleLR::state_dict() const {
  StateValueDict d = LRScheduler::state_dict();
  d.insert("total_steps", total_steps_);
  d.insert("pct_start", pct_start_);
  d.insert("anneal_strategy", anneal_strategy_);
  d.insert("three_phase", three_phase_);
  d.insert("cycle_momentum", cycle_momentum_);
  d.insert("use_beta1", use_beta1_);
  d.insert("max_lrs", max_lrs_);
  d.insert("min_lrs", min_lrs_);
  d.insert("max_momentums", max_momentums_);
  d.insert("base_momentums", base_momentums_);
  return d;
}

void OneCycleLR::load_state_dict(const StateValueDict &d) {
  const size_t n = optimizer().param_groups().size();
  int64_t total_steps = state_int(d, "total_steps", who());
  double pct_start = state_double(d, "pct_start", who());
  std::string anneal = state_string(d, "anneal_strategy", who());
  EMBER_CHECK(anneal == "cos" || anneal == "linear", who(),
              "anneal_strategy must by one of 'cos' or 'linear', instead got ",
              anneal);
  bool three_phase = state_bool(d, "three_phase", who());
  bool cycle = state_bool(d, "cycle_momentum", who());
  bool use_beta1 = state_bool(d, "use_beta1", who());
  auto max_lrs = state_doubles(d, "max_lrs", who());
  auto min_lrs = state_doubles(d, "min_lrs", who());
  auto max_moms = state_doubles(d, "max_momentums", who());
  auto base_moms = state_doubles(d, "base_momentums", who());
  check_group_count(max_lrs, n, who(), "max_lrs");
  check_group_count(min_lrs, n, who(), "min_lrs");
  if (cycle) {
    check_group_count(max_moms, n, who(), "max_momentums");
    check_group_count(base_moms, n, who(), "base_momentums");
  }
  LRScheduler::load_state_dict(d);
  total_steps_ = total_steps;
  pct_start_ = pct_start;
  anneal_strategy_ = anneal;
  three_phase_ = three_phase;
  cycle_momentum_ = cycle;
  use_beta1_ = use_beta1;
  max_lrs_ = std::move(max_lrs);
  min_lrs_ = std::move(min_lrs);
  max_momentums_ = std::move(max_moms);
  base_momentums_ = std::move(base_moms);
}

// --- ReduceLROnPlateau -------------------------------------------------------

namespace {
constexpr const char *kPlateau = "optim::lr_scheduler::ReduceLROnPlateau";
}

ReduceLROnPlateau::ReduceLROnPlateau(Optimizer &optimizer,
                                     const ReduceLROnPlateauOptions &o)
    : optimizer_(optimizer), mode_(o.mode()),
      threshold_mode_(o.threshold_mode()), factor_(o.factor()),
      threshold_(o.threshold()), eps_(o.eps()), patience_(o.patience()),
      cooldown_(o.cooldown()) {
  EMBER_CHECK(factor_ < 1.0, kPlateau, "Factor should be < 1.0. (got ",
              py_float(factor_), ")");
  const size_t n = optimizer.param_groups().size();
  EMBER_CHECK(o.min_lr().size() == 1 || o.min_lr().size() == n, kPlateau,
              "expected ", n, " min_lrs, got ", o.min_lr().size());
  min_lrs_ = per_group(o.min_lr(), n, kPlateau, "min_lr");
  check_modes();
  mode_worse_ = mode_ == "min" ? std::numeric_limits<double>::infinity()
                               : -std::numeric_limits<double>::infinity();
  best_ = mode_worse_;
  for (const auto &group : optimizer.param_groups())
    last_lr_.push_back(group.options().get_lr());
}

void ReduceLROnPlateau::check_modes() const {
  EMBER_CHECK(mode_ == "min" || mode_ == "max", kPlateau, "mode ", mode_,
              " is unknown!");
  EMBER_CHECK(threshold_mode_ == "rel" || threshold_mode_ == "abs", kPlateau,
              "threshold mode ", threshold_mode_, " is unknown!");
}

void ReduceLROnPlateau::step(const Tensor &metric) {
  EMBER_CHECK(metric.defined() && metric.numel() == 1, kPlateau,
              "the metric must be a one-element tensor");
  step(metric.item<double>());
}

void ReduceLROnPlateau::step(double current) {
  EMBER_CHECK(optimizer_.param_groups().size() == min_lrs_.size(), kPlateau,
              "the optimizer has ", optimizer_.param_groups().size(),
              " parameter groups, but the scheduler was made for ",
              min_lrs_.size());
  last_epoch_ += 1;
  if (is_better(current, best_)) {
    best_ = current;
    num_bad_epochs_ = 0;
  } else {
    num_bad_epochs_ += 1;
  }
  if (in_cooldown()) {
    cooldown_counter_ -= 1;
    num_bad_epochs_ = 0; // ignore any bad epochs in cooldown
  }
  if (num_bad_epochs_ > patience_) {
    reduce_lr();
    cooldown_counter_ = cooldown_;
    num_bad_epochs_ = 0;
  }
  last_lr_.clear();
  for (const auto &group : optimizer_.param_groups())
    last_lr_.push_back(group.options().get_lr());
}

void ReduceLROnPlateau::reduce_lr() {
  auto &groups = optimizer_.param_groups();
  for (size_t i = 0; i < groups.size(); ++i) {
    auto &o = groups[i].options();
    double old_lr = o.get_lr();
    double new_lr = std::max(old_lr * factor_, min_lrs_[i]);
    if (old_lr - new_lr > eps_)
      o.set_lr(new_lr);
  }
}

bool ReduceLROnPlateau::is_better(double a, double best) const {
  if (mode_ == "min" && threshold_mode_ == "rel")
    return a < best * (1. - threshold_);
  if (mode_ == "min")
    return a < best - threshold_;
  if (threshold_mode_ == "rel")
    return a > best * (threshold_ + 1.);
  return a > best + threshold_;
}

StateValueDict ReduceLROnPlateau::state_dict() const {
  StateValueDict d;
  d.insert("factor", factor_);
  d.insert("min_lrs", min_lrs_);
  d.insert("patience", patience_);
  d.insert("cooldown", cooldown_);
  d.insert("cooldown_counter", cooldown_counter_);
  d.insert("mode", mode_);
  d.insert("threshold", threshold_);
  d.insert("threshold_mode", threshold_mode_);
  d.insert("best", best_);
  d.insert("num_bad_epochs", num_bad_epochs_);
  d.insert("mode_worse", mode_worse_);
  d.insert("eps", eps_);
  d.insert("last_epoch", last_epoch_);
  d.insert("_last_lr", last_lr_);
  return d;
}

void ReduceLROnPlateau::load_state_dict(const StateValueDict &d) {
  const size_t n = optimizer_.param_groups().size();
  auto min_lrs = state_doubles(d, "min_lrs", kPlateau);
  auto last_lr = state_doubles(d, "_last_lr", kPlateau);
  check_group_count(min_lrs, n, kPlateau, "min_lrs");
  check_group_count(last_lr, n, kPlateau, "_last_lr");
  double factor = state_double(d, "factor", kPlateau);
  EMBER_CHECK(factor < 1.0, kPlateau, "Factor should be < 1.0. (got ",
              py_float(factor), ")");
  std::string mode = state_string(d, "mode", kPlateau);
  std::string threshold_mode = state_string(d, "threshold_mode", kPlateau);
  EMBER_CHECK(mode == "min" || mode == "max", kPlateau, "mode ", mode,
              " is unknown!");
  EMBER_CHECK(threshold_mode == "rel" || threshold_mode == "abs", kPlateau,
              "threshold mode ", threshold_mode, " is unknown!");
  int64_t patience = state_int(d, "patience", kPlateau);
  int64_t cooldown = state_int(d, "cooldown", kPlateau);
  int64_t cooldown_counter = state_int(d, "cooldown_counter", kPlateau);
  double threshold = state_double(d, "threshold", kPlateau);
  double best = state_double(d, "best", kPlateau);
  int64_t num_bad_epochs = state_int(d, "num_bad_epochs", kPlateau);
  double eps = state_double(d, "eps", kPlateau);
  int64_t last_epoch = state_int(d, "last_epoch", kPlateau);
  factor_ = factor;
  min_lrs_ = std::move(min_lrs);
  patience_ = patience;
  cooldown_ = cooldown;
  cooldown_counter_ = cooldown_counter;
  mode_ = mode;
  threshold_ = threshold;
  threshold_mode_ = threshold_mode;
  best_ = best;
  num_bad_epochs_ = num_bad_epochs;
  mode_worse_ = mode_ == "min" ? std::numeric_limits<double>::infinity()
                               : -std::numeric_limits<double>::infinity();
  eps_ = eps;
  last_epoch_ = last_epoch;
  last_lr_ = std::move(last_lr);
}

} // namespace ember::optim::lr_scheduler

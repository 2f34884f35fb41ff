// ember::optim::lr_scheduler: learning-rate schedules with the formulas of
// torch.optim.lr_scheduler (PyTorch 1.13), including its recursive
// ("chainable") forms, so the lr sequences match PyTorch's to the last bits.
//
//   optim::SGD opt(model.parameters(), optim::SGDOptions(0.1).momentum(0.9));
//   optim::lr_scheduler::StepLR sched(opt, /*step_size=*/30, /*gamma=*/0.1);
//   for (int epoch = 0; epoch < 90; ++epoch) {
//     train_one_epoch(opt);       // opt.step() inside
//     sched.step();
//   }
//
// Constructing a scheduler takes its first step (as PyTorch's does): it sets
// each group's initial_lr (when not set yet) and its lr for epoch 0. The
// schedulers read and write lr (and OneCycleLR momentum / beta1) through the
// optimizer's group options, so several schedulers can be chained on one
// optimizer. state_dict() holds the scheduler's fields under PyTorch's names;
// the lr itself lives in the optimizer, so resuming loads both.
#pragma once

#include "ember/optim/optimizer.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ember::optim::lr_scheduler {

/// The base of the epoch-indexed schedulers (PyTorch's _LRScheduler).
class LRScheduler {
public:
  virtual ~LRScheduler();
  LRScheduler(const LRScheduler &) = delete;
  LRScheduler &operator=(const LRScheduler &) = delete;

  /// Advances one epoch and sets every group's lr.
  void step();
  /// The lrs the last step() set, one per group.
  const std::vector<double> &get_last_lr() const { return last_lr_; }
  /// The lrs each group started from (their initial_lr).
  const std::vector<double> &base_lrs() const { return base_lrs_; }
  int64_t last_epoch() const { return last_epoch_; }
  Optimizer &optimizer() { return optimizer_; }

  /// base_lrs, last_epoch, _step_count, _last_lr and the schedule's own
  /// fields (PyTorch's __dict__ without the optimizer).
  virtual StateValueDict state_dict() const;
  virtual void load_state_dict(const StateValueDict &dict);

protected:
  LRScheduler(Optimizer &optimizer, const char *who);
  /// Sets initial_lr where missing, records base_lrs and takes the first
  /// step; every derived constructor calls it last.
  void initial_step();
  /// The lrs for last_epoch() (PyTorch's get_lr, chainable form).
  virtual std::vector<double> get_lr() = 0;
  /// The groups' current lrs.
  std::vector<double> group_lrs() const;
  const char *who() const { return who_; }
  int64_t step_count() const { return step_count_; }

private:
  Optimizer &optimizer_;
  const char *who_;
  std::vector<double> base_lrs_, last_lr_;
  int64_t last_epoch_ = -1;
  int64_t step_count_ = 0;
};

/// lr = initial_lr * lr_lambda(epoch), one function for all groups or one
/// per group. The functions are not part of state_dict().
class LambdaLR : public LRScheduler {
public:
  using LRLambda = std::function<double(int64_t)>;
  LambdaLR(Optimizer &optimizer, LRLambda lr_lambda);
  LambdaLR(Optimizer &optimizer, std::vector<LRLambda> lr_lambdas);

protected:
  std::vector<double> get_lr() override;

private:
  std::vector<LRLambda> lr_lambdas_;
};

/// Multiplies the lr by gamma every step_size epochs.
class StepLR : public LRScheduler {
public:
  StepLR(Optimizer &optimizer, int64_t step_size, double gamma = 0.1);
  StateValueDict state_dict() const override;
  void load_state_dict(const StateValueDict &dict) override;

protected:
  std::vector<double> get_lr() override;

private:
  int64_t step_size_;
  double gamma_;
};

/// Multiplies the lr by gamma at each milestone (a milestone listed twice
/// multiplies by gamma^2).
class MultiStepLR : public LRScheduler {
public:
  MultiStepLR(Optimizer &optimizer, std::vector<int64_t> milestones,
              double gamma = 0.1);
  StateValueDict state_dict() const override;
  void load_state_dict(const StateValueDict &dict) override;

protected:
  std::vector<double> get_lr() override;

private:
  std::vector<int64_t> milestones_; // sorted, with repeats
  double gamma_;
};

/// Multiplies the lr by gamma every epoch.
class ExponentialLR : public LRScheduler {
public:
  ExponentialLR(Optimizer &optimizer, double gamma);
  StateValueDict state_dict() const override;
  void load_state_dict(const StateValueDict &dict) override;

protected:
  std::vector<double> get_lr() override;

private:
  double gamma_;
};

/// Cosine annealing from initial_lr to eta_min over T_max epochs (and back,
/// periodically, past T_max), with PyTorch's recursive update.
class CosineAnnealingLR : public LRScheduler {
public:
  CosineAnnealingLR(Optimizer &optimizer, int64_t T_max, double eta_min = 0);
  StateValueDict state_dict() const override;
  void load_state_dict(const StateValueDict &dict) override;

protected:
  std::vector<double> get_lr() override;

private:
  int64_t T_max_;
  double eta_min_;
};

/// Scales the lr linearly from start_factor to end_factor over total_iters
/// epochs.
class LinearLR : public LRScheduler {
public:
  LinearLR(Optimizer &optimizer, double start_factor = 1.0 / 3,
           double end_factor = 1.0, int64_t total_iters = 5);
  StateValueDict state_dict() const override;
  void load_state_dict(const StateValueDict &dict) override;

protected:
  std::vector<double> get_lr() override;

private:
  double start_factor_, end_factor_;
  int64_t total_iters_;
};

class OneCycleLROptions {
public:
  /// One max_lr for every group, or one per group.
  explicit OneCycleLROptions(double max_lr) : max_lr_{max_lr} {}
  explicit OneCycleLROptions(std::vector<double> max_lr)
      : max_lr_(std::move(max_lr)) {}

  /// The cycle length: total_steps, or epochs * steps_per_epoch.
  OneCycleLROptions &total_steps(int64_t v) {
    total_steps_ = v;
    return *this;
  }
  OneCycleLROptions &epochs(int64_t v) {
    epochs_ = v;
    return *this;
  }
  OneCycleLROptions &steps_per_epoch(int64_t v) {
    steps_per_epoch_ = v;
    return *this;
  }
  OneCycleLROptions &pct_start(double v) {
    pct_start_ = v;
    return *this;
  }
  /// "cos" or "linear".
  OneCycleLROptions &anneal_strategy(std::string v) {
    anneal_strategy_ = std::move(v);
    return *this;
  }
  OneCycleLROptions &cycle_momentum(bool v) {
    cycle_momentum_ = v;
    return *this;
  }
  OneCycleLROptions &base_momentum(double v) {
    base_momentum_ = {v};
    return *this;
  }
  OneCycleLROptions &base_momentum(std::vector<double> v) {
    base_momentum_ = std::move(v);
    return *this;
  }
  OneCycleLROptions &max_momentum(double v) {
    max_momentum_ = {v};
    return *this;
  }
  OneCycleLROptions &max_momentum(std::vector<double> v) {
    max_momentum_ = std::move(v);
    return *this;
  }
  OneCycleLROptions &div_factor(double v) {
    div_factor_ = v;
    return *this;
  }
  OneCycleLROptions &final_div_factor(double v) {
    final_div_factor_ = v;
    return *this;
  }
  OneCycleLROptions &three_phase(bool v) {
    three_phase_ = v;
    return *this;
  }

  const std::vector<double> &max_lr() const { return max_lr_; }
  std::optional<int64_t> total_steps() const { return total_steps_; }
  std::optional<int64_t> epochs() const { return epochs_; }
  std::optional<int64_t> steps_per_epoch() const { return steps_per_epoch_; }
  double pct_start() const { return pct_start_; }
  const std::string &anneal_strategy() const { return anneal_strategy_; }
  bool cycle_momentum() const { return cycle_momentum_; }
  const std::vector<double> &base_momentum() const { return base_momentum_; }
  const std::vector<double> &max_momentum() const { return max_momentum_; }
  double div_factor() const { return div_factor_; }
  double final_div_factor() const { return final_div_factor_; }
  bool three_phase() const { return three_phase_; }

private:
  std::vector<double> max_lr_;
  std::optional<int64_t> total_steps_, epochs_, steps_per_epoch_;
  double pct_start_ = 0.3;
  std::string anneal_strategy_ = "cos";
  bool cycle_momentum_ = true;
  std::vector<double> base_momentum_{0.85}, max_momentum_{0.95};
  double div_factor_ = 25.0, final_div_factor_ = 1e4;
  bool three_phase_ = false;
};

/// The 1cycle policy: lr from max_lr/div_factor up to max_lr, then down to
/// initial_lr/final_div_factor (three_phase: up, back down to initial_lr,
/// then to the minimum), with momentum (SGD/RMSprop) or beta1 (Adam) cycled
/// inversely between max_momentum and base_momentum. Step it once per
/// batch; more than total_steps steps is an error.
class OneCycleLR : public LRScheduler {
public:
  OneCycleLR(Optimizer &optimizer, const OneCycleLROptions &options);
  int64_t total_steps() const { return total_steps_; }
  StateValueDict state_dict() const override;
  void load_state_dict(const StateValueDict &dict) override;

protected:
  std::vector<double> get_lr() override;

private:
  struct Phase {
    double end_step;
    int start_lr, end_lr, start_momentum, end_momentum; // Which values below
  };
  std::vector<Phase> phases() const;
  double anneal(double start, double end, double pct) const;

  int64_t total_steps_ = 0;
  double pct_start_ = 0.3;
  std::string anneal_strategy_;
  bool three_phase_ = false, cycle_momentum_ = true, use_beta1_ = false;
  // Per group: initial (= the options' initial_lr), max and min lr; base and
  // max momentum.
  std::vector<double> max_lrs_, min_lrs_, base_momentums_, max_momentums_;
};

class ReduceLROnPlateauOptions {
public:
  ReduceLROnPlateauOptions() = default;

  /// "min": the metric should fall (a loss); "max": rise (an accuracy).
  ReduceLROnPlateauOptions &mode(std::string v) {
    mode_ = std::move(v);
    return *this;
  }
  /// new lr = lr * factor (< 1).
  ReduceLROnPlateauOptions &factor(double v) {
    factor_ = v;
    return *this;
  }
  /// Epochs without improvement tolerated before reducing.
  ReduceLROnPlateauOptions &patience(int64_t v) {
    patience_ = v;
    return *this;
  }
  ReduceLROnPlateauOptions &threshold(double v) {
    threshold_ = v;
    return *this;
  }
  /// "rel": better than best * (1 -/+ threshold); "abs": best -/+ threshold.
  ReduceLROnPlateauOptions &threshold_mode(std::string v) {
    threshold_mode_ = std::move(v);
    return *this;
  }
  /// Epochs to wait after a reduction before counting bad epochs again.
  ReduceLROnPlateauOptions &cooldown(int64_t v) {
    cooldown_ = v;
    return *this;
  }
  /// The lowest lr, for all groups or one per group.
  ReduceLROnPlateauOptions &min_lr(double v) {
    min_lr_ = {v};
    return *this;
  }
  ReduceLROnPlateauOptions &min_lr(std::vector<double> v) {
    min_lr_ = std::move(v);
    return *this;
  }
  /// Reductions smaller than eps are skipped.
  ReduceLROnPlateauOptions &eps(double v) {
    eps_ = v;
    return *this;
  }

  const std::string &mode() const { return mode_; }
  double factor() const { return factor_; }
  int64_t patience() const { return patience_; }
  double threshold() const { return threshold_; }
  const std::string &threshold_mode() const { return threshold_mode_; }
  int64_t cooldown() const { return cooldown_; }
  const std::vector<double> &min_lr() const { return min_lr_; }
  double eps() const { return eps_; }

private:
  std::string mode_ = "min";
  double factor_ = 0.1;
  int64_t patience_ = 10;
  double threshold_ = 1e-4;
  std::string threshold_mode_ = "rel";
  int64_t cooldown_ = 0;
  std::vector<double> min_lr_{0.0};
  double eps_ = 1e-8;
};

/// Reduces the lr when a metric has stopped improving (stepped with the
/// metric, once per epoch).
class ReduceLROnPlateau {
public:
  explicit ReduceLROnPlateau(
      Optimizer &optimizer,
      const ReduceLROnPlateauOptions &options = ReduceLROnPlateauOptions());

  void step(double metric);
  /// A one-element tensor (the validation loss, say).
  void step(const Tensor &metric);
  /// The groups' lrs after the last step (their current lrs before any).
  const std::vector<double> &get_last_lr() const { return last_lr_; }
  int64_t last_epoch() const { return last_epoch_; }
  double best() const { return best_; }
  int64_t num_bad_epochs() const { return num_bad_epochs_; }
  bool in_cooldown() const { return cooldown_counter_ > 0; }

  StateValueDict state_dict() const;
  void load_state_dict(const StateValueDict &dict);

private:
  bool is_better(double a, double best) const;
  void reduce_lr();
  void check_modes() const;

  Optimizer &optimizer_;
  std::string mode_, threshold_mode_;
  double factor_, threshold_, eps_;
  int64_t patience_, cooldown_;
  std::vector<double> min_lrs_;
  double best_, mode_worse_;
  int64_t cooldown_counter_ = 0, num_bad_epochs_ = 0, last_epoch_ = 0;
  std::vector<double> last_lr_;
};

} // namespace ember::optim::lr_scheduler

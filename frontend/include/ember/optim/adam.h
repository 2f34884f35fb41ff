// optim::Adam and optim::AdamW, as torch.optim.Adam / AdamW (1.13):
//   g = grad (negated when maximize)   [Adam: + weight_decay * p]
//   [AdamW: p *= 1 - lr * weight_decay]
//   m = beta1 * m + (1 - beta1) * g;  v = beta2 * v + (1 - beta2) * g * g
//   vmax = max(vmax, v) when amsgrad (and used instead of v)
//   p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
#pragma once

#include "ember/optim/optimizer.h"

namespace ember::optim {

/// The options Adam and AdamW share (AdamW's weight_decay defaults to 1e-2).
template <typename Derived> class AdamOptionsBase : public OptimizerOptions {
public:
  Derived &lr(double v) {
    lr_ = v;
    return self();
  }
  Derived &betas(std::tuple<double, double> v) {
    betas_ = v;
    return self();
  }
  Derived &eps(double v) {
    eps_ = v;
    return self();
  }
  Derived &weight_decay(double v) {
    weight_decay_ = v;
    return self();
  }
  Derived &amsgrad(bool v) {
    amsgrad_ = v;
    return self();
  }
  Derived &maximize(bool v) {
    maximize_ = v;
    return self();
  }
  double lr() const { return lr_; }
  const std::tuple<double, double> &betas() const { return betas_; }
  double eps() const { return eps_; }
  double weight_decay() const { return weight_decay_; }
  bool amsgrad() const { return amsgrad_; }
  bool maximize() const { return maximize_; }

  std::unique_ptr<OptimizerOptions> clone() const override {
    return std::make_unique<Derived>(static_cast<const Derived &>(*this));
  }
  double get_lr() const override { return lr_; }
  void set_lr(double lr) override { lr_ = lr; }
  bool has_betas() const override { return true; }
  std::tuple<double, double> get_betas() const override { return betas_; }
  void set_betas(std::tuple<double, double> b) override { betas_ = b; }
  void validate(const char *who) const override;
  StateValueDict to_dict() const override;
  void from_dict(const StateValueDict &dict, const char *who) override;

protected:
  AdamOptionsBase(double lr, double weight_decay)
      : lr_(lr), weight_decay_(weight_decay) {}

private:
  Derived &self() { return static_cast<Derived &>(*this); }
  double lr_;
  std::tuple<double, double> betas_{0.9, 0.999};
  double eps_ = 1e-8;
  double weight_decay_;
  bool amsgrad_ = false, maximize_ = false;
};

class AdamOptions : public AdamOptionsBase<AdamOptions> {
public:
  explicit AdamOptions(double lr = 1e-3) : AdamOptionsBase(lr, 0) {}
};

class AdamWOptions : public AdamOptionsBase<AdamWOptions> {
public:
  explicit AdamWOptions(double lr = 1e-3) : AdamOptionsBase(lr, 1e-2) {}
};

extern template class AdamOptionsBase<AdamOptions>;
extern template class AdamOptionsBase<AdamWOptions>;

/// Adam's and AdamW's per-parameter state.
class AdamParamState : public OptimizerParamState {
public:
  int64_t step() const { return step_; }
  AdamParamState &step(int64_t s) {
    step_ = s;
    return *this;
  }
  const Tensor &exp_avg() const { return exp_avg_; }
  AdamParamState &exp_avg(Tensor t) {
    exp_avg_ = std::move(t);
    return *this;
  }
  const Tensor &exp_avg_sq() const { return exp_avg_sq_; }
  AdamParamState &exp_avg_sq(Tensor t) {
    exp_avg_sq_ = std::move(t);
    return *this;
  }
  /// Defined when amsgrad is on.
  const Tensor &max_exp_avg_sq() const { return max_exp_avg_sq_; }
  AdamParamState &max_exp_avg_sq(Tensor t) {
    max_exp_avg_sq_ = std::move(t);
    return *this;
  }
  std::unique_ptr<OptimizerParamState> clone() const override;
  OrderedDict<Tensor> to_dict() const override;
  OrderedDict<Tensor> tensors() const override;

private:
  int64_t step_ = 0;
  Tensor exp_avg_, exp_avg_sq_, max_exp_avg_sq_;
};

class Adam : public Optimizer {
public:
  Adam(std::vector<Tensor> params, const AdamOptions &defaults = AdamOptions());
  Adam(std::vector<OptimizerParamGroup> param_groups,
       const AdamOptions &defaults = AdamOptions());

protected:
  void update(OptimizerParamGroup &group) override;
  std::unique_ptr<OptimizerParamState>
  state_from_dict(const OrderedDict<Tensor> &dict) const override;
};

class AdamW : public Optimizer {
public:
  AdamW(std::vector<Tensor> params,
        const AdamWOptions &defaults = AdamWOptions());
  AdamW(std::vector<OptimizerParamGroup> param_groups,
        const AdamWOptions &defaults = AdamWOptions());

protected:
  void update(OptimizerParamGroup &group) override;
  std::unique_ptr<OptimizerParamState>
  state_from_dict(const OrderedDict<Tensor> &dict) const override;
};

} // namespace ember::optim

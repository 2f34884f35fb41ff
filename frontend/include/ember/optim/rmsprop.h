// optim::RMSprop, as torch.optim.RMSprop (1.13):
//   g = grad (negated when maximize) + weight_decay * p
//   v = alpha * v + (1 - alpha) * g * g
//   centered: a = alpha * a + (1 - alpha) * g;  avg = sqrt(v - a * a) + eps
//   else avg = sqrt(v) + eps
//   momentum > 0: buf = momentum * buf + g / avg;  p -= lr * buf
//   else p -= lr * g / avg
#pragma once

#include "ember/optim/optimizer.h"

namespace ember::optim {

class RMSpropOptions : public OptimizerOptions {
public:
  explicit RMSpropOptions(double lr = 1e-2) : lr_(lr) {}

  RMSpropOptions &lr(double v) {
    lr_ = v;
    return *this;
  }
  RMSpropOptions &alpha(double v) {
    alpha_ = v;
    return *this;
  }
  RMSpropOptions &eps(double v) {
    eps_ = v;
    return *this;
  }
  RMSpropOptions &weight_decay(double v) {
    weight_decay_ = v;
    return *this;
  }
  RMSpropOptions &momentum(double v) {
    momentum_ = v;
    return *this;
  }
  RMSpropOptions &centered(bool v) {
    centered_ = v;
    return *this;
  }
  RMSpropOptions &maximize(bool v) {
    maximize_ = v;
    return *this;
  }
  double lr() const { return lr_; }
  double alpha() const { return alpha_; }
  double eps() const { return eps_; }
  double weight_decay() const { return weight_decay_; }
  double momentum() const { return momentum_; }
  bool centered() const { return centered_; }
  bool maximize() const { return maximize_; }

  std::unique_ptr<OptimizerOptions> clone() const override {
    return std::make_unique<RMSpropOptions>(*this);
  }
  double get_lr() const override { return lr_; }
  void set_lr(double lr) override { lr_ = lr; }
  bool has_momentum() const override { return true; }
  double get_momentum() const override { return momentum_; }
  void set_momentum(double m) override { momentum_ = m; }
  void validate(const char *who) const override;
  StateValueDict to_dict() const override;
  void from_dict(const StateValueDict &dict, const char *who) override;

private:
  double lr_;
  double alpha_ = 0.99, eps_ = 1e-8, weight_decay_ = 0, momentum_ = 0;
  bool centered_ = false, maximize_ = false;
};

class RMSpropParamState : public OptimizerParamState {
public:
  int64_t step() const { return step_; }
  RMSpropParamState &step(int64_t s) {
    step_ = s;
    return *this;
  }
  const Tensor &square_avg() const { return square_avg_; }
  RMSpropParamState &square_avg(Tensor t) {
    square_avg_ = std::move(t);
    return *this;
  }
  /// Defined when momentum > 0.
  const Tensor &momentum_buffer() const { return momentum_buffer_; }
  RMSpropParamState &momentum_buffer(Tensor t) {
    momentum_buffer_ = std::move(t);
    return *this;
  }
  /// Defined when centered.
  const Tensor &grad_avg() const { return grad_avg_; }
  RMSpropParamState &grad_avg(Tensor t) {
    grad_avg_ = std::move(t);
    return *this;
  }
  std::unique_ptr<OptimizerParamState> clone() const override;
  OrderedDict<Tensor> to_dict() const override;
  OrderedDict<Tensor> tensors() const override;

private:
  int64_t step_ = 0;
  Tensor square_avg_, momentum_buffer_, grad_avg_;
};

class RMSprop : public Optimizer {
public:
  RMSprop(std::vector<Tensor> params,
          const RMSpropOptions &defaults = RMSpropOptions());
  RMSprop(std::vector<OptimizerParamGroup> param_groups,
          const RMSpropOptions &defaults = RMSpropOptions());

protected:
  void update(OptimizerParamGroup &group) override;
  std::unique_ptr<OptimizerParamState>
  state_from_dict(const OrderedDict<Tensor> &dict) const override;
};

} // namespace ember::optim

// optim::Adagrad, as torch.optim.Adagrad (1.13):
//   g = grad (negated when maximize) + weight_decay * p
//   clr = lr / (1 + (t - 1) * lr_decay)
//   sum += g * g   (starting from initial_accumulator_value)
//   p -= clr * g / (sqrt(sum) + eps)
// The state (sum, step) is made for every parameter at construction, as in
// PyTorch.
#pragma once

#include "ember/optim/optimizer.h"

namespace ember::optim {

class AdagradOptions : public OptimizerOptions {
public:
  explicit AdagradOptions(double lr = 1e-2) : lr_(lr) {}

  AdagradOptions &lr(double v) {
    lr_ = v;
    return *this;
  }
  AdagradOptions &lr_decay(double v) {
    lr_decay_ = v;
    return *this;
  }
  AdagradOptions &weight_decay(double v) {
    weight_decay_ = v;
    return *this;
  }
  AdagradOptions &initial_accumulator_value(double v) {
    initial_accumulator_value_ = v;
    return *this;
  }
  AdagradOptions &eps(double v) {
    eps_ = v;
    return *this;
  }
  AdagradOptions &maximize(bool v) {
    maximize_ = v;
    return *this;
  }
  double lr() const { return lr_; }
  double lr_decay() const { return lr_decay_; }
  double weight_decay() const { return weight_decay_; }
  double initial_accumulator_value() const {
    return initial_accumulator_value_;
  }
  double eps() const { return eps_; }
  bool maximize() const { return maximize_; }

  std::unique_ptr<OptimizerOptions> clone() const override {
    return std::make_unique<AdagradOptions>(*this);
  }
  double get_lr() const override { return lr_; }
  void set_lr(double lr) override { lr_ = lr; }
  void validate(const char *who) const override;
  StateValueDict to_dict() const override;
  void from_dict(const StateValueDict &dict, const char *who) override;

private:
  double lr_;
  double lr_decay_ = 0, weight_decay_ = 0, initial_accumulator_value_ = 0;
  double eps_ = 1e-10;
  bool maximize_ = false;
};

class AdagradParamState : public OptimizerParamState {
public:
  int64_t step() const { return step_; }
  AdagradParamState &step(int64_t s) {
    step_ = s;
    return *this;
  }
  const Tensor &sum() const { return sum_; }
  AdagradParamState &sum(Tensor t) {
    sum_ = std::move(t);
    return *this;
  }
  std::unique_ptr<OptimizerParamState> clone() const override;
  OrderedDict<Tensor> to_dict() const override;
  OrderedDict<Tensor> tensors() const override;

private:
  int64_t step_ = 0;
  Tensor sum_;
};

class Adagrad : public Optimizer {
public:
  Adagrad(std::vector<Tensor> params,
          const AdagradOptions &defaults = AdagradOptions());
  Adagrad(std::vector<OptimizerParamGroup> param_groups,
          const AdagradOptions &defaults = AdagradOptions());

protected:
  void update(OptimizerParamGroup &group) override;
  std::unique_ptr<OptimizerParamState>
  state_from_dict(const OrderedDict<Tensor> &dict) const override;

private:
  void init_state(const OptimizerParamGroup &group);
};

} // namespace ember::optim

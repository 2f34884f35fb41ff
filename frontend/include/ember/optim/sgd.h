// optim::SGD: stochastic gradient descent with momentum, dampening, Nesterov
// momentum, weight decay (L2) and maximize, as torch.optim.SGD (1.13):
//   g = grad (negated when maximize) + weight_decay * p
//   buf = g at the first step, else momentum * buf + (1 - dampening) * g
//   g = nesterov ? g + momentum * buf : buf        (when momentum != 0)
//   p -= lr * g
#pragma once

#include "ember/optim/optimizer.h"

namespace ember::optim {

class SGDOptions : public OptimizerOptions {
public:
  /// lr has no default (as in PyTorch).
  explicit SGDOptions(double lr) : lr_(lr) {}

  SGDOptions &lr(double v) {
    lr_ = v;
    return *this;
  }
  SGDOptions &momentum(double v) {
    momentum_ = v;
    return *this;
  }
  SGDOptions &dampening(double v) {
    dampening_ = v;
    return *this;
  }
  SGDOptions &weight_decay(double v) {
    weight_decay_ = v;
    return *this;
  }
  SGDOptions &nesterov(bool v) {
    nesterov_ = v;
    return *this;
  }
  SGDOptions &maximize(bool v) {
    maximize_ = v;
    return *this;
  }
  double lr() const { return lr_; }
  double momentum() const { return momentum_; }
  double dampening() const { return dampening_; }
  double weight_decay() const { return weight_decay_; }
  bool nesterov() const { return nesterov_; }
  bool maximize() const { return maximize_; }

  std::unique_ptr<OptimizerOptions> clone() const override {
    return std::make_unique<SGDOptions>(*this);
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
  double momentum_ = 0, dampening_ = 0, weight_decay_ = 0;
  bool nesterov_ = false, maximize_ = false;
};

class SGDParamState : public OptimizerParamState {
public:
  const Tensor &momentum_buffer() const { return momentum_buffer_; }
  SGDParamState &momentum_buffer(Tensor t) {
    momentum_buffer_ = std::move(t);
    return *this;
  }
  std::unique_ptr<OptimizerParamState> clone() const override;
  OrderedDict<Tensor> to_dict() const override;
  OrderedDict<Tensor> tensors() const override;

private:
  Tensor momentum_buffer_; // undefined until the first step with momentum
};

class SGD : public Optimizer {
public:
  SGD(std::vector<Tensor> params, const SGDOptions &defaults);
  SGD(std::vector<OptimizerParamGroup> param_groups,
      const SGDOptions &defaults);

protected:
  void update(OptimizerParamGroup &group) override;
  std::unique_ptr<OptimizerParamState>
  state_from_dict(const OrderedDict<Tensor> &dict) const override;
};

} // namespace ember::optim

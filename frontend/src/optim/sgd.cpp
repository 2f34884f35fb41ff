// optim::SGD (torch.optim.SGD's _single_tensor_sgd, PyTorch 1.13).
#include "ember/optim/sgd.h"

#include "common.h"

namespace ember::optim {

using detail::py_float;

void SGDOptions::validate(const char *who) const {
  EMBER_CHECK(lr_ >= 0.0, who, "Invalid learning rate: ", py_float(lr_));
  EMBER_CHECK(momentum_ >= 0.0, who,
              "Invalid momentum value: ", py_float(momentum_));
  EMBER_CHECK(weight_decay_ >= 0.0, who,
              "Invalid weight_decay value: ", py_float(weight_decay_));
  EMBER_CHECK(!nesterov_ || (momentum_ > 0 && dampening_ == 0), who,
              "Nesterov momentum requires a momentum and zero dampening (got "
              "momentum=",
              py_float(momentum_), ", dampening=", py_float(dampening_), ")");
}

StateValueDict SGDOptions::to_dict() const {
  StateValueDict d{{"lr", lr_},
                   {"momentum", momentum_},
                   {"dampening", dampening_},
                   {"weight_decay", weight_decay_},
                   {"nesterov", nesterov_},
                   {"maximize", maximize_}};
  initial_lr_to_dict(d);
  return d;
}

void SGDOptions::from_dict(const StateValueDict &d, const char *who) {
  detail::read_option(d, "lr", lr_, who);
  detail::read_option(d, "momentum", momentum_, who);
  detail::read_option(d, "dampening", dampening_, who);
  detail::read_option(d, "weight_decay", weight_decay_, who);
  detail::read_option(d, "nesterov", nesterov_, who);
  detail::read_option(d, "maximize", maximize_, who);
  initial_lr_from_dict(d, who);
}

std::unique_ptr<OptimizerParamState> SGDParamState::clone() const {
  auto s = std::make_unique<SGDParamState>();
  if (momentum_buffer_.defined())
    s->momentum_buffer(momentum_buffer_.clone());
  return s;
}

OrderedDict<Tensor> SGDParamState::to_dict() const {
  OrderedDict<Tensor> d;
  if (momentum_buffer_.defined())
    d.insert("momentum_buffer", momentum_buffer_.clone());
  return d;
}

OrderedDict<Tensor> SGDParamState::tensors() const {
  OrderedDict<Tensor> d;
  if (momentum_buffer_.defined())
    d.insert("momentum_buffer", momentum_buffer_);
  return d;
}

SGD::SGD(std::vector<Tensor> params, const SGDOptions &defaults)
    : SGD(std::vector<OptimizerParamGroup>{OptimizerParamGroup(
              std::move(params))},
          defaults) {}

SGD::SGD(std::vector<OptimizerParamGroup> param_groups,
         const SGDOptions &defaults)
    : Optimizer("SGD", std::move(param_groups), defaults.clone()) {}

void SGD::update(OptimizerParamGroup &group) {
  const auto &o = static_cast<const SGDOptions &>(group.options());
  // The learning rate as a compiled step reads it on each call (schedulers
  // change it); the group is found again by position then.
  const size_t g = group_index(group);
  const detail::StepNumber lr(
      "lr", [this, g] { return param_groups()[g].options().get_lr(); });
  for (Tensor &p : params_with_grad(group)) {
    Tensor d_p = detail::signed_grad(p, o.maximize());
    if (o.weight_decay() != 0)
      d_p = d_p.add(p, o.weight_decay());
    if (o.momentum() != 0) {
      auto &state = state_for<SGDParamState>(
          p, [] { return std::make_unique<SGDParamState>(); });
      if (!state.momentum_buffer().defined()) {
        note_state_created();
        state.momentum_buffer(d_p.clone());
      } else {
        Tensor buf = state.momentum_buffer();
        buf.mul_(o.momentum()).add_(d_p, 1 - o.dampening());
      }
      if (o.nesterov())
        d_p = d_p.add(state.momentum_buffer(), o.momentum());
      else
        d_p = state.momentum_buffer();
    }
    lr.sub_scaled_(p, d_p);
  }
}

std::unique_ptr<OptimizerParamState>
SGD::state_from_dict(const OrderedDict<Tensor> &dict) const {
  auto s = std::make_unique<SGDParamState>();
  s->momentum_buffer(detail::state_tensor(dict, "momentum_buffer"));
  return s;
}

} // namespace ember::optim

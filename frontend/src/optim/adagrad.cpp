// optim::Adagrad (torch.optim's _single_tensor_adagrad, PyTorch 1.13).
#include "ember/optim/adagrad.h"

#include "common.h"
#include "ember/factory.h"

#include <cmath>

namespace ember::optim {

using detail::py_float;

void AdagradOptions::validate(const char *who) const {
  EMBER_CHECK(0.0 <= lr_, who, "Invalid learning rate: ", py_float(lr_));
  EMBER_CHECK(0.0 <= lr_decay_, who,
              "Invalid lr_decay value: ", py_float(lr_decay_));
  EMBER_CHECK(0.0 <= weight_decay_, who,
              "Invalid weight_decay value: ", py_float(weight_decay_));
  EMBER_CHECK(0.0 <= initial_accumulator_value_, who,
              "Invalid initial_accumulator_value value: ",
              py_float(initial_accumulator_value_));
  EMBER_CHECK(0.0 <= eps_, who, "Invalid epsilon value: ", py_float(eps_));
}

StateValueDict AdagradOptions::to_dict() const {
  StateValueDict d{{"lr", lr_},
                   {"lr_decay", lr_decay_},
                   {"eps", eps_},
                   {"weight_decay", weight_decay_},
                   {"initial_accumulator_value", initial_accumulator_value_},
                   {"maximize", maximize_}};
  initial_lr_to_dict(d);
  return d;
}

void AdagradOptions::from_dict(const StateValueDict &d, const char *who) {
  detail::read_option(d, "lr", lr_, who);
  detail::read_option(d, "lr_decay", lr_decay_, who);
  detail::read_option(d, "eps", eps_, who);
  detail::read_option(d, "weight_decay", weight_decay_, who);
  detail::read_option(d, "initial_accumulator_value",
                      initial_accumulator_value_, who);
  detail::read_option(d, "maximize", maximize_, who);
  initial_lr_from_dict(d, who);
}

std::unique_ptr<OptimizerParamState> AdagradParamState::clone() const {
  auto s = std::make_unique<AdagradParamState>();
  s->step(step_).sum(sum_.clone());
  return s;
}

OrderedDict<Tensor> AdagradParamState::to_dict() const {
  OrderedDict<Tensor> d;
  d.insert("step", detail::step_tensor(step_));
  d.insert("sum", sum_.clone());
  return d;
}

OrderedDict<Tensor> AdagradParamState::tensors() const {
  OrderedDict<Tensor> d;
  if (sum_.defined())
    d.insert("sum", sum_);
  return d;
}

Adagrad::Adagrad(std::vector<Tensor> params, const AdagradOptions &defaults)
    : Adagrad(std::vector<OptimizerParamGroup>{OptimizerParamGroup(
                  std::move(params))},
              defaults) {}

Adagrad::Adagrad(std::vector<OptimizerParamGroup> param_groups,
                 const AdagradOptions &defaults)
    : Optimizer("Adagrad", std::move(param_groups), defaults.clone()) {
  // PyTorch makes the state of every parameter here, not at the first step.
  for (const auto &group : this->param_groups())
    init_state(group);
}

void Adagrad::init_state(const OptimizerParamGroup &group) {
  const auto &o = static_cast<const AdagradOptions &>(group.options());
  for (const Tensor &p : group.params())
    state_for<AdagradParamState>(p, [&] {
      auto s = std::make_unique<AdagradParamState>();
      s->sum(full_like(p, o.initial_accumulator_value()));
      return s;
    });
}

void Adagrad::update(OptimizerParamGroup &group) {
  init_state(group); // groups added later (add_param_group)
  const auto &o = static_cast<const AdagradOptions &>(group.options());
  const size_t g = group_index(group);
  for (Tensor &p : params_with_grad(group)) {
    auto &state = *static_cast<AdagradParamState *>(this->state(p));
    // The step count and learning rate as a compiled step reads them on
    // each call (read first: it advances the step, once per call).
    const detail::StepNumber neg_clr("-clr", [this, g, key = p] {
      const auto &opts =
          static_cast<const AdagradOptions &>(param_groups()[g].options());
      auto *st = static_cast<AdagradParamState *>(this->state(key));
      st->step(st->step() + 1);
      double step = static_cast<double>(st->step());
      return -(opts.lr() / (1 + (step - 1) * opts.lr_decay()));
    });
    Tensor grad = detail::signed_grad(p, o.maximize());
    if (o.weight_decay() != 0)
      grad = grad.add(p, o.weight_decay());
    Tensor sum = state.sum();
    detail::addcmul_(sum, grad, grad, 1);
    Tensor std = sum.sqrt();
    std.add_(o.eps());
    // addcdiv_(p, grad, std, -clr)
    Tensor t = neg_clr.mul(grad);
    t.div_(std);
    p.add_(t);
  }
}

std::unique_ptr<OptimizerParamState>
Adagrad::state_from_dict(const OrderedDict<Tensor> &dict) const {
  auto s = std::make_unique<AdagradParamState>();
  s->step(detail::step_from(dict, who()));
  Tensor sum = detail::state_tensor(dict, "sum");
  EMBER_CHECK(sum.defined(), who(), "a parameter's state lacks 'sum'");
  s->sum(sum);
  return s;
}

} // namespace ember::optim

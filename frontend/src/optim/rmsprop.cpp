// optim::RMSprop (torch.optim's _single_tensor_rmsprop, PyTorch 1.13).
#include "ember/optim/rmsprop.h"

#include "common.h"
#include "ember/factory.h"

namespace ember::optim {

using detail::py_float;

void RMSpropOptions::validate(const char *who) const {
  EMBER_CHECK(0.0 <= lr_, who, "Invalid learning rate: ", py_float(lr_));
  EMBER_CHECK(0.0 <= eps_, who, "Invalid epsilon value: ", py_float(eps_));
  EMBER_CHECK(0.0 <= momentum_, who,
              "Invalid momentum value: ", py_float(momentum_));
  EMBER_CHECK(0.0 <= weight_decay_, who,
              "Invalid weight_decay value: ", py_float(weight_decay_));
  EMBER_CHECK(0.0 <= alpha_, who, "Invalid alpha value: ", py_float(alpha_));
}

StateValueDict RMSpropOptions::to_dict() const {
  StateValueDict d{{"lr", lr_},
                   {"momentum", momentum_},
                   {"alpha", alpha_},
                   {"eps", eps_},
                   {"centered", centered_},
                   {"weight_decay", weight_decay_},
                   {"maximize", maximize_}};
  initial_lr_to_dict(d);
  return d;
}

void RMSpropOptions::from_dict(const StateValueDict &d, const char *who) {
  detail::read_option(d, "lr", lr_, who);
  detail::read_option(d, "momentum", momentum_, who);
  detail::read_option(d, "alpha", alpha_, who);
  detail::read_option(d, "eps", eps_, who);
  detail::read_option(d, "centered", centered_, who);
  detail::read_option(d, "weight_decay", weight_decay_, who);
  detail::read_option(d, "maximize", maximize_, who);
  initial_lr_from_dict(d, who);
}

std::unique_ptr<OptimizerParamState> RMSpropParamState::clone() const {
  auto s = std::make_unique<RMSpropParamState>();
  s->step(step_).square_avg(square_avg_.clone());
  if (momentum_buffer_.defined())
    s->momentum_buffer(momentum_buffer_.clone());
  if (grad_avg_.defined())
    s->grad_avg(grad_avg_.clone());
  return s;
}

OrderedDict<Tensor> RMSpropParamState::to_dict() const {
  OrderedDict<Tensor> d;
  // PyTorch 1.13 keeps RMSprop's step as a Python int.
  d.insert("step", detail::step_tensor(step_, kInt64));
  d.insert("square_avg", square_avg_.clone());
  if (momentum_buffer_.defined())
    d.insert("momentum_buffer", momentum_buffer_.clone());
  if (grad_avg_.defined())
    d.insert("grad_avg", grad_avg_.clone());
  return d;
}

OrderedDict<Tensor> RMSpropParamState::tensors() const {
  OrderedDict<Tensor> d;
  if (square_avg_.defined())
    d.insert("square_avg", square_avg_);
  if (momentum_buffer_.defined())
    d.insert("momentum_buffer", momentum_buffer_);
  if (grad_avg_.defined())
    d.insert("grad_avg", grad_avg_);
  return d;
}

RMSprop::RMSprop(std::vector<Tensor> params, const RMSpropOptions &defaults)
    : RMSprop(std::vector<OptimizerParamGroup>{OptimizerParamGroup(
                  std::move(params))},
              defaults) {}

RMSprop::RMSprop(std::vector<OptimizerParamGroup> param_groups,
                 const RMSpropOptions &defaults)
    : Optimizer("RMSprop", std::move(param_groups), defaults.clone()) {}

void RMSprop::update(OptimizerParamGroup &group) {
  const auto &o = static_cast<const RMSpropOptions &>(group.options());
  const size_t g = group_index(group);
  double alpha = o.alpha();
  for (Tensor &p : params_with_grad(group)) {
    auto &state = state_for<RMSpropParamState>(p, [&] {
      auto s = std::make_unique<RMSpropParamState>();
      s->square_avg(zeros_like(p));
      return s;
    });
    // Buffers for options switched on after the state was made (a scheduler
    // raising momentum from 0, say) start from zeros, as at creation.
    if (o.momentum() > 0 && !state.momentum_buffer().defined()) {
      note_state_created();
      state.momentum_buffer(zeros_like(p));
    }
    if (o.centered() && !state.grad_avg().defined()) {
      note_state_created();
      state.grad_avg(zeros_like(p));
    }
    // The step count and learning rate as a compiled step reads them on
    // each call (read first: it advances the step, once per call).
    const detail::StepNumber neg_lr("-lr", [this, g, key = p] {
      auto *st = static_cast<RMSpropParamState *>(this->state(key));
      st->step(st->step() + 1);
      return -param_groups()[g].options().get_lr();
    });

    Tensor grad = detail::signed_grad(p, o.maximize());
    if (o.weight_decay() != 0)
      grad = grad.add(p, o.weight_decay());
    Tensor square_avg = state.square_avg();
    square_avg.mul_(alpha);
    detail::addcmul_(square_avg, grad, grad, 1 - alpha);

    Tensor avg;
    if (o.centered()) {
      Tensor grad_avg = state.grad_avg();
      grad_avg.mul_(alpha).add_(grad, 1 - alpha);
      avg = square_avg.clone();
      detail::addcmul_(avg, grad_avg, grad_avg, -1);
      avg = avg.sqrt();
    } else {
      avg = square_avg.sqrt();
    }
    avg.add_(o.eps());

    if (o.momentum() > 0) {
      Tensor buf = state.momentum_buffer();
      buf.mul_(o.momentum());
      detail::addcdiv_(buf, grad, avg, 1);
      neg_lr.add_scaled_(p, buf); // p.add_(buf, -lr)
    } else {
      // addcdiv_(p, grad, avg, -lr)
      Tensor t = neg_lr.mul(grad);
      t.div_(avg);
      p.add_(t);
    }
  }
}

std::unique_ptr<OptimizerParamState>
RMSprop::state_from_dict(const OrderedDict<Tensor> &dict) const {
  auto s = std::make_unique<RMSpropParamState>();
  s->step(detail::step_from(dict, who()));
  Tensor sq = detail::state_tensor(dict, "square_avg");
  EMBER_CHECK(sq.defined(), who(), "a parameter's state lacks 'square_avg'");
  s->square_avg(sq);
  s->momentum_buffer(detail::state_tensor(dict, "momentum_buffer"));
  s->grad_avg(detail::state_tensor(dict, "grad_avg"));
  return s;
}

} // namespace ember::optim

// optim::Adam and optim::AdamW (torch.optim's _single_tensor_adam /
// _single_tensor_adamw, PyTorch 1.13, capturable=False).
#include "ember/optim/adam.h"

#include "common.h"
#include "ember/factory.h"

#include <cmath>

namespace ember::optim {

using detail::py_float;

template <typename D> void AdamOptionsBase<D>::validate(const char *who) const {
  auto [b0, b1] = betas_;
  EMBER_CHECK(0.0 <= lr_, who, "Invalid learning rate: ", py_float(lr_));
  EMBER_CHECK(0.0 <= eps_, who, "Invalid epsilon value: ", py_float(eps_));
  EMBER_CHECK(0.0 <= b0 && b0 < 1.0, who,
              "Invalid beta parameter at index 0: ", py_float(b0));
  EMBER_CHECK(0.0 <= b1 && b1 < 1.0, who,
              "Invalid beta parameter at index 1: ", py_float(b1));
  EMBER_CHECK(0.0 <= weight_decay_, who,
              "Invalid weight_decay value: ", py_float(weight_decay_));
}

template <typename D> StateValueDict AdamOptionsBase<D>::to_dict() const {
  StateValueDict d{
      {"lr", lr_},
      {"betas", std::vector<double>{std::get<0>(betas_), std::get<1>(betas_)}},
      {"eps", eps_},
      {"weight_decay", weight_decay_},
      {"amsgrad", amsgrad_},
      {"maximize", maximize_}};
  initial_lr_to_dict(d);
  return d;
}

template <typename D>
void AdamOptionsBase<D>::from_dict(const StateValueDict &d, const char *who) {
  detail::read_option(d, "lr", lr_, who);
  if (d.contains("betas")) {
    auto b = state_doubles(d, "betas", who);
    EMBER_CHECK(b.size() == 2, who, "state dict entry 'betas' has ", b.size(),
                " values; expected 2");
    betas_ = {b[0], b[1]};
  }
  detail::read_option(d, "eps", eps_, who);
  detail::read_option(d, "weight_decay", weight_decay_, who);
  detail::read_option(d, "amsgrad", amsgrad_, who);
  detail::read_option(d, "maximize", maximize_, who);
  initial_lr_from_dict(d, who);
}

template class AdamOptionsBase<AdamOptions>;
template class AdamOptionsBase<AdamWOptions>;

std::unique_ptr<OptimizerParamState> AdamParamState::clone() const {
  auto s = std::make_unique<AdamParamState>();
  s->step(step_);
  s->exp_avg(exp_avg_.clone()).exp_avg_sq(exp_avg_sq_.clone());
  if (max_exp_avg_sq_.defined())
    s->max_exp_avg_sq(max_exp_avg_sq_.clone());
  return s;
}

OrderedDict<Tensor> AdamParamState::to_dict() const {
  OrderedDict<Tensor> d;
  d.insert("step", detail::step_tensor(step_));
  d.insert("exp_avg", exp_avg_.clone());
  d.insert("exp_avg_sq", exp_avg_sq_.clone());
  if (max_exp_avg_sq_.defined())
    d.insert("max_exp_avg_sq", max_exp_avg_sq_.clone());
  return d;
}

OrderedDict<Tensor> AdamParamState::tensors() const {
  OrderedDict<Tensor> d;
  if (exp_avg_.defined())
    d.insert("exp_avg", exp_avg_);
  if (exp_avg_sq_.defined())
    d.insert("exp_avg_sq", exp_avg_sq_);
  if (max_exp_avg_sq_.defined())
    d.insert("max_exp_avg_sq", max_exp_avg_sq_);
  return d;
}

namespace {

std::unique_ptr<OptimizerParamState>
adam_state_from_dict(const OrderedDict<Tensor> &dict, const char *who) {
  auto s = std::make_unique<AdamParamState>();
  s->step(detail::step_from(dict, who));
  Tensor m = detail::state_tensor(dict, "exp_avg");
  Tensor v = detail::state_tensor(dict, "exp_avg_sq");
  EMBER_CHECK(m.defined() && v.defined(), who,
              "a parameter's state lacks 'exp_avg' or 'exp_avg_sq'");
  s->exp_avg(m).exp_avg_sq(v);
  s->max_exp_avg_sq(detail::state_tensor(dict, "max_exp_avg_sq"));
  return s;
}

/// The shared moment update and parameter step; `decoupled` selects AdamW's
/// weight decay (p *= 1 - lr * wd) over Adam's L2 term (g += wd * p).
/// The numbers that change between steps (the step count, the learning
/// rate and what depends on them) are StepNumbers, read from `opt`'s live
/// state: a compiled step recomputes them on each call.
template <typename O>
void adam_update(Optimizer &opt, size_t group, const O &o, Tensor &p,
                 AdamParamState &state, bool decoupled) {
  auto [beta1, beta2] = o.betas();
  double wd = o.weight_decay();
  auto live = [&opt, group, key = p] {
    return std::pair{
        &static_cast<const O &>(opt.param_groups()[group].options()),
        static_cast<AdamParamState *>(opt.state(key))};
  };
  // Advances the step count (once per step: read first, once per call).
  const detail::StepNumber neg_step_size("-step_size", [live] {
    auto [opts, st] = live();
    st->step(st->step() + 1);
    double bias_correction1 =
        1 - std::pow(std::get<0>(opts->betas()), double(st->step()));
    return -(opts->lr() / bias_correction1);
  });
  const detail::StepNumber bias_correction2_sqrt(
      "bias_correction2_sqrt", [live] {
        auto [opts, st] = live();
        return std::sqrt(
            1 - std::pow(std::get<1>(opts->betas()), double(st->step())));
      });
  Tensor grad = detail::signed_grad(p, o.maximize());
  if (decoupled) {
    if (wd != 0) // p * 1.0 would change nothing
      detail::StepNumber("1-lr*weight_decay", [live] {
        auto [opts, st] = live();
        return 1 - opts->lr() * opts->weight_decay();
      }).mul_(p);
  } else if (wd != 0) {
    grad = grad.add(p, wd);
  }

  Tensor exp_avg = state.exp_avg(), exp_avg_sq = state.exp_avg_sq();
  exp_avg.mul_(beta1).add_(grad, 1 - beta1);
  exp_avg_sq.mul_(beta2);
  detail::addcmul_(exp_avg_sq, grad, grad, 1 - beta2);

  Tensor denom;
  if (o.amsgrad()) {
    Tensor max_sq = state.max_exp_avg_sq();
    if (!max_sq.defined()) { // amsgrad turned on after the state was made
      jit::not_compilable("optim::" + opt.name() +
                              " creates max_exp_avg_sq on this step",
                          /*retry=*/true);
      max_sq = zeros_like(p);
      state.max_exp_avg_sq(max_sq);
    }
    max_sq.copy_(maximum(max_sq, exp_avg_sq));
    denom = bias_correction2_sqrt.div(max_sq.sqrt());
  } else {
    denom = bias_correction2_sqrt.div(exp_avg_sq.sqrt());
  }
  denom.add_(o.eps());
  // addcdiv_(p, exp_avg, denom, -step_size)
  Tensor t = neg_step_size.mul(exp_avg);
  t.div_(denom);
  p.add_(t);
}

template <typename O>
std::unique_ptr<OptimizerParamState> new_adam_state(const Tensor &p,
                                                    const O &o) {
  auto s = std::make_unique<AdamParamState>();
  s->exp_avg(zeros_like(p)).exp_avg_sq(zeros_like(p));
  if (o.amsgrad())
    s->max_exp_avg_sq(zeros_like(p));
  return s;
}

} // namespace

Adam::Adam(std::vector<Tensor> params, const AdamOptions &defaults)
    : Adam(std::vector<OptimizerParamGroup>{OptimizerParamGroup(
               std::move(params))},
           defaults) {}

Adam::Adam(std::vector<OptimizerParamGroup> param_groups,
           const AdamOptions &defaults)
    : Optimizer("Adam", std::move(param_groups), defaults.clone()) {}

void Adam::update(OptimizerParamGroup &group) {
  const auto &o = static_cast<const AdamOptions &>(group.options());
  for (Tensor &p : params_with_grad(group)) {
    auto &state =
        state_for<AdamParamState>(p, [&] { return new_adam_state(p, o); });
    adam_update(*this, group_index(group), o, p, state, /*decoupled=*/false);
  }
}

std::unique_ptr<OptimizerParamState>
Adam::state_from_dict(const OrderedDict<Tensor> &dict) const {
  return adam_state_from_dict(dict, who());
}

AdamW::AdamW(std::vector<Tensor> params, const AdamWOptions &defaults)
    : AdamW(std::vector<OptimizerParamGroup>{OptimizerParamGroup(
                std::move(params))},
            defaults) {}

AdamW::AdamW(std::vector<OptimizerParamGroup> param_groups,
             const AdamWOptions &defaults)
    : Optimizer("AdamW", std::move(param_groups), defaults.clone()) {}

void AdamW::update(OptimizerParamGroup &group) {
  const auto &o = static_cast<const AdamWOptions &>(group.options());
  for (Tensor &p : params_with_grad(group)) {
    auto &state =
        state_for<AdamParamState>(p, [&] { return new_adam_state(p, o); });
    adam_update(*this, group_index(group), o, p, state, /*decoupled=*/true);
  }
}

std::unique_ptr<OptimizerParamState>
AdamW::state_from_dict(const OrderedDict<Tensor> &dict) const {
  return adam_state_from_dict(dict, who());
}

} // namespace ember::optim

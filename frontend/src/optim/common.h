// Private helpers of the optimizers and schedulers: PyTorch's fused
// pointwise updates spelled with ember ops (same evaluation order, so the
// results round as PyTorch's do), and Python's float repr for messages.
#pragma once

#include "ember/jit/trace.h"
#include "ember/ops.h"
#include "ember/optim/optimizer.h"

#include <string>

namespace ember::optim::detail {

/// self += value * t1 * t2 (torch.addcmul_: (value * t1) * t2, then added).
inline void addcmul_(Tensor &self, const Tensor &t1, const Tensor &t2,
                     double value) {
  Tensor t = t1.mul(value);
  t.mul_(t2);
  self.add_(t);
}

/// self += value * t1 / t2 (torch.addcdiv_: (value * t1) / t2, then added).
inline void addcdiv_(Tensor &self, const Tensor &t1, const Tensor &t2,
                     double value) {
  Tensor t = t1.mul(value);
  t.div_(t2);
  self.add_(t);
}

/// A number of an update that changes between steps (a learning rate, a
/// bias correction): a double when eager; under jit tracing, a host scalar
/// (jit::host_scalar) that a compiled step reads again on every call. The
/// ops are the same either way (a double operand is a wrapped 0-d tensor).
class StepNumber {
public:
  /// Eagerly: read() once. Traced: a host scalar with that read function.
  StepNumber(const char *name, std::function<double()> read) {
    if (jit::is_tracing())
      tensor_ = jit::host_scalar(name, std::move(read));
    else
      value_ = read();
  }
  Tensor mul(const Tensor &t) const {
    return tensor_.defined() ? t.mul(tensor_) : t.mul(value_);
  }
  Tensor div(const Tensor &t) const {
    return tensor_.defined() ? t.div(tensor_) : t.div(value_);
  }
  void mul_(Tensor &t) const {
    if (tensor_.defined())
      t.mul_(tensor_);
    else
      t.mul_(value_);
  }
  /// t += alpha * other, with alpha this number.
  void add_scaled_(Tensor &t, const Tensor &other) const {
    if (tensor_.defined())
      t.add_(other.mul(tensor_));
    else
      t.add_(other, value_);
  }

  /// t -= alpha * other, with alpha this number (eagerly t += -alpha *
  /// other: the same values, as negation is exact).
  void sub_scaled_(Tensor &t, const Tensor &other) const {
    if (tensor_.defined())
      t.sub_(other.mul(tensor_));
    else
      t.add_(other, -value_);
  }

private:
  double value_ = 0;
  Tensor tensor_;
};

/// What a traced optimizer step relies on besides its tensors: every
/// parameter it updates is an argument of the trace (a module parameter of
/// the compiled function), and the state objects and options other than
/// the learning rate stay as traced (else compiled calls trace again).
void guard_traced_step(Optimizer &opt, const std::vector<Tensor> &params);

/// The gradient as the update sees it: negated when maximizing.
inline Tensor signed_grad(const Tensor &p, bool maximize) {
  return maximize ? p.grad().neg() : p.grad();
}

/// A 0-dim tensor holding a step count, as PyTorch stores state['step'].
Tensor step_tensor(int64_t step, DType dtype = kFloat32);
/// The step count in a state dict's "step" tensor.
int64_t step_from(const OrderedDict<Tensor> &dict, const char *who);
/// A state tensor by key (cloned), or undefined when absent.
Tensor state_tensor(const OrderedDict<Tensor> &dict, const std::string &key);

/// Sets `out` from dict[key] when the key is there.
inline void read_option(const StateValueDict &d, const std::string &key,
                        double &out, const char *who) {
  if (d.contains(key))
    out = state_double(d, key, who);
}
inline void read_option(const StateValueDict &d, const std::string &key,
                        bool &out, const char *who) {
  if (d.contains(key))
    out = state_bool(d, key, who);
}

/// Python's repr of a float: 0.1, -0.1, 1.0, 1e-08, inf, nan.
std::string py_float(double v);

} // namespace ember::optim::detail

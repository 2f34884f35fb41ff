// The rule table and helpers shared by the rules_*.cpp files.
#include "rules.h"
#include "record.h"

#include "ember/autograd/grad_mode.h"
#include "ember/ops.h"

namespace ember::autograd {

const RuleTable &rule_table() {
  static const RuleTable table = [] {
    RuleTable t;
    register_elementwise_rules(t);
    register_reduce_rules(t);
    register_view_rules(t);
    register_linalg_rules(t);
    register_index_rules(t);
    return t;
  }();
  return table;
}

GradRule grad_rule(OpId op) {
  return rule_table().rules[static_cast<size_t>(op)];
}

bool has_gradient_rule(OpId op) { return grad_rule(op) != nullptr; }

Tensor sum_to(const Tensor &g, IntArrayRef shape) {
  if (!g.defined() || g.sizes() == shape)
    return g;
  const int64_t lead = g.dim() - static_cast<int64_t>(shape.size());
  DimVector dims;
  for (int64_t d = 0; d < g.dim(); ++d) {
    if (d < lead)
      dims.push_back(d);
    else if (shape[d - lead] == 1 && g.size(d) != 1)
      dims.push_back(d);
  }
  Tensor r = dims.empty() ? g : g.sum(dims, /*keepdim=*/true);
  return lead > 0 || !dims.empty() ? r.reshape(shape) : r;
}

Tensor to_dtype(const Tensor &g, DType dtype) {
  return g.defined() && g.dtype() != dtype ? g.to(dtype) : g;
}

Tensor output_for_grad(const GradCtx &c, size_t i) {
  if (!GradMode::is_enabled())
    return c.output(i);
  TensorList in;
  bool connected = false;
  for (size_t k = 0; k < c.num_inputs(); ++k) {
    in.push_back(c.input(k));
    connected = connected || (in.back().defined() && in.back().requires_grad());
  }
  if (!connected)
    return c.output(i);
  return dispatch(c.op(), in, c.attrs(), Loc::current())[i];
}

} // namespace ember::autograd

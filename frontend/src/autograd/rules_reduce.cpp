// Gradient rules of the reduction and softmax families.
#include "rules.h"

#include "ember/ops.h"

namespace ember::autograd {

namespace {

// g reshaped so it broadcasts against the input of a reduction over `dims`
// (keepdim=false removed those dims).
Tensor unsqueeze_reduced(const Tensor &g, IntArrayRef in_sizes,
                         const std::vector<int64_t> &dims, bool keepdim) {
  if (keepdim)
    return g;
  const int64_t nd = static_cast<int64_t>(in_sizes.size());
  if (dims.empty()) {
    DimVector ones(nd, 1);
    return g.reshape(ones);
  }
  std::vector<bool> reduced(nd, false);
  for (int64_t d : dims)
    reduced[d < 0 ? d + nd : d] = true;
  Tensor r = g;
  for (int64_t d = 0; d < nd; ++d)
    if (reduced[d])
      r = r.unsqueeze(d);
  return r;
}

TensorList sum(const GradCtx &c, const TensorList &grads) {
  const auto dims = c.attrs().get_or<std::vector<int64_t>>("dims", {});
  const bool keepdim = c.attrs().get_or<bool>("keepdim", false);
  Tensor g = unsqueeze_reduced(grads[0], c.input_sizes(0), dims, keepdim);
  return {to_dtype(g.expand(c.input_sizes(0)).contiguous(), c.input_dtype(0))};
}

} // namespace

void register_reduce_rules(RuleTable &t) { t.set(OpId::sum, sum); }

} // namespace ember::autograd

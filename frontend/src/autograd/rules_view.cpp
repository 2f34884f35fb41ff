// Gradient rules of the view family. Shape-only views (view, reshape,
// squeeze, unsqueeze, flatten) reshape the gradient back; permute and
// transpose apply the inverse permutation; expand sums over the broadcast
// dims. Views that take part of their input (narrow, slice, select,
// as_strided) write the gradient into zeros through the same view, as
// PyTorch's slice_backward / select_backward / as_strided_backward do.
//
// Except as_strided, no rule reads the saved input, so a view's gradient
// stays available after its input is modified in place (as in PyTorch).
#include "rules.h"

#include "ember/factory.h"
#include "ember/ops.h"

#include <algorithm>

namespace ember::autograd {

namespace {

#define RULE(NAME) TensorList NAME(const GradCtx &c, const TensorList &grads)
#define G grads[0]

RULE(reshape_back) { return {G.reshape(c.input_sizes(0))}; }

RULE(permute) {
  const auto dims = c.attrs().get<std::vector<int64_t>>("dims");
  const int64_t nd = static_cast<int64_t>(dims.size());
  DimVector inverse(dims.size());
  for (int64_t i = 0; i < nd; ++i) {
    const int64_t d = dims[static_cast<size_t>(i)];
    inverse[static_cast<size_t>(d < 0 ? d + nd : d)] = i;
  }
  return {G.permute(inverse)};
}

RULE(transpose) {
  return {G.transpose(c.attrs().get<int64_t>("dim0"),
                      c.attrs().get<int64_t>("dim1"))};
}

RULE(expand) { return {sum_to(G, c.input_sizes(0))}; }

// Zeros shaped like input 0 with `g` written through `view_of` (the
// forward view applied again to the zeros).
template <typename ViewOf>
Tensor into_zeros(const GradCtx &c, const Tensor &g, ViewOf view_of) {
  Tensor r = zeros(c.input_sizes(0), dtype(g.dtype()).device(g.device()));
  view_of(r).copy_(g);
  return r;
}

RULE(narrow) {
  const Attrs &a = c.attrs();
  return {into_zeros(c, G, [&](const Tensor &r) {
    return r.narrow(a.get<int64_t>("dim"), a.get<int64_t>("start"),
                    a.get<int64_t>("length"));
  })};
}

RULE(slice) {
  const Attrs &a = c.attrs();
  auto bound = [&](const char *name) -> std::optional<int64_t> {
    if (const AttrValue *v = a.find(name))
      return std::get<int64_t>(*v);
    return std::nullopt;
  };
  return {into_zeros(c, G, [&](const Tensor &r) {
    return r.slice(a.get<int64_t>("dim"), bound("start"), bound("end"),
                   a.get<int64_t>("step"));
  })};
}

RULE(select) {
  const Attrs &a = c.attrs();
  return {into_zeros(c, G, [&](const Tensor &r) {
    return r.select(a.get<int64_t>("dim"), a.get<int64_t>("index"));
  })};
}

// The gradient is scattered into zeros laid out like the input's storage:
// written through the output's geometry, read back through the input's.
// Assumes the output does not overlap itself (each storage element is seen
// at most once).
RULE(as_strided) {
  Tensor x = c.input(0);
  const Attrs &a = c.attrs();
  const auto size = a.get<std::vector<int64_t>>("size");
  const auto stride = a.get<std::vector<int64_t>>("stride");
  const int64_t offset =
      a.get_or<int64_t>("storage_offset", x.storage_offset());
  // The storage span both geometries reach.
  auto end_of = [](IntArrayRef sizes, IntArrayRef strides, int64_t off) {
    int64_t last = off;
    for (size_t i = 0; i < sizes.size(); ++i) {
      if (sizes[i] == 0)
        return off;
      last += (sizes[i] - 1) * strides[i];
    }
    return last + 1;
  };
  const int64_t n = std::max(end_of(x.sizes(), x.strides(), x.storage_offset()),
                             end_of(size, stride, offset));
  Tensor flat = zeros({n}, dtype(G.dtype()).device(G.device()));
  flat.as_strided(size, stride, offset).copy_(G);
  return {flat.as_strided(x.sizes(), x.strides(), x.storage_offset())
              .contiguous()};
}

#undef G
#undef RULE

} // namespace

void register_view_rules(RuleTable &t) {
  for (OpId op : {OpId::view, OpId::reshape, OpId::squeeze, OpId::unsqueeze,
                  OpId::flatten})
    t.set(op, reshape_back);
  t.set(OpId::permute, permute);
  t.set(OpId::transpose, transpose);
  t.set(OpId::expand, expand);
  t.set(OpId::narrow, narrow);
  t.set(OpId::slice, slice);
  t.set(OpId::select, select);
  t.set(OpId::as_strided, as_strided);
}

} // namespace ember::autograd

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

// Whether a geometry may map two elements to one storage element
// (PyTorch's _maybe_overlapping_memory; size-1 dims ignored).
bool maybe_overlapping(IntArrayRef sizes, IntArrayRef strides) {
  std::vector<std::pair<int64_t, int64_t>> dims; // (stride, size)
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] == 0)
      return false;
    if (sizes[i] > 1)
      dims.emplace_back(strides[i], sizes[i]);
  }
  std::sort(dims.begin(), dims.end());
  int64_t reach = 0; // the largest offset reached by the dims so far
  for (const auto &[stride, size] : dims) {
    if (stride <= reach)
      return true;
    reach += stride * (size - 1);
  }
  return false;
}

// One past the last storage element a geometry reaches.
int64_t end_of(IntArrayRef sizes, IntArrayRef strides, int64_t offset) {
  int64_t last = offset;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] == 0)
      return offset;
    last += (sizes[i] - 1) * strides[i];
  }
  return last + 1;
}

// Storage indices of the elements of a geometry, flattened.
Tensor storage_indices(int64_t n, IntArrayRef sizes, IntArrayRef strides,
                       int64_t offset) {
  return arange(n, dtype(kInt64))
      .as_strided(sizes, strides, offset)
      .reshape({-1});
}

// PyTorch's as_strided_backward: the gradient goes into zeros laid out like
// the storage, written through the output's geometry (summed where the
// output overlaps itself) and read back through the input's (split evenly
// where the input overlaps itself).
RULE(as_strided) {
  Tensor x = c.input(0);
  const Attrs &a = c.attrs();
  const auto size = a.get<std::vector<int64_t>>("size");
  const auto stride = a.get<std::vector<int64_t>>("stride");
  const int64_t offset =
      a.get_or<int64_t>("storage_offset", x.storage_offset());
  const int64_t n = std::max(end_of(x.sizes(), x.strides(), x.storage_offset()),
                             end_of(size, stride, offset));
  const auto opts = dtype(G.dtype()).device(G.device());
  Tensor flat = zeros({n}, opts);
  if (maybe_overlapping(size, stride))
    flat = scatter_add(flat, 0, storage_indices(n, size, stride, offset),
                       G.reshape({-1}));
  else
    flat.as_strided(size, stride, offset).copy_(G);
  if (maybe_overlapping(x.sizes(), x.strides())) {
    Tensor idx = storage_indices(n, x.sizes(), x.strides(), x.storage_offset());
    Tensor count =
        scatter_add(zeros({n}, opts), 0, idx, ones({idx.numel()}, opts));
    flat = flat / count.clamp(1);
  }
  return {
      flat.as_strided(x.sizes(), x.strides(), x.storage_offset()).contiguous()};
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

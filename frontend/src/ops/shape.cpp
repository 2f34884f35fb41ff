// Shape ops that copy (cat, stack) and the split/chunk composites, which
// return narrow() views as in PyTorch.
//
// cat follows torch.cat: the result dtype is result_type over all inputs,
// every input has the same sizes except in the cat dim, and 1-D empty
// tensors (shape [0]) are skipped whatever the other shapes (legacy torch
// behaviour). Each input is copied (with dtype conversion) into its slice of
// the output. stack unsqueezes equal-shaped inputs and cats them.
#include "common.h"
#include "ember/ops.h"

#include <algorithm>

namespace ember {
namespace impl {

namespace {

bool legacy_empty(const Tensor &t) { return t.dim() == 1 && t.size(0) == 0; }

Tensor cat_tensors(const OpCall &call, std::span<const Tensor> ts,
                   int64_t dim) {
  const Device dev = common_device(call);
  const Tensor *ref = nullptr;
  for (size_t i = 0; i < ts.size(); ++i) {
    EMBER_CHECK(ts[i].defined(), call.name(), "tensor ", i,
                " in the list is undefined");
    EMBER_CHECK(ts[i].dim() > 0, call.name(),
                "zero-dimensional tensor (at position ", i,
                ") cannot be concatenated");
    if (!ref && !legacy_empty(ts[i]))
      ref = &ts[i];
  }
  const DType dt = result_type(ts);
  if (!ref) // only 1-D empty tensors: the result is one too
    return make_output({0}, dt, dev);
  const int64_t d = wrap_dim(call.name(), dim, ref->dim());
  DimVector shape = ref->sizes().vec();
  int64_t total = 0;
  for (size_t i = 0; i < ts.size(); ++i) {
    const Tensor &t = ts[i];
    if (legacy_empty(t))
      continue;
    EMBER_CHECK(t.dim() == ref->dim(), call.name(),
                "tensors must have the same number of dimensions: got ",
                ref->dim(), " and ", t.dim(), " (tensor number ", i,
                " in the list has shape ", t.sizes(),
                ", expected a shape like ", ref->sizes(), ")");
    for (int64_t k = 0; k < t.dim(); ++k)
      EMBER_CHECK(k == d || t.size(k) == ref->size(k), call.name(),
                  "sizes of tensors must match except in dimension ", d,
                  ". Expected size ", ref->size(k), " but got size ", t.size(k),
                  " for tensor number ", i, " in the list (shapes ",
                  ref->sizes(), " and ", t.sizes(), ")");
    total += t.size(d);
  }
  shape[d] = total;
  Tensor out = make_output(shape, dt, dev);
  int64_t pos = 0;
  for (const Tensor &t : ts) {
    if (legacy_empty(t) || t.size(d) == 0)
      continue;
    DimVector part = shape;
    part[d] = t.size(d);
    Tensor dst = make_view(out, part, out.strides().vec(),
                           out.storage_offset() + pos * out.stride(d));
    kernels::copy(I(dst), I(t));
    pos += t.size(d);
  }
  return out;
}

} // namespace

TensorList cat(const OpCall &call) {
  EMBER_CHECK(!call.inputs.empty(), call.name(),
              "expected a non-empty list of tensors");
  return out1(cat_tensors(call, call.inputs, call.attrs.get<int64_t>("dim")));
}

TensorList stack(const OpCall &call) {
  EMBER_CHECK(!call.inputs.empty(), call.name(),
              "expects a non-empty list of tensors");
  const Tensor &first = call.inputs[0];
  for (size_t i = 0; i < call.inputs.size(); ++i) {
    EMBER_CHECK(call.inputs[i].defined(), call.name(), "tensor ", i,
                " in the list is undefined");
    EMBER_CHECK(call.inputs[i].sizes() == first.sizes(), call.name(),
                "expects each tensor to be equal size, but got ", first.sizes(),
                " at entry 0 and ", call.inputs[i].sizes(), " at entry ", i);
  }
  const int64_t d =
      wrap_dim(call.name(), call.attrs.get<int64_t>("dim"), first.dim() + 1);
  TensorList parts;
  parts.reserve(call.inputs.size());
  for (const Tensor &t : call.inputs) {
    DimVector sizes = t.sizes().vec(), strides = t.strides().vec();
    sizes.insert(sizes.begin() + d, 1);
    strides.insert(strides.begin() + d, 1);
    parts.push_back(make_view(t, sizes, strides, t.storage_offset()));
  }
  return out1(cat_tensors(call, parts, d));
}

} // namespace impl

Tensor cat(const TensorList &tensors, int64_t dim, Loc loc) {
  return dispatch(OpId::cat, std::span<const Tensor>(tensors), {{"dim", dim}},
                  loc)[0];
}

Tensor stack(const TensorList &tensors, int64_t dim, Loc loc) {
  return dispatch(OpId::stack, std::span<const Tensor>(tensors), {{"dim", dim}},
                  loc)[0];
}

namespace {
// The pieces of `sizes` along dim d as narrow() views.
TensorList narrow_pieces(const Tensor &x, int64_t d, IntArrayRef sizes,
                         Loc loc) {
  TensorList out;
  out.reserve(sizes.size());
  int64_t start = 0;
  for (int64_t len : sizes) {
    out.push_back(x.narrow(d, start, len, loc));
    start += len;
  }
  return out;
}
} // namespace

TensorList split(const Tensor &x, int64_t split_size, int64_t dim, Loc loc) {
  EMBER_CHECK(x.dim() > 0, "split", "expects at least a 1-dimensional tensor");
  EMBER_CHECK(
      split_size >= 0, "split",
      "expects split_size be non-negative, but got split_size=", split_size);
  const int64_t d = wrap_dim("split", dim, x.dim());
  const int64_t n = x.size(d);
  EMBER_CHECK(split_size > 0 || n == 0, "split",
              "split_size can only be 0 if dimension size is 0, but got "
              "dimension size of ",
              n);
  const int64_t num =
      split_size > 0 ? std::max<int64_t>((n + split_size - 1) / split_size, 1)
                     : 1;
  DimVector sizes(num, split_size);
  sizes.back() = n - split_size * (num - 1);
  return narrow_pieces(x, d, sizes, loc);
}

TensorList split(const Tensor &x, IntArrayRef split_sizes, int64_t dim,
                 Loc loc) {
  EMBER_CHECK(x.dim() > 0, "split", "expects at least a 1-dimensional tensor");
  const int64_t d = wrap_dim("split", dim, x.dim());
  int64_t sum = 0;
  for (int64_t s : split_sizes) {
    EMBER_CHECK(s >= 0, "split",
                "split_sizes must have only non-negative entries, but got "
                "split_sizes=",
                split_sizes);
    sum += s;
  }
  EMBER_CHECK(sum == x.size(d), "split", "split_sizes must sum exactly to ",
              x.size(d), " (input tensor's size at dimension ", d,
              "), but got split_sizes=", split_sizes);
  return narrow_pieces(x, d, split_sizes, loc);
}

TensorList chunk(const Tensor &x, int64_t chunks, int64_t dim, Loc loc) {
  EMBER_CHECK(x.dim() > 0, "chunk", "expects at least a 1-dimensional tensor");
  EMBER_CHECK(chunks > 0, "chunk",
              "expects `chunks` to be greater than 0, got: ", chunks);
  const int64_t d = wrap_dim("chunk", dim, x.dim());
  const int64_t n = x.size(d);
  const int64_t split_size = (n + chunks - 1) / chunks;
  // An empty dim still gives `chunks` empty pieces (as torch.chunk).
  if (split_size == 0 && n == 0)
    return narrow_pieces(x, d, DimVector(chunks, 0), loc);
  return split(x, split_size, d, loc);
}

} // namespace ember

// Helpers shared by the convolution and pooling ops and their gradient ops
// (internal to frontend/).
#pragma once

#include "common.h"
#include "ember/runtime/kernels/kernels.h"

#include <vector>

namespace ember::impl {

using Ints = std::vector<int64_t>;

// A one- or two-element size parameter as two values.
inline Ints pair_param(const char *op, const char *what, IntArrayRef v) {
  EMBER_CHECK(v.size() == 1 || v.size() == 2, op, what,
              " must be a single int or a pair of ints, but got ", v);
  return v.size() == 1 ? Ints{v[0], v[0]} : Ints{v[0], v[1]};
}

inline Ints pair_attr(const OpCall &call, const char *what) {
  return pair_param(call.name(), what, call.attrs.get<Ints>(what));
}

inline Tensor contiguous_copy(const Tensor &t) {
  if (t.is_contiguous())
    return t;
  Tensor out = make_output(t.sizes(), t.dtype(), t.device());
  kernels::copy(I(out), I(t));
  return out;
}

// A 3-D (unbatched) input as a batch of one.
inline Tensor as_batched(const Tensor &x) {
  if (x.dim() == 4)
    return x;
  DimVector sizes{1}, strides{x.size(0) * x.stride(0)};
  sizes.insert(sizes.end(), x.sizes().begin(), x.sizes().end());
  strides.insert(strides.end(), x.strides().begin(), x.strides().end());
  return make_view(x, sizes, strides, x.storage_offset());
}

// Drops the batch dim of a fresh output again for unbatched input.
inline Tensor unbatched(const Tensor &out, bool was_batched) {
  if (was_batched)
    return out;
  DimVector sizes(out.sizes().begin() + 1, out.sizes().end());
  return make_view(out, sizes, contiguous_strides(sizes), 0);
}

} // namespace ember::impl

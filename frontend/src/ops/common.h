// Helpers shared by the op implementations (internal to frontend/).
#pragma once

#include "ember/dispatch.h"
#include "ember/runtime/error.h"
#include "ember/runtime/kernels/kernels.h"
#include "ember/tensor.h"

#include <string>

namespace ember::impl {

/// A fresh contiguous tensor.
Tensor make_output(IntArrayRef sizes, DType dtype, Device device);
/// A view of t's storage with new geometry (no dispatch, no hooks).
Tensor make_view(const Tensor &t, DimVector sizes, DimVector strides,
                 int64_t offset);
/// t broadcast to `shape` as a 0-stride view (shape must be a broadcast of
/// t's shape; checked by the caller).
Tensor expand_view(const Tensor &t, IntArrayRef shape);
/// t converted to `dtype` (t itself when it already has it).
Tensor cast(const Tensor &t, DType dtype);
/// t converted to `dtype` on `device`: a 0-dim CPU tensor (a wrapped number
/// beside CUDA operands) is refilled there; other tensors must already be
/// on `device` (common_device checked that).
Tensor cast(const Tensor &t, DType dtype, Device device);
/// The value of a one-element CPU tensor, read without telling observers
/// (an op's own read, not the user's item()).
Scalar read_scalar(const Tensor &t);
/// A copy of t on `device` (contiguous, same dtype), without dispatch: the
/// to_device op's work, shared with copy_ across devices.
Tensor copy_to_device(const Tensor &t, Device device, bool non_blocking);

/// PyTorch's result_type over the operands: dimensioned tensors beat 0-dim
/// tensors beat wrapped numbers, unless a lower tier has a higher category
/// (bool < integer < floating).
DType result_type(std::span<const Tensor> ts);
/// Whether a value of type `from` may be written into `to` by an in-place op
/// (no float into integer, no integer/float into bool).
bool can_cast(DType from, DType to);

/// Throws unless every defined input lives on one device (0-dim wrapped
/// numbers may be on the CPU); returns that device.
Device common_device(const OpCall &call);

/// A factory's "size" attribute, checked non-negative.
DimVector factory_size(const OpCall &call);
/// A factory's "device" attribute; throws for CUDA without a device.
Device factory_device(const OpCall &call);

/// "float32 tensor of shape [2, 3] on cpu" for error messages.
std::string describe(const Tensor &t);

inline const TensorImpl &I(const Tensor &t) { return *t.unsafe_impl(); }

/// One output as a TensorList.
inline TensorList out1(Tensor t) {
  TensorList l;
  l.reserve(1);
  l.push_back(std::move(t));
  return l;
}

} // namespace ember::impl

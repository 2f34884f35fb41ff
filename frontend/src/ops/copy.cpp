// Ops that copy or fill memory: contiguous, clone, to(dtype/device),
// fill_, zero_, copy_.
#include "common.h"
#include "ember/runtime/cuda.h"

namespace ember::impl {

TensorList contiguous(const OpCall &call) {
  const Tensor &x = call.inputs[0];
  if (x.is_contiguous())
    return out1(x);
  return out1(x.clone());
}

TensorList clone(const OpCall &call) {
  const Tensor &x = call.inputs[0];
  Tensor out = make_output(x.sizes(), x.dtype(), x.device());
  kernels::copy(I(out), I(x));
  return out1(out);
}

TensorList to_dtype(const OpCall &call) {
  const Tensor &x = call.inputs[0];
  DType dt = call.attrs.get<DType>("dtype");
  EMBER_CHECK(has_kernels(dt), call.name(), "dtype ", dt,
              " is reserved and has no kernels yet");
  if (dt == x.dtype())
    return out1(x);
  return out1(cast(x, dt));
}

TensorList to_device(const OpCall &call) {
  const Tensor &x = call.inputs[0];
  Device dev = call.attrs.get<Device>("device");
  if (dev == x.device())
    return out1(x);
  EMBER_CHECK(dev.is_cpu() || cuda::is_available(), call.name(),
              "cannot copy a ", describe(x), " to ", dev,
              ": no CUDA device is available (cuda::is_available() is false)");
  return out1(
      copy_to_device(x, dev, call.attrs.get_or<bool>("non_blocking", false)));
}

TensorList fill_(const OpCall &call) {
  const Tensor &x = call.inputs[0];
  Scalar v = call.attrs.get<Scalar>("value");
  if (call.inputs.size() > 1 && call.inputs[1].defined()) {
    const Tensor &t = call.inputs[1];
    EMBER_CHECK(t.dim() == 0, call.name(),
                "only supports 0-dimension value tensor but got tensor with ",
                t.dim(), " dimensions");
    v = t.item();
  }
  kernels::fill(I(x), v);
  return out1(x);
}

TensorList zero_(const OpCall &call) {
  const Tensor &x = call.inputs[0];
  kernels::fill(I(x), Scalar(0));
  return out1(x);
}

TensorList copy_(const OpCall &call) {
  const Tensor &dst = call.inputs[0], &src = call.inputs[1];
  DimVector shape = broadcast_shapes(call.name(), dst.sizes(), src.sizes());
  EMBER_CHECK(IntArrayRef(shape) == dst.sizes(), call.name(),
              "source of shape ", src.sizes(),
              " cannot be broadcast to the destination's shape ", dst.sizes());
  // A source overlapping the destination (other than being the same view)
  // is copied out first so the result does not depend on traversal order.
  Tensor s = src;
  if (src.device() != dst.device()) {
    // Across devices: the bytes move first, then convert and broadcast on
    // the destination's device. A 0-dim source is a fill.
    if (src.dim() == 0 && src.device().is_cpu()) {
      kernels::fill(I(dst), read_scalar(src));
      return out1(dst);
    }
    s = copy_to_device(src, dst.device(),
                       call.attrs.get_or<bool>("non_blocking", false));
  } else if (src.unsafe_impl()->storage() == dst.unsafe_impl()->storage() &&
             !(src.sizes() == dst.sizes() && src.strides() == dst.strides() &&
               src.storage_offset() == dst.storage_offset()))
    s = src.clone();
  kernels::copy(I(dst), I(expand_view(s, shape)));
  return out1(dst);
}

} // namespace ember::impl

#include "common.h"

#include "ember/runtime/cuda.h"

#include <sstream>

namespace ember::impl {

Tensor make_output(IntArrayRef sizes, DType dtype, Device device) {
  return Tensor(make_tensor_impl(sizes, dtype, device));
}

Tensor make_view(const Tensor &t, DimVector sizes, DimVector strides,
                 int64_t offset) {
  return Tensor(std::make_shared<TensorImpl>(t.unsafe_impl()->storage(),
                                             t.dtype(), std::move(sizes),
                                             std::move(strides), offset));
}

Tensor expand_view(const Tensor &t, IntArrayRef shape) {
  if (t.sizes() == shape)
    return t;
  const int64_t nd = static_cast<int64_t>(shape.size()), td = t.dim();
  DimVector st(nd, 0);
  for (int64_t i = 0; i < td; ++i) {
    int64_t o = nd - td + i;
    st[o] = t.size(i) == shape[o] ? t.stride(i) : 0;
  }
  return make_view(t, shape.vec(), std::move(st), t.storage_offset());
}

Tensor cast(const Tensor &t, DType dtype) {
  if (t.dtype() == dtype)
    return t;
  Tensor out = make_output(t.sizes(), dtype, t.device());
  kernels::copy(I(out), I(t));
  return out;
}

Tensor cast(const Tensor &t, DType dtype, Device device) {
  if (t.device() == device)
    return cast(t, dtype);
  EMBER_CHECK(t.dim() == 0 && t.device().is_cpu(), "to",
              "expected a tensor on ", device, ", got ", describe(t));
  Tensor out = make_output({}, dtype, device);
  kernels::fill(I(out), read_scalar(t));
  return out;
}

Scalar read_scalar(const Tensor &t) {
  EMBER_CHECK(t.numel() == 1 && t.device().is_cpu(), "item",
              "expected a one-element CPU tensor, got ", describe(t));
  return visit_dtype(t.dtype(), "item", [&]<typename T>() -> Scalar {
    T v = *I(t).data_as<T>();
    if constexpr (std::is_same_v<T, bool>)
      return Scalar(v);
    else if constexpr (std::is_floating_point_v<T>)
      return Scalar(static_cast<double>(v));
    else
      return Scalar(static_cast<int64_t>(v));
  });
}

Tensor copy_to_device(const Tensor &t, Device device, bool non_blocking) {
  if (t.device() == device)
    return t;
  // Bytes move between devices contiguously; a strided source is packed on
  // its own device first.
  Tensor src = t;
  if (!t.is_contiguous()) {
    src = make_output(t.sizes(), t.dtype(), t.device());
    kernels::copy(I(src), I(t));
  }
  Tensor out = make_output(t.sizes(), t.dtype(), device);
  const Device cuda_side = device.is_cuda() ? device : t.device();
  cuda::copy_bytes(out.raw_data_ptr(), device.is_cuda(), src.raw_data_ptr(),
                   t.device().is_cuda(), t.nbytes(),
                   cuda_side.index() < 0 ? cuda::current_device()
                                         : cuda_side.index(),
                   non_blocking);
  return out;
}

namespace {
int category(DType t) {
  if (t == DType::Bool)
    return 0;
  return is_floating_point(t) ? 2 : 1;
}
// c10's combine_categories: a lower tier only matters when the higher one is
// bool, or when it brings a floating type to an integer one.
DType combine(std::optional<DType> higher, std::optional<DType> lower) {
  if (!higher)
    return lower.value_or(DType::Bool);
  if (!lower || is_floating_point(*higher))
    return *higher;
  if (*higher == DType::Bool || is_floating_point(*lower))
    return promote_types(*higher, *lower);
  return *higher;
}
void fold(std::optional<DType> &acc, DType t) {
  acc = acc ? promote_types(*acc, t) : t;
}
} // namespace

DType result_type(std::span<const Tensor> ts) {
  std::optional<DType> dim_r, zero_r, wrapped_r;
  for (const Tensor &t : ts) {
    if (!t.defined())
      continue;
    DType d = t.dtype();
    if (t.unsafe_impl()->is_wrapped_number()) {
      fold(wrapped_r, is_floating_point(d) ? default_dtype() : d);
    } else if (t.dim() == 0) {
      fold(zero_r, d);
    } else {
      fold(dim_r, d);
    }
  }
  std::optional<DType> lower;
  if (zero_r || wrapped_r)
    lower = combine(zero_r, wrapped_r);
  return combine(dim_r, lower);
}

bool can_cast(DType from, DType to) { return category(from) <= category(to); }

Device common_device(const OpCall &call) {
  std::optional<Device> dev;
  for (const Tensor &t : call.inputs) {
    if (!t.defined())
      continue;
    if (t.unsafe_impl()->is_wrapped_number() && t.dim() == 0)
      continue;
    if (!dev)
      dev = t.device();
    else
      EMBER_CHECK(*dev == t.device(), call.name(),
                  "expected all tensors on the same device, but found ", *dev,
                  " and ", t.device());
  }
  return dev.value_or(Device(kCPU));
}

DimVector factory_size(const OpCall &call) {
  DimVector s = call.attrs.get<std::vector<int64_t>>("size");
  for (int64_t v : s)
    EMBER_CHECK(v >= 0, call.name(), "negative dimension ", v, " in size ",
                IntArrayRef(s));
  return s;
}

Device factory_device(const OpCall &call) {
  Device d = call.attrs.get<Device>("device");
  EMBER_CHECK(d.is_cpu() || cuda::is_available(), call.name(),
              "cannot create a tensor on ", d,
              ": no CUDA device is available (cuda::is_available() is false)");
  return d;
}

std::string describe(const Tensor &t) {
  std::ostringstream os;
  if (!t.defined())
    return "an undefined tensor";
  os << t.dtype() << " tensor of shape " << t.sizes() << " on " << t.device();
  return os.str();
}

} // namespace ember::impl

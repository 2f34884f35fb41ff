#include "common.h"

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
  kernels::cpu::copy(I(out), I(t));
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

void require_cpu(const OpCall &call, const Tensor &t) {
  EMBER_CHECK(t.device().is_cpu(), call.name(), "no kernel for device ",
              t.device(), " yet (CPU tensors only)");
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
  EMBER_CHECK(d.is_cpu(), call.name(), "no kernel for device ", d,
              " yet (CPU tensors only)");
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

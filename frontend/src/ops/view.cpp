// View ops: results share their input's storage (sizes/strides/offset
// change, data does not). reshape and flatten copy only when no view exists.
#include "common.h"
#include "ember/ops.h"

#include <algorithm>

namespace ember {
namespace impl {

namespace {

const Tensor &self(const OpCall &call) { return call.inputs[0]; }

// Resolves one -1 and checks the element count.
DimVector infer_size(const OpCall &call, IntArrayRef shape, int64_t numel) {
  DimVector out = shape.vec();
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == -1) {
      EMBER_CHECK(infer < 0, call.name(), "only one dimension can be inferred");
      infer = static_cast<int64_t>(i);
    } else {
      EMBER_CHECK(out[i] >= 0, call.name(), "invalid shape dimension ", out[i],
                  " in shape ", shape);
      known *= out[i];
    }
  }
  if (infer >= 0) {
    EMBER_CHECK(known != 0 && numel % known == 0, call.name(), "shape ", shape,
                " is invalid for input of size ", numel);
    out[infer] = numel / known;
  } else {
    EMBER_CHECK(known == numel, call.name(), "shape ", shape,
                " is invalid for input of size ", numel);
  }
  return out;
}

// PyTorch's computeStride: strides for viewing (sizes, strides) as `shape`
// without copying, or nullopt when the memory layout does not allow it.
std::optional<DimVector> view_strides(IntArrayRef sizes, IntArrayRef strides,
                                      IntArrayRef shape) {
  DimVector out(shape.size());
  if (sizes.empty()) {
    std::fill(out.begin(), out.end(), 1);
    return out;
  }
  if (product(sizes) == 0)
    return contiguous_strides(shape);
  int64_t view_d = static_cast<int64_t>(shape.size()) - 1;
  int64_t chunk_base_stride = strides.back();
  int64_t tensor_numel = 1, view_numel = 1;
  for (int64_t d = static_cast<int64_t>(sizes.size()) - 1; d >= 0; --d) {
    tensor_numel *= sizes[d];
    if (d == 0 || (sizes[d - 1] != 1 &&
                   strides[d - 1] != tensor_numel * chunk_base_stride)) {
      while (view_d >= 0 && (view_numel < tensor_numel || shape[view_d] == 1)) {
        out[view_d] = view_numel * chunk_base_stride;
        view_numel *= shape[view_d];
        --view_d;
      }
      if (view_numel != tensor_numel)
        return std::nullopt;
      if (d > 0) {
        chunk_base_stride = strides[d - 1];
        tensor_numel = 1;
        view_numel = 1;
      }
    }
  }
  if (view_d != -1)
    return std::nullopt;
  return out;
}

} // namespace

TensorList view(const OpCall &call) {
  const Tensor &x = self(call);
  DimVector shape = infer_size(
      call, call.attrs.get<std::vector<int64_t>>("shape"), x.numel());
  auto st = view_strides(x.sizes(), x.strides(), shape);
  EMBER_CHECK(st.has_value(), call.name(),
              "view size is not compatible with input tensor's size and stride "
              "(at least one dimension spans across two contiguous subspaces); "
              "use reshape instead (input shape ",
              x.sizes(), ", strides ", x.strides(), ", requested ",
              IntArrayRef(shape), ")");
  return out1(make_view(x, shape, *st, x.storage_offset()));
}

TensorList reshape(const OpCall &call) {
  const Tensor &x = self(call);
  DimVector shape = infer_size(
      call, call.attrs.get<std::vector<int64_t>>("shape"), x.numel());
  if (auto st = view_strides(x.sizes(), x.strides(), shape))
    return out1(make_view(x, shape, *st, x.storage_offset()));
  Tensor c = x.contiguous();
  return out1(
      make_view(c, shape, contiguous_strides(shape), c.storage_offset()));
}

TensorList permute(const OpCall &call) {
  const Tensor &x = self(call);
  const auto &dims = call.attrs.get<std::vector<int64_t>>("dims");
  EMBER_CHECK(static_cast<int64_t>(dims.size()) == x.dim(), call.name(),
              "number of dims don't match in permute (input has ", x.dim(),
              " dims, got ", IntArrayRef(dims), ")");
  DimVector sizes(dims.size()), strides(dims.size());
  std::vector<bool> seen(dims.size(), false);
  for (size_t i = 0; i < dims.size(); ++i) {
    int64_t d = wrap_dim(call.name(), dims[i], x.dim());
    EMBER_CHECK(!seen[d], call.name(), "repeated dim ", dims[i], " in ",
                IntArrayRef(dims));
    seen[d] = true;
    sizes[i] = x.size(d);
    strides[i] = x.stride(d);
  }
  return out1(make_view(x, sizes, strides, x.storage_offset()));
}

TensorList transpose(const OpCall &call) {
  const Tensor &x = self(call);
  int64_t d0 = wrap_dim(call.name(), call.attrs.get<int64_t>("dim0"), x.dim());
  int64_t d1 = wrap_dim(call.name(), call.attrs.get<int64_t>("dim1"), x.dim());
  DimVector sizes = x.sizes().vec(), strides = x.strides().vec();
  if (x.dim() > 0) {
    std::swap(sizes[d0], sizes[d1]);
    std::swap(strides[d0], strides[d1]);
  }
  return out1(make_view(x, sizes, strides, x.storage_offset()));
}

TensorList expand(const OpCall &call) {
  const Tensor &x = self(call);
  const auto &shape = call.attrs.get<std::vector<int64_t>>("shape");
  const int64_t nd = static_cast<int64_t>(shape.size());
  EMBER_CHECK(nd >= x.dim(), call.name(), "the number of sizes provided (", nd,
              ") must be greater or equal to the number of dimensions in the "
              "tensor (",
              x.dim(), ")");
  DimVector sizes(nd), strides(nd);
  for (int64_t i = nd - 1; i >= 0; --i) {
    int64_t xi = i - (nd - x.dim());
    if (xi < 0) {
      EMBER_CHECK(shape[i] >= 0, call.name(), "the expanded size ", shape[i],
                  " is not allowed in a leading, non-existing dimension");
      sizes[i] = shape[i];
      strides[i] = 0;
      continue;
    }
    int64_t want = shape[i] == -1 ? x.size(xi) : shape[i];
    EMBER_CHECK(want == x.size(xi) || x.size(xi) == 1, call.name(),
                "the expanded size of the tensor (", want,
                ") must match the existing size (", x.size(xi),
                ") at non-singleton dimension ", i,
                ".  Target sizes: ", IntArrayRef(shape),
                ".  Tensor sizes: ", x.sizes());
    sizes[i] = want;
    strides[i] = want == x.size(xi) ? x.stride(xi) : 0;
  }
  return out1(make_view(x, sizes, strides, x.storage_offset()));
}

TensorList squeeze(const OpCall &call) {
  const Tensor &x = self(call);
  DimVector sizes, strides;
  std::optional<int64_t> only;
  if (call.attrs.has("dim"))
    only = wrap_dim(call.name(), call.attrs.get<int64_t>("dim"), x.dim());
  for (int64_t d = 0; d < x.dim(); ++d) {
    bool drop = x.size(d) == 1 && (!only || *only == d);
    if (!drop) {
      sizes.push_back(x.size(d));
      strides.push_back(x.stride(d));
    }
  }
  return out1(make_view(x, sizes, strides, x.storage_offset()));
}

TensorList unsqueeze(const OpCall &call) {
  const Tensor &x = self(call);
  int64_t d =
      wrap_dim(call.name(), call.attrs.get<int64_t>("dim"), x.dim() + 1);
  DimVector sizes = x.sizes().vec(), strides = x.strides().vec();
  int64_t st = d < x.dim() ? x.size(d) * x.stride(d) : 1;
  sizes.insert(sizes.begin() + d, 1);
  strides.insert(strides.begin() + d, st);
  return out1(make_view(x, sizes, strides, x.storage_offset()));
}

TensorList flatten(const OpCall &call) {
  const Tensor &x = self(call);
  if (x.dim() == 0)
    return out1(make_view(x, {1}, {1}, x.storage_offset()));
  int64_t s =
      wrap_dim(call.name(), call.attrs.get<int64_t>("start_dim"), x.dim());
  int64_t e =
      wrap_dim(call.name(), call.attrs.get<int64_t>("end_dim"), x.dim());
  EMBER_CHECK(s <= e, call.name(), "start_dim (", s,
              ") cannot come after end_dim (", e, ")");
  DimVector shape;
  for (int64_t d = 0; d < s; ++d)
    shape.push_back(x.size(d));
  int64_t p = 1;
  for (int64_t d = s; d <= e; ++d)
    p *= x.size(d);
  shape.push_back(p);
  for (int64_t d = e + 1; d < x.dim(); ++d)
    shape.push_back(x.size(d));
  return out1(x.reshape(shape));
}

TensorList narrow(const OpCall &call) {
  const Tensor &x = self(call);
  EMBER_CHECK(x.dim() > 0, call.name(), "cannot be applied to a 0-dim tensor");
  int64_t d = wrap_dim(call.name(), call.attrs.get<int64_t>("dim"), x.dim());
  int64_t start = call.attrs.get<int64_t>("start");
  int64_t length = call.attrs.get<int64_t>("length");
  int64_t n = x.size(d);
  EMBER_CHECK(start >= -n && start <= n, call.name(), "start (", start,
              ") out of range for dimension ", d, " of size ", n);
  if (start < 0)
    start += n;
  EMBER_CHECK(length >= 0 && start + length <= n, call.name(), "start (", start,
              ") + length (", length, ") exceeds dimension size (", n, ")");
  DimVector sizes = x.sizes().vec();
  sizes[d] = length;
  return out1(make_view(x, sizes, x.strides().vec(),
                        x.storage_offset() + start * x.stride(d)));
}

TensorList slice(const OpCall &call) {
  const Tensor &x = self(call);
  EMBER_CHECK(x.dim() > 0, call.name(), "cannot be applied to a 0-dim tensor");
  int64_t d = wrap_dim(call.name(), call.attrs.get<int64_t>("dim"), x.dim());
  int64_t step = call.attrs.get<int64_t>("step");
  EMBER_CHECK(step > 0, call.name(), "slice step must be positive, got ", step);
  int64_t n = x.size(d);
  // Python slicing: clamp out-of-range bounds, never raise.
  auto clamp_bound = [n](int64_t v) {
    if (v < 0)
      v += n;
    return std::clamp<int64_t>(v, 0, n);
  };
  int64_t start = call.attrs.has("start")
                      ? clamp_bound(call.attrs.get<int64_t>("start"))
                      : 0;
  int64_t end =
      call.attrs.has("end") ? clamp_bound(call.attrs.get<int64_t>("end")) : n;
  if (end < start)
    end = start;
  DimVector sizes = x.sizes().vec(), strides = x.strides().vec();
  sizes[d] = (end - start + step - 1) / step;
  strides[d] *= step;
  return out1(
      make_view(x, sizes, strides, x.storage_offset() + start * x.stride(d)));
}

TensorList select(const OpCall &call) {
  const Tensor &x = self(call);
  EMBER_CHECK(x.dim() > 0, call.name(), "cannot be applied to a 0-dim tensor");
  int64_t d = wrap_dim(call.name(), call.attrs.get<int64_t>("dim"), x.dim());
  int64_t i = call.attrs.get<int64_t>("index");
  int64_t n = x.size(d);
  EMBER_CHECK(i >= -n && i < n, call.name(), "index ", i,
              " out of range for tensor of size ", x.sizes(), " at dimension ",
              d);
  if (i < 0)
    i += n;
  DimVector sizes = x.sizes().vec(), strides = x.strides().vec();
  sizes.erase(sizes.begin() + d);
  strides.erase(strides.begin() + d);
  return out1(
      make_view(x, sizes, strides, x.storage_offset() + i * x.stride(d)));
}

TensorList as_strided(const OpCall &call) {
  const Tensor &x = self(call);
  const auto &sizes = call.attrs.get<std::vector<int64_t>>("size");
  const auto &strides = call.attrs.get<std::vector<int64_t>>("stride");
  int64_t offset =
      call.attrs.get_or<int64_t>("storage_offset", x.storage_offset());
  EMBER_CHECK(sizes.size() == strides.size(), call.name(),
              "mismatch in length of strides (", strides.size(),
              ") and shape (", sizes.size(), ")");
  // The view must stay inside the storage.
  int64_t last = offset;
  for (size_t i = 0; i < sizes.size(); ++i) {
    EMBER_CHECK(sizes[i] >= 0 && strides[i] >= 0, call.name(),
                "negative size or stride in size ", IntArrayRef(sizes),
                ", stride ", IntArrayRef(strides));
    if (sizes[i] == 0)
      last = -1;
    if (last >= 0)
      last += (sizes[i] - 1) * strides[i];
  }
  int64_t cap = static_cast<int64_t>(x.unsafe_impl()->storage()->nbytes() /
                                     x.element_size());
  EMBER_CHECK(offset >= 0 && last < cap, call.name(), "setStorage: sizes ",
              IntArrayRef(sizes), ", strides ", IntArrayRef(strides),
              ", storage offset ", offset, " are out of bounds for storage of ",
              cap, " elements");
  return out1(make_view(x, sizes, strides, offset));
}

} // namespace impl
} // namespace ember

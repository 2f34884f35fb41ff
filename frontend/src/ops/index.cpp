// The index family: gather, scatter_add, index_select, advanced indexing
// (index_tensor, index_put_) and one_hot, with their public entry points
// (index / index_put_ with TensorIndex live in indexing.cpp).
//
// Each op is lowered onto the offset kernels of kernels/index.h: the data
// operand is restrided to the result's shape with stride 0 along the
// indexed dims, and an int64 tensor of element offsets (bounds-checked
// index * stride, summed over the index tensors) says where each result
// element comes from or goes to.
//
// Operands: index_tensor takes {self, index_0, ..., index_k} and index_put_
// takes {self, values, index_0, ..., index_k} (attribute "accumulate"); an
// undefined index means "all of that dim", as torch's Tensor?[] indices.
//
// Every op runs on the CPU or on CUDA (kernels::, by the output's device).
// On CUDA the bounds checks of the index tensors read only their min and
// max back (index_offsets, int_range), and a boolean mask costs one small
// copy back (count_nonzero) to size the result.
#include "ember/runtime/kernels/index.h"
#include "common.h"
#include "ember/indexing.h"
#include "ember/ops.h"

#include <algorithm>

namespace ember {

namespace impl {

namespace {

Tensor zeros_int64(IntArrayRef shape, Device dev) {
  Tensor t = make_output(shape, kInt64, dev);
  kernels::fill(I(t), Scalar(0));
  return t;
}

// 0-dim tensors act as 1-element 1-D tensors in gather/scatter/index_select.
Tensor as_1d(const Tensor &t) {
  return t.dim() == 0 ? make_view(t, {1}, {1}, t.storage_offset()) : t;
}

// t restrided to `sizes` (each no larger than t's), stride 0 along dim d.
Tensor restride(const Tensor &t, IntArrayRef sizes, int64_t d) {
  DimVector st = t.strides().vec();
  if (d >= 0)
    st[d] = 0;
  return make_view(t, sizes.vec(), std::move(st), t.storage_offset());
}

int64_t nonempty_dim(const Tensor &t) { return std::max<int64_t>(t.dim(), 1); }

} // namespace

// --- gather / scatter_add / index_select
// ---------------------------------------

TensorList gather(const OpCall &call) {
  const Tensor &x = call.inputs[0], &index = call.inputs[1];
  const Device dev = common_device(call);
  EMBER_CHECK(index.dtype() == kInt64, call.name(),
              "expected an int64 index, got ", describe(index));
  const int64_t d =
      wrap_dim(call.name(), call.attrs.get<int64_t>("dim"), x.dim());
  EMBER_CHECK(nonempty_dim(index) == nonempty_dim(x), call.name(),
              "index tensor must have the same number of dimensions as input "
              "tensor (index ",
              index.sizes(), ", input ", x.sizes(), ")");
  const Tensor x1 = as_1d(x), i1 = as_1d(index);
  for (int64_t k = 0; k < i1.dim(); ++k)
    EMBER_CHECK(k == d || i1.size(k) <= x1.size(k), call.name(),
                "size does not match at dimension ", k, ": expected index ",
                index.sizes(), " to be smaller than self ", x.sizes(),
                " apart from dimension ", d);
  Tensor out = make_output(index.sizes(), x.dtype(), dev);
  if (out.numel() == 0)
    return out1(out);
  Tensor offsets = zeros_int64(i1.sizes(), dev);
  kernels::index_offsets(I(offsets), I(i1), x1.size(d), x1.stride(d),
                         /*wrap_negative=*/false, call.name(), d);
  kernels::gather_offsets(I(as_1d(out)), I(restride(x1, i1.sizes(), d)),
                          I(offsets));
  return out1(out);
}

TensorList scatter_add(const OpCall &call) {
  const Tensor &x = call.inputs[0], &index = call.inputs[1],
               &src = call.inputs[2];
  const Device dev = common_device(call);
  EMBER_CHECK(index.dtype() == kInt64, call.name(),
              "expected an int64 index, got ", describe(index));
  EMBER_CHECK(src.dtype() == x.dtype(), call.name(),
              "expected self and src to have the same dtype, got ", x.dtype(),
              " and ", src.dtype());
  const int64_t d =
      wrap_dim(call.name(), call.attrs.get<int64_t>("dim"), x.dim());
  EMBER_CHECK(nonempty_dim(index) == nonempty_dim(x) &&
                  nonempty_dim(index) == nonempty_dim(src),
              call.name(),
              "index, self and src must have the same number of dimensions "
              "(index ",
              index.sizes(), ", self ", x.sizes(), ", src ", src.sizes(), ")");
  Tensor out = x.clone();
  if (index.numel() == 0)
    return out1(out);
  const Tensor o1 = as_1d(out), i1 = as_1d(index), s1 = as_1d(src);
  for (int64_t k = 0; k < i1.dim(); ++k)
    EMBER_CHECK((k == d || i1.size(k) <= o1.size(k)) &&
                    i1.size(k) <= s1.size(k),
                call.name(), "expected index ", index.sizes(),
                " to be smaller than self ", x.sizes(),
                " apart from dimension ", d, " and to be smaller than src ",
                src.sizes(), " (mismatch at dimension ", k, ")");
  Tensor offsets = zeros_int64(i1.sizes(), dev);
  kernels::index_offsets(I(offsets), I(i1), o1.size(d), o1.stride(d),
                         /*wrap_negative=*/false, call.name(), d);
  kernels::scatter_offsets(I(restride(o1, i1.sizes(), d)),
                           I(restride(s1, i1.sizes(), -1)), I(offsets),
                           /*accumulate=*/true);
  return out1(out);
}

TensorList index_select(const OpCall &call) {
  const Tensor &x = call.inputs[0], &index = call.inputs[1];
  const Device dev = common_device(call);
  EMBER_CHECK(index.dtype() == kInt64 || index.dtype() == kInt32, call.name(),
              "expected an int64 or int32 index, got ", describe(index));
  EMBER_CHECK(index.dim() <= 1, call.name(),
              "index is supposed to be a vector, got shape ", index.sizes());
  const int64_t d =
      wrap_dim(call.name(), call.attrs.get<int64_t>("dim"), x.dim());
  const int64_t n = index.numel();
  const Tensor x1 = as_1d(x), i1 = as_1d(index);
  EMBER_CHECK(x.dim() > 0 || n == 1, call.name(),
              "index to a 0-dim tensor can have only 1 value, got ", n);
  DimVector shape = x1.sizes().vec();
  shape[d] = n;
  Tensor out = make_output(x.dim() == 0 ? IntArrayRef() : IntArrayRef(shape),
                           x.dtype(), dev);
  if (out.numel() == 0 && n == 0)
    return out1(out);
  // One offset per index, broadcast over the other dims.
  Tensor offsets = zeros_int64({n}, dev);
  kernels::index_offsets(I(offsets), I(i1), x1.size(d), x1.stride(d),
                         /*wrap_negative=*/false, call.name(), d);
  if (out.numel() == 0)
    return out1(out);
  DimVector ost(shape.size(), 0);
  ost[d] = 1;
  kernels::gather_offsets(
      I(make_view(out, shape, contiguous_strides(shape), 0)),
      I(restride(x1, shape, d)), I(make_view(offsets, shape, ost, 0)));
  return out1(out);
}

// --- advanced indexing
// -----------------------------------------------------------

namespace {

// x[indices] as numpy/torch define it, reduced to a data view and offsets
// of the result's shape.
struct AdvancedIndex {
  DimVector result_shape;
  Tensor data;    // self restrided to result_shape (indexed dims: stride 0)
  Tensor offsets; // int64 element offsets, result_shape (0-stride views)
};

AdvancedIndex make_advanced_index(const OpCall &call, const Tensor &self,
                                  std::span<const Tensor> raw) {
  const Device dev = self.device();
  // 1. Masks become one int64 index per mask dim (their nonzero coords).
  std::vector<Tensor> idx;
  for (size_t i = 0; i < raw.size(); ++i) {
    const Tensor &t = raw[i];
    const int64_t pos = static_cast<int64_t>(idx.size());
    if (!t.defined()) {
      idx.emplace_back();
      continue;
    }
    EMBER_CHECK(t.device() == dev, call.name(), "index ", i, " is on ",
                t.device(), " but the indexed tensor is on ", dev);
    if (t.dtype() == kBool || t.dtype() == kUInt8) {
      EMBER_CHECK(pos + t.dim() <= self.dim(), call.name(),
                  "too many indices for tensor of dimension ", self.dim(),
                  " (a mask of shape ", t.sizes(), " at dimension ", pos, ")");
      for (int64_t j = 0; j < t.dim(); ++j)
        EMBER_CHECK(t.size(j) == self.size(pos + j), call.name(),
                    "the shape of the mask ", t.sizes(), " at index ", j,
                    " does not match the shape of the indexed tensor ",
                    self.sizes(), " at index ", pos + j);
      Tensor nz =
          make_output({kernels::count_nonzero(I(t)), t.dim()}, kInt64, dev);
      kernels::nonzero(I(nz), I(t));
      for (int64_t j = 0; j < t.dim(); ++j)
        idx.push_back(make_view(nz, {nz.size(0)}, {nz.stride(0)}, j));
      continue;
    }
    EMBER_CHECK(t.dtype() == kInt64 || t.dtype() == kInt32, call.name(),
                "tensors used as indices must be int64, int32, uint8 or bool "
                "tensors, got ",
                describe(t), " at position ", i);
    idx.push_back(t);
  }
  EMBER_CHECK(static_cast<int64_t>(idx.size()) <= self.dim(), call.name(),
              "too many indices for tensor of dimension ", self.dim(), " (got ",
              idx.size(), ")");
  idx.resize(self.dim());

  // 2. Broadcast the index tensors together.
  std::vector<int64_t> dims; // indexed dims of self, in order
  DimVector bshape;
  for (int64_t d = 0; d < self.dim(); ++d) {
    if (!idx[d].defined())
      continue;
    if (dims.empty()) {
      bshape = idx[d].sizes().vec();
    } else {
      try {
        bshape = broadcast_shapes(call.name(), bshape, idx[d].sizes());
      } catch (const Error &) {
        std::string shapes;
        for (int64_t e : dims)
          shapes += shape_str(idx[e].sizes()) + ", ";
        EMBER_FAIL(call.name(),
                   "shape mismatch: indexing tensors could not be "
                   "broadcast together with shapes ",
                   shapes, idx[d].sizes());
      }
    }
    dims.push_back(d);
  }
  EMBER_CHECK(!dims.empty(), call.name(), "expected at least one index tensor");

  // 3. Indexed dims separated by a non-indexed one: the result's index dims
  //    go first (numpy rule), so move the indexed dims to the front.
  const bool adjacent =
      dims.back() - dims.front() + 1 == static_cast<int64_t>(dims.size());
  Tensor src = self;
  std::vector<int64_t> orig(self.dim()); // src dim -> self dim
  for (int64_t d = 0; d < self.dim(); ++d)
    orig[d] = d;
  if (!adjacent) {
    std::vector<int64_t> perm = dims;
    for (int64_t d = 0; d < self.dim(); ++d)
      if (!idx[d].defined())
        perm.push_back(d);
    DimVector sizes, strides;
    std::vector<Tensor> pidx;
    for (int64_t d : perm) {
      sizes.push_back(self.size(d));
      strides.push_back(self.stride(d));
      pidx.push_back(idx[d]);
    }
    src = make_view(self, sizes, strides, self.storage_offset());
    idx = std::move(pidx);
    orig = perm;
  }
  const int64_t first = adjacent ? dims.front() : 0;
  const int64_t count = static_cast<int64_t>(dims.size());
  const int64_t nb = static_cast<int64_t>(bshape.size());

  // 4. Offsets over the broadcast index shape.
  Tensor offsets = zeros_int64(bshape, dev);
  for (int64_t k = 0; k < count; ++k) {
    const int64_t d = first + k;
    kernels::index_offsets(I(offsets), I(expand_view(idx[d], bshape)),
                           src.size(d), src.stride(d), /*wrap_negative=*/true,
                           call.name(), orig[d]);
  }

  // 5. Views of the result's shape: before dims, index dims, after dims.
  AdvancedIndex r;
  DimVector dst, ost;
  const DimVector bstrides = contiguous_strides(bshape);
  for (int64_t d = 0; d < first; ++d) {
    r.result_shape.push_back(src.size(d));
    dst.push_back(src.stride(d));
    ost.push_back(0);
  }
  for (int64_t k = 0; k < nb; ++k) {
    r.result_shape.push_back(bshape[k]);
    dst.push_back(0);
    ost.push_back(bstrides[k]);
  }
  for (int64_t d = first + count; d < src.dim(); ++d) {
    r.result_shape.push_back(src.size(d));
    dst.push_back(src.stride(d));
    ost.push_back(0);
  }
  r.data = make_view(src, r.result_shape, dst, src.storage_offset());
  r.offsets = make_view(offsets, r.result_shape, ost, 0);
  return r;
}

} // namespace

TensorList index_tensor(const OpCall &call) {
  const Tensor &x = call.inputs[0];
  AdvancedIndex a = make_advanced_index(call, x, call.inputs.subspan(1));
  Tensor out = make_output(a.result_shape, x.dtype(), x.device());
  kernels::gather_offsets(I(out), I(a.data), I(a.offsets));
  return out1(out);
}

TensorList index_put_(const OpCall &call) {
  const Tensor &x = call.inputs[0], &values = call.inputs[1];
  EMBER_CHECK(values.defined(), call.name(), "values must be a defined tensor");
  EMBER_CHECK(values.device() == x.device(), call.name(), "values are on ",
              values.device(), " but self is on ", x.device());
  EMBER_CHECK(values.dtype() == x.dtype(), call.name(),
              "index_put_ requires the source and destination dtypes to match, "
              "got ",
              x.dtype(), " for the destination and ", values.dtype(),
              " for the source");
  for (int64_t d = 0; d < x.dim(); ++d)
    EMBER_CHECK(x.stride(d) != 0 || x.size(d) <= 1, call.name(),
                "unsupported operation: more than one element of the "
                "written-to tensor (shape ",
                x.sizes(), ", strides ", x.strides(),
                ") refers to a single memory location; clone() it first");
  AdvancedIndex a = make_advanced_index(call, x, call.inputs.subspan(2));
  bool ok = true;
  try {
    ok = IntArrayRef(broadcast_shapes(call.name(), values.sizes(),
                                      a.result_shape)) == a.result_shape;
  } catch (const Error &) {
    ok = false;
  }
  EMBER_CHECK(ok, call.name(), "shape mismatch: value tensor of shape ",
              values.sizes(),
              " cannot be broadcast to indexing result of shape ",
              IntArrayRef(a.result_shape));
  Tensor v = values;
  if (v.unsafe_impl()->storage() == x.unsafe_impl()->storage())
    v = v.clone(); // the writes must not change values still to be read
  kernels::scatter_offsets(I(a.data), I(expand_view(v, a.result_shape)),
                           I(a.offsets),
                           call.attrs.get_or<bool>("accumulate", false));
  return out1(x);
}

// --- one_hot
// -----------------------------------------------------------------------

TensorList one_hot(const OpCall &call) {
  const Tensor &x = call.inputs[0];
  EMBER_CHECK(x.dtype() == kInt64, call.name(),
              "expected an int64 tensor of class indices, got ", describe(x));
  int64_t classes = call.attrs.get<int64_t>("num_classes");
  EMBER_CHECK(classes >= -1, call.name(),
              "num_classes must be -1 (infer) or non-negative, got ", classes);
  if (x.numel() == 0) {
    EMBER_CHECK(classes != -1, call.name(),
                "can not infer the number of classes from an empty tensor");
  } else {
    int64_t lo = 0, hi = 0;
    kernels::int_range(I(x), lo, hi);
    EMBER_CHECK(lo >= 0, call.name(), "class values must be non-negative, got ",
                lo);
    if (classes == -1)
      classes = hi + 1;
    EMBER_CHECK(hi < classes, call.name(),
                "class values must be smaller than "
                "num_classes (",
                classes, "), got ", hi);
  }
  DimVector shape = x.sizes().vec();
  shape.push_back(classes);
  Tensor out = make_output(shape, kInt64, x.device());
  kernels::one_hot(I(out), I(x.contiguous()), classes);
  return out1(out);
}

} // namespace impl

// --- public entry points
// ---------------------------------------------------------

Tensor gather(const Tensor &x, int64_t dim, const Tensor &index, Loc loc) {
  return dispatch1(OpId::gather, {x, index}, {{"dim", dim}}, loc);
}

Tensor scatter_add(const Tensor &x, int64_t dim, const Tensor &index,
                   const Tensor &src, Loc loc) {
  return dispatch1(OpId::scatter_add, {x, index, src}, {{"dim", dim}}, loc);
}

Tensor index_select(const Tensor &x, int64_t dim, const Tensor &index,
                    Loc loc) {
  return dispatch1(OpId::index_select, {x, index}, {{"dim", dim}}, loc);
}

Tensor one_hot(const Tensor &x, int64_t num_classes, Loc loc) {
  return dispatch1(OpId::one_hot, {x}, {{"num_classes", num_classes}}, loc);
}

} // namespace ember

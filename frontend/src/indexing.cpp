// LibTorch-style indexing: x.index({Slice(0, 2), 1, None, Ellipsis, mask})
// and x.index_put_({...}, value), as torch/csrc/api TensorIndexing.
//
// Basic indices are applied left to right as views: an integer selects
// (removing the dim), a Slice slices, None unsqueezes, Ellipsis skips the
// dims no other index names. Tensor indices (and bool scalars, which become
// a new size-1 dim indexed by [0] or by []) are collected, one per result
// dim, and applied at the end by the index_tensor op (advanced indexing,
// which copies). So x.index({Slice(), 0}) shares x's storage while
// x.index({idx}) does not. index_put_ writes through the basic view with
// copy_, or through the index_put_ op when tensor indices remain.
#include "ember/indexing.h"
#include "ember/dispatch.h"
#include "ember/factory.h"
#include "ember/ops.h"

#include <span>

namespace ember {

using indexing::TensorIndex;

namespace {

bool is_mask(DType t) { return t == kBool || t == kUInt8; }

// The dims of self the indices name (torch's count_specified_dimensions).
int64_t specified_dims(std::span<const TensorIndex> indices) {
  int64_t count = 0;
  for (const TensorIndex &i : indices) {
    if (i.is_tensor())
      count += is_mask(i.tensor().dtype()) ? i.tensor().dim() : 1;
    else if (i.is_integer() || i.is_slice())
      ++count;
  }
  return count;
}

// Applies the basic indices as views; tensor indices land in `out_indices`
// at the result dim they index (torch's applySlicing).
Tensor apply_slicing(const Tensor &self, std::span<const TensorIndex> indices,
                     std::vector<std::optional<Tensor>> &out_indices, Loc loc) {
  const int64_t specified = specified_dims(indices);
  EMBER_CHECK(specified <= self.dim(), "index",
              "too many indices for tensor of dimension ", self.dim(), " (",
              specified, " given)");
  Tensor result = self;
  int64_t dim = 0;      // the result dim the next index applies to
  int64_t orig_dim = 0; // the same dim counted in self, for messages
  auto record = [&](Tensor t) {
    out_indices.resize(dim + 1);
    out_indices[dim] = std::move(t);
    ++dim;
  };
  auto bool_index = [&](bool b) {
    result = result.unsqueeze(dim, loc);
    Tensor t = zeros({static_cast<int64_t>(b ? 1 : 0)},
                     TensorOptions().dtype(kInt64).device(self.device()));
    record(t);
  };
  for (const TensorIndex &i : indices) {
    if (i.is_integer() ||
        (i.is_tensor() && i.tensor().dim() == 0 &&
         is_integral(i.tensor().dtype()) && !is_mask(i.tensor().dtype()))) {
      const int64_t v =
          i.is_integer() ? i.integer() : i.tensor().item<int64_t>();
      const int64_t size = result.size(dim);
      EMBER_CHECK(v >= -size && v < size, "index", "index ", v,
                  " is out of bounds for dimension ", orig_dim, " with size ",
                  size);
      result = result.select(dim, v, loc);
      ++orig_dim;
    } else if (i.is_slice()) {
      const indexing::Slice &s = i.slice();
      EMBER_CHECK(s.step() > 0, "index",
                  "slice step must be greater than zero, got ", s.step());
      result = result.slice(dim, s.start(), s.stop(), s.step(), loc);
      ++dim;
      ++orig_dim;
    } else if (i.is_none()) {
      result = result.unsqueeze(dim, loc);
      ++dim;
    } else if (i.is_ellipsis()) {
      dim += self.dim() - specified;
      orig_dim += self.dim() - specified;
    } else if (i.is_boolean()) {
      bool_index(i.boolean());
    } else if (i.tensor().dim() == 0 && is_mask(i.tensor().dtype())) {
      bool_index(i.tensor().item<int64_t>() != 0);
    } else {
      const Tensor &t = i.tensor();
      record(t);
      orig_dim += is_mask(t.dtype()) ? t.dim() : 1;
    }
  }
  return result;
}

Tensor get_item(const Tensor &self, std::span<const TensorIndex> indices,
                Loc loc) {
  std::vector<std::optional<Tensor>> tensor_indices;
  Tensor sliced = apply_slicing(self, indices, tensor_indices, loc);
  if (tensor_indices.empty())
    // Always a new view (x.index({Ellipsis}) aliases x, as in LibTorch).
    return sliced.is_same(self) ? self.view(self.sizes(), loc) : sliced;
  return ember::index(sliced, tensor_indices, loc);
}

// value without its leading size-1 dims (torch's slicePrefix1sSize), so a
// [1, 3] value fits a [3] destination.
Tensor strip_leading_ones(const Tensor &value, Loc loc) {
  int64_t k = 0;
  while (k < value.dim() && value.size(k) == 1)
    ++k;
  if (k == 0)
    return value;
  DimVector shape(value.sizes().begin() + k, value.sizes().end());
  return value.view(shape, loc);
}

void copy_to(Tensor dst, const Tensor &src, Loc loc) {
  if (dst.sizes() == src.sizes())
    dst.copy_(src, loc);
  else
    dst.copy_(strip_leading_ones(src, loc), loc);
}

void set_item(Tensor &self, std::span<const TensorIndex> indices,
              const Tensor &value, Loc loc) {
  if (indices.size() == 1 && indices[0].is_boolean() && !indices[0].boolean())
    return; // x[False] = v writes nothing
  if (indices.size() == 1 &&
      (indices[0].is_none() ||
       (indices[0].is_boolean() && indices[0].boolean()))) {
    copy_to(self.unsqueeze(0, loc), value, loc);
    return;
  }
  std::vector<std::optional<Tensor>> tensor_indices;
  Tensor sliced = apply_slicing(self, indices, tensor_indices, loc);
  if (tensor_indices.empty()) {
    copy_to(sliced, value, loc);
    return;
  }
  ember::index_put_(sliced, tensor_indices, strip_leading_ones(value, loc),
                    /*accumulate=*/false, loc);
}

} // namespace

Tensor index(const Tensor &x, const std::vector<std::optional<Tensor>> &indices,
             Loc loc) {
  TensorList ins;
  ins.reserve(indices.size() + 1);
  ins.push_back(x);
  for (const auto &i : indices)
    ins.push_back(i.value_or(Tensor()));
  return dispatch(OpId::index_tensor, ins, {}, loc)[0];
}

Tensor &index_put_(Tensor &x, const std::vector<std::optional<Tensor>> &indices,
                   const Tensor &values, bool accumulate, Loc loc) {
  TensorList ins;
  ins.reserve(indices.size() + 2);
  ins.push_back(x);
  ins.push_back(values);
  for (const auto &i : indices)
    ins.push_back(i.value_or(Tensor()));
  dispatch(OpId::index_put_, ins, {{"accumulate", accumulate}}, loc);
  return x;
}

Tensor Tensor::index(std::initializer_list<TensorIndex> indices,
                     Loc loc) const {
  return get_item(*this,
                  std::span<const TensorIndex>(indices.begin(), indices.size()),
                  loc);
}

Tensor Tensor::index(const std::vector<TensorIndex> &indices, Loc loc) const {
  return get_item(*this, indices, loc);
}

Tensor &Tensor::index_put_(std::initializer_list<TensorIndex> indices,
                           const Tensor &value, Loc loc) {
  set_item(*this, std::span<const TensorIndex>(indices.begin(), indices.size()),
           value, loc);
  return *this;
}

Tensor &Tensor::index_put_(std::initializer_list<TensorIndex> indices,
                           const Scalar &value, Loc loc) {
  Tensor v = full({}, value, TensorOptions().dtype(dtype()).device(device()));
  set_item(*this, std::span<const TensorIndex>(indices.begin(), indices.size()),
           v, loc);
  return *this;
}

} // namespace ember

// TensorImpl: the runtime's description of a tensor (storage, sizes,
// strides, offset, dtype). Kernels work on it; the user-facing ember::Tensor
// (frontend/) is a handle to it plus autograd state.
#pragma once

#include "ember/runtime/dtype.h"
#include "ember/runtime/int_array.h"
#include "ember/runtime/storage.h"

#include <memory>

namespace ember {

/// Opaque slot the frontend's autograd keeps per tensor (runtime does not
/// know autograd; it only carries the pointer).
struct AutogradMetaBase {
  virtual ~AutogradMetaBase() = default;
};

class TensorImpl {
public:
  TensorImpl(Storage storage, DType dtype, DimVector sizes, DimVector strides,
             int64_t offset);

  const Storage &storage() const { return storage_; }
  DType dtype() const { return dtype_; }
  Device device() const { return storage_->device(); }
  IntArrayRef sizes() const { return sizes_; }
  IntArrayRef strides() const { return strides_; }
  int64_t size(int64_t d) const { return sizes_[d]; }
  int64_t stride(int64_t d) const { return strides_[d]; }
  int64_t dim() const { return static_cast<int64_t>(sizes_.size()); }
  int64_t numel() const { return numel_; }
  int64_t storage_offset() const { return offset_; }
  size_t itemsize() const { return element_size(dtype_); }
  bool is_contiguous() const { return contiguous_; }

  void *data() const {
    return static_cast<char *>(storage_->data()) + offset_ * itemsize();
  }
  template <typename T> T *data_as() const { return static_cast<T *>(data()); }

  /// A number the user wrote (`x + 2`): loses to tensors in type promotion.
  bool is_wrapped_number() const { return wrapped_number_; }
  void set_wrapped_number(bool v) { wrapped_number_ = v; }

  AutogradMetaBase *autograd_meta() const { return autograd_meta_.get(); }
  void set_autograd_meta(std::unique_ptr<AutogradMetaBase> m) {
    autograd_meta_ = std::move(m);
  }

  /// Points this tensor at src's data (storage, dtype, geometry), keeping
  /// its identity and autograd state (Module::to, Tensor::set_data).
  void set_data(const TensorImpl &src) {
    storage_ = src.storage_;
    dtype_ = src.dtype_;
    set_geometry(src.sizes_, src.strides_, src.offset_);
  }
  /// Replace the geometry (view ops, in-place resize of fresh outputs).
  void set_geometry(DimVector sizes, DimVector strides, int64_t offset);

private:
  void refresh();

  Storage storage_;
  DType dtype_;
  DimVector sizes_;
  DimVector strides_;
  int64_t offset_;
  int64_t numel_ = 1;
  bool contiguous_ = true;
  bool wrapped_number_ = false;
  std::unique_ptr<AutogradMetaBase> autograd_meta_;
};

/// A fresh contiguous tensor on `device`.
std::shared_ptr<TensorImpl> make_tensor_impl(IntArrayRef sizes, DType dtype,
                                             Device device);

} // namespace ember

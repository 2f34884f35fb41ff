#include "ember/runtime/tensor_impl.h"
#include "ember/runtime/error.h"

namespace ember {

TensorImpl::TensorImpl(Storage storage, DType dtype, DimVector sizes,
                       DimVector strides, int64_t offset)
    : storage_(std::move(storage)), dtype_(dtype), sizes_(std::move(sizes)),
      strides_(std::move(strides)), offset_(offset) {
  refresh();
}

void TensorImpl::set_geometry(DimVector sizes, DimVector strides,
                              int64_t offset) {
  sizes_ = std::move(sizes);
  strides_ = std::move(strides);
  offset_ = offset;
  refresh();
}

void TensorImpl::refresh() {
  numel_ = 1;
  for (int64_t s : sizes_)
    numel_ *= s;
  // Contiguous = row-major; size-1 dims may have any stride (as PyTorch).
  contiguous_ = true;
  int64_t expected = 1;
  for (size_t i = sizes_.size(); i-- > 0;) {
    if (sizes_[i] == 1)
      continue;
    if (strides_[i] != expected) {
      contiguous_ = false;
      break;
    }
    expected *= sizes_[i];
  }
  if (numel_ == 0)
    contiguous_ = true;
}

std::shared_ptr<TensorImpl> make_tensor_impl(IntArrayRef sizes, DType dtype,
                                             Device device) {
  for (int64_t s : sizes)
    EMBER_CHECK(s >= 0, "empty", "negative dimension in size ", sizes);
  EMBER_CHECK(has_kernels(dtype), "empty", "dtype ", dtype,
              " is reserved and has no kernels yet");
  int64_t n = product(sizes);
  auto storage = std::make_shared<StorageImpl>(
      static_cast<size_t>(n) * element_size(dtype), device);
  return std::make_shared<TensorImpl>(std::move(storage), dtype, sizes.vec(),
                                      contiguous_strides(sizes), 0);
}

} // namespace ember

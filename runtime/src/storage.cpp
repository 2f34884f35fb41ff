#include "ember/runtime/storage.h"

namespace ember {

StorageImpl::StorageImpl(size_t nbytes, Device device)
    : data_(nullptr), nbytes_(nbytes), device_(device),
      allocator_(get_allocator(device.type())) {
  data_ = allocator_->allocate(nbytes);
}

StorageImpl::StorageImpl(void *data, size_t nbytes, Device device,
                         std::function<void(void *)> deleter)
    : data_(data), nbytes_(nbytes), device_(device), allocator_(nullptr),
      deleter_(std::move(deleter)) {}

StorageImpl::~StorageImpl() {
  if (allocator_)
    allocator_->deallocate(data_, nbytes_);
  else if (deleter_)
    deleter_(data_);
}

} // namespace ember

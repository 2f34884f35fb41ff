#include "ember/runtime/storage.h"
#include "ember/runtime/cuda.h"

namespace ember {

namespace {
// "cuda" means the current device; the storage records which one it was.
Device concrete(Device d) {
  if (d.is_cuda() && d.index() < 0 && cuda::is_available())
    return Device(kCUDA, cuda::current_device());
  return d;
}
} // namespace

StorageImpl::StorageImpl(size_t nbytes, Device device)
    : data_(nullptr), nbytes_(nbytes), device_(concrete(device)),
      allocator_(get_allocator(device.type())) {
  // The CUDA allocator allocates on the current device.
  cuda::DeviceGuard guard(device_.is_cuda() ? device_.index() : -1);
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

// Storage: a reference-counted block of device memory that tensors view.
#pragma once

#include "ember/runtime/allocator.h"
#include "ember/runtime/device.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

namespace ember {

class StorageImpl {
public:
  /// Allocates `nbytes` on `device` with that device type's allocator.
  StorageImpl(size_t nbytes, Device device);
  /// Wraps memory the caller owns (from_blob); `deleter` may be empty.
  StorageImpl(void *data, size_t nbytes, Device device,
              std::function<void(void *)> deleter);
  ~StorageImpl();
  StorageImpl(const StorageImpl &) = delete;
  StorageImpl &operator=(const StorageImpl &) = delete;

  void *data() const { return data_; }
  size_t nbytes() const { return nbytes_; }
  Device device() const { return device_; }

  /// Bumped by every in-place write through any view of this storage;
  /// autograd compares it with the value saved at forward time.
  uint64_t version() const { return version_.load(std::memory_order_relaxed); }
  void bump_version() { version_.fetch_add(1, std::memory_order_relaxed); }

private:
  void *data_;
  size_t nbytes_;
  Device device_;
  Allocator *allocator_; // null when the memory is borrowed
  std::function<void(void *)> deleter_;
  std::atomic<uint64_t> version_{0};
};

using Storage = std::shared_ptr<StorageImpl>;

} // namespace ember

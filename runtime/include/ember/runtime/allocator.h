// Allocators: one per device type, so CUDA (caching) and pinned host memory
// plug in without Tensor changing. The CPU allocator returns 64-byte aligned
// blocks so vector loops and BLAS see aligned rows.
#pragma once

#include "ember/runtime/device.h"

#include <cstddef>

namespace ember {

class Allocator {
public:
  virtual ~Allocator() = default;
  /// Returns at least `nbytes` of memory (a valid, unique pointer even for 0).
  virtual void *allocate(size_t nbytes) = 0;
  virtual void deallocate(void *ptr, size_t nbytes) noexcept = 0;
};

inline constexpr size_t kCpuAlignment = 64;

Allocator *cpu_allocator();
/// The allocator registered for a device type; throws ember::Error when the
/// device type has none (e.g. CUDA in a build without CUDA).
Allocator *get_allocator(DeviceType t);
void set_allocator(DeviceType t, Allocator *alloc);

} // namespace ember

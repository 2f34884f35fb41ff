// Allocators: one per device type, so CUDA (caching) and pinned host memory
// plug in without Tensor changing. The CPU allocator returns 64-byte aligned
// blocks so vector loops and BLAS see aligned rows, and caches large blocks
// (see cpu_cache_stats below).
#pragma once

#include "ember/runtime/device.h"

#include <cstddef>
#include <cstdint>

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

// The CPU block cache. glibc hands large blocks back to the OS when they are
// freed (munmap, or brk trimming), so a tensor of a few MB allocated in a
// loop comes back as fresh pages that fault in on first write: a 16 MB
// output costs ~1 ms of page faults, as much as the loop computing it. The
// CPU allocator therefore keeps freed blocks of kCpuCacheMinBytes or more in
// per-size-class free lists and hands them out again, up to a limit on the
// bytes it holds (default: 1 GiB or a quarter of the RAM, whichever is
// smaller; the environment variable EMBER_CPU_CACHE_BYTES overrides it at
// the first allocation, 0 turns the cache off). The threshold is 64 KiB,
// below glibc's 128 KiB mmap threshold: a training step's 256 KiB
// activations faulted in anew on every step when they went to malloc.
// Smaller blocks go straight to malloc, which keeps them in its heap.
// Thread-safe. In ASan builds the cache is compiled out so that ASan still
// sees every free.

/// Blocks of at least this many bytes are cached.
inline constexpr size_t kCpuCacheMinBytes = size_t(1) << 16;

struct CpuCacheStats {
  size_t cached_bytes = 0;  ///< bytes in free blocks the cache holds
  size_t cached_blocks = 0; ///< number of those blocks
  size_t limit_bytes = 0;   ///< the most it holds; 0: the cache is off
  uint64_t hits = 0;        ///< large allocations served from the cache
  uint64_t misses = 0;      ///< large allocations that went to malloc
};

/// The cache's current state (hits and misses since the start or the last
/// reset_cpu_cache_stats()).
CpuCacheStats cpu_cache_stats();
void reset_cpu_cache_stats();
/// Returns every cached block to the system (as torch.cuda.empty_cache does
/// for CUDA); blocks in use are not affected.
void cpu_empty_cache();
/// Sets the most bytes the cache holds (0 turns it off) and frees what the
/// new limit does not allow. A no-op in builds without the cache (ASan).
void set_cpu_cache_limit(size_t bytes);

} // namespace ember

// The caching device allocator. cudaMalloc/cudaFree synchronize the device
// and cost tens of microseconds, so freed blocks are kept and handed out
// again, as PyTorch's CUDACachingAllocator does:
//   - sizes round up to a size class: 512 B steps below 1 MiB, 2 MiB steps
//     above, and a request takes a cached block of exactly its class;
//   - a block is reused only on the stream it was allocated on (work on one
//     stream runs in order, so the next user cannot overtake the last);
//   - when cudaMalloc fails, the cache is returned to the driver and the
//     call retried once before "CUDA out of memory" is raised;
//   - empty_cache() returns every cached block; memory_stats() reports.
#include "ember/runtime/allocator.h"
#include "check.h"
#include "ember/runtime/cuda.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace ember::cuda {

namespace {

constexpr size_t kSmallStep = 512;
constexpr size_t kLargeThreshold = size_t(1) << 20;
constexpr size_t kLargeStep = size_t(2) << 20;

size_t size_class(size_t n) {
  if (n == 0)
    n = 1;
  size_t step = n < kLargeThreshold ? kSmallStep : kLargeStep;
  return (n + step - 1) / step * step;
}

struct Block {
  size_t size;
  int device;
  void *stream;
};

struct PoolKey {
  int device;
  void *stream;
  size_t size;
  bool operator<(const PoolKey &o) const {
    if (device != o.device)
      return device < o.device;
    if (stream != o.stream)
      return stream < o.stream;
    return size < o.size;
  }
};

class CachingAllocator final : public Allocator {
public:
  void *allocate(size_t nbytes) override {
    detail::require_device("empty");
    const int dev = current_device();
    const size_t sz = size_class(nbytes);
    void *stream = current_stream(dev).handle();
    std::lock_guard<std::mutex> lock(mu_);
    MemoryStats &st = stats(dev);
    ++st.num_allocs;
    void *ptr = nullptr;
    auto it = free_.find(PoolKey{dev, stream, sz});
    if (it != free_.end() && !it->second.empty()) {
      ptr = it->second.back();
      it->second.pop_back();
      ++st.cache_hits;
    } else {
      ptr = driver_alloc(dev, sz, nbytes, st);
    }
    live_[ptr] = Block{sz, dev, stream};
    st.allocated_bytes += sz;
    st.peak_allocated_bytes =
        std::max(st.peak_allocated_bytes, st.allocated_bytes);
    return ptr;
  }

  void deallocate(void *ptr, size_t) noexcept override {
    if (!ptr)
      return;
    std::lock_guard<std::mutex> lock(mu_);
    auto it = live_.find(ptr);
    if (it == live_.end())
      return; // not ours: nothing sane to do in a noexcept path
    Block b = it->second;
    live_.erase(it);
    stats(b.device).allocated_bytes -= b.size;
    free_[PoolKey{b.device, b.stream, b.size}].push_back(ptr);
  }

  void empty_cache() {
    std::lock_guard<std::mutex> lock(mu_);
    release_cached(-1);
  }

  MemoryStats get_stats(int dev) {
    std::lock_guard<std::mutex> lock(mu_);
    return stats(dev);
  }
  void reset_peaks(int dev) {
    std::lock_guard<std::mutex> lock(mu_);
    MemoryStats &st = stats(dev);
    st.peak_allocated_bytes = st.allocated_bytes;
    st.peak_reserved_bytes = st.reserved_bytes;
  }

private:
  MemoryStats &stats(int dev) {
    if (static_cast<int>(stats_.size()) <= dev)
      stats_.resize(dev + 1);
    return stats_[dev];
  }

  void *driver_alloc(int dev, size_t sz, size_t requested, MemoryStats &st) {
    void *ptr = nullptr;
    cudaError_t err = cudaMalloc(&ptr, sz);
    if (err == cudaErrorMemoryAllocation) {
      cudaGetLastError();
      ++st.oom_retries;
      release_cached(dev);
      err = cudaMalloc(&ptr, sz);
    }
    if (err != cudaSuccess) {
      cudaGetLastError();
      size_t free_b = 0, total_b = 0;
      cudaMemGetInfo(&free_b, &total_b);
      EMBER_FAIL("empty", "CUDA out of memory: tried to allocate ", requested,
                 " bytes on cuda:", dev, " (", cudaGetErrorString(err),
                 "); ember holds ", st.allocated_bytes,
                 " bytes in tensors and ", st.reserved_bytes,
                 " bytes reserved; the device has ", free_b, " of ", total_b,
                 " bytes free");
    }
    ++st.driver_allocs;
    st.reserved_bytes += sz;
    st.peak_reserved_bytes =
        std::max(st.peak_reserved_bytes, st.reserved_bytes);
    return ptr;
  }

  // Frees cached blocks of `dev` (-1: all devices). cudaFree synchronizes
  // the device, so no kernel still reads a block being returned.
  void release_cached(int dev) {
    for (auto it = free_.begin(); it != free_.end();) {
      if (dev >= 0 && it->first.device != dev) {
        ++it;
        continue;
      }
      DeviceGuard g(it->first.device);
      for (void *p : it->second) {
        cudaFree(p);
        stats(it->first.device).reserved_bytes -= it->first.size;
      }
      it = free_.erase(it);
    }
  }

  std::mutex mu_;
  std::map<PoolKey, std::vector<void *>> free_;
  std::unordered_map<void *, Block> live_;
  std::vector<MemoryStats> stats_;
};

CachingAllocator &caching_allocator() {
  // Leaked on purpose: tensors in static objects may be freed after main.
  static CachingAllocator *a = new CachingAllocator();
  return *a;
}

} // namespace

Allocator *default_allocator() { return &caching_allocator(); }

MemoryStats memory_stats(int device) {
  if (!is_available())
    return {};
  return caching_allocator().get_stats(detail::resolve(device));
}
void reset_peak_memory_stats(int device) {
  if (is_available())
    caching_allocator().reset_peaks(detail::resolve(device));
}
size_t memory_allocated(int device) {
  return memory_stats(device).allocated_bytes;
}
size_t memory_reserved(int device) {
  return memory_stats(device).reserved_bytes;
}
void empty_cache() {
  if (!is_available())
    return;
  caching_allocator().empty_cache();
  detail::release_pinned_cache();
}

} // namespace ember::cuda

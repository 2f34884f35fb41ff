// The CPU allocator: 64-byte aligned blocks from aligned_alloc, with a cache
// of freed large blocks (allocator.h says why).
//
// Size classes: a large request is rounded up to a multiple of 1/8 of its
// highest power of two (at most 12.5% more address space; pages never
// written are never faulted in), so requests of nearby sizes share a free
// list. Each class keeps a LIFO list of free blocks (the most recently freed
// block is the most likely to still be mapped in the TLB). A block freed
// when the cache holds `limit` bytes already goes back to the system. One
// mutex guards the lists and the counters: a large allocation is rare next
// to the work done on it.
#include "ember/runtime/allocator.h"
#include "ember/runtime/error.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define EMBER_CPU_CACHE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EMBER_CPU_CACHE 0
#endif
#endif
#ifndef EMBER_CPU_CACHE
#define EMBER_CPU_CACHE 1
#endif

namespace ember {

namespace {

// The bytes actually allocated for a request of `nbytes`: a non-zero
// multiple of the alignment (aligned_alloc needs one, and every storage
// needs a unique address), and for large blocks the size class.
size_t roundedSize(size_t nbytes) {
  size_t n = (nbytes + kCpuAlignment - 1) / kCpuAlignment * kCpuAlignment;
  if (n == 0)
    return kCpuAlignment;
  if (n < kCpuCacheMinBytes)
    return n;
  size_t top = size_t(1) << (63 - __builtin_clzll(n));
  size_t step = top / 8;
  return (n + step - 1) / step * step;
}

void *systemAllocate(size_t n, size_t requested) {
  void *p = std::aligned_alloc(kCpuAlignment, n);
  if (!p)
    EMBER_FAIL("empty", "out of memory allocating ", requested,
               " bytes on cpu");
  return p;
}

size_t defaultLimit() {
  if (const char *env = std::getenv("EMBER_CPU_CACHE_BYTES"))
    return static_cast<size_t>(std::strtoull(env, nullptr, 10));
  size_t limit = size_t(1) << 30;
  long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  if (pages > 0 && page > 0)
    limit = std::min(limit, static_cast<size_t>(pages) *
                                static_cast<size_t>(page) / 4);
  return limit;
}

class CpuAllocator final : public Allocator {
public:
  CpuAllocator() { stats_.limit_bytes = EMBER_CPU_CACHE ? defaultLimit() : 0; }

  void *allocate(size_t nbytes) override {
    size_t n = roundedSize(nbytes);
    if (!EMBER_CPU_CACHE || n < kCpuCacheMinBytes)
      return systemAllocate(n, nbytes);
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = free_.find(n);
      if (it != free_.end() && !it->second.empty()) {
        void *p = it->second.back();
        it->second.pop_back();
        stats_.cached_bytes -= n;
        --stats_.cached_blocks;
        ++stats_.hits;
        return p;
      }
      ++stats_.misses;
    }
    return systemAllocate(n, nbytes);
  }

  void deallocate(void *ptr, size_t nbytes) noexcept override {
    size_t n = roundedSize(nbytes);
    if (EMBER_CPU_CACHE && n >= kCpuCacheMinBytes) {
      std::lock_guard<std::mutex> lock(mu_);
      if (stats_.cached_bytes + n <= stats_.limit_bytes) {
        try {
          free_[n].push_back(ptr);
        } catch (...) { // no memory for the list entry: free the block
          std::free(ptr);
          return;
        }
        stats_.cached_bytes += n;
        ++stats_.cached_blocks;
        return;
      }
    }
    std::free(ptr);
  }

  CpuCacheStats stats() {
    std::lock_guard<std::mutex> lock(mu_);
    return stats_;
  }

  void resetStats() {
    std::lock_guard<std::mutex> lock(mu_);
    stats_.hits = stats_.misses = 0;
  }

  // Frees cached blocks until the cache holds at most `keep` bytes.
  void trim(size_t keep) {
    std::vector<void *> victims;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto &[size, blocks] : free_) {
        while (!blocks.empty() && stats_.cached_bytes > keep) {
          victims.push_back(blocks.back());
          blocks.pop_back();
          stats_.cached_bytes -= size;
          --stats_.cached_blocks;
        }
      }
    }
    for (void *p : victims)
      std::free(p);
  }

  void setLimit(size_t bytes) {
    if (!EMBER_CPU_CACHE)
      return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stats_.limit_bytes = bytes;
    }
    trim(bytes);
  }

private:
  std::mutex mu_;
  std::unordered_map<size_t, std::vector<void *>> free_;
  CpuCacheStats stats_;
};

CpuAllocator &instance() {
  // Never destroyed: tensors in other static objects may be freed after
  // this file's statics would be.
  static CpuAllocator *a = new CpuAllocator;
  return *a;
}

} // namespace

Allocator *cpu_allocator() { return &instance(); }

CpuCacheStats cpu_cache_stats() { return instance().stats(); }

void reset_cpu_cache_stats() { instance().resetStats(); }

void cpu_empty_cache() { instance().trim(0); }

void set_cpu_cache_limit(size_t bytes) { instance().setLimit(bytes); }

} // namespace ember

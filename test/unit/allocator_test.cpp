// The CPU allocator and its cache of large blocks (allocator.h): reuse of
// freed blocks, size classes, the byte limit, cpu_empty_cache, statistics,
// zero sizes, alignment and concurrent use. In ASan builds the cache is
// compiled out (ASan must see every free): the cache tests skip there.
#include "test_util.h"

#include <atomic>
#include <cstdint>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

using namespace ember;

namespace {

constexpr size_t kMiB = size_t(1) << 20;

class CpuCache : public ::testing::Test {
protected:
  void SetUp() override {
    saved_limit_ = cpu_cache_stats().limit_bytes;
    set_cpu_cache_limit(64 * kMiB);
    if (cpu_cache_stats().limit_bytes == 0)
      GTEST_SKIP() << "the CPU cache is compiled out (ASan build)";
    cpu_empty_cache();
    reset_cpu_cache_stats();
  }
  void TearDown() override {
    cpu_empty_cache();
    set_cpu_cache_limit(saved_limit_);
  }
  Allocator *a = cpu_allocator();
  size_t saved_limit_ = 0;
};

TEST_F(CpuCache, FreedLargeBlockIsReused) {
  void *p = a->allocate(4 * kMiB);
  a->deallocate(p, 4 * kMiB);
  EXPECT_EQ(cpu_cache_stats().cached_blocks, 1u);
  EXPECT_EQ(cpu_cache_stats().cached_bytes, 4 * kMiB);
  void *q = a->allocate(4 * kMiB);
  EXPECT_EQ(q, p);
  CpuCacheStats s = cpu_cache_stats();
  EXPECT_EQ(s.hits, 1u);
  EXPECT_EQ(s.misses, 1u);
  EXPECT_EQ(s.cached_bytes, 0u);
  EXPECT_EQ(s.cached_blocks, 0u);
  a->deallocate(q, 4 * kMiB);
}

TEST_F(CpuCache, NearbySizesShareASizeClass) {
  // 4 MiB + 200 and 4 MiB + 100 round up to the same class (a multiple of
  // 512 KiB); 6 MiB is another class.
  void *p = a->allocate(4 * kMiB + 200);
  std::memset(p, 1, 4 * kMiB + 200);
  a->deallocate(p, 4 * kMiB + 200);
  void *q = a->allocate(4 * kMiB + 100);
  EXPECT_EQ(q, p);
  std::memset(q, 2, 4 * kMiB + 100);
  void *r = a->allocate(6 * kMiB);
  EXPECT_NE(r, p);
  a->deallocate(q, 4 * kMiB + 100);
  a->deallocate(r, 6 * kMiB);
  EXPECT_EQ(cpu_cache_stats().cached_blocks, 2u);
}

TEST_F(CpuCache, SmallBlocksBypassTheCache) {
  void *p = a->allocate(kCpuCacheMinBytes - 4096);
  a->deallocate(p, kCpuCacheMinBytes - 4096);
  CpuCacheStats s = cpu_cache_stats();
  EXPECT_EQ(s.cached_blocks, 0u);
  EXPECT_EQ(s.hits + s.misses, 0u);
}

TEST_F(CpuCache, LimitCapsTheCachedBytes) {
  set_cpu_cache_limit(8 * kMiB);
  std::vector<void *> blocks;
  for (int i = 0; i < 3; ++i)
    blocks.push_back(a->allocate(4 * kMiB));
  for (void *p : blocks)
    a->deallocate(p, 4 * kMiB);
  CpuCacheStats s = cpu_cache_stats();
  EXPECT_EQ(s.cached_bytes, 8 * kMiB); // the third went back to the system
  EXPECT_EQ(s.cached_blocks, 2u);
  // Lowering the limit frees what no longer fits.
  set_cpu_cache_limit(4 * kMiB);
  s = cpu_cache_stats();
  EXPECT_EQ(s.cached_bytes, 4 * kMiB);
  EXPECT_EQ(s.limit_bytes, 4 * kMiB);
  // Limit 0: nothing is cached.
  set_cpu_cache_limit(0);
  EXPECT_EQ(cpu_cache_stats().cached_bytes, 0u);
  void *p = a->allocate(4 * kMiB);
  a->deallocate(p, 4 * kMiB);
  EXPECT_EQ(cpu_cache_stats().cached_blocks, 0u);
}

TEST_F(CpuCache, EmptyCacheReleasesEverything) {
  void *p = a->allocate(2 * kMiB), *q = a->allocate(3 * kMiB);
  a->deallocate(p, 2 * kMiB);
  a->deallocate(q, 3 * kMiB);
  EXPECT_EQ(cpu_cache_stats().cached_blocks, 2u);
  cpu_empty_cache();
  CpuCacheStats s = cpu_cache_stats();
  EXPECT_EQ(s.cached_bytes, 0u);
  EXPECT_EQ(s.cached_blocks, 0u);
  EXPECT_EQ(s.limit_bytes, 64 * kMiB); // the limit stays
}

TEST_F(CpuCache, TensorsReuseFreedStorage) {
  const void *first = nullptr;
  {
    Tensor t = empty({1 << 20}); // 4 MiB of float32
    first = t.data_ptr<float>();
  }
  Tensor u = ones({1 << 20});
  EXPECT_EQ(u.data_ptr<float>(), first);
  EXPECT_EQ(cpu_cache_stats().hits, 1u);
  EXPECT_EQ(u.sum().item<float>(), float(1 << 20));
}

TEST_F(CpuCache, ConcurrentAllocateAndFree) {
  const size_t sizes[] = {kMiB, 2 * kMiB + 64, 3 * kMiB, 5 * kMiB};
  const int kThreads = 4, kIters = 200;
  std::vector<std::thread> threads;
  std::atomic<int> bad{0};
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      std::mt19937 rng(t);
      std::vector<std::pair<unsigned char *, size_t>> held;
      for (int i = 0; i < kIters; ++i) {
        if (held.size() < 3 && rng() % 2 == 0) {
          size_t n = sizes[rng() % 4];
          auto *p = static_cast<unsigned char *>(a->allocate(n));
          // Owned by this thread alone: the first and last bytes keep
          // what it wrote until it frees the block.
          p[0] = p[n - 1] = static_cast<unsigned char>(t + 1);
          held.push_back({p, n});
        } else if (!held.empty()) {
          auto [p, n] = held.back();
          held.pop_back();
          if (p[0] != t + 1 || p[n - 1] != t + 1)
            ++bad;
          a->deallocate(p, n);
        }
      }
      for (auto [p, n] : held)
        a->deallocate(p, n);
    });
  for (auto &th : threads)
    th.join();
  EXPECT_EQ(bad.load(), 0);
  CpuCacheStats s = cpu_cache_stats();
  EXPECT_LE(s.cached_bytes, s.limit_bytes);
  EXPECT_GT(s.hits, 0u);
}

// These hold with or without the cache.
TEST(CpuAllocator, ZeroSizeGivesUniquePointers) {
  Allocator *a = cpu_allocator();
  void *p = a->allocate(0), *q = a->allocate(0);
  EXPECT_NE(p, nullptr);
  EXPECT_NE(p, q);
  a->deallocate(p, 0);
  a->deallocate(q, 0);
}

TEST(CpuAllocator, BlocksAreAlignedAndWritable) {
  Allocator *a = cpu_allocator();
  for (size_t n : {size_t(1), size_t(63), size_t(65), kCpuCacheMinBytes - 1,
                   kCpuCacheMinBytes, kCpuCacheMinBytes + 1, 5 * kMiB + 3}) {
    void *p = a->allocate(n);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % kCpuAlignment, 0u) << n;
    std::memset(p, 0xab, n);
    a->deallocate(p, n);
    // A reused block is aligned too.
    void *q = a->allocate(n);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(q) % kCpuAlignment, 0u) << n;
    a->deallocate(q, n);
  }
}

} // namespace

#include "ember/runtime/allocator.h"
#include "ember/runtime/error.h"

#include <array>
#include <atomic>
#include <cstdlib>
#include <new>

namespace ember {

namespace {
class CpuAllocator final : public Allocator {
public:
  void *allocate(size_t nbytes) override {
    // aligned_alloc needs a multiple of the alignment, and a non-zero size
    // so that every storage has a unique address.
    size_t n = (nbytes + kCpuAlignment - 1) / kCpuAlignment * kCpuAlignment;
    if (n == 0)
      n = kCpuAlignment;
    void *p = std::aligned_alloc(kCpuAlignment, n);
    if (!p)
      EMBER_FAIL("empty", "out of memory allocating ", nbytes, " bytes on cpu");
    return p;
  }
  void deallocate(void *ptr, size_t) noexcept override { std::free(ptr); }
};

std::array<std::atomic<Allocator *>, kNumDeviceTypes> &registry() {
  static std::array<std::atomic<Allocator *>, kNumDeviceTypes> r{};
  return r;
}
} // namespace

Allocator *cpu_allocator() {
  static CpuAllocator a;
  return &a;
}

Allocator *get_allocator(DeviceType t) {
  if (t == DeviceType::CPU)
    return cpu_allocator();
  Allocator *a = registry()[static_cast<int>(t)].load();
  EMBER_CHECK(a != nullptr, "empty", "no allocator for device type ",
              Device(t).str(),
              " (this build or this machine has no CUDA support)");
  return a;
}

void set_allocator(DeviceType t, Allocator *alloc) {
  registry()[static_cast<int>(t)].store(alloc);
}

} // namespace ember

#include "ember/runtime/allocator.h"
#include "ember/runtime/cuda.h"
#include "ember/runtime/error.h"

#include <array>
#include <atomic>

namespace ember {

namespace {
std::array<std::atomic<Allocator *>, kNumDeviceTypes> &registry() {
  static std::array<std::atomic<Allocator *>, kNumDeviceTypes> r{};
  return r;
}
} // namespace

Allocator *get_allocator(DeviceType t) {
  if (t == DeviceType::CPU)
    return cpu_allocator();
  Allocator *a = registry()[static_cast<int>(t)].load();
  if (!a && t == DeviceType::CUDA)
    a = cuda::default_allocator();
  EMBER_CHECK(a != nullptr, "empty", "no allocator for device type ",
              Device(t).str(),
              " (this build or this machine has no CUDA support)");
  return a;
}

void set_allocator(DeviceType t, Allocator *alloc) {
  registry()[static_cast<int>(t)].store(alloc);
}

} // namespace ember

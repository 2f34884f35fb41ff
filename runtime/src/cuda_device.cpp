// Built when EMBER_ENABLE_CUDA is ON. Only runtime/ talks to the CUDA SDK.
// Without a driver cudaGetDeviceCount fails (error 35) and leaves the count
// untouched, so it starts at 0 and any error means "no GPU" (TOOLCHAIN.md).
#include "ember/runtime/cuda.h"
#include "ember/runtime/error.h"

#include <cuda_runtime_api.h>

namespace ember::cuda {
bool is_built() { return true; }
int device_count() {
  static const int n = [] {
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess)
      return 0;
    return count;
  }();
  return n;
}
bool is_available() { return device_count() > 0; }

void *host_alloc_pinned(size_t nbytes) {
  EMBER_CHECK(is_available(), "pin_memory", "cannot allocate ", nbytes,
              " bytes of page-locked memory: no CUDA device is available");
  void *ptr = nullptr;
  // cudaHostAlloc(0) may return null; keep the "valid unique pointer" rule.
  cudaError_t err =
      cudaHostAlloc(&ptr, nbytes == 0 ? 1 : nbytes, cudaHostAllocDefault);
  EMBER_CHECK(err == cudaSuccess, "pin_memory", "cudaHostAlloc of ", nbytes,
              " bytes failed: ", cudaGetErrorString(err));
  return ptr;
}

void host_free_pinned(void *ptr) noexcept {
  if (ptr)
    cudaFreeHost(ptr);
}

bool is_pinned(const void *ptr) {
  if (!ptr || !is_available())
    return false;
  cudaPointerAttributes attr{};
  if (cudaPointerGetAttributes(&attr, ptr) != cudaSuccess) {
    cudaGetLastError(); // clear the sticky-free error of a failed query
    return false;
  }
  return attr.type == cudaMemoryTypeHost;
}
} // namespace ember::cuda

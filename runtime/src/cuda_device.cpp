// Built when EMBER_ENABLE_CUDA is ON. Only runtime/ talks to the CUDA SDK.
// Without a driver cudaGetDeviceCount fails (error 35) and leaves the count
// untouched, so it starts at 0 and any error means "no GPU" (TOOLCHAIN.md).
#include "ember/runtime/cuda.h"

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
} // namespace ember::cuda

// What this process can see of CUDA. In a build without CUDA, or on a
// machine without a driver/GPU, is_available() is false and nothing throws.
#pragma once

#include <cstddef>

namespace ember::cuda {

bool is_available();
int device_count();
/// Whether this build of ember was compiled with CUDA support.
bool is_built();

/// Page-locked host memory (cudaHostAlloc), which CUDA copies can DMA from
/// without staging. Throws ember::Error when no CUDA device is available.
void *host_alloc_pinned(size_t nbytes);
void host_free_pinned(void *ptr) noexcept;
/// Whether `ptr` points into page-locked memory CUDA knows (false without a
/// device).
bool is_pinned(const void *ptr);

} // namespace ember::cuda

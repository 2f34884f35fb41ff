// Internal to runtime/src/cuda: error checks for CUDA runtime calls.
#pragma once

#include "ember/runtime/error.h"

#include <cuda_runtime_api.h>

/// Throws ember::Error naming `op`, the failed call and CUDA's message.
#define EMBER_CUDA_CHECK(expr, op)                                             \
  do {                                                                         \
    cudaError_t ember_cuda_err_ = (expr);                                      \
    if (ember_cuda_err_ != cudaSuccess) {                                      \
      cudaGetLastError(); /* clear a non-sticky error */                       \
      EMBER_FAIL(op, #expr " failed: ", cudaGetErrorString(ember_cuda_err_),   \
                 " (CUDA error ", static_cast<int>(ember_cuda_err_), ")");     \
    }                                                                          \
  } while (0)

namespace ember::cuda::detail {
/// Throws unless a device is available; `op` names the caller.
void require_device(const char *op);
/// The device index a Device's index means (-1: the current device).
int resolve(int index);
/// Frees the cached page-locked blocks (cuda::empty_cache).
void release_pinned_cache();
} // namespace ember::cuda::detail

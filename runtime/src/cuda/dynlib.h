// Internal to runtime/src/cuda: CUDA libraries opened on first use.
#pragma once

namespace ember::cuda::detail {
/// dlopen of `soname` ("libnvrtc.so.13"), then of the toolkit's library
/// folder found at build time; null when neither loads.
void *open_cuda_library(const char *soname);
/// dlsym, throwing ember::Error naming `lib` when the symbol is missing.
void *cuda_symbol(void *handle, const char *lib, const char *name);
} // namespace ember::cuda::detail

// Internal to runtime/src/cuda: eager kernels are CUDA C sources compiled by
// NVRTC at their first use, for the device's architecture, and launched
// through cudart (cudaLibraryLoadData / cudaLibraryGetKernel /
// cudaLaunchKernel). Why NVRTC and not nvcc at build time: the build needs
// no CUDA compiler or host-compiler pairing, kernels are specialized per
// dtype without compiling every combination ahead of time, and the
// compiled path (codegen's CUDA C) goes through the same compiler.
#pragma once

#include "ember/runtime/dtype.h"
#include "ember/runtime/tensor_impl.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ember::cuda::detail {

/// The text of a kernel source file of runtime/src/cuda/kernels
/// ("common", "elementwise", ...), embedded at build time.
std::string_view kernel_source(std::string_view family);

/// The CUDA C type of a dtype ("float", "long long", "bool", ...).
const char *c_type(DType t);

/// common.cuh + `prelude` + the family's source: what NVRTC compiles.
std::string module_source(std::string_view family, std::string_view prelude);

/// NVRTC: compiles `source` for `arch` (e.g. 90) to a cubin, or to PTX
/// for compute_<arch> when `ptx` is set. Throws ember::Error with NVRTC's
/// log when it does not compile, or when NVRTC cannot be loaded.
std::vector<char> nvrtc_compile(const std::string &source,
                                const std::string &name, int arch, bool ptx);
/// Whether libnvrtc can be loaded (it is opened on first use, not linked).
bool nvrtc_available();

/// The kernel `kernel` of the module built from `family` with `prelude`,
/// for the current device; compiled and loaded once per process and
/// device, the cubin cached on disk under $EMBER_CACHE_DIR/cuda (default
/// ~/.cache/ember; "0": no disk cache). Returns the cudaKernel_t.
void *get_kernel(std::string_view family, std::string_view prelude,
                 const char *kernel);

/// The kernel `kernel` of an arbitrary CUDA C translation unit (a
/// compiled Program's source), compiled, loaded and cached as get_kernel's
/// modules are; `tag` names it in NVRTC's messages and the cache file.
void *get_source_kernel(const std::string &source, std::string_view tag,
                        const char *kernel);

/// Launches with explicit geometry on the current stream.
void launch(void *kernel, unsigned grid, unsigned block, void **args,
            size_t shared_bytes = 0);
/// Launches a grid-stride kernel over n elements on the current stream.
void launch_elementwise(void *kernel, int64_t n, void **args);

// Mirrors struct Geom of kernels/common.cuh (layout must match).
constexpr int kMaxDims = 8;
constexpr int kMaxOperands = 4;
struct Geom {
  int64_t sizes[kMaxDims];
  int64_t strides[kMaxOperands][kMaxDims];
  int32_t ndim;
};
/// The collapsed geometry of an elementwise loop: operands[0] is the
/// output, all of its sizes. Throws when more than kMaxDims dims remain.
Geom make_geom(const char *op, std::vector<const TensorImpl *> operands);

} // namespace ember::cuda::detail

// Internal to runtime/src/cuda: the geometry of the CUDA reductions and
// softmax (kernels/reduce.cuh, kernels/softmax.cuh) and the launch shape the
// runtime picks for it. Shared with the host-shim test, which launches the
// kernel sources with exactly this geometry.
#pragma once

#include "ember/runtime/int_array.h"
#include "ember/runtime/tensor_impl.h"

#include <cstdint>

namespace ember::cuda::detail {

constexpr int kReduceMaxDims = 8;      // kept or reduced dims after coalescing
constexpr int kReduceMaxThreads = 256; // EMBER_REDUCE_THREADS in the .cuh

// Mirrors struct RGeom of kernels/reduce.cuh (layout must match): kept dims
// in output (row-major) order and reduced dims, both with element strides
// of the input, size-1 dims dropped and neighbours that walk memory as one
// merged. Reduced dims are ordered by decreasing stride (innermost loop on
// the smallest stride), except for the arg-reductions, which keep the
// logical order so that a row position is the row-major index.
struct ReduceGeom {
  int64_t ksize[kReduceMaxDims];
  int64_t kstride[kReduceMaxDims];
  int64_t rsize[kReduceMaxDims];
  int64_t rstride[kReduceMaxDims];
  int64_t nout; // outputs
  int64_t R;    // elements per output ("row")
  int32_t nk, nr;
};
/// Throws ember::Error naming `op` when more than kReduceMaxDims kept or
/// reduced dims remain after coalescing.
ReduceGeom make_reduce_geom(const char *op, const TensorImpl &in,
                            IntArrayRef dims, bool keep_order);

/// per_block: one block of `block` threads (a power of two, 32..256) per
/// output; otherwise one thread per output (grid-stride, `block` unused).
struct ReduceLaunch {
  bool per_block;
  unsigned block;
};
ReduceLaunch reduce_launch(const ReduceGeom &g);

/// Softmax over `n` elements at stride `inner`, for outer * inner columns.
ReduceLaunch softmax_launch(int64_t outer, int64_t n, int64_t inner);

} // namespace ember::cuda::detail

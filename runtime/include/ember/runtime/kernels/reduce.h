// CPU reduction and softmax kernels.
//
// A reduction folds the reduced dims of `in` into one value per output
// element. The caller (frontend/src/ops/reduce.cpp) has already checked
// dtypes, wrapped and de-duplicated the dims and cast the input to the
// compute dtype; `out` (and `indices`) are fresh contiguous tensors holding
// one element per output position, in row-major order over the kept dims
// (the keepdim and the squeezed shapes share that layout).
//
// Reduction order (documented because floating-point sums depend on it, and
// fixed so that results never depend on thread timing or thread count):
//   * each output's reduced elements are visited as one "row" (the reduced
//     dims, ordered by decreasing input stride; arg-reductions keep the
//     logical row-major order so indices come out right);
//   * a row is cut into fixed blocks of kReduceBlock elements; inside a
//     block, element i of each contiguous run goes to accumulator lane
//     i % 8, and the 8 lanes are combined as a balanced tree; block results
//     are combined left to right;
//   * exception: when there are at least 64 outputs or rows fit in one
//     block, and the innermost kept dim is contiguous in the input while the
//     reduced dims are not (e.g. sum over dim 0 of a row-major matrix), 16
//     neighbouring outputs are reduced together, each one a plain
//     left-to-right fold over its row.
//   The choice depends on the shape and strides only.
// Threads only decide which blocks/outputs they compute; partials are stored
// per block and combined in block order. float32 accumulates in double,
// integers in int64 (wrapping like PyTorch), float64 in double.
//
// The CUDA twins (kernels/cuda.h; runtime/src/cuda/kernels/reduce.cuh and
// softmax.cuh) keep these rules and accumulator types but not this order:
// each output is reduced either by one thread, left to right along its row,
// or by one block of B threads (B a power of two, 32..256), thread t
// folding positions t, t + B, ... and the B partials combined as a balanced
// tree in shared memory. The shape depends on the geometry only
// (runtime/src/cuda/reduce.cpp), so CUDA results are deterministic too;
// floating sums match the CPU's to rounding, integer sums, max/min and
// indices exactly.
#pragma once

#include "ember/runtime/int_array.h"
#include "ember/runtime/tensor_impl.h"

#include <cstdint>

namespace ember::kernels::cpu {

/// Fixed block size of the reduction order above (elements).
inline constexpr int64_t kReduceBlock = 32768;

enum class ReduceOp : uint8_t {
  Sum,       // any dtype; out has in's dtype
  Prod,      // any dtype; out has in's dtype
  Mean,      // floating
  Max,       // any dtype; NaN propagates
  Min,       // any dtype; NaN propagates
  Var,       // floating; divisor max(0, N - correction)
  Std,       // floating; sqrt of Var
  LogSumExp, // floating; max-shifted
  Norm,      // floating; p-norm of the elements (p in ReduceArgs)
};

struct ReduceArgs {
  int64_t correction = 1; // Var, Std
  double p = 2;           // Norm: 0, 1, 2, +-inf or any other p
};

/// out[o] = op over the elements of `in` whose kept-dim index is o. `dims`
/// are distinct dims of `in`, in [0, in.dim()). An empty reduction (a
/// reduced dim of size 0) gives the op's identity (0 for Sum and norms, 1
/// for Prod, NaN for Mean/Var/Std, -inf for LogSumExp); Max/Min need a
/// non-empty reduction (checked by the caller).
void reduce(ReduceOp op, const TensorImpl &out, const TensorImpl &in,
            IntArrayRef dims, const ReduceArgs &args = {});

/// Max or min with its index: indices[o] (int64) is the row-major position
/// within the reduced dims of the first maximum (minimum); NaN counts as the
/// maximum (and minimum), the first NaN wins. `values` may be null (argmax).
/// The reduction must be non-empty. Bool inputs are allowed.
void reduce_with_indices(bool is_max, const TensorImpl *values,
                         const TensorImpl &indices, const TensorImpl &in,
                         IntArrayRef dims);

/// out = softmax(in) (or log_softmax) along `dim`; in and out contiguous,
/// same shape, floating dtype. Stable: every row is shifted by its maximum.
void softmax(const TensorImpl &out, const TensorImpl &in, int64_t dim,
             bool log);

} // namespace ember::kernels::cpu

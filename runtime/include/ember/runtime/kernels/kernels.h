// Device dispatch for the eager kernels: each entry point runs the CPU or
// the CUDA kernel by the output's device. The frontend's ops call these;
// the CPU kernels stay the reference the others are compared to.
#pragma once

#include "ember/runtime/kernels/cpu.h"
#include "ember/runtime/kernels/cuda.h"

namespace ember::kernels {

#ifdef EMBER_HAS_CUDA
#define EMBER_ON_CUDA(...) __VA_ARGS__
#else
// A tensor cannot be on CUDA in this build (its allocation fails), so this
// is never reached; it keeps the CUDA entry points out of the link.
#define EMBER_ON_CUDA(...) ::ember::kernels::detail::no_cuda_kernels()
#endif
namespace detail {
[[noreturn]] void no_cuda_kernels();
}

using cpu::BinaryOp;
using cpu::UnaryOp;

inline bool on_cuda(const TensorImpl &t) { return t.device().is_cuda(); }

inline void unary(UnaryOp op, const TensorImpl &out, const TensorImpl &in) {
  on_cuda(out) ? EMBER_ON_CUDA(cuda::unary(op, out, in))
               : cpu::unary(op, out, in);
}
inline void binary(BinaryOp op, const TensorImpl &out, const TensorImpl &a,
                   const TensorImpl &b, const Scalar &alpha = 1) {
  on_cuda(out) ? EMBER_ON_CUDA(cuda::binary(op, out, a, b, alpha))
               : cpu::binary(op, out, a, b, alpha);
}
inline void where(const TensorImpl &out, const TensorImpl &cond,
                  const TensorImpl &a, const TensorImpl &b) {
  on_cuda(out) ? EMBER_ON_CUDA(cuda::where(out, cond, a, b))
               : cpu::where(out, cond, a, b);
}
inline void clamp(const TensorImpl &out, const TensorImpl &in,
                  std::optional<Scalar> lo, std::optional<Scalar> hi) {
  on_cuda(out) ? EMBER_ON_CUDA(cuda::clamp(out, in, lo, hi))
               : cpu::clamp(out, in, lo, hi);
}
inline void copy(const TensorImpl &dst, const TensorImpl &src) {
  on_cuda(dst) ? EMBER_ON_CUDA(cuda::copy(dst, src)) : cpu::copy(dst, src);
}
inline void fill(const TensorImpl &dst, const Scalar &value) {
  on_cuda(dst) ? EMBER_ON_CUDA(cuda::fill(dst, value)) : cpu::fill(dst, value);
}

// Reductions and softmax (reduce.h).
using cpu::ReduceArgs;
using cpu::ReduceOp;
inline void reduce(ReduceOp op, const TensorImpl &out, const TensorImpl &in,
                   IntArrayRef dims, const ReduceArgs &args = {}) {
  on_cuda(out) ? EMBER_ON_CUDA(cuda::reduce(op, out, in, dims, args))
               : cpu::reduce(op, out, in, dims, args);
}
inline void reduce_with_indices(bool is_max, const TensorImpl *values,
                                const TensorImpl &indices, const TensorImpl &in,
                                IntArrayRef dims) {
  on_cuda(indices)
      ? EMBER_ON_CUDA(
            cuda::reduce_with_indices(is_max, values, indices, in, dims))
      : cpu::reduce_with_indices(is_max, values, indices, in, dims);
}
inline void softmax(const TensorImpl &out, const TensorImpl &in, int64_t dim,
                    bool log) {
  on_cuda(out) ? EMBER_ON_CUDA(cuda::softmax(out, in, dim, log))
               : cpu::softmax(out, in, dim, log);
}

} // namespace ember::kernels

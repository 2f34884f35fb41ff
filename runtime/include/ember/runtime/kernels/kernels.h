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

// GEMM, convolution and pooling.
using cpu::Conv2dParams;
using cpu::Pool2dParams;
inline void matmul(const TensorImpl &out, const TensorImpl &a,
                   const TensorImpl &b) {
  on_cuda(out) ? EMBER_ON_CUDA(cuda::matmul(out, a, b))
               : cpu::matmul(out, a, b);
}
inline void conv2d(const TensorImpl &out, const TensorImpl &input,
                   const TensorImpl &weight, const TensorImpl *bias,
                   const Conv2dParams &p) {
  on_cuda(out) ? EMBER_ON_CUDA(cuda::conv2d(out, input, weight, bias, p))
               : cpu::conv2d(out, input, weight, bias, p);
}
inline void max_pool2d(const TensorImpl &out, const TensorImpl &input,
                       const Pool2dParams &p) {
  on_cuda(out) ? EMBER_ON_CUDA(cuda::max_pool2d(out, input, p))
               : cpu::max_pool2d(out, input, p);
}
inline void avg_pool2d(const TensorImpl &out, const TensorImpl &input,
                       const Pool2dParams &p) {
  on_cuda(out) ? EMBER_ON_CUDA(cuda::avg_pool2d(out, input, p))
               : cpu::avg_pool2d(out, input, p);
}
inline void conv2d_backward_input(const TensorImpl &grad_input,
                                  const TensorImpl &grad_out,
                                  const TensorImpl &weight,
                                  const Conv2dParams &p) {
  on_cuda(grad_input)
      ? EMBER_ON_CUDA(
            cuda::conv2d_backward_input(grad_input, grad_out, weight, p))
      : cpu::conv2d_backward_input(grad_input, grad_out, weight, p);
}
inline void conv2d_backward_weight(const TensorImpl &grad_weight,
                                   const TensorImpl &grad_out,
                                   const TensorImpl &input,
                                   const Conv2dParams &p) {
  on_cuda(grad_weight)
      ? EMBER_ON_CUDA(
            cuda::conv2d_backward_weight(grad_weight, grad_out, input, p))
      : cpu::conv2d_backward_weight(grad_weight, grad_out, input, p);
}
inline void max_pool2d_backward(const TensorImpl &grad_input,
                                const TensorImpl &grad_out,
                                const TensorImpl &input,
                                const Pool2dParams &p) {
  on_cuda(grad_input)
      ? EMBER_ON_CUDA(cuda::max_pool2d_backward(grad_input, grad_out, input, p))
      : cpu::max_pool2d_backward(grad_input, grad_out, input, p);
}
inline void avg_pool2d_backward(const TensorImpl &grad_input,
                                const TensorImpl &grad_out,
                                const Pool2dParams &p) {
  on_cuda(grad_input)
      ? EMBER_ON_CUDA(cuda::avg_pool2d_backward(grad_input, grad_out, p))
      : cpu::avg_pool2d_backward(grad_input, grad_out, p);
}

} // namespace ember::kernels

// --- index and random families (kernels/index.h, kernels/random.h) ------
namespace ember::kernels {

inline void index_offsets(const TensorImpl &offsets, const TensorImpl &index,
                          int64_t size, int64_t stride, bool wrap_negative,
                          const char *op, int64_t dim) {
  on_cuda(offsets) ? EMBER_ON_CUDA(cuda::index_offsets(
                         offsets, index, size, stride, wrap_negative, op, dim))
                   : cpu::index_offsets(offsets, index, size, stride,
                                        wrap_negative, op, dim);
}
inline void gather_offsets(const TensorImpl &out, const TensorImpl &src,
                           const TensorImpl &offsets) {
  on_cuda(out) ? EMBER_ON_CUDA(cuda::gather_offsets(out, src, offsets))
               : cpu::gather_offsets(out, src, offsets);
}
inline void scatter_offsets(const TensorImpl &dst, const TensorImpl &values,
                            const TensorImpl &offsets, bool accumulate) {
  on_cuda(dst)
      ? EMBER_ON_CUDA(cuda::scatter_offsets(dst, values, offsets, accumulate))
      : cpu::scatter_offsets(dst, values, offsets, accumulate);
}
inline int64_t count_nonzero(const TensorImpl &mask) {
  if (on_cuda(mask)) {
    EMBER_ON_CUDA(return cuda::count_nonzero(mask));
  }
  return cpu::count_nonzero(mask);
}
inline void nonzero(const TensorImpl &out, const TensorImpl &mask) {
  on_cuda(out) ? EMBER_ON_CUDA(cuda::nonzero(out, mask))
               : cpu::nonzero(out, mask);
}
inline void int_range(const TensorImpl &x, int64_t &lo, int64_t &hi) {
  on_cuda(x) ? EMBER_ON_CUDA(cuda::int_range(x, lo, hi))
             : cpu::int_range(x, lo, hi);
}
inline void one_hot(const TensorImpl &out, const TensorImpl &x,
                    int64_t num_classes) {
  on_cuda(out) ? EMBER_ON_CUDA(cuda::one_hot(out, x, num_classes))
               : cpu::one_hot(out, x, num_classes);
}

inline void uniform(const TensorImpl &out, uint64_t seed, uint64_t offset,
                    double from, double to) {
  on_cuda(out) ? EMBER_ON_CUDA(cuda::uniform(out, seed, offset, from, to))
               : cpu::uniform(out, seed, offset, from, to);
}
inline void normal(const TensorImpl &out, uint64_t seed, uint64_t offset,
                   double mean, double std) {
  on_cuda(out) ? EMBER_ON_CUDA(cuda::normal(out, seed, offset, mean, std))
               : cpu::normal(out, seed, offset, mean, std);
}
inline void randint(const TensorImpl &out, uint64_t seed, uint64_t offset,
                    int64_t low, int64_t high) {
  on_cuda(out) ? EMBER_ON_CUDA(cuda::randint(out, seed, offset, low, high))
               : cpu::randint(out, seed, offset, low, high);
}
inline void randperm(const TensorImpl &out, uint64_t seed, uint64_t offset) {
  on_cuda(out) ? EMBER_ON_CUDA(cuda::randperm(out, seed, offset))
               : cpu::randperm(out, seed, offset);
}
inline void bernoulli(const TensorImpl &out, const TensorImpl &p, uint64_t seed,
                      uint64_t offset) {
  on_cuda(out) ? EMBER_ON_CUDA(cuda::bernoulli(out, p, seed, offset))
               : cpu::bernoulli(out, p, seed, offset);
}

} // namespace ember::kernels

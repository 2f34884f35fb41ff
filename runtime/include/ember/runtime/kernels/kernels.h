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

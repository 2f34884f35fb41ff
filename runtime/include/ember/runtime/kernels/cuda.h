// The CUDA eager kernel library: the CPU library's entry points (cpu.h and
// friends) with the same contracts, for operands on one CUDA device. They
// run asynchronously on the current stream. In a build without CUDA they
// raise ember::Error.
#pragma once

#include "ember/runtime/kernels/conv_backward.h"
#include "ember/runtime/kernels/cpu.h"
#include "ember/runtime/kernels/gemm.h"

namespace ember::kernels::cuda {

using cpu::BinaryOp;
using cpu::UnaryOp;

void unary(UnaryOp op, const TensorImpl &out, const TensorImpl &in);
void binary(BinaryOp op, const TensorImpl &out, const TensorImpl &a,
            const TensorImpl &b, const Scalar &alpha = 1);
void where(const TensorImpl &out, const TensorImpl &cond, const TensorImpl &a,
           const TensorImpl &b);
void clamp(const TensorImpl &out, const TensorImpl &in,
           std::optional<Scalar> lo, std::optional<Scalar> hi);
/// dst = src converted to dst's dtype; both on the same CUDA device.
void copy(const TensorImpl &dst, const TensorImpl &src);
void fill(const TensorImpl &dst, const Scalar &value);

// GEMM, convolution and pooling (gemm.h, conv.h, conv_backward.h): cuBLAS
// for float32/float64 products (true fp32: no TF32), a loop kernel for
// integer ones; im2col/col2im and the pools as direct kernels.
using cpu::Conv2dParams;
using cpu::Pool2dParams;
void matmul(const TensorImpl &out, const TensorImpl &a, const TensorImpl &b);
void conv2d(const TensorImpl &out, const TensorImpl &input,
            const TensorImpl &weight, const TensorImpl *bias,
            const Conv2dParams &p);
void max_pool2d(const TensorImpl &out, const TensorImpl &input,
                const Pool2dParams &p);
void avg_pool2d(const TensorImpl &out, const TensorImpl &input,
                const Pool2dParams &p);
void conv2d_backward_input(const TensorImpl &grad_input,
                           const TensorImpl &grad_out, const TensorImpl &weight,
                           const Conv2dParams &p);
void conv2d_backward_weight(const TensorImpl &grad_weight,
                            const TensorImpl &grad_out, const TensorImpl &input,
                            const Conv2dParams &p);
void max_pool2d_backward(const TensorImpl &grad_input,
                         const TensorImpl &grad_out, const TensorImpl &input,
                         const Pool2dParams &p);
void avg_pool2d_backward(const TensorImpl &grad_input,
                         const TensorImpl &grad_out, const Pool2dParams &p);

} // namespace ember::kernels::cuda

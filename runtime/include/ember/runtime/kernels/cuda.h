// The CUDA eager kernel library: the CPU library's entry points (cpu.h and
// friends) with the same contracts, for operands on one CUDA device. They
// run asynchronously on the current stream. In a build without CUDA they
// raise ember::Error.
#pragma once

#include "ember/runtime/kernels/cpu.h"

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

} // namespace ember::kernels::cuda

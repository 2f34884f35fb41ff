// The CUDA eager kernel library: the CPU library's entry points (cpu.h and
// friends) with the same contracts, for operands on one CUDA device. They
// run asynchronously on the current stream. In a build without CUDA they
// raise ember::Error.
#pragma once

#include "ember/runtime/kernels/cpu.h"
#include "ember/runtime/kernels/reduce.h"

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

// Reductions and softmax (reduce.h; kernels/reduce.cuh documents the
// CUDA reduction order).
using cpu::ReduceArgs;
using cpu::ReduceOp;
void reduce(ReduceOp op, const TensorImpl &out, const TensorImpl &in,
            IntArrayRef dims, const ReduceArgs &args = {});
void reduce_with_indices(bool is_max, const TensorImpl *values,
                         const TensorImpl &indices, const TensorImpl &in,
                         IntArrayRef dims);
void softmax(const TensorImpl &out, const TensorImpl &in, int64_t dim,
             bool log);

} // namespace ember::kernels::cuda

// The CUDA eager kernel library: the CPU library's entry points (cpu.h and
// friends) with the same contracts, for operands on one CUDA device. They
// run asynchronously on the current stream. In a build without CUDA they
// raise ember::Error.
#pragma once

#include "ember/runtime/kernels/conv_backward.h"
#include "ember/runtime/kernels/cpu.h"
#include "ember/runtime/kernels/gemm.h"
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

// --- index and random families (kernels/index.h, kernels/random.h) ------
#include "ember/runtime/kernels/index.h"
#include "ember/runtime/kernels/random.h"

namespace ember::kernels::cuda {

/// Bounds-checks the index on the device first (its min and max, one small
/// device-to-host copy) and throws cpu::index_offsets's ember::Error.
void index_offsets(const TensorImpl &offsets, const TensorImpl &index,
                   int64_t size, int64_t stride, bool wrap_negative,
                   const char *op, int64_t dim);
void gather_offsets(const TensorImpl &out, const TensorImpl &src,
                    const TensorImpl &offsets);
/// With `accumulate`, deterministic and equal to the CPU bit for bit: one
/// thread per set of possibly colliding elements, in the CPU's order.
void scatter_offsets(const TensorImpl &dst, const TensorImpl &values,
                     const TensorImpl &offsets, bool accumulate);
/// Synchronous (the count comes back to the host).
int64_t count_nonzero(const TensorImpl &mask);
void nonzero(const TensorImpl &out, const TensorImpl &mask);
/// int64 or int32; synchronous.
void int_range(const TensorImpl &x, int64_t &lo, int64_t &hi);
/// Values outside [0, num_classes) (unchecked here) give all-zero rows.
void one_hot(const TensorImpl &out, const TensorImpl &x, int64_t num_classes);

void uniform(const TensorImpl &out, uint64_t seed, uint64_t offset, double from,
             double to);
void normal(const TensorImpl &out, uint64_t seed, uint64_t offset, double mean,
            double std);
void randint(const TensorImpl &out, uint64_t seed, uint64_t offset, int64_t low,
             int64_t high);
/// Fisher-Yates is sequential: drawn on the host, then copied.
void randperm(const TensorImpl &out, uint64_t seed, uint64_t offset);
void bernoulli(const TensorImpl &out, const TensorImpl &p, uint64_t seed,
               uint64_t offset);

} // namespace ember::kernels::cuda

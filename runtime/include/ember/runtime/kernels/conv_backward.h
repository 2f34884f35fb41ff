// Gradients of conv2d and the 2-D pools on the CPU, NCHW (what the autograd
// rules of conv2d/max_pool2d/avg_pool2d call through the ops of the same
// names). The frontend has checked shapes, dtypes and parameters and made
// the operands contiguous. float32/float64.
#pragma once

#include "ember/runtime/kernels/conv.h"
#include "ember/runtime/tensor_impl.h"

namespace ember::kernels::cpu {

/// grad_input[N, C_in, H, W] of conv2d from grad_out[N, C_out, OH, OW] and
/// weight[C_out, C_in/groups, kH, kW]: per image and group, col = weight^T
/// @ grad_out (one GEMM), then col2im adds the columns back onto the input
/// positions they were read from. A 1x1 kernel with unit stride and no
/// padding writes the GEMM result directly.
void conv2d_backward_input(const TensorImpl &grad_input,
                           const TensorImpl &grad_out, const TensorImpl &weight,
                           const Conv2dParams &p);

/// grad_weight[C_out, C_in/groups, kH, kW] of conv2d = sum over images of
/// grad_out[n, g] @ im2col(input[n, g])^T (one GEMM per image and group,
/// accumulating with beta = 1).
void conv2d_backward_weight(const TensorImpl &grad_weight,
                            const TensorImpl &grad_out, const TensorImpl &input,
                            const Conv2dParams &p);

/// grad_input[..., H, W] of max_pool2d: each grad_out element goes to the
/// position of its window's maximum in input[..., H, W] (found again as the
/// forward does: the first maximum wins, a NaN wins over numbers, the last
/// NaN wins over NaNs, as PyTorch's CPU kernel). Overlapping windows sum.
void max_pool2d_backward(const TensorImpl &grad_input,
                         const TensorImpl &grad_out, const TensorImpl &input,
                         const Pool2dParams &p);

/// grad_input[..., H, W] of avg_pool2d: each grad_out element divided by its
/// window's divisor (as the forward) and added onto the window's input
/// positions (dilation ignored).
void avg_pool2d_backward(const TensorImpl &grad_input,
                         const TensorImpl &grad_out, const Pool2dParams &p);

} // namespace ember::kernels::cpu

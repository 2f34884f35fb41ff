// 2-D convolution and pooling on the CPU, NCHW. The frontend has checked
// shapes, dtypes and parameters and made the operands contiguous.
#pragma once

#include "ember/runtime/tensor_impl.h"

#include <cstdint>

namespace ember::kernels::cpu {

struct Conv2dParams {
  int64_t stride[2] = {1, 1};
  int64_t padding[2] = {0, 0};
  int64_t dilation[2] = {1, 1};
  int64_t groups = 1;
};

/// out[N, C_out, OH, OW] = input[N, C_in, H, W] (*) weight[C_out, C_in/groups,
/// kH, kW] + bias[C_out], all contiguous; bias may be null. im2col + one GEMM
/// per image and group (OpenBLAS for float32/float64; a wrapping loop for
/// int32/int64/uint8, as PyTorch); a 1x1 kernel with unit stride and no
/// padding reads the input directly.
void conv2d(const TensorImpl &out, const TensorImpl &input,
            const TensorImpl &weight, const TensorImpl *bias,
            const Conv2dParams &p);

struct Pool2dParams {
  int64_t kernel[2] = {1, 1};
  int64_t stride[2] = {1, 1};
  int64_t padding[2] = {0, 0};
  int64_t dilation[2] = {1, 1};
  bool count_include_pad = true; // avg_pool2d only
};

/// PyTorch's pooling output size along one dimension (may be < 1: the
/// caller reports that).
int64_t pool_output_size(int64_t in, int64_t kernel, int64_t pad,
                         int64_t stride, int64_t dilation, bool ceil_mode);

/// out[..., OH, OW] = max over each window of input[..., H, W] (both
/// contiguous, same leading dims); padding never wins, NaN propagates.
/// float32/float64.
void max_pool2d(const TensorImpl &out, const TensorImpl &input,
                const Pool2dParams &p);
/// out = mean over each window (dilation ignored); the divisor counts padded
/// positions inside the padded input when count_include_pad. float32,
/// float64, int64 (integer division truncates, as PyTorch).
void avg_pool2d(const TensorImpl &out, const TensorImpl &input,
                const Pool2dParams &p);

} // namespace ember::kernels::cpu

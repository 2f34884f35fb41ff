// torch.nn.functional for ember: the stateless form of every layer of nn
// (losses live in their own header). Each is composed from ember ops, so
// autograd goes through it.
//
//   namespace F = ember::nn::functional;
//   Tensor y = F::relu(F::conv2d(x, w, b, /*stride=*/1, /*padding=*/1));
#pragma once

#include "ember/nn/expanding_array.h"
#include "ember/tensor.h"

#include <optional>
#include <string>

namespace ember::nn::functional {

// --- linear, convolution -----------------------------------------------------
/// y = x W^T + b; x is (*, in_features), W (out_features, in_features).
Tensor linear(const Tensor &input, const Tensor &weight,
              const Tensor &bias = {});
/// (N, C, L) or unbatched (C, L) input; weight (C_out, C_in/groups, k).
Tensor conv1d(const Tensor &input, const Tensor &weight,
              const Tensor &bias = {}, ExpandingArray<1> stride = 1,
              ConvPadding<1> padding = 0, ExpandingArray<1> dilation = 1,
              int64_t groups = 1);
/// (N, C, H, W) or unbatched (C, H, W) input; weight (C_out, C_in/groups,
/// kH, kW). padding "same" needs stride 1 (odd total padding goes right).
Tensor conv2d(const Tensor &input, const Tensor &weight,
              const Tensor &bias = {}, ExpandingArray<2> stride = 1,
              ConvPadding<2> padding = 0, ExpandingArray<2> dilation = 1,
              int64_t groups = 1);

// --- pooling -----------------------------------------------------------------
/// stride defaults to kernel_size (std::nullopt).
Tensor max_pool2d(const Tensor &input, ExpandingArray<2> kernel_size,
                  std::optional<ExpandingArray<2>> stride = std::nullopt,
                  ExpandingArray<2> padding = 0, ExpandingArray<2> dilation = 1,
                  bool ceil_mode = false);
Tensor avg_pool2d(const Tensor &input, ExpandingArray<2> kernel_size,
                  std::optional<ExpandingArray<2>> stride = std::nullopt,
                  ExpandingArray<2> padding = 0, bool ceil_mode = false,
                  bool count_include_pad = true);
/// Windows [floor(i*in/out), ceil((i+1)*in/out)) as PyTorch; a None entry
/// keeps that input size.
Tensor adaptive_avg_pool2d(const Tensor &input,
                           ExpandingArrayWithOptional<2> output_size);

// --- normalization -----------------------------------------------------------
/// Normalizes over every dim but 1 (channels). In training the batch
/// statistics are used and running_mean/running_var (when defined) are
/// updated in place: r = (1 - momentum) r + momentum * batch_stat, the
/// variance unbiased. Otherwise the running statistics are used.
Tensor batch_norm(const Tensor &input, const Tensor &running_mean,
                  const Tensor &running_var, const Tensor &weight = {},
                  const Tensor &bias = {}, bool training = false,
                  double momentum = 0.1, double eps = 1e-5);
/// Normalizes over the last normalized_shape.size() dims.
Tensor layer_norm(const Tensor &input, IntArrayRef normalized_shape,
                  const Tensor &weight = {}, const Tensor &bias = {},
                  double eps = 1e-5);

// --- dropout, embedding ------------------------------------------------------
/// Zeroes elements with probability p (ember's generator) and scales the
/// rest by 1/(1-p) when training; the input itself otherwise.
Tensor dropout(const Tensor &input, double p = 0.5, bool training = true);
/// Rows of weight picked by integer indices (int64 or int32). The gradient
/// of row padding_idx stays zero.
Tensor embedding(const Tensor &input, const Tensor &weight,
                 std::optional<int64_t> padding_idx = std::nullopt);

// --- activations -------------------------------------------------------------
Tensor relu(const Tensor &input);
Tensor leaky_relu(const Tensor &input, double negative_slope = 0.01);
Tensor elu(const Tensor &input, double alpha = 1.0);
/// approximate: "none" (erf) or "tanh".
Tensor gelu(const Tensor &input, const std::string &approximate = "none");
Tensor tanh(const Tensor &input);
Tensor sigmoid(const Tensor &input);
Tensor softmax(const Tensor &input, int64_t dim);
Tensor log_softmax(const Tensor &input, int64_t dim);
/// torch.flatten: dims start_dim..end_dim merged into one.
Tensor flatten(const Tensor &input, int64_t start_dim = 0,
               int64_t end_dim = -1);

} // namespace ember::nn::functional

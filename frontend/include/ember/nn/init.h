// torch.nn.init: in-place initialisation of parameters. Every function runs
// without recording (NoGradGuard), draws from ember's default generator
// (ember::manual_seed makes it reproducible) and returns its tensor.
#pragma once

#include "ember/tensor.h"

#include <optional>
#include <string>
#include <utility>

namespace ember::nn::init {

/// The recommended gain for a nonlinearity: "linear", "conv1d", "conv2d",
/// "conv3d", "conv_transpose1d/2d/3d", "sigmoid" -> 1; "tanh" -> 5/3;
/// "relu" -> sqrt(2); "leaky_relu" -> sqrt(2 / (1 + slope^2)) (param is the
/// slope, 0.01 by default); "selu" -> 3/4.
double calculate_gain(const std::string &nonlinearity,
                      std::optional<double> param = std::nullopt);
/// (fan_in, fan_out) of a weight of at least 2 dims: size(1) and size(0)
/// times the receptive field (the product of the remaining sizes).
std::pair<int64_t, int64_t> _calculate_fan_in_and_fan_out(const Tensor &tensor);

Tensor uniform_(Tensor tensor, double a = 0, double b = 1);
Tensor normal_(Tensor tensor, double mean = 0, double std = 1);
Tensor constant_(Tensor tensor, double value);
Tensor zeros_(Tensor tensor);
Tensor ones_(Tensor tensor);
/// The identity matrix (2-D tensors only).
Tensor eye_(Tensor tensor);
/// U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out)).
Tensor xavier_uniform_(Tensor tensor, double gain = 1);
/// N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out)).
Tensor xavier_normal_(Tensor tensor, double gain = 1);
/// U(-bound, bound), bound = gain * sqrt(3 / fan); mode "fan_in" or
/// "fan_out"; gain = calculate_gain(nonlinearity, a).
Tensor kaiming_uniform_(Tensor tensor, double a = 0,
                        const std::string &mode = "fan_in",
                        const std::string &nonlinearity = "leaky_relu");
/// N(0, std^2), std = gain / sqrt(fan).
Tensor kaiming_normal_(Tensor tensor, double a = 0,
                       const std::string &mode = "fan_in",
                       const std::string &nonlinearity = "leaky_relu");
/// A (semi-)orthogonal matrix from the QR decomposition of a normal matrix
/// (dims after the first are flattened), times gain.
Tensor orthogonal_(Tensor tensor, double gain = 1);

} // namespace ember::nn::init

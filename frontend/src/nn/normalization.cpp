// BatchNorm1d/2d and LayerNorm, following torch/nn/modules/batchnorm.py and
// normalization.py: the running statistics update (momentum, or the
// cumulative average when momentum is None), the use of running statistics
// in eval mode, and the parameter/buffer names of PyTorch's state_dict.
#include "ember/nn/normalization.h"

#include "ember/autograd/grad_mode.h"
#include "ember/factory.h"
#include "ember/nn/functional.h"
#include "ember/nn/init.h"
#include "repr.h"

#include <cmath>

namespace ember::nn {

BatchNormBase::BatchNormBase(const BatchNormOptions &options_)
    : options(options_) {
  const char *op = "nn::BatchNorm";
  EMBER_CHECK(options.num_features() >= 0, op,
              "num_features must be non-negative, but got num_features=",
              options.num_features());
  EMBER_CHECK(options.eps() >= 0, op,
              "eps must be non-negative, but got eps=", options.eps());
  if (auto m = options.momentum())
    EMBER_CHECK(*m >= 0 && *m <= 1, op,
                "momentum must be in [0, 1] (or std::nullopt for a cumulative "
                "average), but got momentum=",
                *m);
  const int64_t C = options.num_features();
  if (options.affine()) {
    weight = register_parameter("weight", empty({C}));
    bias = register_parameter("bias", empty({C}));
  }
  if (options.track_running_stats()) {
    running_mean = register_buffer("running_mean", zeros({C}));
    running_var = register_buffer("running_var", ones({C}));
    num_batches_tracked = register_buffer(
        "num_batches_tracked", zeros({}, TensorOptions().dtype(kInt64)));
  }
  reset_parameters();
  check_registration(); // ends the construction window (see linear.h)
}

void BatchNormBase::reset_running_stats() {
  if (!options.track_running_stats())
    return;
  NoGradGuard no_grad;
  running_mean.zero_();
  running_var.fill_(1);
  num_batches_tracked.zero_();
}

void BatchNormBase::reset_parameters() {
  reset_running_stats();
  if (options.affine()) {
    init::ones_(weight);
    init::zeros_(bias);
  }
}

Tensor BatchNormBase::forward(const Tensor &input) {
  check_input_dim(input);
  double factor = options.momentum().value_or(0.0);
  const bool train = is_training();
  if (train && options.track_running_stats()) {
    NoGradGuard no_grad;
    num_batches_tracked.add_(1);
    if (!options.momentum())
      factor = 1.0 / static_cast<double>(num_batches_tracked.item<int64_t>());
  }
  // Batch statistics in training, or when there are no running statistics.
  const bool use_batch_stats = train || !options.track_running_stats();
  return functional::batch_norm(input, running_mean, running_var, weight, bias,
                                use_batch_stats, factor, options.eps());
}

std::string BatchNormBase::extra_repr() const {
  return std::to_string(options.num_features()) +
         ", eps=" + detail::py_float(options.eps()) +
         ", momentum=" + detail::py_opt_float(options.momentum()) +
         ", affine=" + detail::py_bool(options.affine()) +
         ", track_running_stats=" +
         detail::py_bool(options.track_running_stats());
}

void BatchNorm1d::check_input_dim(const Tensor &input) const {
  EMBER_CHECK(input.dim() == 2 || input.dim() == 3, "nn::BatchNorm1d",
              "expected 2D or 3D input (got ", input.dim(), "D input)");
}

void BatchNorm2d::check_input_dim(const Tensor &input) const {
  EMBER_CHECK(input.dim() == 4, "nn::BatchNorm2d", "expected 4D input (got ",
              input.dim(), "D input)");
}

LayerNorm::LayerNorm(const LayerNormOptions &options_) : options(options_) {
  const auto &shape = options.normalized_shape();
  EMBER_CHECK(!shape.empty(), "nn::LayerNorm",
              "normalized_shape must have at least one dim");
  for (int64_t s : shape)
    EMBER_CHECK(s >= 0, "nn::LayerNorm",
                "normalized_shape must be non-negative, but got "
                "normalized_shape=",
                detail::py_tuple(shape));
  EMBER_CHECK(options.eps() >= 0, "nn::LayerNorm",
              "eps must be non-negative, but got eps=", options.eps());
  if (options.elementwise_affine()) {
    weight = register_parameter("weight", ember::empty(shape));
    bias = register_parameter("bias", ember::empty(shape));
  }
  reset_parameters();
  check_registration(); // ends the construction window (see linear.h)
}

void LayerNorm::reset_parameters() {
  if (options.elementwise_affine()) {
    init::ones_(weight);
    init::zeros_(bias);
  }
}

Tensor LayerNorm::forward(const Tensor &input) {
  return functional::layer_norm(input, options.normalized_shape(), weight, bias,
                                options.eps());
}

std::string LayerNorm::extra_repr() const {
  return detail::py_tuple(options.normalized_shape()) +
         ", eps=" + detail::py_float(options.eps()) + ", elementwise_affine=" +
         detail::py_bool(options.elementwise_affine());
}

} // namespace ember::nn

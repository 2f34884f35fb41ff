// Linear, Identity, Flatten.
#include "ember/nn/linear.h"

#include "ember/factory.h"
#include "ember/nn/functional.h"
#include "ember/nn/init.h"

#include <cmath>

namespace ember::nn {

Linear::Linear(const LinearOptions &options_) : options(options_) {
  EMBER_CHECK(options.in_features() >= 0 && options.out_features() >= 0,
              "nn::Linear",
              "in_features and out_features must be non-negative, but got "
              "in_features=",
              options.in_features(), ", out_features=", options.out_features());
  weight = register_parameter(
      "weight", empty({options.out_features(), options.in_features()}));
  if (options.bias())
    bias = register_parameter("bias", empty({options.out_features()}));
  reset_parameters();
}

void Linear::reset_parameters() {
  init::kaiming_uniform_(weight, std::sqrt(5.0));
  if (bias.defined()) {
    const int64_t fan_in = options.in_features();
    const double bound =
        fan_in > 0 ? 1 / std::sqrt(static_cast<double>(fan_in)) : 0;
    init::uniform_(bias, -bound, bound);
  }
}

Tensor Linear::forward(const Tensor &input) {
  return functional::linear(input, weight, bias);
}

std::string Linear::extra_repr() const {
  return "in_features=" + std::to_string(options.in_features()) +
         ", out_features=" + std::to_string(options.out_features()) +
         ", bias=" + (bias.defined() ? "True" : "False");
}

Tensor Flatten::forward(const Tensor &input) {
  return input.flatten(options.start_dim(), options.end_dim());
}

std::string Flatten::extra_repr() const {
  return "start_dim=" + std::to_string(options.start_dim()) +
         ", end_dim=" + std::to_string(options.end_dim());
}

} // namespace ember::nn

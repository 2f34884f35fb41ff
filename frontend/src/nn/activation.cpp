// Activation layers: forward through nn::functional, extra_repr as PyTorch.
#include "ember/nn/activation.h"

#include "ember/nn/functional.h"
#include "repr.h"

namespace ember::nn {

namespace {
std::string inplace_suffix(bool inplace) {
  return inplace ? ", inplace=True" : "";
}

// PyTorch's _get_softmax_dim for dim=None (it warns; the choice is kept).
int64_t implicit_softmax_dim(const Tensor &input) {
  const int64_t nd = input.dim();
  return nd == 0 || nd == 1 || nd == 3 ? 0 : 1;
}
} // namespace

Tensor ReLU::forward(const Tensor &input) { return functional::relu(input); }
std::string ReLU::extra_repr() const { return inplace ? "inplace=True" : ""; }

Tensor LeakyReLU::forward(const Tensor &input) {
  return functional::leaky_relu(input, options.negative_slope());
}
std::string LeakyReLU::extra_repr() const {
  return "negative_slope=" + detail::py_float(options.negative_slope()) +
         inplace_suffix(options.inplace());
}

Tensor ELU::forward(const Tensor &input) {
  return functional::elu(input, options.alpha());
}
std::string ELU::extra_repr() const {
  return "alpha=" + detail::py_float(options.alpha()) +
         inplace_suffix(options.inplace());
}

GELU::GELU(std::string approximate_) : approximate(std::move(approximate_)) {
  EMBER_CHECK(approximate == "none" || approximate == "tanh", "nn::GELU",
              "approximate must be 'none' or 'tanh', but got approximate='",
              approximate, "'");
  check_registration();
}
Tensor GELU::forward(const Tensor &input) {
  return functional::gelu(input, approximate);
}
std::string GELU::extra_repr() const {
  return "approximate='" + approximate + "'";
}

Tensor Tanh::forward(const Tensor &input) { return functional::tanh(input); }

Tensor Sigmoid::forward(const Tensor &input) {
  return functional::sigmoid(input);
}

Tensor Softmax::forward(const Tensor &input) {
  return functional::softmax(input, dim.value_or(implicit_softmax_dim(input)));
}
std::string Softmax::extra_repr() const {
  return "dim=" + (dim ? std::to_string(*dim) : std::string("None"));
}

Tensor LogSoftmax::forward(const Tensor &input) {
  return functional::log_softmax(input,
                                 dim.value_or(implicit_softmax_dim(input)));
}
std::string LogSoftmax::extra_repr() const {
  return "dim=" + (dim ? std::to_string(*dim) : std::string("None"));
}

} // namespace ember::nn

// Conv1d, Conv2d: option checks as PyTorch's _ConvNd.__init__, parameters
// and initialisation as its reset_parameters, forward through
// nn::functional.
#include "ember/nn/conv.h"

#include "ember/factory.h"
#include "ember/nn/functional.h"
#include "ember/nn/init.h"

#include <cmath>

namespace ember::nn {

namespace {
template <size_t D> const char *conv_name() {
  return D == 1 ? "nn::Conv1d" : "nn::Conv2d";
}
} // namespace

template <size_t D>
ConvNd<D>::ConvNd(const ConvOptions<D> &options_) : options(options_) {
  const char *op = conv_name<D>();
  const ConvOptions<D> &o = options;
  EMBER_CHECK(o.in_channels() >= 0 && o.out_channels() >= 0, op,
              "in_channels and out_channels must be non-negative, but got "
              "in_channels=",
              o.in_channels(), ", out_channels=", o.out_channels());
  EMBER_CHECK(o.groups() > 0, op, "groups must be a positive integer, but got ",
              "groups=", o.groups());
  EMBER_CHECK(o.in_channels() % o.groups() == 0, op,
              "in_channels must be divisible by groups (in_channels=",
              o.in_channels(), ", groups=", o.groups(), ")");
  EMBER_CHECK(o.out_channels() % o.groups() == 0, op,
              "out_channels must be divisible by groups (out_channels=",
              o.out_channels(), ", groups=", o.groups(), ")");
  for (size_t i = 0; i < D; ++i) {
    EMBER_CHECK(o.kernel_size()[i] > 0, op,
                "kernel_size must be positive, but got kernel_size=",
                o.kernel_size().tuple_str());
    EMBER_CHECK(
        o.stride()[i] > 0, op,
        "stride must be positive, but got stride=", o.stride().tuple_str());
    EMBER_CHECK(o.dilation()[i] > 0, op,
                "dilation must be positive, but got dilation=",
                o.dilation().tuple_str());
    EMBER_CHECK(o.padding().sizes()[i] >= 0 || !o.padding().mode().empty(), op,
                "padding must be non-negative, but got padding=",
                o.padding().sizes().tuple_str());
  }
  EMBER_CHECK(o.padding().mode() != "same" || o.stride().all_equal(1), op,
              "padding='same' is not supported for strided convolutions");
  const std::string &pm = o.padding_mode();
  EMBER_CHECK(pm == "zeros" || pm == "reflect" || pm == "replicate" ||
                  pm == "circular",
              op,
              "padding_mode must be one of ['zeros', 'reflect', 'replicate', "
              "'circular'], but got padding_mode='",
              pm, "'");
  EMBER_CHECK(pm == "zeros", op, "padding_mode='", pm,
              "' is not supported; only 'zeros' is implemented");
  DimVector wshape{o.out_channels(), o.in_channels() / o.groups()};
  for (size_t i = 0; i < D; ++i)
    wshape.push_back(o.kernel_size()[i]);
  weight = this->register_parameter("weight", ember::empty(wshape));
  if (o.bias())
    bias = this->register_parameter("bias", empty({o.out_channels()}));
  reset_parameters();
}

template <size_t D> void ConvNd<D>::reset_parameters() {
  init::kaiming_uniform_(weight, std::sqrt(5.0));
  if (bias.defined()) {
    const int64_t fan_in = init::_calculate_fan_in_and_fan_out(weight).first;
    if (fan_in != 0) {
      const double bound = 1 / std::sqrt(static_cast<double>(fan_in));
      init::uniform_(bias, -bound, bound);
    }
  }
}

template <size_t D> std::string ConvNd<D>::extra_repr() const {
  const ConvOptions<D> &o = options;
  std::string s = std::to_string(o.in_channels()) + ", " +
                  std::to_string(o.out_channels()) +
                  ", kernel_size=" + o.kernel_size().tuple_str() +
                  ", stride=" + o.stride().tuple_str();
  if (!o.padding().mode().empty())
    s += ", padding=" + o.padding().mode();
  else if (!o.padding().sizes().all_equal(0))
    s += ", padding=" + o.padding().sizes().tuple_str();
  if (!o.dilation().all_equal(1))
    s += ", dilation=" + o.dilation().tuple_str();
  if (o.groups() != 1)
    s += ", groups=" + std::to_string(o.groups());
  if (!bias.defined())
    s += ", bias=False";
  if (o.padding_mode() != "zeros")
    s += ", padding_mode=" + o.padding_mode();
  return s;
}

template class ConvNd<1>;
template class ConvNd<2>;

Tensor Conv1d::forward(const Tensor &input) {
  return functional::conv1d(input, weight, bias, options.stride(),
                            options.padding(), options.dilation(),
                            options.groups());
}

Tensor Conv2d::forward(const Tensor &input) {
  return functional::conv2d(input, weight, bias, options.stride(),
                            options.padding(), options.dilation(),
                            options.groups());
}

} // namespace ember::nn

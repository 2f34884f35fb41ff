// MaxPool2d, AvgPool2d, AdaptiveAvgPool2d: options checked when the layer
// is built; extra_repr prints sizes as given, like PyTorch.
#include "ember/nn/pooling.h"

#include "ember/nn/functional.h"
#include "repr.h"

namespace ember::nn {

namespace {
void check_pool(const char *op, const ExpandingArray<2> &k,
                const ExpandingArray<2> &s, const ExpandingArray<2> &p,
                const ExpandingArray<2> &d) {
  for (size_t i = 0; i < 2; ++i) {
    EMBER_CHECK(
        k[i] > 0, op,
        "kernel_size must be greater than zero, but got kernel_size=", k.str());
    EMBER_CHECK(s[i] > 0, op,
                "stride must be greater than zero, but got stride=", s.str());
    EMBER_CHECK(
        d[i] > 0, op,
        "dilation must be greater than zero, but got dilation=", d.str());
    EMBER_CHECK(p[i] >= 0 && p[i] <= k[i] / 2, op,
                "pad should be at most half of kernel size, but got pad=",
                p.str(), " and kernel_size=", k.str());
  }
}
} // namespace

MaxPool2d::MaxPool2d(const MaxPool2dOptions &options_) : options(options_) {
  check_pool("nn::MaxPool2d", options.kernel_size(), options.stride(),
             options.padding(), options.dilation());
  check_registration();
}

Tensor MaxPool2d::forward(const Tensor &input) {
  return functional::max_pool2d(input, options.kernel_size(), options.stride(),
                                options.padding(), options.dilation(),
                                options.ceil_mode());
}

std::string MaxPool2d::extra_repr() const {
  return "kernel_size=" + options.kernel_size().str() +
         ", stride=" + options.stride().str() +
         ", padding=" + options.padding().str() +
         ", dilation=" + options.dilation().str() +
         ", ceil_mode=" + detail::py_bool(options.ceil_mode());
}

AvgPool2d::AvgPool2d(const AvgPool2dOptions &options_) : options(options_) {
  check_pool("nn::AvgPool2d", options.kernel_size(), options.stride(),
             options.padding(), 1);
  check_registration();
}

Tensor AvgPool2d::forward(const Tensor &input) {
  return functional::avg_pool2d(input, options.kernel_size(), options.stride(),
                                options.padding(), options.ceil_mode(),
                                options.count_include_pad());
}

std::string AvgPool2d::extra_repr() const {
  return "kernel_size=" + options.kernel_size().str() +
         ", stride=" + options.stride().str() +
         ", padding=" + options.padding().str();
}

AdaptiveAvgPool2d::AdaptiveAvgPool2d(const AdaptiveAvgPool2dOptions &options_)
    : options(options_) {
  for (size_t i = 0; i < 2; ++i)
    EMBER_CHECK(!options.output_size()[i] || *options.output_size()[i] >= 0,
                "nn::AdaptiveAvgPool2d",
                "output_size must be non-negative, but got output_size=",
                options.output_size().str());
  check_registration();
}

Tensor AdaptiveAvgPool2d::forward(const Tensor &input) {
  return functional::adaptive_avg_pool2d(input, options.output_size());
}

std::string AdaptiveAvgPool2d::extra_repr() const {
  return "output_size=" + options.output_size().str();
}

} // namespace ember::nn

// MaxPool2d, AvgPool2d and AdaptiveAvgPool2d (torch.nn). Size parameters
// print as they were given (an int or a pair), as in PyTorch.
//
//   nn::MaxPool2d pool{2};                       // stride = kernel_size
//   nn::AvgPool2d avg(nn::AvgPool2dOptions({3, 3}).stride(2).padding(1));
//   nn::AdaptiveAvgPool2d gap{1};
#pragma once

#include "ember/nn/expanding_array.h"
#include "ember/nn/module.h"

#include <optional>

namespace ember::nn {

class MaxPool2dOptions {
public:
  MaxPool2dOptions(ExpandingArray<2> kernel_size) : kernel_size_(kernel_size) {}
  MaxPool2dOptions &kernel_size(ExpandingArray<2> v) {
    return kernel_size_ = v, *this;
  }
  MaxPool2dOptions &stride(ExpandingArray<2> v) { return stride_ = v, *this; }
  MaxPool2dOptions &padding(ExpandingArray<2> v) { return padding_ = v, *this; }
  MaxPool2dOptions &dilation(ExpandingArray<2> v) {
    return dilation_ = v, *this;
  }
  MaxPool2dOptions &ceil_mode(bool v) { return ceil_mode_ = v, *this; }
  const ExpandingArray<2> &kernel_size() const { return kernel_size_; }
  /// kernel_size unless set.
  const ExpandingArray<2> &stride() const {
    return stride_ ? *stride_ : kernel_size_;
  }
  const ExpandingArray<2> &padding() const { return padding_; }
  const ExpandingArray<2> &dilation() const { return dilation_; }
  bool ceil_mode() const { return ceil_mode_; }

private:
  ExpandingArray<2> kernel_size_;
  std::optional<ExpandingArray<2>> stride_;
  ExpandingArray<2> padding_ = 0;
  ExpandingArray<2> dilation_ = 1;
  bool ceil_mode_ = false;
};

class MaxPool2d : public Module {
public:
  explicit MaxPool2d(const MaxPool2dOptions &options);
  MaxPool2d(ExpandingArray<2> kernel_size)
      : MaxPool2d(MaxPool2dOptions(kernel_size)) {}
  Tensor forward(const Tensor &input) override;
  std::string extra_repr() const override;

  MaxPool2dOptions options;
};

class AvgPool2dOptions {
public:
  AvgPool2dOptions(ExpandingArray<2> kernel_size) : kernel_size_(kernel_size) {}
  AvgPool2dOptions &kernel_size(ExpandingArray<2> v) {
    return kernel_size_ = v, *this;
  }
  AvgPool2dOptions &stride(ExpandingArray<2> v) { return stride_ = v, *this; }
  AvgPool2dOptions &padding(ExpandingArray<2> v) { return padding_ = v, *this; }
  AvgPool2dOptions &ceil_mode(bool v) { return ceil_mode_ = v, *this; }
  /// Whether zero padding counts in the divisor (default true).
  AvgPool2dOptions &count_include_pad(bool v) {
    return count_include_pad_ = v, *this;
  }
  const ExpandingArray<2> &kernel_size() const { return kernel_size_; }
  const ExpandingArray<2> &stride() const {
    return stride_ ? *stride_ : kernel_size_;
  }
  const ExpandingArray<2> &padding() const { return padding_; }
  bool ceil_mode() const { return ceil_mode_; }
  bool count_include_pad() const { return count_include_pad_; }

private:
  ExpandingArray<2> kernel_size_;
  std::optional<ExpandingArray<2>> stride_;
  ExpandingArray<2> padding_ = 0;
  bool ceil_mode_ = false;
  bool count_include_pad_ = true;
};

class AvgPool2d : public Module {
public:
  explicit AvgPool2d(const AvgPool2dOptions &options);
  AvgPool2d(ExpandingArray<2> kernel_size)
      : AvgPool2d(AvgPool2dOptions(kernel_size)) {}
  Tensor forward(const Tensor &input) override;
  std::string extra_repr() const override;

  AvgPool2dOptions options;
};

class AdaptiveAvgPool2dOptions {
public:
  AdaptiveAvgPool2dOptions(ExpandingArrayWithOptional<2> output_size)
      : output_size_(output_size) {}
  AdaptiveAvgPool2dOptions &output_size(ExpandingArrayWithOptional<2> v) {
    return output_size_ = v, *this;
  }
  const ExpandingArrayWithOptional<2> &output_size() const {
    return output_size_;
  }

private:
  ExpandingArrayWithOptional<2> output_size_;
};

/// Averages over windows chosen so the output is output_size (a None entry
/// keeps that input size).
class AdaptiveAvgPool2d : public Module {
public:
  explicit AdaptiveAvgPool2d(const AdaptiveAvgPool2dOptions &options);
  AdaptiveAvgPool2d(ExpandingArrayWithOptional<2> output_size)
      : AdaptiveAvgPool2d(AdaptiveAvgPool2dOptions(output_size)) {}
  Tensor forward(const Tensor &input) override;
  std::string extra_repr() const override;

  AdaptiveAvgPool2dOptions options;
};

} // namespace ember::nn

// Conv1d and Conv2d (torch.nn.Conv1d/Conv2d): stride, padding (sizes or
// "valid"/"same"), dilation, groups, bias; padding_mode "zeros" only.
//
//   nn::Conv2d conv{3, 16, 3};
//   nn::Conv2d c2(nn::Conv2dOptions(16, 32, {3, 1}).padding(1).bias(false));
#pragma once

#include "ember/nn/expanding_array.h"
#include "ember/nn/module.h"

namespace ember::nn {

template <size_t D> class ConvOptions {
public:
  ConvOptions(int64_t in_channels, int64_t out_channels,
              ExpandingArray<D> kernel_size)
      : in_channels_(in_channels), out_channels_(out_channels),
        kernel_size_(kernel_size) {}
  ConvOptions &in_channels(int64_t v) { return in_channels_ = v, *this; }
  ConvOptions &out_channels(int64_t v) { return out_channels_ = v, *this; }
  ConvOptions &kernel_size(ExpandingArray<D> v) {
    return kernel_size_ = v, *this;
  }
  ConvOptions &stride(ExpandingArray<D> v) { return stride_ = v, *this; }
  /// Sizes, or "valid" (none) / "same" (output size = input size; stride 1).
  ConvOptions &padding(ConvPadding<D> v) { return padding_ = v, *this; }
  ConvOptions &dilation(ExpandingArray<D> v) { return dilation_ = v, *this; }
  ConvOptions &groups(int64_t v) { return groups_ = v, *this; }
  ConvOptions &bias(bool v) { return bias_ = v, *this; }
  /// Only "zeros" is implemented ("reflect", "replicate" and "circular" are
  /// rejected with a message).
  ConvOptions &padding_mode(const std::string &v) {
    return padding_mode_ = v, *this;
  }
  int64_t in_channels() const { return in_channels_; }
  int64_t out_channels() const { return out_channels_; }
  const ExpandingArray<D> &kernel_size() const { return kernel_size_; }
  const ExpandingArray<D> &stride() const { return stride_; }
  const ConvPadding<D> &padding() const { return padding_; }
  const ExpandingArray<D> &dilation() const { return dilation_; }
  int64_t groups() const { return groups_; }
  bool bias() const { return bias_; }
  const std::string &padding_mode() const { return padding_mode_; }

private:
  int64_t in_channels_, out_channels_;
  ExpandingArray<D> kernel_size_;
  ExpandingArray<D> stride_ = 1;
  ConvPadding<D> padding_ = 0;
  ExpandingArray<D> dilation_ = 1;
  int64_t groups_ = 1;
  bool bias_ = true;
  std::string padding_mode_ = "zeros";
};
using Conv1dOptions = ConvOptions<1>;
using Conv2dOptions = ConvOptions<2>;

/// The parameters and checks shared by Conv1d and Conv2d: weight
/// (out_channels, in_channels / groups, *kernel_size), bias (out_channels),
/// initialised as PyTorch's _ConvNd.reset_parameters.
template <size_t D> class ConvNd : public Module {
public:
  explicit ConvNd(const ConvOptions<D> &options);
  std::string extra_repr() const override;
  void reset_parameters();

  ConvOptions<D> options;
  Tensor weight, bias; // bias undefined when options.bias() is false
};

class Conv1d : public ConvNd<1> {
public:
  explicit Conv1d(const Conv1dOptions &options) : ConvNd<1>(options) {}
  Conv1d(int64_t in_channels, int64_t out_channels,
         ExpandingArray<1> kernel_size)
      : Conv1d(Conv1dOptions(in_channels, out_channels, kernel_size)) {}
  /// (N, C_in, L) or (C_in, L) -> (N, C_out, L_out).
  Tensor forward(const Tensor &input) override;
};

class Conv2d : public ConvNd<2> {
public:
  explicit Conv2d(const Conv2dOptions &options) : ConvNd<2>(options) {}
  Conv2d(int64_t in_channels, int64_t out_channels,
         ExpandingArray<2> kernel_size)
      : Conv2d(Conv2dOptions(in_channels, out_channels, kernel_size)) {}
  /// (N, C_in, H, W) or (C_in, H, W) -> (N, C_out, H_out, W_out).
  Tensor forward(const Tensor &input) override;
};

extern template class ConvNd<1>;
extern template class ConvNd<2>;

} // namespace ember::nn

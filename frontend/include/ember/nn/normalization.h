// BatchNorm1d, BatchNorm2d and LayerNorm (torch.nn).
//
//   nn::BatchNorm2d bn{16};
//   nn::BatchNorm1d bn1(nn::BatchNormOptions(8).momentum(std::nullopt));
//   nn::LayerNorm ln(nn::LayerNormOptions({4, 8}).eps(1e-6));
#pragma once

#include "ember/nn/module.h"

#include <optional>
#include <vector>

namespace ember::nn {

class BatchNormOptions {
public:
  BatchNormOptions(int64_t num_features) : num_features_(num_features) {}
  BatchNormOptions &num_features(int64_t v) { return num_features_ = v, *this; }
  BatchNormOptions &eps(double v) { return eps_ = v, *this; }
  /// The running-average factor; std::nullopt: a cumulative average
  /// (factor 1 / num_batches_tracked), as momentum=None in PyTorch.
  BatchNormOptions &momentum(std::optional<double> v) {
    return momentum_ = v, *this;
  }
  /// Learnable per-channel weight and bias (default true).
  BatchNormOptions &affine(bool v) { return affine_ = v, *this; }
  /// Keep running statistics (buffers running_mean, running_var,
  /// num_batches_tracked) and use them in eval mode (default true).
  BatchNormOptions &track_running_stats(bool v) {
    return track_running_stats_ = v, *this;
  }
  int64_t num_features() const { return num_features_; }
  double eps() const { return eps_; }
  std::optional<double> momentum() const { return momentum_; }
  bool affine() const { return affine_; }
  bool track_running_stats() const { return track_running_stats_; }

private:
  int64_t num_features_;
  double eps_ = 1e-5;
  std::optional<double> momentum_ = 0.1;
  bool affine_ = true;
  bool track_running_stats_ = true;
};

/// What BatchNorm1d and BatchNorm2d share; they differ in the input dims
/// they accept.
class BatchNormBase : public Module {
public:
  explicit BatchNormBase(const BatchNormOptions &options);
  Tensor forward(const Tensor &input) override;
  std::string extra_repr() const override;
  void reset_running_stats();
  void reset_parameters();

  BatchNormOptions options;
  Tensor weight, bias;              // when affine
  Tensor running_mean, running_var; // when track_running_stats
  Tensor num_batches_tracked;       // int64, 0-dim

protected:
  virtual void check_input_dim(const Tensor &input) const = 0;
};

/// (N, C) or (N, C, L) input.
class BatchNorm1d : public BatchNormBase {
public:
  explicit BatchNorm1d(const BatchNormOptions &options)
      : BatchNormBase(options) {}
  BatchNorm1d(int64_t num_features)
      : BatchNorm1d(BatchNormOptions(num_features)) {}

protected:
  void check_input_dim(const Tensor &input) const override;
};

/// (N, C, H, W) input.
class BatchNorm2d : public BatchNormBase {
public:
  explicit BatchNorm2d(const BatchNormOptions &options)
      : BatchNormBase(options) {}
  BatchNorm2d(int64_t num_features)
      : BatchNorm2d(BatchNormOptions(num_features)) {}

protected:
  void check_input_dim(const Tensor &input) const override;
};

class LayerNormOptions {
public:
  LayerNormOptions(std::vector<int64_t> normalized_shape)
      : normalized_shape_(std::move(normalized_shape)) {}
  LayerNormOptions &normalized_shape(std::vector<int64_t> v) {
    return normalized_shape_ = std::move(v), *this;
  }
  LayerNormOptions &eps(double v) { return eps_ = v, *this; }
  /// Learnable weight and bias of normalized_shape (default true).
  LayerNormOptions &elementwise_affine(bool v) {
    return elementwise_affine_ = v, *this;
  }
  const std::vector<int64_t> &normalized_shape() const {
    return normalized_shape_;
  }
  double eps() const { return eps_; }
  bool elementwise_affine() const { return elementwise_affine_; }

private:
  std::vector<int64_t> normalized_shape_;
  double eps_ = 1e-5;
  bool elementwise_affine_ = true;
};

/// Normalizes over the trailing normalized_shape dims.
class LayerNorm : public Module {
public:
  explicit LayerNorm(const LayerNormOptions &options);
  LayerNorm(std::vector<int64_t> normalized_shape)
      : LayerNorm(LayerNormOptions(std::move(normalized_shape))) {}
  LayerNorm(int64_t normalized_shape)
      : LayerNorm(LayerNormOptions({normalized_shape})) {}
  Tensor forward(const Tensor &input) override;
  std::string extra_repr() const override;
  void reset_parameters();

  LayerNormOptions options;
  Tensor weight, bias; // when elementwise_affine
};

} // namespace ember::nn

// Linear, Identity and Flatten (torch.nn.Linear, nn.Identity, nn.Flatten).
//
//   nn::Linear fc{784, 256};
//   nn::Linear head(nn::LinearOptions(256, 10).bias(false));
#pragma once

#include "ember/nn/module.h"

namespace ember::nn {

class LinearOptions {
public:
  LinearOptions(int64_t in_features, int64_t out_features)
      : in_features_(in_features), out_features_(out_features) {}
  LinearOptions &in_features(int64_t v) { return in_features_ = v, *this; }
  LinearOptions &out_features(int64_t v) { return out_features_ = v, *this; }
  /// Whether the layer learns an additive bias (default true).
  LinearOptions &bias(bool v) { return bias_ = v, *this; }
  int64_t in_features() const { return in_features_; }
  int64_t out_features() const { return out_features_; }
  bool bias() const { return bias_; }

private:
  int64_t in_features_, out_features_;
  bool bias_ = true;
};

/// y = x W^T + b. weight (out_features, in_features) and bias initialised as
/// PyTorch: kaiming_uniform_(a = sqrt(5)), bias U(-1/sqrt(in), 1/sqrt(in)).
class Linear : public Module {
public:
  explicit Linear(const LinearOptions &options);
  Linear(int64_t in_features, int64_t out_features)
      : Linear(LinearOptions(in_features, out_features)) {}
  Tensor forward(const Tensor &input) override;
  std::string extra_repr() const override;
  void reset_parameters();

  LinearOptions options;
  Tensor weight, bias; // bias undefined when options.bias() is false
};

// Modules that register nothing call check_registration() in their
// constructor: it ends their construction window (see module.cpp), so
// modules built after them are not taken for forgotten members.

/// Returns its input (a placeholder, as nn.Identity).
class Identity : public Module {
public:
  Identity() { check_registration(); }
  Tensor forward(const Tensor &input) override { return input; }
};

class FlattenOptions {
public:
  FlattenOptions() = default;
  FlattenOptions &start_dim(int64_t v) { return start_dim_ = v, *this; }
  FlattenOptions &end_dim(int64_t v) { return end_dim_ = v, *this; }
  int64_t start_dim() const { return start_dim_; }
  int64_t end_dim() const { return end_dim_; }

private:
  int64_t start_dim_ = 1, end_dim_ = -1;
};

/// Merges dims start_dim..end_dim (default 1..-1: everything but the batch).
class Flatten : public Module {
public:
  explicit Flatten(const FlattenOptions &options = {}) : options(options) {
    check_registration();
  }
  Flatten(int64_t start_dim, int64_t end_dim = -1)
      : Flatten(FlattenOptions().start_dim(start_dim).end_dim(end_dim)) {}
  Tensor forward(const Tensor &input) override;
  std::string extra_repr() const override;

  FlattenOptions options;
};

} // namespace ember::nn

// Dropout (torch.nn.Dropout): in training, zeroes each element with
// probability p (ember's generator; ember::manual_seed repeats the masks) and
// scales the rest by 1/(1-p); the identity in eval mode.
#pragma once

#include "ember/nn/module.h"

namespace ember::nn {

class DropoutOptions {
public:
  DropoutOptions(double p = 0.5) : p_(p) {}
  DropoutOptions &p(double v) { return p_ = v, *this; }
  /// Accepted for PyTorch parity (printed); the result is computed out of
  /// place either way.
  DropoutOptions &inplace(bool v) { return inplace_ = v, *this; }
  double p() const { return p_; }
  bool inplace() const { return inplace_; }

private:
  double p_;
  bool inplace_ = false;
};

class Dropout : public Module {
public:
  explicit Dropout(const DropoutOptions &options = {});
  Dropout(double p) : Dropout(DropoutOptions(p)) {}
  Tensor forward(const Tensor &input) override;
  std::string extra_repr() const override;

  DropoutOptions options;
};

} // namespace ember::nn

// Activation layers (torch.nn): ReLU, LeakyReLU, ELU, GELU, Tanh, Sigmoid,
// Softmax, LogSoftmax. `inplace` options are accepted and printed as in
// PyTorch; results are computed out of place. The constructors call
// check_registration() to end their construction window (see linear.h).
#pragma once

#include "ember/nn/module.h"

#include <optional>

namespace ember::nn {

class ReLU : public Module {
public:
  explicit ReLU(bool inplace = false) : inplace(inplace) {
    check_registration();
  }
  Tensor forward(const Tensor &input) override;
  std::string extra_repr() const override;
  bool inplace;
};

class LeakyReLUOptions {
public:
  LeakyReLUOptions() = default;
  LeakyReLUOptions &negative_slope(double v) {
    return negative_slope_ = v, *this;
  }
  LeakyReLUOptions &inplace(bool v) { return inplace_ = v, *this; }
  double negative_slope() const { return negative_slope_; }
  bool inplace() const { return inplace_; }

private:
  double negative_slope_ = 0.01;
  bool inplace_ = false;
};

/// x for x > 0, negative_slope * x otherwise.
class LeakyReLU : public Module {
public:
  explicit LeakyReLU(const LeakyReLUOptions &options = {}) : options(options) {
    check_registration();
  }
  LeakyReLU(double negative_slope)
      : LeakyReLU(LeakyReLUOptions().negative_slope(negative_slope)) {}
  Tensor forward(const Tensor &input) override;
  std::string extra_repr() const override;
  LeakyReLUOptions options;
};

class ELUOptions {
public:
  ELUOptions() = default;
  ELUOptions &alpha(double v) { return alpha_ = v, *this; }
  ELUOptions &inplace(bool v) { return inplace_ = v, *this; }
  double alpha() const { return alpha_; }
  bool inplace() const { return inplace_; }

private:
  double alpha_ = 1.0;
  bool inplace_ = false;
};

/// x for x > 0, alpha * (exp(x) - 1) otherwise.
class ELU : public Module {
public:
  explicit ELU(const ELUOptions &options = {}) : options(options) {
    check_registration();
  }
  ELU(double alpha) : ELU(ELUOptions().alpha(alpha)) {}
  Tensor forward(const Tensor &input) override;
  std::string extra_repr() const override;
  ELUOptions options;
};

/// approximate: "none" (exact, with erf) or "tanh".
class GELU : public Module {
public:
  explicit GELU(std::string approximate = "none");
  Tensor forward(const Tensor &input) override;
  std::string extra_repr() const override;
  std::string approximate;
};

class Tanh : public Module {
public:
  Tanh() { check_registration(); }
  Tensor forward(const Tensor &input) override;
};

class Sigmoid : public Module {
public:
  Sigmoid() { check_registration(); }
  Tensor forward(const Tensor &input) override;
};

/// dim std::nullopt picks PyTorch's legacy implicit dim (0 for 0-, 1- and
/// 3-dim inputs, else 1).
class Softmax : public Module {
public:
  explicit Softmax(std::optional<int64_t> dim = std::nullopt) : dim(dim) {
    check_registration();
  }
  Tensor forward(const Tensor &input) override;
  std::string extra_repr() const override;
  std::optional<int64_t> dim;
};

class LogSoftmax : public Module {
public:
  explicit LogSoftmax(std::optional<int64_t> dim = std::nullopt) : dim(dim) {
    check_registration();
  }
  Tensor forward(const Tensor &input) override;
  std::string extra_repr() const override;
  std::optional<int64_t> dim;
};

} // namespace ember::nn

// Loss functions as free functions (torch.nn.functional's mse_loss, l1_loss,
// smooth_l1_loss, cross_entropy, nll_loss, binary_cross_entropy,
// binary_cross_entropy_with_logits) and the options structs shared with the
// loss modules of ember/nn/loss.h, LibTorch style:
//
//   namespace F = ember::nn::functional;
//   Tensor loss = F::cross_entropy(logits, labels,
//       F::CrossEntropyFuncOptions().ignore_index(0).label_smoothing(0.1));
//
// Every loss is composed from ember ops (log_softmax, gather, where, ...),
// so autograd differentiates it and the tracer records it. `reduction` is
// "none", "mean" (the default) or "sum", as in PyTorch; for nll_loss and
// cross_entropy "mean" is the weighted mean over the targets that are not
// ignored (NaN when all are ignored, like PyTorch).
#pragma once

#include "ember/tensor.h"

#include <string>

namespace ember::nn {

// --- options -----------------------------------------------------------------
// Setters return *this for chaining; getters of the same name read back.
// Values are checked where they are used (module constructors and the
// functions), with messages naming the bad value.

struct MSELossOptions {
  MSELossOptions &reduction(std::string r) {
    reduction_ = std::move(r);
    return *this;
  }
  const std::string &reduction() const { return reduction_; }

private:
  std::string reduction_ = "mean";
};

struct L1LossOptions {
  L1LossOptions &reduction(std::string r) {
    reduction_ = std::move(r);
    return *this;
  }
  const std::string &reduction() const { return reduction_; }

private:
  std::string reduction_ = "mean";
};

struct SmoothL1LossOptions {
  SmoothL1LossOptions &reduction(std::string r) {
    reduction_ = std::move(r);
    return *this;
  }
  const std::string &reduction() const { return reduction_; }
  /// Where the loss changes from quadratic to linear (>= 0; 0 is L1).
  SmoothL1LossOptions &beta(double b) {
    beta_ = b;
    return *this;
  }
  double beta() const { return beta_; }

private:
  std::string reduction_ = "mean";
  double beta_ = 1.0;
};

struct NLLLossOptions {
  /// Per-class rescaling weight, 1-D of size C (undefined: all ones).
  NLLLossOptions &weight(Tensor w) {
    weight_ = std::move(w);
    return *this;
  }
  const Tensor &weight() const { return weight_; }
  /// Targets equal to this contribute nothing (nor to the mean's weight).
  NLLLossOptions &ignore_index(int64_t i) {
    ignore_index_ = i;
    return *this;
  }
  int64_t ignore_index() const { return ignore_index_; }
  NLLLossOptions &reduction(std::string r) {
    reduction_ = std::move(r);
    return *this;
  }
  const std::string &reduction() const { return reduction_; }

private:
  Tensor weight_;
  int64_t ignore_index_ = -100;
  std::string reduction_ = "mean";
};

struct CrossEntropyLossOptions {
  /// Per-class rescaling weight, 1-D of size C (undefined: all ones).
  CrossEntropyLossOptions &weight(Tensor w) {
    weight_ = std::move(w);
    return *this;
  }
  const Tensor &weight() const { return weight_; }
  /// Class-index targets equal to this are ignored (must stay negative for
  /// probability targets).
  CrossEntropyLossOptions &ignore_index(int64_t i) {
    ignore_index_ = i;
    return *this;
  }
  int64_t ignore_index() const { return ignore_index_; }
  CrossEntropyLossOptions &reduction(std::string r) {
    reduction_ = std::move(r);
    return *this;
  }
  const std::string &reduction() const { return reduction_; }
  /// In [0, 1]: the target becomes (1 - s) * target + s / C.
  CrossEntropyLossOptions &label_smoothing(double s) {
    label_smoothing_ = s;
    return *this;
  }
  double label_smoothing() const { return label_smoothing_; }

private:
  Tensor weight_;
  int64_t ignore_index_ = -100;
  std::string reduction_ = "mean";
  double label_smoothing_ = 0.0;
};

struct BCELossOptions {
  /// Rescaling weight, broadcast against the elementwise loss.
  BCELossOptions &weight(Tensor w) {
    weight_ = std::move(w);
    return *this;
  }
  const Tensor &weight() const { return weight_; }
  BCELossOptions &reduction(std::string r) {
    reduction_ = std::move(r);
    return *this;
  }
  const std::string &reduction() const { return reduction_; }

private:
  Tensor weight_;
  std::string reduction_ = "mean";
};

struct BCEWithLogitsLossOptions {
  /// Rescaling weight, broadcast against the elementwise loss.
  BCEWithLogitsLossOptions &weight(Tensor w) {
    weight_ = std::move(w);
    return *this;
  }
  const Tensor &weight() const { return weight_; }
  BCEWithLogitsLossOptions &reduction(std::string r) {
    reduction_ = std::move(r);
    return *this;
  }
  const std::string &reduction() const { return reduction_; }
  /// Weight of the positive examples, broadcast against the target (one
  /// per class: the last dimension).
  BCEWithLogitsLossOptions &pos_weight(Tensor w) {
    pos_weight_ = std::move(w);
    return *this;
  }
  const Tensor &pos_weight() const { return pos_weight_; }

private:
  Tensor weight_;
  std::string reduction_ = "mean";
  Tensor pos_weight_;
};

namespace functional {

using MSELossFuncOptions = MSELossOptions;
using L1LossFuncOptions = L1LossOptions;
using SmoothL1LossFuncOptions = SmoothL1LossOptions;
using NLLLossFuncOptions = NLLLossOptions;
using CrossEntropyFuncOptions = CrossEntropyLossOptions;
using BinaryCrossEntropyFuncOptions = BCELossOptions;
using BinaryCrossEntropyWithLogitsFuncOptions = BCEWithLogitsLossOptions;

/// (input - target)^2; input and target broadcast (as PyTorch, which warns).
Tensor mse_loss(const Tensor &input, const Tensor &target,
                const MSELossFuncOptions &options = {});
/// |input - target|.
Tensor l1_loss(const Tensor &input, const Tensor &target,
               const L1LossFuncOptions &options = {});
/// 0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (d = input - target).
Tensor smooth_l1_loss(const Tensor &input, const Tensor &target,
                      const SmoothL1LossFuncOptions &options = {});
/// -input[n, target[n], d...] * weight[target[n, d...]]. input holds
/// log-probabilities of shape (N, C, d1, ...) or (C); target the int64 class
/// indices, (N, d1, ...) or ().
Tensor nll_loss(const Tensor &input, const Tensor &target,
                const NLLLossFuncOptions &options = {});
/// nll_loss(log_softmax(input, class dim), target) for int64 class-index
/// targets; for floating targets of the input's shape (class
/// probabilities), -sum_c weight[c] target[c] log_softmax(input)[c].
Tensor cross_entropy(const Tensor &input, const Tensor &target,
                     const CrossEntropyFuncOptions &options = {});
/// -weight (target log(input) + (1 - target) log(1 - input)), each log
/// clamped to >= -100; input must lie in [0, 1].
Tensor binary_cross_entropy(const Tensor &input, const Tensor &target,
                            const BinaryCrossEntropyFuncOptions &options = {});
/// binary_cross_entropy(sigmoid(input), target) computed stably from the
/// logits, with an optional pos_weight on the positive term.
Tensor binary_cross_entropy_with_logits(
    const Tensor &input, const Tensor &target,
    const BinaryCrossEntropyWithLogitsFuncOptions &options = {});

} // namespace functional
} // namespace ember::nn

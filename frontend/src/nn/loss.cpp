// The loss modules of ember/nn/loss.h: option checks in the constructors,
// weights as buffers, forward through nn::functional.
#include "ember/nn/loss.h"

namespace ember::nn {

namespace F = functional;

namespace {

void check_reduction(const char *module, const std::string &r) {
  EMBER_CHECK(r == "none" || r == "mean" || r == "sum", module,
              "reduction must be 'none', 'mean' or 'sum', got '", r, "'");
}

/// A class-weight option: 1-D floating point when given.
void check_class_weight(const char *module, const Tensor &w) {
  if (!w.defined())
    return;
  EMBER_CHECK(w.dim() == 1 && w.is_floating_point(), module,
              "weight must be a 1-D floating point tensor (one weight per ",
              "class), got ", w.dtype(), " of shape ", w.sizes());
}

void check_floating_weight(const char *module, const char *what,
                           const Tensor &w) {
  if (!w.defined())
    return;
  EMBER_CHECK(w.is_floating_point(), module, what,
              " must be a floating point tensor, got ", w.dtype());
}

} // namespace

MSELoss::MSELoss(MSELossOptions options_) : options(std::move(options_)) {
  check_reduction("nn::MSELoss", options.reduction());
}
Tensor MSELoss::forward(const Tensor &input, const Tensor &target) {
  return F::mse_loss(input, target, options);
}

L1Loss::L1Loss(L1LossOptions options_) : options(std::move(options_)) {
  check_reduction("nn::L1Loss", options.reduction());
}
Tensor L1Loss::forward(const Tensor &input, const Tensor &target) {
  return F::l1_loss(input, target, options);
}

SmoothL1Loss::SmoothL1Loss(SmoothL1LossOptions options_)
    : options(std::move(options_)) {
  check_reduction("nn::SmoothL1Loss", options.reduction());
  EMBER_CHECK(options.beta() >= 0, "nn::SmoothL1Loss",
              "beta must be >= 0 (0 gives L1Loss), got ", options.beta());
}
Tensor SmoothL1Loss::forward(const Tensor &input, const Tensor &target) {
  return F::smooth_l1_loss(input, target, options);
}

NLLLoss::NLLLoss(NLLLossOptions options_) : options(std::move(options_)) {
  check_reduction("nn::NLLLoss", options.reduction());
  check_class_weight("nn::NLLLoss", options.weight());
  if (options.weight().defined())
    weight = register_buffer("weight", options.weight());
}
Tensor NLLLoss::forward(const Tensor &input, const Tensor &target) {
  return F::nll_loss(input, target, NLLLossOptions(options).weight(weight));
}

CrossEntropyLoss::CrossEntropyLoss(CrossEntropyLossOptions options_)
    : options(std::move(options_)) {
  check_reduction("nn::CrossEntropyLoss", options.reduction());
  check_class_weight("nn::CrossEntropyLoss", options.weight());
  const double ls = options.label_smoothing();
  EMBER_CHECK(ls >= 0 && ls <= 1, "nn::CrossEntropyLoss",
              "label_smoothing must be between 0.0 and 1.0, got ", ls);
  if (options.weight().defined())
    weight = register_buffer("weight", options.weight());
}
Tensor CrossEntropyLoss::forward(const Tensor &input, const Tensor &target) {
  return F::cross_entropy(input, target,
                          CrossEntropyLossOptions(options).weight(weight));
}

BCELoss::BCELoss(BCELossOptions options_) : options(std::move(options_)) {
  check_reduction("nn::BCELoss", options.reduction());
  check_floating_weight("nn::BCELoss", "weight", options.weight());
  if (options.weight().defined())
    weight = register_buffer("weight", options.weight());
}
Tensor BCELoss::forward(const Tensor &input, const Tensor &target) {
  return F::binary_cross_entropy(input, target,
                                 BCELossOptions(options).weight(weight));
}

BCEWithLogitsLoss::BCEWithLogitsLoss(BCEWithLogitsLossOptions options_)
    : options(std::move(options_)) {
  check_reduction("nn::BCEWithLogitsLoss", options.reduction());
  check_floating_weight("nn::BCEWithLogitsLoss", "weight", options.weight());
  check_floating_weight("nn::BCEWithLogitsLoss", "pos_weight",
                        options.pos_weight());
  if (options.weight().defined())
    weight = register_buffer("weight", options.weight());
  if (options.pos_weight().defined())
    pos_weight = register_buffer("pos_weight", options.pos_weight());
}
Tensor BCEWithLogitsLoss::forward(const Tensor &input, const Tensor &target) {
  return F::binary_cross_entropy_with_logits(
      input, target,
      BCEWithLogitsLossOptions(options).weight(weight).pos_weight(pos_weight));
}

} // namespace ember::nn

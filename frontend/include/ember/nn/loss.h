// Loss modules (torch.nn's MSELoss, L1Loss, SmoothL1Loss, NLLLoss,
// CrossEntropyLoss, BCELoss, BCEWithLogitsLoss): nn::Modules built from the
// options structs of ember/nn/functional_loss.h, whose forward(input, target)
// calls the functional form.
//
//   nn::CrossEntropyLoss criterion(
//       nn::CrossEntropyLossOptions().ignore_index(0).label_smoothing(0.1));
//   Tensor loss = criterion(model(x), y);
//
// Options are validated in the constructor. Class weights (and
// BCEWithLogitsLoss's pos_weight) are registered as buffers named "weight"
// ("pos_weight") when given, as in PyTorch, so they move with to() and
// appear in state_dict(). Printing gives PyTorch's repr:
// "CrossEntropyLoss()".
#pragma once

#include "ember/nn/functional_loss.h"
#include "ember/nn/module.h"

namespace ember::nn {

/// Base of the loss modules: a two-argument forward and call operator.
class Loss : public Module {
public:
  /// Loss modules take (input, target); the one-tensor forward throws.
  using Module::forward;
  virtual Tensor forward(const Tensor &input, const Tensor &target) = 0;
  Tensor operator()(const Tensor &input, const Tensor &target) {
    return forward(input, target);
  }
};

class MSELoss : public Loss {
public:
  explicit MSELoss(MSELossOptions options = {});
  using Loss::forward;
  Tensor forward(const Tensor &input, const Tensor &target) override;
  MSELossOptions options;
};

class L1Loss : public Loss {
public:
  explicit L1Loss(L1LossOptions options = {});
  using Loss::forward;
  Tensor forward(const Tensor &input, const Tensor &target) override;
  L1LossOptions options;
};

class SmoothL1Loss : public Loss {
public:
  explicit SmoothL1Loss(SmoothL1LossOptions options = {});
  using Loss::forward;
  Tensor forward(const Tensor &input, const Tensor &target) override;
  SmoothL1LossOptions options;
};

class NLLLoss : public Loss {
public:
  explicit NLLLoss(NLLLossOptions options = {});
  using Loss::forward;
  Tensor forward(const Tensor &input, const Tensor &target) override;
  NLLLossOptions options;
  /// The "weight" buffer (undefined when no weight was given).
  Tensor weight;
};

class CrossEntropyLoss : public Loss {
public:
  explicit CrossEntropyLoss(CrossEntropyLossOptions options = {});
  using Loss::forward;
  Tensor forward(const Tensor &input, const Tensor &target) override;
  CrossEntropyLossOptions options;
  /// The "weight" buffer (undefined when no weight was given).
  Tensor weight;
};

class BCELoss : public Loss {
public:
  explicit BCELoss(BCELossOptions options = {});
  using Loss::forward;
  Tensor forward(const Tensor &input, const Tensor &target) override;
  BCELossOptions options;
  /// The "weight" buffer (undefined when no weight was given).
  Tensor weight;
};

class BCEWithLogitsLoss : public Loss {
public:
  explicit BCEWithLogitsLoss(BCEWithLogitsLossOptions options = {});
  using Loss::forward;
  Tensor forward(const Tensor &input, const Tensor &target) override;
  BCEWithLogitsLossOptions options;
  /// The "weight" and "pos_weight" buffers (undefined when not given).
  Tensor weight, pos_weight;
};

} // namespace ember::nn

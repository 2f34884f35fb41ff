// gradcheck: compares autograd's gradients with float64 central finite
// differences, element by element (torch.autograd.gradcheck).
#pragma once

#include "ember/tensor.h"

#include <functional>

namespace ember::autograd {

struct GradcheckOptions {
  double eps = 1e-6;
  double atol = 1e-5;
  double rtol = 1e-3;
  /// Throw ember::Error describing the first mismatch (else return false).
  bool raise_exception = true;
};

/// `fn` maps the inputs to one or more outputs. Inputs that require grad
/// should be float64 (float32 is accepted but rarely precise enough).
bool gradcheck(const std::function<TensorList(const TensorList &)> &fn,
               const TensorList &inputs, const GradcheckOptions &opts = {});
/// For functions with a single output.
bool gradcheck(const std::function<Tensor(const TensorList &)> &fn,
               const TensorList &inputs, const GradcheckOptions &opts = {});

} // namespace ember::autograd

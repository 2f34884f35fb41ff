// The loss functions of ember/nn/functional_loss.h, composed from ember ops
// so that autograd and the tracer see ordinary ops. The formulas follow
// PyTorch 1.13 (aten/src/ATen/native/Loss.cpp, LossNLL.cpp): the same
// weighted-mean rule for nll_loss/cross_entropy, the same label-smoothing
// split, the same stable log-sum-exp form for BCE with logits, the same
// clamp of BCE's logarithms at -100.
//
// Masking uses where() rather than multiplication by a 0/1 mask, so that an
// ignored target gets an exact zero gradient even when the mean divides by
// a zero total weight (the all-ignored case, whose value is NaN).
#include "ember/nn/functional_loss.h"

#include "ember/ops.h"

#include <cmath>
#include <limits>

namespace ember::nn::functional {

namespace {

enum class Reduction { None, Mean, Sum };

Reduction parse_reduction(const char *op, const std::string &r) {
  if (r == "none")
    return Reduction::None;
  if (r == "mean")
    return Reduction::Mean;
  if (r == "sum")
    return Reduction::Sum;
  EMBER_FAIL(op, "reduction must be 'none', 'mean' or 'sum', got '", r, "'");
}

Tensor reduce(const Tensor &loss, Reduction r) {
  switch (r) {
  case Reduction::None:
    return loss;
  case Reduction::Mean:
    return loss.mean();
  case Reduction::Sum:
    return loss.sum();
  }
  return loss;
}

void check_defined(const char *op, const Tensor &input, const Tensor &target) {
  EMBER_CHECK(input.defined() && target.defined(), op,
              "input and target must be defined tensors");
}

void check_floating(const char *op, const Tensor &t, const char *what) {
  EMBER_CHECK(t.is_floating_point(), op, "expected a floating point ", what,
              ", got ", t.dtype());
}

/// input and target of one shape (BCE's requirement).
void check_same_size(const char *op, const Tensor &input,
                     const Tensor &target) {
  EMBER_CHECK(input.sizes() == target.sizes(), op, "target size ",
              target.sizes(), " must be the same as input size ",
              input.sizes());
}

// --- class-index targets (nll_loss, cross_entropy) --------------------------

/// What nll_loss and cross_entropy share about class-index targets.
struct ClassTargets {
  int64_t class_dim = 1;
  int64_t num_classes = 0;
  Tensor keep;        // bool, target's shape: target != ignore_index
  Tensor safe;        // int64 targets, ignored ones replaced by class 0
  Tensor weight_t;    // weight[target] (0 where ignored); undefined: no weight
  Tensor weight_view; // weight shaped to broadcast along the class dim
};

/// Checks input (N, C, d1, ...) or (C) against int64 targets (N, d1, ...) or
/// (), the weight, and every target value that is not ignored.
ClassTargets class_targets(const char *op, const Tensor &input,
                           const Tensor &target, const Tensor &weight,
                           int64_t ignore_index) {
  check_floating(op, input, "input");
  EMBER_CHECK(input.dim() >= 1, op, "expected input with 1 or more dimensions",
              " (got ", input.dim(), ")");
  ClassTargets ct;
  ct.class_dim = input.dim() == 1 ? 0 : 1;
  ct.num_classes = input.size(ct.class_dim);
  EMBER_CHECK(target.dtype() == kInt64, op,
              "expected class-index target of dtype int64, got ",
              target.dtype(), " (class-probability targets must be floating ",
              "point and of the input's shape ", input.sizes(), ")");
  if (input.dim() == 1) {
    EMBER_CHECK(target.dim() == 0, op,
                "expected a 0-dim target for unbatched input of shape ",
                input.sizes(), ", got target of shape ", target.sizes());
  } else {
    EMBER_CHECK(target.dim() >= 1 && input.size(0) == target.size(0), op,
                "Expected input batch_size (", input.size(0),
                ") to match target batch_size (",
                target.dim() >= 1 ? target.size(0) : int64_t(0), ")");
    DimVector want{input.size(0)};
    for (int64_t d = 2; d < input.dim(); ++d)
      want.push_back(input.size(d));
    EMBER_CHECK(target.sizes() == IntArrayRef(want), op,
                "Expected target size ", IntArrayRef(want), ", got ",
                target.sizes(), " (input of shape ", input.sizes(), ")");
  }
  if (weight.defined()) {
    EMBER_CHECK(weight.dim() == 1 && weight.size(0) == ct.num_classes, op,
                "weight tensor should be defined either for all ",
                ct.num_classes,
                " classes or no classes but got weight tensor of shape: ",
                weight.sizes());
    EMBER_CHECK(weight.dtype() == input.dtype(), op,
                "expected weight of the input's dtype ", input.dtype(),
                ", got ", weight.dtype());
  }
  // Every target that is not ignored must name a class (a data-dependent
  // read, as in PyTorch, which checks inside its kernel).
  {
    Tensor t = target.contiguous();
    if (!t.is_cpu())
      t = t.cpu();
    const int64_t *p = t.data_ptr<int64_t>();
    for (int64_t i = 0; i < t.numel(); ++i)
      EMBER_CHECK(p[i] == ignore_index || (p[i] >= 0 && p[i] < ct.num_classes),
                  op, "Target ", p[i], " is out of bounds: the input has ",
                  ct.num_classes, " classes (valid targets are 0 to ",
                  ct.num_classes - 1, ", or ignore_index ", ignore_index, ")");
  }
  ct.keep = target != Scalar(ignore_index);
  ct.safe = where(ct.keep, target, Scalar(int64_t(0)));
  if (weight.defined()) {
    Tensor w = weight.index_select(0, ct.safe.reshape({-1}));
    ct.weight_t = where(ct.keep, w.reshape(ct.safe.sizes()), 0.0);
    DimVector shape(input.dim(), 1);
    shape[ct.class_dim] = ct.num_classes;
    ct.weight_view = input.dim() > 1 ? weight.reshape(shape) : weight;
  }
  return ct;
}

/// The mean's denominator: the total weight of the targets kept.
Tensor total_weight(const ClassTargets &ct, DType dtype) {
  return ct.weight_t.defined() ? ct.weight_t.sum() : ct.keep.sum().to(dtype);
}

/// nll_loss of log-probabilities whose targets were checked.
Tensor nll_checked(const Tensor &logp, const ClassTargets &ct, Reduction r) {
  Tensor picked = logp.gather(ct.class_dim, ct.safe.unsqueeze(ct.class_dim))
                      .squeeze(ct.class_dim);
  Tensor loss = ct.weight_t.defined() ? -picked * ct.weight_t : -picked;
  loss = where(ct.keep, loss, 0.0);
  switch (r) {
  case Reduction::None:
    return loss;
  case Reduction::Sum:
    return loss.sum();
  case Reduction::Mean:
    return loss.sum() / total_weight(ct, logp.dtype());
  }
  return loss;
}

} // namespace

Tensor mse_loss(const Tensor &input, const Tensor &target,
                const MSELossFuncOptions &options) {
  const char *op = "mse_loss";
  Reduction r = parse_reduction(op, options.reduction());
  check_defined(op, input, target);
  check_floating(op, input, "input");
  Tensor d = input - target;
  return reduce(d * d, r);
}

Tensor l1_loss(const Tensor &input, const Tensor &target,
               const L1LossFuncOptions &options) {
  const char *op = "l1_loss";
  Reduction r = parse_reduction(op, options.reduction());
  check_defined(op, input, target);
  check_floating(op, input, "input");
  return reduce((input - target).abs(), r);
}

Tensor smooth_l1_loss(const Tensor &input, const Tensor &target,
                      const SmoothL1LossFuncOptions &options) {
  const char *op = "smooth_l1_loss";
  Reduction r = parse_reduction(op, options.reduction());
  const double beta = options.beta();
  EMBER_CHECK(beta >= 0, op, "beta must be >= 0 (0 gives l1_loss), got ", beta);
  check_defined(op, input, target);
  check_floating(op, input, "input");
  Tensor d = input - target;
  Tensor ad = d.abs();
  if (beta == 0)
    return reduce(ad, r);
  Tensor loss = where(ad < beta, d * d * (0.5 / beta), ad - 0.5 * beta);
  return reduce(loss, r);
}

Tensor nll_loss(const Tensor &input, const Tensor &target,
                const NLLLossFuncOptions &options) {
  const char *op = "nll_loss";
  Reduction r = parse_reduction(op, options.reduction());
  check_defined(op, input, target);
  ClassTargets ct = class_targets(op, input, target, options.weight(),
                                  options.ignore_index());
  return nll_checked(input, ct, r);
}

Tensor cross_entropy(const Tensor &input, const Tensor &target,
                     const CrossEntropyFuncOptions &options) {
  const char *op = "cross_entropy";
  Reduction r = parse_reduction(op, options.reduction());
  check_defined(op, input, target);
  const double ls = options.label_smoothing();
  EMBER_CHECK(ls >= 0 && ls <= 1, op,
              "label_smoothing must be between 0.0 and 1.0, got ", ls);
  check_floating(op, input, "input");
  EMBER_CHECK(input.dim() >= 1, op, "expected input with 1 or more dimensions",
              " (got ", input.dim(), ")");
  const Tensor &weight = options.weight();
  const int64_t class_dim = input.dim() == 1 ? 0 : 1;
  const int64_t num_classes = input.size(class_dim);

  if (input.sizes() == target.sizes()) {
    // Class probabilities.
    EMBER_CHECK(target.is_floating_point(), op,
                "expected a floating point target with class probabilities ",
                "(the input's shape ", input.sizes(), "), got ",
                target.dtype());
    EMBER_CHECK(options.ignore_index() < 0, op,
                "ignore_index is not supported for class-probability targets "
                "(got ignore_index ",
                options.ignore_index(), ")");
    Tensor logp = input.log_softmax(class_dim);
    Tensor t = ls > 0 ? target * (1 - ls) + ls / double(num_classes) : target;
    Tensor prod = logp * t;
    if (weight.defined()) {
      EMBER_CHECK(weight.dim() == 1 && weight.size(0) == num_classes, op,
                  "weight tensor should be defined either for all ",
                  num_classes,
                  " classes or no classes but got weight tensor of shape: ",
                  weight.sizes());
      DimVector shape(input.dim(), 1);
      shape[class_dim] = num_classes;
      prod = prod * (input.dim() > 1 ? weight.reshape(shape) : weight);
    }
    switch (r) {
    case Reduction::None:
      return -prod.sum({class_dim});
    case Reduction::Sum:
      return -prod.sum();
    case Reduction::Mean: {
      // Over the positions (numel / C); NaN when there are none.
      const double n = num_classes ? double(input.numel() / num_classes) : 0;
      return -prod.sum() / n;
    }
    }
  }

  ClassTargets ct =
      class_targets(op, input, target, weight, options.ignore_index());
  Tensor logp = input.log_softmax(class_dim);
  Tensor nll = nll_checked(logp, ct, r);
  if (ls == 0)
    return nll;
  // PyTorch's split: (1 - ls) * nll + ls / C * (sum over classes of
  // -weight[c] * logp[c]), reduced with nll's denominator.
  Tensor smooth = ct.weight_view.defined()
                      ? -(logp * ct.weight_view).sum({class_dim})
                      : -logp.sum({class_dim});
  smooth = where(ct.keep, smooth, 0.0);
  switch (r) {
  case Reduction::None:
    break;
  case Reduction::Sum:
    smooth = smooth.sum();
    break;
  case Reduction::Mean:
    smooth = smooth.sum() / total_weight(ct, input.dtype());
    break;
  }
  return nll * (1 - ls) + smooth * (ls / double(num_classes));
}

namespace {

/// log(x) clamped to >= -100, for x in [0, 1]; its gradient is 0 (not NaN)
/// where x == 0.
Tensor clamped_log(const Tensor &x) {
  Tensor pos = x > 0;
  return where(pos, log(where(pos, x, 1.0)).clamp(-100.0), -100.0);
}

/// log1p(-x) clamped to >= -100 (PyTorch's log(1 - x)), likewise at x == 1.
Tensor clamped_log1m(const Tensor &x) {
  Tensor below = x < 1;
  return where(below, log1p(where(below, -x, 0.0)).clamp(-100.0), -100.0);
}

} // namespace

Tensor binary_cross_entropy(const Tensor &input, const Tensor &target,
                            const BinaryCrossEntropyFuncOptions &options) {
  const char *op = "binary_cross_entropy";
  Reduction r = parse_reduction(op, options.reduction());
  check_defined(op, input, target);
  check_floating(op, input, "input");
  check_same_size(op, input, target);
  if (input.numel() > 0) {
    // A data-dependent check, as PyTorch's kernel does (NaN fails it too).
    Tensor x = input.detach();
    const double lo = x.min().item<double>(), hi = x.max().item<double>();
    EMBER_CHECK(lo >= 0 && hi <= 1, op,
                "all elements of input should be between 0 and 1, got values ",
                "in [", lo, ", ", hi, "]");
  }
  Tensor loss =
      (target - 1) * clamped_log1m(input) - target * clamped_log(input);
  if (options.weight().defined())
    loss = loss * options.weight();
  return reduce(loss, r);
}

Tensor binary_cross_entropy_with_logits(
    const Tensor &input, const Tensor &target,
    const BinaryCrossEntropyWithLogitsFuncOptions &options) {
  const char *op = "binary_cross_entropy_with_logits";
  Reduction r = parse_reduction(op, options.reduction());
  check_defined(op, input, target);
  check_floating(op, input, "input");
  check_same_size(op, input, target);
  // log(1 + exp(-x)) = m + log(exp(-m) + exp(-x - m)) with m = max(-x, 0):
  // no exp overflows for any x.
  Tensor m = (-input).clamp(0.0);
  Tensor softplus_neg = log((-m).exp() + (-input - m).exp()) + m;
  Tensor loss;
  if (options.pos_weight().defined()) {
    Tensor log_weight = (options.pos_weight() - 1) * target + 1;
    loss = (1 - target) * input + log_weight * softplus_neg;
  } else {
    loss = (1 - target) * input + softplus_neg;
  }
  if (options.weight().defined())
    loss = loss * options.weight();
  return reduce(loss, r);
}

} // namespace ember::nn::functional

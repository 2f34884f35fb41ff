// nn::functional, normalization/dropout/embedding/activation part, composed
// from ember ops. Statistics are sums divided by counts (the biased variance
// as the mean of squared deviations), which is what PyTorch computes; the
// running-statistics update of batch_norm runs without recording.
#include "ember/autograd/grad_mode.h"
#include "ember/factory.h"
#include "ember/nn/functional.h"
#include "ember/ops.h"
#include "ember/random.h"

#include <cmath>

namespace ember::nn::functional {

namespace {

// Mean and biased variance over `dims` (kept as size-1 dims).
std::pair<Tensor, Tensor> moments(const Tensor &x, IntArrayRef dims,
                                  int64_t count) {
  Tensor mean = x.sum(dims, true) / static_cast<double>(count);
  Tensor centered = x - mean;
  Tensor var =
      (centered * centered).sum(dims, true) / static_cast<double>(count);
  return {mean, var};
}

void check_stat(const char *op, const char *what, const Tensor &t, int64_t c) {
  if (!t.defined())
    return;
  EMBER_CHECK(t.numel() == c, op, what, " should contain ", c, " elements not ",
              t.numel());
}

} // namespace

Tensor batch_norm(const Tensor &input, const Tensor &running_mean,
                  const Tensor &running_var, const Tensor &weight,
                  const Tensor &bias, bool training, double momentum,
                  double eps) {
  const char *op = "nn::functional::batch_norm";
  EMBER_CHECK(input.dim() >= 2, op,
              "expected an input of at least 2 dims (N, C, ...), but got ",
              "input of size ", input.sizes());
  EMBER_CHECK(input.is_floating_point(), op,
              "expected a floating point input, but got ", input.dtype());
  const int64_t C = input.size(1);
  check_stat(op, "running_mean", running_mean, C);
  check_stat(op, "running_var", running_var, C);
  check_stat(op, "weight", weight, C);
  check_stat(op, "bias", bias, C);
  EMBER_CHECK(running_mean.defined() == running_var.defined(), op,
              "running_mean and running_var must both be given or both be "
              "undefined");
  EMBER_CHECK(training || running_mean.defined(), op,
              "running_mean must be defined in evaluation mode");
  DimVector shape(static_cast<size_t>(input.dim()), 1);
  shape[1] = C;
  DimVector dims{0};
  for (int64_t d = 2; d < input.dim(); ++d)
    dims.push_back(d);
  const int64_t n = C == 0 ? 0 : input.numel() / C;

  Tensor mean, var;
  if (training) {
    EMBER_CHECK(n > 1, op,
                "Expected more than 1 value per channel when training, got "
                "input size ",
                input.sizes());
    std::tie(mean, var) = moments(input, dims, n);
    if (running_mean.defined()) {
      NoGradGuard no_grad;
      Tensor m = mean.detach().reshape({C}).to(running_mean.dtype());
      Tensor v = (var.detach() * (static_cast<double>(n) / (n - 1)))
                     .reshape({C})
                     .to(running_var.dtype());
      Tensor rm = running_mean.detach(), rv = running_var.detach();
      rm.copy_(m * momentum + rm * (1 - momentum));
      rv.copy_(v * momentum + rv * (1 - momentum));
    }
  } else {
    mean = running_mean.reshape(shape);
    var = running_var.reshape(shape);
  }
  Tensor out = (input - mean) * rsqrt(var + eps);
  if (weight.defined())
    out = out * weight.reshape(shape);
  if (bias.defined())
    out = out + bias.reshape(shape);
  return out;
}

Tensor layer_norm(const Tensor &input, IntArrayRef normalized_shape,
                  const Tensor &weight, const Tensor &bias, double eps) {
  const char *op = "nn::functional::layer_norm";
  const int64_t k = static_cast<int64_t>(normalized_shape.size());
  EMBER_CHECK(k >= 1, op,
              "Expected normalized_shape to be at least 1-dimensional, i.e., "
              "containing at least one element, but got normalized_shape = ",
              normalized_shape);
  bool ok = input.dim() >= k;
  for (int64_t i = 0; ok && i < k; ++i)
    ok = input.size(input.dim() - k + i) == normalized_shape[i];
  if (!ok) {
    std::string want = "[*";
    for (int64_t s : normalized_shape)
      want += ", " + std::to_string(s);
    EMBER_FAIL(op, "Given normalized_shape=", normalized_shape,
               ", expected input with shape ", want, "], but got input of size",
               input.sizes());
  }
  EMBER_CHECK(!weight.defined() || weight.sizes() == normalized_shape, op,
              "Expected weight to be of same shape as normalized_shape, but "
              "got weight of shape ",
              weight.sizes(), " and normalized_shape = ", normalized_shape);
  EMBER_CHECK(!bias.defined() || bias.sizes() == normalized_shape, op,
              "Expected bias to be of same shape as normalized_shape, but "
              "got bias of shape ",
              bias.sizes(), " and normalized_shape = ", normalized_shape);
  EMBER_CHECK(input.is_floating_point(), op,
              "expected a floating point input, but got ", input.dtype());
  DimVector dims;
  int64_t count = 1;
  for (int64_t i = 0; i < k; ++i) {
    dims.push_back(input.dim() - k + i);
    count *= normalized_shape[i];
  }
  auto [mean, var] = moments(input, dims, count);
  Tensor out = (input - mean) * rsqrt(var + eps);
  if (weight.defined())
    out = out * weight;
  if (bias.defined())
    out = out + bias;
  return out;
}

Tensor dropout(const Tensor &input, double p, bool training) {
  const char *op = "nn::functional::dropout";
  EMBER_CHECK(p >= 0 && p <= 1, op,
              "dropout probability has to be between 0 and 1, but got ", p);
  if (!training || p == 0)
    return input;
  EMBER_CHECK(input.is_floating_point(), op,
              "expected a floating point input, but got ", input.dtype());
  if (p == 1)
    return input * zeros_like(input);
  // As ATen: noise = bernoulli(1 - p) / (1 - p); out = input * noise.
  Tensor noise = bernoulli(full_like(input, 1 - p)) / (1 - p);
  return input * noise;
}

Tensor embedding(const Tensor &input, const Tensor &weight,
                 std::optional<int64_t> padding_idx) {
  const char *op = "nn::functional::embedding";
  EMBER_CHECK(input.dtype() == kInt64 || input.dtype() == kInt32, op,
              "Expected tensor for argument #1 'indices' to have one of the "
              "following scalar types: Long, Int; but got ",
              input.dtype(), " instead");
  EMBER_CHECK(weight.dim() == 2, op, "'weight' must be 2-D, but got ",
              "weight of size ", weight.sizes());
  DimVector shape(input.sizes().begin(), input.sizes().end());
  shape.push_back(weight.size(1));
  Tensor idx = input.reshape({input.numel()});
  if (idx.dtype() != kInt64)
    idx = idx.to(kInt64);
  Tensor rows = weight.index_select(0, idx);
  if (padding_idx) {
    int64_t pad = *padding_idx;
    const int64_t num = weight.size(0);
    EMBER_CHECK(pad >= -num && pad < num, op,
                "Padding_idx must be within num_embeddings (got padding_idx=",
                pad, " for ", num, " embeddings)");
    if (pad < 0)
      pad += num;
    // The same values, with no gradient flowing to the padding rows.
    Tensor is_pad = (idx == pad).unsqueeze(1);
    rows = where(is_pad, rows.detach(), rows);
  }
  return rows.reshape(shape);
}

Tensor relu(const Tensor &input) { return ember::relu(input); }

Tensor leaky_relu(const Tensor &input, double negative_slope) {
  return where(input > 0, input, input * negative_slope);
}

Tensor elu(const Tensor &input, double alpha) {
  // alpha * expm1(x) for x <= 0: exp(x) - 1 loses digits near 0 in float32,
  // so that branch runs in float64; the clamp keeps exp finite (and its
  // gradient zero) where the positive branch is taken.
  const DType dt = input.dtype();
  Tensor xd = dt == kFloat64 ? input : input.to(kFloat64);
  Tensor neg = (exp(xd.clamp(std::nullopt, 0.0)) - 1) * alpha;
  if (dt != kFloat64)
    neg = neg.to(dt);
  return where(input > 0, input, neg);
}

Tensor gelu(const Tensor &input, const std::string &approximate) {
  return ember::gelu(input, approximate);
}

Tensor tanh(const Tensor &input) { return ember::tanh(input); }

Tensor sigmoid(const Tensor &input) { return ember::sigmoid(input); }

Tensor softmax(const Tensor &input, int64_t dim) {
  return ember::softmax(input, dim);
}

Tensor log_softmax(const Tensor &input, int64_t dim) {
  return ember::log_softmax(input, dim);
}

} // namespace ember::nn::functional

// nn::init, following torch/nn/init.py formula by formula. orthogonal_
// factors a float64 normal matrix with Householder QR here (no LAPACK), then
// fixes the signs so R has a positive diagonal, as PyTorch does.
#include "ember/nn/init.h"

#include "ember/autograd/grad_mode.h"
#include "ember/factory.h"
#include "ember/random.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <vector>

namespace ember::nn::init {

namespace {

bool is_empty(const Tensor &t) {
  for (int64_t s : t.sizes())
    if (s == 0)
      return true;
  return false;
}

int64_t correct_fan(const Tensor &t, std::string mode) {
  std::transform(mode.begin(), mode.end(), mode.begin(),
                 [](unsigned char ch) { return std::tolower(ch); });
  EMBER_CHECK(mode == "fan_in" || mode == "fan_out", "nn::init", "Mode ", mode,
              " not supported, please use one of ['fan_in', 'fan_out']");
  auto [fan_in, fan_out] = _calculate_fan_in_and_fan_out(t);
  return mode == "fan_in" ? fan_in : fan_out;
}

void check_defined(const Tensor &t, const char *fn) {
  EMBER_CHECK(t.defined(), "nn::init", fn, ": the tensor is undefined");
}

// Householder QR of the m x n (m >= n) row-major matrix `a`; returns the
// m x n matrix Q with orthonormal columns such that a = Q R and R has a
// non-negative diagonal.
std::vector<double> householder_q(std::vector<double> a, int64_t m, int64_t n) {
  std::vector<std::vector<double>> vs;
  std::vector<double> rdiag(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) {
    double norm = 0;
    for (int64_t i = k; i < m; ++i)
      norm += a[i * n + k] * a[i * n + k];
    norm = std::sqrt(norm);
    const double alpha = a[k * n + k] > 0 ? -norm : norm;
    std::vector<double> v(static_cast<size_t>(m - k));
    for (int64_t i = k; i < m; ++i)
      v[i - k] = a[i * n + k];
    v[0] -= alpha;
    double vnorm = 0;
    for (double x : v)
      vnorm += x * x;
    if (vnorm > 0) {
      // a[k:, k:] -= 2 v (v^T a[k:, k:]) / (v^T v)
      for (int64_t j = k; j < n; ++j) {
        double dot = 0;
        for (int64_t i = k; i < m; ++i)
          dot += v[i - k] * a[i * n + j];
        const double f = 2 * dot / vnorm;
        for (int64_t i = k; i < m; ++i)
          a[i * n + j] -= f * v[i - k];
      }
    }
    rdiag[k] = a[k * n + k];
    vs.push_back(vnorm > 0 ? v : std::vector<double>());
    if (vnorm > 0) {
      const double s = 1 / std::sqrt(vnorm);
      for (double &x : vs.back())
        x *= s; // unit vector: H = I - 2 v v^T
    }
  }
  // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of I.
  std::vector<double> q(static_cast<size_t>(m * n), 0.0);
  for (int64_t j = 0; j < n; ++j)
    q[j * n + j] = 1;
  for (int64_t k = n - 1; k >= 0; --k) {
    const std::vector<double> &v = vs[k];
    if (v.empty())
      continue;
    for (int64_t j = 0; j < n; ++j) {
      double dot = 0;
      for (int64_t i = k; i < m; ++i)
        dot += v[i - k] * q[i * n + j];
      for (int64_t i = k; i < m; ++i)
        q[i * n + j] -= 2 * dot * v[i - k];
    }
  }
  // Column signs so that diag(R) >= 0 (PyTorch: q *= sign(diag(r))).
  for (int64_t j = 0; j < n; ++j)
    if (rdiag[j] < 0)
      for (int64_t i = 0; i < m; ++i)
        q[i * n + j] = -q[i * n + j];
  return q;
}

} // namespace

double calculate_gain(const std::string &nonlinearity,
                      std::optional<double> param) {
  static const char *linear_fns[] = {
      "linear",           "conv1d",           "conv2d",          "conv3d",
      "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"};
  for (const char *f : linear_fns)
    if (nonlinearity == f)
      return 1;
  if (nonlinearity == "sigmoid")
    return 1;
  if (nonlinearity == "tanh")
    return 5.0 / 3;
  if (nonlinearity == "relu")
    return std::sqrt(2.0);
  if (nonlinearity == "leaky_relu") {
    const double slope = param.value_or(0.01);
    EMBER_CHECK(std::isfinite(slope), "nn::init::calculate_gain",
                "negative_slope ", slope, " not a valid number");
    return std::sqrt(2.0 / (1 + slope * slope));
  }
  if (nonlinearity == "selu")
    return 3.0 / 4;
  EMBER_FAIL("nn::init::calculate_gain", "Unsupported nonlinearity ",
             nonlinearity);
}

std::pair<int64_t, int64_t> _calculate_fan_in_and_fan_out(const Tensor &t) {
  check_defined(t, "_calculate_fan_in_and_fan_out");
  EMBER_CHECK(t.dim() >= 2, "nn::init",
              "Fan in and fan out can not be computed for tensor with fewer "
              "than 2 dimensions (got a tensor of size ",
              t.sizes(), ")");
  int64_t receptive = 1;
  for (int64_t d = 2; d < t.dim(); ++d)
    receptive *= t.size(d);
  return {t.size(1) * receptive, t.size(0) * receptive};
}

Tensor uniform_(Tensor tensor, double a, double b) {
  check_defined(tensor, "uniform_");
  NoGradGuard no_grad;
  tensor.uniform_(a, b);
  return tensor;
}

Tensor normal_(Tensor tensor, double mean, double std) {
  check_defined(tensor, "normal_");
  NoGradGuard no_grad;
  tensor.normal_(mean, std);
  return tensor;
}

Tensor constant_(Tensor tensor, double value) {
  check_defined(tensor, "constant_");
  NoGradGuard no_grad;
  tensor.fill_(value);
  return tensor;
}

Tensor zeros_(Tensor tensor) { return constant_(std::move(tensor), 0); }

Tensor ones_(Tensor tensor) { return constant_(std::move(tensor), 1); }

Tensor eye_(Tensor tensor) {
  check_defined(tensor, "eye_");
  EMBER_CHECK(tensor.dim() == 2, "nn::init::eye_",
              "Only tensors with 2 dimensions are supported (got a tensor of "
              "size ",
              tensor.sizes(), ")");
  NoGradGuard no_grad;
  tensor.copy_(eye(tensor.size(0), tensor.size(1),
                   TensorOptions().dtype(tensor.dtype())));
  return tensor;
}

Tensor xavier_uniform_(Tensor tensor, double gain) {
  auto [fan_in, fan_out] = _calculate_fan_in_and_fan_out(tensor);
  const double std =
      gain * std::sqrt(2.0 / static_cast<double>(fan_in + fan_out));
  return uniform_(std::move(tensor), -std::sqrt(3.0) * std,
                  std::sqrt(3.0) * std);
}

Tensor xavier_normal_(Tensor tensor, double gain) {
  auto [fan_in, fan_out] = _calculate_fan_in_and_fan_out(tensor);
  const double std =
      gain * std::sqrt(2.0 / static_cast<double>(fan_in + fan_out));
  return normal_(std::move(tensor), 0, std);
}

Tensor kaiming_uniform_(Tensor tensor, double a, const std::string &mode,
                        const std::string &nonlinearity) {
  check_defined(tensor, "kaiming_uniform_");
  if (is_empty(tensor))
    return tensor; // PyTorch warns: a no-op
  const int64_t fan = correct_fan(tensor, mode);
  const double std =
      calculate_gain(nonlinearity, a) / std::sqrt(static_cast<double>(fan));
  const double bound = std::sqrt(3.0) * std;
  return uniform_(std::move(tensor), -bound, bound);
}

Tensor kaiming_normal_(Tensor tensor, double a, const std::string &mode,
                       const std::string &nonlinearity) {
  check_defined(tensor, "kaiming_normal_");
  if (is_empty(tensor))
    return tensor;
  const int64_t fan = correct_fan(tensor, mode);
  const double std =
      calculate_gain(nonlinearity, a) / std::sqrt(static_cast<double>(fan));
  return normal_(std::move(tensor), 0, std);
}

Tensor orthogonal_(Tensor tensor, double gain) {
  check_defined(tensor, "orthogonal_");
  EMBER_CHECK(tensor.dim() >= 2, "nn::init::orthogonal_",
              "Only tensors with 2 or more dimensions are supported (got a "
              "tensor of size ",
              tensor.sizes(), ")");
  if (tensor.numel() == 0)
    return tensor;
  NoGradGuard no_grad;
  const int64_t rows = tensor.size(0), cols = tensor.numel() / rows;
  Tensor flat = randn({rows, cols}, TensorOptions().dtype(kFloat64));
  const bool wide = rows < cols;
  if (wide)
    flat = flat.t();
  flat = flat.contiguous();
  const int64_t m = flat.size(0), n = flat.size(1);
  const double *p = flat.data_ptr<double>();
  std::vector<double> q =
      householder_q(std::vector<double>(p, p + m * n), m, n);
  Tensor qt = ember::tensor(q).reshape({m, n});
  if (wide)
    qt = qt.t();
  tensor.copy_(qt.reshape(tensor.sizes()).mul(gain));
  return tensor;
}

} // namespace ember::nn::init

// Shared test helpers: PyTorch goldens (.npy under test/golden/, made by
// test/golden/make_goldens.py) and tensor comparisons with stated tolerances.
#pragma once

#include <ember/ember.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>

namespace ember::testing {

/// Sets an environment variable while alive.
struct EnvVar {
  std::string name;
  EnvVar(const char *n, const char *v) : name(n) { ::setenv(n, v, 1); }
  ~EnvVar() { ::unsetenv(name.c_str()); }
};

/// Captures ember::log lines (all levels) while alive.
struct LogCapture {
  std::ostringstream os;
  LogCapture() {
    log::set_sink(os);
    log::set_level(log::Level::Debug);
  }
  ~LogCapture() {
    log::reset_sink();
    log::reload_level_from_env();
  }
  std::string text() const { return os.str(); }
};

/// test/golden/<topic>/<name>.npy
inline Tensor golden(const std::string &topic, const std::string &name) {
  return load_npy(std::string(EMBER_GOLDEN_DIR) + "/" + topic + "/" + name +
                  ".npy");
}

/// Exact equality of shape, dtype and every element (NaNs equal).
inline ::testing::AssertionResult tensors_equal(const Tensor &a,
                                                const Tensor &b) {
  if (a.dtype() != b.dtype())
    return ::testing::AssertionFailure()
           << "dtype " << a.dtype() << " vs " << b.dtype();
  if (!(a.sizes() == b.sizes()))
    return ::testing::AssertionFailure()
           << "shape " << a.sizes() << " vs " << b.sizes();
  Tensor x = a.contiguous().to(kFloat64), y = b.contiguous().to(kFloat64);
  const double *p = x.data_ptr<double>(), *q = y.data_ptr<double>();
  for (int64_t i = 0; i < x.numel(); ++i) {
    bool both_nan = std::isnan(p[i]) && std::isnan(q[i]);
    if (!both_nan && p[i] != q[i])
      return ::testing::AssertionFailure()
             << "element " << i << ": " << p[i] << " vs " << q[i];
  }
  return ::testing::AssertionSuccess();
}

/// |a - b| <= atol + rtol * |b| elementwise, same shape and dtype (NaNs and
/// infinities must match exactly).
inline ::testing::AssertionResult allclose(const Tensor &a, const Tensor &b,
                                           double rtol = 1e-5,
                                           double atol = 1e-6,
                                           bool check_dtype = true) {
  if (check_dtype && a.dtype() != b.dtype())
    return ::testing::AssertionFailure()
           << "dtype " << a.dtype() << " vs " << b.dtype();
  if (!(a.sizes() == b.sizes()))
    return ::testing::AssertionFailure()
           << "shape " << a.sizes() << " vs " << b.sizes();
  Tensor x = a.contiguous().to(kFloat64), y = b.contiguous().to(kFloat64);
  const double *p = x.data_ptr<double>(), *q = y.data_ptr<double>();
  for (int64_t i = 0; i < x.numel(); ++i) {
    if (std::isnan(p[i]) || std::isnan(q[i]) || std::isinf(p[i]) ||
        std::isinf(q[i])) {
      if (!(std::isnan(p[i]) && std::isnan(q[i])) && p[i] != q[i])
        return ::testing::AssertionFailure()
               << "element " << i << ": " << p[i] << " vs " << q[i];
      continue;
    }
    if (std::abs(p[i] - q[i]) > atol + rtol * std::abs(q[i]))
      return ::testing::AssertionFailure()
             << "element " << i << ": " << p[i] << " vs " << q[i] << " (|diff| "
             << std::abs(p[i] - q[i]) << ")";
  }
  return ::testing::AssertionSuccess();
}

/// Exact for integer/bool results; for floats, tolerances that allow a
/// different summation order than PyTorch's (BLAS, reductions).
inline ::testing::AssertionResult matches_golden(const Tensor &got,
                                                 const Tensor &want) {
  if (!is_floating_point(want.dtype()))
    return tensors_equal(got, want);
  double rtol = want.dtype() == kFloat32 ? 1e-4 : 1e-10;
  double atol = want.dtype() == kFloat32 ? 1e-5 : 1e-12;
  return allclose(got, want, rtol, atol);
}

/// A float64 tensor from values (gradient tests).
inline Tensor d(std::initializer_list<double> v) {
  return tensor(std::vector<double>(v));
}

/// A normally distributed float64 leaf that requires grad (gradcheck input).
inline Tensor leaf(IntArrayRef shape) {
  return randn(shape, dtype(kFloat64)).requires_grad_();
}

/// As leaf(), but non-contiguous: the transpose of a contiguous tensor
/// (shape needs >= 2 dims).
inline Tensor leaf_t(IntArrayRef shape) {
  DimVector s(shape.begin(), shape.end());
  std::swap(s[0], s[1]);
  Tensor t = randn(s, dtype(kFloat64)).transpose(0, 1).detach();
  EXPECT_FALSE(t.is_contiguous());
  return t.requires_grad_();
}

/// EXPECT that `stmt` throws ember::Error whose message contains `substr`.
#define EXPECT_EMBER_ERROR(stmt, substr)                                       \
  do {                                                                         \
    try {                                                                      \
      stmt;                                                                    \
      ADD_FAILURE() << "expected ember::Error containing '" << substr << "'";  \
    } catch (const ::ember::Error &e) {                                        \
      EXPECT_NE(std::string(e.what()).find(substr), std::string::npos)         \
          << "message: " << e.what();                                          \
    }                                                                          \
  } while (0)

/// Copies `from`'s parameters into `to` (a second model of the same
/// architecture: the eager reference of a compiled run).
inline void copy_params(nn::Module &from, nn::Module &to) {
  NoGradGuard no_grad;
  auto a = from.parameters(), b = to.parameters();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i)
    b[i].copy_(a[i]);
}

} // namespace ember::testing

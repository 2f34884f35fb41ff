// The JIT's f32 transcendentals (ember-approximate-math: MLIR's polynomial
// approximations, so the loops vectorize) against ember's eager kernels
// (libm) over wide input ranges: a dense grid on [-20, 20], magnitudes from
// 1e-38 to 3e38 of both signs, denormals, 0, -0, +-inf and NaN. NaN and
// infinities must match exactly; finite results within the per-op bound
// below, which is also what the README states:
//   exp, log1p, tanh, sigmoid, erf-gelu, tanh-gelu, silu, softplus:
//     |compiled - eager| <= 2e-6 * |eager| + 1e-6  (about 16 ulp + 1e-6 abs;
//     measured: 3e-7 relative where |eager| > 1e-3 for exp, log1p, tanh,
//     sigmoid, silu, softplus; gelu's 1 + erf(x) cancels for x < -3, where
//     the absolute error stays under 1e-6),
// inside the JIT corpus tolerance (rtol 1e-5, atol 1e-6). log, sin, cos and
// f64 math stay libm calls in the JIT (MLIR's log approximation is 0.2% off
// on denormal inputs; sin/cos lack range reduction): compiled = eager.
#include "test_util.h"

#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <vector>

using namespace ember;
using namespace ember::testing;

namespace {

std::vector<float> wideInputs() {
  std::vector<float> v;
  for (int i = -4000; i <= 4000; ++i) // step 0.005 over [-20, 20]
    v.push_back(static_cast<float>(i) * 0.005f);
  for (double e = -38; e <= 38.5; e += 0.05) {
    v.push_back(static_cast<float>(std::pow(10.0, e)));
    v.push_back(-static_cast<float>(std::pow(10.0, e)));
  }
  for (float x : {80.f, 87.f, 88.5f, 89.f, -87.f, -88.f, -100.f, -104.f, 1e-40f,
                  -1e-40f, 1e-45f, 0.f, -0.f})
    v.push_back(x);
  v.push_back(std::numeric_limits<float>::max());
  v.push_back(std::numeric_limits<float>::lowest());
  v.push_back(std::numeric_limits<float>::infinity());
  v.push_back(-std::numeric_limits<float>::infinity());
  v.push_back(std::numeric_limits<float>::quiet_NaN());
  return v;
}

struct MathCase {
  const char *name;
  std::function<Tensor(const Tensor &)> fn;
};

class JitMath : public ::testing::TestWithParam<MathCase> {};

TEST_P(JitMath, CompiledMatchesLibmOverWideRanges) {
  const MathCase &c = GetParam();
  std::vector<float> values = wideInputs();
  Tensor x =
      from_blob(values.data(), {static_cast<int64_t>(values.size())}).clone();
  Tensor want = c.fn(x);
  auto f = jit::compile(c.fn, {.name = c.name});
  f(x);
  Tensor got = f(x);
#if EMBER_TEST_HAS_COMPILER
  ASSERT_GT(f.stats().compiled_calls, 0) << c.name;
#endif
  // The measured worst case, for the README's numbers.
  const float *g = got.data_ptr<float>(), *w = want.data_ptr<float>();
  double worstRel = 0;
  for (int64_t i = 0; i < got.numel(); ++i)
    if (std::isfinite(w[i]) && std::abs(w[i]) > 1e-3)
      worstRel = std::max(worstRel, std::abs(double(g[i]) - w[i]) /
                                        std::abs(double(w[i])));
  std::printf("%s: worst relative error %.3g (|eager| > 1e-3)\n", c.name,
              worstRel);
  EXPECT_TRUE(allclose(got, want, 2e-6, 1e-6)) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Transcendentals, JitMath,
    ::testing::Values(
        MathCase{"exp", [](const Tensor &x) { return exp(x); }},
        MathCase{"log", [](const Tensor &x) { return log(x); }},
        MathCase{"log1p", [](const Tensor &x) { return log1p(x); }},
        MathCase{"tanh", [](const Tensor &x) { return tanh(x); }},
        MathCase{"sigmoid", [](const Tensor &x) { return sigmoid(x); }},
        MathCase{"gelu_erf", [](const Tensor &x) { return gelu(x); }},
        MathCase{"gelu_tanh", [](const Tensor &x) { return gelu(x, "tanh"); }},
        MathCase{"silu", [](const Tensor &x) { return x * sigmoid(x); }},
        MathCase{"softplus", [](const Tensor &x) { return log1p(exp(x)); }},
        MathCase{"sin", [](const Tensor &x) { return sin(x); }},
        MathCase{"cos", [](const Tensor &x) { return cos(x); }}),
    [](const ::testing::TestParamInfo<MathCase> &info) {
      return std::string(info.param.name);
    });

} // namespace

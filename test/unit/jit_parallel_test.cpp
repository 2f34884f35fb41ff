// Compiled code on ember's pool and through the runtime's GEMM
// (compiled_abi.h): big loops are split over the pool along parallel dims
// only, so a compiled function gives bit-identical results with 1 and 2
// threads (reductions keep their sequential order); matrix products called
// and convolutions (im2col + GEMM) called from compiled code match eager
// (rtol 1e-5 / atol 1e-6, as the corpus), on transposed operands too.
#include "test_util.h"

using namespace ember;
using namespace ember::testing;

namespace {

struct ThreadCount {
  int saved = get_num_threads();
  explicit ThreadCount(int n) { set_num_threads(n); }
  ~ThreadCount() { set_num_threads(saved); }
};

TensorList run(jit::CompiledFunction &f, const TensorList &in, int threads) {
  ThreadCount t(threads);
  f(in);
  return f(in);
}

TEST(JitParallel, ResultsDoNotDependOnTheThreadCount) {
  NoGradGuard no_grad;
  manual_seed(3);
  TensorList in = {randn({384, 1000}), randn({1000})};
  auto fn = [](const TensorList &t) -> TensorList {
    Tensor y = tanh(t[0] * t[1] + 1);
    return {y, y.sum({1}), (y * y).mean({0}), amax(exp(-y), {1})};
  };
  auto f1 = jit::CompiledFunction(fn, {.name = "par_threads"});
  auto f2 = jit::CompiledFunction(fn, {.name = "par_threads"});
  TensorList one = run(f1, in, 1), two = run(f2, in, 2);
#if EMBER_TEST_HAS_COMPILER
  EXPECT_GT(f1.stats().compiled_calls, 0);
  EXPECT_GT(f2.stats().compiled_calls, 0);
#endif
  TensorList want = fn(in);
  ASSERT_EQ(one.size(), two.size());
  for (size_t k = 0; k < one.size(); ++k) {
    EXPECT_TRUE(tensors_equal(one[k], two[k])) << "output " << k;
    EXPECT_TRUE(allclose(two[k], want[k], 1e-5, 1e-6)) << "output " << k;
  }
}

TEST(JitParallel, CompiledMatmulsMatchEager) {
  NoGradGuard no_grad;
  // GEMM traces compile (the runtime's GEMM), not stay eager.
  manual_seed(5);
  TensorList in = {randn({64, 96}), randn({80, 96}), randn({4, 16, 8}),
                   randn({4, 8, 12}), randn({96, 64}, dtype(kFloat64))};
  auto fn = [](const TensorList &t) -> TensorList {
    return {relu(mm(t[0], t[1].t())), // transposed B
            bmm(t[2], t[3]) * 2,      // batched
            mm(t[4].t(), t[4]),       // f64, transposed A
            matmul(t[0], t[1].t()).sum({1})};
  };
  auto f = jit::CompiledFunction(fn, {.name = "par_gemm"});
  TensorList want = fn(in);
  for (int threads : {1, 2}) {
    ThreadCount tc(threads);
    f(in);
    TensorList got = f(in);
    for (size_t k = 0; k < want.size(); ++k)
      EXPECT_TRUE(allclose(got[k], want[k], 1e-5, 1e-6))
          << "output " << k << " threads " << threads;
  }
#if EMBER_TEST_HAS_COMPILER
  EXPECT_GT(f.stats().compiled_calls, 0);
#endif
}

TEST(JitParallel, CompiledConvolutionsMatchEager) {
  NoGradGuard no_grad;
  manual_seed(9);
  TensorList in = {randn({2, 3, 11, 9}), randn({4, 3, 3, 3}), randn({4}),
                   randn({1, 2, 8, 8}, dtype(kFloat64)),
                   randn({3, 2, 2, 2}, dtype(kFloat64))};
  auto fn = [](const TensorList &t) -> TensorList {
    return {relu(conv2d(t[0], t[1], t[2], {1, 1}, {1, 1})),      // padded
            conv2d(t[0], t[1], {}, {2, 1}, {0, 2}, {1, 2}),      // strided
            conv2d(t[3], t[4], {}, {1, 1}, {0, 0}, {2, 2}) + 1}; // f64
  };
  auto f = jit::CompiledFunction(fn, {.name = "par_conv"});
  TensorList want = fn(in);
  f(in);
  TensorList got = f(in);
  for (size_t k = 0; k < want.size(); ++k)
    EXPECT_TRUE(allclose(got[k], want[k], 1e-5, 1e-6)) << "output " << k;
#if EMBER_TEST_HAS_COMPILER
  EXPECT_GT(f.stats().compiled_calls, 0);
#endif
}

} // namespace

// The FMA peak of one core, measured: independent FMA chains on the widest
// vectors the host runs (AVX-512, else AVX2+FMA, else scalar), selected at
// run time so the binary needs no -march flag. It is the ceiling a GEMM on
// one thread can approach; jit_bench prints OpenBLAS's GEMM rates against
// it.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ember::bench {

struct FmaPeak {
  double gflops = 0;
  std::string isa;
};

namespace detail {

// 16 independent accumulators: enough to cover FMA latency (4-5 cycles) times
// the FMA ports (2) on current x86 cores, and few enough to stay in registers.
template <class Fn> double time_gflops(Fn fn, double flops_per_call) {
  fn(); // warm up (clock ramp, page in)
  double best = 0;
  // The best of many short runs: a run the scheduler interrupts only
  // lowers its own rate.
  for (int rep = 0; rep < 25; ++rep) {
    auto t0 = std::chrono::steady_clock::now();
    fn();
    double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
    best = std::max(best, flops_per_call / s * 1e-9);
  }
  return best;
}

constexpr int64_t kIters = 1'000'000; // ~10-20 ms per run
constexpr int kChains = 16;

#if defined(__x86_64__)
__attribute__((target("avx512f"))) inline float fma_avx512() {
  __m512 acc[kChains];
  for (int i = 0; i < kChains; ++i)
    acc[i] = _mm512_set1_ps(0.001f * static_cast<float>(i));
  const __m512 a = _mm512_set1_ps(0.9999999f), b = _mm512_set1_ps(1e-7f);
  for (int64_t k = 0; k < kIters; ++k)
    for (int i = 0; i < kChains; ++i)
      acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  __m512 sum = acc[0];
  for (int i = 1; i < kChains; ++i)
    sum = _mm512_add_ps(sum, acc[i]);
  // (_mm512_reduce_add_ps trips g++ 12's -Wuninitialized.)
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, sum);
  float s = 0;
  for (float v : lanes)
    s += v;
  return s;
}

__attribute__((target("avx2,fma"))) inline float fma_avx2() {
  __m256 acc[kChains];
  for (int i = 0; i < kChains; ++i)
    acc[i] = _mm256_set1_ps(0.001f * static_cast<float>(i));
  const __m256 a = _mm256_set1_ps(0.9999999f), b = _mm256_set1_ps(1e-7f);
  for (int64_t k = 0; k < kIters; ++k)
    for (int i = 0; i < kChains; ++i)
      acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  __m256 sum = acc[0];
  for (int i = 1; i < kChains; ++i)
    sum = _mm256_add_ps(sum, acc[i]);
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, sum);
  float s = 0;
  for (float v : lanes)
    s += v;
  return s;
}
#endif

} // namespace detail

/// The measured single-thread FP32 FMA peak in GFLOP/s (an FMA counts 2).
inline FmaPeak fma_peak() {
  FmaPeak best;
#if defined(__x86_64__)
  volatile float sink = 0;
  if (__builtin_cpu_supports("avx512f")) {
    double g = detail::time_gflops([&] { sink = detail::fma_avx512(); },
                                   2.0 * 16 * detail::kChains * detail::kIters);
    if (g > best.gflops)
      best = {g, "AVX-512"};
  }
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    double g = detail::time_gflops([&] { sink = detail::fma_avx2(); },
                                   2.0 * 8 * detail::kChains * detail::kIters);
    if (g > best.gflops)
      best = {g, "AVX2+FMA"};
  }
  (void)sink;
#endif
  return best;
}

} // namespace ember::bench

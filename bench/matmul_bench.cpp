// ember::mm against cblas_sgemm called directly on the same buffers
// (square float32, sizes 256..2048). Prints GFLOP/s of each and the ratio
// baseline_time / ember_time (target >= 0.90). Both run with the thread count
// ember gives OpenBLAS (EMBER_NUM_THREADS or the core count).
#include "bench_util.h"

#include <ember/ember.h>

#include <cblas.h>

#include <cstdint>
#include <utility>

using namespace ember;

namespace {

Tensor filled(int64_t n, float seed) {
  Tensor t = empty({n, n});
  float *p = t.data_ptr<float>();
  for (int64_t i = 0; i < n * n; ++i)
    p[i] =
        static_cast<float>((i * 37 + static_cast<int64_t>(seed * 11)) % 101) /
            101.0f -
        0.5f;
  return t;
}

void set_flops(benchmark::State &state, int64_t n) {
  state.counters["GFLOP/s"] =
      benchmark::Counter(2.0 * static_cast<double>(n) * n * n,
                         benchmark::Counter::kIsIterationInvariantRate,
                         benchmark::Counter::kIs1000);
}

void BM_ember_mm(benchmark::State &state) {
  const int64_t n = state.range(0);
  Tensor a = filled(n, 1), b = filled(n, 2);
  for (auto _ : state) {
    Tensor c = mm(a, b);
    benchmark::DoNotOptimize(c.raw_data_ptr());
  }
  set_flops(state, n);
}

void BM_cblas_sgemm(benchmark::State &state) {
  const int64_t n = state.range(0);
  Tensor a = filled(n, 1), b = filled(n, 2), c = empty({n, n});
  const int ni = static_cast<int>(n);
  for (auto _ : state) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, ni, ni, ni, 1.0f,
                a.data_ptr<float>(), ni, b.data_ptr<float>(), ni, 0.0f,
                c.data_ptr<float>(), ni);
    benchmark::DoNotOptimize(c.raw_data_ptr());
  }
  set_flops(state, n);
}

// A transposed operand goes to BLAS as CblasTrans (no copy).
void BM_ember_mm_transposed(benchmark::State &state) {
  const int64_t n = state.range(0);
  Tensor a = filled(n, 1), b = filled(n, 2);
  for (auto _ : state) {
    Tensor c = mm(a.t(), b);
    benchmark::DoNotOptimize(c.raw_data_ptr());
  }
  set_flops(state, n);
}

void BM_cblas_sgemm_transposed(benchmark::State &state) {
  const int64_t n = state.range(0);
  Tensor a = filled(n, 1), b = filled(n, 2), c = empty({n, n});
  const int ni = static_cast<int>(n);
  for (auto _ : state) {
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, ni, ni, ni, 1.0f,
                a.data_ptr<float>(), ni, b.data_ptr<float>(), ni, 0.0f,
                c.data_ptr<float>(), ni);
    benchmark::DoNotOptimize(c.raw_data_ptr());
  }
  set_flops(state, n);
}

// bmm runs its batches one after another, each GEMM on OpenBLAS's threads;
// the baseline is the same loop of cblas_sgemm calls written out here.
Tensor filled3(int64_t b, int64_t n, float seed) {
  Tensor t = empty({b, n, n});
  float *p = t.data_ptr<float>();
  for (int64_t i = 0; i < t.numel(); ++i)
    p[i] =
        static_cast<float>((i * 37 + static_cast<int64_t>(seed * 11)) % 101) /
            101.0f -
        0.5f;
  return t;
}

void BM_ember_bmm(benchmark::State &state) {
  const int64_t b = state.range(0), n = state.range(1);
  Tensor x = filled3(b, n, 1), y = filled3(b, n, 2);
  for (auto _ : state) {
    Tensor c = bmm(x, y);
    benchmark::DoNotOptimize(c.raw_data_ptr());
  }
  state.counters["GFLOP/s"] =
      benchmark::Counter(2.0 * static_cast<double>(b * n * n * n),
                         benchmark::Counter::kIsIterationInvariantRate,
                         benchmark::Counter::kIs1000);
}

void BM_cblas_sgemm_loop(benchmark::State &state) {
  const int64_t b = state.range(0), n = state.range(1);
  Tensor x = filled3(b, n, 1), y = filled3(b, n, 2), c = empty({b, n, n});
  const int ni = static_cast<int>(n);
  for (auto _ : state) {
    for (int64_t i = 0; i < b; ++i)
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, ni, ni, ni, 1.0f,
                  x.data_ptr<float>() + i * n * n, ni,
                  y.data_ptr<float>() + i * n * n, ni, 0.0f,
                  c.data_ptr<float>() + i * n * n, ni);
    benchmark::DoNotOptimize(c.raw_data_ptr());
  }
  state.counters["GFLOP/s"] =
      benchmark::Counter(2.0 * static_cast<double>(b * n * n * n),
                         benchmark::Counter::kIsIterationInvariantRate,
                         benchmark::Counter::kIs1000);
}

constexpr int64_t kSizes[] = {256, 512, 1024, 2048};

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  // ember and cblas alternate size by size, so load changes on a shared
  // machine hit both alike.
  for (int64_t n : kSizes) {
    benchmark::RegisterBenchmark("BM_ember_mm", BM_ember_mm)
        ->Arg(n)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark("BM_cblas_sgemm", BM_cblas_sgemm)
        ->Arg(n)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  for (auto [b, n] : {std::pair<int64_t, int64_t>{256, 32}, {16, 256}}) {
    benchmark::RegisterBenchmark("BM_ember_bmm", BM_ember_bmm)
        ->Args({b, n})
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark("BM_cblas_sgemm_loop", BM_cblas_sgemm_loop)
        ->Args({b, n})
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  benchmark::RegisterBenchmark("BM_ember_mm_transposed", BM_ember_mm_transposed)
      ->Arg(1024)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("BM_cblas_sgemm_transposed",
                               BM_cblas_sgemm_transposed)
      ->Arg(1024)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  std::printf("ember threads (and OpenBLAS threads): %d\n", get_num_threads());
  ember::bench::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  std::printf("\nratio = cblas time / ember time (target >= 0.90)\n");
  for (int64_t n : kSizes) {
    char e[64], b[64];
    std::snprintf(e, sizeof e, "BM_ember_mm/%lld/real_time",
                  static_cast<long long>(n));
    std::snprintf(b, sizeof b, "BM_cblas_sgemm/%lld/real_time",
                  static_cast<long long>(n));
    reporter.print_ratio(e, b, 2.0 * static_cast<double>(n * n * n));
  }
  reporter.print_ratio("BM_ember_mm_transposed/1024/real_time",
                       "BM_cblas_sgemm_transposed/1024/real_time",
                       2.0 * 1024 * 1024 * 1024);
  reporter.print_ratio("BM_ember_bmm/256/32/real_time",
                       "BM_cblas_sgemm_loop/256/32/real_time",
                       2.0 * 256 * 32 * 32 * 32);
  reporter.print_ratio("BM_ember_bmm/16/256/real_time",
                       "BM_cblas_sgemm_loop/16/256/real_time",
                       2.0 * 16 * 256 * 256 * 256);
  benchmark::Shutdown();
  return 0;
}

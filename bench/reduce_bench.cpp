// ember::sum over a 4M-element float32 tensor against a plain scalar loop
// summing the same buffer (double accumulator, one element at a time: the
// loop a user would write). BM_SumVsScalarLoop times both in the same
// iterations and reports the ratio as the counter `speedup`
// (scalar time / ember time).
#include <benchmark/benchmark.h>
#include <ember/ember.h>

#include <chrono>

namespace {

constexpr int64_t kN = int64_t{1} << 22; // 4M elements

const ember::Tensor &input() {
  static const ember::Tensor x = [] {
    ember::Tensor t =
        ember::empty({kN}, ember::TensorOptions().dtype(ember::kFloat32));
    float *p = t.data_ptr<float>();
    uint32_t s = 12345;
    for (int64_t i = 0; i < kN; ++i) {
      s = s * 1664525u + 1013904223u;
      p[i] = static_cast<float>((s >> 8) * (1.0 / 16777216.0));
    }
    return t;
  }();
  return x;
}

double scalar_sum(const float *p, int64_t n) {
  double acc = 0;
  for (int64_t i = 0; i < n; ++i)
    acc += p[i];
  return acc;
}

void set_rate(benchmark::State &st) {
  st.SetItemsProcessed(st.iterations() * kN);
  st.SetBytesProcessed(st.iterations() * kN *
                       static_cast<int64_t>(sizeof(float)));
}

void BM_EmberSum(benchmark::State &st) {
  const ember::Tensor &x = input();
  for (auto _ : st) {
    ember::Tensor s = ember::sum(x);
    benchmark::DoNotOptimize(s.data_ptr<float>());
  }
  set_rate(st);
  st.counters["threads"] = ember::get_num_threads();
}

void BM_ScalarLoop(benchmark::State &st) {
  const float *p = input().data_ptr<float>();
  for (auto _ : st) {
    double s = scalar_sum(p, kN);
    benchmark::DoNotOptimize(s);
  }
  set_rate(st);
}

void BM_SumVsScalarLoop(benchmark::State &st) {
  const ember::Tensor &x = input();
  const float *p = x.data_ptr<float>();
  using clock = std::chrono::steady_clock;
  double ember_s = 0, scalar_s = 0;
  for (auto _ : st) {
    auto t0 = clock::now();
    ember::Tensor s = ember::sum(x);
    benchmark::DoNotOptimize(s.data_ptr<float>());
    auto t1 = clock::now();
    double r = scalar_sum(p, kN);
    benchmark::DoNotOptimize(r);
    auto t2 = clock::now();
    ember_s += std::chrono::duration<double>(t1 - t0).count();
    scalar_s += std::chrono::duration<double>(t2 - t1).count();
  }
  const double it = static_cast<double>(st.iterations());
  st.counters["ember_ms"] = 1e3 * ember_s / it;
  st.counters["scalar_ms"] = 1e3 * scalar_s / it;
  st.counters["speedup"] = scalar_s / ember_s;
  st.counters["threads"] = ember::get_num_threads();
}

} // namespace

BENCHMARK(BM_EmberSum)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_ScalarLoop)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_SumVsScalarLoop)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_MAIN();

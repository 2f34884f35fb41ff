// ember::sum over a 4M-element float32 tensor against a plain scalar loop
// summing the same buffer in this binary (double accumulator, one element at
// a time: the loop a user would write, with the same accuracy as ember's).
//
//   BM_ScalarSum            the baseline loop
//   BM_EmberSum/<threads>   ember::sum with 1 and 2 threads
//   BM_SumVsScalar/<thr>    both timed in the same iterations (robust to
//                           load changes); counters ember_ms, scalar_ms and
//                           speedup = scalar time / ember time
// After the runs, run_with_ratios prints baseline time / ember time from the
// medians (pass --benchmark_repetitions=N for medians over N runs).
#include "bench_util.h"

#include <ember/ember.h>

#include <chrono>
#include <string>

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

void BM_ScalarSum(benchmark::State &st) {
  const float *p = input().data_ptr<float>();
  for (auto _ : st) {
    double s = scalar_sum(p, kN);
    benchmark::DoNotOptimize(s);
  }
  set_rate(st);
}

void BM_EmberSum(benchmark::State &st) {
  ember::set_num_threads(static_cast<int>(st.range(0)));
  const ember::Tensor &x = input();
  for (auto _ : st) {
    ember::Tensor s = ember::sum(x);
    benchmark::DoNotOptimize(s.raw_data_ptr());
  }
  set_rate(st);
}

void BM_SumVsScalar(benchmark::State &st) {
  ember::set_num_threads(static_cast<int>(st.range(0)));
  const ember::Tensor &x = input();
  const float *p = x.data_ptr<float>();
  using clock = std::chrono::steady_clock;
  double ember_s = 0, scalar_s = 0;
  for (auto _ : st) {
    auto t0 = clock::now();
    ember::Tensor s = ember::sum(x);
    benchmark::DoNotOptimize(s.raw_data_ptr());
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
}

} // namespace

BENCHMARK(BM_ScalarSum)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EmberSum)
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SumVsScalar)
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

int main(int argc, char **argv) {
  return ember::bench::run_with_ratios(
      argc, argv,
      {{"BM_EmberSum/1/real_time", "BM_ScalarSum/real_time", "time"},
       {"BM_EmberSum/2/real_time", "BM_ScalarSum/real_time", "time"}});
}

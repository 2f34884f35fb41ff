// Elementwise add on 4M floats against a STREAM-style loop in the same
// binary (bandwidth), and the per-op eager overhead on 1-element tensors.
#include "bench_util.h"

#include <ember/ember.h>

#include <vector>

namespace {

constexpr int64_t kN = 4 << 20;

// Bytes moved by c = a + b: two reads and one write.
void set_bytes(benchmark::State &st, int64_t n) {
  st.SetBytesProcessed(st.iterations() * n * 3 *
                       static_cast<int64_t>(sizeof(float)));
}

void BM_StreamAdd(benchmark::State &st) {
  const int64_t n = st.range(0);
  std::vector<float> a(n, 1.f), b(n, 2.f), c(n);
  for (auto _ : st) {
    float *__restrict pc = c.data();
    const float *__restrict pa = a.data(), *__restrict pb = b.data();
    for (int64_t i = 0; i < n; ++i)
      pc[i] = pa[i] + pb[i];
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  set_bytes(st, n);
}

void BM_EmberAdd(benchmark::State &st) {
  ember::set_num_threads(static_cast<int>(st.range(1)));
  const int64_t n = st.range(0);
  ember::Tensor a = ember::ones({n}), b = ember::full({n}, 2.0);
  for (auto _ : st) {
    ember::Tensor c = a + b; // allocates its output, as eager code does
    benchmark::DoNotOptimize(c.raw_data_ptr());
  }
  set_bytes(st, n);
}

void BM_EmberAddInplace(benchmark::State &st) {
  ember::set_num_threads(static_cast<int>(st.range(1)));
  const int64_t n = st.range(0);
  ember::Tensor a = ember::ones({n}), b = ember::full({n}, 2.0);
  for (auto _ : st) {
    a.add_(b);
    benchmark::DoNotOptimize(a.raw_data_ptr());
  }
  set_bytes(st, n);
}

// Eager overhead: everything but the one-element kernel (argument checks,
// dispatch, output allocation, hooks).
void BM_OverheadAdd1(benchmark::State &st) {
  ember::set_num_threads(1);
  ember::Tensor a = ember::ones({1}), b = ember::ones({1});
  for (auto _ : st) {
    ember::Tensor c = a + b;
    benchmark::DoNotOptimize(c.raw_data_ptr());
  }
}

void BM_OverheadMulScalar1(benchmark::State &st) {
  ember::set_num_threads(1);
  ember::Tensor a = ember::ones({1});
  for (auto _ : st) {
    ember::Tensor c = a * 2.0;
    benchmark::DoNotOptimize(c.raw_data_ptr());
  }
}

void BM_OverheadRelu1(benchmark::State &st) {
  ember::set_num_threads(1);
  ember::Tensor a = ember::ones({1});
  for (auto _ : st) {
    ember::Tensor c = ember::relu(a);
    benchmark::DoNotOptimize(c.raw_data_ptr());
  }
}

void BM_OverheadView1(benchmark::State &st) {
  ember::Tensor a = ember::ones({1});
  for (auto _ : st) {
    ember::Tensor c = a.view({1, 1});
    benchmark::DoNotOptimize(c.unsafe_impl());
  }
}

} // namespace

BENCHMARK(BM_StreamAdd)->Arg(kN)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_EmberAdd)
    ->Args({kN, 1})
    ->Args({kN, 2})
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_EmberAddInplace)
    ->Args({kN, 1})
    ->Args({kN, 2})
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_OverheadAdd1);
BENCHMARK(BM_OverheadMulScalar1);
BENCHMARK(BM_OverheadRelu1);
BENCHMARK(BM_OverheadView1);

int main(int argc, char **argv) {
  // UseRealTime() benchmarks are named ".../real_time".
  const std::string n = std::to_string(kN), rt = "/real_time";
  const std::string base = "BM_StreamAdd/" + n + rt;
  return ember::bench::run_with_ratios(
      argc, argv,
      {{"BM_EmberAdd/" + n + "/1" + rt, base, "bytes_per_second"},
       {"BM_EmberAdd/" + n + "/2" + rt, base, "bytes_per_second"},
       {"BM_EmberAddInplace/" + n + "/1" + rt, base, "bytes_per_second"}});
}

// ember::conv2d against a plain im2col + cblas_sgemm written here (batch 8,
// 32 -> 64 channels, 32x32, 3x3, padding 1, with bias). Prints the ratio
// baseline_time / ember_time.
#include "bench_util.h"

#include <ember/ember.h>

#include <cblas.h>

#include <cstdint>
#include <vector>

using namespace ember;

namespace {

constexpr int64_t kN = 8, kC = 32, kCO = 64, kH = 32, kW = 32, kK = 3, kPad = 1;

Tensor filled(IntArrayRef shape, int64_t seed) {
  Tensor t = empty(shape);
  float *p = t.data_ptr<float>();
  for (int64_t i = 0; i < t.numel(); ++i)
    p[i] = static_cast<float>((i * 37 + seed * 11) % 101) / 101.0f - 0.5f;
  return t;
}

// The baseline: per image, im2col into [C*k*k, H*W] then one sgemm.
void plain_conv(const float *x, const float *w, const float *bias, float *y,
                std::vector<float> &col) {
  const int64_t OH = kH, OW = kW, K = kC * kK * kK, P = OH * OW;
  for (int64_t n = 0; n < kN; ++n) {
    const float *xn = x + n * kC * kH * kW;
    for (int64_t c = 0; c < kC; ++c)
      for (int64_t ki = 0; ki < kK; ++ki)
        for (int64_t kj = 0; kj < kK; ++kj) {
          float *row = col.data() + ((c * kK + ki) * kK + kj) * P;
          for (int64_t oh = 0; oh < OH; ++oh)
            for (int64_t ow = 0; ow < OW; ++ow) {
              int64_t ih = oh - kPad + ki, iw = ow - kPad + kj;
              row[oh * OW + ow] = (ih >= 0 && ih < kH && iw >= 0 && iw < kW)
                                      ? xn[(c * kH + ih) * kW + iw]
                                      : 0.0f;
            }
        }
    float *yn = y + n * kCO * P;
    for (int64_t o = 0; o < kCO; ++o)
      for (int64_t i = 0; i < P; ++i)
        yn[o * P + i] = bias[o];
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, kCO,
                static_cast<int>(P), static_cast<int>(K), 1.0f, w,
                static_cast<int>(K), col.data(), static_cast<int>(P), 1.0f, yn,
                static_cast<int>(P));
  }
}

double conv_flops() { return 2.0 * kN * kCO * kH * kW * kC * kK * kK; }

void set_flops(benchmark::State &state) {
  state.counters["GFLOP/s"] = benchmark::Counter(
      conv_flops(), benchmark::Counter::kIsIterationInvariantRate,
      benchmark::Counter::kIs1000);
}

void BM_ember_conv2d(benchmark::State &state) {
  Tensor x = filled({kN, kC, kH, kW}, 1), w = filled({kCO, kC, kK, kK}, 2),
         b = filled({kCO}, 3);
  for (auto _ : state) {
    Tensor y = conv2d(x, w, b, 1, kPad);
    benchmark::DoNotOptimize(y.raw_data_ptr());
  }
  set_flops(state);
}

void BM_plain_im2col_sgemm(benchmark::State &state) {
  Tensor x = filled({kN, kC, kH, kW}, 1), w = filled({kCO, kC, kK, kK}, 2),
         b = filled({kCO}, 3);
  std::vector<float> col(static_cast<size_t>(kC * kK * kK * kH * kW));
  for (auto _ : state) {
    Tensor y = empty({kN, kCO, kH, kW});
    plain_conv(x.data_ptr<float>(), w.data_ptr<float>(), b.data_ptr<float>(),
               y.data_ptr<float>(), col);
    benchmark::DoNotOptimize(y.raw_data_ptr());
  }
  set_flops(state);
}

} // namespace

BENCHMARK(BM_ember_conv2d)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_plain_im2col_sgemm)->Unit(benchmark::kMillisecond)->UseRealTime();

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  std::printf("ember threads (and OpenBLAS threads): %d\n", get_num_threads());
  {
    // The two must agree before their speed means anything.
    Tensor x = filled({kN, kC, kH, kW}, 1), w = filled({kCO, kC, kK, kK}, 2),
           b = filled({kCO}, 3);
    Tensor y = conv2d(x, w, b, 1, kPad), r = empty({kN, kCO, kH, kW});
    std::vector<float> col(static_cast<size_t>(kC * kK * kK * kH * kW));
    plain_conv(x.data_ptr<float>(), w.data_ptr<float>(), b.data_ptr<float>(),
               r.data_ptr<float>(), col);
    double maxdiff = 0;
    for (int64_t i = 0; i < y.numel(); ++i)
      maxdiff = std::max<double>(
          maxdiff, std::abs(y.data_ptr<float>()[i] - r.data_ptr<float>()[i]));
    std::printf("max |ember - baseline| = %g\n", maxdiff);
  }
  ember::bench::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  std::printf("\nratio = baseline time / ember time\n");
  reporter.print_ratio("BM_ember_conv2d/real_time",
                       "BM_plain_im2col_sgemm/real_time", conv_flops());
  benchmark::Shutdown();
  return 0;
}

// conv2d forward + backward (input, weight and bias gradients) through
// ember's autograd, against the same step written here with plain loops
// and cblas_sgemm (im2col, GEMMs, col2im). Batch 8, 32 -> 64 channels,
// 32x32, 3x3, padding 1, with bias. Also times ember's forward alone.
// Prints the ratio baseline_time / ember_time.
#include "bench_util.h"

#include <ember/ember.h>

#include <cblas.h>

#include <cmath>
#include <cstdint>
#include <vector>

using namespace ember;

namespace {

constexpr int64_t kN = 8, kC = 32, kCO = 64, kH = 32, kW = 32, kK = 3, kPad = 1;
constexpr int64_t kP = kH * kW, kKK = kC * kK * kK;

Tensor filled(IntArrayRef shape, int64_t seed) {
  Tensor t = empty(shape);
  float *p = t.data_ptr<float>();
  for (int64_t i = 0; i < t.numel(); ++i)
    p[i] = static_cast<float>((i * 37 + seed * 11) % 101) / 101.0f - 0.5f;
  return t;
}

// Input position read by column row r = (c*k + ki)*k + kj at output (oh, ow),
// or -1 in the padding.
int64_t src_of(int64_t r, int64_t oh, int64_t ow) {
  const int64_t kj = r % kK, ki = (r / kK) % kK, c = r / (kK * kK);
  const int64_t ih = oh - kPad + ki, iw = ow - kPad + kj;
  return ih >= 0 && ih < kH && iw >= 0 && iw < kW ? (c * kH + ih) * kW + iw
                                                  : -1;
}

struct Plain {
  std::vector<float> cols = std::vector<float>(kN * kKK * kP);
  std::vector<float> gcol = std::vector<float>(kKK * kP);
  // y = conv(x, w) + b, then gx, gw, gb from gy.
  void step(const float *x, const float *w, const float *b, const float *gy,
            float *y, float *gx, float *gw, float *gb) {
    for (int64_t n = 0; n < kN; ++n) {
      float *col = cols.data() + n * kKK * kP;
      const float *xn = x + n * kC * kP;
      for (int64_t r = 0; r < kKK; ++r)
        for (int64_t oh = 0; oh < kH; ++oh)
          for (int64_t ow = 0; ow < kW; ++ow) {
            const int64_t s = src_of(r, oh, ow);
            col[r * kP + oh * kW + ow] = s < 0 ? 0.0f : xn[s];
          }
      float *yn = y + n * kCO * kP;
      for (int64_t o = 0; o < kCO; ++o)
        for (int64_t i = 0; i < kP; ++i)
          yn[o * kP + i] = b[o];
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, kCO, kP, kKK, 1.0f,
                  w, kKK, col, kP, 1.0f, yn, kP);
    }
    for (int64_t o = 0; o < kCO; ++o)
      gb[o] = 0;
    for (int64_t n = 0; n < kN; ++n) {
      const float *gyn = gy + n * kCO * kP, *col = cols.data() + n * kKK * kP;
      for (int64_t o = 0; o < kCO; ++o)
        for (int64_t i = 0; i < kP; ++i)
          gb[o] += gyn[o * kP + i];
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, kCO, kKK, kP, 1.0f,
                  gyn, kP, col, kP, n == 0 ? 0.0f : 1.0f, gw, kKK);
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, kKK, kP, kCO, 1.0f,
                  w, kKK, gyn, kP, 0.0f, gcol.data(), kP);
      float *gxn = gx + n * kC * kP;
      for (int64_t i = 0; i < kC * kP; ++i)
        gxn[i] = 0;
      for (int64_t r = 0; r < kKK; ++r)
        for (int64_t oh = 0; oh < kH; ++oh)
          for (int64_t ow = 0; ow < kW; ++ow) {
            const int64_t s = src_of(r, oh, ow);
            if (s >= 0)
              gxn[s] += gcol[r * kP + oh * kW + ow];
          }
    }
  }
};

// Forward 2*N*CO*P*K, backward twice that.
double step_flops() { return 3 * 2.0 * kN * kCO * kP * kKK; }

void BM_ember_conv2d_forward(benchmark::State &state) {
  Tensor x = filled({kN, kC, kH, kW}, 1), w = filled({kCO, kC, kK, kK}, 2),
         b = filled({kCO}, 3);
  for (auto _ : state) {
    Tensor y = conv2d(x, w, b, 1, kPad);
    benchmark::DoNotOptimize(y.raw_data_ptr());
  }
}

void BM_ember_conv2d_fwd_bwd(benchmark::State &state) {
  Tensor x = filled({kN, kC, kH, kW}, 1).requires_grad_(),
         w = filled({kCO, kC, kK, kK}, 2).requires_grad_(),
         b = filled({kCO}, 3).requires_grad_();
  Tensor gy = filled({kN, kCO, kH, kW}, 4);
  for (auto _ : state) {
    Tensor y = conv2d(x, w, b, 1, kPad);
    TensorList g = autograd::grad({y}, {x, w, b}, {gy});
    benchmark::DoNotOptimize(g[0].raw_data_ptr());
  }
}

void BM_plain_conv2d_fwd_bwd(benchmark::State &state) {
  Tensor x = filled({kN, kC, kH, kW}, 1), w = filled({kCO, kC, kK, kK}, 2),
         b = filled({kCO}, 3), gy = filled({kN, kCO, kH, kW}, 4);
  Plain plain;
  for (auto _ : state) {
    Tensor y = empty({kN, kCO, kH, kW}), gx = empty({kN, kC, kH, kW}),
           gw = empty({kCO, kC, kK, kK}), gb = empty({kCO});
    plain.step(x.data_ptr<float>(), w.data_ptr<float>(), b.data_ptr<float>(),
               gy.data_ptr<float>(), y.data_ptr<float>(), gx.data_ptr<float>(),
               gw.data_ptr<float>(), gb.data_ptr<float>());
    benchmark::DoNotOptimize(gx.raw_data_ptr());
  }
}

double max_diff(const Tensor &a, const Tensor &b) {
  double m = 0;
  Tensor x = a.contiguous(), y = b.contiguous();
  for (int64_t i = 0; i < x.numel(); ++i)
    m = std::max<double>(
        m, std::abs(x.data_ptr<float>()[i] - y.data_ptr<float>()[i]));
  return m;
}

} // namespace

BENCHMARK(BM_ember_conv2d_forward)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ember_conv2d_fwd_bwd)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_plain_conv2d_fwd_bwd)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  std::printf("ember threads (and OpenBLAS threads): %d\n", get_num_threads());
  {
    // The two must agree before their speed means anything.
    Tensor x = filled({kN, kC, kH, kW}, 1).requires_grad_(),
           w = filled({kCO, kC, kK, kK}, 2).requires_grad_(),
           b = filled({kCO}, 3).requires_grad_();
    Tensor gy = filled({kN, kCO, kH, kW}, 4);
    Tensor y = conv2d(x, w, b, 1, kPad);
    TensorList g = autograd::grad({y}, {x, w, b}, {gy});
    Tensor ry = empty({kN, kCO, kH, kW}), gx = empty({kN, kC, kH, kW}),
           gw = empty({kCO, kC, kK, kK}), gb = empty({kCO});
    Plain().step(x.data_ptr<float>(), w.data_ptr<float>(), b.data_ptr<float>(),
                 gy.data_ptr<float>(), ry.data_ptr<float>(),
                 gx.data_ptr<float>(), gw.data_ptr<float>(),
                 gb.data_ptr<float>());
    std::printf("max |ember - baseline|: y %g, gx %g, gw %g, gb %g\n",
                max_diff(y.detach(), ry), max_diff(g[0], gx),
                max_diff(g[1], gw), max_diff(g[2], gb));
  }
  ember::bench::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  std::printf("\nratio = baseline time / ember time\n");
  reporter.print_ratio("BM_ember_conv2d_fwd_bwd/real_time",
                       "BM_plain_conv2d_fwd_bwd/real_time", step_flops());
  benchmark::Shutdown();
  return 0;
}

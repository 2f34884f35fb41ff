// jit::compile against eager (issue 6's targets), baselines in the same run,
// medians of repeated timings, one compute thread for every side (the chain
// also with two threads on every side):
//  1. the 8-op elementwise chain (gelu, sigmoid, tanh, ...) on 4M floats:
//     compiled vs ember eager vs PyTorch 1.13 eager (bench/torch_chain.py);
//  2. a cheap chain max(2x + y, 0.5y) on 4M floats: compiled vs a plain C++
//     loop doing the same work in one pass (the STREAM-style bound);
//  3. MLP 784-512-256-10 inference, batch 128: compiled vs ember eager, and
//     its three GEMMs alone (both sides run the same OpenBLAS GEMMs), and
//     their GFLOP/s against the core's measured FMA peak (fma_peak.h) and
//     OpenBLAS sgemm on a large square;
//  4. the same MLP's forward + backward (MSE loss): compiled (gradients by
//     ember-autodiff) vs the eager tape.
#include "bench_util.h"
#include "fma_peak.h"

#include <ember/ember.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

using namespace ember;
using ember::bench::median_ms;

namespace {

double torch_chain_ms(int threads) {
  return ember::bench::run_torch_baseline(
      "torch_chain.py " + std::to_string(threads), "median_ms", threads);
}

Tensor chain(const Tensor &x) {
  return exp(-gelu(sigmoid(tanh(x * 2 + 1) - 0.5) * x));
}

} // namespace

int main() {
  set_num_threads(1);
  NoGradGuard no_grad;
  manual_seed(0);
  const int64_t n = 4 * 1024 * 1024;
  Tensor x = randn({n}), y = randn({n});

  auto compiled_chain = jit::compile([](const Tensor &a) { return chain(a); },
                                     {.name = "chain8"});
  double eager = median_ms([&] { chain(x); }, 9);
  double compiled = median_ms([&] { compiled_chain(x); }, 9);
  double torch = torch_chain_ms(1);
  std::printf("8-op chain, 4M floats: compiled %.2f ms, ember eager %.2f ms "
              "(ratio %.2f), PyTorch 1.13 eager %.2f ms (ratio %.2f; target "
              ">= 4)\n",
              compiled, eager, eager / compiled, torch,
              torch > 0 ? torch / compiled : 0.0);
  // The same with two threads on every side (parallel loops on ember's
  // pool; PyTorch's OpenMP loops).
  set_num_threads(2);
  double eager2 = median_ms([&] { chain(x); }, 9);
  double compiled2 = median_ms([&] { compiled_chain(x); }, 9);
  double torch2 = torch_chain_ms(2);
  std::printf("8-op chain, 2 threads each: compiled %.2f ms, ember eager "
              "%.2f ms (ratio %.2f), PyTorch 1.13 eager %.2f ms (ratio "
              "%.2f)\n",
              compiled2, eager2, eager2 / compiled2, torch2,
              torch2 > 0 ? torch2 / compiled2 : 0.0);
  set_num_threads(1);

  auto cheap =
      jit::compile([](const Tensor &a,
                      const Tensor &b) { return maximum(a * 2 + b, b * 0.5); },
                   {.name = "cheap"});
  double cheap_ms = median_ms([&] { cheap(x, y); }, 15);
  Tensor out = empty({n});
  double loop_ms = median_ms(
      [&] {
        const float *a = x.data_ptr<float>(), *b = y.data_ptr<float>();
        float *o = out.data_ptr<float>();
        for (int64_t i = 0; i < n; ++i)
          o[i] = std::max(a[i] * 2 + b[i], b[i] * 0.5f);
      },
      15);
  std::printf("cheap chain max(2x+y, y/2), 4M floats: compiled %.2f ms, "
              "one-pass C++ loop %.2f ms (compiled / loop %.2f; target <= "
              "1.3)\n",
              cheap_ms, loop_ms, cheap_ms / loop_ms);

  nn::Sequential mlp{{"fc1", nn::Linear(784, 512)},
                     {"relu1", nn::ReLU()},
                     {"fc2", nn::Linear(512, 256)},
                     {"relu2", nn::ReLU()},
                     {"fc3", nn::Linear(256, 10)}};
  Tensor batch = randn({128, 784});
  auto compiled_mlp = jit::compile([&](const Tensor &a) { return mlp(a); },
                                   {.name = "mlp", .modules = {{"", &mlp}}});
  double mlp_eager = median_ms([&] { mlp(batch); }, 21);
  double mlp_compiled = median_ms([&] { compiled_mlp(batch); }, 21);
  // The ceiling: compiled and eager call the same OpenBLAS GEMMs, and these
  // three alone take most of the eager time.
  // (Same shapes, other values: the GEMM time does not depend on them.)
  Tensor w1 = randn({512, 784}), w2 = randn({256, 512}), w3 = randn({10, 256});
  Tensor h1 = randn({128, 512}), h2 = randn({128, 256});
  double mlp_gemms = median_ms(
      [&] {
        matmul(batch, w1.t());
        matmul(h1, w2.t());
        matmul(h2, w3.t());
      },
      21);
  std::printf("MLP 784-512-256-10 inference, batch 128: compiled %.3f ms, "
              "ember eager %.3f ms (ratio %.2f; target >= 1.2); its 3 GEMMs "
              "alone %.3f ms\n",
              mlp_compiled, mlp_eager, mlp_eager / mlp_compiled, mlp_gemms);
  // How close those GEMMs already are to the core's peak: the compiled MLP
  // can gain at most the time outside them.
  bench::FmaPeak peak = bench::fma_peak();
  const double gemm_flops = 2.0 * 128 * (784 * 512 + 512 * 256 + 256 * 10);
  Tensor big_a = randn({1024, 1024}), big_b = randn({1024, 1024});
  double big_ms = median_ms([&] { matmul(big_a, big_b); }, 5);
  double mlp_gflops = gemm_flops / mlp_gemms * 1e-6;
  double big_gflops = 2.0 * 1024 * 1024 * 1024 / big_ms * 1e-6;
  std::printf("one-core FP32 FMA peak (%s, measured) %.1f GFLOP/s; the MLP's "
              "3 GEMMs %.1f GFLOP/s (%.0f%% of peak); sgemm 1024^3 %.1f "
              "GFLOP/s (%.0f%%)\n",
              peak.isa.c_str(), peak.gflops, mlp_gflops,
              peak.gflops > 0 ? 100 * mlp_gflops / peak.gflops : 0.0,
              big_gflops,
              peak.gflops > 0 ? 100 * big_gflops / peak.gflops : 0.0);
  // Forward + backward of the same MLP (MSE loss): backward() compiled by
  // ember-autodiff vs the eager tape. Gradients accumulate across calls on
  // both sides (no zero_grad), which costs the same.
  Tensor target = randn({128, 10});
  auto fwd_bwd = [&](const Tensor &a, const Tensor &t) {
    Tensor loss = (mlp(a) - t).pow(2).mean();
    loss.backward();
    return loss.detach();
  };
  double train_eager = 0, train_compiled = 0;
  int64_t train_compiled_calls = 0;
  {
    AutoGradMode grad_on(true);
    auto compiled_fb =
        jit::compile(fwd_bwd, {.name = "mlp_fwd_bwd", .modules = {{"", &mlp}}});
    train_eager = median_ms([&] { fwd_bwd(batch, target); }, 21);
    train_compiled = median_ms([&] { compiled_fb(batch, target); }, 21);
    train_compiled_calls = compiled_fb.stats().compiled_calls;
  }
  std::printf("MLP forward + backward, batch 128: compiled %.3f ms, ember "
              "eager %.3f ms (ratio %.2f)\n",
              train_compiled, train_eager, train_eager / train_compiled);
  std::printf("compiled calls: chain %lld, cheap %lld, mlp %lld, mlp "
              "forward+backward %lld\n",
              static_cast<long long>(compiled_chain.stats().compiled_calls),
              static_cast<long long>(cheap.stats().compiled_calls),
              static_cast<long long>(compiled_mlp.stats().compiled_calls),
              static_cast<long long>(train_compiled_calls));
  CpuCacheStats cache = cpu_cache_stats();
  std::printf("CPU block cache: %llu hits, %llu misses, %.0f MiB held "
              "(limit %.0f MiB)\n",
              static_cast<unsigned long long>(cache.hits),
              static_cast<unsigned long long>(cache.misses),
              cache.cached_bytes / 1048576.0, cache.limit_bytes / 1048576.0);
  return 0;
}

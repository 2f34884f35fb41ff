// Issue 7's training-step targets, baselines in the same run, one thread on
// every side, medians:
//  1. MLP 784-512-256-10, batch 128, cross-entropy, SGD momentum 0.9: the
//     whole step (zero_grad, forward, backward, optimizer.step) compiled by
//     jit::compile vs the same step eagerly vs PyTorch 1.13 eager
//     (bench/torch_mlp_step.py) vs the step's eight GEMMs alone through
//     OpenBLAS (3 forward, 5 backward: no gradient for the input).
//     Targets: compiled >= 1.5x faster than PyTorch; <= 1.3x the GEMMs.
//  2. The Fashion-MNIST CNN step (bench/torch_cnn_step.py): compiled vs
//     eager vs PyTorch; target compiled >= 1.5x faster than PyTorch. Where
//     the step does not compile, it says so (stats: fallbacks).
// `train_step_bench --profile-cnn|--profile-mlp [N]` runs only that
// compiled step, N
// times (default 200) after its compile, for `perf record` (no baselines,
// no figures).
#include "bench_util.h"

#include "bench_models.h"

#include <ember/ember.h>

#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

using namespace ember;
using ember::bench::make_cnn;
using ember::bench::make_mlp;
using ember::bench::median_ms;

namespace {

struct StepResult {
  double eager_ms = 0, compiled_ms = 0;
  jit::CompileStats stats;
};

// A model's training step eagerly and compiled, on two copies.
template <typename MakeModel>
StepResult time_steps(MakeModel make, const Tensor &x, const Tensor &y,
                      int reps, const char *name) {
  StepResult r;
  manual_seed(0);
  auto eager_model = make();
  auto model = make();
  optim::SGD eager_opt(eager_model.parameters(),
                       optim::SGDOptions(0.01).momentum(0.9));
  optim::SGD opt(model.parameters(), optim::SGDOptions(0.01).momentum(0.9));
  auto step = ember::bench::train_step;
  auto compiled = jit::compile(
      [&](const Tensor &a, const Tensor &b) { return step(model, opt, a, b); },
      {.name = name, .modules = {{"", &model}}});
  r.eager_ms = median_ms([&] { step(eager_model, eager_opt, x, y); }, reps, 3);
  r.compiled_ms = median_ms([&] { compiled(x, y); }, reps, 3);
  r.stats = compiled.stats();
  return r;
}

// C = op(A) op(B), row-major, the shapes of one GEMM of the step.
struct Gemm {
  int m, n, k;
  bool ta, tb;
};

void print_stats(const char *what, const jit::CompileStats &s) {
  std::printf("  %s: %lld calls, %lld compiled, %lld compiles, %lld eager "
              "keys\n",
              what, static_cast<long long>(s.calls),
              static_cast<long long>(s.compiled_calls),
              static_cast<long long>(s.compiles),
              static_cast<long long>(s.fallbacks));
}

// One compiled step alone (the CNN's or the MLP's), `calls` times, for a
// profiler.
int profile_step(bool cnn, int calls) {
  manual_seed(0);
  auto model = cnn ? make_cnn() : make_mlp();
  optim::SGD opt(model.parameters(), optim::SGDOptions(0.01).momentum(0.9));
  auto compiled = jit::compile(
      [&](const Tensor &a, const Tensor &b) {
        opt.zero_grad();
        Tensor loss = nn::functional::cross_entropy(model(a), b);
        loss.backward();
        opt.step();
        return loss.detach();
      },
      {.name = "cnn_step", .modules = {{"", &model}}});
  Tensor images = cnn ? randn({128, 1, 28, 28}) : randn({128, 784});
  Tensor labels = randint(0, 10, {128});
  for (int i = 0; i < calls + 2;
       ++i) // the first call traces, the second compiles
    compiled(images, labels);
  print_stats("compiled step", compiled.stats());
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  set_num_threads(1);
  if (argc > 1 && (std::string(argv[1]) == "--profile-cnn" ||
                   std::string(argv[1]) == "--profile-mlp"))
    return profile_step(std::string(argv[1]) == "--profile-cnn",
                        argc > 2 ? std::atoi(argv[2]) : 200);
  manual_seed(0);

  // 1. The MLP step.
  Tensor x = randn({128, 784});
  Tensor y = randint(0, 10, {128});
  StepResult mlp = time_steps(make_mlp, x, y, 41, "mlp_step");
  double torch_mlp =
      ember::bench::run_torch_baseline("torch_mlp_step.py 50", "median_ms");
  // Forward: X[128,784] W1^T, H1 W2^T, H2 W3^T. Backward: dW3 = dY^T H2,
  // dH2 = dY W3, dW2 = dH2^T H1, dH1 = dH2 W2, dW1 = dH1^T X.
  const std::vector<Gemm> gemms = {
      {128, 512, 784, false, true},  {128, 256, 512, false, true},
      {128, 10, 256, false, true},   {10, 256, 128, true, false},
      {128, 256, 10, false, false},  {256, 512, 128, true, false},
      {128, 512, 256, false, false}, {512, 784, 128, true, false}};
  std::vector<std::vector<float>> bufs;
  for (const Gemm &g : gemms) {
    bufs.emplace_back(static_cast<size_t>(g.m) * g.k, 0.5f);
    bufs.emplace_back(static_cast<size_t>(g.k) * g.n, 0.25f);
    bufs.emplace_back(static_cast<size_t>(g.m) * g.n, 0.0f);
  }
  double gemm_ms = median_ms(
      [&] {
        for (size_t i = 0; i < gemms.size(); ++i) {
          const Gemm &g = gemms[i];
          cblas_sgemm(CblasRowMajor, g.ta ? CblasTrans : CblasNoTrans,
                      g.tb ? CblasTrans : CblasNoTrans, g.m, g.n, g.k, 1.0f,
                      bufs[3 * i].data(), g.ta ? g.m : g.k,
                      bufs[3 * i + 1].data(), g.tb ? g.k : g.n, 0.0f,
                      bufs[3 * i + 2].data(), g.n);
        }
      },
      41);
  std::printf("MLP 784-512-256-10 train step (SGD momentum), batch 128, 1 "
              "thread:\n  compiled %.3f ms, ember eager %.3f ms (eager / "
              "compiled %.2f)\n",
              mlp.compiled_ms, mlp.eager_ms, mlp.eager_ms / mlp.compiled_ms);
  if (torch_mlp > 0)
    std::printf("  PyTorch 1.13 eager %.3f ms (PyTorch / compiled %.2f; "
                "target >= 1.5)\n",
                torch_mlp, torch_mlp / mlp.compiled_ms);
  else
    std::printf("  PyTorch (python3-torch) not available: no ratio\n");
  std::printf("  its 8 GEMMs alone (OpenBLAS) %.3f ms (compiled / GEMMs "
              "%.2f; target <= 1.3)\n",
              gemm_ms, mlp.compiled_ms / gemm_ms);
  print_stats("compiled step", mlp.stats);

  // 2. The CNN step (Fashion-MNIST shapes).
  Tensor images = randn({128, 1, 28, 28});
  StepResult cnn = time_steps(make_cnn, images, y, 15, "cnn_step");
  double torch_cnn =
      ember::bench::run_torch_baseline("torch_cnn_step.py 20", "median_ms");
  std::printf("Fashion-MNIST CNN train step (SGD momentum), batch 128, 1 "
              "thread:\n  compiled %.3f ms, ember eager %.3f ms (eager / "
              "compiled %.2f)\n",
              cnn.compiled_ms, cnn.eager_ms, cnn.eager_ms / cnn.compiled_ms);
  if (torch_cnn > 0)
    std::printf("  PyTorch 1.13 eager %.3f ms (PyTorch / compiled %.2f; "
                "target >= 1.5)\n",
                torch_cnn, torch_cnn / cnn.compiled_ms);
  print_stats("compiled step", cnn.stats);
  if (cnn.stats.compiled_calls == 0)
    std::printf("  (the CNN step does not compile yet: EMBER_LOG=splits says "
                "why)\n");
  return 0;
}

// One training step of an MLP 784-512-256-10 (batch 128, cross-entropy,
// SGD with momentum 0.9), single-threaded: ember eager against the same
// step in PyTorch 1.13 (Debian's python3-torch), run from this binary so both
// are measured in the same run. Prints both medians and the ratio.
#include "bench_util.h"

#include <ember/ember.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

using namespace ember;

namespace {

struct Mlp : nn::Module {
  nn::Linear fc1{784, 512}, fc2{512, 256}, fc3{256, 10};
  Mlp() {
    register_module("fc1", fc1);
    register_module("fc2", fc2);
    register_module("fc3", fc3);
  }
  Tensor forward(const Tensor &x) override {
    return fc3(relu(fc2(relu(fc1(x)))));
  }
};

struct Step {
  Mlp model;
  optim::SGD opt{model.parameters(), optim::SGDOptions(0.01).momentum(0.9)};
  Tensor x = randn({128, 784});
  Tensor y = randint(0, 10, {128});
  float run() {
    opt.zero_grad();
    Tensor loss = nn::functional::cross_entropy(model(x), y);
    loss.backward();
    opt.step();
    return loss.item<float>();
  }
};

void BM_EmberMlpStep(benchmark::State &st) {
  set_num_threads(1);
  manual_seed(0);
  Step s;
  for (int i = 0; i < 10; ++i)
    s.run();
  for (auto _ : st)
    benchmark::DoNotOptimize(s.run());
}
BENCHMARK(BM_EmberMlpStep)->Unit(benchmark::kMillisecond)->UseRealTime();

// The PyTorch step, measured by bench/torch_mlp_step.py in a child process.
double torch_median_ms() {
  return ember::bench::run_torch_baseline("torch_mlp_step.py 50", "median_ms");
}

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  ember::bench::RatioReporter rep;
  benchmark::RunSpecifiedBenchmarks(&rep);
  const auto *e = rep.find("BM_EmberMlpStep/real_time");
  double torch_ms = torch_median_ms();
  if (e && torch_ms > 0)
    std::printf(
        "\nMLP train step, 1 thread: ember %.3f ms, PyTorch 1.13 %.3f ms, "
        "ratio (torch / ember) %.3f\n",
        e->time, torch_ms, torch_ms / e->time);
  else
    std::printf("\nPyTorch (python3-torch) not available: no ratio\n");
  benchmark::Shutdown();
  return 0;
}

// Data loading and whole-epoch training on Fashion-MNIST (issue 4's
// benchmarks), each against its baseline in the same run:
//  1. DataLoader images/second with 0, 1 and 2 worker threads through an
//     augmenting transform pipeline (RandomCrop with padding,
//     RandomHorizontalFlip, ToTensor, Normalize), batch 64; ratio to 0
//     workers.
//  2. One training epoch of the ember-fashion MLP and CNN
//     (examples/fashion_models.h), batch 64, Adam, single-threaded, against
//     the same models in PyTorch 1.13 (bench/torch_fashion_epoch.py, run from
//     here with OMP/OpenBLAS at one thread).
//
//   fashion_bench [--steps N]   N > 0: time N steps instead of the epoch
#include "../examples/fashion_models.h"

#include "bench_util.h"

#include <ember/ember.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

using namespace ember;
namespace F = ember::nn::functional;
namespace T = ember::data::transforms;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
      .count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Images per second over `batches` batches of an augmenting pipeline.
double loader_rate(size_t workers, size_t batches) {
  T::Compose tf({T::RandomCrop({28, 28}, 2), T::RandomHorizontalFlip(),
                 T::ToTensor(), T::Normalize({0.2860}, {0.3530})});
  auto ds = std::make_shared<data::datasets::FashionMNIST>(
      data::datasets::FashionMNIST::kDefaultRoot, true, tf);
  Generator g(0);
  data::DataLoader<> loader(ds, {.batch_size = 64,
                                 .shuffle = true,
                                 .num_workers = workers,
                                 .generator = &g});
  size_t n = 0, images = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (auto &b : loader) {
    images += static_cast<size_t>(b.data.size(0));
    if (++n == batches)
      break;
  }
  return static_cast<double>(images) / seconds_since(t0);
}

// Seconds for one epoch (or `max_steps` steps) of training, one thread.
double ember_epoch(const std::string &kind, size_t max_steps, size_t &steps) {
  auto raw = data::datasets::FashionMNIST();
  Tensor x =
      ((raw.images().to(kFloat32) / 255.0 - 0.2860) / 0.3530).unsqueeze(1);
  auto ds = std::make_shared<data::TensorDataset>(x, raw.targets());
  Generator g(0);
  data::DataLoader loader(ds,
                          {.batch_size = 64, .shuffle = true, .generator = &g});
  manual_seed(0);
  auto model = kind == "cnn" ? fashion::make_cnn() : fashion::make_mlp();
  optim::Adam opt(model->parameters(), optim::AdamOptions(1e-3));
  steps = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (auto &b : loader) {
    opt.zero_grad();
    Tensor loss = F::cross_entropy((*model)(b.data), b.target);
    loss.backward();
    opt.step();
    loss.item<float>();
    if (++steps == max_steps)
      break;
  }
  return seconds_since(t0);
}

double torch_epoch(const std::string &kind, size_t max_steps) {
  return ember::bench::run_torch_baseline("torch_fashion_epoch.py " + kind +
                                              " " + std::to_string(max_steps),
                                          "epoch_s");
}

} // namespace

int main(int argc, char **argv) {
  size_t max_steps = 0;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--steps") == 0)
      max_steps = std::stoul(argv[i + 1]);

  std::printf("== DataLoader, augmenting transforms, batch 64, 300 batches, "
              "median of 3 (compute pool: %d threads)\n",
              get_num_threads());
  double base = 0;
  for (size_t workers : {0, 1, 2}) {
    std::vector<double> r;
    for (int rep = 0; rep < 3; ++rep)
      r.push_back(loader_rate(workers, 300));
    double m = median(r);
    if (workers == 0)
      base = m;
    std::printf("workers %zu: %8.0f images/s  ratio to 0 workers %.2f\n",
                workers, m, m / base);
  }

  set_num_threads(1);
  std::printf("\n== one training epoch, batch 64, Adam, 1 thread%s\n",
              max_steps ? " (limited steps)" : "");
  for (const char *kind : {"mlp", "cnn"}) {
    size_t steps = 0;
    double e = ember_epoch(kind, max_steps, steps);
    double t = torch_epoch(kind, max_steps);
    if (t > 0)
      std::printf("%s: %zu steps  ember %.2f s  PyTorch 1.13 %.2f s  ratio "
                  "(torch / ember) %.3f\n",
                  kind, steps, e, t, t / e);
    else
      std::printf("%s: %zu steps  ember %.2f s  (PyTorch not available)\n",
                  kind, steps, e);
    std::fflush(stdout);
  }
  return 0;
}

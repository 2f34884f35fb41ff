// Ahead-of-time compilation (issue 8's benchmarks), baselines in the same
// run, medians, one compute thread on every side:
//  1. inference latency of the MLP 784-512-256-10 and the Fashion-MNIST CNN
//     (examples/fashion_models.h) at batch 1 and 128: the emberc executable
//     (--emit=exe --cpu=native, its own --bench N median, so process start
//     is excluded), jit::compile and eager, in this process;
//  2. startup of the executable to its first result at batch 1: spawn it on
//     one input .npy, wall time to exit, median of 21 runs (target <= 10
//     ms), with the weights embedded and with --weights=external.
// The packages are written to a temporary folder with jit::save and
// compiled by the emberc built beside this benchmark.
#include "../examples/fashion_models.h"
#include "bench_util.h"

#include <ember/ember.h>
#include <ember/jit/package.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <functional>
#include <spawn.h>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace ember;
using ember::bench::median_ms;

namespace {

// One compute thread in every child: ember's pool and OpenBLAS.
const char *kOneThread =
    "EMBER_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 ";

double median(std::vector<double> t) {
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

// Runs `cmd` in a shell; its output, or throws when it fails.
std::string shell(const std::string &cmd) {
  FILE *p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p)
    throw std::runtime_error("cannot run " + cmd);
  std::string out;
  char buf[512];
  while (fgets(buf, sizeof buf, p))
    out += buf;
  if (pclose(p) != 0)
    throw std::runtime_error("'" + cmd + "' failed:\n" + out);
  return out;
}

// The executable's own median of `n` runs ("bench: N runs, median X ms").
double exe_median_ms(const std::string &exe, const std::string &x,
                     const std::string &dir, int n) {
  std::string out = shell(std::string(kOneThread) + exe + " --bench " +
                          std::to_string(n) + " -o " + dir + " " + x);
  size_t at = out.find("median ");
  if (at == std::string::npos)
    throw std::runtime_error("no median in: " + out);
  return std::stod(out.substr(at + 7));
}

// Spawn to exit of `exe -o dir x` (posix_spawn, no shell, stdout to
// /dev/null), median of `reps` after one warm-up run.
double startup_ms(const std::string &exe, const std::string &x,
                  const std::string &dir, int reps) {
  std::vector<double> t;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  std::vector<std::string> args = {exe, "-o", dir, x};
  std::vector<char *> argv;
  for (std::string &a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  std::string env1 = "EMBER_NUM_THREADS=1", env2 = "OPENBLAS_NUM_THREADS=1";
  char *envp[] = {env1.data(), env2.data(), nullptr};
  for (int i = 0; i < reps + 1; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    pid_t pid;
    if (posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), envp) !=
        0)
      throw std::runtime_error("cannot spawn " + exe);
    int status = 0;
    waitpid(pid, &status, 0);
    double ms = std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - t0)
                    .count();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      throw std::runtime_error(exe + " failed");
    if (i > 0) // the first run warms the page cache
      t.push_back(ms);
  }
  posix_spawn_file_actions_destroy(&actions);
  return median(t);
}

struct Row {
  std::string model;
  int64_t batch;
  double aot, jit, eager;
};

} // namespace

int main() {
  try {
    set_num_threads(1);
    NoGradGuard no_grad;
    manual_seed(0);
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() /
                   ("ember_aot_bench_" + std::to_string(getpid()));
    fs::create_directories(dir);

    std::vector<Row> rows;
    std::string startupExe;
    std::string startupX;
    auto measure = [&](const char *model, nn::Module &m,
                       std::vector<int64_t> shape, int reps) {
      m.eval();
      Tensor x = randn(shape);
      std::string tag = std::string(model) + "_b" + std::to_string(shape[0]);
      std::string pkg = (dir / (tag + ".emberpkg")).string();
      std::string xPath = (dir / (tag + "_x.npy")).string();
      std::string exe = (dir / tag).string();
      jit::save(
          jit::trace(m, {x}), pkg,
          jit::PackageOptions().module(m).inputs({"x"}).outputs({"logits"}));
      save_npy(x, xPath);
      // External weights: the CNN's 1.6 MB of weights as C initializers
      // would cost the C++ compiler seconds, and run time is the same.
      shell(std::string(EMBER_EMBERC) + " " + pkg +
            " --emit=exe --cpu=native --weights=external --name=" + tag +
            " -o " + exe);
      auto compiled = jit::compile([&](const Tensor &a) { return m(a); },
                                   {.name = tag, .modules = {{"", &m}}});
      Row r{model, shape[0], 0, 0, 0};
      r.eager = median_ms([&] { m(x); }, reps);
      r.jit = median_ms([&] { compiled(x); }, reps);
      r.aot = exe_median_ms(exe, xPath, dir.string(), reps);
      rows.push_back(r);
      if (shape[0] == 1 && startupExe.empty()) {
        startupExe = exe;
        startupX = xPath;
        // The same model with its weights embedded (emberc's default).
        shell(std::string(EMBER_EMBERC) + " " + pkg +
              " --emit=exe --cpu=native -o " + exe + "_embedded");
      }
    };
    nn::Sequential mlp{{"fc1", nn::Linear(784, 512)},
                       {"relu1", nn::ReLU()},
                       {"fc2", nn::Linear(512, 256)},
                       {"relu2", nn::ReLU()},
                       {"fc3", nn::Linear(256, 10)}};
    auto cnn = fashion::make_cnn();
    measure("mlp", mlp, {1, 784}, 201);
    measure("mlp", mlp, {128, 784}, 41);
    measure("cnn", *cnn, {1, 1, 28, 28}, 101);
    measure("cnn", *cnn, {128, 1, 28, 28}, 11);

    std::printf("\ninference latency, one thread, medians (ms); ratios > 1: "
                "the AOT executable is faster\n");
    std::printf("%-6s %6s %10s %10s %10s %12s %12s\n", "model", "batch", "aot",
                "jit", "eager", "jit/aot", "eager/aot");
    for (const Row &r : rows)
      std::printf("%-6s %6lld %10.4f %10.4f %10.4f %12.2f %12.2f\n",
                  r.model.c_str(), static_cast<long long>(r.batch), r.aot,
                  r.jit, r.eager, r.jit / r.aot, r.eager / r.aot);
    double external = startup_ms(startupExe, startupX, dir.string(), 21);
    double embedded =
        startup_ms(startupExe + "_embedded", startupX, dir.string(), 21);
    std::printf("\nstartup to first result, MLP batch 1 (spawn, read .npy, "
                "run, write .npy, exit), median of 21: embedded weights "
                "%.2f ms, external weights %.2f ms (target <= 10 ms)\n",
                embedded, external);
    fs::remove_all(dir);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "aot_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}

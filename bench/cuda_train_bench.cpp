// Issue 9's CUDA training-step figures, baselines in the same run, medians
// of CUDA-synchronized steps: the MLP 784-512-256-10 and the Fashion-MNIST
// CNN, batch 128, SGD momentum 0.9, on ember eager CUDA and through
// jit::compile (which says when the step stays eager), against PyTorch
// eager and torch.compile on the same GPU (bench/torch_cuda_step.py, run
// with $EMBER_PYTHON or python3). Target: ember compiled at least as fast
// as torch.compile. On a GPU machine without the compiler (no LLVM there),
// jit::compile stays eager; the compiled step is then timed from its device
// program saved on a machine with the compiler (bench/cuda_program_capture,
// EMBER_CUDA_PROGRAMS=<dir>): the same program jit::compile would run, on
// the same arguments each step (its results not written back: that leaves
// out copying the updated parameters, a few kernel launches). Without a
// GPU it says so and exits 0.
#include "bench_models.h"

#include <ember/ember.h>
#include <ember/runtime/cuda.h>
#include <ember/runtime/file_io.h>
#include <ember/runtime/program.h>

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

namespace {

double median_step_ms(const std::function<void()> &step, int reps) {
  for (int i = 0; i < 10; ++i)
    step();
  cuda::synchronize();
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    auto a = std::chrono::steady_clock::now();
    step();
    cuda::synchronize();
    t.push_back(std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - a)
                    .count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

// "eager_ms X" / "compiled_ms Y" from the PyTorch script.
std::pair<double, double> torch_baseline(const char *model) {
  const char *py = std::getenv("EMBER_PYTHON");
  std::string cmd = std::string(py ? py : "python3") + " " + EMBER_BENCH_DIR +
                    "/torch_cuda_step.py " + model + " 200 2>/dev/null";
  std::pair<double, double> r{0, 0};
  if (FILE *p = popen(cmd.c_str(), "r")) {
    char line[256];
    while (std::fgets(line, sizeof line, p)) {
      std::sscanf(line, "eager_ms %lf", &r.first);
      std::sscanf(line, "compiled_ms %lf", &r.second);
    }
    pclose(p);
  }
  return r;
}

// The saved device program of `name` (EMBER_CUDA_PROGRAMS), timed on the
// GPU; 0 when there is none.
double program_step_ms(const char *name) {
  const char *dir = std::getenv("EMBER_CUDA_PROGRAMS");
  if (!dir || !*dir)
    return 0;
  std::string base = std::string(dir) + "/" + name;
  program::Program p = program::Program::deserialize(
      read_file("cuda_train_bench", base + ".program"));
  OrderedDict<Tensor> saved = load(base + ".args.safetensors");
  std::vector<std::shared_ptr<TensorImpl>> args;
  for (size_t i = 0; i < saved.size(); ++i)
    args.push_back(saved[std::to_string(i)].to(Device(kCUDA, 0)).impl_ptr());
  auto launcher = program::cuda_launcher(p);
  return median_step_ms([&] { program::run(p, args, *launcher); }, 200);
}

void run(const char *name, nn::Sequential (*make)(), IntArrayRef in_shape) {
  Device dev(kCUDA, 0);
  manual_seed(0);
  Tensor x = randn(in_shape).to(dev);
  Tensor y = randint(0, 10, {128}).to(dev);
  auto eager_model = make(), model = make();
  eager_model.to(dev);
  model.to(dev);
  optim::SGD eager_opt(eager_model.parameters(),
                       optim::SGDOptions(0.01).momentum(0.9));
  optim::SGD opt(model.parameters(), optim::SGDOptions(0.01).momentum(0.9));
  auto step = ember::bench::train_step;
  auto compiled = jit::compile(
      [&](const Tensor &a, const Tensor &b) { return step(model, opt, a, b); },
      {.name = name, .modules = {{"", &model}}});
  double eager =
      median_step_ms([&] { step(eager_model, eager_opt, x, y); }, 200);
  double comp = median_step_ms([&] { compiled(x, y); }, 200);
  jit::CompileStats s = compiled.stats();
  auto [t_eager, t_comp] = torch_baseline(name);
  std::printf("%s train step, batch 128, on %s:\n", name,
              cuda::get_device_name());
  std::printf("  ember eager CUDA %.3f ms, ember jit::compile %.3f ms "
              "(%lld of %lld calls compiled)\n",
              eager, comp, static_cast<long long>(s.compiled_calls),
              static_cast<long long>(s.calls));
  double prog = program_step_ms(name);
  if (prog > 0)
    std::printf("  ember compiled (saved device program) %.3f ms%s\n", prog,
                t_comp > 0 ? "" : " (no torch.compile figure to compare)");
  if (prog > 0 && t_comp > 0)
    std::printf("  torch.compile / ember compiled program %.2f (target >= "
                "1.0)\n",
                t_comp / prog);
  if (t_eager > 0)
    std::printf("  PyTorch eager %.3f ms (PyTorch / ember eager %.2f), "
                "torch.compile %.3f ms (torch.compile / ember compiled %.2f; "
                "target >= 1.0)\n",
                t_eager, t_eager / eager, t_comp, t_comp / comp);
  else
    std::printf("  PyTorch with CUDA not available: no ratio\n");
}

} // namespace

int main() {
  if (!cuda::is_available()) {
    std::printf("cuda_train_bench: no CUDA device on this machine; nothing "
                "to measure\n");
    return 0;
  }
  run("mlp", make_mlp, {128, 784});
  run("cnn", make_cnn, {128, 1, 28, 28});
  return 0;
}

// Writes the device programs of cuda_train_bench's training steps (the MLP
// 784-512-256-10 and the CNN, batch 128, SGD momentum 0.9), for timing them
// on a GPU machine that has no LLVM/MLIR to compile with (issue 9's device
// check, tools/gpu-prepare.sh): each step is traced and built into a
// program as jit::compile does for CUDA tensors (the program does not
// depend on the device it was traced on), and EMBER_SAVE_PROGRAMS makes its
// first compiled call write <dir>/<name>.program and its arguments. No
// kernel runs here (a launcher that launches nothing).
//   cuda_program_capture <dir>
#include "bench_models.h"

#include <ember/ember.h>
#include <ember/jit/compile.h>
#include <ember/runtime/file_io.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

using namespace ember;

namespace {

class NoLaunch : public program::KernelLauncher {
public:
  void launch(size_t, int64_t, void **) override {}
};

std::unique_ptr<jit::detail::Executable> capture(const jit::Trace &t,
                                                 std::string &why) {
  static const jit::detail::LauncherFactory none =
      [](const program::Program &) -> std::unique_ptr<program::KernelLauncher> {
    return std::make_unique<NoLaunch>();
  };
  return jit::detail::compile_trace_as_program(t, why, none);
}

void save(const char *name, nn::Sequential (*make)(), IntArrayRef in_shape) {
  manual_seed(0);
  Tensor x = randn(in_shape);
  Tensor y = randint(0, 10, {128});
  auto model = make();
  optim::SGD opt(model.parameters(), optim::SGDOptions(0.01).momentum(0.9));
  jit::CompiledFunction step(
      [&](const TensorList &in) {
        return TensorList{bench::train_step(model, opt, in[0], in[1])};
      },
      {.name = name, .modules = {{"", &model}}}, &capture);
  // The first call creates the momentum buffers, the second traces with
  // them and compiles, the third runs (and saves) the program.
  for (int i = 0; i < 3; ++i)
    step({x, y});
  // What a GPU machine will read back.
  std::string base =
      std::string(std::getenv("EMBER_SAVE_PROGRAMS")) + "/" + name;
  program::Program p = program::Program::deserialize(
      read_file("cuda_program_capture", base + ".program"));
  p.verify();
  size_t launches = 0;
  for (const program::Step &s : p.steps)
    launches += s.kind == program::StepKind::Launch;
  std::printf("%s: %zu steps (%zu launches of %zu kernels), %zu arguments "
              "saved in %s.args.safetensors\n",
              name, p.steps.size(), launches, p.kernels.size(),
              load(base + ".args.safetensors").size(), base.c_str());
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: cuda_program_capture <dir>\n");
    return 2;
  }
  std::filesystem::create_directories(argv[1]);
  ::setenv("EMBER_SAVE_PROGRAMS", argv[1], 1);
  save("mlp", bench::make_mlp, {128, 784});
  save("cnn", bench::make_cnn, {128, 1, 28, 28});
  return 0;
}

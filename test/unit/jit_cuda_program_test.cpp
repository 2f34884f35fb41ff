// jit::compile through the CUDA target, without a GPU: the trace is lowered
// and fused as for CUDA, built into a device program (ember/Codegen/CUDA.h:
// kernels as CUDA C, GEMMs/convolutions/pooling as runtime steps, views),
// and run by the real program runner on CPU tensors, its generated kernels
// compiled as host C++ (cuda_program_host.h). Compared with eager:
//   - the jit corpus (jit_corpus.h): exactly for integer, bool and `exact`
//     results, within rtol 1e-5 / atol 1e-6 for the rest;
//   - training steps (forward, ember-autodiff's backward, the optimizer
//     update) of an MLP and a CNN (convolutions, max-pooling, dropout's
//     Philox mask drawn in a kernel): after N compiled steps the parameters,
//     their .grad and the optimizer state equal N eager steps within rtol
//     1e-5 / atol 1e-6 (summation orders differ).
// On a GPU the same programs run with NVRTC and cuBLAS (cuda_device_test).
#include "cuda_program_host.h"
#include "jit_corpus.h"
#include "test_models.h"
#include "test_util.h"

#include <ember/jit/compile.h>

using namespace ember;
using namespace ember::testing;

namespace {

std::unique_ptr<jit::detail::Executable> host_program(const jit::Trace &t,
                                                      std::string &why) {
  static const jit::detail::LauncherFactory launchers =
      [](const program::Program &p)
      -> std::unique_ptr<program::KernelLauncher> {
    return std::make_unique<HostLauncher>(p);
  };
  return jit::detail::compile_trace_as_program(t, why, launchers);
}

// The same, and each program's CUDA C also goes through NVRTC (PTX for
// sm_90), as on a GPU (where libnvrtc can be loaded).
int nvrtc_programs = 0;
std::unique_ptr<jit::detail::Executable> host_program_nvrtc(const jit::Trace &t,
                                                            std::string &why) {
  static const jit::detail::LauncherFactory launchers =
      [](const program::Program &p)
      -> std::unique_ptr<program::KernelLauncher> {
    try {
      std::string ptx = program::nvrtc_compile(p.source, p.name, 90, true);
      EXPECT_NE(ptx.find(".entry " + p.kernels.front()), std::string::npos);
      ++nvrtc_programs;
    } catch (const Error &e) {
      std::string m = e.what();
      if (m.find("cannot load libnvrtc") == std::string::npos &&
          m.find("no CUDA support") == std::string::npos)
        ADD_FAILURE() << p.name << ": " << m;
    }
    return std::make_unique<HostLauncher>(p);
  };
  return jit::detail::compile_trace_as_program(t, why, launchers);
}

#define REQUIRE_HOST_COMPILER()                                                \
  if (!have_host_compiler())                                                   \
  GTEST_SKIP() << "no C++ compiler to build the kernels as host code"

TEST(JitCudaProgram, CorpusMatchesEager) {
  REQUIRE_HOST_COMPILER();
  size_t total = corpus::corpus().size();
  std::vector<std::string> eager = corpus::check_corpus(&host_program);
  std::string list;
  for (const auto &n : eager)
    list += " " + n;
  std::printf("cuda program corpus: %zu of %zu functions ran as programs; "
              "eager:%s\n",
              total - eager.size(), total, list.c_str());
  EXPECT_TRUE(eager.empty()) << "eager:" << list;
}

void expect_close(const Tensor &a, const Tensor &b, const std::string &what) {
  ASSERT_EQ(a.defined(), b.defined()) << what;
  if (a.defined()) {
    EXPECT_TRUE(allclose(a, b, 1e-5, 1e-6)) << what << "\nprogram:\n"
                                            << a << "\neager:\n"
                                            << b;
  }
}

Tensor train_step(nn::Module &m, optim::Optimizer &o, const Tensor &x,
                  const Tensor &y) {
  o.zero_grad();
  Tensor loss = nn::functional::cross_entropy(m(x), y);
  loss.backward();
  o.step();
  return loss.detach();
}

// N steps as a program against N eager steps of a copy on the CPU. With
// `device` CUDA, the program runs there through jit::compile's own backend
// (NVRTC, cuBLAS); else on the CPU with the kernels as host C++.
void compare_steps(
    const std::function<nn::Sequential()> &make,
    const std::function<std::unique_ptr<optim::Optimizer>(std::vector<Tensor>)>
        &make_opt,
    std::vector<int64_t> input, int steps, Device device = Device(kCPU)) {
  manual_seed(0);
  nn::Sequential model = make(), ref = make();
  copy_params(model, ref);
  model.to(device);
  auto opt = make_opt(model.parameters()), ref_opt = make_opt(ref.parameters());
  jit::CompiledFunction step(
      [&](const TensorList &in) {
        return TensorList{train_step(model, *opt, in[0], in[1])};
      },
      {.name = "train_step", .modules = {{"", &model}}},
      device.is_cuda() ? &jit::detail::compile_trace : &host_program_nvrtc);
  for (int k = 0; k < steps; ++k) {
    Tensor x = randn(input);
    Tensor y = randint(0, 10, {input[0]});
    // The same random stream for both (dropout's mask).
    manual_seed(100 + k);
    Tensor got = step({x.to(device), y.to(device)})[0].cpu();
    manual_seed(100 + k);
    Tensor want = train_step(ref, *ref_opt, x, y);
    std::string when = "step " + std::to_string(k);
    expect_close(got, want, when + ": loss");
    auto pa = model.parameters(), pb = ref.parameters();
    auto cpu = [](const Tensor &t) { return t.defined() ? t.cpu() : t; };
    for (size_t i = 0; i < pa.size(); ++i) {
      expect_close(cpu(pa[i]), pb[i],
                   when + ": parameter " + std::to_string(i));
      expect_close(cpu(pa[i].grad()), pb[i].grad(),
                   when + ": .grad of parameter " + std::to_string(i));
    }
    auto sa = opt->state_dict(), sb = ref_opt->state_dict();
    for (const auto &[index, dict] : sb.state)
      for (const auto &item : dict)
        expect_close(cpu(sa.state.at(index)[item.key()]), item.value(),
                     when + ": state '" + item.key() + "' of parameter " +
                         std::to_string(index));
  }
  // The first call traces and creates the optimizer's state, the second
  // traces again with it and compiles; every later one runs the program.
  EXPECT_EQ(step.stats().compiles, 1);
  EXPECT_EQ(step.stats().compiled_calls, steps - 2);
  EXPECT_EQ(step.stats().fallbacks, 0);
  std::printf("%d program(s) so far also compiled through NVRTC\n",
              nvrtc_programs);
}

nn::Sequential mlp() {
  return nn::Sequential{{"fc1", nn::Linear(20, 16)},
                        {"relu", nn::ReLU()},
                        {"fc2", nn::Linear(16, 10)}};
}

nn::Sequential cnn() {
  return nn::Sequential{
      {"conv1", nn::Conv2d(nn::Conv2dOptions(1, 4, 3).padding(1))},
      {"relu1", nn::ReLU()},
      {"pool1", nn::MaxPool2d(2)},
      {"conv2", nn::Conv2d(nn::Conv2dOptions(4, 6, 3).padding(1))},
      {"relu2", nn::ReLU()},
      {"pool2", nn::MaxPool2d(2)},
      {"flatten", nn::Flatten()},
      {"drop", nn::Dropout(0.25)},
      {"fc", nn::Linear(6 * 2 * 2, 10)}};
}

// A step through ItemScale (test_models.h) splits there: the pieces around
// it are programs, their VJPs too.
struct ItemScaleLayer : nn::Module {
  Tensor forward(const Tensor &x) override { return ItemScale::apply(x); }
};

nn::Sequential mlp_with_function() {
  return nn::Sequential{{"fc1", nn::Linear(20, 16)},
                        {"scale", ItemScaleLayer()},
                        {"relu", nn::ReLU()},
                        {"fc2", nn::Linear(16, 10)}};
}

std::unique_ptr<optim::Optimizer> sgd_momentum(std::vector<Tensor> ps) {
  return std::make_unique<optim::SGD>(std::move(ps),
                                      optim::SGDOptions(0.1).momentum(0.9));
}

TEST(JitCudaProgram, StepSplitAtAnEagerFunctionMatchesEager) {
  REQUIRE_HOST_COMPILER();
  compare_steps(mlp_with_function, sgd_momentum, {8, 20}, 5);
}

TEST(JitCudaProgram, MlpSgdMomentumStepsMatchEager) {
  REQUIRE_HOST_COMPILER();
  compare_steps(
      mlp,
      [](std::vector<Tensor> ps) -> std::unique_ptr<optim::Optimizer> {
        return std::make_unique<optim::SGD>(
            std::move(ps), optim::SGDOptions(0.1).momentum(0.9));
      },
      {8, 20}, 5);
}

TEST(JitCudaProgram, CnnAdamStepsMatchEager) {
  REQUIRE_HOST_COMPILER();
  compare_steps(
      cnn,
      [](std::vector<Tensor> ps) -> std::unique_ptr<optim::Optimizer> {
        return std::make_unique<optim::Adam>(std::move(ps),
                                             optim::AdamOptions(1e-2));
      },
      {4, 1, 8, 8}, 5);
}

// On a GPU (skipped elsewhere): the same steps on CUDA tensors through
// jit::compile's default backend, the program's kernels compiled by NVRTC
// and its GEMMs run by cuBLAS, against eager steps on the CPU. rtol 1e-5 /
// atol 1e-6 as above: CUDA's expf/logf differ from the host libm by an ulp
// or two, and cuBLAS sums in its own order.
#define REQUIRE_GPU()                                                          \
  if (!cuda::is_available())                                                   \
  GTEST_SKIP() << "no CUDA device"

TEST(JitCudaProgram, MlpStepsOnCudaMatchCpuEager) {
  REQUIRE_GPU();
  compare_steps(
      mlp,
      [](std::vector<Tensor> ps) -> std::unique_ptr<optim::Optimizer> {
        return std::make_unique<optim::SGD>(
            std::move(ps), optim::SGDOptions(0.1).momentum(0.9));
      },
      {8, 20}, 5, Device(kCUDA, 0));
}

TEST(JitCudaProgram, StepSplitOnCudaMatchesCpuEager) {
  REQUIRE_GPU();
  compare_steps(mlp_with_function, sgd_momentum, {8, 20}, 5, Device(kCUDA, 0));
}

TEST(JitCudaProgram, CnnStepsOnCudaMatchCpuEager) {
  REQUIRE_GPU();
  compare_steps(
      cnn,
      [](std::vector<Tensor> ps) -> std::unique_ptr<optim::Optimizer> {
        return std::make_unique<optim::Adam>(std::move(ps),
                                             optim::AdamOptions(1e-2));
      },
      {4, 1, 8, 8}, 5, Device(kCUDA, 0));
}

} // namespace

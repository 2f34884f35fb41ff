// Hand-written kernels in the style codegen's CUDA target emits (extern
// "C" __global__, one thread per element, tid checked against a constant),
// kept twice from one text: compiled here as host C++ through
// cuda_host_shim.h, and as a string (kProgramSource) for a Program's
// `source`, which NVRTC compiles in the tests and on a GPU. Also a host
// KernelLauncher with the CUDA launcher's 1-D geometry, and the program
// that mixes launches, a GEMM and views.
#pragma once

#include "cuda_host_shim.h"
#include "ember/runtime/program.h"

#include <functional>
#include <vector>

// Stringizing happens before the argument's macros expand: the string
// keeps `__global__`, the code gets the shim's definitions.
#define EMBER_TEST_KERNELS(...)                                                \
  inline const char *const kProgramSource = #__VA_ARGS__;                      \
  __VA_ARGS__

EMBER_TEST_KERNELS(
    // p1 = p0 * 2 + 1 over 12 floats.
    extern "C" __global__ void f_k0(const float *__restrict__ p0,
                                    float *__restrict__ p1) {
      const long long tid = (long long)blockIdx.x * blockDim.x + threadIdx.x;
      if (tid >= 12LL)
        return;
      p1[tid] = p0[tid] * 2.0f + 1.0f;
    }
    // p2 = p0 + p1 broadcast over rows: [3, 4] + [4].
    extern "C" __global__ void f_k1(const float *__restrict__ p0,
                                    const float *__restrict__ p1,
                                    float *__restrict__ p2) {
      const long long tid = (long long)blockIdx.x * blockDim.x + threadIdx.x;
      if (tid >= 12LL)
        return;
      p2[tid] = p0[tid] + p1[tid % 4LL];
    }
    // p0 = max(p0, 0) in place (reads its old contents).
    extern "C" __global__ void f_k2(float *__restrict__ p0) {
      const long long tid = (long long)blockIdx.x * blockDim.x + threadIdx.x;
      if (tid >= 12LL)
        return;
      const float v = p0[tid];
      p0[tid] = v > 0.0f ? v : 0.0f;
    })

namespace ember::program::testing {

/// Runs the kernels above on the host: kernel i of a program is fns[i],
/// called by every thread of a 1-D grid of 256-thread blocks.
class HostLauncher final : public KernelLauncher {
public:
  HostLauncher() {
    fns = {
        [](void **a) {
          f_k0(*static_cast<const float **>(a[0]),
               *static_cast<float **>(a[1]));
        },
        [](void **a) {
          f_k1(*static_cast<const float **>(a[0]),
               *static_cast<const float **>(a[1]),
               *static_cast<float **>(a[2]));
        },
        [](void **a) { f_k2(*static_cast<float **>(a[0])); },
    };
  }
  void launch(size_t index, int64_t threads, void **args) override {
    launches.push_back({index, threads});
    if (on_launch)
      on_launch(index);
    auto &fn = fns.at(index);
    unsigned grid = static_cast<unsigned>((threads + 255) / 256);
    ember_shim::launch(grid, 256, [&] { fn(args); });
  }

  std::vector<std::function<void(void **)>> fns;
  std::vector<std::pair<size_t, int64_t>> launches;
  std::function<void(size_t)> on_launch;
};

/// relu((x * 2 + 1) @ w^T + b) for x [3, 4], w [4, 4], b [4]: launches
/// (f_k0, f_k1, f_k2 in place), a Transpose view, a Matmul.
inline Program mixed_program() {
  Program p;
  p.name = "mixed";
  p.source = kProgramSource;
  p.kernels = {"f_k0", "f_k1", "f_k2"};
  auto slot = [&](std::vector<int64_t> sizes) {
    p.slots.push_back({DType::Float32, std::move(sizes)});
    return static_cast<int32_t>(p.slots.size() - 1);
  };
  int32_t x = slot({3, 4}), w = slot({4, 4}), b = slot({4});
  int32_t t = slot({3, 4}), wt = slot({4, 4}), m = slot({3, 4}),
          o = slot({3, 4});
  p.inputs = {x, w, b};
  p.outputs = {o};
  auto step = [&](StepKind k, int32_t out, std::vector<int32_t> in) {
    Step s;
    s.kind = k;
    s.out = out;
    s.in = std::move(in);
    p.steps.push_back(s);
    return &p.steps.back();
  };
  auto launch = [&](int32_t kernel, std::vector<int32_t> in,
                    std::vector<int32_t> written) {
    Step *s = step(StepKind::Launch, -1, std::move(in));
    s->kernel = kernel;
    s->threads = 12;
    s->written = std::move(written);
  };
  step(StepKind::Empty, t, {});
  launch(0, {x, t}, {1});
  step(StepKind::Transpose, wt, {w})->ints = {1, 0};
  step(StepKind::Matmul, m, {t, wt});
  step(StepKind::Empty, o, {});
  launch(1, {m, b, o}, {2});
  launch(2, {o}, {0});
  return p;
}

} // namespace ember::program::testing

// Runs ember's eager CUDA kernel sources (runtime/src/cuda/kernels/*.cuh)
// as host C++, so their logic is tested on machines without a GPU. Each
// block runs in turn; its threads run concurrently as real threads, so
// __syncthreads() (a barrier) and __shared__ (one static per block, as
// blocks do not overlap) behave as on a device.
#pragma once

#include <barrier>
#include <math.h>
#include <thread>
#include <vector>

namespace ember_shim {
struct dim3 {
  unsigned x = 1, y = 1, z = 1;
};
inline thread_local dim3 threadIdx, blockIdx;
inline dim3 blockDim, gridDim;
inline std::barrier<> *block_barrier = nullptr;

/// Runs `body` (which calls one kernel) for grid x block threads.
template <typename F> void launch(unsigned grid, unsigned block, F &&body) {
  gridDim.x = grid;
  blockDim.x = block;
  for (unsigned b = 0; b < grid; ++b) {
    std::barrier<> bar(block);
    block_barrier = &bar;
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < block; ++t)
      threads.emplace_back([&, b, t] {
        blockIdx.x = b;
        threadIdx.x = t;
        body();
      });
    for (auto &th : threads)
      th.join();
    block_barrier = nullptr;
  }
}
} // namespace ember_shim

using ember_shim::blockDim;
using ember_shim::blockIdx;
using ember_shim::gridDim;
using ember_shim::threadIdx;
#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
#define EMBER_KERNEL(name) void name
inline void __syncthreads() { ember_shim::block_barrier->arrive_and_wait(); }

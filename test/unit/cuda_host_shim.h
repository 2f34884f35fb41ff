// Runs ember's eager CUDA kernel sources (runtime/src/cuda/kernels/*.cuh)
// as host C++, so their logic is tested on machines without a GPU. Each
// block runs in turn; its threads run concurrently as real threads, so
// __syncthreads() (a barrier) and __shared__ (one static per block, as
// blocks do not overlap) behave as on a device. One launcher thread at a
// time (tests are single-threaded).
#pragma once

#include <barrier>
#include <functional>
#include <math.h>
#include <memory>
#include <thread>
#include <vector>

namespace ember_shim {
struct dim3 {
  unsigned x = 1, y = 1, z = 1;
};
inline thread_local dim3 threadIdx, blockIdx;
inline dim3 blockDim, gridDim;
inline std::barrier<> *block_barrier = nullptr;

// A block's threads are kept alive between launches (thread creation
// would dominate the tests' time): `block` workers wait on a start barrier
// with the launching thread, run the body for the current block, and meet
// again at an end barrier. The pool is rebuilt when the block size changes.
class Pool {
public:
  ~Pool() { resize(0); }
  void run(unsigned grid, unsigned block, const std::function<void()> &body) {
    if (block != size_)
      resize(block);
    body_ = &body;
    for (unsigned b = 0; b < grid; ++b) {
      block_ = b;
      start_->arrive_and_wait();
      end_->arrive_and_wait();
    }
    body_ = nullptr;
  }

private:
  void resize(unsigned n) {
    if (size_ > 0) {
      stop_ = true;
      start_->arrive_and_wait();
      for (auto &t : workers_)
        t.join();
      workers_.clear();
      stop_ = false;
    }
    size_ = n;
    if (n == 0)
      return;
    start_ = std::make_unique<std::barrier<>>(n + 1);
    end_ = std::make_unique<std::barrier<>>(n + 1);
    sync_ = std::make_unique<std::barrier<>>(n);
    block_barrier = sync_.get();
    for (unsigned t = 0; t < n; ++t)
      workers_.emplace_back([this, t] {
        threadIdx.x = t;
        for (;;) {
          start_->arrive_and_wait();
          if (stop_)
            return;
          blockIdx.x = block_;
          (*body_)();
          end_->arrive_and_wait();
        }
      });
  }
  unsigned size_ = 0, block_ = 0;
  bool stop_ = false;
  const std::function<void()> *body_ = nullptr;
  std::unique_ptr<std::barrier<>> start_, end_, sync_;
  std::vector<std::thread> workers_;
};

/// Runs `body` (which calls one kernel) for grid x block threads.
template <typename F> void launch(unsigned grid, unsigned block, F &&body) {
  static Pool pool;
  gridDim.x = grid;
  blockDim.x = block;
  pool.run(grid, block, std::function<void()>(body));
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

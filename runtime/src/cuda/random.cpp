// Host side of the CUDA random kernels (kernels/random.cuh): one thread per
// Philox block, the block count the CPU kernels reserve (cpu::*_blocks), so
// a (seed, offset) gives the CPU's numbers. randperm's Fisher-Yates is
// sequential: it runs on the host and the permutation is copied over.
#include "ember/runtime/cuda.h"
#include "ember/runtime/error.h"
#include "ember/runtime/kernels/cuda.h"
#include "module.h"

#include <cmath>
#include <string>

namespace ember::kernels::cuda {

using namespace ember::cuda::detail;

namespace {

void *random_kernel(DType t, const char *name) {
  return get_kernel("random",
                    std::string("typedef ") + c_type(t) + " scalar_t;\n", name);
}

void require_contiguous(const char *op, const TensorImpl &out) {
  EMBER_CHECK(out.is_contiguous(), op,
              "the CUDA random kernels write contiguous outputs, got strides ",
              out.strides());
}

} // namespace

void uniform(const TensorImpl &out, uint64_t seed, uint64_t offset, double from,
             double to) {
  require_contiguous("uniform_", out);
  visit_floating(out.dtype(), "uniform_", [&]<typename T>() {
    // The CPU kernel's constants, computed the same way.
    T lo = static_cast<T>(from), span = static_cast<T>(to - from);
    T hi = static_cast<T>(to), below = std::nextafter(hi, lo);
    void *po = out.data();
    int64_t n = out.numel();
    auto blocks = static_cast<int64_t>(cpu::uniform_blocks(out.dtype(), n));
    void *args[] = {&po, &seed, &offset, &lo, &span, &hi, &below, &n, &blocks};
    launch_elementwise(random_kernel(out.dtype(), "ember_uniform"), blocks,
                       args);
  });
}

void normal(const TensorImpl &out, uint64_t seed, uint64_t offset, double mean,
            double std) {
  require_contiguous("normal_", out);
  visit_floating(out.dtype(), "normal_", [&]<typename T>() {
    void *po = out.data();
    int64_t n = out.numel();
    auto blocks = static_cast<int64_t>(cpu::normal_blocks(out.dtype(), n));
    void *args[] = {&po, &seed, &offset, &mean, &std, &n, &blocks};
    launch_elementwise(random_kernel(out.dtype(), "ember_normal"), blocks,
                       args);
  });
}

void randint(const TensorImpl &out, uint64_t seed, uint64_t offset, int64_t low,
             int64_t high) {
  EMBER_CHECK(low < high, "randint", "expects low < high, got low=", low,
              " high=", high);
  require_contiguous("randint", out);
  uint64_t range = static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
  void *po = out.data();
  int64_t n = out.numel();
  auto blocks = static_cast<int64_t>(cpu::randint_blocks(n));
  void *args[] = {&po, &seed, &offset, &low, &range, &n, &blocks};
  launch_elementwise(random_kernel(out.dtype(), "ember_randint"), blocks, args);
}

void randperm(const TensorImpl &out, uint64_t seed, uint64_t offset) {
  require_contiguous("randperm", out);
  auto host = make_tensor_impl(out.sizes(), out.dtype(), Device(kCPU));
  cpu::randperm(*host, seed, offset);
  ember::cuda::copy_bytes(out.data(), true, host->data(), false,
                          static_cast<size_t>(out.numel()) * out.itemsize(),
                          out.device().index());
}

void bernoulli(const TensorImpl &out, const TensorImpl &p, uint64_t seed,
               uint64_t offset) {
  require_contiguous("bernoulli", out);
  EMBER_CHECK(p.is_contiguous() && p.dtype() == out.dtype() &&
                  p.numel() == out.numel(),
              "bernoulli",
              "expected contiguous probabilities of the output's dtype and "
              "size, got ",
              p.dtype(), " ", p.sizes());
  visit_floating(out.dtype(), "bernoulli", [&]<typename T>() {
    void *po = out.data();
    const void *pp = p.data();
    int64_t n = out.numel();
    auto blocks = static_cast<int64_t>(cpu::bernoulli_blocks(out.dtype(), n));
    void *args[] = {&po, &pp, &seed, &offset, &n, &blocks};
    launch_elementwise(random_kernel(out.dtype(), "ember_bernoulli"), blocks,
                       args);
  });
}

} // namespace ember::kernels::cuda

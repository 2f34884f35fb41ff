// Random draws (uniform, normal, randint, randperm, bernoulli) on the CPU.
// The stream layout is described in kernels/random.h. Parallel draws split
// the range of Philox blocks; every block is computed from its own counter,
// so the split does not change the numbers.
#include "ember/runtime/kernels/random.h"

#include "ember/runtime/error.h"
#include "ember/runtime/parallel.h"
#include "ember/runtime/philox.h"

#include <cmath>
#include <numbers>
#include <utility>

namespace ember::kernels::cpu {

namespace {

uint64_t words_per_element(DType dt) { return dt == DType::Float64 ? 2 : 1; }
uint64_t ceil_div(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

/// Runs fn(q, block) for every block q in [0, nblocks) of the stream at
/// (seed, offset), in parallel when large.
template <typename F>
void for_each_block(int64_t nblocks, uint64_t seed, uint64_t offset, F &&fn) {
  parallel_for(0, nblocks, kGrainSize / 4, [&](int64_t b, int64_t e) {
    for (int64_t q = b; q < e; ++q)
      fn(q, philox::block(seed, offset + static_cast<uint64_t>(q)));
  });
}

/// The `k`-th uniform in [0, 1) of a block: lane k for float32, lanes
/// (2k, 2k+1) for float64.
template <typename T> inline T block_uniform(const philox::Counter &c, int k) {
  if constexpr (std::is_same_v<T, float>)
    return philox::uniform_float(c.v[k]);
  else
    return philox::uniform_double(c.v[2 * k], c.v[2 * k + 1]);
}

template <typename T> constexpr int per_block() {
  return std::is_same_v<T, float> ? 4 : 2;
}

} // namespace

uint64_t uniform_blocks(DType dtype, int64_t numel) {
  return ceil_div(static_cast<uint64_t>(numel) * words_per_element(dtype), 4);
}
uint64_t normal_blocks(DType dtype, int64_t numel) {
  uint64_t pairs = ceil_div(static_cast<uint64_t>(numel), 2);
  return ceil_div(pairs * 2 * words_per_element(dtype), 4);
}
uint64_t randint_blocks(int64_t numel) {
  return ceil_div(static_cast<uint64_t>(numel) * 2, 4);
}
uint64_t randperm_blocks(int64_t n) {
  return n <= 1 ? 0 : ceil_div(static_cast<uint64_t>(n - 1) * 2, 4);
}

void uniform(const TensorImpl &out, uint64_t seed, uint64_t offset, double from,
             double to) {
  visit_floating(out.dtype(), "uniform_", [&]<typename T>() {
    T *p = out.data_as<T>();
    const int64_t n = out.numel();
    const T lo = static_cast<T>(from), span = static_cast<T>(to - from);
    const T hi = static_cast<T>(to);
    // Rounding of lo + span * u can reach `to`; keep the result below it.
    const T below = std::nextafter(hi, lo);
    constexpr int E = per_block<T>();
    for_each_block(static_cast<int64_t>(uniform_blocks(out.dtype(), n)), seed,
                   offset, [&](int64_t q, const philox::Counter &c) {
                     for (int k = 0; k < E; ++k) {
                       int64_t i = q * E + k;
                       if (i >= n)
                         break;
                       T v = lo + span * block_uniform<T>(c, k);
                       p[i] = (v >= hi && lo < hi) ? below : v;
                     }
                   });
  });
}

void normal(const TensorImpl &out, uint64_t seed, uint64_t offset, double mean,
            double std) {
  visit_floating(out.dtype(), "normal_", [&]<typename T>() {
    T *p = out.data_as<T>();
    const int64_t n = out.numel();
    // One block holds 2 pairs (float32) or 1 pair (float64).
    constexpr int pairs = per_block<T>() / 2;
    for_each_block(
        static_cast<int64_t>(normal_blocks(out.dtype(), n)), seed, offset,
        [&](int64_t q, const philox::Counter &c) {
          for (int k = 0; k < pairs; ++k) {
            int64_t i = (q * pairs + k) * 2;
            if (i >= n)
              break;
            // 1 - u1 lies in (0, 1], so the log is finite.
            double u1 = 1.0 - static_cast<double>(block_uniform<T>(c, 2 * k));
            double u2 = static_cast<double>(block_uniform<T>(c, 2 * k + 1));
            double r = std::sqrt(-2.0 * std::log(u1));
            double theta = 2.0 * std::numbers::pi * u2;
            p[i] = static_cast<T>(mean + std * r * std::cos(theta));
            if (i + 1 < n)
              p[i + 1] = static_cast<T>(mean + std * r * std::sin(theta));
          }
        });
  });
}

void randint(const TensorImpl &out, uint64_t seed, uint64_t offset, int64_t low,
             int64_t high) {
  EMBER_CHECK(low < high, "randint", "expects low < high, got low=", low,
              " high=", high);
  const uint64_t range =
      static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
  visit_dtype(out.dtype(), "randint", [&]<typename T>() {
    T *p = out.data_as<T>();
    const int64_t n = out.numel();
    for_each_block(static_cast<int64_t>(randint_blocks(n)), seed, offset,
                   [&](int64_t q, const philox::Counter &c) {
                     for (int k = 0; k < 2; ++k) {
                       int64_t i = q * 2 + k;
                       if (i >= n)
                         break;
                       uint64_t r =
                           philox::u64(c.v[2 * k], c.v[2 * k + 1]) % range;
                       auto v =
                           static_cast<int64_t>(static_cast<uint64_t>(low) + r);
                       p[i] = static_cast<T>(v);
                     }
                   });
  });
}

void randperm(const TensorImpl &out, uint64_t seed, uint64_t offset) {
  visit_dtype(out.dtype(), "randperm", [&]<typename T>() {
    T *p = out.data_as<T>();
    const int64_t n = out.numel();
    for (int64_t i = 0; i < n; ++i)
      p[i] = static_cast<T>(i);
    // Fisher-Yates: swap i with a uniform pick from [i, n). Sequential by
    // nature; one block feeds two swaps.
    philox::Counter c{};
    for (int64_t i = 0; i + 1 < n; ++i) {
      int k = static_cast<int>(i % 2);
      if (k == 0)
        c = philox::block(seed, offset + static_cast<uint64_t>(i / 2));
      uint64_t z = philox::u64(c.v[2 * k], c.v[2 * k + 1]) %
                   static_cast<uint64_t>(n - i);
      std::swap(p[i], p[i + static_cast<int64_t>(z)]);
    }
  });
}

void bernoulli(const TensorImpl &out, const TensorImpl &prob, uint64_t seed,
               uint64_t offset) {
  visit_floating(out.dtype(), "bernoulli", [&]<typename T>() {
    T *p = out.data_as<T>();
    const T *pr = prob.data_as<T>();
    const int64_t n = out.numel();
    constexpr int E = per_block<T>();
    for_each_block(static_cast<int64_t>(bernoulli_blocks(out.dtype(), n)), seed,
                   offset, [&](int64_t q, const philox::Counter &c) {
                     for (int k = 0; k < E; ++k) {
                       int64_t i = q * E + k;
                       if (i >= n)
                         break;
                       p[i] = block_uniform<T>(c, k) < pr[i] ? T(1) : T(0);
                     }
                   });
  });
}

} // namespace ember::kernels::cpu

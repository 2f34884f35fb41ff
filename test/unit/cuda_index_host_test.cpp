// The CUDA index and random kernels (runtime/src/cuda/kernels/index.cuh,
// random.cuh), compiled as host C++ behind cuda_host_shim.h and launched
// with the runtime's geometry (make_geom, chunk_grid, scatter_lines), equal
// the CPU reference kernels bit for bit: index_offsets, gather, scatter and
// the deterministic scatter-add, count_nonzero / nonzero, int_range,
// one_hot; Philox blocks against philox.h; uniform, normal, randint and
// bernoulli for the same (seed, offset). (normal is bitwise here because
// the shim calls the same libm as the CPU kernel; on a GPU, CUDA's log /
// sin / cos may differ in the last ulp: see cuda_device_test.cpp.)
#include "cuda_host_shim.h"

#include "../../runtime/src/cuda/kernels/common.cuh"

// One namespace per element type, as NVRTC gets one module per dtype.
namespace i_bool {
typedef bool scalar_t;
#include "../../runtime/src/cuda/kernels/index.cuh"
#include "../../runtime/src/cuda/kernels/random.cuh"
} // namespace i_bool
namespace i_uint8 {
typedef unsigned char scalar_t;
#include "../../runtime/src/cuda/kernels/index.cuh"
#include "../../runtime/src/cuda/kernels/random.cuh"
} // namespace i_uint8
namespace i_int32 {
typedef int scalar_t;
#include "../../runtime/src/cuda/kernels/index.cuh"
#include "../../runtime/src/cuda/kernels/random.cuh"
} // namespace i_int32
namespace i_int64 {
typedef long long scalar_t;
#include "../../runtime/src/cuda/kernels/index.cuh"
#include "../../runtime/src/cuda/kernels/random.cuh"
} // namespace i_int64
namespace i_float32 {
typedef float scalar_t;
#include "../../runtime/src/cuda/kernels/index.cuh"
#include "../../runtime/src/cuda/kernels/random.cuh"
} // namespace i_float32
namespace i_float64 {
typedef double scalar_t;
#include "../../runtime/src/cuda/kernels/index.cuh"
#include "../../runtime/src/cuda/kernels/random.cuh"
} // namespace i_float64

#include "../../runtime/src/cuda/index_geom.h"
#include "../../runtime/src/cuda/module.h"
#include "ember/runtime/error.h"
#include "ember/runtime/kernels/index.h"
#include "ember/runtime/kernels/random.h"
#include "ember/runtime/philox.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

namespace {

using namespace ember;
using TI = std::shared_ptr<TensorImpl>;
using cuda::detail::chunk_grid;
using cuda::detail::Chunks;
using cuda::detail::kIndexBlock;

::Geom to_kernel(const cuda::detail::Geom &g) {
  ::Geom k;
  std::memcpy(&k, &g, sizeof k);
  return k;
}
::Geom geom(const char *op, std::vector<const TensorImpl *> ops) {
  return to_kernel(cuda::detail::make_geom(op, std::move(ops)));
}

// Grid-stride kernels on a small grid, so that both the block and the
// stride loops run.
template <typename F> void run(F &&body) { ember_shim::launch(3, 4, body); }

TI contiguous(DimVector sizes, DType t) {
  return make_tensor_impl(sizes, t, Device(kCPU));
}
TI view_of(const TI &base, DimVector sizes, DimVector strides,
           int64_t offset = 0) {
  return std::make_shared<TensorImpl>(base->storage(), base->dtype(), sizes,
                                      strides, offset);
}
i64 *L(const TI &t) { return static_cast<i64 *>(t->data()); }

// Fills the whole storage with small values (many zeros for masks).
void fill_values(const TensorImpl &t, uint32_t seed, int spread = 5) {
  std::mt19937 rng(seed);
  int64_t n = static_cast<int64_t>(t.storage()->nbytes() / t.itemsize());
  char *base = static_cast<char *>(t.storage()->data());
  visit_dtype(t.dtype(), "fill", [&]<typename T>() {
    T *p = reinterpret_cast<T *>(base);
    for (int64_t i = 0; i < n; ++i) {
      int r = static_cast<int>(rng() % (2 * spread + 1)) - spread;
      if constexpr (std::is_same_v<T, bool>)
        p[i] = r > 0;
      else if constexpr (std::is_floating_point_v<T>)
        p[i] = r == 0 ? T(0) : static_cast<T>(r) * T(0.37) + T(0.1);
      else if constexpr (std::is_unsigned_v<T>)
        p[i] = static_cast<T>(r < 0 ? 0 : r);
      else
        p[i] = static_cast<T>(r);
    }
  });
}

// Equality through the views, bit for bit (NaN equals NaN).
void expect_same(const TensorImpl &want, const TensorImpl &got,
                 const std::string &what) {
  ASSERT_EQ(want.dtype(), got.dtype()) << what;
  ASSERT_EQ(want.sizes(), got.sizes()) << what;
  const int64_t n = want.numel(), nd = want.dim();
  visit_dtype(want.dtype(), "cmp", [&]<typename T>() {
    std::vector<int64_t> c(nd, 0);
    for (int64_t k = 0; k < n; ++k) {
      int64_t oa = 0, ob = 0;
      for (int64_t d = 0; d < nd; ++d) {
        oa += c[d] * want.stride(d);
        ob += c[d] * got.stride(d);
      }
      T a = want.data_as<T>()[oa], b = got.data_as<T>()[ob];
      ASSERT_EQ(std::memcmp(&a, &b, sizeof(T)), 0)
          << what << ": element " << k << " is " << +b
          << ", the CPU kernel gives " << +a;
      for (int64_t d = nd - 1; d >= 0; --d) {
        if (++c[d] < want.size(d))
          break;
        c[d] = 0;
      }
    }
  });
}
// A fresh copy of t's whole storage, viewed with t's geometry.
TI clone_storage(const TI &t) {
  TI b =
      contiguous({static_cast<int64_t>(t->storage()->nbytes() / t->itemsize())},
                 t->dtype());
  std::memcpy(b->data(), t->storage()->data(), t->storage()->nbytes());
  return std::make_shared<TensorImpl>(b->storage(), t->dtype(),
                                      t->sizes().vec(), t->strides().vec(),
                                      t->storage_offset());
}

const std::vector<DType> kAll = {kBool,  kUInt8,   kInt32,
                                 kInt64, kFloat32, kFloat64};

// Type-erased entry points of one dtype's index and random modules.
struct Set {
  void (*offsets)(i64 *, const void *, i64, i64, int, ::Geom, i64);
  void (*gather)(void *, const void *, const i64 *, ::Geom, i64);
  void (*scatter)(void *, const void *, const i64 *, ::Geom, i64);
  void (*scatter_add)(void *, const void *, const i64 *, ::Geom, int, i64, i64);
  void (*count)(const void *, ::Geom, i64, i64, i64 *);
  void (*nonzero)(i64 *, const void *, ::Geom, ::Geom, i64, i64, const i64 *,
                  i64);
  void (*range)(const void *, ::Geom, i64, i64, i64 *, i64 *);
  void (*randint)(void *, unsigned long long, unsigned long long, i64,
                  unsigned long long, i64, i64);
};
#define EMBER_SET(NS)                                                          \
  Set NS##_set() {                                                             \
    using S = NS::scalar_t;                                                    \
    return Set{                                                                \
        [](i64 *o, const void *x, i64 s, i64 st, int w, ::Geom g, i64 n) {     \
          NS::ember_index_offsets(o, (const S *)x, s, st, w, g, n);            \
        },                                                                     \
        [](void *o, const void *s, const i64 *f, ::Geom g, i64 n) {            \
          NS::ember_gather_offsets((S *)o, (const S *)s, f, g, n);             \
        },                                                                     \
        [](void *d, const void *v, const i64 *f, ::Geom g, i64 n) {            \
          NS::ember_scatter_offsets((S *)d, (const S *)v, f, g, n);            \
        },                                                                     \
        [](void *d, const void *v, const i64 *f, ::Geom g, int z, i64 nl,      \
           i64 nz) {                                                           \
          NS::ember_scatter_add_lines((S *)d, (const S *)v, f, g, z, nl, nz);  \
        },                                                                     \
        [](const void *x, ::Geom g, i64 n, i64 ch, i64 *c) {                   \
          NS::ember_count_nonzero((const S *)x, g, n, ch, c);                  \
        },                                                                     \
        [](i64 *o, const void *x, ::Geom g, ::Geom sh, i64 n, i64 ch,          \
           const i64 *c, i64 rows) {                                           \
          NS::ember_nonzero(o, (const S *)x, g, sh, n, ch, c, rows);           \
        },                                                                     \
        [](const void *x, ::Geom g, i64 n, i64 ch, i64 *lo, i64 *hi) {         \
          NS::ember_int_range((const S *)x, g, n, ch, lo, hi);                 \
        },                                                                     \
        [](void *o, unsigned long long s, unsigned long long off, i64 low,     \
           unsigned long long r, i64 n,                                        \
           i64 nb) { NS::ember_randint((S *)o, s, off, low, r, n, nb); }};     \
  }
EMBER_SET(i_bool)
EMBER_SET(i_uint8)
EMBER_SET(i_int32)
EMBER_SET(i_int64)
EMBER_SET(i_float32)
EMBER_SET(i_float64)
#undef EMBER_SET

const Set &set_for(DType t) {
  static const Set sets[] = {i_bool_set(),  i_uint8_set(),   i_int32_set(),
                             i_int64_set(), i_float32_set(), i_float64_set()};
  return sets[static_cast<int>(t)];
}

// --- index ------------------------------------------------------------------

TEST(CudaIndexHost, IndexOffsetsEqualCpu) {
  int checked = 0;
  for (DType it : {kInt64, kInt32}) {
    for (bool wrap : {false, true}) {
      // A [4, 6] offsets tensor that already holds values, the index a
      // broadcast view of a [6] vector, and a transposed one.
      TI base = contiguous({6, 4}, it);
      fill_values(*base, 3 + checked, 4); // values in [-4, 4]
      if (!wrap)
        visit_dtype(it, "abs", [&]<typename T>() {
          for (int64_t i = 0; i < 24; ++i)
            base->data_as<T>()[i] = std::abs(base->data_as<T>()[i]);
        });
      std::vector<TI> indices = {view_of(base, {4, 6}, {0, 1}),
                                 view_of(base, {4, 6}, {1, 4})};
      for (const TI &index : indices) {
        TI want = contiguous({4, 6}, kInt64), got = contiguous({4, 6}, kInt64);
        for (int64_t i = 0; i < 24; ++i)
          L(want)[i] = L(got)[i] = 100 * i;
        kernels::cpu::index_offsets(*want, *index, 5, 7, wrap, "t", 0);
        ::Geom g = geom("index_offsets", {got.get(), index.get()});
        run([&] {
          set_for(it).offsets(L(got), index->data(), 5, 7, wrap, g, 24);
        });
        expect_same(*want, *got, "index_offsets");
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 8);
}

TEST(CudaIndexHost, GatherEqualsCpu) {
  for (DType dt : kAll) {
    // out [3, 5] = x[index, :] with x [4, 5] restrided (stride 0 on dim 0),
    // the offsets a [3, 1] column broadcast over dim 1.
    TI x = contiguous({4, 5}, dt);
    fill_values(*x, 11);
    TI src = view_of(x, {3, 5}, {0, 1});
    TI off = contiguous({3}, kInt64);
    L(off)[0] = 15;
    L(off)[1] = 0;
    L(off)[2] = 15;
    TI offv = view_of(off, {3, 5}, {1, 0});
    TI want = contiguous({3, 5}, dt), got = contiguous({3, 5}, dt);
    kernels::cpu::gather_offsets(*want, *src, *offv);
    ::Geom g = geom("gather", {got.get(), src.get(), offv.get()});
    run([&] {
      set_for(dt).gather(got->data(), src->data(), L(off), g, got->numel());
    });
    expect_same(*want, *got, "gather " + std::string(dtype_name(dt)));
  }
}

TEST(CudaIndexHost, ScatterWithoutDuplicatesEqualsCpu) {
  for (DType dt : kAll) {
    // dst [4, 5]; rows 3, 0, 2 written from values [3, 5] (transposed).
    TI want = contiguous({4, 5}, dt);
    fill_values(*want, 12);
    TI got = clone_storage(want);
    TI vbase = contiguous({5, 3}, dt);
    fill_values(*vbase, 13);
    TI values = view_of(vbase, {3, 5}, {1, 3});
    TI off = contiguous({3}, kInt64);
    L(off)[0] = 15;
    L(off)[1] = 0;
    L(off)[2] = 10;
    TI offv = view_of(off, {3, 5}, {1, 0});
    TI dw = view_of(want, {3, 5}, {0, 1}), dg = view_of(got, {3, 5}, {0, 1});
    kernels::cpu::scatter_offsets(*dw, *values, *offv, false);
    ::Geom g = geom("scatter", {dg.get(), values.get(), offv.get()});
    run([&] {
      set_for(dt).scatter(dg->data(), values->data(), L(off), g, 15);
    });
    expect_same(*want, *got, "scatter " + std::string(dtype_name(dt)));
  }
}

// Accumulation with many duplicates must equal the CPU's serial loop bit
// for bit, also in float (the order of the additions is the CPU's).
TEST(CudaIndexHost, ScatterAddIsDeterministicAndEqualsCpu) {
  struct Case {
    std::string name;
    DimVector dst_sizes, iter, dst_strides, off_strides;
    int64_t noff;
  };
  // scatter_add along dim 0 and dim 1 of a [3, 4] dst (index [6, 4] and
  // [3, 7]); an index_put_-like [2, 3] broadcast index over dim 1 of a
  // [2, 5, 3] dst (two stride-0 dims, result [2, 2, 3, 3]); a 1-D
  // histogram (all elements collide, one line).
  std::vector<Case> cases = {
      {"dim0", {3, 4}, {6, 4}, {0, 1}, {4, 1}, 24},
      {"dim1", {3, 4}, {3, 7}, {4, 0}, {7, 1}, 21},
      {"advanced", {2, 5, 3}, {2, 2, 3, 3}, {15, 0, 0, 1}, {0, 3, 1, 0}, 6},
      {"histogram", {5}, {40}, {0}, {1}, 40},
  };
  for (DType dt : kAll) {
    for (const Case &c : cases) {
      TI want = contiguous(c.dst_sizes, dt);
      fill_values(*want, 21);
      TI got = clone_storage(want);
      TI off = contiguous({c.noff}, kInt64);
      std::mt19937 rng(5);
      // Offsets along the stride-0 dims of dst: index * that dim's stride.
      int64_t dstride = c.name == "dim1" ? 1 : c.name == "dim0" ? 4 : 3;
      int64_t dsize = c.name == "dim1"        ? 4
                      : c.name == "advanced"  ? 5
                      : c.name == "histogram" ? 5
                                              : 3;
      if (c.name == "histogram")
        dstride = 1;
      for (int64_t i = 0; i < c.noff; ++i)
        L(off)[i] = static_cast<int64_t>(rng() % dsize) * dstride;
      TI offv = view_of(off, c.iter, c.off_strides);
      int64_t nval = 1;
      for (int64_t s : c.iter)
        nval *= s;
      TI values = contiguous(c.iter, dt);
      fill_values(*values, 22);
      if (is_floating_point(dt)) // values of mixed magnitude: order matters
        visit_floating(dt, "scale", [&]<typename T>() {
          for (int64_t i = 0; i < nval; ++i)
            values->data_as<T>()[i] *= static_cast<T>(std::pow(10.0, i % 9));
        });
      TI dw = view_of(want, c.iter, c.dst_strides);
      TI dg = view_of(got, c.iter, c.dst_strides);
      kernels::cpu::scatter_offsets(*dw, *values, *offv, true);
      cuda::detail::Lines l = cuda::detail::scatter_lines(*dg, *values, *offv);
      ::Geom g = to_kernel(l.g);
      run([&] {
        set_for(dt).scatter_add(dg->data(), values->data(), L(off), g, l.zmask,
                                l.nlines, l.nz);
      });
      expect_same(*want, *got,
                  "scatter_add " + c.name + " " + std::string(dtype_name(dt)));
    }
  }
  // The line split: a [6, 4] iteration with dst stride 0 on dim 0 has 4
  // lines of 6 elements.
  TI d = contiguous({3, 4}, kFloat32), v = contiguous({6, 4}, kFloat32);
  TI o = contiguous({6, 4}, kInt64);
  cuda::detail::Lines l =
      cuda::detail::scatter_lines(*view_of(d, {6, 4}, {0, 1}), *v, *o);
  EXPECT_EQ(l.nlines, 4);
  EXPECT_EQ(l.nz, 6);
  EXPECT_EQ(l.zmask, 1);
}

// Runs count + nonzero as the runtime does, with `max_blocks` blocks of
// `threads` threads (threads a power of two <= kIndexBlock).
void check_nonzero(const TI &mask, int64_t max_blocks, unsigned threads,
                   const std::string &what) {
  const int64_t n = mask->numel();
  Chunks c = chunk_grid(n, max_blocks);
  TI counts = contiguous({c.blocks}, kInt64);
  ::Geom g = geom("nonzero", {mask.get()});
  const Set &s = set_for(mask->dtype());
  ember_shim::launch(static_cast<unsigned>(c.blocks), threads,
                     [&] { s.count(mask->data(), g, n, c.chunk, L(counts)); });
  int64_t total = 0;
  for (int64_t b = 0; b < c.blocks; ++b)
    total += L(counts)[b];
  ASSERT_EQ(total, kernels::cpu::count_nonzero(*mask)) << what;
  TI want = contiguous({total, mask->dim()}, kInt64);
  TI got = contiguous({total, mask->dim()}, kInt64);
  std::memset(got->data(), 0xff, got->storage()->nbytes());
  kernels::cpu::nonzero(*want, *mask);
  ::Geom shape = to_kernel(cuda::detail::shape_geom("nonzero", *mask));
  ember_shim::launch(static_cast<unsigned>(c.blocks), threads, [&] {
    s.nonzero(L(got), mask->data(), g, shape, n, c.chunk, L(counts), total);
  });
  expect_same(*want, *got, what);
}

TEST(CudaIndexHost, CountNonzeroAndNonzeroEqualCpu) {
  int checked = 0;
  for (DType dt : kAll) {
    TI base = contiguous({9, 5, 23}, dt);
    fill_values(*base, 31, 1); // about a third zeros
    std::vector<std::pair<std::string, TI>> masks = {
        {"contiguous", base},
        {"transposed", view_of(base, {23, 9, 5}, {1, 115, 23})},
        {"1-d slice", view_of(base, {300}, {3})}};
    for (auto &[name, m] : masks) {
      std::string what = "nonzero " + name + " " + std::string(dtype_name(dt));
      // The runtime's grid (blocks of 256, few chunks), many chunks with
      // several tiles each, and one chunk.
      check_nonzero(m, 256, kIndexBlock, what + " runtime grid");
      check_nonzero(m, 7, 8, what + " 7 chunks of 8-thread tiles");
      check_nonzero(m, 1, 4, what + " one chunk");
      ++checked;
    }
  }
  EXPECT_EQ(checked, 18);
}

TEST(CudaIndexHost, IntRangeEqualsCpu) {
  for (int64_t n : {1, 7, 1000, 5000}) {
    TI x = contiguous({n}, kInt64);
    std::mt19937_64 rng(n);
    for (int64_t i = 0; i < n; ++i)
      L(x)[i] = static_cast<int64_t>(rng()); // full int64 range
    for (auto [blocks, threads] :
         {std::pair<int64_t, unsigned>{256, 256}, {5, 8}, {1, 2}}) {
      Chunks c = chunk_grid(n, blocks);
      TI lo = contiguous({c.blocks}, kInt64),
         hi = contiguous({c.blocks}, kInt64);
      ::Geom g = geom("int_range", {x.get()});
      ember_shim::launch(static_cast<unsigned>(c.blocks), threads, [&] {
        set_for(kInt64).range(x->data(), g, n, c.chunk, L(lo), L(hi));
      });
      int64_t want_lo = 0, want_hi = 0;
      kernels::cpu::int_range(*x, want_lo, want_hi);
      EXPECT_EQ(*std::min_element(L(lo), L(lo) + c.blocks), want_lo) << n;
      EXPECT_EQ(*std::max_element(L(hi), L(hi) + c.blocks), want_hi) << n;
    }
  }
  // int32 indices through the transposed geometry (index_offsets' check).
  TI b = contiguous({6, 4}, kInt32);
  fill_values(*b, 41, 9);
  TI t = view_of(b, {4, 6}, {1, 4});
  Chunks c = chunk_grid(24, 256);
  TI lo = contiguous({c.blocks}, kInt64), hi = contiguous({c.blocks}, kInt64);
  ::Geom g = geom("int_range", {t.get()});
  ember_shim::launch(static_cast<unsigned>(c.blocks), 256, [&] {
    set_for(kInt32).range(t->data(), g, 24, c.chunk, L(lo), L(hi));
  });
  int mn = *std::min_element(b->data_as<int>(), b->data_as<int>() + 24);
  int mx = *std::max_element(b->data_as<int>(), b->data_as<int>() + 24);
  EXPECT_EQ(L(lo)[0], mn);
  EXPECT_EQ(L(hi)[0], mx);
}

TEST(CudaIndexHost, OneHotEqualsCpu) {
  TI x = contiguous({3, 7}, kInt64);
  for (int64_t i = 0; i < 21; ++i)
    L(x)[i] = (i * 5) % 6;
  TI want = contiguous({3, 7, 6}, kInt64), got = contiguous({3, 7, 6}, kInt64);
  kernels::cpu::one_hot(*want, *x, 6);
  run([&] { i_float32::ember_one_hot(L(got), L(x), 6, got->numel()); });
  expect_same(*want, *got, "one_hot");
}

// --- random -----------------------------------------------------------------

// Seeds with both halves set and an offset whose low word wraps inside the
// draw (the counter's carry into its high word).
constexpr uint64_t kSeed = 0x123456789abcdefull;
constexpr uint64_t kOffset = 0xfffffff0ull;

TEST(CudaRandomHost, PhiloxBlocksEqualPhiloxH) {
  const int64_t nb = 64;
  std::vector<uint32_t> got(nb * 4);
  run([&] { i_float32::ember_philox_blocks(got.data(), kSeed, kOffset, nb); });
  for (int64_t q = 0; q < nb; ++q) {
    philox::Counter c = philox::block(kSeed, kOffset + q);
    for (int k = 0; k < 4; ++k)
      ASSERT_EQ(got[q * 4 + k], c.v[k]) << "block " << q << " lane " << k;
  }
  // Random123's known-answer vector: philox4x32_10(0, 0).
  philox::Counter zero = philox::block(0, 0);
  run([&] { i_float32::ember_philox_blocks(got.data(), 0, 0, 1); });
  for (int k = 0; k < 4; ++k)
    EXPECT_EQ(got[k], zero.v[k]);
  EXPECT_EQ(zero.v[0], 0x6627e8d5u);
}

TEST(CudaRandomHost, UniformNormalBernoulliEqualCpu) {
  for (int64_t n : {1, 2, 3, 1001}) {
    for (DType dt : {kFloat32, kFloat64}) {
      std::string what =
          std::string(dtype_name(dt)) + " n=" + std::to_string(n);
      visit_floating(dt, "t", [&]<typename T>() {
        // uniform over [-2, 3) and a range where rounding reaches `to`.
        for (auto [from, to] : {std::pair{-2.0, 3.0}, {1.0, 1.0 + 1e-9}}) {
          TI want = contiguous({n}, dt), got = contiguous({n}, dt);
          kernels::cpu::uniform(*want, kSeed, kOffset, from, to);
          T lo = static_cast<T>(from), span = static_cast<T>(to - from);
          T hi = static_cast<T>(to), below = std::nextafter(hi, lo);
          auto nb = static_cast<i64>(kernels::cpu::uniform_blocks(dt, n));
          run([&] {
            if constexpr (std::is_same_v<T, float>)
              i_float32::ember_uniform(got->data_as<float>(), kSeed, kOffset,
                                       lo, span, hi, below, n, nb);
            else
              i_float64::ember_uniform(got->data_as<double>(), kSeed, kOffset,
                                       lo, span, hi, below, n, nb);
          });
          expect_same(*want, *got, "uniform " + what);
        }
        TI want = contiguous({n}, dt), got = contiguous({n}, dt);
        kernels::cpu::normal(*want, kSeed, kOffset, 0.5, 2.0);
        auto nb = static_cast<i64>(kernels::cpu::normal_blocks(dt, n));
        run([&] {
          if constexpr (std::is_same_v<T, float>)
            i_float32::ember_normal(got->data_as<float>(), kSeed, kOffset, 0.5,
                                    2.0, n, nb);
          else
            i_float64::ember_normal(got->data_as<double>(), kSeed, kOffset, 0.5,
                                    2.0, n, nb);
        });
        expect_same(*want, *got, "normal " + what);
        TI p = contiguous({n}, dt);
        for (int64_t i = 0; i < n; ++i)
          p->data_as<T>()[i] = static_cast<T>((i % 11) / 10.0);
        TI bw = contiguous({n}, dt), bg = contiguous({n}, dt);
        kernels::cpu::bernoulli(*bw, *p, kSeed, kOffset);
        nb = static_cast<i64>(kernels::cpu::bernoulli_blocks(dt, n));
        run([&] {
          if constexpr (std::is_same_v<T, float>)
            i_float32::ember_bernoulli(bg->data_as<float>(),
                                       p->data_as<float>(), kSeed, kOffset, n,
                                       nb);
          else
            i_float64::ember_bernoulli(bg->data_as<double>(),
                                       p->data_as<double>(), kSeed, kOffset, n,
                                       nb);
        });
        expect_same(*bw, *bg, "bernoulli " + what);
      });
    }
  }
}

TEST(CudaRandomHost, RandintEqualsCpuForEveryDtype) {
  int checked = 0;
  for (DType dt : kAll) {
    std::vector<std::pair<int64_t, int64_t>> ranges = {{0, 2}, {0, 200}};
    if (dt == kInt32 || dt == kInt64 || is_floating_point(dt))
      ranges.push_back({-1000, 7});
    if (dt == kInt64) // the whole int64 range: 64-bit words, no overflow
      ranges.push_back({std::numeric_limits<int64_t>::min(),
                        std::numeric_limits<int64_t>::max()});
    for (auto range_pair : ranges) {
      const int64_t low = range_pair.first, high = range_pair.second;
      for (int64_t n : {1, 5, 333}) {
        TI want = contiguous({n}, dt), got = contiguous({n}, dt);
        kernels::cpu::randint(*want, kSeed, kOffset, low, high);
        uint64_t range =
            static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
        auto nb = static_cast<i64>(kernels::cpu::randint_blocks(n));
        run([&] {
          set_for(dt).randint(got->data(), kSeed, kOffset, low, range, n, nb);
        });
        expect_same(*want, *got,
                    "randint " + std::string(dtype_name(dt)) + " [" +
                        std::to_string(low) + ", " + std::to_string(high) +
                        ") n=" + std::to_string(n));
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 3 * (2 * 2 + 4 * 3 + 1));
}

} // namespace

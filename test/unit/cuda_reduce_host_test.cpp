// The CUDA reduction and softmax kernel sources (runtime/src/cuda/kernels/
// reduce.cuh, softmax.cuh), compiled as host C++ behind cuda_host_shim.h
// and launched with the geometry the runtime builds (make_reduce_geom,
// reduce_launch, softmax_launch), against the CPU reference kernels: every
// ReduceOp and dtype on all, inner, outer, middle and two reduced dims,
// strided and broadcast inputs, empty reductions, one-element rows and rows
// longer than a block, in both loop shapes (a thread or a block per output).
// Integer results, max/min and indices must be equal; floating results
// within rtol 1e-6 (float32) / 1e-12 (float64) of |want| (Var/Std: of
// max(|want|, 1), the data's scale), since the CUDA summation order is not
// the CPU's (both accumulate in double).
#include "cuda_host_shim.h"

#include "../../runtime/src/cuda/kernels/common.cuh"

// One namespace per element type, as NVRTC gets one module per dtype.
namespace r_bool {
typedef bool scalar_t;
#include "../../runtime/src/cuda/kernels/reduce.cuh"
} // namespace r_bool
namespace r_uint8 {
typedef unsigned char scalar_t;
#include "../../runtime/src/cuda/kernels/reduce.cuh"
} // namespace r_uint8
namespace r_int32 {
typedef int scalar_t;
#include "../../runtime/src/cuda/kernels/reduce.cuh"
} // namespace r_int32
namespace r_int64 {
typedef long long scalar_t;
#include "../../runtime/src/cuda/kernels/reduce.cuh"
} // namespace r_int64
namespace r_float32 {
typedef float scalar_t;
#include "../../runtime/src/cuda/kernels/reduce.cuh"
} // namespace r_float32
namespace r_float64 {
typedef double scalar_t;
#include "../../runtime/src/cuda/kernels/reduce.cuh"
} // namespace r_float64
namespace s_float32 {
typedef float scalar_t;
#include "../../runtime/src/cuda/kernels/softmax.cuh"
} // namespace s_float32
namespace s_float64 {
typedef double scalar_t;
#include "../../runtime/src/cuda/kernels/softmax.cuh"
} // namespace s_float64

#include "../../runtime/src/cuda/reduce_plan.h"
#include "ember/runtime/error.h"
#include "ember/runtime/kernels/reduce.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

namespace {

using namespace ember;
using cuda::detail::ReduceGeom;
using cuda::detail::ReduceLaunch;
using kernels::cpu::ReduceArgs;
using kernels::cpu::ReduceOp;
using TI = std::shared_ptr<TensorImpl>;

static_assert(sizeof(r_float32::RGeom) == sizeof(ReduceGeom),
              "kernels/reduce.cuh's RGeom and reduce_plan.h's must match");

TI contiguous(DimVector sizes, DType t) {
  return make_tensor_impl(sizes, t, Device(kCPU));
}
TI view_of(DimVector base, DType t, DimVector sizes, DimVector strides) {
  TI b = contiguous(base, t);
  return std::make_shared<TensorImpl>(b->storage(), t, sizes, strides, 0);
}

// plain: floats in [0.5, 1.5) (no cancellation, so a different summation
// order stays within the tolerances), integers over their whole range (sums
// and products wrap). special: ties, NaN, +-inf, -0.0 and small dyadic
// numbers (their sums are exact in double) for the NaN and first-index
// rules.
void fill(const TensorImpl &t, uint32_t seed, bool special) {
  std::mt19937_64 rng(seed);
  const int64_t n = static_cast<int64_t>(t.storage()->nbytes() / t.itemsize());
  char *base = static_cast<char *>(t.storage()->data());
  visit_dtype(t.dtype(), "fill", [&]<typename T>() {
    T *p = reinterpret_cast<T *>(base);
    for (int64_t i = 0; i < n; ++i) {
      const uint64_t r = rng();
      if constexpr (std::is_same_v<T, bool>) {
        p[i] = r & 1;
      } else if constexpr (std::is_floating_point_v<T>) {
        static const T kSpecial[] = {std::numeric_limits<T>::quiet_NaN(),
                                     std::numeric_limits<T>::infinity(),
                                     -std::numeric_limits<T>::infinity(),
                                     T(-0.0),
                                     T(0),
                                     T(1),
                                     T(-1),
                                     T(2),
                                     T(0.5)};
        if (special)
          p[i] =
              r % 8 == 0 ? kSpecial[(r >> 8) % 3] : kSpecial[3 + (r >> 8) % 6];
        else
          p[i] = static_cast<T>(0.5 + static_cast<double>(r >> 11) * 0x1p-53);
      } else if (special) {
        p[i] = static_cast<T>(std::is_unsigned_v<T> ? r % 4 : r % 7 - 3);
      } else {
        p[i] = static_cast<T>(r);
      }
    }
  });
}

// |got - want| <= rtol * max(|want|, scale); NaNs and infinities exactly.
template <typename T> bool close(T want, T got, double rtol, double scale) {
  if (want == got || (std::isnan(want) && std::isnan(got)))
    return true;
  if (std::isinf(want) || std::isinf(got))
    return false;
  return std::abs(static_cast<double>(got) - static_cast<double>(want)) <=
         rtol * std::max(std::abs(static_cast<double>(want)), scale);
}

// Exact (NaN equals NaN) unless `exact` is false and the dtype is floating;
// `scale` is the data's magnitude where a result can be pure rounding
// noise (the variance of equal values: 0 plus noise of ~eps * scale).
void expect_match(const TensorImpl &want, const TensorImpl &got, bool exact,
                  const std::string &what, double scale = 0) {
  ASSERT_EQ(want.dtype(), got.dtype()) << what;
  ASSERT_EQ(want.numel(), got.numel()) << what;
  visit_dtype(want.dtype(), "cmp", [&]<typename T>() {
    const T *a = want.data_as<T>(), *b = got.data_as<T>();
    double rtol = 0;
    if (!exact && std::is_same_v<T, float>)
      rtol = 1e-6;
    else if (!exact && std::is_same_v<T, double>)
      rtol = 1e-12;
    for (int64_t i = 0; i < want.numel(); ++i) {
      bool ok = a[i] == b[i];
      if constexpr (std::is_floating_point_v<T>)
        ok = close(a[i], b[i], rtol, scale);
      ASSERT_TRUE(ok) << what << ": element " << i << " is " << +b[i]
                      << ", the CPU kernel gives " << +a[i];
    }
  });
}

// --- the kernels of each dtype, type-erased ---------------------------------

using ReduceFn = void (*)(void *, const void *, const ReduceGeom &, double,
                          i64);
using ArgFn = void (*)(void *, i64 *, const void *, const ReduceGeom &);
constexpr int kOps = static_cast<int>(ReduceOp::Norm) + 1;
struct ReduceSet {
  ReduceFn thread[kOps], block[kOps];
  ArgFn arg_thread[2], arg_block[2]; // max, min
};

#define EMBER_R(NS, OP, MODE)                                                  \
  [](void *o, const void *i, const ReduceGeom &g, double p, i64 c) {           \
    NS::RGeom k;                                                               \
    std::memcpy(&k, &g, sizeof k);                                             \
    NS::ember_reduce_##OP##_##MODE((NS::scalar_t *)o, (const NS::scalar_t *)i, \
                                   k, p, c);                                   \
  }
#define EMBER_A(NS, OP, MODE)                                                  \
  [](void *v, i64 *ix, const void *i, const ReduceGeom &g) {                   \
    NS::RGeom k;                                                               \
    std::memcpy(&k, &g, sizeof k);                                             \
    NS::ember_argreduce_##OP##_##MODE((NS::scalar_t *)v, ix,                   \
                                      (const NS::scalar_t *)i, k);             \
  }
#define EMBER_OPS(NS, MODE)                                                    \
  {                                                                            \
    EMBER_R(NS, Sum, MODE), EMBER_R(NS, Prod, MODE), EMBER_R(NS, Mean, MODE),  \
        EMBER_R(NS, Max, MODE), EMBER_R(NS, Min, MODE),                        \
        EMBER_R(NS, Var, MODE), EMBER_R(NS, Std, MODE),                        \
        EMBER_R(NS, LogSumExp, MODE), EMBER_R(NS, Norm, MODE)                  \
  }
#define EMBER_REDUCE_SET(NS)                                                   \
  ReduceSet NS##_set() {                                                       \
    return ReduceSet{EMBER_OPS(NS, thread),                                    \
                     EMBER_OPS(NS, block),                                     \
                     {EMBER_A(NS, Max, thread), EMBER_A(NS, Min, thread)},     \
                     {EMBER_A(NS, Max, block), EMBER_A(NS, Min, block)}};      \
  }
EMBER_REDUCE_SET(r_bool)
EMBER_REDUCE_SET(r_uint8)
EMBER_REDUCE_SET(r_int32)
EMBER_REDUCE_SET(r_int64)
EMBER_REDUCE_SET(r_float32)
EMBER_REDUCE_SET(r_float64)

const ReduceSet &reduce_kernels(DType t) {
  static const ReduceSet sets[] = {r_bool_set(),    r_uint8_set(),
                                   r_int32_set(),   r_int64_set(),
                                   r_float32_set(), r_float64_set()};
  return sets[static_cast<int>(t)];
}

// The loop shapes a case runs in: the runtime's choice, and the other one
// where the outputs are few enough for the shim's threads (a block per
// output with `other_block` threads: the kernels take any power of two, and
// a small block keeps the shim fast; or a thread per output).
struct Shape {
  bool per_block;
  unsigned block;
};
std::vector<Shape> shapes_for(const ReduceLaunch &l, int64_t nout,
                              unsigned other_block) {
  std::vector<Shape> v{{l.per_block, l.per_block ? l.block : 4}};
  if (nout <= 64)
    v.push_back({!l.per_block, l.per_block ? 4 : other_block});
  return v;
}
// A block per output: fewer blocks than outputs, so the block-stride loop
// runs. A thread per output: a small grid-stride grid.
template <typename F> void run(const Shape &s, int64_t nout, F &&body) {
  if (s.per_block)
    ember_shim::launch(static_cast<unsigned>(std::min<int64_t>(nout, 3)),
                       s.block, body);
  else
    ember_shim::launch(3, s.block, body);
}
std::string shape_name(const Shape &s) {
  return s.per_block ? "block" + std::to_string(s.block) : "thread";
}

// --- cases -------------------------------------------------------------------

struct Case {
  std::string name;
  DimVector base, sizes, strides; // strides empty: contiguous `base`
  DimVector dims;
  bool keepdim = false;
};
std::vector<Case> cases() {
  return {
      {"all", {4, 3, 5}, {}, {}, {0, 1, 2}},
      {"inner", {4, 3, 5}, {}, {}, {2}},
      {"inner keepdim", {4, 3, 5}, {}, {}, {2}, true},
      {"outer", {4, 3, 5}, {}, {}, {0}},
      {"middle", {4, 3, 5}, {}, {}, {1}},
      {"two dims", {4, 3, 5}, {}, {}, {0, 2}},
      {"two dims keepdim", {4, 3, 5}, {}, {}, {0, 2}, true},
      {"transposed middle", {5, 3, 4}, {4, 3, 5}, {1, 4, 12}, {1}},
      {"transposed two dims", {5, 3, 4}, {4, 3, 5}, {1, 4, 12}, {0, 2}},
      {"broadcast", {3, 1}, {4, 3, 5}, {0, 1, 0}, {0, 2}},
      {"empty reduction", {3, 0, 4}, {}, {}, {1}},
      {"one-element rows", {6, 1, 5}, {}, {}, {1}},
      {"0-dim", {}, {}, {}, {}},
      {"row longer than a block", {2, 700}, {}, {}, {1}},
      {"long strided column", {600, 3}, {}, {}, {0}},
      {"many outputs, column sums", {40, 2048}, {}, {}, {0}},
  };
}
TI input_of(const Case &c, DType t, uint32_t seed, bool special) {
  TI in = c.strides.empty() ? contiguous(c.base, t)
                            : view_of(c.base, t, c.sizes, c.strides);
  fill(*in, seed, special);
  return in;
}
DimVector out_sizes(const TensorImpl &in, const Case &c) {
  DimVector s;
  for (int64_t d = 0; d < in.dim(); ++d) {
    const bool r = std::find(c.dims.begin(), c.dims.end(), d) != c.dims.end();
    if (!r)
      s.push_back(in.size(d));
    else if (c.keepdim)
      s.push_back(1);
  }
  return s;
}

const std::vector<DType> kAll = {kBool,  kUInt8,   kInt32,
                                 kInt64, kFloat32, kFloat64};

bool applies(ReduceOp op, DType t) {
  switch (op) {
  case ReduceOp::Sum:
  case ReduceOp::Prod:
  case ReduceOp::Max:
  case ReduceOp::Min:
    return true;
  default:
    return is_floating_point(t);
  }
}
// The ReduceArgs each op is run with.
std::vector<ReduceArgs> args_for(ReduceOp op) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<ReduceArgs> v;
  if (op == ReduceOp::Var || op == ReduceOp::Std) {
    for (int64_t c : {0, 1, 5})
      v.push_back({c, 2});
  } else if (op == ReduceOp::Norm) {
    for (double p : {0.0, 1.0, 2.0, inf, -inf, 3.0, 0.5})
      v.push_back({1, p});
  } else {
    v.push_back({});
  }
  return v;
}

TEST(CudaReduceHost, EveryOpAndDtypeEqualsCpu) {
  int checked = 0;
  for (DType dt : kAll) {
    for (int o = 0; o < kOps; ++o) {
      const auto op = static_cast<ReduceOp>(o);
      if (!applies(op, dt))
        continue;
      const bool exact =
          !is_floating_point(dt) || op == ReduceOp::Max || op == ReduceOp::Min;
      // Var/Std of (nearly) equal values is rounding noise of the data's
      // magnitude (~1 here): compared relative to max(|want|, 1).
      const bool var_like = op == ReduceOp::Var || op == ReduceOp::Std;
      uint32_t seed = 100 * o + static_cast<uint32_t>(dt);
      for (const Case &c : cases()) {
        for (bool special : {false, true}) {
          TI in = input_of(c, dt, ++seed, special);
          if ((op == ReduceOp::Max || op == ReduceOp::Min) && in->numel() == 0)
            continue; // no identity: refused by the frontend
          const ReduceGeom g =
              cuda::detail::make_reduce_geom("test", *in, c.dims, false);
          for (const ReduceArgs &a : args_for(op)) {
            TI want = contiguous(out_sizes(*in, c), dt);
            kernels::cpu::reduce(op, *want, *in, c.dims, a);
            for (const Shape &s :
                 shapes_for(cuda::detail::reduce_launch(g), g.nout, 8)) {
              TI got = contiguous(out_sizes(*in, c), dt);
              const ReduceSet &k = reduce_kernels(dt);
              ReduceFn fn = s.per_block ? k.block[o] : k.thread[o];
              run(s, g.nout,
                  [&] { fn(got->data(), in->data(), g, a.p, a.correction); });
              expect_match(*want, *got, exact,
                           std::string(dtype_name(dt)) + " op " +
                               std::to_string(o) + " " + c.name + " " +
                               shape_name(s) + (special ? " special" : "") +
                               " p=" + std::to_string(a.p) +
                               " correction=" + std::to_string(a.correction),
                           var_like ? 1.0 : 0.0);
              ++checked;
            }
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 1000);
}

TEST(CudaReduceHost, MaxMinWithIndicesEqualCpu) {
  int checked = 0;
  for (DType dt : kAll) {
    for (bool is_max : {true, false}) {
      uint32_t seed = 7 + static_cast<uint32_t>(dt);
      for (const Case &c : cases()) {
        for (bool special : {false, true}) {
          TI in = input_of(c, dt, ++seed, special);
          if (in->numel() == 0)
            continue;
          const ReduceGeom g =
              cuda::detail::make_reduce_geom("test", *in, c.dims, true);
          const DimVector os = out_sizes(*in, c);
          TI want_v = contiguous(os, dt), want_i = contiguous(os, kInt64);
          kernels::cpu::reduce_with_indices(is_max, want_v.get(), *want_i, *in,
                                            c.dims);
          for (const Shape &s :
               shapes_for(cuda::detail::reduce_launch(g), g.nout, 8)) {
            for (bool values : {true, false}) {
              TI got_v = contiguous(os, dt), got_i = contiguous(os, kInt64);
              const ReduceSet &k = reduce_kernels(dt);
              ArgFn fn = s.per_block ? k.arg_block[is_max ? 0 : 1]
                                     : k.arg_thread[is_max ? 0 : 1];
              void *v = values ? got_v->data() : nullptr;
              run(s, g.nout, [&] {
                fn(v, static_cast<i64 *>(got_i->data()), in->data(), g);
              });
              const std::string what =
                  std::string(dtype_name(dt)) + (is_max ? " max " : " min ") +
                  c.name + " " + shape_name(s) + (special ? " special" : "");
              expect_match(*want_i, *got_i, true, what + " indices");
              if (values)
                expect_match(*want_v, *got_v, true, what + " values");
              ++checked;
            }
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 300);
}

// --- softmax
// -------------------------------------------------------------------

using SoftmaxFn = void (*)(void *, const void *, i64, i64, i64, int);
#define EMBER_S(NS, MODE)                                                      \
  [](void *o, const void *i, i64 outer, i64 n, i64 inner, int log) {           \
    NS::ember_softmax_##MODE((NS::scalar_t *)o, (const NS::scalar_t *)i,       \
                             outer, n, inner, log);                            \
  }

TEST(CudaReduceHost, SoftmaxAndLogSoftmaxEqualCpu) {
  const SoftmaxFn thread_fn[] = {EMBER_S(s_float32, thread),
                                 EMBER_S(s_float64, thread)};
  const SoftmaxFn block_fn[] = {EMBER_S(s_float32, block),
                                EMBER_S(s_float64, block)};
  struct SCase {
    DimVector sizes;
    int64_t dim;
  };
  const std::vector<SCase> scases = {
      {{6, 10}, 1},     // inner dim, short rows
      {{6, 10}, 0},     // outer dim
      {{3, 300}, 1},    // rows longer than a block
      {{4, 7, 5}, 1},   // middle dim
      {{2, 200, 3}, 1}, // long strided columns
      {{5}, 0},         // one row
      {{4, 1}, 1},      // one-element rows
      {{}, 0},          // 0-dim
  };
  int checked = 0;
  uint32_t seed = 3;
  for (DType dt : {kFloat32, kFloat64}) {
    for (const SCase &c : scases) {
      for (bool special : {false, true}) {
        TI in = contiguous(c.sizes, dt);
        fill(*in, ++seed, special);
        if (!special) { // into [-1, 1): softmax's usual range
          visit_floating(dt, "shift", [&]<typename T>() {
            for (int64_t i = 0; i < in->numel(); ++i)
              in->data_as<T>()[i] = (in->data_as<T>()[i] - T(1)) * T(2);
          });
        }
        const int64_t n = c.sizes.empty() ? 1 : c.sizes[c.dim];
        int64_t inner = 1;
        for (size_t d = c.dim + 1; d < c.sizes.size(); ++d)
          inner *= c.sizes[d];
        const int64_t outer = in->numel() / (n * inner);
        const ReduceLaunch l = cuda::detail::softmax_launch(outer, n, inner);
        for (bool log : {false, true}) {
          TI want = contiguous(c.sizes, dt);
          kernels::cpu::softmax(*want, *in, c.dim, log);
          for (const Shape &s : shapes_for(l, outer * inner, 8)) {
            TI got = contiguous(c.sizes, dt);
            const int di = dt == kFloat32 ? 0 : 1;
            SoftmaxFn fn = s.per_block ? block_fn[di] : thread_fn[di];
            run(s, outer * inner, [&] {
              fn(got->data(), in->data(), outer, n, inner, log ? 1 : 0);
            });
            expect_match(*want, *got, false,
                         std::string(dtype_name(dt)) +
                             (log ? " log_softmax " : " softmax ") + "dim " +
                             std::to_string(c.dim) + " of " +
                             std::to_string(c.sizes.size()) + "-d " +
                             shape_name(s) + (special ? " special" : ""));
            ++checked;
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 50);
}

// --- geometry and launch shapes ---------------------------------------------

TEST(CudaReduceHost, GeometryMergesAndOrdersDims) {
  TI x = contiguous({4, 3, 5}, kFloat32);
  ReduceGeom g =
      cuda::detail::make_reduce_geom("t", *x, DimVector{1, 2}, false);
  EXPECT_EQ(g.nout, 4);
  EXPECT_EQ(g.R, 15);
  ASSERT_EQ(g.nr, 1); // dims 1 and 2 walk memory as one
  EXPECT_EQ(g.rsize[0], 15);
  EXPECT_EQ(g.rstride[0], 1);
  // Transposed: reduced dims sorted by decreasing stride, unless kept in
  // logical order for the indices.
  TI t = view_of({5, 3, 4}, kFloat32, {4, 3, 5}, {1, 4, 12});
  g = cuda::detail::make_reduce_geom("t", *t, DimVector{0, 2}, false);
  ASSERT_EQ(g.nr, 2);
  EXPECT_EQ(g.rstride[0], 12);
  EXPECT_EQ(g.rstride[1], 1);
  g = cuda::detail::make_reduce_geom("t", *t, DimVector{0, 2}, true);
  EXPECT_EQ(g.rstride[0], 1);
  EXPECT_EQ(g.rstride[1], 12);
}

TEST(CudaReduceHost, LaunchShapeFollowsTheGeometry) {
  auto launch_of = [](DimVector sizes, DimVector dims) {
    TI x = contiguous(sizes, kFloat32);
    return cuda::detail::reduce_launch(
        cuda::detail::make_reduce_geom("t", *x, dims, false));
  };
  ReduceLaunch l = launch_of({8, 100000}, {1}); // long rows: a block each
  EXPECT_TRUE(l.per_block);
  EXPECT_EQ(l.block, 256u);
  l = launch_of({8, 40}, {1}); // a block sized to the row
  EXPECT_TRUE(l.per_block);
  EXPECT_EQ(l.block, 64u);
  EXPECT_FALSE(launch_of({1000, 16}, {1}).per_block); // short rows
  // Column sums with many outputs: a thread each, reading coalesced.
  EXPECT_FALSE(launch_of({500, 4096}, {0}).per_block);
  EXPECT_TRUE(launch_of({500, 8}, {0}).per_block); // few outputs
  EXPECT_TRUE(cuda::detail::softmax_launch(64, 1000, 1).per_block);
  EXPECT_FALSE(cuda::detail::softmax_launch(64, 10, 1).per_block);
  EXPECT_FALSE(cuda::detail::softmax_launch(8, 1000, 4096).per_block);
}

TEST(CudaReduceHost, TooManyDimsIsAClearError) {
  // Every other dim of a [2]*18 tensor reduced: 9 kept and 9 reduced dims
  // that cannot merge.
  TI x = contiguous(DimVector(18, 2), kFloat32);
  DimVector dims;
  for (int64_t d = 1; d < 18; d += 2)
    dims.push_back(d);
  try {
    cuda::detail::make_reduce_geom("sum", *x, dims, false);
    FAIL() << "expected ember::Error";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("at most 8"), std::string::npos)
        << e.what();
  }
}

} // namespace

// The eager CUDA kernels' sources, compiled as host C++ behind
// cuda_host_shim.h and launched with the geometry the runtime builds
// (make_geom), must equal the CPU reference kernels bit for bit: every
// unary and binary op per dtype, where, clamp, fill and all dtype pairs of
// copy, on contiguous, transposed and broadcast operands.
#include "cuda_host_shim.h"

#include "../../runtime/src/cuda/kernels/common.cuh"

// One namespace per element type, as NVRTC gets one module per dtype.
namespace k_bool {
typedef bool scalar_t;
#include "../../runtime/src/cuda/kernels/elementwise.cuh"
} // namespace k_bool
namespace k_uint8 {
typedef unsigned char scalar_t;
#include "../../runtime/src/cuda/kernels/elementwise.cuh"
} // namespace k_uint8
namespace k_int32 {
typedef int scalar_t;
#include "../../runtime/src/cuda/kernels/elementwise.cuh"
} // namespace k_int32
namespace k_int64 {
typedef long long scalar_t;
#include "../../runtime/src/cuda/kernels/elementwise.cuh"
} // namespace k_int64
namespace k_float32 {
typedef float scalar_t;
#include "../../runtime/src/cuda/kernels/elementwise.cuh"
} // namespace k_float32
namespace k_float64 {
typedef double scalar_t;
#include "../../runtime/src/cuda/kernels/elementwise.cuh"
} // namespace k_float64
namespace c_bool {
typedef bool dst_t;
#include "../../runtime/src/cuda/kernels/copy.cuh"
} // namespace c_bool
namespace c_uint8 {
typedef unsigned char dst_t;
#include "../../runtime/src/cuda/kernels/copy.cuh"
} // namespace c_uint8
namespace c_int32 {
typedef int dst_t;
#include "../../runtime/src/cuda/kernels/copy.cuh"
} // namespace c_int32
namespace c_int64 {
typedef long long dst_t;
#include "../../runtime/src/cuda/kernels/copy.cuh"
} // namespace c_int64
namespace c_float32 {
typedef float dst_t;
#include "../../runtime/src/cuda/kernels/copy.cuh"
} // namespace c_float32
namespace c_float64 {
typedef double dst_t;
#include "../../runtime/src/cuda/kernels/copy.cuh"
} // namespace c_float64

#include "../../runtime/src/cuda/module.h"
#include "ember/runtime/error.h"
#include "ember/runtime/kernels/cpu.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

namespace {

using namespace ember;
using kernels::cpu::BinaryOp;
using kernels::cpu::UnaryOp;
using TI = std::shared_ptr<TensorImpl>;

static_assert(sizeof(::Geom) == sizeof(cuda::detail::Geom),
              "kernels/common.cuh's Geom and module.h's must match");

::Geom geom(const char *op, std::vector<const TensorImpl *> ops) {
  cuda::detail::Geom g = cuda::detail::make_geom(op, std::move(ops));
  ::Geom k;
  std::memcpy(&k, &g, sizeof k);
  return k;
}

// Runs a grid-stride kernel the way launch_elementwise does, on a small
// grid so that both the block and the stride loops are exercised.
template <typename F> void run(F &&body) { ember_shim::launch(3, 4, body); }

TI contiguous(DimVector sizes, DType t) {
  return make_tensor_impl(sizes, t, Device(kCPU));
}
// A view of a fresh tensor of `base` sizes with the given geometry.
TI view_of(DimVector base, DType t, DimVector sizes, DimVector strides) {
  TI b = contiguous(base, t);
  return std::make_shared<TensorImpl>(b->storage(), t, sizes, strides, 0);
}

// Values that stress each dtype's rules: signs, zero, NaN, inf, -0.0.
void fill_values(const TensorImpl &t, uint32_t seed) {
  std::mt19937 rng(seed);
  int64_t n = static_cast<int64_t>(t.storage()->nbytes() / t.itemsize());
  char *base = static_cast<char *>(t.storage()->data());
  visit_dtype(t.dtype(), "fill", [&]<typename T>() {
    T *p = reinterpret_cast<T *>(base);
    for (int64_t i = 0; i < n; ++i) {
      int r = static_cast<int>(rng() % 11) - 5;
      if constexpr (std::is_same_v<T, bool>) {
        p[i] = r > 0;
      } else if constexpr (std::is_floating_point_v<T>) {
        static const T special[] = {std::numeric_limits<T>::quiet_NaN(),
                                    std::numeric_limits<T>::infinity(),
                                    -std::numeric_limits<T>::infinity(),
                                    T(-0.0),
                                    T(0.5),
                                    T(-2.5),
                                    T(1e-3)};
        p[i] = rng() % 5 == 0 ? special[rng() % 7]
                              : static_cast<T>(r) * T(0.37) + T(0.1);
      } else if constexpr (std::is_unsigned_v<T>) {
        p[i] = static_cast<T>(r + 5);
      } else {
        p[i] = static_cast<T>(r);
      }
    }
  });
}

// Element-by-element equality through the views (NaN equals NaN).
void expect_same(const TensorImpl &want, const TensorImpl &got,
                 const std::string &what) {
  ASSERT_EQ(want.dtype(), got.dtype()) << what;
  ASSERT_EQ(want.numel(), got.numel()) << what;
  visit_dtype(want.dtype(), "cmp", [&]<typename T>() {
    const T *a = want.data_as<T>(), *b = got.data_as<T>();
    for (int64_t i = 0; i < want.numel(); ++i) {
      bool same = a[i] == b[i];
      if constexpr (std::is_floating_point_v<T>)
        same = same || (std::isnan(a[i]) && std::isnan(b[i]));
      ASSERT_TRUE(same) << what << ": element " << i << " is " << +b[i]
                        << ", the CPU kernel gives " << +a[i];
    }
  });
}

// The three input layouts every op is run on, for an output of [4, 3, 5].
std::vector<std::pair<std::string, TI>> layouts(DType t, uint32_t seed) {
  std::vector<std::pair<std::string, TI>> v;
  v.emplace_back("contiguous", contiguous({4, 3, 5}, t));
  v.emplace_back("transposed", view_of({5, 3, 4}, t, {4, 3, 5}, {1, 4, 12}));
  v.emplace_back("broadcast", view_of({3, 1}, t, {4, 3, 5}, {0, 1, 0}));
  for (auto &[name, ti] : v)
    fill_values(*ti, seed++);
  return v;
}

const std::vector<DType> kAll = {kBool,  kUInt8,   kInt32,
                                 kInt64, kFloat32, kFloat64};

// Type-erased entry points of one dtype's elementwise module.
using UnaryFn = void (*)(void *, const void *, ::Geom, i64);
using BinaryFn = void (*)(void *, const void *, const void *, const void *,
                          ::Geom, i64);
using WhereFn = void (*)(void *, const void *, const void *, const void *,
                         ::Geom, i64);
using ClampFn = void (*)(void *, const void *, int, const void *, int,
                         const void *, ::Geom, i64);
using FillFn = void (*)(void *, const void *, ::Geom, i64);
struct KernelSet {
  UnaryFn unary[19];
  BinaryFn binary[16];
  WhereFn where;
  ClampFn clamp;
  FillFn fill;
};

#define EMBER_U(NS, OP)                                                        \
  [](void *o, const void *i, ::Geom g, i64 n) {                                \
    NS::ember_unary_##OP((NS::scalar_t *)o, (const NS::scalar_t *)i, g, n);    \
  }
#define EMBER_B(NS, OP, OUT)                                                   \
  [](void *o, const void *a, const void *b, const void *al, ::Geom g, i64 n) { \
    NS::ember_binary_##OP((OUT *)o, (const NS::scalar_t *)a,                   \
                          (const NS::scalar_t *)b, *(const NS::scalar_t *)al,  \
                          g, n);                                               \
  }
#define EMBER_KERNEL_SET(NS)                                                   \
  KernelSet NS##_set() {                                                       \
    using S = NS::scalar_t;                                                    \
    return KernelSet{                                                          \
        {EMBER_U(NS, Neg), EMBER_U(NS, Abs), EMBER_U(NS, Exp),                 \
         EMBER_U(NS, Log), EMBER_U(NS, Log1p), EMBER_U(NS, Sqrt),              \
         EMBER_U(NS, Rsqrt), EMBER_U(NS, Sin), EMBER_U(NS, Cos),               \
         EMBER_U(NS, Tanh), EMBER_U(NS, Sigmoid), EMBER_U(NS, Relu),           \
         EMBER_U(NS, Gelu), EMBER_U(NS, GeluTanh), EMBER_U(NS, Sign),          \
         EMBER_U(NS, Floor), EMBER_U(NS, Ceil), EMBER_U(NS, Round),            \
         [](void *o, const void *i, ::Geom g, i64 n) {                         \
           NS::ember_unary_LogicalNot((bool *)o, (const S *)i, g, n);          \
         }},                                                                   \
        {EMBER_B(NS, Add, S), EMBER_B(NS, Sub, S), EMBER_B(NS, Mul, S),        \
         EMBER_B(NS, Div, S), EMBER_B(NS, Pow, S), EMBER_B(NS, Maximum, S),    \
         EMBER_B(NS, Minimum, S), EMBER_B(NS, LogicalAnd, bool),               \
         EMBER_B(NS, LogicalOr, bool), EMBER_B(NS, LogicalXor, bool),          \
         EMBER_B(NS, Eq, bool), EMBER_B(NS, Ne, bool), EMBER_B(NS, Lt, bool),  \
         EMBER_B(NS, Le, bool), EMBER_B(NS, Gt, bool), EMBER_B(NS, Ge, bool)}, \
        [](void *o, const void *c, const void *a, const void *b, ::Geom g,     \
           i64 n) {                                                            \
          NS::ember_where((S *)o, (const bool *)c, (const S *)a, (const S *)b, \
                          g, n);                                               \
        },                                                                     \
        [](void *o, const void *i, int hl, const void *lo, int hh,             \
           const void *hi, ::Geom g, i64 n) {                                  \
          NS::ember_clamp((S *)o, (const S *)i, hl, *(const S *)lo, hh,        \
                          *(const S *)hi, g, n);                               \
        },                                                                     \
        [](void *o, const void *v, ::Geom g, i64 n) {                          \
          NS::ember_fill((S *)o, *(const S *)v, g, n);                         \
        }};                                                                    \
  }
EMBER_KERNEL_SET(k_bool)
EMBER_KERNEL_SET(k_uint8)
EMBER_KERNEL_SET(k_int32)
EMBER_KERNEL_SET(k_int64)
EMBER_KERNEL_SET(k_float32)
EMBER_KERNEL_SET(k_float64)

const KernelSet &kernels_for(DType t) {
  static const KernelSet sets[] = {k_bool_set(),    k_uint8_set(),
                                   k_int32_set(),   k_int64_set(),
                                   k_float32_set(), k_float64_set()};
  return sets[static_cast<int>(t)];
}

// A Scalar in a kernel argument's bytes.
struct ScalarBytes {
  alignas(8) unsigned char b[8] = {};
  ScalarBytes(const Scalar &s, DType t) {
    visit_dtype(t, "scalar", [&]<typename T>() {
      T v = s.to<T>();
      std::memcpy(b, &v, sizeof v);
    });
  }
};

// The ops the frontend sends to a kernel of each dtype (float math on
// integers is promoted to float first; neg of bool is refused).
bool unary_applies(UnaryOp op, DType dt) {
  if (is_floating_point(dt))
    return true;
  switch (op) {
  case UnaryOp::Neg:
    return dt != kBool;
  case UnaryOp::Abs:
  case UnaryOp::Relu:
  case UnaryOp::Sign:
  case UnaryOp::LogicalNot:
    return true;
  default:
    return false;
  }
}

TEST(CudaKernelsHost, UnaryEqualsCpu) {
  int checked = 0;
  for (DType dt : kAll) {
    for (int o = 0; o <= static_cast<int>(UnaryOp::LogicalNot); ++o) {
      auto op = static_cast<UnaryOp>(o);
      if (!unary_applies(op, dt))
        continue;
      DType out_t = op == UnaryOp::LogicalNot ? kBool : dt;
      for (auto &[name, in] : layouts(dt, 17 + o)) {
        TI want = contiguous({4, 3, 5}, out_t),
           got = contiguous({4, 3, 5}, out_t);
        kernels::cpu::unary(op, *want, *in);
        ::Geom g = geom("unary", {got.get(), in.get()});
        UnaryFn k = kernels_for(dt).unary[o];
        run([&] { k(got->data(), in->data(), g, got->numel()); });
        expect_same(*want, *got,
                    "unary " + std::to_string(o) + " " +
                        std::string(dtype_name(dt)) + " " + name);
        ++checked;
      }
    }
  }
  // Per layout: 19 ops for each float type, 5 for each integer type, 4
  // for bool (no neg).
  EXPECT_EQ(checked, 3 * (2 * 19 + 3 * 5 + 4)) << "cases run";
}

TEST(CudaKernelsHost, BinaryEqualsCpu) {
  int checked = 0;
  for (DType dt : kAll) {
    for (int o = 0; o <= static_cast<int>(BinaryOp::Ge); ++o) {
      auto op = static_cast<BinaryOp>(o);
      // The frontend promotes integer true division to float and refuses
      // bool subtraction.
      if (op == BinaryOp::Div && !is_floating_point(dt))
        continue;
      if (op == BinaryOp::Sub && dt == kBool)
        continue;
      DType out_t = kernels::cpu::binary_returns_bool(op) ? kBool : dt;
      auto as = layouts(dt, 101 + o), bs = layouts(dt, 202 + o);
      for (size_t l = 0; l < as.size(); ++l) {
        const TI &a = as[l].second, &b = bs[(l + 1) % bs.size()].second;
        bool scaled =
            (op == BinaryOp::Add || op == BinaryOp::Sub) && dt != kBool;
        Scalar alpha = scaled ? Scalar(2) : Scalar(1);
        TI want = contiguous({4, 3, 5}, out_t),
           got = contiguous({4, 3, 5}, out_t);
        kernels::cpu::binary(op, *want, *a, *b, alpha);
        ::Geom g = geom("binary", {got.get(), a.get(), b.get()});
        ScalarBytes al(alpha, dt);
        BinaryFn k = kernels_for(dt).binary[o];
        run([&] {
          k(got->data(), a->data(), b->data(), al.b, g, got->numel());
        });
        expect_same(*want, *got,
                    "binary " + std::to_string(o) + " " +
                        std::string(dtype_name(dt)) + " " + as[l].first);
        ++checked;
      }
    }
  }
  // 16 ops x 6 dtypes x 3 layouts, less div on 4 non-float types and sub
  // on bool.
  EXPECT_EQ(checked, 3 * (16 * 6 - 4 - 1));
}

TEST(CudaKernelsHost, WhereClampFillEqualCpu) {
  for (DType dt : kAll) {
    const KernelSet &ks = kernels_for(dt);
    auto as = layouts(dt, 7), bs = layouts(dt, 8), cs = layouts(kBool, 9);
    for (size_t l = 0; l < as.size(); ++l) {
      const std::string what = std::string(dtype_name(dt)) + " " + as[l].first;
      TI want = contiguous({4, 3, 5}, dt), got = contiguous({4, 3, 5}, dt);
      const TI &c = cs[l].second, &a = as[(l + 1) % 3].second,
               &b = bs[(l + 2) % 3].second;
      kernels::cpu::where(*want, *c, *a, *b);
      ::Geom g = geom("where", {got.get(), c.get(), a.get(), b.get()});
      run([&] {
        ks.where(got->data(), c->data(), a->data(), b->data(), g, got->numel());
      });
      expect_same(*want, *got, "where " + what);

      if (dt != kBool) {
        // Both bounds, min above max (max wins), and a lower bound only.
        for (auto [lo, hi] : {std::pair<int, int>{-1, 2}, {3, 1}, {0, 99}}) {
          std::optional<Scalar> l_ = Scalar(lo), h_ = Scalar(hi);
          if (hi == 99)
            h_.reset();
          const TI &in = as[l].second;
          kernels::cpu::clamp(*want, *in, l_, h_);
          ::Geom gc = geom("clamp", {got.get(), in.get()});
          ScalarBytes lv(Scalar(lo), dt), hv(Scalar(hi), dt);
          run([&] {
            ks.clamp(got->data(), in->data(), 1, lv.b, h_.has_value(), hv.b, gc,
                     got->numel());
          });
          expect_same(*want, *got, "clamp " + what);
        }
      }

      // fill through a transposed view.
      TI wv = view_of({5, 3, 4}, dt, {4, 3, 5}, {1, 4, 12});
      TI gv = view_of({5, 3, 4}, dt, {4, 3, 5}, {1, 4, 12});
      kernels::cpu::fill(*wv, Scalar(3));
      ::Geom gf = geom("fill_", {gv.get()});
      ScalarBytes v(Scalar(3), dt);
      run([&] { ks.fill(gv->data(), v.b, gf, gv->numel()); });
      expect_same(*wv, *gv, "fill " + what);
    }
  }
}

TEST(CudaKernelsHost, CopyEveryDtypePairEqualsCpu) {
  int checked = 0;
  for (DType dst : kAll)
    for (DType src : kAll)
      for (auto &[name, in] : layouts(src, 31)) {
        TI want = contiguous({4, 3, 5}, dst), got = contiguous({4, 3, 5}, dst);
        kernels::cpu::copy(*want, *in);
        ::Geom g = geom("copy_", {got.get(), in.get()});
        const void *ip = in->data();
        void *op = got->data();
        i64 n = got->numel();
        switch (dst) {
#define EMBER_DST(NAME, NS)                                                    \
  case DType::NAME:                                                            \
    switch (src) {                                                             \
    case DType::Bool:                                                          \
      run([&] {                                                                \
        NS::ember_copy_from_bool((NS::dst_t *)op, (const bool *)ip, g, n);     \
      });                                                                      \
      break;                                                                   \
    case DType::UInt8:                                                         \
      run([&] {                                                                \
        NS::ember_copy_from_uint8((NS::dst_t *)op, (const unsigned char *)ip,  \
                                  g, n);                                       \
      });                                                                      \
      break;                                                                   \
    case DType::Int32:                                                         \
      run([&] {                                                                \
        NS::ember_copy_from_int32((NS::dst_t *)op, (const int *)ip, g, n);     \
      });                                                                      \
      break;                                                                   \
    case DType::Int64:                                                         \
      run([&] {                                                                \
        NS::ember_copy_from_int64((NS::dst_t *)op, (const long long *)ip, g,   \
                                  n);                                          \
      });                                                                      \
      break;                                                                   \
    case DType::Float32:                                                       \
      run([&] {                                                                \
        NS::ember_copy_from_float32((NS::dst_t *)op, (const float *)ip, g, n); \
      });                                                                      \
      break;                                                                   \
    case DType::Float64:                                                       \
      run([&] {                                                                \
        NS::ember_copy_from_float64((NS::dst_t *)op, (const double *)ip, g,    \
                                    n);                                        \
      });                                                                      \
      break;                                                                   \
    default:                                                                   \
      break;                                                                   \
    }                                                                          \
    break;
          EMBER_DST(Bool, c_bool)
          EMBER_DST(UInt8, c_uint8)
          EMBER_DST(Int32, c_int32)
          EMBER_DST(Int64, c_int64)
          EMBER_DST(Float32, c_float32)
          EMBER_DST(Float64, c_float64)
#undef EMBER_DST
        default:
          break;
        }
        expect_same(*want, *got,
                    "copy " + std::string(dtype_name(src)) + " -> " +
                        std::string(dtype_name(dst)) + " " + name);
        ++checked;
      }
  EXPECT_EQ(checked, 6 * 6 * 3);
}

TEST(CudaKernelsHost, GeomMergesContiguousDims) {
  TI out = contiguous({4, 3, 5}, kFloat32);
  TI bc = view_of({3, 1}, kFloat32, {4, 3, 5}, {0, 1, 0});
  cuda::detail::Geom flat =
      cuda::detail::make_geom("t", {out.get(), out.get()});
  EXPECT_EQ(flat.ndim, 0) << "all contiguous: offsets are the index";
  cuda::detail::Geom g = cuda::detail::make_geom("t", {out.get(), bc.get()});
  ASSERT_EQ(g.ndim, 3);
  EXPECT_EQ(g.sizes[0], 4);
  EXPECT_EQ(g.strides[1][1], 1);
  EXPECT_EQ(g.strides[1][2], 0);
  TI big = contiguous({2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2}, kFloat32);
  TI perm = std::make_shared<TensorImpl>(
      big->storage(), kFloat32, DimVector{2, 2, 2, 2, 2, 2, 2, 2, 2},
      DimVector{1, 2, 4, 8, 16, 32, 64, 128, 256}, 0);
  TI dst = contiguous({2, 2, 2, 2, 2, 2, 2, 2, 2}, kFloat32);
  EXPECT_THROW(cuda::detail::make_geom("t", {dst.get(), perm.get()}), Error)
      << "9 unmergeable dims exceed the kernels' 8";
}

} // namespace

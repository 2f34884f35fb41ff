// The GEMM, convolution and pooling CUDA kernels (runtime/src/cuda/kernels/
// {gemm,conv,pool}.cuh) compiled as host C++ behind cuda_host_shim.h and
// launched with the runtime's geometry structs, against the CPU kernels:
// exactly (im2col, col2im onto zeros, both pools and their gradients, the
// integer GEMM: same operations in the same order, or exact integer
// arithmetic). And the cuBLAS layout logic (gemm_plan.h): a column-major
// reference GEMM that takes exactly the parameters the runtime hands
// cuBLAS, run on CPU data, against cpu::matmul (float64, rtol 1e-12: the
// summation order differs from OpenBLAS's).
#include "cuda_host_shim.h"

#include "../../runtime/src/cuda/kernels/common.cuh"

// One namespace per element type, as NVRTC gets one module per dtype.
namespace g_int32 {
typedef int scalar_t;
#include "../../runtime/src/cuda/kernels/gemm.cuh"
} // namespace g_int32
namespace g_int64 {
typedef long long scalar_t;
#include "../../runtime/src/cuda/kernels/gemm.cuh"
} // namespace g_int64
namespace g_uint8 {
typedef unsigned char scalar_t;
#include "../../runtime/src/cuda/kernels/gemm.cuh"
} // namespace g_uint8
namespace c_float32 {
typedef float scalar_t;
#include "../../runtime/src/cuda/kernels/conv.cuh"
} // namespace c_float32
namespace c_float64 {
typedef double scalar_t;
#include "../../runtime/src/cuda/kernels/conv.cuh"
} // namespace c_float64
namespace c_int64 {
typedef long long scalar_t;
#include "../../runtime/src/cuda/kernels/conv.cuh"
} // namespace c_int64
namespace p_float32 {
typedef float scalar_t;
#include "../../runtime/src/cuda/kernels/pool.cuh"
} // namespace p_float32
namespace p_float64 {
typedef double scalar_t;
#include "../../runtime/src/cuda/kernels/pool.cuh"
} // namespace p_float64
namespace p_int64 {
typedef long long scalar_t;
#include "../../runtime/src/cuda/kernels/pool.cuh"
} // namespace p_int64

#include "../../runtime/src/cuda/blas.h"
#include "../../runtime/src/cuda/conv_geom.h"
#include "../../runtime/src/cuda/dynlib.h"
#include "../../runtime/src/cuda/gemm_plan.h"
#include "../../runtime/src/kernels/im2col.h"
#include "ember/runtime/kernels/conv_backward.h"
#include "ember/runtime/kernels/cpu.h"
#include "ember/runtime/kernels/gemm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>

namespace {

using namespace ember;
using TI = std::shared_ptr<TensorImpl>;
namespace cd = ember::cuda::detail;
using kernels::cpu::Conv2dParams;
using kernels::cpu::Pool2dParams;

static_assert(sizeof(cd::IntGemm) == sizeof(g_int32::IntGemm),
              "blas.h's IntGemm and gemm.cuh's must match");
static_assert(sizeof(cd::ConvGeom) == sizeof(c_float32::ConvGeom),
              "conv_geom.h's ConvGeom and conv.cuh's must match");
static_assert(sizeof(cd::PoolGeom) == sizeof(p_float32::PoolGeom),
              "conv_geom.h's PoolGeom and pool.cuh's must match");

// The host struct's bytes as the kernel's struct (as cudaLaunchKernel
// copies them).
template <typename K, typename H> K as_kernel(const H &h) {
  static_assert(sizeof(K) == sizeof(H));
  K k;
  std::memcpy(&k, &h, sizeof k);
  return k;
}

// Test-case names (ostringstream: GCC 12's -Wrestrict misfires on chains
// of std::string + at -O3).
template <typename... A> std::string str(const A &...a) {
  std::ostringstream os;
  (os << ... << a);
  return os.str();
}

// A small grid, so that both the block and the grid-stride loops run.
template <typename F> void run(F &&body) { ember_shim::launch(3, 4, body); }

TI tensor(IntArrayRef sizes, DType t) {
  return make_tensor_impl(sizes, t, Device(kCPU));
}
TI view_of(const TI &base, DimVector sizes, DimVector strides) {
  return std::make_shared<TensorImpl>(base->storage(), base->dtype(), sizes,
                                      strides, 0);
}

// Small integers for integer dtypes; for floats, values with ties, and
// (when `specials`) NaN, +-inf and -0.0.
void fill(const TensorImpl &t, uint32_t seed, bool specials = false) {
  std::mt19937 rng(seed);
  int64_t n = static_cast<int64_t>(t.storage()->nbytes() / t.itemsize());
  visit_dtype(t.dtype(), "fill", [&]<typename T>() {
    T *p = static_cast<T *>(t.storage()->data());
    for (int64_t i = 0; i < n; ++i) {
      int r = static_cast<int>(rng() % 19) - 9;
      if constexpr (std::is_floating_point_v<T>) {
        static const T special[] = {std::numeric_limits<T>::quiet_NaN(),
                                    std::numeric_limits<T>::infinity(),
                                    -std::numeric_limits<T>::infinity(),
                                    T(-0.0)};
        p[i] = specials && rng() % 9 == 0
                   ? special[rng() % 4]
                   : static_cast<T>(r) * T(0.37) + static_cast<T>(rng() % 3);
      } else if constexpr (std::is_unsigned_v<T>) {
        p[i] = static_cast<T>(rng());
      } else if constexpr (sizeof(T) == 8) {
        // Large values so that products wrap.
        p[i] = static_cast<T>((static_cast<uint64_t>(rng()) << 32) | rng());
      } else {
        p[i] = static_cast<T>(rng());
      }
    }
  });
}

void expect_same(const TensorImpl &want, const TensorImpl &got,
                 const std::string &what) {
  ASSERT_EQ(want.dtype(), got.dtype()) << what;
  ASSERT_EQ(want.numel(), got.numel()) << what;
  visit_dtype(want.dtype(), "cmp", [&]<typename T>() {
    const T *a = want.data_as<T>(), *b = got.data_as<T>();
    for (int64_t i = 0; i < want.numel(); ++i) {
      bool same = a[i] == b[i];
      if constexpr (std::is_floating_point_v<T>)
        same = (same && std::signbit(a[i]) == std::signbit(b[i])) ||
               (std::isnan(a[i]) && std::isnan(b[i]));
      ASSERT_TRUE(same) << what << ": element " << i << " is " << +b[i]
                        << ", the CPU kernel gives " << +a[i];
    }
  });
}

// ---------------------------------------------------------------------------
// Integer GEMM (gemm.cuh) against cpu::matmul: exact (wrapping arithmetic).

template <typename NS_T, typename F>
void int_matmul_case(DType t, F kernel, const TI &out, const TI &a, const TI &b,
                     const std::string &what) {
  const int64_t nd = out->dim(), nb = nd - 2;
  cd::IntGemm g{};
  g.M = out->size(nd - 2);
  g.N = out->size(nd - 1);
  g.K = a->size(nd - 1);
  g.ars = a->stride(nd - 2);
  g.acs = a->stride(nd - 1);
  g.brs = b->stride(nd - 2);
  g.bcs = b->stride(nd - 1);
  g.crs = g.N;
  g.ccs = 1;
  g.nb = static_cast<int32_t>(nb);
  int64_t total = g.M * g.N;
  for (int64_t d = 0; d < nb; ++d) {
    g.bsizes[d] = out->size(d);
    g.bsa[d] = a->stride(d);
    g.bsb[d] = b->stride(d);
    g.bsc[d] = out->stride(d);
    total *= out->size(d);
  }
  TI want = tensor(out->sizes(), t);
  kernels::cpu::matmul(*want, *a, *b);
  auto kg = as_kernel<typename NS_T::IntGemm>(g);
  using S = typename NS_T::S;
  run([&] {
    kernel(out->data_as<S>(), a->data_as<S>(), b->data_as<S>(), kg, total);
  });
  expect_same(*want, *out, what);
}

struct I32 {
  using S = int;
  using IntGemm = g_int32::IntGemm;
};
struct I64 {
  using S = long long;
  using IntGemm = g_int64::IntGemm;
};
struct U8 {
  using S = unsigned char;
  using IntGemm = g_uint8::IntGemm;
};

template <typename NS_T, typename F> void int_matmul_cases(DType t, F kernel) {
  // Plain, transposed a, broadcast batch of b, batched with a middle
  // broadcast dim.
  TI a = tensor({3, 4}, t), b = tensor({4, 5}, t);
  fill(*a, 1);
  fill(*b, 2);
  int_matmul_case<NS_T>(t, kernel, tensor({3, 5}, t), a, b, "2-D");
  TI at = tensor({4, 3}, t);
  fill(*at, 3);
  int_matmul_case<NS_T>(t, kernel, tensor({3, 5}, t),
                        view_of(at, {3, 4}, {1, 3}), b, "transposed a");
  TI ba = tensor({2, 3, 3, 4}, t);
  fill(*ba, 4);
  int_matmul_case<NS_T>(t, kernel, tensor({2, 3, 3, 5}, t), ba,
                        view_of(b, {2, 3, 4, 5}, {0, 0, 5, 1}),
                        "broadcast b batch");
  TI a1 = tensor({2, 1, 3, 4}, t), b3 = tensor({3, 5, 4}, t);
  fill(*a1, 5);
  fill(*b3, 6);
  int_matmul_case<NS_T>(t, kernel, tensor({2, 3, 3, 5}, t),
                        view_of(a1, {2, 3, 3, 4}, {12, 0, 4, 1}),
                        view_of(b3, {2, 3, 4, 5}, {0, 20, 1, 4}),
                        "middle broadcast, transposed b");
}

TEST(CudaGemmHost, IntGemmEqualsCpuMatmul) {
  int_matmul_cases<I32>(kInt32, g_int32::ember_gemm_int);
  int_matmul_cases<I64>(kInt64, g_int64::ember_gemm_int);
  int_matmul_cases<U8>(kUInt8, g_uint8::ember_gemm_int);
}

// ---------------------------------------------------------------------------
// cuBLAS layout logic against a column-major reference GEMM.

// Column-major C(m x n) = op(A) @ op(B) + beta C, op = transpose when asked
// (what cublasDgemm computes), for `count` products stepping sA, sB, sC.
void ref_colmajor_gemm(const cd::CublasGemm &g, const double *A,
                       const double *B, double *C, int64_t count, int64_t sA,
                       int64_t sB, int64_t sC) {
  for (int64_t bi = 0; bi < count; ++bi) {
    const double *a = A + bi * sA, *b = B + bi * sB;
    double *c = C + bi * sC;
    for (int64_t j = 0; j < g.n; ++j)
      for (int64_t i = 0; i < g.m; ++i) {
        double s = 0;
        for (int64_t k = 0; k < g.k; ++k) {
          double x = g.transa ? a[k + i * g.lda] : a[i + k * g.lda];
          double y = g.transb ? b[j + k * g.ldb] : b[k + j * g.ldb];
          s += x * y;
        }
        c[i + j * g.ldc] = s;
      }
  }
}

// What kernels::cuda::matmul does for float dtypes (gemm.cpp), with the
// reference in place of cuBLAS and cpu::copy in place of the CUDA copy.
// Returns how many operands were packed.
int planned_matmul(const TensorImpl &out, const TI &a0, const TI &b0) {
  const int64_t nd = out.dim(), nb = nd - 2;
  const int64_t M = out.size(nd - 2), N = out.size(nd - 1),
                K = a0->size(nd - 1);
  int packs = 0;
  auto layout = [&](TI &t) {
    auto l = cd::gemm_layout(t->size(nd - 2), t->size(nd - 1),
                             t->stride(nd - 2), t->stride(nd - 1));
    if (l)
      return *l;
    ++packs;
    TI p = tensor(t->sizes(), t->dtype());
    kernels::cpu::copy(*p, *t);
    t = p;
    return *cd::gemm_layout(t->size(nd - 2), t->size(nd - 1), t->stride(nd - 2),
                            t->stride(nd - 1));
  };
  TI a = a0, b = b0;
  const cd::MatLayout la = layout(a), lb = layout(b);
  std::vector<int64_t> sizes(out.sizes().begin(), out.sizes().begin() + nb);
  std::vector<int64_t> sa(a->strides().begin(), a->strides().begin() + nb);
  std::vector<int64_t> sb(b->strides().begin(), b->strides().begin() + nb);
  const cd::BatchPlan plan = cd::plan_batches(sizes, sa, sb, M * N);
  const cd::CublasGemm g = cd::cublas_gemm_for(M, N, K, la, lb, N);
  for (size_t i = 0; i < plan.outer_a.size(); ++i)
    ref_colmajor_gemm(g, b->data_as<double>() + plan.outer_b[i],
                      a->data_as<double>() + plan.outer_a[i],
                      out.data_as<double>() + plan.outer_c[i], plan.count,
                      plan.sb, plan.sa, plan.sc);
  return packs;
}

void plan_case(const TI &out, const TI &a, const TI &b, int expect_packs,
               const std::string &what) {
  TI want = tensor(out->sizes(), kFloat64);
  kernels::cpu::matmul(*want, *a, *b);
  EXPECT_EQ(planned_matmul(*out, a, b), expect_packs) << what;
  const double *w = want->data_as<double>(), *o = out->data_as<double>();
  for (int64_t i = 0; i < want->numel(); ++i)
    ASSERT_NEAR(o[i], w[i], 1e-12 * std::max(1.0, std::fabs(w[i])))
        << what << " element " << i;
}

// cuBLAS is opened with dlopen at first use: every entry point resolves
// (the calls themselves need a GPU: cuda_device_test).
TEST(CudaGemmHost, CublasLoadsAndResolvesEverySymbol) {
  if (!cd::open_cuda_library("libcublas.so.13") &&
      !cd::open_cuda_library("libcublas.so"))
    GTEST_SKIP() << "cuBLAS is not installed";
  EXPECT_TRUE(cd::cublas_available());
}

TEST(CudaGemmHost, LayoutPicksOpFlagsAndLeadingDims) {
  // Row-major contiguous: OP_N, ld = row stride.
  auto l = cd::gemm_layout(3, 4, 4, 1);
  ASSERT_TRUE(l);
  EXPECT_FALSE(l->trans);
  EXPECT_EQ(l->ld, 4);
  // A transposed view (unit row stride): OP_T, ld = column stride.
  l = cd::gemm_layout(3, 4, 1, 3);
  ASSERT_TRUE(l);
  EXPECT_TRUE(l->trans);
  EXPECT_EQ(l->ld, 3);
  // Padded rows (a column slice of a wider matrix): OP_N, ld = 10.
  l = cd::gemm_layout(3, 4, 10, 1);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->ld, 10);
  // A single row: any row stride, ld = cols.
  l = cd::gemm_layout(1, 4, 0, 1);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->ld, 4);
  // Neither dimension unit-stride, or an expanded (0-stride) row: packed.
  EXPECT_FALSE(cd::gemm_layout(3, 4, 8, 2));
  EXPECT_FALSE(cd::gemm_layout(3, 4, 0, 1));
  // C = A @ B row-major is C^T = B^T A^T column-major: b first, m = N.
  cd::CublasGemm g =
      cd::cublas_gemm_for(3, 5, 4, {true, 3}, {false, 5}, /*ldc=*/5);
  EXPECT_FALSE(g.transa);
  EXPECT_TRUE(g.transb);
  EXPECT_EQ(g.m, 5);
  EXPECT_EQ(g.n, 3);
  EXPECT_EQ(g.k, 4);
  EXPECT_EQ(g.lda, 5);
  EXPECT_EQ(g.ldb, 3);
  EXPECT_EQ(g.ldc, 5);
}

TEST(CudaGemmHost, BatchPlanMergesAndLoops) {
  // [2, 3] batch of contiguous operands: one strided call of 6.
  cd::BatchPlan p = cd::plan_batches({2, 3}, {36, 12}, {60, 20}, 15);
  EXPECT_EQ(p.count, 6);
  EXPECT_EQ(p.sa, 12);
  EXPECT_EQ(p.sb, 20);
  EXPECT_EQ(p.sc, 15);
  EXPECT_EQ(p.outer_a.size(), 1u);
  // b broadcast over the outer dim only: a loop of 2 calls of 3.
  p = cd::plan_batches({2, 3}, {36, 12}, {0, 20}, 15);
  EXPECT_EQ(p.count, 3);
  EXPECT_EQ(p.sb, 20);
  EXPECT_EQ(p.outer_b, (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(p.outer_a, (std::vector<int64_t>{0, 36}));
  EXPECT_EQ(p.outer_c, (std::vector<int64_t>{0, 45}));
  // Size-1 dims vanish; b shared by every batch: stride 0.
  p = cd::plan_batches({1, 4, 1}, {0, 12, 7}, {0, 0, 0}, 15);
  EXPECT_EQ(p.count, 4);
  EXPECT_EQ(p.sb, 0);
  EXPECT_EQ(p.outer_a.size(), 1u);
  // No batch dims: one call of one.
  p = cd::plan_batches({}, {}, {}, 15);
  EXPECT_EQ(p.count, 1);
  EXPECT_EQ(p.outer_a.size(), 1u);
}

TEST(CudaGemmHost, PlannedCublasCallsEqualCpuMatmul) {
  const DType t = kFloat64;
  auto filled = [&](DimVector s, uint32_t seed) {
    TI x = tensor(s, t);
    fill(*x, seed);
    return x;
  };
  TI a = filled({3, 4}, 1), b = filled({4, 5}, 2);
  plan_case(tensor({3, 5}, t), a, b, 0, "2-D contiguous");
  TI at = filled({4, 3}, 3), bt = filled({5, 4}, 4);
  plan_case(tensor({3, 5}, t), view_of(at, {3, 4}, {1, 3}), b, 0,
            "transposed a");
  plan_case(tensor({3, 5}, t), a, view_of(bt, {4, 5}, {1, 4}), 0,
            "transposed b");
  plan_case(tensor({3, 5}, t), view_of(at, {3, 4}, {1, 3}),
            view_of(bt, {4, 5}, {1, 4}), 0, "both transposed");
  TI wide = filled({3, 10}, 5);
  plan_case(tensor({3, 5}, t), view_of(wide, {3, 4}, {10, 1}), b, 0,
            "column slice (ld 10)");
  TI big = filled({6, 8}, 6);
  plan_case(tensor({3, 5}, t), view_of(big, {3, 4}, {16, 2}), b, 1,
            "stepped view: packed");
  TI ba = filled({2, 3, 3, 4}, 7), bb = filled({2, 3, 4, 5}, 8);
  plan_case(tensor({2, 3, 3, 5}, t), ba, bb, 0, "batched");
  plan_case(tensor({2, 3, 3, 5}, t), ba, view_of(b, {2, 3, 4, 5}, {0, 0, 5, 1}),
            0, "b broadcast over the batch");
  TI a1 = filled({2, 1, 3, 4}, 9), b3 = filled({3, 5, 4}, 10);
  plan_case(tensor({2, 3, 3, 5}, t), view_of(a1, {2, 3, 3, 4}, {12, 0, 4, 1}),
            view_of(b3, {2, 3, 4, 5}, {0, 20, 1, 4}), 0,
            "middle broadcast, transposed b");
  // Batch dims in permuted order: do not merge.
  TI perm = filled({3, 2, 3, 4}, 11);
  plan_case(tensor({2, 3, 3, 5}, t),
            view_of(perm, {2, 3, 3, 4}, {12, 24, 4, 1}), bb, 0,
            "permuted batch dims");
  // Vector-like shapes: M = 1, N = 1.
  TI row = filled({1, 4}, 12), col = filled({4, 1}, 13);
  plan_case(tensor({1, 5}, t), row, b, 0, "M = 1");
  plan_case(tensor({3, 1}, t), a, col, 0, "N = 1");
  // An expanded row (0 row stride) is packed.
  TI one = filled({1, 4}, 14);
  plan_case(tensor({3, 5}, t), view_of(one, {3, 4}, {0, 1}), b, 1,
            "expanded rows: packed");
}

// ---------------------------------------------------------------------------
// im2col / col2im (conv.cuh) against runtime/src/kernels/im2col.h.

cd::ConvGeom conv_geom(int64_t C, int64_t H, int64_t W, int64_t kH, int64_t kW,
                       int64_t OH, int64_t OW, const Conv2dParams &p) {
  return {C,
          H,
          W,
          kH,
          kW,
          OH,
          OW,
          p.stride[0],
          p.stride[1],
          p.padding[0],
          p.padding[1],
          p.dilation[0],
          p.dilation[1]};
}

struct ConvCase {
  int64_t C, H, W, kH, kW;
  Conv2dParams p;
};
std::vector<ConvCase> conv_cases() {
  std::vector<ConvCase> v;
  v.push_back({2, 5, 6, 3, 3, {}});
  ConvCase c{3, 7, 6, 3, 2, {}};
  c.p.stride[0] = 2;
  c.p.padding[0] = 1;
  c.p.padding[1] = 2;
  v.push_back(c);
  c = {2, 9, 8, 2, 3, {}};
  c.p.dilation[0] = 2;
  c.p.dilation[1] = 3;
  c.p.stride[1] = 3;
  c.p.padding[0] = 1;
  v.push_back(c);
  c = {1, 4, 4, 1, 1, {}};
  c.p.stride[0] = c.p.stride[1] = 2;
  v.push_back(c);
  return v;
}

template <typename T, typename Im2col, typename Col2im>
void im2col_cases(DType t, Im2col im2col, Col2im col2im, bool specials) {
  for (const ConvCase &c : conv_cases()) {
    const int64_t OH =
        (c.H + 2 * c.p.padding[0] - c.p.dilation[0] * (c.kH - 1) - 1) /
            c.p.stride[0] +
        1;
    const int64_t OW =
        (c.W + 2 * c.p.padding[1] - c.p.dilation[1] * (c.kW - 1) - 1) /
            c.p.stride[1] +
        1;
    const int64_t K = c.C * c.kH * c.kW, plane = OH * OW;
    const std::string what = str("C", c.C, " H", c.H, " k", c.kH, "x", c.kW);
    TI in = tensor({c.C, c.H, c.W}, t);
    fill(*in, 21, specials);
    TI want = tensor({K, plane}, t), got = tensor({K, plane}, t);
    kernels::cpu::detail::im2col(in->data_as<T>(), c.C, c.H, c.W, c.kH, c.kW,
                                 OH, OW, c.p, want->data_as<T>());
    auto g = conv_geom(c.C, c.H, c.W, c.kH, c.kW, OH, OW, c.p);
    run([&] { im2col(got->data_as<T>(), in->data_as<T>(), g, K * plane); });
    expect_same(*want, *got, str("im2col ", what));

    TI col = tensor({K, plane}, t);
    fill(*col, 22, specials);
    TI gwant = tensor({c.C, c.H, c.W}, t), ggot = tensor({c.C, c.H, c.W}, t);
    std::memset(gwant->data(), 0, gwant->numel() * gwant->itemsize());
    kernels::cpu::detail::col2im(col->data_as<T>(), c.C, c.H, c.W, c.kH, c.kW,
                                 OH, OW, c.p, gwant->data_as<T>());
    run([&] {
      col2im(ggot->data_as<T>(), col->data_as<T>(), g, c.C * c.H * c.W);
    });
    expect_same(*gwant, *ggot, str("col2im ", what));
  }
}

template <typename NS_Geom, typename Fn> auto conv_fn(Fn f) {
  return [f](auto *out, const auto *in, const cd::ConvGeom &g, i64 n) {
    f(out, in, as_kernel<NS_Geom>(g), n);
  };
}

TEST(CudaGemmHost, Im2colAndCol2imEqualCpu) {
  im2col_cases<float>(
      kFloat32, conv_fn<c_float32::ConvGeom>(c_float32::ember_im2col),
      conv_fn<c_float32::ConvGeom>(c_float32::ember_col2im), true);
  im2col_cases<double>(
      kFloat64, conv_fn<c_float64::ConvGeom>(c_float64::ember_im2col),
      conv_fn<c_float64::ConvGeom>(c_float64::ember_col2im), true);
  im2col_cases<long long>(
      kInt64, conv_fn<c_int64::ConvGeom>(c_int64::ember_im2col),
      conv_fn<c_int64::ConvGeom>(c_int64::ember_col2im), false);
}

TEST(CudaGemmHost, BiasFillBroadcastsOverChannels) {
  TI out = tensor({2, 3, 4}, kFloat32), bias = tensor({3}, kFloat32);
  fill(*bias, 31);
  run([&] {
    c_float32::ember_bias_fill(out->data_as<float>(), bias->data_as<float>(), 3,
                               4, 24);
  });
  for (int64_t i = 0; i < 24; ++i)
    EXPECT_EQ(out->data_as<float>()[i], bias->data_as<float>()[(i / 4) % 3]);
}

// ---------------------------------------------------------------------------
// Pools (pool.cuh) against the CPU kernels.

struct PoolCase {
  int64_t H, W;
  Pool2dParams p;
  bool ceil_mode;
};
std::vector<PoolCase> pool_cases(bool dilation) {
  std::vector<PoolCase> v;
  PoolCase c{6, 8, {}, false};
  c.p.kernel[0] = c.p.kernel[1] = 2;
  c.p.stride[0] = c.p.stride[1] = 2;
  v.push_back(c); // the CPU's plain 2x2 fast path
  c = {7, 6, {}, false};
  c.p.kernel[0] = c.p.kernel[1] = 3;
  c.p.stride[0] = c.p.stride[1] = 2;
  c.p.padding[0] = c.p.padding[1] = 1;
  v.push_back(c);
  c.ceil_mode = true;
  v.push_back(c);
  c.p.count_include_pad = false;
  v.push_back(c);
  c = {7, 9, {}, true};
  c.p.kernel[0] = 3;
  c.p.kernel[1] = 2;
  c.p.stride[0] = 1;
  c.p.stride[1] = 3;
  c.p.padding[0] = 1;
  if (dilation)
    c.p.dilation[0] = c.p.dilation[1] = 2;
  v.push_back(c);
  c = {5, 5, {}, false};
  c.p.kernel[0] = c.p.kernel[1] = 3;
  c.p.stride[0] = c.p.stride[1] = 1; // heavily overlapping windows
  c.p.padding[0] = c.p.padding[1] = 1;
  c.p.count_include_pad = false;
  v.push_back(c);
  return v;
}

template <typename T, typename NS_Geom, typename Max, typename MaxB,
          typename Avg, typename AvgB>
void pool_cases_for(DType t, Max max_k, MaxB max_b, Avg avg_k, AvgB avg_b,
                    bool float_type) {
  for (bool dil : {false, true})
    for (const PoolCase &c : pool_cases(dil)) {
      const Pool2dParams &p = c.p;
      const int64_t OH = kernels::cpu::pool_output_size(
          c.H, p.kernel[0], p.padding[0], p.stride[0], p.dilation[0],
          c.ceil_mode);
      const int64_t OW = kernels::cpu::pool_output_size(
          c.W, p.kernel[1], p.padding[1], p.stride[1], p.dilation[1],
          c.ceil_mode);
      const std::string what =
          str(t, " H", c.H, " W", c.W, " k", p.kernel[0], " s", p.stride[0],
              " ceil", c.ceil_mode, " dil", p.dilation[0], " cip",
              p.count_include_pad);
      TI in = tensor({2, 3, c.H, c.W}, t);
      fill(*in, 41, float_type);
      TI go = tensor({2, 3, OH, OW}, t);
      fill(*go, 42, false);
      const int64_t nout = go->numel(), nin = in->numel();
      cd::PoolGeom hg{c.H,
                      c.W,
                      OH,
                      OW,
                      p.kernel[0],
                      p.kernel[1],
                      p.stride[0],
                      p.stride[1],
                      p.padding[0],
                      p.padding[1],
                      p.dilation[0],
                      p.dilation[1],
                      p.count_include_pad ? 1 : 0};
      NS_Geom g = as_kernel<NS_Geom>(hg);
      const T lowest = float_type ? -std::numeric_limits<T>::infinity()
                                  : std::numeric_limits<T>::lowest();
      if (float_type) {
        TI want = tensor(go->sizes(), t), got = tensor(go->sizes(), t);
        kernels::cpu::max_pool2d(*want, *in, p);
        run([&] {
          max_k(got->data_as<T>(), in->data_as<T>(), g, lowest, nout);
        });
        expect_same(*want, *got, str("max_pool2d ", what));
        TI gwant = tensor(in->sizes(), t), ggot = tensor(in->sizes(), t);
        kernels::cpu::max_pool2d_backward(*gwant, *go, *in, p);
        run([&] {
          max_b(ggot->data_as<T>(), go->data_as<T>(), in->data_as<T>(), g,
                lowest, nin);
        });
        expect_same(*gwant, *ggot, str("max_pool2d_backward ", what));
        TI awant = tensor(in->sizes(), t), agot = tensor(in->sizes(), t);
        kernels::cpu::avg_pool2d_backward(*awant, *go, p);
        run([&] { avg_b(agot->data_as<T>(), go->data_as<T>(), g, nin); });
        expect_same(*awant, *agot, str("avg_pool2d_backward ", what));
      }
      if (dil)
        continue; // avg_pool2d has no dilation
      TI want = tensor(go->sizes(), t), got = tensor(go->sizes(), t);
      kernels::cpu::avg_pool2d(*want, *in, p);
      run([&] { avg_k(got->data_as<T>(), in->data_as<T>(), g, nout); });
      expect_same(*want, *got, str("avg_pool2d ", what));
    }
}

TEST(CudaGemmHost, PoolsAndTheirGradientsEqualCpu) {
  pool_cases_for<float, p_float32::PoolGeom>(
      kFloat32, p_float32::ember_max_pool2d,
      p_float32::ember_max_pool2d_backward, p_float32::ember_avg_pool2d,
      p_float32::ember_avg_pool2d_backward, true);
  pool_cases_for<double, p_float64::PoolGeom>(
      kFloat64, p_float64::ember_max_pool2d,
      p_float64::ember_max_pool2d_backward, p_float64::ember_avg_pool2d,
      p_float64::ember_avg_pool2d_backward, true);
  pool_cases_for<long long, p_int64::PoolGeom>(
      kInt64, p_int64::ember_max_pool2d, p_int64::ember_max_pool2d_backward,
      p_int64::ember_avg_pool2d, p_int64::ember_avg_pool2d_backward, false);
}

} // namespace

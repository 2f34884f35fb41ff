// matmul on CUDA (see gemm_plan.h for the layout rules) and the GEMM helpers
// of the convolutions (blas.h).
//
// cuBLAS is opened with dlopen on first use (libcublas.so.13, then
// libcublas.so), so that loading ember costs nothing on machines without a
// GPU; <cublas_v2.h> is included for its types only. One handle per device
// and thread (cuBLAS handles are not meant to be shared between threads),
// bound to the current stream before every call. Math mode
// CUBLAS_DEFAULT_MATH: computation and intermediate storage keep at least
// the requested precision, so float32 GEMMs stay true fp32 (no TF32, which
// needs CUBLAS_TF32_TENSOR_OP_MATH or a FAST_TF32 compute type, and no
// BF16x9 emulation, which needs its own math mode).
#include "blas.h"
#include "check.h"
#include "dynlib.h"
#include "ember/runtime/cuda.h"
#include "ember/runtime/error.h"
#include "ember/runtime/kernels/cuda.h"
#include "module.h"

#include <cublas_v2.h>

#include <climits>
#include <string>
#include <unordered_map>

namespace ember::cuda::detail {

namespace {

struct Cublas {
  decltype(&::cublasCreate_v2) create;
  decltype(&::cublasDestroy_v2) destroy;
  decltype(&::cublasSetStream_v2) set_stream;
  decltype(&::cublasSetMathMode) set_math_mode;
  decltype(&::cublasSgemm_v2) sgemm;
  decltype(&::cublasDgemm_v2) dgemm;
  decltype(&::cublasSgemmStridedBatched) sgemm_batched;
  decltype(&::cublasDgemmStridedBatched) dgemm_batched;
};

const Cublas &cublas() {
  static const Cublas lib = [] {
    void *h = open_cuda_library("libcublas.so.13");
    if (!h)
      h = open_cuda_library("libcublas.so");
    EMBER_CHECK(h, "matmul",
                "cannot load cuBLAS (libcublas.so.13 or libcublas.so)");
    Cublas c;
#define EMBER_CUBLAS_SYM(field, name)                                          \
  c.field =                                                                    \
      reinterpret_cast<decltype(c.field)>(cuda_symbol(h, "libcublas", #name))
    EMBER_CUBLAS_SYM(create, cublasCreate_v2);
    EMBER_CUBLAS_SYM(destroy, cublasDestroy_v2);
    EMBER_CUBLAS_SYM(set_stream, cublasSetStream_v2);
    EMBER_CUBLAS_SYM(set_math_mode, cublasSetMathMode);
    EMBER_CUBLAS_SYM(sgemm, cublasSgemm_v2);
    EMBER_CUBLAS_SYM(dgemm, cublasDgemm_v2);
    EMBER_CUBLAS_SYM(sgemm_batched, cublasSgemmStridedBatched);
    EMBER_CUBLAS_SYM(dgemm_batched, cublasDgemmStridedBatched);
#undef EMBER_CUBLAS_SYM
    return c;
  }();
  return lib;
}

void check_status(cublasStatus_t s, const char *op, const char *call) {
  EMBER_CHECK(s == CUBLAS_STATUS_SUCCESS, op, call, " failed (cuBLAS status ",
              static_cast<int>(s), ")");
}

// This thread's handles, one per device; destroyed when the thread ends
// (status ignored: at process exit the driver may already be gone).
struct Handles {
  std::unordered_map<int, cublasHandle_t> by_device;
  ~Handles() {
    for (auto &[dev, h] : by_device)
      cublas().destroy(h);
  }
};

// The current device's handle, bound to the current stream.
cublasHandle_t handle(const char *op) {
  static thread_local Handles handles;
  const int dev = current_device();
  auto it = handles.by_device.find(dev);
  if (it == handles.by_device.end()) {
    cublasHandle_t h = nullptr;
    check_status(cublas().create(&h), op, "cublasCreate");
    check_status(cublas().set_math_mode(h, CUBLAS_DEFAULT_MATH), op,
                 "cublasSetMathMode");
    it = handles.by_device.emplace(dev, h).first;
  }
  check_status(cublas().set_stream(it->second, static_cast<cudaStream_t>(
                                                   current_stream().handle())),
               op, "cublasSetStream");
  return it->second;
}

cublasOperation_t op_of(bool trans) {
  return trans ? CUBLAS_OP_T : CUBLAS_OP_N;
}

int as_int(const char *op, int64_t v, const char *what) {
  EMBER_CHECK(v >= 0 && v <= INT_MAX, op, what, " ", v,
              " is too large for cuBLAS (at most ", INT_MAX, ")");
  return static_cast<int>(v);
}

} // namespace

bool cublas_available() {
  try {
    cublas();
    return true;
  } catch (const Error &) {
    return false;
  }
}

void cublas_gemm(const char *op, DType t, const CublasGemm &g, const void *A,
                 const void *B, bool accumulate, void *C, int64_t count,
                 int64_t sA, int64_t sB, int64_t sC) {
  const int m = as_int(op, g.m, "m"), n = as_int(op, g.n, "n"),
            k = as_int(op, g.k, "k"), lda = as_int(op, g.lda, "lda"),
            ldb = as_int(op, g.ldb, "ldb"), ldc = as_int(op, g.ldc, "ldc"),
            cnt = as_int(op, count, "batch count");
  cublasHandle_t h = handle(op);
  const cublasOperation_t ta = op_of(g.transa), tb = op_of(g.transb);
  if (t == DType::Float32) {
    const float one = 1.0f, beta = accumulate ? 1.0f : 0.0f;
    auto a = static_cast<const float *>(A), b = static_cast<const float *>(B);
    auto c = static_cast<float *>(C);
    if (cnt == 1)
      check_status(cublas().sgemm(h, ta, tb, m, n, k, &one, a, lda, b, ldb,
                                  &beta, c, ldc),
                   op, "cublasSgemm");
    else
      check_status(cublas().sgemm_batched(h, ta, tb, m, n, k, &one, a, lda, sA,
                                          b, ldb, sB, &beta, c, ldc, sC, cnt),
                   op, "cublasSgemmStridedBatched");
  } else if (t == DType::Float64) {
    const double one = 1.0, beta = accumulate ? 1.0 : 0.0;
    auto a = static_cast<const double *>(A);
    auto b = static_cast<const double *>(B);
    auto c = static_cast<double *>(C);
    if (cnt == 1)
      check_status(cublas().dgemm(h, ta, tb, m, n, k, &one, a, lda, b, ldb,
                                  &beta, c, ldc),
                   op, "cublasDgemm");
    else
      check_status(cublas().dgemm_batched(h, ta, tb, m, n, k, &one, a, lda, sA,
                                          b, ldb, sB, &beta, c, ldc, sC, cnt),
                   op, "cublasDgemmStridedBatched");
  } else {
    EMBER_FAIL(op, "cuBLAS has no GEMM for dtype ", t);
  }
}

void int_gemm(DType t, const IntGemm &g, const void *a, const void *b,
              void *c) {
  int64_t total = g.M * g.N;
  for (int d = 0; d < g.nb; ++d)
    total *= g.bsizes[d];
  std::string prelude = std::string("typedef ") + c_type(t) + " scalar_t;\n";
  void *pa = const_cast<void *>(a), *pb = const_cast<void *>(b), *pc = c;
  IntGemm gg = g;
  void *args[] = {&pc, &pa, &pb, &gg, &total};
  launch_elementwise(get_kernel("gemm", prelude, "ember_gemm_int"), total,
                     args);
}

void gemm(const char *op, DType t, bool ta, bool tb, int64_t M, int64_t N,
          int64_t K, const void *a, int64_t lda, const void *b, int64_t ldb,
          bool accumulate, void *c, int64_t ldc) {
  if (M == 0 || N == 0)
    return;
  if (t == DType::Float32 || t == DType::Float64) {
    CublasGemm g =
        cublas_gemm_for(M, N, K, MatLayout{ta, lda}, MatLayout{tb, ldb}, ldc);
    cublas_gemm(op, t, g, b, a, accumulate, c, 1, 0, 0, 0);
    return;
  }
  IntGemm g{};
  g.M = M;
  g.N = N;
  g.K = K;
  g.ars = ta ? 1 : lda;
  g.acs = ta ? lda : 1;
  g.brs = tb ? 1 : ldb;
  g.bcs = tb ? ldb : 1;
  g.crs = ldc;
  g.ccs = 1;
  g.nb = 0;
  g.accumulate = accumulate;
  int_gemm(t, g, a, b, c);
}

} // namespace ember::cuda::detail

namespace ember::kernels::cuda {

using namespace ember::cuda::detail;

namespace {

constexpr const char *kOp = "matmul";

// A contiguous copy of `t` on its device (for a matrix cuBLAS cannot read).
std::shared_ptr<TensorImpl> packed(const TensorImpl &t) {
  auto p = make_tensor_impl(t.sizes(), t.dtype(), t.device());
  copy(*p, t);
  return p;
}

const char *at(const TensorImpl &t, int64_t elems) {
  return static_cast<const char *>(t.data()) + elems * t.itemsize();
}

void float_matmul(const TensorImpl &out, const TensorImpl &a0,
                  const TensorImpl &b0) {
  const int64_t nd = out.dim(), nb = nd - 2;
  const int64_t M = out.size(nd - 2), N = out.size(nd - 1), K = a0.size(nd - 1);
  std::shared_ptr<TensorImpl> pa, pb;
  auto layout = [&](const TensorImpl &t, std::shared_ptr<TensorImpl> &keep) {
    auto l = gemm_layout(t.size(nd - 2), t.size(nd - 1), t.stride(nd - 2),
                         t.stride(nd - 1));
    if (l)
      return *l;
    keep = packed(t);
    return *gemm_layout(t.size(nd - 2), t.size(nd - 1), keep->stride(nd - 2),
                        keep->stride(nd - 1));
  };
  const MatLayout la = layout(a0, pa), lb = layout(b0, pb);
  const TensorImpl &a = pa ? *pa : a0, &b = pb ? *pb : b0;
  std::vector<int64_t> sizes(out.sizes().begin(), out.sizes().begin() + nb);
  std::vector<int64_t> sa(a.strides().begin(), a.strides().begin() + nb);
  std::vector<int64_t> sb(b.strides().begin(), b.strides().begin() + nb);
  const BatchPlan plan = plan_batches(sizes, sa, sb, M * N);
  const CublasGemm g = cublas_gemm_for(M, N, K, la, lb, N);
  char *c = static_cast<char *>(out.data());
  for (size_t i = 0; i < plan.outer_a.size(); ++i)
    cublas_gemm(kOp, out.dtype(), g, at(b, plan.outer_b[i]),
                at(a, plan.outer_a[i]), false,
                c + plan.outer_c[i] * out.itemsize(), plan.count, plan.sb,
                plan.sa, plan.sc);
}

void int_matmul(const TensorImpl &out, const TensorImpl &a,
                const TensorImpl &b) {
  const int64_t nd = out.dim(), nb = nd - 2;
  EMBER_CHECK(nb <= 8, kOp, "at most 8 batch dims on CUDA, got ", nb);
  IntGemm g{};
  g.M = out.size(nd - 2);
  g.N = out.size(nd - 1);
  g.K = a.size(nd - 1);
  g.ars = a.stride(nd - 2);
  g.acs = a.stride(nd - 1);
  g.brs = b.stride(nd - 2);
  g.bcs = b.stride(nd - 1);
  g.crs = g.N;
  g.ccs = 1;
  g.nb = static_cast<int32_t>(nb);
  for (int64_t d = 0; d < nb; ++d) {
    g.bsizes[d] = out.size(d);
    g.bsa[d] = a.stride(d);
    g.bsb[d] = b.stride(d);
    g.bsc[d] = out.stride(d);
  }
  int_gemm(out.dtype(), g, a.data(), b.data(), out.data());
}

} // namespace

void matmul(const TensorImpl &out, const TensorImpl &a, const TensorImpl &b) {
  const int64_t nd = out.dim();
  EMBER_CHECK(nd >= 2 && a.dim() == nd && b.dim() == nd, kOp,
              "internal error: operands must have the output's rank");
  EMBER_CHECK(out.is_contiguous(), kOp,
              "internal error: output must be contiguous");
  EMBER_CHECK(a.dtype() == out.dtype() && b.dtype() == out.dtype(), kOp,
              "internal error: operands must have the output's dtype");
  if (out.numel() == 0)
    return;
  // The operands' device, for the launches and the cuBLAS handle.
  ember::cuda::DeviceGuard guard(out.device().index());
  if (a.size(nd - 1) == 0) { // empty contraction: zeros
    EMBER_CUDA_CHECK(
        cudaMemsetAsync(
            out.data(), 0, static_cast<size_t>(out.numel()) * out.itemsize(),
            static_cast<cudaStream_t>(ember::cuda::current_stream().handle())),
        kOp);
    return;
  }
  switch (out.dtype()) {
  case DType::Float32:
  case DType::Float64:
    return float_matmul(out, a, b);
  case DType::Int32:
  case DType::Int64:
  case DType::UInt8:
    return int_matmul(out, a, b);
  default:
    EMBER_FAIL(kOp, "no CUDA kernel for dtype ", out.dtype());
  }
}

} // namespace ember::kernels::cuda

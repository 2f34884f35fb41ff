// Internal to runtime/src/cuda: matrix products on the current stream, for
// matmul and the convolutions. float32/float64 run on cuBLAS (opened on
// first use, never linked), integer dtypes on the loop kernel of
// kernels/gemm.cuh.
#pragma once

#include "ember/runtime/dtype.h"
#include "gemm_plan.h"

#include <cstdint>

namespace ember::cuda::detail {

/// Row-major C[M, N] (leading dimension ldc) = op(A)[M, K] @ op(B)[K, N],
/// plus C when `accumulate`; op transposes when ta / tb (A is then stored
/// K x M with leading dimension lda, as in BLAS).
void gemm(const char *op, DType t, bool ta, bool tb, int64_t M, int64_t N,
          int64_t K, const void *a, int64_t lda, const void *b, int64_t ldb,
          bool accumulate, void *c, int64_t ldc);

/// One cuBLAS call with cuBLAS's operands (float32/float64): A (= the
/// row-major b), B (= the row-major a), `count` products stepping sA, sB,
/// sC elements (count 1: cublas<t>gemm, else the strided-batched form).
void cublas_gemm(const char *op, DType t, const CublasGemm &g, const void *A,
                 const void *B, bool accumulate, void *C, int64_t count,
                 int64_t sA, int64_t sB, int64_t sC);

/// Whether cuBLAS loads and every entry point ember uses resolves (no
/// device needed).
bool cublas_available();

// Mirrors struct IntGemm of kernels/gemm.cuh (layout must match).
struct IntGemm {
  int64_t M, N, K;
  int64_t ars, acs, brs, bcs, crs, ccs;
  int64_t bsizes[8];
  int64_t bsa[8], bsb[8], bsc[8];
  int32_t nb;
  int32_t accumulate;
};
/// Launches kernels/gemm.cuh's integer product over M*N*batches outputs.
void int_gemm(DType t, const IntGemm &g, const void *a, const void *b, void *c);

} // namespace ember::cuda::detail

// GEMM through OpenBLAS on ember's own pool. OpenBLAS runs single-threaded
// (its spin-waiting threads fought ember's pool for the cores: 170k
// sched_yield calls and 3x the user time in sys on a small CNN), and a large
// product is cut into one block of rows (or columns) per pool thread, each a
// single-threaded sgemm/dgemm. One pool owns the cores.
#pragma once

#include <cstdint>

namespace ember::kernels::cpu::blas {

/// Row-major C[M, N] = alpha * op(A) @ op(B) + beta * C, op = transpose when
/// ta / tb. Inside a parallel region it runs on the calling thread.
void gemm(bool ta, bool tb, int64_t M, int64_t N, int64_t K, float alpha,
          const float *a, int64_t lda, const float *b, int64_t ldb, float beta,
          float *c, int64_t ldc);
void gemm(bool ta, bool tb, int64_t M, int64_t N, int64_t K, double alpha,
          const double *a, int64_t lda, const double *b, int64_t ldb,
          double beta, double *c, int64_t ldc);

} // namespace ember::kernels::cpu::blas

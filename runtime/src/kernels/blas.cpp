#include "blas.h"

#include "ember/runtime/parallel.h"

#include <cblas.h>

#include <algorithm>
#include <type_traits>

namespace ember::kernels::cpu::blas {

namespace {

template <typename T>
void call(bool ta, bool tb, int64_t M, int64_t N, int64_t K, T alpha,
          const T *a, int64_t lda, const T *b, int64_t ldb, T beta, T *c,
          int64_t ldc) {
  auto i = [](int64_t v) { return static_cast<blasint>(v); };
  CBLAS_TRANSPOSE opa = ta ? CblasTrans : CblasNoTrans;
  CBLAS_TRANSPOSE opb = tb ? CblasTrans : CblasNoTrans;
  if constexpr (std::is_same_v<T, float>)
    cblas_sgemm(CblasRowMajor, opa, opb, i(M), i(N), i(K), alpha, a, i(lda), b,
                i(ldb), beta, c, i(ldc));
  else
    cblas_dgemm(CblasRowMajor, opa, opb, i(M), i(N), i(K), alpha, a, i(lda), b,
                i(ldb), beta, c, i(ldc));
}

// Below this many flops per thread, waking the pool costs more than it saves.
constexpr double kMinFlopsPerThread = 4e6;

template <typename T>
void split_gemm(bool ta, bool tb, int64_t M, int64_t N, int64_t K, T alpha,
                const T *a, int64_t lda, const T *b, int64_t ldb, T beta, T *c,
                int64_t ldc) {
  int threads = in_parallel_region() ? 1 : get_num_threads();
  double flops = 2.0 * static_cast<double>(M) * static_cast<double>(N) *
                 static_cast<double>(K);
  bool split_m = M >= N;
  int64_t len = split_m ? M : N;
  // Blocks of whole 16-row/column panels keep the kernels' tiles intact.
  int64_t chunks = std::min<int64_t>(
      {threads, static_cast<int64_t>(flops / kMinFlopsPerThread), len / 16});
  if (chunks <= 1) {
    call(ta, tb, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  int64_t panels = (len + 15) / 16;
  parallel_for(0, chunks, 1, [&](int64_t c0, int64_t c1) {
    for (int64_t ch = c0; ch < c1; ++ch) {
      int64_t lo = std::min(len, panels * ch / chunks * 16);
      int64_t hi = std::min(len, panels * (ch + 1) / chunks * 16);
      if (hi <= lo)
        continue;
      if (split_m)
        call(ta, tb, hi - lo, N, K, alpha, ta ? a + lo : a + lo * lda, lda, b,
             ldb, beta, c + lo * ldc, ldc);
      else
        call(ta, tb, M, hi - lo, K, alpha, a, lda, tb ? b + lo * ldb : b + lo,
             ldb, beta, c + lo, ldc);
    }
  });
}

} // namespace

void gemm(bool ta, bool tb, int64_t M, int64_t N, int64_t K, float alpha,
          const float *a, int64_t lda, const float *b, int64_t ldb, float beta,
          float *c, int64_t ldc) {
  split_gemm(ta, tb, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc);
}
void gemm(bool ta, bool tb, int64_t M, int64_t N, int64_t K, double alpha,
          const double *a, int64_t lda, const double *b, int64_t ldb,
          double beta, double *c, int64_t ldc) {
  split_gemm(ta, tb, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc);
}

} // namespace ember::kernels::cpu::blas

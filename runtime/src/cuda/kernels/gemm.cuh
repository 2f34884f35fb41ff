// Integer matrix products for one dtype, `scalar_t` (int32, int64, uint8):
// cuBLAS has no integer GEMM, so one thread computes one output element.
// As the CPU kernel (runtime/src/kernels/gemm.cpp), the arithmetic runs in
// the unsigned type of the same width, so overflow wraps (as PyTorch) and
// the result is exact whatever the summation order.

template <typename T> struct em_uns { typedef T type; };
template <> struct em_uns<int> { typedef unsigned int type; };
template <> struct em_uns<long long> { typedef unsigned long long type; };

// C[b](m, n) = sum_k A[b](m, k) * B[b](k, n) (+ C[b](m, n) when accumulate).
// Element (i, j) of a matrix sits at i * rs + j * cs; the batch index b
// runs over up to EMBER_MAX_DIMS dims (row-major over bsizes) with each
// operand's batch strides (0 where it broadcasts).
struct IntGemm {
  i64 M, N, K;
  i64 ars, acs, brs, bcs, crs, ccs;
  i64 bsizes[EMBER_MAX_DIMS];
  i64 bsa[EMBER_MAX_DIMS], bsb[EMBER_MAX_DIMS], bsc[EMBER_MAX_DIMS];
  int nb;
  int accumulate;
};

EMBER_KERNEL(ember_gemm_int)
(scalar_t *c, const scalar_t *a, const scalar_t *b, IntGemm g, i64 total) {
  typedef typename em_uns<scalar_t>::type U;
  EMBER_GRID_LOOP(i, total) {
    i64 j = i % g.N, r = i / g.N;
    i64 m = r % g.M, bi = r / g.M;
    i64 oa = 0, ob = 0, oc = 0;
    for (int d = g.nb - 1; d >= 0; --d) {
      i64 x = bi % g.bsizes[d];
      bi /= g.bsizes[d];
      oa += x * g.bsa[d];
      ob += x * g.bsb[d];
      oc += x * g.bsc[d];
    }
    const scalar_t *ar = a + oa + m * g.ars;
    const scalar_t *bc = b + ob + j * g.bcs;
    scalar_t *cp = c + oc + m * g.crs + j * g.ccs;
    U acc = g.accumulate ? (U)*cp : (U)0;
    for (i64 k = 0; k < g.K; ++k)
      acc = (U)(acc + (U)((U)ar[k * g.acs] * (U)bc[k * g.brs]));
    *cp = (scalar_t)acc;
  }
}

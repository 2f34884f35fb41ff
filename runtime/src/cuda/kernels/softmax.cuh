// softmax and log_softmax of `scalar_t` (float or double, set by the
// module's prelude) along one dim of a contiguous [outer, n, inner] tensor:
// each of the outer * inner "columns" holds n elements at stride inner. As
// the CPU kernel (runtime/src/kernels/reduce.cpp): the column's max m
// (NaN propagates), sum = sum of exp(x - m) in double (exp in scalar_t),
// then y = (double)exp(x - m) * (1 / sum), or y = (double)(x - m) - log(sum).
//
// Order: _thread kernels (one thread per column) sum left to right; _block
// kernels (one block per column, for long columns) let thread t fold
// elements t, t + B, ... and combine the B partials as a balanced tree in
// shared memory, so sums agree with the CPU to rounding; max is exact.

#define EMBER_SOFTMAX_THREADS 256

template <typename T> __device__ __forceinline__ T sm_max(T a, T x) {
  if (em_isnan(a))
    return a;
  if (em_isnan(x) || x > a)
    return x;
  return a;
}

__device__ __forceinline__ void sm_write(scalar_t *y, const scalar_t *x, i64 n,
                                         i64 inner, scalar_t m, double sum,
                                         int log_, i64 first, i64 step) {
  if (log_) {
    const double ls = em_log(sum);
    for (i64 i = first; i < n; i += step)
      y[i * inner] = (scalar_t)((double)(x[i * inner] - m) - ls);
  } else {
    const double inv = 1.0 / sum;
    for (i64 i = first; i < n; i += step)
      y[i * inner] = (scalar_t)((double)em_exp(x[i * inner] - m) * inv);
  }
}

EMBER_KERNEL(ember_softmax_thread)
(scalar_t *out, const scalar_t *in, i64 outer, i64 n, i64 inner, int log_) {
  EMBER_GRID_LOOP(c, outer * inner) {
    const i64 base = (c / inner) * n * inner + c % inner;
    const scalar_t *x = in + base;
    scalar_t m = x[0];
    for (i64 i = 1; i < n; ++i)
      m = sm_max(m, x[i * inner]);
    double sum = 0;
    for (i64 i = 0; i < n; ++i)
      sum += (double)em_exp(x[i * inner] - m);
    sm_write(out + base, x, n, inner, m, sum, log_, 0, 1);
  }
}

EMBER_KERNEL(ember_softmax_block)
(scalar_t *out, const scalar_t *in, i64 outer, i64 n, i64 inner, int log_) {
  __shared__ scalar_t mbuf[EMBER_SOFTMAX_THREADS];
  __shared__ double sbuf[EMBER_SOFTMAX_THREADS];
  const unsigned t = threadIdx.x;
  for (i64 c = blockIdx.x; c < outer * inner; c += gridDim.x) {
    const i64 base = (c / inner) * n * inner + c % inner;
    const scalar_t *x = in + base;
    // Threads past the column's end start from element 0: max is
    // idempotent, so the tree still gives the column's max.
    scalar_t m = x[0];
    for (i64 i = t; i < n; i += blockDim.x)
      m = sm_max(m, x[i * inner]);
    mbuf[t] = m;
    __syncthreads();
    for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
      if (t < s)
        mbuf[t] = sm_max(mbuf[t], mbuf[t + s]);
      __syncthreads();
    }
    m = mbuf[0];
    double sum = 0;
    for (i64 i = t; i < n; i += blockDim.x)
      sum += (double)em_exp(x[i * inner] - m);
    sbuf[t] = sum;
    __syncthreads();
    for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
      if (t < s)
        sbuf[t] += sbuf[t + s];
      __syncthreads();
    }
    sum = sbuf[0];
    sm_write(out + base, x, n, inner, m, sum, log_, t, blockDim.x);
    // mbuf/sbuf are rewritten for the next column.
    __syncthreads();
  }
}

// Reductions (sum, prod, mean, amax/amin, var/std, logsumexp, norms, and
// max/min with their index) of `scalar_t` (set by the module's prelude),
// with the CPU kernels' rules (runtime/src/kernels/reduce.cpp): float32
// accumulates in double, integers and bool in int64 wrapping around, NaN
// propagates through max/min, the first index of the extreme wins (NaN
// counts as the extreme, the first NaN wins), Var divides by
// max(0, R - correction), an empty reduction gives the op's identity.
//
// Reduction order. Each output reduces its "row" (the reduced elements,
// position r = 0..R-1 in RGeom's reduced-dim order) in one of two shapes,
// picked on the host from the geometry only (reduce_plan.h):
//   * _thread kernels: one thread per output, a left-to-right fold of the
//     row into one accumulator;
//   * _block kernels: one block per output; thread t folds positions
//     t, t + B, t + 2B, ... (B = blockDim.x, a power of two <= 256) left to
//     right, then the B partials are combined as a balanced tree in shared
//     memory (partial t with t + B/2, and so on).
// Both are deterministic (no atomics), but the order is not the CPU's, so
// floating sums agree with the CPU to rounding (~1e-16 relative in double,
// before float32's final rounding), and integer, max/min and index results
// are exact. Var/Std and LogSumExp make two passes over the row inside one
// kernel (mean then squared deviations; max then sum of exp), like the CPU.

#define EMBER_REDUCE_THREADS 256

// Mirrors ember::cuda::detail::ReduceGeom (cuda/reduce_plan.h).
struct RGeom {
  i64 ksize[EMBER_MAX_DIMS];
  i64 kstride[EMBER_MAX_DIMS];
  i64 rsize[EMBER_MAX_DIMS];
  i64 rstride[EMBER_MAX_DIMS];
  i64 nout;
  i64 R;
  int nk, nr;
};

// Input offset of output o's row.
__device__ __forceinline__ i64 rd_kept_offset(const RGeom &g, i64 o) {
  i64 off = 0;
  for (int d = g.nk - 1; d >= 0; --d) {
    off += (o % g.ksize[d]) * g.kstride[d];
    o /= g.ksize[d];
  }
  return off;
}
// Offset of row position r from the row's start.
__device__ __forceinline__ i64 rd_row_offset(const RGeom &g, i64 r) {
  if (g.nr == 1)
    return r * g.rstride[0];
  i64 off = 0;
  for (int d = g.nr - 1; d >= 0; --d) {
    off += (r % g.rsize[d]) * g.rstride[d];
    r /= g.rsize[d];
  }
  return off;
}

// float types accumulate in double, integers and bool in int64.
template <typename T, bool F = em_float<T>::value> struct rd_acc {
  typedef i64 type;
};
template <typename T> struct rd_acc<T, true> { typedef double type; };
// Integer accumulation wraps (two's complement) without signed overflow.
__device__ __forceinline__ i64 rd_add(i64 a, i64 b) {
  return (i64)((unsigned long long)a + (unsigned long long)b);
}
__device__ __forceinline__ double rd_add(double a, double b) { return a + b; }
__device__ __forceinline__ i64 rd_mul(i64 a, i64 b) {
  return (i64)((unsigned long long)a * (unsigned long long)b);
}
__device__ __forceinline__ double rd_mul(double a, double b) { return a * b; }

// NaN-propagating max (IsMax) or min.
template <bool IsMax, typename T>
__device__ __forceinline__ T rd_pick(T a, T x) {
  if (em_isnan(a))
    return a;
  if (em_isnan(x) || (IsMax ? x > a : x < a))
    return x;
  return a;
}
__device__ __forceinline__ bool rd_isinf(double x) {
  return x > 1.7976931348623157e308 || x < -1.7976931348623157e308;
}

// --- ops: identity(), step(acc, x, r), combine(a, b) -----------------------

template <typename T> struct SumOp {
  typedef typename rd_acc<T>::type acc_t;
  __device__ acc_t identity() const { return 0; }
  __device__ void step(acc_t &a, T x, i64) const { a = rd_add(a, (acc_t)x); }
  __device__ acc_t combine(acc_t a, acc_t b) const { return rd_add(a, b); }
};
template <typename T> struct ProdOp {
  typedef typename rd_acc<T>::type acc_t;
  __device__ acc_t identity() const { return 1; }
  __device__ void step(acc_t &a, T x, i64) const { a = rd_mul(a, (acc_t)x); }
  __device__ acc_t combine(acc_t a, acc_t b) const { return rd_mul(a, b); }
};
// Sum in double (mean, and var's first pass).
template <typename T> struct DSumOp {
  typedef double acc_t;
  __device__ acc_t identity() const { return 0; }
  __device__ void step(acc_t &a, T x, i64) const { a += (double)x; }
  __device__ acc_t combine(acc_t a, acc_t b) const { return a + b; }
};
// Max/min; `has` marks a partial that saw an element, so no identity value
// (-inf, INT64_MIN, ...) is needed.
template <typename T> struct ExtAcc {
  T v;
  int has;
};
template <bool IsMax, typename T> struct ExtOp {
  typedef ExtAcc<T> acc_t;
  __device__ acc_t identity() const {
    acc_t a;
    a.v = T(0);
    a.has = 0;
    return a;
  }
  __device__ acc_t combine(acc_t a, acc_t b) const {
    if (!a.has)
      return b;
    if (!b.has)
      return a;
    a.v = rd_pick<IsMax>(a.v, b.v);
    return a;
  }
  __device__ void step(acc_t &a, T x, i64) const {
    acc_t b;
    b.v = x;
    b.has = 1;
    a = combine(a, b);
  }
};
// Max/min with the position of its first occurrence; combine() compares
// positions, so partials may cover the row in any interleaving.
template <typename T> struct ArgAcc {
  T v;
  i64 i; // -1: nothing seen
};
template <bool IsMax, typename T> struct ArgOp {
  typedef ArgAcc<T> acc_t;
  __device__ acc_t identity() const {
    acc_t a;
    a.v = T(0);
    a.i = -1;
    return a;
  }
  __device__ acc_t combine(acc_t a, acc_t b) const {
    if (a.i < 0)
      return b;
    if (b.i < 0)
      return a;
    const bool an = em_isnan(a.v), bn = em_isnan(b.v);
    if (an || bn) {
      if (an && bn)
        return a.i <= b.i ? a : b;
      return an ? a : b;
    }
    if (IsMax ? b.v > a.v : b.v < a.v)
      return b;
    if (b.v == a.v && b.i < a.i)
      return b;
    return a;
  }
  __device__ void step(acc_t &a, T x, i64 r) const {
    acc_t b;
    b.v = x;
    b.i = r;
    a = combine(a, b);
  }
};
// Var's second pass: squared deviations from the row's mean.
template <typename T> struct SqDevOp {
  typedef double acc_t;
  double mean;
  __device__ acc_t identity() const { return 0; }
  __device__ void step(acc_t &a, T x, i64) const {
    const double d = (double)x - mean;
    a += d * d;
  }
  __device__ acc_t combine(acc_t a, acc_t b) const { return a + b; }
};
// LogSumExp's second pass: sum of exp(x - shift).
template <typename T> struct SumExpOp {
  typedef double acc_t;
  double shift;
  __device__ acc_t identity() const { return 0; }
  __device__ void step(acc_t &a, T x, i64) const {
    a += em_exp((double)x - shift);
  }
  __device__ acc_t combine(acc_t a, acc_t b) const { return a + b; }
};
// p-norms by kind: 0 (count of non-zeros), 1, 2, +inf, -inf, other p. The
// -inf norm's partials start at -1 ("nothing seen": |x| >= 0 or NaN).
enum { RD_L0, RD_L1, RD_L2, RD_INF, RD_NEGINF, RD_P };
template <typename T> struct NormOp {
  typedef double acc_t;
  int kind;
  double p;
  __device__ acc_t identity() const { return kind == RD_NEGINF ? -1.0 : 0.0; }
  __device__ acc_t combine(acc_t a, acc_t b) const {
    if (kind == RD_INF)
      return rd_pick<true>(a, b);
    if (kind == RD_NEGINF) {
      if (a < 0)
        return b;
      if (b < 0)
        return a;
      return rd_pick<false>(a, b);
    }
    return a + b;
  }
  __device__ void step(acc_t &a, T x, i64) const {
    const double v = em_fabs((double)x);
    switch (kind) {
    case RD_L0:
      a += v != 0 ? 1.0 : 0.0;
      break;
    case RD_L1:
      a += v;
      break;
    case RD_L2:
      a += v * v;
      break;
    case RD_P:
      a += em_pow(v, p);
      break;
    default:
      a = combine(a, v);
    }
  }
};

// --- the two loop shapes -----------------------------------------------------

// One thread per output: left to right.
struct RdThread {
  template <typename Op>
  __device__ static typename Op::acc_t row(const Op &op, const scalar_t *base,
                                           const RGeom &g) {
    typename Op::acc_t a = op.identity();
    for (i64 r = 0; r < g.R; ++r)
      op.step(a, base[rd_row_offset(g, r)], r);
    return a;
  }
  __device__ static bool writer() { return true; }
};

// One block per output: strided per-thread folds, then a shared-memory
// tree. Every thread returns the total; the closing barrier lets the
// caller start another reduction on the same buffer.
struct RdBlock {
  template <typename Op>
  __device__ static typename Op::acc_t row(const Op &op, const scalar_t *base,
                                           const RGeom &g) {
    typedef typename Op::acc_t A;
    __shared__ A buf[EMBER_REDUCE_THREADS];
    const unsigned t = threadIdx.x;
    A a = op.identity();
    for (i64 r = t; r < g.R; r += blockDim.x)
      op.step(a, base[rd_row_offset(g, r)], r);
    buf[t] = a;
    __syncthreads();
    for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
      if (t < s)
        buf[t] = op.combine(buf[t], buf[t + s]);
      __syncthreads();
    }
    A total = buf[0];
    __syncthreads();
    return total;
  }
  __device__ static bool writer() { return threadIdx.x == 0; }
};

// --- one output per op -------------------------------------------------------

template <class M>
__device__ void rd_Sum(scalar_t *out, const scalar_t *x, const RGeom &g, double,
                       i64, i64 o) {
  SumOp<scalar_t> op;
  typename SumOp<scalar_t>::acc_t a = M::row(op, x, g);
  if (M::writer())
    out[o] = em_convert<scalar_t>(a);
}
template <class M>
__device__ void rd_Prod(scalar_t *out, const scalar_t *x, const RGeom &g,
                        double, i64, i64 o) {
  ProdOp<scalar_t> op;
  typename ProdOp<scalar_t>::acc_t a = M::row(op, x, g);
  if (M::writer())
    out[o] = em_convert<scalar_t>(a);
}
template <class M>
__device__ void rd_Mean(scalar_t *out, const scalar_t *x, const RGeom &g,
                        double, i64, i64 o) {
  DSumOp<scalar_t> op;
  double a = M::row(op, x, g);
  if (M::writer())
    out[o] = (scalar_t)(a / (double)g.R);
}
template <class M>
__device__ void rd_Max(scalar_t *out, const scalar_t *x, const RGeom &g, double,
                       i64, i64 o) {
  ExtOp<true, scalar_t> op;
  ExtAcc<scalar_t> a = M::row(op, x, g);
  if (M::writer())
    out[o] = a.v;
}
template <class M>
__device__ void rd_Min(scalar_t *out, const scalar_t *x, const RGeom &g, double,
                       i64, i64 o) {
  ExtOp<false, scalar_t> op;
  ExtAcc<scalar_t> a = M::row(op, x, g);
  if (M::writer())
    out[o] = a.v;
}
template <class M>
__device__ void rd_var(scalar_t *out, const scalar_t *x, const RGeom &g,
                       i64 correction, i64 o, bool take_sqrt) {
  DSumOp<scalar_t> sum;
  SqDevOp<scalar_t> sq;
  sq.mean = M::row(sum, x, g) / (double)g.R;
  const double a = M::row(sq, x, g);
  double divisor = (double)(g.R - correction);
  if (divisor < 0)
    divisor = 0;
  const double v = a / divisor;
  if (M::writer())
    out[o] = (scalar_t)(take_sqrt ? em_sqrt(v) : v);
}
template <class M>
__device__ void rd_Var(scalar_t *out, const scalar_t *x, const RGeom &g, double,
                       i64 correction, i64 o) {
  rd_var<M>(out, x, g, correction, o, false);
}
template <class M>
__device__ void rd_Std(scalar_t *out, const scalar_t *x, const RGeom &g, double,
                       i64 correction, i64 o) {
  rd_var<M>(out, x, g, correction, o, true);
}
// Shifted by the row's max, or by 0 when that max is infinite or the row is
// empty (as PyTorch and the CPU kernel).
template <class M>
__device__ void rd_LogSumExp(scalar_t *out, const scalar_t *x, const RGeom &g,
                             double, i64, i64 o) {
  ExtOp<true, scalar_t> mx;
  const ExtAcc<scalar_t> m = M::row(mx, x, g);
  SumExpOp<scalar_t> se;
  se.shift = m.has ? (double)m.v : 0.0;
  if (rd_isinf(se.shift))
    se.shift = 0;
  const double a = M::row(se, x, g);
  if (M::writer())
    out[o] = (scalar_t)(em_log(a) + se.shift);
}
template <class M>
__device__ void rd_Norm(scalar_t *out, const scalar_t *x, const RGeom &g,
                        double p, i64, i64 o) {
  NormOp<scalar_t> op;
  op.p = p;
  op.kind = p == 0        ? RD_L0
            : p == 1      ? RD_L1
            : p == 2      ? RD_L2
            : rd_isinf(p) ? (p > 0 ? RD_INF : RD_NEGINF)
                          : RD_P;
  const double a = M::row(op, x, g);
  double r = a;
  if (op.kind == RD_L2)
    r = em_sqrt(a);
  else if (op.kind == RD_P)
    r = em_pow(a, 1.0 / p);
  // PyTorch 1.13: every norm of nothing is 0 (even p = -inf or p < 0).
  if (M::writer())
    out[o] = (scalar_t)(g.R == 0 ? 0.0 : r);
}

// ember_reduce_<Op>_thread: a grid-stride loop over the outputs;
// ember_reduce_<Op>_block: a block-stride loop over the outputs.
#define EMBER_REDUCE(OP)                                                       \
  EMBER_KERNEL(ember_reduce_##OP##_thread)                                     \
  (scalar_t * out, const scalar_t *in, RGeom g, double p, i64 correction) {    \
    EMBER_GRID_LOOP(o, g.nout) {                                               \
      rd_##OP<RdThread>(out, in + rd_kept_offset(g, o), g, p, correction, o);  \
    }                                                                          \
  }                                                                            \
  EMBER_KERNEL(ember_reduce_##OP##_block)                                      \
  (scalar_t * out, const scalar_t *in, RGeom g, double p, i64 correction) {    \
    for (i64 o = blockIdx.x; o < g.nout; o += gridDim.x)                       \
      rd_##OP<RdBlock>(out, in + rd_kept_offset(g, o), g, p, correction, o);   \
  }
EMBER_REDUCE(Sum)
EMBER_REDUCE(Prod)
EMBER_REDUCE(Mean)
EMBER_REDUCE(Max)
EMBER_REDUCE(Min)
EMBER_REDUCE(Var)
EMBER_REDUCE(Std)
EMBER_REDUCE(LogSumExp)
EMBER_REDUCE(Norm)
#undef EMBER_REDUCE

// Max/min values (`values` may be null) and int64 indices.
template <class M, bool IsMax>
__device__ void rd_arg(scalar_t *values, i64 *indices, const scalar_t *x,
                       const RGeom &g, i64 o) {
  ArgOp<IsMax, scalar_t> op;
  ArgAcc<scalar_t> a = M::row(op, x, g);
  if (M::writer()) {
    if (values)
      values[o] = a.v;
    indices[o] = a.i;
  }
}
#define EMBER_ARGREDUCE(NAME, IS_MAX)                                          \
  EMBER_KERNEL(ember_argreduce_##NAME##_thread)                                \
  (scalar_t * values, i64 * indices, const scalar_t *in, RGeom g) {            \
    EMBER_GRID_LOOP(o, g.nout) {                                               \
      rd_arg<RdThread, IS_MAX>(values, indices, in + rd_kept_offset(g, o), g,  \
                               o);                                             \
    }                                                                          \
  }                                                                            \
  EMBER_KERNEL(ember_argreduce_##NAME##_block)                                 \
  (scalar_t * values, i64 * indices, const scalar_t *in, RGeom g) {            \
    for (i64 o = blockIdx.x; o < g.nout; o += gridDim.x)                       \
      rd_arg<RdBlock, IS_MAX>(values, indices, in + rd_kept_offset(g, o), g,   \
                              o);                                              \
  }
EMBER_ARGREDUCE(Max, true)
EMBER_ARGREDUCE(Min, false)
#undef EMBER_ARGREDUCE

// Unary, binary, comparison, where, clamp and fill kernels for one dtype,
// `scalar_t` (set by the module's prelude). The formulas are the CPU
// kernels' (runtime/src/kernels/elementwise.cpp), including NaN rules.

template <typename T> __device__ __forceinline__ T un_Neg(T x) {
  return (T)(-x);
}
template <typename T> __device__ __forceinline__ T un_Abs(T x) {
  if constexpr (em_unsigned<T>::value)
    return x;
  else if constexpr (em_float<T>::value)
    return em_fabs(x); // abs(-0.0) is +0.0
  else
    return x < 0 ? (T)(-x) : x;
}
#define EMBER_UN_MATH(OP, EXPR)                                                \
  template <typename T> __device__ __forceinline__ T un_##OP(T x0) {           \
    typedef typename em_math<T>::type F;                                       \
    F x = (F)x0;                                                               \
    return (T)(EXPR);                                                          \
  }
EMBER_UN_MATH(Exp, em_exp(x))
EMBER_UN_MATH(Log, em_log(x))
EMBER_UN_MATH(Log1p, em_log1p(x))
EMBER_UN_MATH(Sqrt, em_sqrt(x))
EMBER_UN_MATH(Rsqrt, F(1) / em_sqrt(x))
EMBER_UN_MATH(Sin, em_sin(x))
EMBER_UN_MATH(Cos, em_cos(x))
EMBER_UN_MATH(Tanh, em_tanh(x))
EMBER_UN_MATH(Sigmoid, F(1) / (F(1) + em_exp(-x)))
EMBER_UN_MATH(Gelu, F(0.5) * x * (F(1) + em_erf(x * F(0.70710678118654752440))))
EMBER_UN_MATH(GeluTanh, F(0.5) * x *
                            (F(1) + em_tanh(F(0.79788456080286535588) *
                                            (x + F(0.044715) * x * x * x))))
EMBER_UN_MATH(Floor, em_floor(x))
EMBER_UN_MATH(Ceil, em_ceil(x))
EMBER_UN_MATH(Round, em_nearbyint(x)) // half to even, as torch.round
#undef EMBER_UN_MATH
// torch.relu: NaN and -0.0 pass through (x < 0 is false for both).
template <typename T> __device__ __forceinline__ T un_Relu(T x) {
  return x < T(0) ? T(0) : x;
}
template <typename T> __device__ __forceinline__ T un_Sign(T x) {
  return (T)((T(0) < x) - (x < T(0)));
}

#define EMBER_UNARY(OP)                                                        \
  EMBER_KERNEL(ember_unary_##OP)                                               \
  (scalar_t * out, const scalar_t *in, Geom g, i64 n) {                        \
    EMBER_GRID_LOOP(i, n) {                                                    \
      i64 o[2];                                                                \
      ember_offsets<2>(g, i, o);                                               \
      out[o[0]] = un_##OP<scalar_t>(in[o[1]]);                                 \
    }                                                                          \
  }
EMBER_UNARY(Neg)
EMBER_UNARY(Abs)
EMBER_UNARY(Exp)
EMBER_UNARY(Log)
EMBER_UNARY(Log1p)
EMBER_UNARY(Sqrt)
EMBER_UNARY(Rsqrt)
EMBER_UNARY(Sin)
EMBER_UNARY(Cos)
EMBER_UNARY(Tanh)
EMBER_UNARY(Sigmoid)
EMBER_UNARY(Relu)
EMBER_UNARY(Gelu)
EMBER_UNARY(GeluTanh)
EMBER_UNARY(Sign)
EMBER_UNARY(Floor)
EMBER_UNARY(Ceil)
EMBER_UNARY(Round)
#undef EMBER_UNARY

EMBER_KERNEL(ember_unary_LogicalNot)
(bool *out, const scalar_t *in, Geom g, i64 n) {
  EMBER_GRID_LOOP(i, n) {
    i64 o[2];
    ember_offsets<2>(g, i, o);
    out[o[0]] = !(bool)in[o[1]];
  }
}

// Binary ops producing scalar_t. Add/Sub take alpha (1 adds exactly: 1 * y
// is y).
template <typename T> __device__ __forceinline__ T bin_Add(T x, T y, T al) {
  return (T)(x + al * y);
}
template <typename T> __device__ __forceinline__ T bin_Sub(T x, T y, T al) {
  return (T)(x - al * y);
}
template <typename T> __device__ __forceinline__ T bin_Mul(T x, T y, T) {
  if constexpr (em_same<T, bool>::value)
    return x && y;
  else
    return (T)(x * y);
}
// Integer true division never reaches a kernel (promoted to float first).
template <typename T> __device__ __forceinline__ T bin_Div(T x, T y, T) {
  return (T)(x / y);
}
template <typename T> __device__ __forceinline__ T bin_Pow(T x, T y, T) {
  if constexpr (em_float<T>::value) {
    return em_pow(x, y);
  } else if constexpr (em_same<T, bool>::value) {
    return x || !y;
  } else {
    // Integer power by squaring; negative exponents only for bases +-1.
    if (y < 0)
      return (T)(x == 1 ? 1 : (x == -1 ? ((y & 1) ? -1 : 1) : 0));
    T r = 1, base = x;
    for (T e = y; e > 0; e >>= 1) {
      if (e & 1)
        r = (T)(r * base);
      base = (T)(base * base);
    }
    return r;
  }
}
template <typename T> __device__ __forceinline__ T bin_Maximum(T x, T y, T) {
  if constexpr (em_float<T>::value)
    if (em_isnan(x) || em_isnan(y))
      return x != x ? x : y;
  return x > y ? x : y;
}
template <typename T> __device__ __forceinline__ T bin_Minimum(T x, T y, T) {
  if constexpr (em_float<T>::value)
    if (em_isnan(x) || em_isnan(y))
      return x != x ? x : y;
  return x < y ? x : y;
}

#define EMBER_BINARY(OP)                                                       \
  EMBER_KERNEL(ember_binary_##OP)                                              \
  (scalar_t * out, const scalar_t *a, const scalar_t *b, scalar_t alpha,       \
   Geom g, i64 n) {                                                            \
    EMBER_GRID_LOOP(i, n) {                                                    \
      i64 o[3];                                                                \
      ember_offsets<3>(g, i, o);                                               \
      out[o[0]] = bin_##OP<scalar_t>(a[o[1]], b[o[2]], alpha);                 \
    }                                                                          \
  }
EMBER_BINARY(Add)
EMBER_BINARY(Sub)
EMBER_BINARY(Mul)
EMBER_BINARY(Div)
EMBER_BINARY(Pow)
EMBER_BINARY(Maximum)
EMBER_BINARY(Minimum)
#undef EMBER_BINARY

// Logical ops and comparisons write bool.
#define EMBER_COMPARE(OP, EXPR)                                                \
  EMBER_KERNEL(ember_binary_##OP)                                              \
  (bool *out, const scalar_t *a, const scalar_t *b, scalar_t, Geom g, i64 n) { \
    EMBER_GRID_LOOP(i, n) {                                                    \
      i64 o[3];                                                                \
      ember_offsets<3>(g, i, o);                                               \
      scalar_t x = a[o[1]], y = b[o[2]];                                       \
      out[o[0]] = (EXPR);                                                      \
    }                                                                          \
  }
EMBER_COMPARE(LogicalAnd, (bool)x && (bool)y)
EMBER_COMPARE(LogicalOr, (bool)x || (bool)y)
EMBER_COMPARE(LogicalXor, (bool)x != (bool)y)
EMBER_COMPARE(Eq, x == y)
EMBER_COMPARE(Ne, x != y)
EMBER_COMPARE(Lt, x < y)
EMBER_COMPARE(Le, x <= y)
EMBER_COMPARE(Gt, x > y)
EMBER_COMPARE(Ge, x >= y)
#undef EMBER_COMPARE

EMBER_KERNEL(ember_where)
(scalar_t *out, const bool *c, const scalar_t *a, const scalar_t *b, Geom g,
 i64 n) {
  EMBER_GRID_LOOP(i, n) {
    i64 o[4];
    ember_offsets<4>(g, i, o);
    out[o[0]] = c[o[1]] ? a[o[2]] : b[o[3]];
  }
}

// NaN stays NaN; min is applied before max (min > max gives max).
EMBER_KERNEL(ember_clamp)
(scalar_t *out, const scalar_t *in, int has_lo, scalar_t lo, int has_hi,
 scalar_t hi, Geom g, i64 n) {
  EMBER_GRID_LOOP(i, n) {
    i64 o[2];
    ember_offsets<2>(g, i, o);
    scalar_t x = in[o[1]];
    if (!em_isnan(x)) {
      if (has_lo && x < lo)
        x = lo;
      if (has_hi && x > hi)
        x = hi;
    }
    out[o[0]] = x;
  }
}

EMBER_KERNEL(ember_fill)(scalar_t *out, scalar_t v, Geom g, i64 n) {
  EMBER_GRID_LOOP(i, n) {
    i64 o[1];
    ember_offsets<1>(g, i, o);
    out[o[0]] = v;
  }
}

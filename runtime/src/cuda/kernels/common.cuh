// Shared by every eager CUDA kernel module. The runtime compiles
// "common.cuh + a dtype prelude + <family>.cuh" with NVRTC at first use
// (cuda/nvrtc.cpp); the host-shim test compiles the same text as host C++
// (test/unit/cuda_host_shim.h) and checks it against the CPU kernels. So:
// no includes, no CUDA-only builtins outside what the shim provides, and
// every kernel is declared with EMBER_KERNEL.

#ifndef EMBER_KERNEL
#define EMBER_KERNEL(name) extern "C" __global__ void name
#endif

typedef long long i64;

// Collapsed iteration geometry of an elementwise kernel: the output's sizes
// and each operand's element strides (0 where it broadcasts). ndim == 0
// means every operand is contiguous in the output's order: offset == index.
#define EMBER_MAX_DIMS 8
#define EMBER_MAX_OPERANDS 4
struct Geom {
  i64 sizes[EMBER_MAX_DIMS];
  i64 strides[EMBER_MAX_OPERANDS][EMBER_MAX_DIMS];
  int ndim;
};

template <int N>
__device__ __forceinline__ void ember_offsets(const Geom &g, i64 i,
                                              i64 (&off)[N]) {
  if (g.ndim == 0) {
    for (int k = 0; k < N; ++k)
      off[k] = i;
    return;
  }
  for (int k = 0; k < N; ++k)
    off[k] = 0;
  for (int d = g.ndim - 1; d >= 0; --d) {
    i64 s = g.sizes[d];
    i64 c = i % s;
    i /= s;
    for (int k = 0; k < N; ++k)
      off[k] += c * g.strides[k][d];
  }
}

#define EMBER_GRID_LOOP(i, n)                                                  \
  for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < (n);            \
       i += (i64)blockDim.x * gridDim.x)

// Minimal traits: NVRTC has no <type_traits> without extra include paths.
template <typename A, typename B> struct em_same {
  static const bool value = false;
};
template <typename A> struct em_same<A, A> { static const bool value = true; };
template <typename T> struct em_float {
  static const bool value =
      em_same<T, float>::value || em_same<T, double>::value;
};
template <typename T> struct em_unsigned {
  static const bool value =
      em_same<T, bool>::value || em_same<T, unsigned char>::value;
};
// The type integer inputs compute float math in (as the CPU kernels: double).
template <typename T, bool F = em_float<T>::value> struct em_math {
  typedef double type;
};
template <typename T> struct em_math<T, true> { typedef T type; };

// C math by overload, so templates pick the float or double function.
#define EMBER_MATH1(NAME)                                                      \
  __device__ __forceinline__ float em_##NAME(float x) { return NAME##f(x); }   \
  __device__ __forceinline__ double em_##NAME(double x) { return NAME(x); }
EMBER_MATH1(exp)
EMBER_MATH1(log)
EMBER_MATH1(log1p)
EMBER_MATH1(sqrt)
EMBER_MATH1(sin)
EMBER_MATH1(cos)
EMBER_MATH1(tanh)
EMBER_MATH1(erf)
EMBER_MATH1(floor)
EMBER_MATH1(ceil)
EMBER_MATH1(nearbyint)
EMBER_MATH1(fabs)
#undef EMBER_MATH1
__device__ __forceinline__ float em_pow(float x, float y) { return powf(x, y); }
__device__ __forceinline__ double em_pow(double x, double y) {
  return pow(x, y);
}
template <typename T> __device__ __forceinline__ bool em_isnan(T x) {
  return x != x;
}

// dtype.h's wrapping_add: integer sums wrap (as on the CPU) without the
// undefined behaviour of signed overflow.
template <typename T> __device__ __forceinline__ T em_wrap_add(T a, T b) {
  if constexpr (em_same<T, int>::value) {
    return (int)((unsigned)a + (unsigned)b);
  } else if constexpr (em_same<T, long long>::value) {
    return (long long)((unsigned long long)a + (unsigned long long)b);
  } else {
    return (T)(a + b);
  }
}

// dtype.h's convert<D>(S): PyTorch's x86 results without undefined
// behaviour (NaN and out-of-range floats give INT64_MIN truncated to D).
template <typename D, typename S> __device__ __forceinline__ D em_convert(S x) {
  if constexpr (em_same<D, bool>::value) {
    return x != S(0);
  } else if constexpr (em_float<S>::value && !em_float<D>::value) {
    if (!(x >= S(-9.2e18) && x <= S(9.2e18)))
      return (D)(i64)(-9223372036854775807LL - 1);
    return (D)(i64)x;
  } else {
    return (D)x;
  }
}

// The max-pool entry points of compiled_abi.h: linalg.pooling_nchw_max and
// the non-overlapping max_pool2d_backward of compiled code, as plane loops
// over strided memrefs on ember's pool (one (n, c) plane per task), instead
// of the scalar loop nests linalg lowers them to (their window loops carry
// the running maximum through memory). Semantics follow the linalg forms
// they replace, which follow eager's kernels: the forward folds eager's
// max (`v > m || isnan(v)`: NaN wins; linalg's maximumf agrees but for the
// sign of a zero maximum) into the values already in `out`; the backward
// sends each window's gradient to its first maximum in row-major order, a
// NaN beating numbers.
#include "ember/runtime/compiled_abi.h"

#include "ember/runtime/parallel.h"

#include "kernels/im2col.h"

#include <algorithm>
#include <bit>
#include <cstdint>

namespace {

using ember::kernels::cpu::detail::nan_max;

struct Plane4 {
  int64_t s[4]; // strides n, c, h, w
};

int64_t planeGrain(int64_t perPlane) {
  return std::max<int64_t>(1,
                           ember::kGrainSize / std::max<int64_t>(1, perPlane));
}

// Selects instead of branches throughout: on real data the comparisons are
// coin flips, and a mispredicted branch per element costs more than the
// whole window.
template <typename T> inline T pick(bool take, T a, T b) {
  return take ? a : b;
}

// take ? a : b on the bits, for the 2x2 loops: GCC keeps a float ?: on a
// float comparison as a branch (ucomiss + jp/jne), mispredicted half the
// time on real activations.
template <typename T> struct Bits;
template <> struct Bits<float> { using U = uint32_t; };
template <> struct Bits<double> { using U = uint64_t; };
template <typename T> inline typename Bits<T>::U mask(bool take) {
  return typename Bits<T>::U(0) - typename Bits<T>::U(take);
}
template <typename T> inline T blend(typename Bits<T>::U m, T a, T b) {
  using U = typename Bits<T>::U;
  return std::bit_cast<T>((std::bit_cast<U>(a) & m) |
                          (std::bit_cast<U>(b) & ~m));
}

template <typename T>
void maxPool(const T *in, Plane4 is, T *out, Plane4 os, int64_t n, int64_t c,
             int64_t oh, int64_t ow, int64_t kh, int64_t kw, int64_t sh,
             int64_t sw, int64_t dh, int64_t dw) {
  // 2x2, stride 2, rows contiguous: four loads and four maxes per output.
  bool plain2x2 = kh == 2 && kw == 2 && sh == 2 && sw == 2 && dh == 1 &&
                  dw == 1 && is.s[3] == 1 && os.s[3] == 1;
  ember::parallel_for(
      0, n * c, planeGrain(oh * ow * kh * kw), [&](int64_t b, int64_t e) {
        for (int64_t p = b; p < e; ++p) {
          const T *src = in + (p / c) * is.s[0] + (p % c) * is.s[1];
          T *dst = out + (p / c) * os.s[0] + (p % c) * os.s[1];
          for (int64_t y = 0; y < oh; ++y) {
            T *o = dst + y * os.s[2];
            if (plain2x2) {
              const T *r0 = src + 2 * y * is.s[2], *r1 = r0 + is.s[2];
              for (int64_t x = 0; x < ow; ++x)
                o[x] = nan_max(
                    nan_max(nan_max(nan_max(o[x], r0[2 * x]), r0[2 * x + 1]),
                            r1[2 * x]),
                    r1[2 * x + 1]);
              continue;
            }
            for (int64_t x = 0; x < ow; ++x) {
              T m = o[x * os.s[3]];
              for (int64_t i = 0; i < kh; ++i)
                for (int64_t j = 0; j < kw; ++j)
                  m = nan_max(m, src[(y * sh + i * dh) * is.s[2] +
                                     (x * sw + j * dw) * is.s[3]]);
              o[x * os.s[3]] = m;
            }
          }
        }
      });
}

template <typename T>
void maxPoolBackward(const T *grad, Plane4 gs, const T *in, Plane4 is, T *out,
                     Plane4 os, int64_t n, int64_t c, int64_t oh, int64_t ow,
                     int64_t kh, int64_t kw) {
  // 2x2 windows, rows contiguous (the CNN's pools): unrolled.
  bool plain2x2 = kh == 2 && kw == 2 && is.s[3] == 1 && os.s[3] == 1;
  ember::parallel_for(
      0, n * c, planeGrain(oh * ow * kh * kw), [&](int64_t b, int64_t e) {
        for (int64_t p = b; p < e; ++p) {
          const T *g = grad + (p / c) * gs.s[0] + (p % c) * gs.s[1];
          const T *src = in + (p / c) * is.s[0] + (p % c) * is.s[1];
          T *dst = out + (p / c) * os.s[0] + (p % c) * os.s[1];
          for (int64_t y = 0; y < oh; ++y) {
            if (plain2x2) {
              const T *__restrict r0 = src + 2 * y * is.s[2];
              const T *__restrict r1 = r0 + is.s[2];
              T *__restrict o0 = dst + 2 * y * os.s[2];
              T *__restrict o1 = o0 + os.s[2];
              const T *__restrict gy = g + y * gs.s[2];
              // Masks only (no index variable), so the loop if-converts
              // and vectorizes: the winner is d if it beats max(a, b, c),
              // else c if it beats max(a, b), else b if it beats a, else a.
              for (int64_t x = 0; x < ow; ++x) {
                T a = r0[2 * x], b = r0[2 * x + 1], c = r1[2 * x],
                  d = r1[2 * x + 1];
                bool tb = (b > a) | (b != b);
                T m = blend(mask<T>(tb), b, a);
                bool tc = (c > m) | (c != c);
                m = blend(mask<T>(tc), c, m);
                bool td = (d > m) | (d != d);
                T gv = gy[x], zero = T(0);
                o1[2 * x + 1] = blend(mask<T>(td), gv, zero);
                o1[2 * x] = blend(mask<T>(tc & !td), gv, zero);
                o0[2 * x + 1] = blend(mask<T>(tb & !tc & !td), gv, zero);
                o0[2 * x] = blend(mask<T>(!tb & !tc & !td), gv, zero);
              }
              continue;
            }
            for (int64_t x = 0; x < ow; ++x) {
              const T *win = src + y * kh * is.s[2] + x * kw * is.s[3];
              T m = win[0];
              int64_t arg = 0;
              for (int64_t i = 0; i < kh; ++i)
                for (int64_t j = 0; j < kw; ++j) {
                  T v = win[i * is.s[2] + j * is.s[3]];
                  bool take = (v > m) | (v != v);
                  m = pick(take, v, m);
                  arg = pick(take, i * kw + j, arg);
                }
              T gv = g[y * gs.s[2] + x * gs.s[3]];
              T *o = dst + y * kh * os.s[2] + x * kw * os.s[3];
              for (int64_t i = 0; i < kh; ++i)
                for (int64_t j = 0; j < kw; ++j)
                  o[i * os.s[2] + j * os.s[3]] =
                      pick(i * kw + j == arg, gv, T(0));
            }
          }
        }
      });
}

} // namespace

extern "C" {

#define EMBER_MAX_POOL(T, SUFFIX)                                              \
  void ember_rt_max_pool2d_nchw_##SUFFIX(                                      \
      T *, T *in, int64_t inOff, int64_t, int64_t, int64_t, int64_t,           \
      int64_t inS0, int64_t inS1, int64_t inS2, int64_t inS3, T *, T *out,     \
      int64_t outOff, int64_t n, int64_t c, int64_t oh, int64_t ow,            \
      int64_t oS0, int64_t oS1, int64_t oS2, int64_t oS3, int64_t kh,          \
      int64_t kw, int64_t sh, int64_t sw, int64_t dh, int64_t dw) {            \
    maxPool<T>(in + inOff, {{inS0, inS1, inS2, inS3}}, out + outOff,           \
               {{oS0, oS1, oS2, oS3}}, n, c, oh, ow, kh, kw, sh, sw, dh, dw);  \
  }                                                                            \
  void ember_rt_max_pool2d_backward_##SUFFIX(                                  \
      T *, T *grad, int64_t gOff, int64_t, int64_t, int64_t, int64_t,          \
      int64_t gS0, int64_t gS1, int64_t gS2, int64_t gS3, T *, T *in,          \
      int64_t inOff, int64_t, int64_t, int64_t, int64_t, int64_t inS0,         \
      int64_t inS1, int64_t inS2, int64_t inS3, T *, T *out, int64_t outOff,   \
      int64_t n, int64_t c, int64_t h, int64_t w, int64_t oS0, int64_t oS1,    \
      int64_t oS2, int64_t oS3, int64_t kh, int64_t kw) {                      \
    maxPoolBackward<T>(grad + gOff, {{gS0, gS1, gS2, gS3}}, in + inOff,        \
                       {{inS0, inS1, inS2, inS3}}, out + outOff,               \
                       {{oS0, oS1, oS2, oS3}}, n, c, h / kh, w / kw, kh, kw);  \
  }

EMBER_MAX_POOL(float, f32)
EMBER_MAX_POOL(double, f64)

#undef EMBER_MAX_POOL

} // extern "C"

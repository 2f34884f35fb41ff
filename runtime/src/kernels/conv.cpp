// conv2d (im2col + GEMM) and 2-D pooling (see conv.h).
//
// conv2d: for image n and group g, the input patch under every output
// position becomes one column of `col` [C_in/groups * kH * kW, OH * OW]
// (zeros where the kernel reads padding); then
//   out[n, g] (C_out/groups x OH*OW) = weight[g] (C_out/groups x K) @ col
// with the bias preloaded into out and beta = 1. im2col runs on ember's pool;
// the GEMM runs afterwards, outside any parallel region, on OpenBLAS's
// threads.
#include "ember/runtime/kernels/conv.h"
#include "blas.h"
#include "ember/runtime/error.h"
#include "ember/runtime/parallel.h"
#include "im2col.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

namespace ember::kernels::cpu {

namespace {

void blas_gemm(int64_t M, int64_t N, int64_t K, const float *a, int64_t lda,
               const float *b, int64_t ldb, float beta, float *c, int64_t ldc) {
  blas::gemm(false, false, M, N, K, 1.0f, a, lda, b, ldb, beta, c, ldc);
}
void blas_gemm(int64_t M, int64_t N, int64_t K, const double *a, int64_t lda,
               const double *b, int64_t ldb, double beta, double *c,
               int64_t ldc) {
  blas::gemm(false, false, M, N, K, 1.0, a, lda, b, ldb, beta, c, ldc);
}

// Integer GEMM (integer conv2d, as PyTorch allows): wraps on overflow,
// computing in the unsigned type of the same width.
template <typename T>
void blas_gemm(int64_t M, int64_t N, int64_t K, const T *a, int64_t lda,
               const T *b, int64_t ldb, T beta, T *c, int64_t ldc) {
  using U = std::make_unsigned_t<T>;
  const int64_t grain =
      std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, N * K));
  parallel_for(0, M, grain, [&](int64_t begin, int64_t end) {
    std::vector<U> acc(static_cast<size_t>(N));
    for (int64_t i = begin; i < end; ++i) {
      T *ci = c + i * ldc;
      for (int64_t j = 0; j < N; ++j)
        acc[j] = beta == T(0) ? U(0) : static_cast<U>(ci[j]);
      for (int64_t k = 0; k < K; ++k) {
        const U av = static_cast<U>(a[i * lda + k]);
        const T *bk = b + k * ldb;
        for (int64_t j = 0; j < N; ++j)
          acc[j] = static_cast<U>(acc[j] +
                                  static_cast<U>(av * static_cast<U>(bk[j])));
      }
      for (int64_t j = 0; j < N; ++j)
        ci[j] = static_cast<T>(acc[j]);
    }
  });
}

template <typename T>
void conv2d_impl(const TensorImpl &out, const TensorImpl &input,
                 const TensorImpl &weight, const TensorImpl *bias,
                 const Conv2dParams &p) {
  const int64_t N = input.size(0), C = input.size(1), H = input.size(2),
                W = input.size(3);
  const int64_t CO = weight.size(0), kH = weight.size(2), kW = weight.size(3);
  const int64_t OH = out.size(2), OW = out.size(3), G = p.groups;
  const int64_t Cg = C / G, COg = CO / G, K = Cg * kH * kW, plane = OH * OW;
  EMBER_CHECK(K <= INT_MAX && plane <= INT_MAX && COg <= INT_MAX, "conv2d",
              "sizes too large for BLAS");
  const T *in = input.data_as<T>(), *w = weight.data_as<T>();
  const T *b = bias ? bias->data_as<T>() : nullptr;
  T *o = out.data_as<T>();
  if (out.numel() == 0)
    return;
  if (K == 0) { // no input channels: the bias alone
    for (int64_t n = 0; n < N; ++n)
      for (int64_t c = 0; c < CO; ++c)
        std::fill(o + (n * CO + c) * plane, o + (n * CO + c + 1) * plane,
                  b ? b[c] : T(0));
    return;
  }
  const bool direct = kH == 1 && kW == 1 && p.stride[0] == 1 &&
                      p.stride[1] == 1 && p.padding[0] == 0 &&
                      p.padding[1] == 0;
  std::vector<T> col(direct ? 0 : static_cast<size_t>(K * plane));
  for (int64_t n = 0; n < N; ++n) {
    for (int64_t g = 0; g < G; ++g) {
      const T *x = in + (n * C + g * Cg) * H * W;
      const T *cols = x;
      if (!direct) {
        detail::im2col(x, Cg, H, W, kH, kW, OH, OW, p, col.data());
        cols = col.data();
      }
      T *y = o + (n * CO + g * COg) * plane;
      if (b)
        for (int64_t c = 0; c < COg; ++c)
          std::fill(y + c * plane, y + (c + 1) * plane, b[g * COg + c]);
      blas_gemm(COg, plane, K, w + g * COg * K, K, cols, plane, b ? T(1) : T(0),
                y, plane);
    }
  }
}

// Work per plane decides how many planes a pool thread takes.
int64_t plane_grain(int64_t per_plane) {
  return std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, per_plane));
}

template <typename T>
void max_pool_impl(const TensorImpl &out, const TensorImpl &input,
                   const Pool2dParams &p) {
  const int64_t nd = input.dim();
  const int64_t H = input.size(nd - 2), W = input.size(nd - 1);
  const int64_t OH = out.size(nd - 2), OW = out.size(nd - 1);
  const int64_t planes = H * W == 0 ? 0 : input.numel() / (H * W);
  const T *in = input.data_as<T>();
  T *o = out.data_as<T>();
  const auto [kh, kw] = p.kernel;
  const auto [sh, sw] = p.stride;
  const auto [ph, pw] = p.padding;
  const auto [dh, dw] = p.dilation;
  if (detail::is_plain_2x2(p, OH, OW, H, W)) {
    // Four loads and three maxes per output, no bounds arithmetic.
    parallel_for(
        0, planes, plane_grain(OH * OW * 4), [&](int64_t b, int64_t e) {
          for (int64_t pl = b; pl < e; ++pl)
            for (int64_t oh = 0; oh < OH; ++oh) {
              const T *r0 = in + pl * H * W + 2 * oh * W, *r1 = r0 + W;
              T *dst = o + pl * OH * OW + oh * OW;
              for (int64_t ow = 0; ow < OW; ++ow)
                dst[ow] = detail::nan_max(
                    detail::nan_max(detail::nan_max(r0[2 * ow], r0[2 * ow + 1]),
                                    r1[2 * ow]),
                    r1[2 * ow + 1]);
            }
        });
    return;
  }
  parallel_for(0, planes, plane_grain(OH * OW * kh * kw),
               [&](int64_t b, int64_t e) {
                 for (int64_t pl = b; pl < e; ++pl) {
                   const T *src = in + pl * H * W;
                   T *dst = o + pl * OH * OW;
                   for (int64_t oh = 0; oh < OH; ++oh) {
                     int64_t h0 = oh * sh - ph;
                     const int64_t h1 = std::min(h0 + (kh - 1) * dh + 1, H);
                     while (h0 < 0)
                       h0 += dh;
                     for (int64_t ow = 0; ow < OW; ++ow) {
                       int64_t w0 = ow * sw - pw;
                       const int64_t w1 = std::min(w0 + (kw - 1) * dw + 1, W);
                       while (w0 < 0)
                         w0 += dw;
                       T m = -std::numeric_limits<T>::infinity();
                       for (int64_t ih = h0; ih < h1; ih += dh)
                         for (int64_t iw = w0; iw < w1; iw += dw) {
                           const T v = src[ih * W + iw];
                           if (v > m || std::isnan(v))
                             m = v;
                         }
                       dst[oh * OW + ow] = m;
                     }
                   }
                 }
               });
}

template <typename T>
void avg_pool_impl(const TensorImpl &out, const TensorImpl &input,
                   const Pool2dParams &p) {
  const int64_t nd = input.dim();
  const int64_t H = input.size(nd - 2), W = input.size(nd - 1);
  const int64_t OH = out.size(nd - 2), OW = out.size(nd - 1);
  const int64_t planes = H * W == 0 ? 0 : input.numel() / (H * W);
  const T *in = input.data_as<T>();
  T *o = out.data_as<T>();
  const auto [kh, kw] = p.kernel;
  const auto [sh, sw] = p.stride;
  const auto [ph, pw] = p.padding;
  parallel_for(
      0, planes, plane_grain(OH * OW * kh * kw), [&](int64_t b, int64_t e) {
        for (int64_t pl = b; pl < e; ++pl) {
          const T *src = in + pl * H * W;
          T *dst = o + pl * OH * OW;
          for (int64_t oh = 0; oh < OH; ++oh) {
            for (int64_t ow = 0; ow < OW; ++ow) {
              // PyTorch's rule: the window clipped to the padded input gives
              // the count_include_pad divisor, clipped to the input the other
              // one.
              int64_t h0 = oh * sh - ph, w0 = ow * sw - pw;
              int64_t h1 = std::min(h0 + kh, H + ph),
                      w1 = std::min(w0 + kw, W + pw);
              const int64_t padded = (h1 - h0) * (w1 - w0);
              h0 = std::max<int64_t>(h0, 0);
              w0 = std::max<int64_t>(w0, 0);
              h1 = std::min(h1, H);
              w1 = std::min(w1, W);
              if (h0 >= h1 || w0 >= w1) {
                dst[oh * OW + ow] = T(0);
                continue;
              }
              T sum = 0;
              for (int64_t ih = h0; ih < h1; ++ih)
                for (int64_t iw = w0; iw < w1; ++iw)
                  sum = wrapping_add(sum, src[ih * W + iw]);
              const int64_t div =
                  p.count_include_pad ? padded : (h1 - h0) * (w1 - w0);
              dst[oh * OW + ow] = static_cast<T>(sum / static_cast<T>(div));
            }
          }
        }
      });
}

} // namespace

void conv2d(const TensorImpl &out, const TensorImpl &input,
            const TensorImpl &weight, const TensorImpl *bias,
            const Conv2dParams &p) {
  switch (out.dtype()) {
  case DType::Float32:
    return conv2d_impl<float>(out, input, weight, bias, p);
  case DType::Float64:
    return conv2d_impl<double>(out, input, weight, bias, p);
  case DType::Int32:
    return conv2d_impl<int32_t>(out, input, weight, bias, p);
  case DType::Int64:
    return conv2d_impl<int64_t>(out, input, weight, bias, p);
  case DType::UInt8:
    return conv2d_impl<uint8_t>(out, input, weight, bias, p);
  default:
    EMBER_FAIL("conv2d", "no kernel for dtype ", out.dtype());
  }
}

int64_t pool_output_size(int64_t in, int64_t kernel, int64_t pad,
                         int64_t stride, int64_t dilation, bool ceil_mode) {
  const int64_t num =
      in + 2 * pad - dilation * (kernel - 1) - 1 + (ceil_mode ? stride - 1 : 0);
  // Division rounding toward negative infinity.
  int64_t q = num / stride;
  if ((num % stride != 0) && ((num < 0) != (stride < 0)))
    --q;
  int64_t size = q + 1;
  // The last window must start inside the input or the left padding.
  if (ceil_mode && (size - 1) * stride >= in + pad)
    --size;
  return size;
}

void max_pool2d(const TensorImpl &out, const TensorImpl &input,
                const Pool2dParams &p) {
  switch (out.dtype()) {
  case DType::Float32:
    return max_pool_impl<float>(out, input, p);
  case DType::Float64:
    return max_pool_impl<double>(out, input, p);
  default:
    EMBER_FAIL("max_pool2d", "no kernel for dtype ", out.dtype());
  }
}

void avg_pool2d(const TensorImpl &out, const TensorImpl &input,
                const Pool2dParams &p) {
  switch (out.dtype()) {
  case DType::Float32:
    return avg_pool_impl<float>(out, input, p);
  case DType::Float64:
    return avg_pool_impl<double>(out, input, p);
  case DType::Int64:
    return avg_pool_impl<int64_t>(out, input, p);
  default:
    EMBER_FAIL("avg_pool2d", "no kernel for dtype ", out.dtype());
  }
}

} // namespace ember::kernels::cpu

// Gradients of conv2d and the 2-D pools (see conv_backward.h).
//
// conv2d's forward is, per image n and group g, out = W @ im2col(x) with W
// [C_out/groups, K] and im2col(x) [K, OH*OW], K = C_in/groups * kH * kW. So
//   d input  = col2im(W^T @ d out)       (col2im is im2col's transpose)
//   d weight = sum_n d out @ im2col(x)^T
// Both GEMMs run on OpenBLAS's threads, im2col/col2im on ember's pool, never
// one inside the other. The pools run one (n, c) plane per task, which owns
// its gradient plane, so overlapping windows sum without races.
#include "ember/runtime/kernels/conv_backward.h"
#include "blas.h"
#include "ember/runtime/error.h"
#include "ember/runtime/parallel.h"
#include "im2col.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <vector>

namespace ember::kernels::cpu {

namespace {

// Row-major C[M, N] = op(A) @ op(B) + beta * C, op = transpose when asked.
template <typename T>
void gemm(bool ta, bool tb, int64_t M, int64_t N, int64_t K, const T *a,
          int64_t lda, const T *b, int64_t ldb, T beta, T *c, int64_t ldc) {
  blas::gemm(ta, tb, M, N, K, T(1), a, lda, b, ldb, beta, c, ldc);
}

// The conv2d geometry shared by both gradients.
struct ConvDims {
  int64_t N, C, H, W, CO, kH, kW, OH, OW, G, Cg, COg, K, plane;
  bool direct; // 1x1 kernel, unit stride, no padding: im2col(x) is x
  ConvDims(const TensorImpl &input_like, const TensorImpl &weight_like,
           const TensorImpl &grad_out, const Conv2dParams &p)
      : N(input_like.size(0)), C(input_like.size(1)), H(input_like.size(2)),
        W(input_like.size(3)), CO(weight_like.size(0)), kH(weight_like.size(2)),
        kW(weight_like.size(3)), OH(grad_out.size(2)), OW(grad_out.size(3)),
        G(p.groups), Cg(C / G), COg(CO / G), K(Cg * kH * kW), plane(OH * OW),
        direct(kH == 1 && kW == 1 && p.stride[0] == 1 && p.stride[1] == 1 &&
               p.padding[0] == 0 && p.padding[1] == 0) {
    EMBER_CHECK(K <= INT_MAX && plane <= INT_MAX && COg <= INT_MAX &&
                    H * W <= INT_MAX,
                "conv2d_backward", "sizes too large for BLAS");
  }
};

template <typename T>
void conv_backward_input_impl(const TensorImpl &grad_input,
                              const TensorImpl &grad_out,
                              const TensorImpl &weight, const Conv2dParams &p) {
  const ConvDims d(grad_input, weight, grad_out, p);
  T *gi = grad_input.data_as<T>();
  std::fill(gi, gi + grad_input.numel(), T(0));
  if (grad_input.numel() == 0 || d.K == 0 || d.COg == 0 || d.plane == 0)
    return;
  const T *go = grad_out.data_as<T>(), *w = weight.data_as<T>();
  std::vector<T> col(d.direct ? 0 : static_cast<size_t>(d.K * d.plane));
  for (int64_t n = 0; n < d.N; ++n) {
    for (int64_t g = 0; g < d.G; ++g) {
      const T *gy = go + (n * d.CO + g * d.COg) * d.plane;
      T *gx = gi + (n * d.C + g * d.Cg) * d.H * d.W;
      // [K, plane] = W[g]^T ([COg, K] transposed) @ dout[n, g] [COg, plane]
      T *dst = d.direct ? gx : col.data();
      gemm(true, false, d.K, d.plane, d.COg, w + g * d.COg * d.K, d.K, gy,
           d.plane, T(0), dst, d.plane);
      if (!d.direct)
        detail::col2im(col.data(), d.Cg, d.H, d.W, d.kH, d.kW, d.OH, d.OW, p,
                       gx);
    }
  }
}

template <typename T>
void conv_backward_weight_impl(const TensorImpl &grad_weight,
                               const TensorImpl &grad_out,
                               const TensorImpl &input, const Conv2dParams &p) {
  const ConvDims d(input, grad_weight, grad_out, p);
  T *gw = grad_weight.data_as<T>();
  std::fill(gw, gw + grad_weight.numel(), T(0));
  if (grad_weight.numel() == 0 || d.N == 0 || d.plane == 0)
    return;
  const T *go = grad_out.data_as<T>(), *in = input.data_as<T>();
  std::vector<T> col(d.direct ? 0 : static_cast<size_t>(d.K * d.plane));
  for (int64_t n = 0; n < d.N; ++n) {
    for (int64_t g = 0; g < d.G; ++g) {
      const T *x = in + (n * d.C + g * d.Cg) * d.H * d.W;
      const T *cols = x;
      if (!d.direct) {
        detail::im2col(x, d.Cg, d.H, d.W, d.kH, d.kW, d.OH, d.OW, p,
                       col.data());
        cols = col.data();
      }
      // dW[g] [COg, K] += dout[n, g] [COg, plane] @ cols^T [plane, K]
      gemm(false, true, d.COg, d.K, d.plane,
           go + (n * d.CO + g * d.COg) * d.plane, d.plane, cols, d.plane, T(1),
           gw + g * d.COg * d.K, d.K);
    }
  }
}

int64_t plane_grain(int64_t per_plane) {
  return std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, per_plane));
}

template <typename T>
void max_pool_backward_impl(const TensorImpl &grad_input,
                            const TensorImpl &grad_out, const TensorImpl &input,
                            const Pool2dParams &p) {
  const int64_t nd = input.dim();
  const int64_t H = input.size(nd - 2), W = input.size(nd - 1);
  const int64_t OH = grad_out.size(nd - 2), OW = grad_out.size(nd - 1);
  const int64_t planes = H * W == 0 ? 0 : input.numel() / (H * W);
  const T *in = input.data_as<T>(), *go = grad_out.data_as<T>();
  T *gi = grad_input.data_as<T>();
  const auto [kh, kw] = p.kernel;
  const auto [sh, sw] = p.stride;
  const auto [ph, pw] = p.padding;
  const auto [dh, dw] = p.dilation;
  if (detail::is_plain_2x2(p, OH, OW, H, W)) {
    // Windows do not overlap: each output's gradient goes to the one input
    // the forward picked (the first maximum, or the last NaN).
    parallel_for(
        0, planes, plane_grain(OH * OW * 4), [&](int64_t b, int64_t e) {
          for (int64_t pl = b; pl < e; ++pl) {
            T *gx = gi + pl * H * W;
            std::fill(gx, gx + H * W, T(0));
            for (int64_t oh = 0; oh < OH; ++oh) {
              const int64_t row = pl * H * W + 2 * oh * W;
              const T *gy = go + pl * OH * OW + oh * OW;
              for (int64_t ow = 0; ow < OW; ++ow) {
                const int64_t cand[4] = {row + 2 * ow, row + 2 * ow + 1,
                                         row + W + 2 * ow,
                                         row + W + 2 * ow + 1};
                int64_t arg = cand[0];
                T m = in[arg];
                for (int k = 1; k < 4; ++k) {
                  const T v = in[cand[k]];
                  if (v > m || std::isnan(v)) {
                    m = v;
                    arg = cand[k];
                  }
                }
                gi[arg] = gy[ow];
              }
            }
          }
        });
    return;
  }
  parallel_for(0, planes, plane_grain(OH * OW * kh * kw),
               [&](int64_t b, int64_t e) {
                 for (int64_t pl = b; pl < e; ++pl) {
                   const T *src = in + pl * H * W;
                   const T *gy = go + pl * OH * OW;
                   T *gx = gi + pl * H * W;
                   std::fill(gx, gx + H * W, T(0));
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
                       // PyTorch starts from the window's first position, so an
                       // all -inf window sends its gradient there.
                       int64_t arg = h0 * W + w0;
                       T m = -std::numeric_limits<T>::infinity();
                       for (int64_t ih = h0; ih < h1; ih += dh)
                         for (int64_t iw = w0; iw < w1; iw += dw) {
                           const T v = src[ih * W + iw];
                           if (v > m || std::isnan(v)) {
                             m = v;
                             arg = ih * W + iw;
                           }
                         }
                       if (h0 < h1 && w0 < w1)
                         gx[arg] += gy[oh * OW + ow];
                     }
                   }
                 }
               });
}

template <typename T>
void avg_pool_backward_impl(const TensorImpl &grad_input,
                            const TensorImpl &grad_out, const Pool2dParams &p) {
  const int64_t nd = grad_input.dim();
  const int64_t H = grad_input.size(nd - 2), W = grad_input.size(nd - 1);
  const int64_t OH = grad_out.size(nd - 2), OW = grad_out.size(nd - 1);
  const int64_t planes = H * W == 0 ? 0 : grad_input.numel() / (H * W);
  const T *go = grad_out.data_as<T>();
  T *gi = grad_input.data_as<T>();
  const auto [kh, kw] = p.kernel;
  const auto [sh, sw] = p.stride;
  const auto [ph, pw] = p.padding;
  parallel_for(0, planes, plane_grain(OH * OW * kh * kw),
               [&](int64_t b, int64_t e) {
                 for (int64_t pl = b; pl < e; ++pl) {
                   const T *gy = go + pl * OH * OW;
                   T *gx = gi + pl * H * W;
                   std::fill(gx, gx + H * W, T(0));
                   for (int64_t oh = 0; oh < OH; ++oh) {
                     for (int64_t ow = 0; ow < OW; ++ow) {
                       // The forward's windows and divisors (conv.cpp).
                       int64_t h0 = oh * sh - ph, w0 = ow * sw - pw;
                       int64_t h1 = std::min(h0 + kh, H + ph),
                               w1 = std::min(w0 + kw, W + pw);
                       const int64_t padded = (h1 - h0) * (w1 - w0);
                       h0 = std::max<int64_t>(h0, 0);
                       w0 = std::max<int64_t>(w0, 0);
                       h1 = std::min(h1, H);
                       w1 = std::min(w1, W);
                       if (h0 >= h1 || w0 >= w1)
                         continue;
                       const int64_t div =
                           p.count_include_pad ? padded : (h1 - h0) * (w1 - w0);
                       const T v = gy[oh * OW + ow] / static_cast<T>(div);
                       for (int64_t ih = h0; ih < h1; ++ih)
                         for (int64_t iw = w0; iw < w1; ++iw)
                           gx[ih * W + iw] += v;
                     }
                   }
                 }
               });
}

} // namespace

void conv2d_backward_input(const TensorImpl &grad_input,
                           const TensorImpl &grad_out, const TensorImpl &weight,
                           const Conv2dParams &p) {
  switch (grad_input.dtype()) {
  case DType::Float32:
    return conv_backward_input_impl<float>(grad_input, grad_out, weight, p);
  case DType::Float64:
    return conv_backward_input_impl<double>(grad_input, grad_out, weight, p);
  default:
    EMBER_FAIL("conv2d_backward_input", "no kernel for dtype ",
               grad_input.dtype());
  }
}

void conv2d_backward_weight(const TensorImpl &grad_weight,
                            const TensorImpl &grad_out, const TensorImpl &input,
                            const Conv2dParams &p) {
  switch (grad_weight.dtype()) {
  case DType::Float32:
    return conv_backward_weight_impl<float>(grad_weight, grad_out, input, p);
  case DType::Float64:
    return conv_backward_weight_impl<double>(grad_weight, grad_out, input, p);
  default:
    EMBER_FAIL("conv2d_backward_weight", "no kernel for dtype ",
               grad_weight.dtype());
  }
}

void max_pool2d_backward(const TensorImpl &grad_input,
                         const TensorImpl &grad_out, const TensorImpl &input,
                         const Pool2dParams &p) {
  switch (grad_input.dtype()) {
  case DType::Float32:
    return max_pool_backward_impl<float>(grad_input, grad_out, input, p);
  case DType::Float64:
    return max_pool_backward_impl<double>(grad_input, grad_out, input, p);
  default:
    EMBER_FAIL("max_pool2d_backward", "no kernel for dtype ",
               grad_input.dtype());
  }
}

void avg_pool2d_backward(const TensorImpl &grad_input,
                         const TensorImpl &grad_out, const Pool2dParams &p) {
  switch (grad_input.dtype()) {
  case DType::Float32:
    return avg_pool_backward_impl<float>(grad_input, grad_out, p);
  case DType::Float64:
    return avg_pool_backward_impl<double>(grad_input, grad_out, p);
  default:
    EMBER_FAIL("avg_pool2d_backward", "no kernel for dtype ",
               grad_input.dtype());
  }
}

} // namespace ember::kernels::cpu

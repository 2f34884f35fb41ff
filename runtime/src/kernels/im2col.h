// im2col and its adjoint col2im for conv2d and its gradients (internal to
// the runtime's kernels; conv.cpp and conv_backward.cpp).
//
// For one image (and group) of C channels, row r = (c*kH + ki)*kW + kj of
// `col` [C*kH*kW, OH*OW] holds, for every output position (oh, ow), the
// input element the kernel tap (ki, kj) reads there:
//   col[r, oh*OW + ow] = in[c, oh*sh - ph + ki*dh, ow*sw - pw + kj*dw]
// (0 where that lies in the padding). col2im is the transpose: it adds
// every col element back onto the input element it was read from, so
// several taps reading one input element sum there.
#pragma once

#include "ember/runtime/kernels/conv.h"
#include "ember/runtime/parallel.h"

#include <algorithm>
#include <cstdint>

namespace ember::kernels::cpu::detail {

/// A 2x2 pooling window with stride 2, no padding or dilation, every window
/// inside the input: the common case, which has fast paths.
inline bool is_plain_2x2(const Pool2dParams &p, int64_t OH, int64_t OW,
                         int64_t H, int64_t W) {
  auto is = [](const int64_t(&v)[2], int64_t x) {
    return v[0] == x && v[1] == x;
  };
  return is(p.kernel, 2) && is(p.stride, 2) && is(p.padding, 0) &&
         is(p.dilation, 1) && 2 * OH <= H && 2 * OW <= W;
}

/// max_pool's running maximum: NaN wins, as in PyTorch.
template <typename T> inline T nan_max(T m, T v) {
  return (v > m || v != v) ? v : m;
}

/// The output columns [lo, hi) whose input column ow*sw + woff lies inside
/// [0, W).
inline void inside_columns(int64_t woff, int64_t sw, int64_t W, int64_t OW,
                           int64_t &lo, int64_t &hi) {
  lo = woff >= 0 ? 0 : (-woff + sw - 1) / sw;
  hi = W - woff <= 0 ? 0 : (W - woff + sw - 1) / sw; // first ow with iw >= W
  lo = std::min(lo, OW);
  hi = std::clamp(hi, lo, OW);
}

template <typename T>
void im2col(const T *in, int64_t C, int64_t H, int64_t W, int64_t kH,
            int64_t kW, int64_t OH, int64_t OW, const Conv2dParams &p, T *col) {
  const int64_t rows = C * kH * kW, plane = OH * OW;
  const int64_t grain =
      std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, plane));
  parallel_for(0, rows, grain, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const int64_t kj = r % kW, ki = (r / kW) % kH, c = r / (kW * kH);
      const T *src = in + c * H * W;
      T *dst = col + r * plane;
      const int64_t woff = kj * p.dilation[1] - p.padding[1];
      const int64_t sw = p.stride[1];
      int64_t ow_lo, ow_hi;
      inside_columns(woff, sw, W, OW, ow_lo, ow_hi);
      for (int64_t oh = 0; oh < OH; ++oh) {
        T *d = dst + oh * OW;
        const int64_t ih = oh * p.stride[0] - p.padding[0] + ki * p.dilation[0];
        if (ih < 0 || ih >= H) {
          std::fill(d, d + OW, T(0));
          continue;
        }
        const T *s = src + ih * W;
        std::fill(d, d + ow_lo, T(0));
        if (sw == 1 && ow_lo < ow_hi) {
          std::copy(s + ow_lo + woff, s + ow_hi + woff, d + ow_lo);
        } else {
          for (int64_t ow = ow_lo; ow < ow_hi; ++ow)
            d[ow] = s[ow * sw + woff];
        }
        std::fill(d + ow_hi, d + OW, T(0));
      }
    }
  });
}

/// in[c, ...] += col (the adjoint of im2col); `in` is not cleared first.
/// Channels run in parallel (each owns its input plane).
template <typename T>
void col2im(const T *col, int64_t C, int64_t H, int64_t W, int64_t kH,
            int64_t kW, int64_t OH, int64_t OW, const Conv2dParams &p, T *in) {
  const int64_t plane = OH * OW;
  const int64_t grain =
      std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, plane * kH * kW));
  parallel_for(0, C, grain, [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; ++c) {
      T *dst = in + c * H * W;
      for (int64_t ki = 0; ki < kH; ++ki) {
        for (int64_t kj = 0; kj < kW; ++kj) {
          const T *src = col + ((c * kH + ki) * kW + kj) * plane;
          const int64_t woff = kj * p.dilation[1] - p.padding[1];
          const int64_t sw = p.stride[1];
          int64_t ow_lo, ow_hi;
          inside_columns(woff, sw, W, OW, ow_lo, ow_hi);
          for (int64_t oh = 0; oh < OH; ++oh) {
            const int64_t ih =
                oh * p.stride[0] - p.padding[0] + ki * p.dilation[0];
            if (ih < 0 || ih >= H)
              continue;
            const T *s = src + oh * OW;
            T *d = dst + ih * W;
            for (int64_t ow = ow_lo; ow < ow_hi; ++ow)
              d[ow * sw + woff] = wrapping_add(d[ow * sw + woff], s[ow]);
          }
        }
      }
    }
  });
}

} // namespace ember::kernels::cpu::detail

// 2-D max and average pooling and their gradients for one dtype,
// `scalar_t`, NCHW planes of contiguous tensors. The window, NaN and
// divisor rules and the order of every sum are the CPU kernels'
// (runtime/src/kernels/conv.cpp, conv_backward.cpp), so results are equal
// bit for bit. Gradients gather: one thread per input element finds the
// windows covering it and sums their contributions in the CPU's (oh, ow)
// order, so no atomics and deterministic results.

struct PoolGeom {
  i64 H, W, OH, OW;
  i64 kh, kw, sh, sw, ph, pw, dh, dw;
  int count_include_pad;
};

// The argmax of the window (oh, ow) of plane `src` as the CPU's max_pool2d
// backward finds it (first maximum, NaN wins, later NaNs win over earlier
// ones; an all -inf window gives its first position), and its maximum.
// `lowest` is -inf (float types only: max pool is float32/float64).
template <typename T>
__device__ __forceinline__ i64 pool_argmax(const T *src, const PoolGeom &g,
                                           i64 oh, i64 ow, T lowest, T &m) {
  i64 h0 = oh * g.sh - g.ph, w0 = ow * g.sw - g.pw;
  const i64 h1 =
      h0 + (g.kh - 1) * g.dh + 1 < g.H ? h0 + (g.kh - 1) * g.dh + 1 : g.H;
  const i64 w1 =
      w0 + (g.kw - 1) * g.dw + 1 < g.W ? w0 + (g.kw - 1) * g.dw + 1 : g.W;
  while (h0 < 0)
    h0 += g.dh;
  while (w0 < 0)
    w0 += g.dw;
  i64 arg = h0 * g.W + w0;
  m = lowest;
  for (i64 ih = h0; ih < h1; ih += g.dh)
    for (i64 iw = w0; iw < w1; iw += g.dw) {
      const T v = src[ih * g.W + iw];
      if (v > m || em_isnan(v)) {
        m = v;
        arg = ih * g.W + iw;
      }
    }
  return (h0 < h1 && w0 < w1) ? arg : -1;
}

// One thread per output element (total = planes*OH*OW).
EMBER_KERNEL(ember_max_pool2d)
(scalar_t *out, const scalar_t *in, PoolGeom g, scalar_t lowest, i64 total) {
  EMBER_GRID_LOOP(i, total) {
    i64 ow = i % g.OW, oh = (i / g.OW) % g.OH, pl = i / (g.OW * g.OH);
    scalar_t m;
    pool_argmax<scalar_t>(in + pl * g.H * g.W, g, oh, ow, lowest, m);
    out[i] = m;
  }
}

// The rows (or columns) [lo, hi] of outputs whose window, starting at
// o*s - p and spanning `span` positions, covers position x.
__device__ __forceinline__ void pool_cover(i64 x, i64 s, i64 p, i64 span, i64 n,
                                           i64 &lo, i64 &hi) {
  i64 t = x + p - span + 1; // o*s > x + p - span
  lo = t <= 0 ? 0 : (t + s - 1) / s;
  hi = (x + p) / s;
  if (hi > n - 1)
    hi = n - 1;
}

// One thread per input element (total = planes*H*W).
EMBER_KERNEL(ember_max_pool2d_backward)
(scalar_t *grad_in, const scalar_t *grad_out, const scalar_t *in, PoolGeom g,
 scalar_t lowest, i64 total) {
  EMBER_GRID_LOOP(i, total) {
    i64 iw = i % g.W, ih = (i / g.W) % g.H, pl = i / (g.W * g.H);
    const scalar_t *src = in + pl * g.H * g.W;
    const scalar_t *gy = grad_out + pl * g.OH * g.OW;
    const i64 self = ih * g.W + iw;
    i64 oh0, oh1, ow0, ow1;
    pool_cover(ih, g.sh, g.ph, (g.kh - 1) * g.dh + 1, g.OH, oh0, oh1);
    pool_cover(iw, g.sw, g.pw, (g.kw - 1) * g.dw + 1, g.OW, ow0, ow1);
    scalar_t sum = (scalar_t)0;
    for (i64 oh = oh0; oh <= oh1; ++oh) {
      if ((ih + g.ph - oh * g.sh) % g.dh != 0)
        continue;
      for (i64 ow = ow0; ow <= ow1; ++ow) {
        if ((iw + g.pw - ow * g.sw) % g.dw != 0)
          continue;
        scalar_t m;
        if (pool_argmax<scalar_t>(src, g, oh, ow, lowest, m) == self)
          sum = em_wrap_add(sum, (scalar_t)(gy[oh * g.OW + ow]));
      }
    }
    grad_in[i] = sum;
  }
}

// The window (oh, ow) clipped to the input, and its divisor (PyTorch's
// rule: clipped to the padded input when count_include_pad). Returns false
// for a window entirely in the padding.
__device__ __forceinline__ bool avg_window(const PoolGeom &g, i64 oh, i64 ow,
                                           i64 &h0, i64 &h1, i64 &w0, i64 &w1,
                                           i64 &div) {
  h0 = oh * g.sh - g.ph;
  w0 = ow * g.sw - g.pw;
  h1 = h0 + g.kh < g.H + g.ph ? h0 + g.kh : g.H + g.ph;
  w1 = w0 + g.kw < g.W + g.pw ? w0 + g.kw : g.W + g.pw;
  const i64 padded = (h1 - h0) * (w1 - w0);
  h0 = h0 > 0 ? h0 : 0;
  w0 = w0 > 0 ? w0 : 0;
  h1 = h1 < g.H ? h1 : g.H;
  w1 = w1 < g.W ? w1 : g.W;
  if (h0 >= h1 || w0 >= w1)
    return false;
  div = g.count_include_pad ? padded : (h1 - h0) * (w1 - w0);
  return true;
}

// One thread per output element (total = planes*OH*OW).
EMBER_KERNEL(ember_avg_pool2d)
(scalar_t *out, const scalar_t *in, PoolGeom g, i64 total) {
  EMBER_GRID_LOOP(i, total) {
    i64 ow = i % g.OW, oh = (i / g.OW) % g.OH, pl = i / (g.OW * g.OH);
    const scalar_t *src = in + pl * g.H * g.W;
    i64 h0, h1, w0, w1, div;
    if (!avg_window(g, oh, ow, h0, h1, w0, w1, div)) {
      out[i] = (scalar_t)0;
      continue;
    }
    scalar_t sum = (scalar_t)0;
    for (i64 ih = h0; ih < h1; ++ih)
      for (i64 iw = w0; iw < w1; ++iw)
        sum = em_wrap_add(sum, (scalar_t)(src[ih * g.W + iw]));
    out[i] = (scalar_t)(sum / (scalar_t)div);
  }
}

// One thread per input element (total = planes*H*W).
EMBER_KERNEL(ember_avg_pool2d_backward)
(scalar_t *grad_in, const scalar_t *grad_out, PoolGeom g, i64 total) {
  EMBER_GRID_LOOP(i, total) {
    i64 iw = i % g.W, ih = (i / g.W) % g.H, pl = i / (g.W * g.H);
    const scalar_t *gy = grad_out + pl * g.OH * g.OW;
    i64 oh0, oh1, ow0, ow1;
    pool_cover(ih, g.sh, g.ph, g.kh, g.OH, oh0, oh1);
    pool_cover(iw, g.sw, g.pw, g.kw, g.OW, ow0, ow1);
    scalar_t sum = (scalar_t)0;
    for (i64 oh = oh0; oh <= oh1; ++oh)
      for (i64 ow = ow0; ow <= ow1; ++ow) {
        i64 h0, h1, w0, w1, div;
        if (!avg_window(g, oh, ow, h0, h1, w0, w1, div))
          continue;
        if (ih < h0 || ih >= h1 || iw < w0 || iw >= w1)
          continue;
        sum = em_wrap_add(sum, (scalar_t)(gy[oh * g.OW + ow] / (scalar_t)div));
      }
    grad_in[i] = sum;
  }
}

// conv2d's data movement for one dtype, `scalar_t`: im2col, col2im and the
// bias fill; the GEMMs between them are cuBLAS's (float32/float64) or
// gemm.cuh's (integers). The layout is the CPU's
// (runtime/src/kernels/im2col.h): for one image (and group) of C channels,
// row r = (c*kH + ki)*kW + kj of col [C*kH*kW, OH*OW] holds at column
// oh*OW + ow the input element in[c, oh*sh - ph + ki*dh, ow*sw - pw + kj*dw]
// (0 in the padding).

struct ConvGeom {
  i64 C, H, W, kH, kW, OH, OW;
  i64 sh, sw, ph, pw, dh, dw;
};

// One thread per col element (total = C*kH*kW*OH*OW).
EMBER_KERNEL(ember_im2col)
(scalar_t *col, const scalar_t *in, ConvGeom g, i64 total) {
  const i64 plane = g.OH * g.OW;
  EMBER_GRID_LOOP(i, total) {
    i64 p = i % plane, r = i / plane;
    i64 ow = p % g.OW, oh = p / g.OW;
    i64 kj = r % g.kW, ki = (r / g.kW) % g.kH, c = r / (g.kW * g.kH);
    i64 ih = oh * g.sh - g.ph + ki * g.dh, iw = ow * g.sw - g.pw + kj * g.dw;
    col[i] = (ih >= 0 && ih < g.H && iw >= 0 && iw < g.W)
                 ? in[(c * g.H + ih) * g.W + iw]
                 : (scalar_t)0;
  }
}

// The adjoint, as a gather: one thread per input element (total = C*H*W)
// sums, over the taps (ki, kj) in the CPU's order, the col elements read
// from it, and stores the sum (each element is written by one thread: no
// atomics, deterministic, and equal to the CPU's col2im onto zeros).
EMBER_KERNEL(ember_col2im)
(scalar_t *in, const scalar_t *col, ConvGeom g, i64 total) {
  const i64 plane = g.OH * g.OW;
  EMBER_GRID_LOOP(i, total) {
    i64 iw = i % g.W, ih = (i / g.W) % g.H, c = i / (g.W * g.H);
    scalar_t sum = (scalar_t)0;
    for (i64 ki = 0; ki < g.kH; ++ki) {
      i64 th = ih + g.ph - ki * g.dh; // = oh * sh
      if (th < 0 || th % g.sh != 0 || th / g.sh >= g.OH)
        continue;
      i64 oh = th / g.sh;
      for (i64 kj = 0; kj < g.kW; ++kj) {
        i64 tw = iw + g.pw - kj * g.dw;
        if (tw < 0 || tw % g.sw != 0 || tw / g.sw >= g.OW)
          continue;
        i64 ow = tw / g.sw;
        sum = em_wrap_add(sum, (scalar_t)(col[((c * g.kH + ki) * g.kW + kj) * plane + oh * g.OW + ow]));
      }
    }
    in[i] = sum;
  }
}

// out[n, co, p] = bias[co] (total = N*CO*plane): the GEMM then adds onto it
// (beta = 1), as the CPU kernel does.
EMBER_KERNEL(ember_bias_fill)
(scalar_t *out, const scalar_t *bias, i64 CO, i64 plane, i64 total) {
  EMBER_GRID_LOOP(i, total) { out[i] = bias[(i / plane) % CO]; }
}

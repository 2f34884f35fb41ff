// ember_rt_conv2d_nchw_f32/_f64 (compiled_abi.h), called as the JIT calls
// it (expanded memref descriptors), against a plain loop nest of
// linalg.conv_2d_nchw_fchw's definition: both of its forms (image-major for
// forward shapes, filter-major when the filter window is larger than the
// output, as for a weight gradient), operands as transposed views (what
// ember-matmul-to-runtime passes for conv2d_backward_weight), filters whose
// taps are not contiguous (packed), a strided output, accumulate 0 and 1.
#include "ember/runtime/compiled_abi.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <random>
#include <vector>

namespace {

// A 4-D strided view into `data`.
template <typename T> struct View {
  T *data;
  std::array<int64_t, 4> size, stride;
  T &at(int64_t a, int64_t b, int64_t c, int64_t d) const {
    return data[a * stride[0] + b * stride[1] + c * stride[2] + d * stride[3]];
  }
};

template <typename T>
View<T> contiguous(std::vector<T> &buf, std::array<int64_t, 4> size) {
  buf.resize(static_cast<size_t>(size[0] * size[1] * size[2] * size[3]));
  return {buf.data(),
          size,
          {size[1] * size[2] * size[3], size[2] * size[3], size[3], 1}};
}

// The view with dims 0 and 1 swapped (memref.transpose).
template <typename T> View<T> swapped(View<T> v) {
  std::swap(v.size[0], v.size[1]);
  std::swap(v.stride[0], v.stride[1]);
  return v;
}

template <typename T> void fill(View<T> v, std::mt19937 &rng) {
  std::uniform_real_distribution<double> dist(-1, 1);
  for (int64_t a = 0; a < v.size[0]; ++a)
    for (int64_t b = 0; b < v.size[1]; ++b)
      for (int64_t c = 0; c < v.size[2]; ++c)
        for (int64_t d = 0; d < v.size[3]; ++d)
          v.at(a, b, c, d) = static_cast<T>(dist(rng));
}

void call(View<float> in, View<float> w, View<float> out,
          std::array<int64_t, 4> sd, bool accumulate) {
  ember_rt_conv2d_nchw_f32(
      in.data, in.data, 0, in.size[0], in.size[1], in.size[2], in.size[3],
      in.stride[0], in.stride[1], in.stride[2], in.stride[3], w.data, w.data, 0,
      w.size[0], w.size[1], w.size[2], w.size[3], w.stride[0], w.stride[1],
      w.stride[2], w.stride[3], out.data, out.data, 0, out.size[0], out.size[1],
      out.size[2], out.size[3], out.stride[0], out.stride[1], out.stride[2],
      out.stride[3], sd[0], sd[1], sd[2], sd[3], accumulate);
}
void call(View<double> in, View<double> w, View<double> out,
          std::array<int64_t, 4> sd, bool accumulate) {
  ember_rt_conv2d_nchw_f64(
      in.data, in.data, 0, in.size[0], in.size[1], in.size[2], in.size[3],
      in.stride[0], in.stride[1], in.stride[2], in.stride[3], w.data, w.data, 0,
      w.size[0], w.size[1], w.size[2], w.size[3], w.stride[0], w.stride[1],
      w.stride[2], w.stride[3], out.data, out.data, 0, out.size[0], out.size[1],
      out.size[2], out.size[3], out.stride[0], out.stride[1], out.stride[2],
      out.stride[3], sd[0], sd[1], sd[2], sd[3], accumulate);
}

struct Case {
  std::array<int64_t, 4> in,
      w; // as the conv sees them: [N, C, H, W], [F, C, kH, kW]
  std::array<int64_t, 4> sd; // sh, sw, dh, dw
  bool transposedIn, transposedW, packedW, stridedOut, accumulate;
};

template <typename T> void check(const Case &c) {
  std::mt19937 rng(7);
  std::array<int64_t, 4> out = {c.in[0], c.w[0], 0, 0};
  for (int i = 0; i < 2; ++i)
    out[2 + i] =
        (c.in[2 + i] - c.sd[2 + i] * (c.w[2 + i] - 1) - 1) / c.sd[i] + 1;
  std::vector<T> inBuf, wBuf, outBuf, refBuf;
  // A transposed view is the swap of a buffer laid out the other way.
  View<T> in =
      c.transposedIn
          ? swapped(contiguous(inBuf, {c.in[1], c.in[0], c.in[2], c.in[3]}))
          : contiguous(inBuf, c.in);
  View<T> w = c.transposedW
                  ? swapped(contiguous(wBuf, {c.w[1], c.w[0], c.w[2], c.w[3]}))
                  : contiguous(wBuf, c.w);
  if (c.packedW) { // taps column-major: [F, C, kW, kH] read as [F, C, kH, kW]
    w = contiguous(wBuf, {c.w[0], c.w[1], c.w[3], c.w[2]});
    std::swap(w.size[2], w.size[3]);
    std::swap(w.stride[2], w.stride[3]);
  }
  View<T> o = contiguous(
      outBuf, c.stridedOut
                  ? std::array<int64_t, 4>{out[0], out[1], out[2], out[3] * 2}
                  : out);
  o.size = out;
  if (c.stridedOut)
    o.stride[3] = 2;
  View<T> ref = contiguous(refBuf, out);
  fill(in, rng);
  fill(w, rng);
  fill(o, rng);
  for (int64_t n = 0; n < out[0]; ++n)
    for (int64_t f = 0; f < out[1]; ++f)
      for (int64_t y = 0; y < out[2]; ++y)
        for (int64_t x = 0; x < out[3]; ++x) {
          double s = c.accumulate ? o.at(n, f, y, x) : 0.0;
          for (int64_t ch = 0; ch < c.in[1]; ++ch)
            for (int64_t i = 0; i < c.w[2]; ++i)
              for (int64_t j = 0; j < c.w[3]; ++j)
                s += double(in.at(n, ch, y * c.sd[0] + i * c.sd[2],
                                  x * c.sd[1] + j * c.sd[3])) *
                     double(w.at(f, ch, i, j));
          ref.at(n, f, y, x) = static_cast<T>(s);
        }
  call(in, w, o, c.sd, c.accumulate);
  for (int64_t n = 0; n < out[0]; ++n)
    for (int64_t f = 0; f < out[1]; ++f)
      for (int64_t y = 0; y < out[2]; ++y)
        for (int64_t x = 0; x < out[3]; ++x) {
          double want = ref.at(n, f, y, x), got = o.at(n, f, y, x);
          EXPECT_LE(std::abs(got - want), 1e-5 + 1e-4 * std::abs(want))
              << "at " << n << "," << f << "," << y << "," << x;
        }
}

class CompiledConv : public ::testing::TestWithParam<Case> {};

TEST_P(CompiledConv, MatchesLoopNestF32) { check<float>(GetParam()); }
TEST_P(CompiledConv, MatchesLoopNestF64) { check<double>(GetParam()); }

INSTANTIATE_TEST_SUITE_P(
    Forms, CompiledConv,
    ::testing::Values(
        // Image-major (a forward conv), contiguous.
        Case{{2, 3, 9, 9},
             {4, 3, 3, 3},
             {1, 1, 1, 1},
             false,
             false,
             false,
             false,
             false},
        // Image-major, strided, dilated, accumulating into a strided output.
        Case{{2, 3, 11, 10},
             {4, 3, 3, 2},
             {2, 1, 1, 2},
             false,
             false,
             false,
             true,
             true},
        // Filter-major: the CNN's conv2 weight gradient in small (input
        // [C, N, H, W] and grad_out [F, N, OH, OW] as transposed views).
        Case{{3, 5, 10, 10},
             {4, 5, 8, 8},
             {1, 1, 1, 1},
             true,
             true,
             false,
             false,
             false},
        // Filter-major, forward stride 2 (conv dilation 2: strided taps) and
        // dilation 2 (conv stride 2), accumulating.
        Case{{2, 3, 13, 12},
             {4, 3, 5, 4},
             {2, 2, 2, 2},
             true,
             true,
             false,
             false,
             true},
        // Filter-major with packed (non-contiguous) filter taps and a strided
        // output.
        Case{{2, 4, 9, 9},
             {3, 4, 7, 6},
             {1, 1, 1, 1},
             false,
             false,
             true,
             true,
             false}));

} // namespace

// conv2d and its gradients on CUDA: the CPU's algorithm (im2col + one GEMM
// per image and group, runtime/src/kernels/conv.cpp and conv_backward.cpp)
// with kernels/conv.cuh for im2col, col2im and the bias, and blas.h's GEMM
// (cuBLAS for float32/float64, gemm.cuh for integers). The col buffer is
// one temporary reused by every image: all work is ordered on the current
// stream.
#include "blas.h"
#include "check.h"
#include "conv_geom.h"
#include "ember/runtime/cuda.h"
#include "ember/runtime/error.h"
#include "ember/runtime/kernels/cuda.h"
#include "module.h"

#include <memory>
#include <string>

namespace ember::kernels::cuda {

using namespace ember::cuda::detail;

namespace {

void *conv_kernel(DType t, const char *name) {
  return get_kernel("conv",
                    std::string("typedef ") + c_type(t) + " scalar_t;\n", name);
}

cudaStream_t stream() {
  return static_cast<cudaStream_t>(ember::cuda::current_stream().handle());
}

void zero(const char *op, const TensorImpl &t) {
  EMBER_CUDA_CHECK(
      cudaMemsetAsync(t.data(), 0,
                      static_cast<size_t>(t.numel()) * t.itemsize(), stream()),
      op);
}

// The conv2d geometry shared by the forward and both gradients.
struct Dims {
  int64_t N, C, H, W, CO, kH, kW, OH, OW, G, Cg, COg, K, plane;
  bool direct; // 1x1 kernel, unit stride, no padding: im2col(x) is x
  ConvGeom geom;
  Dims(const TensorImpl &input_like, const TensorImpl &weight_like,
       const TensorImpl &out_like, const Conv2dParams &p)
      : N(input_like.size(0)), C(input_like.size(1)), H(input_like.size(2)),
        W(input_like.size(3)), CO(weight_like.size(0)), kH(weight_like.size(2)),
        kW(weight_like.size(3)), OH(out_like.size(2)), OW(out_like.size(3)),
        G(p.groups), Cg(C / G), COg(CO / G), K(Cg * kH * kW), plane(OH * OW),
        direct(kH == 1 && kW == 1 && p.stride[0] == 1 && p.stride[1] == 1 &&
               p.padding[0] == 0 && p.padding[1] == 0),
        geom{Cg,
             H,
             W,
             kH,
             kW,
             OH,
             OW,
             p.stride[0],
             p.stride[1],
             p.padding[0],
             p.padding[1],
             p.dilation[0],
             p.dilation[1]} {}
};

template <typename T> T *elem(const TensorImpl &t, int64_t i) {
  return reinterpret_cast<T *>(static_cast<char *>(t.data()) +
                               i * t.itemsize());
}

// col [K, plane] = im2col of one image and group starting at `x`.
void im2col(const Dims &d, DType t, const void *x, void *col) {
  ConvGeom g = d.geom;
  int64_t total = d.K * d.plane;
  void *px = const_cast<void *>(x), *pc = col;
  void *args[] = {&pc, &px, &g, &total};
  launch_elementwise(conv_kernel(t, "ember_im2col"), total, args);
}

// Calls fn(n, g, cols) for every image n and group g, with cols the
// group's im2col matrix [K, plane] in a scratch buffer (the input itself for
// a 1x1 convolution that reads it directly).
template <typename Fn>
void for_each_column_matrix(const Dims &d, DType t, const TensorImpl &input,
                            Fn fn) {
  std::shared_ptr<TensorImpl> col;
  if (!d.direct)
    col = make_tensor_impl({d.K * d.plane}, t, input.device());
  for (int64_t n = 0; n < d.N; ++n)
    for (int64_t g = 0; g < d.G; ++g) {
      const void *x = elem<char>(input, (n * d.C + g * d.Cg) * d.H * d.W);
      const void *cols = x;
      if (!d.direct) {
        im2col(d, t, x, col->data());
        cols = col->data();
      }
      fn(n, g, cols);
    }
}

} // namespace

void conv2d(const TensorImpl &out, const TensorImpl &input,
            const TensorImpl &weight, const TensorImpl *bias,
            const Conv2dParams &p) {
  const char *op = "conv2d";
  ember::cuda::DeviceGuard guard(out.device().index());
  const Dims d(input, weight, out, p);
  const DType t = out.dtype();
  if (out.numel() == 0)
    return;
  if (bias) {
    void *o = out.data(), *b = bias->data();
    int64_t co = d.CO, plane = d.plane, total = out.numel();
    void *args[] = {&o, &b, &co, &plane, &total};
    launch_elementwise(conv_kernel(t, "ember_bias_fill"), total, args);
  }
  if (d.K == 0) { // no input channels: the bias alone
    if (!bias)
      zero(op, out);
    return;
  }
  for_each_column_matrix(
      d, t, input, [&](int64_t n, int64_t g, const void *cols) {
        gemm(op, t, false, false, d.COg, d.plane, d.K,
             elem<char>(weight, g * d.COg * d.K), d.K, cols, d.plane,
             bias != nullptr, elem<char>(out, (n * d.CO + g * d.COg) * d.plane),
             d.plane);
      });
}

void conv2d_backward_input(const TensorImpl &grad_input,
                           const TensorImpl &grad_out, const TensorImpl &weight,
                           const Conv2dParams &p) {
  const char *op = "conv2d_backward_input";
  ember::cuda::DeviceGuard guard(grad_input.device().index());
  const Dims d(grad_input, weight, grad_out, p);
  const DType t = grad_input.dtype();
  EMBER_CHECK(t == DType::Float32 || t == DType::Float64, op,
              "no CUDA kernel for dtype ", t);
  if (grad_input.numel() == 0)
    return;
  if (d.K == 0 || d.COg == 0 || d.plane == 0) {
    zero(op, grad_input);
    return;
  }
  std::shared_ptr<TensorImpl> col;
  if (!d.direct)
    col = make_tensor_impl({d.K * d.plane}, t, grad_input.device());
  for (int64_t n = 0; n < d.N; ++n)
    for (int64_t g = 0; g < d.G; ++g) {
      void *gx = elem<char>(grad_input, (n * d.C + g * d.Cg) * d.H * d.W);
      // [K, plane] = W[g]^T ([COg, K] transposed) @ dout[n, g] [COg, plane]
      void *dst = d.direct ? gx : col->data();
      gemm(op, t, true, false, d.K, d.plane, d.COg,
           elem<char>(weight, g * d.COg * d.K), d.K,
           elem<char>(grad_out, (n * d.CO + g * d.COg) * d.plane), d.plane,
           false, dst, d.plane);
      if (!d.direct) {
        ConvGeom geom = d.geom;
        int64_t total = d.Cg * d.H * d.W;
        void *pc = col->data();
        void *args[] = {&gx, &pc, &geom, &total};
        launch_elementwise(conv_kernel(t, "ember_col2im"), total, args);
      }
    }
}

void conv2d_backward_weight(const TensorImpl &grad_weight,
                            const TensorImpl &grad_out, const TensorImpl &input,
                            const Conv2dParams &p) {
  const char *op = "conv2d_backward_weight";
  ember::cuda::DeviceGuard guard(grad_weight.device().index());
  const Dims d(input, grad_weight, grad_out, p);
  const DType t = grad_weight.dtype();
  EMBER_CHECK(t == DType::Float32 || t == DType::Float64, op,
              "no CUDA kernel for dtype ", t);
  if (grad_weight.numel() == 0)
    return;
  zero(op, grad_weight);
  if (d.N == 0 || d.plane == 0)
    return;
  for_each_column_matrix(
      d, t, input, [&](int64_t n, int64_t g, const void *cols) {
        // dW[g] [COg, K] += dout[n, g] [COg, plane] @ cols^T [plane, K]
        gemm(op, t, false, true, d.COg, d.K, d.plane,
             elem<char>(grad_out, (n * d.CO + g * d.COg) * d.plane), d.plane,
             cols, d.plane, true, elem<char>(grad_weight, g * d.COg * d.K),
             d.K);
      });
}

} // namespace ember::kernels::cuda

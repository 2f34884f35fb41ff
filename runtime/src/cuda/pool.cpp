// max_pool2d, avg_pool2d and their gradients on CUDA (kernels/pool.cuh):
// one thread per output element forward, one per input element backward
// (a gather over the windows covering it), no atomics.
#include "conv_geom.h"
#include "ember/runtime/cuda.h"
#include "ember/runtime/error.h"
#include "ember/runtime/kernels/cuda.h"
#include "module.h"

#include <cstring>
#include <limits>
#include <string>

namespace ember::kernels::cuda {

using namespace ember::cuda::detail;

namespace {

PoolGeom pool_geom(const TensorImpl &in_like, const TensorImpl &out_like,
                   const Pool2dParams &p) {
  const int64_t nd = in_like.dim();
  return {in_like.size(nd - 2),
          in_like.size(nd - 1),
          out_like.size(nd - 2),
          out_like.size(nd - 1),
          p.kernel[0],
          p.kernel[1],
          p.stride[0],
          p.stride[1],
          p.padding[0],
          p.padding[1],
          p.dilation[0],
          p.dilation[1],
          p.count_include_pad ? 1 : 0};
}

void *pool_kernel(DType t, const char *name) {
  return get_kernel("pool",
                    std::string("typedef ") + c_type(t) + " scalar_t;\n", name);
}

void require(const char *op, DType t, bool int64_too) {
  EMBER_CHECK(t == DType::Float32 || t == DType::Float64 ||
                  (int64_too && t == DType::Int64),
              op, "no CUDA kernel for dtype ", t);
}

// -inf as the kernel's scalar_t argument (max pool: float32/float64).
struct Lowest {
  alignas(8) unsigned char bytes[8] = {};
  explicit Lowest(DType t) {
    if (t == DType::Float32) {
      float v = -std::numeric_limits<float>::infinity();
      std::memcpy(bytes, &v, sizeof v);
    } else {
      double v = -std::numeric_limits<double>::infinity();
      std::memcpy(bytes, &v, sizeof v);
    }
  }
};

} // namespace

void max_pool2d(const TensorImpl &out, const TensorImpl &input,
                const Pool2dParams &p) {
  require("max_pool2d", out.dtype(), false);
  ember::cuda::DeviceGuard guard(out.device().index());
  PoolGeom g = pool_geom(input, out, p);
  Lowest lo(out.dtype());
  void *o = out.data(), *i = input.data();
  int64_t total = out.numel();
  void *args[] = {&o, &i, &g, lo.bytes, &total};
  launch_elementwise(pool_kernel(out.dtype(), "ember_max_pool2d"), total, args);
}

void avg_pool2d(const TensorImpl &out, const TensorImpl &input,
                const Pool2dParams &p) {
  require("avg_pool2d", out.dtype(), true);
  ember::cuda::DeviceGuard guard(out.device().index());
  PoolGeom g = pool_geom(input, out, p);
  void *o = out.data(), *i = input.data();
  int64_t total = out.numel();
  void *args[] = {&o, &i, &g, &total};
  launch_elementwise(pool_kernel(out.dtype(), "ember_avg_pool2d"), total, args);
}

void max_pool2d_backward(const TensorImpl &grad_input,
                         const TensorImpl &grad_out, const TensorImpl &input,
                         const Pool2dParams &p) {
  require("max_pool2d_backward", grad_input.dtype(), false);
  ember::cuda::DeviceGuard guard(grad_input.device().index());
  PoolGeom g = pool_geom(input, grad_out, p);
  Lowest lo(grad_input.dtype());
  void *gi = grad_input.data(), *go = grad_out.data(), *i = input.data();
  int64_t total = grad_input.numel();
  void *args[] = {&gi, &go, &i, &g, lo.bytes, &total};
  launch_elementwise(
      pool_kernel(grad_input.dtype(), "ember_max_pool2d_backward"), total,
      args);
}

void avg_pool2d_backward(const TensorImpl &grad_input,
                         const TensorImpl &grad_out, const Pool2dParams &p) {
  require("avg_pool2d_backward", grad_input.dtype(), false);
  ember::cuda::DeviceGuard guard(grad_input.device().index());
  PoolGeom g = pool_geom(grad_input, grad_out, p);
  void *gi = grad_input.data(), *go = grad_out.data();
  int64_t total = grad_input.numel();
  void *args[] = {&gi, &go, &g, &total};
  launch_elementwise(
      pool_kernel(grad_input.dtype(), "ember_avg_pool2d_backward"), total,
      args);
}

} // namespace ember::kernels::cuda

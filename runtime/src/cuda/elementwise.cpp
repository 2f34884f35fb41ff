// Host side of the elementwise CUDA kernels (kernels/elementwise.cuh and
// kernels/copy.cuh): picks the module for the dtype, collapses the
// geometry, launches on the current stream.
#include "ember/runtime/error.h"
#include "ember/runtime/kernels/cuda.h"
#include "module.h"

#include <cstring>
#include <string>

namespace ember::kernels::cuda {

using namespace ember::cuda::detail;

namespace {

std::string prelude_for(DType t) {
  return std::string("typedef ") + c_type(t) + " scalar_t;\n";
}
void *elementwise_kernel(DType t, const char *name) {
  return get_kernel("elementwise", prelude_for(t), name);
}

// A Scalar as the kernel's scalar_t argument, in a buffer big enough for
// any element type (cudaLaunchKernel copies as many bytes as the kernel's
// parameter takes).
struct ScalarArg {
  alignas(8) unsigned char bytes[8] = {};
  ScalarArg(const Scalar &s, DType t) {
    visit_dtype(t, "cuda", [&]<typename T>() {
      T v = s.to<T>();
      std::memcpy(bytes, &v, sizeof v);
    });
  }
};

const char *unary_name(UnaryOp op) {
  static const char *const names[] = {
      "ember_unary_Neg",       "ember_unary_Abs",      "ember_unary_Exp",
      "ember_unary_Log",       "ember_unary_Log1p",    "ember_unary_Sqrt",
      "ember_unary_Rsqrt",     "ember_unary_Sin",      "ember_unary_Cos",
      "ember_unary_Tanh",      "ember_unary_Sigmoid",  "ember_unary_Relu",
      "ember_unary_Gelu",      "ember_unary_GeluTanh", "ember_unary_Sign",
      "ember_unary_Floor",     "ember_unary_Ceil",     "ember_unary_Round",
      "ember_unary_LogicalNot"};
  static_assert(sizeof(names) / sizeof(names[0]) ==
                static_cast<size_t>(UnaryOp::LogicalNot) + 1);
  return names[static_cast<int>(op)];
}

const char *binary_name(BinaryOp op) {
  static const char *const names[] = {
      "ember_binary_Add",       "ember_binary_Sub",
      "ember_binary_Mul",       "ember_binary_Div",
      "ember_binary_Pow",       "ember_binary_Maximum",
      "ember_binary_Minimum",   "ember_binary_LogicalAnd",
      "ember_binary_LogicalOr", "ember_binary_LogicalXor",
      "ember_binary_Eq",        "ember_binary_Ne",
      "ember_binary_Lt",        "ember_binary_Le",
      "ember_binary_Gt",        "ember_binary_Ge"};
  static_assert(sizeof(names) / sizeof(names[0]) ==
                static_cast<size_t>(BinaryOp::Ge) + 1);
  return names[static_cast<int>(op)];
}

} // namespace

void unary(UnaryOp op, const TensorImpl &out, const TensorImpl &in) {
  Geom g = make_geom("unary", {&out, &in});
  void *o = out.data(), *i = in.data();
  int64_t n = out.numel();
  void *args[] = {&o, &i, &g, &n};
  launch_elementwise(elementwise_kernel(in.dtype(), unary_name(op)), n, args);
}

void binary(BinaryOp op, const TensorImpl &out, const TensorImpl &a,
            const TensorImpl &b, const Scalar &alpha) {
  Geom g = make_geom("binary", {&out, &a, &b});
  void *o = out.data(), *pa = a.data(), *pb = b.data();
  ScalarArg al(alpha, a.dtype());
  int64_t n = out.numel();
  void *args[] = {&o, &pa, &pb, al.bytes, &g, &n};
  launch_elementwise(elementwise_kernel(a.dtype(), binary_name(op)), n, args);
}

void where(const TensorImpl &out, const TensorImpl &cond, const TensorImpl &a,
           const TensorImpl &b) {
  Geom g = make_geom("where", {&out, &cond, &a, &b});
  void *o = out.data(), *pc = cond.data(), *pa = a.data(), *pb = b.data();
  int64_t n = out.numel();
  void *args[] = {&o, &pc, &pa, &pb, &g, &n};
  launch_elementwise(elementwise_kernel(out.dtype(), "ember_where"), n, args);
}

void clamp(const TensorImpl &out, const TensorImpl &in,
           std::optional<Scalar> lo, std::optional<Scalar> hi) {
  EMBER_CHECK(in.dtype() != DType::Bool, "clamp",
              "not supported for bool tensors");
  Geom g = make_geom("clamp", {&out, &in});
  void *o = out.data(), *i = in.data();
  int has_lo = lo.has_value(), has_hi = hi.has_value();
  ScalarArg l(lo.value_or(Scalar(0)), in.dtype());
  ScalarArg h(hi.value_or(Scalar(0)), in.dtype());
  int64_t n = out.numel();
  void *args[] = {&o, &i, &has_lo, l.bytes, &has_hi, h.bytes, &g, &n};
  launch_elementwise(elementwise_kernel(in.dtype(), "ember_clamp"), n, args);
}

void copy(const TensorImpl &dst, const TensorImpl &src) {
  EMBER_CHECK(src.device().is_cuda() && dst.device() == src.device(), "copy_",
              "the CUDA copy kernel takes tensors on one CUDA device, got ",
              src.device(), " and ", dst.device());
  Geom g = make_geom("copy_", {&dst, &src});
  void *o = dst.data(), *i = src.data();
  int64_t n = dst.numel();
  void *args[] = {&o, &i, &g, &n};
  std::string prelude =
      std::string("typedef ") + c_type(dst.dtype()) + " dst_t;\n";
  std::string name =
      std::string("ember_copy_from_") + std::string(dtype_name(src.dtype()));
  launch_elementwise(get_kernel("copy", prelude, name.c_str()), n, args);
}

void fill(const TensorImpl &dst, const Scalar &value) {
  Geom g = make_geom("fill_", {&dst});
  void *o = dst.data();
  ScalarArg v(value, dst.dtype());
  int64_t n = dst.numel();
  void *args[] = {&o, v.bytes, &g, &n};
  launch_elementwise(elementwise_kernel(dst.dtype(), "ember_fill"), n, args);
}

} // namespace ember::kernels::cuda

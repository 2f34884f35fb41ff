// The CPU eager kernel library. Kernels take operands whose shapes and
// dtypes the frontend has already checked and made uniform (inputs expanded
// to the output's shape and cast to the compute dtype); they never allocate
// user-visible tensors. Each kernel here is also the plain reference that
// fused, JIT and CUDA paths are compared to.
#pragma once

#include "ember/runtime/scalar.h"
#include "ember/runtime/tensor_impl.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace ember::kernels::cpu {

enum class UnaryOp : uint8_t {
  Neg,
  Abs,
  Exp,
  Log,
  Log1p,
  Sqrt,
  Rsqrt,
  Sin,
  Cos,
  Tanh,
  Sigmoid,
  Relu,
  Gelu,
  GeluTanh,
  Sign,
  Floor,
  Ceil,
  Round,
  LogicalNot,
};
/// out = op(in); same sizes. LogicalNot writes bool, the rest in's dtype.
void unary(UnaryOp op, const TensorImpl &out, const TensorImpl &in);

enum class BinaryOp : uint8_t {
  Add,
  Sub,
  Mul,
  Div,
  Pow,
  Maximum,
  Minimum,
  LogicalAnd,
  LogicalOr,
  LogicalXor, // bool out
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge, // bool out
};
bool binary_returns_bool(BinaryOp op);
/// out = a op b (Add/Sub: a + alpha * b). a and b share a dtype and out's
/// sizes; out has that dtype, or bool for logical ops and comparisons.
void binary(BinaryOp op, const TensorImpl &out, const TensorImpl &a,
            const TensorImpl &b, const Scalar &alpha = 1);

/// out = cond ? a : b; cond bool, a/b/out one dtype, all one shape.
void where(const TensorImpl &out, const TensorImpl &cond, const TensorImpl &a,
           const TensorImpl &b);
/// out = clamp(in, lo, hi) with either bound optional.
void clamp(const TensorImpl &out, const TensorImpl &in,
           std::optional<Scalar> lo, std::optional<Scalar> hi);

/// dst = src converted to dst's dtype; same sizes, any strides (may overlap
/// only when dst and src are the same view).
void copy(const TensorImpl &dst, const TensorImpl &src);
void fill(const TensorImpl &dst, const Scalar &value);

} // namespace ember::kernels::cpu

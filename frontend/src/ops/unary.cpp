// Unary elementwise ops, clamp, and their public entry points.
#include "common.h"
#include "ember/ops.h"

namespace ember {

using kernels::cpu::UnaryOp;

namespace impl {

namespace {
// Float-only math ops promote integer inputs to the default float type, as
// PyTorch does for torch.exp(int_tensor).
bool promotes_to_float(UnaryOp op) {
  switch (op) {
  case UnaryOp::Exp:
  case UnaryOp::Log:
  case UnaryOp::Log1p:
  case UnaryOp::Sqrt:
  case UnaryOp::Rsqrt:
  case UnaryOp::Sin:
  case UnaryOp::Cos:
  case UnaryOp::Tanh:
  case UnaryOp::Sigmoid:
  case UnaryOp::Gelu:
  case UnaryOp::GeluTanh:
    return true;
  default:
    return false;
  }
}

TensorList unary_op(const OpCall &call, UnaryOp op) {
  const Tensor &x = call.inputs[0];
  DType dt = x.dtype();
  if (promotes_to_float(op) && !is_floating_point(dt))
    dt = default_dtype();
  if (op == UnaryOp::Neg)
    EMBER_CHECK(dt != DType::Bool, call.name(),
                "negation of a bool tensor is not supported (use logical_not)");
  if (op == UnaryOp::Gelu || op == UnaryOp::GeluTanh)
    EMBER_CHECK(is_floating_point(x.dtype()), call.name(),
                "expected a floating point tensor, got ", describe(x));
  if ((op == UnaryOp::Floor || op == UnaryOp::Ceil || op == UnaryOp::Round) &&
      !is_floating_point(dt))
    return out1(x.clone());
  Tensor out = make_output(x.sizes(), op == UnaryOp::LogicalNot ? kBool : dt,
                           x.device());
  kernels::unary(op, I(out), I(cast(x, dt)));
  return out1(out);
}
} // namespace

#define EMBER_UNARY_IMPL(NAME, OP)                                             \
  TensorList NAME(const OpCall &call) { return unary_op(call, UnaryOp::OP); }
EMBER_UNARY_IMPL(neg, Neg)
EMBER_UNARY_IMPL(abs, Abs)
EMBER_UNARY_IMPL(exp, Exp)
EMBER_UNARY_IMPL(log, Log)
EMBER_UNARY_IMPL(log1p, Log1p)
EMBER_UNARY_IMPL(sqrt, Sqrt)
EMBER_UNARY_IMPL(rsqrt, Rsqrt)
EMBER_UNARY_IMPL(sin, Sin)
EMBER_UNARY_IMPL(cos, Cos)
EMBER_UNARY_IMPL(tanh, Tanh)
EMBER_UNARY_IMPL(sigmoid, Sigmoid)
EMBER_UNARY_IMPL(relu, Relu)
EMBER_UNARY_IMPL(sign, Sign)
EMBER_UNARY_IMPL(floor, Floor)
EMBER_UNARY_IMPL(ceil, Ceil)
EMBER_UNARY_IMPL(round, Round)
EMBER_UNARY_IMPL(logical_not, LogicalNot)
#undef EMBER_UNARY_IMPL

TensorList gelu(const OpCall &call) {
  bool tanh_mode = call.attrs.get<std::string>("approximate") == "tanh";
  return unary_op(call, tanh_mode ? UnaryOp::GeluTanh : UnaryOp::Gelu);
}

namespace {
std::optional<Scalar> opt_scalar(const OpCall &call, const char *name) {
  if (const AttrValue *v = call.attrs.find(name))
    return std::get<Scalar>(*v);
  return std::nullopt;
}
} // namespace

TensorList clamp(const OpCall &call) {
  const Tensor &x = call.inputs[0];
  auto lo = opt_scalar(call, "min"), hi = opt_scalar(call, "max");
  EMBER_CHECK(lo || hi, call.name(),
              "at least one of 'min' or 'max' must be given");
  // Result type follows PyTorch: a float bound on an integer tensor gives
  // the default float type.
  DType dt = x.dtype();
  for (auto &b : {lo, hi})
    if (b && b->is_floating_point() && !is_floating_point(dt))
      dt = default_dtype();
  Tensor out = make_output(x.sizes(), dt, x.device());
  kernels::clamp(I(out), I(cast(x, dt)), lo, hi);
  return out1(out);
}

TensorList clamp_(const OpCall &call) {
  const Tensor &x = call.inputs[0];
  auto lo = opt_scalar(call, "min"), hi = opt_scalar(call, "max");
  EMBER_CHECK(lo || hi, call.name(),
              "at least one of 'min' or 'max' must be given");
  for (auto &b : {lo, hi})
    EMBER_CHECK(!b || !b->is_floating_point() || x.is_floating_point(),
                call.name(),
                "result type float32 can't be cast to the desired output type ",
                x.dtype());
  kernels::clamp(I(x), I(x), lo, hi);
  return out1(x);
}

} // namespace impl

#define EMBER_UNARY_API(NAME)                                                  \
  Tensor NAME(const Tensor &x, Loc loc) {                                      \
    return dispatch1(OpId::NAME, {x}, {}, loc);                                \
  }
EMBER_UNARY_API(neg)
EMBER_UNARY_API(abs)
EMBER_UNARY_API(exp)
EMBER_UNARY_API(log)
EMBER_UNARY_API(log1p)
EMBER_UNARY_API(sqrt)
EMBER_UNARY_API(rsqrt)
EMBER_UNARY_API(sin)
EMBER_UNARY_API(cos)
EMBER_UNARY_API(tanh)
EMBER_UNARY_API(sigmoid)
EMBER_UNARY_API(relu)
EMBER_UNARY_API(sign)
EMBER_UNARY_API(floor)
EMBER_UNARY_API(ceil)
EMBER_UNARY_API(round)
EMBER_UNARY_API(logical_not)
#undef EMBER_UNARY_API

Tensor gelu(const Tensor &x, const std::string &approximate, Loc loc) {
  EMBER_CHECK(approximate == "none" || approximate == "tanh", "gelu",
              "approximate must be 'none' or 'tanh', got '", approximate, "'");
  return dispatch1(OpId::gelu, {x}, {{"approximate", approximate}}, loc);
}

namespace {
Attrs clamp_attrs(const std::optional<Scalar> &min,
                  const std::optional<Scalar> &max) {
  Attrs a;
  if (min)
    a.set("min", *min);
  if (max)
    a.set("max", *max);
  return a;
}
} // namespace

Tensor clamp(const Tensor &x, std::optional<Scalar> min,
             std::optional<Scalar> max, Loc loc) {
  return dispatch1(OpId::clamp, {x}, clamp_attrs(min, max), loc);
}

Tensor &clamp_(Tensor &x, std::optional<Scalar> min, std::optional<Scalar> max,
               Loc loc) {
  dispatch(OpId::clamp_, {x}, clamp_attrs(min, max), loc);
  return x;
}

} // namespace ember

// Binary elementwise ops, comparisons, where/masked_fill, the in-place
// forms, and their public entry points. A Scalar operand becomes a 0-dim
// "wrapped number" tensor, which loses to real tensors in type promotion.
#include "common.h"
#include "ember/ops.h"

namespace ember {

using kernels::cpu::BinaryOp;

namespace impl {

namespace {

// The dtype the kernel computes in.
DType compute_dtype(BinaryOp op, DType common) {
  switch (op) {
  case BinaryOp::Div:
    return is_floating_point(common) ? common : default_dtype();
  default:
    return common;
  }
}

void check_binary(const OpCall &call, BinaryOp op, const Tensor &a,
                  const Tensor &b, DType common) {
  if (op == BinaryOp::Sub)
    EMBER_CHECK(common != kBool, call.name(),
                "subtraction with two bool tensors is not supported (use "
                "logical_xor)");
  if (op == BinaryOp::Pow && !is_floating_point(common) && b.numel() > 0 &&
      b.dtype() != kBool && !is_floating_point(b.dtype())) {
    bool negative = false;
    // A data-dependent check, as PyTorch's: the exponents are read on the
    // host.
    Tensor bl = cast(b, kInt64).contiguous();
    if (!bl.device().is_cpu())
      bl = copy_to_device(bl, Device(kCPU), false);
    const int64_t *p = bl.data_ptr<int64_t>();
    for (int64_t i = 0; i < bl.numel() && !negative; ++i)
      negative = p[i] < 0;
    EMBER_CHECK(!negative, call.name(),
                "integers to negative integer powers are not allowed");
  }
  (void)a;
}

TensorList binary_op(const OpCall &call, BinaryOp op) {
  const Tensor &a = call.inputs[0], &b = call.inputs[1];
  Device dev = common_device(call);
  DimVector shape = broadcast_shapes(call.name(), a.sizes(), b.sizes());
  DType common = result_type(call.inputs);
  check_binary(call, op, a, b, common);
  DType dt = compute_dtype(op, common);
  bool to_bool = kernels::cpu::binary_returns_bool(op);
  Tensor out = make_output(shape, to_bool ? kBool : dt, dev);
  Scalar alpha = call.attrs.get_or<Scalar>("alpha", Scalar(1));
  if (op == BinaryOp::Add || op == BinaryOp::Sub)
    EMBER_CHECK(is_floating_point(dt) || !alpha.is_floating_point(),
                call.name(),
                "for integral input tensors, argument alpha must not be a "
                "floating point number");
  kernels::binary(op, I(out), I(expand_view(cast(a, dt, dev), shape)),
                  I(expand_view(cast(b, dt, dev), shape)), alpha);
  return out1(out);
}

TensorList binary_inplace(const OpCall &call, BinaryOp op) {
  const Tensor &self = call.inputs[0], &b = call.inputs[1];
  common_device(call);
  DimVector shape = broadcast_shapes(call.name(), self.sizes(), b.sizes());
  EMBER_CHECK(IntArrayRef(shape) == self.sizes(), call.name(),
              "output with shape ", self.sizes(),
              " doesn't match the broadcast shape ", IntArrayRef(shape));
  DType dt = compute_dtype(op, result_type(call.inputs));
  EMBER_CHECK(can_cast(dt, self.dtype()), call.name(), "result type ", dt,
              " can't be cast to the desired output type ", self.dtype());
  check_binary(call, op, self, b, dt);
  Scalar alpha = call.attrs.get_or<Scalar>("alpha", Scalar(1));
  Tensor rhs = expand_view(cast(b, dt, self.device()), shape);
  if (dt == self.dtype()) {
    kernels::binary(op, I(self), I(self), I(rhs), alpha);
  } else {
    Tensor tmp = make_output(shape, dt, self.device());
    kernels::binary(op, I(tmp), I(cast(self, dt)), I(rhs), alpha);
    kernels::copy(I(self), I(tmp));
  }
  return out1(self);
}

} // namespace

#define EMBER_BINARY_IMPL(NAME, OP)                                            \
  TensorList NAME(const OpCall &call) { return binary_op(call, BinaryOp::OP); }
EMBER_BINARY_IMPL(add, Add)
EMBER_BINARY_IMPL(sub, Sub)
EMBER_BINARY_IMPL(mul, Mul)
EMBER_BINARY_IMPL(div, Div)
EMBER_BINARY_IMPL(pow, Pow)
EMBER_BINARY_IMPL(maximum, Maximum)
EMBER_BINARY_IMPL(minimum, Minimum)
EMBER_BINARY_IMPL(logical_and, LogicalAnd)
EMBER_BINARY_IMPL(logical_or, LogicalOr)
EMBER_BINARY_IMPL(logical_xor, LogicalXor)
EMBER_BINARY_IMPL(eq, Eq)
EMBER_BINARY_IMPL(ne, Ne)
EMBER_BINARY_IMPL(lt, Lt)
EMBER_BINARY_IMPL(le, Le)
EMBER_BINARY_IMPL(gt, Gt)
EMBER_BINARY_IMPL(ge, Ge)
#undef EMBER_BINARY_IMPL

TensorList add_(const OpCall &call) {
  return binary_inplace(call, BinaryOp::Add);
}
TensorList sub_(const OpCall &call) {
  return binary_inplace(call, BinaryOp::Sub);
}
TensorList mul_(const OpCall &call) {
  return binary_inplace(call, BinaryOp::Mul);
}
TensorList div_(const OpCall &call) {
  return binary_inplace(call, BinaryOp::Div);
}

TensorList where(const OpCall &call) {
  const Tensor &cond = call.inputs[0], &a = call.inputs[1], &b = call.inputs[2];
  Device dev = common_device(call);
  EMBER_CHECK(cond.dtype() == kBool, call.name(),
              "expected condition to be a bool tensor, got ", describe(cond));
  DimVector shape = broadcast_shapes(
      call.name(), broadcast_shapes(call.name(), cond.sizes(), a.sizes()),
      b.sizes());
  DType dt = result_type(call.inputs.subspan(1));
  Tensor out = make_output(shape, dt, dev);
  kernels::where(I(out), I(expand_view(cond, shape)),
                 I(expand_view(cast(a, dt, dev), shape)),
                 I(expand_view(cast(b, dt, dev), shape)));
  return out1(out);
}

namespace {
void check_mask(const OpCall &call, const Tensor &x, const Tensor &mask) {
  EMBER_CHECK(mask.dtype() == kBool, call.name(),
              "expected mask to be a bool tensor, got ", describe(mask));
  Scalar v = call.attrs.get<Scalar>("value");
  EMBER_CHECK(!v.is_floating_point() || x.is_floating_point(), call.name(),
              "value ", v, " cannot be converted to type ", x.dtype(),
              " without overflow");
}
} // namespace

TensorList masked_fill(const OpCall &call) {
  const Tensor &x = call.inputs[0], &mask = call.inputs[1];
  common_device(call);
  check_mask(call, x, mask);
  DimVector shape = broadcast_shapes(call.name(), x.sizes(), mask.sizes());
  Tensor out = make_output(shape, x.dtype(), x.device());
  Tensor value = make_output({}, x.dtype(), x.device());
  kernels::fill(I(value), call.attrs.get<Scalar>("value"));
  kernels::where(I(out), I(expand_view(mask, shape)),
                 I(expand_view(value, shape)), I(expand_view(x, shape)));
  return out1(out);
}

TensorList masked_fill_(const OpCall &call) {
  const Tensor &x = call.inputs[0], &mask = call.inputs[1];
  common_device(call);
  check_mask(call, x, mask);
  DimVector shape = broadcast_shapes(call.name(), x.sizes(), mask.sizes());
  EMBER_CHECK(IntArrayRef(shape) == x.sizes(), call.name(), "mask of shape ",
              mask.sizes(), " cannot be broadcast to the tensor's shape ",
              x.sizes());
  Tensor value = make_output({}, x.dtype(), x.device());
  kernels::fill(I(value), call.attrs.get<Scalar>("value"));
  kernels::where(I(x), I(expand_view(mask, shape)),
                 I(expand_view(value, shape)), I(x));
  return out1(x);
}

} // namespace impl

Tensor scalar_to_tensor(const Scalar &s, Device device) {
  Tensor t = impl::make_output({}, s.is_floating_point() ? kFloat64 : s.dtype(),
                               device);
  kernels::fill(*t.unsafe_impl(), s);
  t.unsafe_impl()->set_wrapped_number(true);
  return t;
}

DType result_type(const Tensor &a, const Tensor &b) {
  const Tensor ts[] = {a, b};
  return impl::result_type(ts);
}
DType result_type(const Tensor &a, const Scalar &b) {
  return result_type(a, scalar_to_tensor(b));
}

#define EMBER_BINARY_API(NAME)                                                 \
  Tensor NAME(const Tensor &a, const Tensor &b, Loc loc) {                     \
    return dispatch1(OpId::NAME, {a, b}, {}, loc);                             \
  }
#define EMBER_BINARY_SCALAR_API(NAME)                                          \
  EMBER_BINARY_API(NAME)                                                       \
  Tensor NAME(const Tensor &a, const Scalar &b, Loc loc) {                     \
    return dispatch1(OpId::NAME, {a, scalar_to_tensor(b)}, {}, loc);           \
  }
EMBER_BINARY_SCALAR_API(mul)
EMBER_BINARY_SCALAR_API(div)
EMBER_BINARY_SCALAR_API(pow)
EMBER_BINARY_SCALAR_API(eq)
EMBER_BINARY_SCALAR_API(ne)
EMBER_BINARY_SCALAR_API(lt)
EMBER_BINARY_SCALAR_API(le)
EMBER_BINARY_SCALAR_API(gt)
EMBER_BINARY_SCALAR_API(ge)
EMBER_BINARY_API(maximum)
EMBER_BINARY_API(minimum)
EMBER_BINARY_API(logical_and)
EMBER_BINARY_API(logical_or)
EMBER_BINARY_API(logical_xor)
#undef EMBER_BINARY_API
#undef EMBER_BINARY_SCALAR_API

Tensor add(const Tensor &a, const Tensor &b, const Scalar &alpha, Loc loc) {
  return dispatch1(OpId::add, {a, b}, {{"alpha", alpha}}, loc);
}
Tensor add(const Tensor &a, const Scalar &b, const Scalar &alpha, Loc loc) {
  return dispatch1(OpId::add, {a, scalar_to_tensor(b)}, {{"alpha", alpha}},
                   loc);
}
Tensor sub(const Tensor &a, const Tensor &b, const Scalar &alpha, Loc loc) {
  return dispatch1(OpId::sub, {a, b}, {{"alpha", alpha}}, loc);
}
Tensor sub(const Tensor &a, const Scalar &b, const Scalar &alpha, Loc loc) {
  return dispatch1(OpId::sub, {a, scalar_to_tensor(b)}, {{"alpha", alpha}},
                   loc);
}
Tensor pow(const Scalar &a, const Tensor &b, Loc loc) {
  return dispatch1(OpId::pow, {scalar_to_tensor(a), b}, {}, loc);
}

Tensor where(const Tensor &cond, const Tensor &a, const Tensor &b, Loc loc) {
  return dispatch1(OpId::where, {cond, a, b}, {}, loc);
}
Tensor where(const Tensor &cond, const Tensor &a, const Scalar &b, Loc loc) {
  return dispatch1(OpId::where, {cond, a, scalar_to_tensor(b)}, {}, loc);
}
Tensor where(const Tensor &cond, const Scalar &a, const Tensor &b, Loc loc) {
  return dispatch1(OpId::where, {cond, scalar_to_tensor(a), b}, {}, loc);
}
Tensor masked_fill(const Tensor &x, const Tensor &mask, const Scalar &value,
                   Loc loc) {
  return dispatch1(OpId::masked_fill, {x, mask}, {{"value", value}}, loc);
}

} // namespace ember

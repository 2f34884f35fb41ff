//===- ElementwiseRules.cpp - gradients of the elementwise ops ------------===//
//
// Vector-Jacobian products of the unary and binary elementwise ops, where,
// clamp, masked_fill, their in-place forms and the copy ops. The formulas
// are those of the eager tape (frontend/src/autograd/rules_elementwise.cpp,
// after PyTorch's derivatives.yaml): relu passes the gradient where the
// output is > 0, abs multiplies by sign(x), maximum/minimum split it evenly
// between equal operands, clamp passes it where min <= x <= max, and sign,
// floor, ceil and round have a zero gradient (null). Broadcast operands get
// their gradient through GradBuilder::sumTo; integer and bool operands get
// null.
//
//===----------------------------------------------------------------------===//

#include "GradientUtils.h"

#include <cmath>

using namespace mlir;
using namespace mlir::ember;
using namespace mlir::ember::grad;

namespace {

using Grads = SmallVectorImpl<Value>;

/// A unary op whose input gradient is `f(gb, x, y, g)`.
template <typename F>
LogicalResult unary(Operation *op, OpBuilder &b, ArrayRef<Value> resultGrads,
                    Grads &operandGrads, F f) {
  return singleInputRule(
      op, b, resultGrads, operandGrads, [&](GradBuilder &gb, Value x, Value g) {
        return gb.sumTo(f(gb, x, op->getResult(0), g), x.getType());
      });
}

/// A binary op whose operand gradients are `f(gb, a, c, y, g)` (in the
/// broadcast shape; reduced and cast here). Extra operands get null.
template <typename F>
LogicalResult binary(Operation *op, OpBuilder &b, ArrayRef<Value> resultGrads,
                     Grads &operandGrads, F f) {
  Value a = op->getOperand(0), c = op->getOperand(1);
  bool fa = isFloatTensor(a.getType()), fc = isFloatTensor(c.getType());
  Value g = resultGrads[0];
  if (!g || (!fa && !fc)) {
    operandGrads.append(op->getNumOperands(), nullptr);
    return success();
  }
  GradBuilder gb(b, op->getLoc());
  auto [ga, gc] = f(gb, a, c, op->getResult(0), g);
  operandGrads.push_back(fa && ga ? gb.sumTo(ga, a.getType()) : nullptr);
  operandGrads.push_back(fc && gc ? gb.sumTo(gc, c.getType()) : nullptr);
  for (unsigned i = 2; i < op->getNumOperands(); ++i)
    operandGrads.push_back(nullptr);
  return success();
}

/// The gradients of a piecewise-constant op: none (zero).
LogicalResult zeroGrad(Operation *op, Grads &operandGrads) {
  operandGrads.append(op->getNumOperands(), nullptr);
  return success();
}

using Pair = std::pair<Value, Value>;

Value alphaTimes(GradBuilder &gb, Operation *op, Value g) {
  double alpha = scalarOf(op->getAttr("alpha"), 1.0);
  return alpha == 1.0 ? g : gb.mul(g, alpha);
}

Pair addGrad(GradBuilder &gb, Operation *op, Value g) {
  return {g, alphaTimes(gb, op, g)};
}
Pair subGrad(GradBuilder &gb, Operation *op, Value g) {
  return {g, gb.neg(alphaTimes(gb, op, g))};
}
Pair mulGrad(GradBuilder &gb, Value a, Value c, Value g) {
  return {gb.mul(g, c), gb.mul(g, a)};
}
Pair divGrad(GradBuilder &gb, Value a, Value c, Value g) {
  // d/da = g / c; d/dc = -g * a / (c * c).
  return {gb.div(g, c), gb.div(gb.mul(gb.neg(g), a), gb.mul(c, c))};
}

/// max/min: the gradient goes to the winner, halved between equal operands.
Pair extremumGrad(GradBuilder &gb, Value a, Value c, Value g, bool isMax) {
  Value equal = gb.create<EqOp>({a, c});
  Value shared = gb.create<WhereOp>({equal, gb.mul(g, 0.5), g});
  Value aWins = isMax ? gb.create<GtOp>({a, c}) : gb.create<LtOp>({a, c});
  Value cWins = isMax ? gb.create<GtOp>({c, a}) : gb.create<LtOp>({c, a});
  return {gb.zeroWhere(cWins, shared), gb.zeroWhere(aWins, shared)};
}

/// clamp(x, min, max): the gradient where min <= x <= max.
Value clampGrad(GradBuilder &gb, Operation *op, Value x, Value g) {
  Value keep;
  if (Attribute lo = op->getAttr("min"))
    keep = gb.create<GeOp>({x, gb.scalar(x, scalarOf(lo, 0.0))});
  if (Attribute hi = op->getAttr("max")) {
    Value le = gb.create<LeOp>({x, gb.scalar(x, scalarOf(hi, 0.0))});
    keep = keep ? gb.create<LogicalAndOp>({keep, le}) : le;
  }
  return keep ? gb.keepWhere(keep, g) : g;
}

LogicalResult maskedFillGrad(Operation *op, OpBuilder &b,
                             ArrayRef<Value> resultGrads, Grads &operandGrads) {
  Value x = op->getOperand(0), mask = op->getOperand(1);
  if (!resultGrads[0] || !isFloatTensor(x.getType()))
    return zeroGrad(op, operandGrads);
  GradBuilder gb(b, op->getLoc());
  Value g = gb.zeroWhere(mask, resultGrads[0]);
  operandGrads.push_back(gb.sumTo(g, x.getType()));
  operandGrads.push_back(nullptr);
  return success();
}

} // namespace

#define UNARY_RULE(OP, ...)                                                    \
  LogicalResult OP::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,   \
                                  Grads &operandGrads) {                       \
    return unary(*this, b, resultGrads, operandGrads,                          \
                 [&](GradBuilder &gb, Value x, Value y, Value g) -> Value {    \
                   (void)gb;                                                   \
                   (void)x;                                                    \
                   (void)y;                                                    \
                   __VA_ARGS__                                                 \
                 });                                                           \
  }

UNARY_RULE(NegOp, return gb.neg(g);)
UNARY_RULE(AbsOp, return gb.mul(g, gb.create<SignOp>({x}));)
UNARY_RULE(ExpOp, return gb.mul(g, y);)
UNARY_RULE(LogOp, return gb.div(g, x);)
UNARY_RULE(Log1pOp, return gb.div(g, gb.add(x, gb.scalar(x, 1.0)));)
UNARY_RULE(SqrtOp, return gb.div(g, gb.mul(y, 2.0));)
UNARY_RULE(RsqrtOp, return gb.mul(g, gb.mul(gb.mul(gb.mul(y, y), y), -0.5));)
UNARY_RULE(SinOp, return gb.mul(g, gb.create<CosOp>({x}));)
UNARY_RULE(CosOp, return gb.neg(gb.mul(g, gb.create<SinOp>({x})));)
UNARY_RULE(TanhOp, return gb.mul(g, gb.sub(gb.scalar(y, 1.0), gb.mul(y, y)));)
UNARY_RULE(SigmoidOp,
           return gb.mul(g, gb.mul(y, gb.sub(gb.scalar(y, 1.0), y)));)
UNARY_RULE(ReluOp,
           return gb.keepWhere(gb.create<GtOp>({y, gb.scalar(y, 0.0)}), g);)
UNARY_RULE(ContiguousOp, return g;)
UNARY_RULE(CloneOp, return g;)
UNARY_RULE(ToDtypeOp, return g;)
UNARY_RULE(ToDeviceOp, return g;)
UNARY_RULE(ClampOp, return clampGrad(gb, *this, x, g);)
UNARY_RULE(ClampInplaceOp, return clampGrad(gb, *this, x, g);)
#undef UNARY_RULE

LogicalResult GeluOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                    Grads &operandGrads) {
  bool tanhForm = getApproximate() == "tanh";
  return unary(*this, b, resultGrads, operandGrads,
               [&](GradBuilder &gb, Value x, Value y, Value g) -> Value {
                 if (tanhForm) {
                   // t = tanh(k (x + b x^3));
                   // d = (1 + t) / 2 + x (1 - t^2) (3 b x^2 + 1) k / 2.
                   const double k = std::sqrt(2.0 / M_PI), c = 0.044715;
                   Value x2 = gb.mul(x, x);
                   Value inner = gb.mul(gb.add(x, gb.mul(gb.mul(x2, x), c)), k);
                   Value t = gb.create<TanhOp>({inner});
                   Value one = gb.scalar(x, 1.0);
                   Value left = gb.mul(gb.add(t, one), 0.5);
                   Value dt = gb.sub(one, gb.mul(t, t));
                   Value poly = gb.add(gb.mul(x2, 3.0 * c), one);
                   Value right = gb.mul(gb.mul(gb.mul(x, dt), poly), 0.5 * k);
                   return gb.mul(g, gb.add(left, right));
                 }
                 // y = x cdf(x): cdf = y / x (0.5 at x = 0); d = cdf + x
                 // pdf(x).
                 Value zero = gb.scalar(x, 0.0);
                 Value isZero = gb.create<EqOp>({x, zero});
                 Value cdf = gb.create<WhereOp>(
                     {isZero, gb.scalar(x, 0.5), gb.div(y, x)});
                 Value pdf =
                     gb.mul(gb.create<ExpOp>({gb.mul(gb.mul(x, x), -0.5)}),
                            1.0 / std::sqrt(2.0 * M_PI));
                 return gb.mul(g, gb.add(cdf, gb.mul(x, pdf)));
               });
}

LogicalResult SignOp::buildGradient(OpBuilder &, ArrayRef<Value>,
                                    Grads &operandGrads) {
  return zeroGrad(*this, operandGrads);
}
LogicalResult FloorOp::buildGradient(OpBuilder &, ArrayRef<Value>,
                                     Grads &operandGrads) {
  return zeroGrad(*this, operandGrads);
}
LogicalResult CeilOp::buildGradient(OpBuilder &, ArrayRef<Value>,
                                    Grads &operandGrads) {
  return zeroGrad(*this, operandGrads);
}
LogicalResult RoundOp::buildGradient(OpBuilder &, ArrayRef<Value>,
                                     Grads &operandGrads) {
  return zeroGrad(*this, operandGrads);
}

#define BINARY_RULE(OP, ...)                                                   \
  LogicalResult OP::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,   \
                                  Grads &operandGrads) {                       \
    Operation *op = *this;                                                     \
    return binary(                                                             \
        op, b, resultGrads, operandGrads,                                      \
        [&](GradBuilder &gb, Value a, Value c, Value y, Value g) -> Pair {     \
          (void)op;                                                            \
          (void)a;                                                             \
          (void)c;                                                             \
          (void)y;                                                             \
          __VA_ARGS__                                                          \
        });                                                                    \
  }

BINARY_RULE(AddOp, return addGrad(gb, op, g);)
BINARY_RULE(AddInplaceOp, return addGrad(gb, op, g);)
BINARY_RULE(SubOp, return subGrad(gb, op, g);)
BINARY_RULE(SubInplaceOp, return subGrad(gb, op, g);)
BINARY_RULE(MulOp, return mulGrad(gb, a, c, g);)
BINARY_RULE(MulInplaceOp, return mulGrad(gb, a, c, g);)
BINARY_RULE(DivOp, return divGrad(gb, a, c, g);)
BINARY_RULE(DivInplaceOp, return divGrad(gb, a, c, g);)
BINARY_RULE(MaximumOp, return extremumGrad(gb, a, c, g, true);)
BINARY_RULE(MinimumOp, return extremumGrad(gb, a, c, g, false);)
// d/da a^c = c a^(c-1) (0 where c == 0); d/dc a^c = a^c log a (0 where
// a == 0 and c >= 0).
BINARY_RULE(PowOp, {
  Value zeroC = gb.create<EqOp>({c, gb.scalar(c, 0.0)});
  Value da =
      gb.mul(gb.mul(g, c), gb.create<PowOp>({a, gb.sub(c, gb.scalar(c, 1.0))}));
  Value zeroA = gb.create<EqOp>({a, gb.scalar(a, 0.0)});
  Value cNonNeg = gb.create<GeOp>({c, gb.scalar(c, 0.0)});
  Value dc = gb.mul(gb.mul(g, y), gb.create<LogOp>({a}));
  return {gb.zeroWhere(zeroC, da),
          gb.zeroWhere(gb.create<LogicalAndOp>({zeroA, cNonNeg}), dc)};
})
#undef BINARY_RULE

LogicalResult WhereOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                     Grads &operandGrads) {
  Value cond = getCondition(), lhs = getLhs(), rhs = getRhs();
  Value g = resultGrads[0];
  operandGrads.push_back(nullptr);
  GradBuilder gb(b, getLoc());
  operandGrads.push_back(g && isFloatTensor(lhs.getType())
                             ? gb.sumTo(gb.keepWhere(cond, g), lhs.getType())
                             : nullptr);
  operandGrads.push_back(g && isFloatTensor(rhs.getType())
                             ? gb.sumTo(gb.zeroWhere(cond, g), rhs.getType())
                             : nullptr);
  return success();
}

LogicalResult MaskedFillOp::buildGradient(OpBuilder &b,
                                          ArrayRef<Value> resultGrads,
                                          Grads &operandGrads) {
  return maskedFillGrad(*this, b, resultGrads, operandGrads);
}
LogicalResult MaskedFillInplaceOp::buildGradient(OpBuilder &b,
                                                 ArrayRef<Value> resultGrads,
                                                 Grads &operandGrads) {
  return maskedFillGrad(*this, b, resultGrads, operandGrads);
}

// fill_ and zero_ overwrite `self`: no gradient reaches it (nor the value).
LogicalResult FillInplaceOp::buildGradient(OpBuilder &, ArrayRef<Value>,
                                           Grads &operandGrads) {
  return zeroGrad(*this, operandGrads);
}
LogicalResult ZeroInplaceOp::buildGradient(OpBuilder &, ArrayRef<Value>,
                                           Grads &operandGrads) {
  return zeroGrad(*this, operandGrads);
}
// copy_: `self` is overwritten; `src` (broadcast to self) gets the gradient.
LogicalResult CopyInplaceOp::buildGradient(OpBuilder &b,
                                           ArrayRef<Value> resultGrads,
                                           Grads &operandGrads) {
  Value src = getSrc();
  operandGrads.push_back(nullptr);
  if (!resultGrads[0] || !isFloatTensor(src.getType())) {
    operandGrads.push_back(nullptr);
    return success();
  }
  GradBuilder gb(b, getLoc());
  operandGrads.push_back(gb.sumTo(resultGrads[0], src.getType()));
  return success();
}

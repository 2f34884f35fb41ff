//===- GradientUtils.h - helpers shared by the gradient rules ---*- C++ -*-===//
//
// The gradient rules (DifferentiableOpInterface::buildGradient, one file per
// op family in this folder) build ember ops with GradBuilder: typed creation
// with result types inferred by the ops' own shape rules, scalar literals,
// and the one broadcasting helper, sumTo, that reduces a gradient to an
// operand's type (sum over the leading dims the operand lacks, sum with
// keepdim over the dims where the operand has size 1, then a cast to the
// operand's element type). Rules create their ops at the op's own location;
// the autodiff pass re-tags them as backward ops.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_IR_GRADIENTS_GRADIENTUTILS_H
#define EMBER_IR_GRADIENTS_GRADIENTUTILS_H

#include "ember/IR/EmberOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::ember::grad {

/// Whether `t` is a tensor with a floating element type (only those carry
/// gradients; integer and bool operands get null).
bool isFloatTensor(Type t);

/// The value of a Scalar attribute (F64, I64 or bool) as a double.
double scalarOf(Attribute attr, double otherwise);

/// Wraps `dim` (negative counts from the end) into [0, rank).
int64_t wrapDim(int64_t dim, int64_t rank);

class GradBuilder {
public:
  GradBuilder(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  OpBuilder &builder() { return b; }
  Location location() const { return loc; }

  /// Creates OpT on `operands` with `attrs`; the result types come from the
  /// op's shape rule. Returns the first result.
  template <typename OpT>
  Value create(ValueRange operands, ArrayRef<NamedAttribute> attrs = {}) {
    return b.create<OpT>(loc, operands, attrs)->getResult(0);
  }
  NamedAttribute attr(StringRef name, Attribute value) {
    return b.getNamedAttr(name, value);
  }
  NamedAttribute i64(StringRef name, int64_t v) {
    return attr(name, b.getI64IntegerAttr(v));
  }
  NamedAttribute i64s(StringRef name, ArrayRef<int64_t> v) {
    return attr(name, b.getDenseI64ArrayAttr(v));
  }

  /// A 0-d literal `v` of `like`'s element type.
  Value scalar(Value like, double v);
  /// A literal of type `type` filled with `v` (a splat).
  Value splat(RankedTensorType type, double v);
  /// A literal of type `type` filled with zeros.
  Value zeros(Type type) { return splat(cast<RankedTensorType>(type), 0.0); }

  Value add(Value a, Value c) { return create<AddOp>({a, c}); }
  Value sub(Value a, Value c) { return create<SubOp>({a, c}); }
  Value mul(Value a, Value c) { return create<MulOp>({a, c}); }
  Value div(Value a, Value c) { return create<DivOp>({a, c}); }
  Value neg(Value a) { return create<NegOp>({a}); }
  Value mul(Value a, double v) { return mul(a, scalar(a, v)); }
  /// `cond ? a : 0`, and `cond ? 0 : a`.
  Value keepWhere(Value cond, Value a) {
    return create<WhereOp>({cond, a, scalar(a, 0.0)});
  }
  Value zeroWhere(Value cond, Value a) {
    return create<WhereOp>({cond, scalar(a, 0.0), a});
  }

  /// `v` cast to element type `elem` (no op when it has it already).
  Value castTo(Value v, Type elem);
  Value reshape(Value v, ArrayRef<int64_t> shape);
  Value expand(Value v, ArrayRef<int64_t> shape);
  Value transpose(Value v, int64_t dim0, int64_t dim1);
  Value sum(Value v, ArrayRef<int64_t> dims, bool keepdim);

  /// The broadcasting helper: `g` (of the broadcast shape) summed down to
  /// `target`'s shape and cast to its element type.
  Value sumTo(Value g, Type target);

private:
  OpBuilder &b;
  Location loc;
};

/// The shape of a ranked tensor value.
inline ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

/// The rule of a one-input op: no gradient for a non-float input or when
/// the result gets none; otherwise `f(gb, x, g)` with `g` the result's
/// gradient.
template <typename F>
LogicalResult singleInputRule(Operation *op, OpBuilder &b,
                              ArrayRef<Value> resultGrads,
                              SmallVectorImpl<Value> &operandGrads, F f) {
  Value x = op->getOperand(0);
  if (!resultGrads[0] || !isFloatTensor(x.getType())) {
    operandGrads.push_back(nullptr);
    return success();
  }
  GradBuilder gb(b, op->getLoc());
  operandGrads.push_back(f(gb, x, resultGrads[0]));
  return success();
}

} // namespace mlir::ember::grad

#endif // EMBER_IR_GRADIENTS_GRADIENTUTILS_H

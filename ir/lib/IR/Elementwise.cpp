//===- Elementwise.cpp - elementwise ops: rules and folders ---------------===//
//
// Shape/dtype rules of the unary, binary, comparison, ternary and clamp ops
// and their in-place forms (frontend/src/ops/unary.cpp and binary.cpp), and
// their folders. Folders only do what is exact: identities when the result
// type is the operand's type (x + -0.0, x - 0, x * 1, x / 1, -(-x),
// relu(relu(x)), max(x, x), where of a splat condition, ...), and constant
// folding of small literals whose element type is the result's (comparisons:
// of literals of one element type).
//
//===----------------------------------------------------------------------===//

#include "ConstantFold.h"
#include "TypeRules.h"

#include "ember/IR/EmberOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::ember;

//===----------------------------------------------------------------------===//
// Rules
//===----------------------------------------------------------------------===//

LogicalResult rules::unarySameType(const RuleInput &in,
                                   SmallVectorImpl<ResultSpec> &results) {
  if (in.op == "neg" && isBoolType(in.elementType(0)))
    return in.emitError()
           << "negation of a bool tensor is not supported (use logical_not)";
  results.push_back(result(in.shape(0), in.elementType(0)));
  return success();
}

LogicalResult rules::unaryFloat(const RuleInput &in,
                                SmallVectorImpl<ResultSpec> &results) {
  results.push_back(result(in.shape(0), floatCandidates(in.elementType(0))));
  return success();
}

LogicalResult rules::gelu(const RuleInput &in,
                          SmallVectorImpl<ResultSpec> &results) {
  if (!isFloatType(in.elementType(0)))
    return in.emitError() << "expects a floating point operand, got "
                          << in.operand(0);
  auto approximate = dyn_cast_or_null<StringAttr>(in.attr("approximate"));
  if (approximate && approximate.getValue() != "none" &&
      approximate.getValue() != "tanh")
    return in.emitError() << "approximate must be \"none\" or \"tanh\", got \""
                          << approximate.getValue() << "\"";
  results.push_back(result(in.shape(0), in.elementType(0)));
  return success();
}

LogicalResult rules::logicalNot(const RuleInput &in,
                                SmallVectorImpl<ResultSpec> &results) {
  results.push_back(result(in.shape(0), IntegerType::get(in.context, 1)));
  return success();
}

static LogicalResult checkClampBounds(const RuleInput &in) {
  if (!in.has("min") && !in.has("max"))
    return in.emitError() << "at least one of 'min' or 'max' must be given";
  return success();
}

LogicalResult rules::clamp(const RuleInput &in,
                           SmallVectorImpl<ResultSpec> &results) {
  if (failed(checkClampBounds(in)))
    return failure();
  Type element = in.elementType(0);
  bool floatBound = in.isFloatScalar("min") || in.isFloatScalar("max");
  if (floatBound && !isFloatType(element))
    results.push_back(result(in.shape(0), floatCandidates(element)));
  else
    results.push_back(result(in.shape(0), element));
  return success();
}

LogicalResult rules::clampInplace(const RuleInput &in,
                                  SmallVectorImpl<ResultSpec> &results) {
  if (failed(checkClampBounds(in)))
    return failure();
  Type element = in.elementType(0);
  if ((in.isFloatScalar("min") || in.isFloatScalar("max")) &&
      !isFloatType(element))
    return in.emitError() << "a floating point bound cannot be written into "
                          << in.operand(0);
  results.push_back(result(in.shape(0), element));
  return success();
}

/// The broadcast shape of operands `a` and `b`, or an error naming both.
static FailureOr<SmallVector<int64_t>>
broadcastOperands(const RuleInput &in, size_t a, size_t b, StringRef what) {
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(in.shape(a), in.shape(b));
  if (failed(shape))
    return in.emitError() << what << " shapes are not broadcast-compatible: "
                          << formatShape(in.shape(a)) << " and "
                          << formatShape(in.shape(b));
  return shape;
}

/// A floating `alpha` needs a floating result (eager's binary_op check).
static LogicalResult checkAlpha(const RuleInput &in,
                                ArrayRef<Type> candidates) {
  if (!in.isFloatScalar("alpha"))
    return success();
  if (llvm::any_of(candidates, isFloatType))
    return success();
  return in.emitError() << "for integral input tensors, alpha must not be a "
                           "floating point number (result type "
                        << candidates.front() << ")";
}

LogicalResult rules::binaryArith(const RuleInput &in,
                                 SmallVectorImpl<ResultSpec> &results) {
  FailureOr<SmallVector<int64_t>> shape =
      broadcastOperands(in, 0, 1, "operand");
  if (failed(shape))
    return failure();
  SmallVector<Type, 2> candidates = resultTypeCandidates(in.operands);
  if (in.op == "sub") {
    llvm::erase_if(candidates, isBoolType);
    if (candidates.empty())
      return in.emitError() << "subtraction of bool tensors is not supported "
                               "(use logical_xor)";
  }
  if (failed(checkAlpha(in, candidates)))
    return failure();
  results.push_back(result(*shape, candidates));
  return success();
}

/// The dtype true division computes in: floating, else the default float.
static SmallVector<Type, 2> divisionTypes(ArrayRef<Type> candidates) {
  SmallVector<Type, 2> types;
  for (Type type : candidates)
    for (Type t : floatCandidates(type))
      if (!llvm::is_contained(types, t))
        types.push_back(t);
  return types;
}

LogicalResult rules::binaryDiv(const RuleInput &in,
                               SmallVectorImpl<ResultSpec> &results) {
  FailureOr<SmallVector<int64_t>> shape =
      broadcastOperands(in, 0, 1, "operand");
  if (failed(shape))
    return failure();
  results.push_back(
      result(*shape, divisionTypes(resultTypeCandidates(in.operands))));
  return success();
}

LogicalResult rules::binaryBool(const RuleInput &in,
                                SmallVectorImpl<ResultSpec> &results) {
  FailureOr<SmallVector<int64_t>> shape =
      broadcastOperands(in, 0, 1, "operand");
  if (failed(shape))
    return failure();
  results.push_back(result(*shape, IntegerType::get(in.context, 1)));
  return success();
}

/// `other` (operand `b`) must broadcast to `self`'s shape.
static LogicalResult checkBroadcastsTo(const RuleInput &in, size_t b,
                                       StringRef what) {
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(in.shape(0), in.shape(b));
  if (failed(shape) || failed(verifyCompatibleShape(*shape, in.shape(0))))
    return in.emitError() << what << " of shape " << formatShape(in.shape(b))
                          << " does not broadcast to self's shape "
                          << formatShape(in.shape(0));
  return success();
}

LogicalResult rules::binaryInplace(const RuleInput &in,
                                   SmallVectorImpl<ResultSpec> &results) {
  if (failed(checkBroadcastsTo(in, 1, "other")))
    return failure();
  SmallVector<Type, 2> candidates = resultTypeCandidates(in.operands);
  if (in.op == "div_")
    candidates = divisionTypes(candidates);
  if (in.op == "sub_") {
    llvm::erase_if(candidates, isBoolType);
    if (candidates.empty())
      return in.emitError() << "subtraction of bool tensors is not supported "
                               "(use logical_xor)";
  }
  Type self = in.elementType(0);
  if (llvm::none_of(candidates, [&](Type t) { return canCast(t, self); }))
    return in.emitError() << "result type " << candidates.front()
                          << " can't be cast to the desired output type "
                          << self;
  if (failed(checkAlpha(in, candidates)))
    return failure();
  results.push_back(result(in.shape(0), self));
  return success();
}

LogicalResult rules::where(const RuleInput &in,
                           SmallVectorImpl<ResultSpec> &results) {
  if (!isBoolType(in.elementType(0)))
    return in.emitError() << "expects an i1 (bool) condition, got "
                          << in.operand(0);
  FailureOr<SmallVector<int64_t>> shape =
      broadcastOperands(in, 0, 1, "condition and lhs");
  if (failed(shape))
    return failure();
  FailureOr<SmallVector<int64_t>> all = broadcastShapes(*shape, in.shape(2));
  if (failed(all))
    return in.emitError() << "operand shapes are not broadcast-compatible: "
                          << formatShape(in.shape(0)) << ", "
                          << formatShape(in.shape(1)) << " and "
                          << formatShape(in.shape(2));
  results.push_back(
      result(*all, resultTypeCandidates(ArrayRef(in.operands).drop_front())));
  return success();
}

static LogicalResult checkMask(const RuleInput &in) {
  if (!isBoolType(in.elementType(1)))
    return in.emitError() << "expects an i1 (bool) mask, got " << in.operand(1);
  if (in.isFloatScalar("value") && !isFloatType(in.elementType(0)))
    return in.emitError() << "a floating point value cannot be converted to "
                          << in.elementType(0);
  return success();
}

LogicalResult rules::maskedFill(const RuleInput &in,
                                SmallVectorImpl<ResultSpec> &results) {
  if (failed(checkMask(in)))
    return failure();
  FailureOr<SmallVector<int64_t>> shape =
      broadcastOperands(in, 0, 1, "input and mask");
  if (failed(shape))
    return failure();
  results.push_back(result(*shape, in.elementType(0)));
  return success();
}

LogicalResult rules::maskedFillInplace(const RuleInput &in,
                                       SmallVectorImpl<ResultSpec> &results) {
  if (failed(checkMask(in)) || failed(checkBroadcastsTo(in, 1, "mask")))
    return failure();
  results.push_back(result(in.shape(0), in.elementType(0)));
  return success();
}

//===----------------------------------------------------------------------===//
// Folders
//===----------------------------------------------------------------------===//

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  // -(-x) is x, wrap-around included.
  if (auto inner = getInput().getDefiningOp<NegOp>())
    return inner.getInput();
  return foldUnaryConstant(
      adaptor.getInput(), getType(), [](const APInt &v) { return -v; },
      [](const APFloat &v) { return neg(v); });
}

OpFoldResult AbsOp::fold(FoldAdaptor adaptor) {
  if (getType().getElementType().isUnsignedInteger() ||
      isBoolType(getType().getElementType()))
    return getInput();
  return foldUnaryConstant(
      adaptor.getInput(), getType(), [](const APInt &v) { return v.abs(); },
      [](const APFloat &v) { return abs(v); });
}

OpFoldResult ExpOp::fold(FoldAdaptor adaptor) {
  return foldUnaryConstant(
      adaptor.getInput(), getType(), nullptr, [](const APFloat &v) {
        return applyToDouble(v, [](double x) { return std::exp(x); });
      });
}

OpFoldResult SqrtOp::fold(FoldAdaptor adaptor) {
  return foldUnaryConstant(
      adaptor.getInput(), getType(), nullptr, [](const APFloat &v) {
        return applyToDouble(v, [](double x) { return std::sqrt(x); });
      });
}

OpFoldResult ReluOp::fold(FoldAdaptor adaptor) {
  Type elementType = getType().getElementType();
  // relu is the identity on unsigned and bool tensors, and idempotent.
  if (elementType.isUnsignedInteger() || isBoolType(elementType) ||
      getInput().getDefiningOp<ReluOp>())
    return getInput();
  return foldUnaryConstant(
      adaptor.getInput(), getType(),
      [](const APInt &v) {
        return v.isNegative() ? APInt::getZero(v.getBitWidth()) : v;
      },
      [](const APFloat &v) {
        // x < 0 ? 0 : x, so NaN and -0.0 pass through as in torch.relu.
        if (v.isNaN() || v.isZero() || !v.isNegative())
          return v;
        return APFloat::getZero(v.getSemantics());
      });
}

OpFoldResult FloorOp::fold(FoldAdaptor adaptor) {
  if (!isFloatType(getType().getElementType()))
    return getInput(); // eager: the identity on integers
  return foldUnaryConstant(adaptor.getInput(), getType(), nullptr,
                           [](const APFloat &v) {
                             APFloat r = v;
                             r.roundToIntegral(APFloat::rmTowardNegative);
                             return r;
                           });
}

OpFoldResult CeilOp::fold(FoldAdaptor adaptor) {
  if (!isFloatType(getType().getElementType()))
    return getInput();
  return foldUnaryConstant(adaptor.getInput(), getType(), nullptr,
                           [](const APFloat &v) {
                             APFloat r = v;
                             r.roundToIntegral(APFloat::rmTowardPositive);
                             return r;
                           });
}

/// Whether an optional `alpha` is absent or exactly 1.
static bool isUnitAlpha(Attribute alpha) {
  if (!alpha)
    return true;
  if (auto f = dyn_cast<FloatAttr>(alpha))
    return f.getValue().isExactlyValue(1.0);
  if (auto i = dyn_cast<IntegerAttr>(alpha))
    return i.getValue() == 1;
  return false;
}

static bool isNegZero(const APFloat &v) { return v.isZero() && v.isNegative(); }

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  // x + alpha * 0 -> x; for floats only -0.0 is exact (-0.0 + +0.0 is +0.0).
  // alpha * -0.0 is -0.0 only for alpha > 0, so only alpha == 1 is taken.
  bool unitAlpha = isUnitAlpha(getAlphaAttr());
  if (unitAlpha && getType() == getLhs().getType() &&
      isSplatIdentity(adaptor.getRhs(), 0, isNegZero))
    return getLhs();
  if (unitAlpha && getType() == getRhs().getType() &&
      isSplatIdentity(adaptor.getLhs(), 0, isNegZero))
    return getRhs();
  if (!unitAlpha)
    return {};
  return foldBinaryConstants(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b) {
        // bool + bool is a logical or in PyTorch.
        return a.getBitWidth() == 1 ? a | b : a + b;
      },
      [](const APFloat &a, const APFloat &b) { return a + b; });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  // x - alpha * 0 -> x; for floats only +0.0 is exact (-0.0 - -0.0 is +0.0).
  bool unitAlpha = isUnitAlpha(getAlphaAttr());
  if (unitAlpha && getType() == getLhs().getType() &&
      isSplatIdentity(adaptor.getRhs(), 0,
                      [](const APFloat &v) { return v.isPosZero(); }))
    return getLhs();
  if (!unitAlpha)
    return {};
  return foldBinaryConstants(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b) { return a - b; },
      [](const APFloat &a, const APFloat &b) { return a - b; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  // x * 1 -> x (exact for every element type; on i1, 1 is true).
  if (getType() == getLhs().getType() &&
      isSplatIdentity(adaptor.getRhs(), 1,
                      [](const APFloat &v) { return v.isExactlyValue(1.0); }))
    return getLhs();
  return foldBinaryConstants(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b) {
        return a.getBitWidth() == 1 ? a & b : a * b;
      },
      [](const APFloat &a, const APFloat &b) { return a * b; });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  // x / 1 -> x (exact; only floats, integer division has a float result).
  if (getType() == getLhs().getType() &&
      isSplatIdentity(adaptor.getRhs(), 1,
                      [](const APFloat &v) { return v.isExactlyValue(1.0); }))
    return getLhs();
  return foldBinaryConstants(
      adaptor.getLhs(), adaptor.getRhs(), getType(), nullptr,
      [](const APFloat &a, const APFloat &b) { return a / b; });
}

/// max/min that propagate NaN, as torch.maximum/minimum.
static APFloat nanPropagating(const APFloat &a, const APFloat &b, bool max) {
  if (a.isNaN())
    return a;
  if (b.isNaN())
    return b;
  return max ? maximum(a, b) : minimum(a, b);
}

OpFoldResult MaximumOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs() && getType() == getLhs().getType())
    return getLhs();
  bool isUnsigned = getType().getElementType().isUnsignedInteger();
  return foldBinaryConstants(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [isUnsigned](const APInt &a, const APInt &b) {
        return isUnsigned || a.getBitWidth() == 1 ? llvm::APIntOps::umax(a, b)
                                                  : llvm::APIntOps::smax(a, b);
      },
      [](const APFloat &a, const APFloat &b) {
        return nanPropagating(a, b, true);
      });
}

OpFoldResult MinimumOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs() && getType() == getLhs().getType())
    return getLhs();
  bool isUnsigned = getType().getElementType().isUnsignedInteger();
  return foldBinaryConstants(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [isUnsigned](const APInt &a, const APInt &b) {
        return isUnsigned || a.getBitWidth() == 1 ? llvm::APIntOps::umin(a, b)
                                                  : llvm::APIntOps::smin(a, b);
      },
      [](const APFloat &a, const APFloat &b) {
        return nanPropagating(a, b, false);
      });
}

OpFoldResult LogicalNotOp::fold(FoldAdaptor) {
  // not(not(b)) is b for a bool b (for other types it is b != 0).
  if (auto inner = getInput().getDefiningOp<LogicalNotOp>())
    if (inner.getInput().getType() == getType())
      return inner.getInput();
  return {};
}

OpFoldResult WhereOp::fold(FoldAdaptor adaptor) {
  auto condition = dyn_cast_or_null<DenseElementsAttr>(adaptor.getCondition());
  if (!condition || !condition.isSplat())
    return {};
  Value selected =
      condition.getSplatValue<APInt>().isZero() ? getRhs() : getLhs();
  if (selected.getType() == getType())
    return selected;
  return {};
}

namespace {
enum class Comparison { Eq, Ne, Lt, Le, Gt, Ge };
} // namespace

/// Folds a comparison of two literals (torch semantics: NaN compares false
/// except with ne; unsigned and bool compare unsigned).
static OpFoldResult foldComparison(Attribute lhs, Attribute rhs, Type type,
                                   Comparison kind) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(lhs);
  bool isUnsigned = dense && (dense.getElementType().isUnsignedInteger() ||
                              dense.getElementType().isSignlessInteger(1));
  auto onInts = [&](const APInt &a, const APInt &b) {
    switch (kind) {
    case Comparison::Eq:
      return a == b;
    case Comparison::Ne:
      return a != b;
    case Comparison::Lt:
      return isUnsigned ? a.ult(b) : a.slt(b);
    case Comparison::Le:
      return isUnsigned ? a.ule(b) : a.sle(b);
    case Comparison::Gt:
      return isUnsigned ? a.ugt(b) : a.sgt(b);
    case Comparison::Ge:
      return isUnsigned ? a.uge(b) : a.sge(b);
    }
    return false;
  };
  auto onFloats = [&](const APFloat &a, const APFloat &b) {
    APFloat::cmpResult r = a.compare(b);
    switch (kind) {
    case Comparison::Eq:
      return r == APFloat::cmpEqual;
    case Comparison::Ne:
      return r != APFloat::cmpEqual;
    case Comparison::Lt:
      return r == APFloat::cmpLessThan;
    case Comparison::Le:
      return r == APFloat::cmpLessThan || r == APFloat::cmpEqual;
    case Comparison::Gt:
      return r == APFloat::cmpGreaterThan;
    case Comparison::Ge:
      return r == APFloat::cmpGreaterThan || r == APFloat::cmpEqual;
    }
    return false;
  };
  return foldCompareConstants(lhs, rhs, type, onInts, onFloats);
}

// The six comparisons fold alike.
#define EMBER_COMPARISON_FOLD(OP, KIND)                                        \
  OpFoldResult OP::fold(FoldAdaptor adaptor) {                                 \
    return foldComparison(adaptor.getLhs(), adaptor.getRhs(), getType(),       \
                          Comparison::KIND);                                   \
  }
EMBER_COMPARISON_FOLD(EqOp, Eq)
EMBER_COMPARISON_FOLD(NeOp, Ne)
EMBER_COMPARISON_FOLD(LtOp, Lt)
EMBER_COMPARISON_FOLD(LeOp, Le)
EMBER_COMPARISON_FOLD(GtOp, Gt)
EMBER_COMPARISON_FOLD(GeOp, Ge)
#undef EMBER_COMPARISON_FOLD

//===- Elementwise.cpp - lowering of ember's elementwise ops --------------===//
//
// Unary, binary, comparison and logical ops, where, clamp, masked_fill,
// to_dtype, and the literals (constant, full). Each elementwise op becomes
// one all-parallel linalg.generic whose indexing maps broadcast the operands
// (numpy rules) and whose body first converts each operand scalar to the
// type the op computes in (the result type; for comparisons the promoted
// operand type, torch.result_type), then does the eager kernel's arithmetic
// (runtime/src/kernels/elementwise.cpp, torch's CPU kernels): e.g. `add`
// with `alpha` is `lhs + alpha * rhs`, maximum propagates NaN, round is
// round-half-to-even, sign is `(0 < x) - (x < 0)`.
//
// Preconditions: static shapes, no ui8 (NamedLowering checks).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "TypeRules.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::ember;
using namespace mlir::ember::lowering;

namespace {

bool isFloat(Type type) { return isa<FloatType>(type); }

Value cst(OpBuilder &b, Location loc, Type type, double value) {
  return scalarConstant(b, loc, type, value);
}

Value select(OpBuilder &b, Location loc, Value cond, Value a, Value c) {
  return b.create<arith::SelectOp>(loc, cond, a, c);
}

Value cmpF(OpBuilder &b, Location loc, arith::CmpFPredicate p, Value x,
           Value y) {
  return b.create<arith::CmpFOp>(loc, p, x, y);
}
Value cmpI(OpBuilder &b, Location loc, arith::CmpIPredicate p, Value x,
           Value y) {
  return b.create<arith::CmpIOp>(loc, p, x, y);
}

//===----------------------------------------------------------------------===//
// Unary
//===----------------------------------------------------------------------===//

/// Whether the unary op `name` has a body for element type `type` (after
/// conversion to the result type).
bool supportsUnary(StringRef name, Type type) {
  if (isFloat(type))
    return true;
  // Float math on integers gives a float result type, so only these ops see
  // integer element types; neg of bool is an error in eager.
  if (name == "neg")
    return !type.isInteger(1);
  return llvm::is_contained(
      {"abs", "relu", "sign", "floor", "ceil", "round", "logical_not"}, name);
}

Value geluBody(OpBuilder &b, Location loc, Value x, bool tanhForm) {
  Type t = x.getType();
  Value half = cst(b, loc, t, 0.5);
  Value one = cst(b, loc, t, 1.0);
  Value halfX = b.create<arith::MulFOp>(loc, half, x);
  Value inner;
  if (!tanhForm) {
    // 0.5 * x * (1 + erf(x * M_SQRT1_2))
    Value scaled = b.create<arith::MulFOp>(loc, x, cst(b, loc, t, M_SQRT1_2));
    inner = b.create<math::ErfOp>(loc, scaled);
  } else {
    // 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x * x * x)))
    Value cube = b.create<arith::MulFOp>(loc, cst(b, loc, t, 0.044715), x);
    cube = b.create<arith::MulFOp>(loc, cube, x);
    cube = b.create<arith::MulFOp>(loc, cube, x);
    Value sum = b.create<arith::AddFOp>(loc, x, cube);
    Value scaled = b.create<arith::MulFOp>(
        loc, cst(b, loc, t, M_2_SQRTPI * M_SQRT1_2), sum);
    inner = b.create<math::TanhOp>(loc, scaled);
  }
  return b.create<arith::MulFOp>(loc, halfX,
                                 b.create<arith::AddFOp>(loc, one, inner));
}

/// The body of unary op `name` on `x`, already of the result element type
/// (logical_not: of the operand type).
Value unaryBody(OpBuilder &b, Location loc, StringRef name, Value x,
                Operation *op) {
  Type t = x.getType();
  bool f = isFloat(t);
  bool boolean = t.isInteger(1);
  auto zero = [&] { return cst(b, loc, t, 0.0); };
  if (name == "neg")
    return f ? Value(b.create<arith::NegFOp>(loc, x))
             : Value(b.create<arith::SubIOp>(loc, zero(), x));
  if (name == "abs") {
    if (f)
      return b.create<math::AbsFOp>(loc, x);
    return boolean ? x : Value(b.create<math::AbsIOp>(loc, x));
  }
  if (name == "exp")
    return b.create<math::ExpOp>(loc, x);
  if (name == "log")
    return b.create<math::LogOp>(loc, x);
  if (name == "log1p")
    return b.create<math::Log1pOp>(loc, x);
  if (name == "sqrt")
    return b.create<math::SqrtOp>(loc, x);
  if (name == "rsqrt") // 1 / sqrt(x), as eager (not math.rsqrt)
    return b.create<arith::DivFOp>(loc, cst(b, loc, t, 1.0),
                                   b.create<math::SqrtOp>(loc, x));
  if (name == "sin")
    return b.create<math::SinOp>(loc, x);
  if (name == "cos")
    return b.create<math::CosOp>(loc, x);
  if (name == "tanh")
    return b.create<math::TanhOp>(loc, x);
  if (name == "sigmoid") { // 1 / (1 + exp(-x))
    Value e = b.create<math::ExpOp>(loc, b.create<arith::NegFOp>(loc, x));
    Value one = cst(b, loc, t, 1.0);
    return b.create<arith::DivFOp>(loc, one,
                                   b.create<arith::AddFOp>(loc, one, e));
  }
  if (name == "relu") { // x < 0 ? 0 : x: NaN and -0.0 pass, as torch.relu
    if (boolean)
      return x;
    Value z = zero();
    Value negative = f ? cmpF(b, loc, arith::CmpFPredicate::OLT, x, z)
                       : cmpI(b, loc, arith::CmpIPredicate::slt, x, z);
    return select(b, loc, negative, z, x);
  }
  if (name == "gelu") {
    auto approximate = op->getAttrOfType<StringAttr>("approximate");
    return geluBody(b, loc, x, approximate && approximate.getValue() == "tanh");
  }
  if (name == "sign") { // (0 < x) - (x < 0): sign(NaN) = sign(-0.0) = 0
    if (boolean)
      return x;
    Value one = cst(b, loc, t, 1.0);
    Value z = zero();
    Value pos = f ? cmpF(b, loc, arith::CmpFPredicate::OGT, x, z)
                  : cmpI(b, loc, arith::CmpIPredicate::sgt, x, z);
    Value neg = f ? cmpF(b, loc, arith::CmpFPredicate::OLT, x, z)
                  : cmpI(b, loc, arith::CmpIPredicate::slt, x, z);
    Value p = select(b, loc, pos, one, z);
    Value n = select(b, loc, neg, one, z);
    return f ? Value(b.create<arith::SubFOp>(loc, p, n))
             : Value(b.create<arith::SubIOp>(loc, p, n));
  }
  if (name == "floor")
    return f ? Value(b.create<math::FloorOp>(loc, x)) : x;
  if (name == "ceil")
    return f ? Value(b.create<math::CeilOp>(loc, x)) : x;
  if (name == "round") // half to even, as torch.round
    return f ? Value(b.create<math::RoundEvenOp>(loc, x)) : x;
  // logical_not: x == 0 (NaN is true, so not NaN is false)
  if (f)
    return cmpF(b, loc, arith::CmpFPredicate::OEQ, x, zero());
  if (boolean)
    return b.create<arith::XOrIOp>(loc, x, cst(b, loc, t, 1.0));
  return cmpI(b, loc, arith::CmpIPredicate::eq, x, zero());
}

bool acceptsUnary(Operation *op) {
  StringRef name = op->getName().stripDialect();
  Type computeType = name == "logical_not" ? elementTypeOf(op->getOperand(0))
                                           : resultType(op).getElementType();
  return supportsUnary(name, computeType);
}

FailureOr<Value> lowerUnary(ConversionPatternRewriter &rewriter, Operation *op,
                            ValueRange operands) {
  StringRef name = op->getName().stripDialect();
  RankedTensorType type = resultType(op);
  bool logicalNot = name == "logical_not";
  Type computeType =
      logicalNot ? elementTypeOf(operands[0]) : type.getElementType();
  return buildElementwise(rewriter, op->getLoc(), type, operands,
                          [&](OpBuilder &b, Location loc, ValueRange args) {
                            Value x =
                                convertScalar(b, loc, args[0], computeType);
                            return unaryBody(b, loc, name, x, op);
                          });
}

//===----------------------------------------------------------------------===//
// Binary arithmetic (computed in the result type)
//===----------------------------------------------------------------------===//

/// NaN-propagating max/min with eager's `x > y ? x : y` (`<` for min).
Value maxMin(OpBuilder &b, Location loc, Value x, Value y, bool isMax) {
  Type t = x.getType();
  if (isFloat(t)) {
    Value pick = cmpF(
        b, loc, isMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT,
        x, y);
    Value r = select(b, loc, pick, x, y);
    Value unordered = cmpF(b, loc, arith::CmpFPredicate::UNO, x, y);
    return select(b, loc, unordered,
                  cst(b, loc, t, std::numeric_limits<double>::quiet_NaN()), r);
  }
  bool boolean = t.isInteger(1);
  arith::CmpIPredicate p =
      isMax ? (boolean ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt)
            : (boolean ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt);
  return select(b, loc, cmpI(b, loc, p, x, y), x, y);
}

/// Whether `alpha` is given and not 1.
bool isScaled(Operation *op) {
  std::optional<double> alpha = scalarValue(op->getAttr("alpha"));
  return alpha && *alpha != 1.0;
}

/// Bool results: add/mul/maximum/minimum only (or, and), without alpha;
/// div: floating results only.
bool acceptsBinary(Operation *op) {
  StringRef name = op->getName().stripDialect();
  Type t = resultType(op).getElementType();
  if (t.isInteger(1))
    return !isScaled(op) &&
           llvm::is_contained({"add", "mul", "maximum", "minimum"}, name);
  return name != "div" || isFloat(t);
}

FailureOr<Value> lowerBinary(ConversionPatternRewriter &rewriter, Operation *op,
                             ValueRange operands) {
  StringRef name = op->getName().stripDialect();
  RankedTensorType type = resultType(op);
  Type t = type.getElementType();
  bool f = isFloat(t);
  bool boolean = t.isInteger(1);
  Attribute alpha = op->getAttr("alpha");
  bool scaled = isScaled(op);
  return buildElementwise(
      rewriter, op->getLoc(), type, operands,
      [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
        Value x = convertScalar(b, loc, args[0], t);
        Value y = convertScalar(b, loc, args[1], t);
        if (name == "add" || name == "sub") {
          if (boolean)
            return b.create<arith::OrIOp>(loc, x, y);
          if (scaled) {
            Value a = scalarConstant(b, loc, t, alpha);
            y = f ? Value(b.create<arith::MulFOp>(loc, a, y))
                  : Value(b.create<arith::MulIOp>(loc, a, y));
          }
          if (name == "add")
            return f ? Value(b.create<arith::AddFOp>(loc, x, y))
                     : Value(b.create<arith::AddIOp>(loc, x, y));
          return f ? Value(b.create<arith::SubFOp>(loc, x, y))
                   : Value(b.create<arith::SubIOp>(loc, x, y));
        }
        if (name == "mul") {
          if (boolean)
            return b.create<arith::AndIOp>(loc, x, y);
          return f ? Value(b.create<arith::MulFOp>(loc, x, y))
                   : Value(b.create<arith::MulIOp>(loc, x, y));
        }
        if (name == "div")
          return b.create<arith::DivFOp>(loc, x, y);
        if (name == "pow")
          return f ? Value(b.create<math::PowFOp>(loc, x, y))
                   : Value(b.create<math::IPowIOp>(loc, x, y));
        return maxMin(b, loc, x, y, name == "maximum");
      });
}

//===----------------------------------------------------------------------===//
// Comparisons and logical ops (bool results)
//===----------------------------------------------------------------------===//

FailureOr<Value> lowerCompare(ConversionPatternRewriter &rewriter,
                              Operation *op, ValueRange operands) {
  StringRef name = op->getName().stripDialect();
  auto lhsType = cast<RankedTensorType>(operands[0].getType());
  auto rhsType = cast<RankedTensorType>(operands[1].getType());
  // Compared in torch.result_type of the operands (0-d operands read as
  // 0-d tensors, as the dialect's inference does).
  Type t = resultTypeCandidates({lhsType, rhsType}).front();
  bool f = isFloat(t);
  bool isUnsigned = t.isInteger(1); // false < true
  return buildElementwise(
      rewriter, op->getLoc(), resultType(op), operands,
      [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
        Value x = convertScalar(b, loc, args[0], t);
        Value y = convertScalar(b, loc, args[1], t);
        using FP = arith::CmpFPredicate;
        using IP = arith::CmpIPredicate;
        // Ordered predicates (NaN compares false) but `ne` (NaN != x).
        if (name == "eq")
          return f ? cmpF(b, loc, FP::OEQ, x, y) : cmpI(b, loc, IP::eq, x, y);
        if (name == "ne")
          return f ? cmpF(b, loc, FP::UNE, x, y) : cmpI(b, loc, IP::ne, x, y);
        if (name == "lt")
          return f ? cmpF(b, loc, FP::OLT, x, y)
                   : cmpI(b, loc, isUnsigned ? IP::ult : IP::slt, x, y);
        if (name == "le")
          return f ? cmpF(b, loc, FP::OLE, x, y)
                   : cmpI(b, loc, isUnsigned ? IP::ule : IP::sle, x, y);
        if (name == "gt")
          return f ? cmpF(b, loc, FP::OGT, x, y)
                   : cmpI(b, loc, isUnsigned ? IP::ugt : IP::sgt, x, y);
        return f ? cmpF(b, loc, FP::OGE, x, y)
                 : cmpI(b, loc, isUnsigned ? IP::uge : IP::sge, x, y);
      });
}

FailureOr<Value> lowerLogical(ConversionPatternRewriter &rewriter,
                              Operation *op, ValueRange operands) {
  StringRef name = op->getName().stripDialect();
  Type i1 = rewriter.getI1Type();
  return buildElementwise(
      rewriter, op->getLoc(), resultType(op), operands,
      [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
        // x != 0 (NaN is true).
        Value x = convertScalar(b, loc, args[0], i1);
        Value y = convertScalar(b, loc, args[1], i1);
        if (name == "logical_and")
          return b.create<arith::AndIOp>(loc, x, y);
        if (name == "logical_or")
          return b.create<arith::OrIOp>(loc, x, y);
        return b.create<arith::XOrIOp>(loc, x, y);
      });
}

//===----------------------------------------------------------------------===//
// where, clamp, masked_fill, to_dtype
//===----------------------------------------------------------------------===//

bool acceptsWhere(Operation *op) {
  return elementTypeOf(op->getOperand(0)).isInteger(1);
}

FailureOr<Value> lowerWhere(ConversionPatternRewriter &rewriter, Operation *op,
                            ValueRange operands) {
  RankedTensorType type = resultType(op);
  Type t = type.getElementType();
  return buildElementwise(rewriter, op->getLoc(), type, operands,
                          [&](OpBuilder &b, Location loc, ValueRange args) {
                            return select(b, loc, args[0],
                                          convertScalar(b, loc, args[1], t),
                                          convertScalar(b, loc, args[2], t));
                          });
}

bool acceptsClamp(Operation *op) {
  return !resultType(op).getElementType().isInteger(1);
}

FailureOr<Value> lowerClamp(ConversionPatternRewriter &rewriter, Operation *op,
                            ValueRange operands) {
  RankedTensorType type = resultType(op);
  Type t = type.getElementType();
  Attribute min = op->getAttr("min"), max = op->getAttr("max");
  bool f = isFloat(t);
  return buildElementwise(
      rewriter, op->getLoc(), type, operands,
      [&](OpBuilder &b, Location loc, ValueRange args) {
        // min(max(x, lo), hi) as `x < lo ? lo : x`, then `r > hi ? hi : r`:
        // NaN passes, and lo > hi gives hi (as torch.clamp).
        Value x = convertScalar(b, loc, args[0], t);
        if (min) {
          Value lo = scalarConstant(b, loc, t, min);
          Value below = f ? cmpF(b, loc, arith::CmpFPredicate::OLT, x, lo)
                          : cmpI(b, loc, arith::CmpIPredicate::slt, x, lo);
          x = select(b, loc, below, lo, x);
        }
        if (max) {
          Value hi = scalarConstant(b, loc, t, max);
          Value above = f ? cmpF(b, loc, arith::CmpFPredicate::OGT, x, hi)
                          : cmpI(b, loc, arith::CmpIPredicate::sgt, x, hi);
          x = select(b, loc, above, hi, x);
        }
        return x;
      });
}

bool acceptsMaskedFill(Operation *op) {
  return scalarValue(op->getAttr("value")) &&
         elementTypeOf(op->getOperand(1)).isInteger(1);
}

FailureOr<Value> lowerMaskedFill(ConversionPatternRewriter &rewriter,
                                 Operation *op, ValueRange operands) {
  RankedTensorType type = resultType(op);
  Type t = type.getElementType();
  Attribute value = op->getAttr("value");
  return buildElementwise(rewriter, op->getLoc(), type, operands,
                          [&](OpBuilder &b, Location loc, ValueRange args) {
                            return select(b, loc, args[1],
                                          scalarConstant(b, loc, t, value),
                                          convertScalar(b, loc, args[0], t));
                          });
}

FailureOr<Value> lowerToDtype(ConversionPatternRewriter &rewriter,
                              Operation *op, ValueRange operands) {
  RankedTensorType type = resultType(op);
  if (type == operands[0].getType())
    return operands[0];
  return buildElementwise(rewriter, op->getLoc(), type, operands,
                          [&](OpBuilder &b, Location loc, ValueRange args) {
                            return convertScalar(b, loc, args[0],
                                                 type.getElementType());
                          });
}

//===----------------------------------------------------------------------===//
// Literals
//===----------------------------------------------------------------------===//

bool acceptsConstant(Operation *op) {
  auto value = dyn_cast_or_null<DenseElementsAttr>(op->getAttr("value"));
  return value && value.getType() == resultType(op);
}

FailureOr<Value> lowerConstant(ConversionPatternRewriter &rewriter,
                               Operation *op, ValueRange) {
  auto value = cast<DenseElementsAttr>(op->getAttr("value"));
  return rewriter.create<arith::ConstantOp>(op->getLoc(), value).getResult();
}

bool acceptsFull(Operation *op) {
  return scalarValue(op->getAttr("value")).has_value();
}

FailureOr<Value> lowerFull(ConversionPatternRewriter &rewriter, Operation *op,
                           ValueRange) {
  RankedTensorType type = resultType(op);
  Type t = type.getElementType();
  Attribute scalar = op->getAttr("value");
  std::optional<double> value = scalarValue(scalar);
  Attribute element;
  if (isFloat(t))
    element = rewriter.getFloatAttr(t, *value);
  else if (t.isInteger(1))
    element = rewriter.getIntegerAttr(t, *value != 0);
  else if (auto i = dyn_cast<IntegerAttr>(scalar); i && !isa<BoolAttr>(scalar))
    element = rewriter.getIntegerAttr(t, i.getInt());
  else
    element = rewriter.getIntegerAttr(t, static_cast<int64_t>(*value));
  return rewriter
      .create<arith::ConstantOp>(op->getLoc(),
                                 DenseElementsAttr::get(type, element))
      .getResult();
}

} // namespace

void lowering::populateElementwisePatterns(RewritePatternSet &patterns) {
  for (StringRef name : {"neg", "abs", "exp", "log", "log1p", "sqrt", "rsqrt",
                         "sin", "cos", "tanh", "sigmoid", "relu", "gelu",
                         "sign", "floor", "ceil", "round", "logical_not"})
    addLowering(patterns, name, lowerUnary, acceptsUnary);
  for (StringRef name :
       {"add", "sub", "mul", "div", "pow", "maximum", "minimum"})
    addLowering(patterns, name, lowerBinary, acceptsBinary);
  for (StringRef name : {"eq", "ne", "lt", "le", "gt", "ge"})
    addLowering(patterns, name, lowerCompare);
  for (StringRef name : {"logical_and", "logical_or", "logical_xor"})
    addLowering(patterns, name, lowerLogical);
  addLowering(patterns, "where", lowerWhere, acceptsWhere);
  addLowering(patterns, "clamp", lowerClamp, acceptsClamp);
  addLowering(patterns, "masked_fill", lowerMaskedFill, acceptsMaskedFill);
  addLowering(patterns, "to_dtype", lowerToDtype);
  addLowering(patterns, "constant", lowerConstant, acceptsConstant);
  addLowering(patterns, "full", lowerFull, acceptsFull);
}

//===- Reduce.cpp - lowering of ember's reductions and softmax ------------===//
//
// sum, prod, mean, amax, amin, var, std, norm, logsumexp, softmax,
// log_softmax, max_dim, min_dim, argmax, argmin as linalg.generic ops with
// reduction iterators over the (wrapped, sorted) reduced dims, followed by
// tensor.expand_shape for keepdim. max_dim/min_dim/argmax/argmin carry the
// value and its i64 index (linalg.index of the dim) as two outputs of one
// generic: the first occurrence wins, NaN beats numbers.
//
// The arithmetic is eager's (runtime/src/kernels/reduce.cpp): floating sums
// accumulate in f64 (sum, prod, mean, var/std's two passes, logsumexp's and
// softmax's sums of exponentials) and are rounded to the result type once;
// integer sums and products wrap in i64 (or the result type); amax/amin keep
// the first NaN (`a is NaN ? a : (x is NaN or x > a ? x : a)`). The order
// differs from eager's: linalg's loops run sequentially over the reduced
// dims, row-major, where eager may split a row across threads; in f64 the
// rounded results agree except in rare last-bit cases.
//
// var/std: mean in f64, then the f64 sum of squared deviations divided by
// max(0, N - correction) (correction 1 by default), sqrt for std.
// logsumexp: shift = amax (0 where infinite), log(sum(exp(x - shift))) +
// shift. softmax: m = max along dim, e = exp(x - m) in the result type,
// e * (1 / sum(e)); log_softmax: (x - m) - log(sum(exp(x - m))).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include <limits>

using namespace mlir;
using namespace mlir::ember;
using namespace mlir::ember::lowering;

namespace {

enum class Kind { Sum, Prod, Max, Min };

bool isFloat(Type type) { return isa<FloatType>(type); }

/// f64 for floating types (eager's accumulator), else the type itself.
Type accumulatorType(Type type) {
  return isFloat(type) ? Float64Type::get(type.getContext()) : type;
}

Value identityOf(OpBuilder &b, Location loc, Type t, Kind kind) {
  double inf = std::numeric_limits<double>::infinity();
  switch (kind) {
  case Kind::Sum:
    return scalarConstant(b, loc, t, 0.0);
  case Kind::Prod:
    return scalarConstant(b, loc, t, 1.0);
  case Kind::Max:
  case Kind::Min: {
    bool isMax = kind == Kind::Max;
    if (isFloat(t))
      return scalarConstant(b, loc, t, isMax ? -inf : inf);
    unsigned width = t.getIntOrFloatBitWidth();
    if (width == 1)
      return scalarConstant(b, loc, t, isMax ? 0.0 : 1.0);
    APInt bound = isMax ? APInt::getSignedMinValue(width)
                        : APInt::getSignedMaxValue(width);
    return b.create<arith::ConstantOp>(loc, b.getIntegerAttr(t, bound));
  }
  }
  return {};
}

Value combineOf(OpBuilder &b, Location loc, Value x, Value acc, Kind kind) {
  Type t = x.getType();
  bool f = isFloat(t);
  bool boolean = t.isInteger(1);
  switch (kind) {
  case Kind::Sum:
    if (boolean)
      return b.create<arith::OrIOp>(loc, x, acc);
    return f ? Value(b.create<arith::AddFOp>(loc, acc, x))
             : Value(b.create<arith::AddIOp>(loc, acc, x));
  case Kind::Prod:
    if (boolean)
      return b.create<arith::AndIOp>(loc, x, acc);
    return f ? Value(b.create<arith::MulFOp>(loc, acc, x))
             : Value(b.create<arith::MulIOp>(loc, acc, x));
  case Kind::Max:
  case Kind::Min: {
    bool isMax = kind == Kind::Max;
    if (f) {
      // acc is NaN ? acc : (x is NaN or x beats acc ? x : acc)
      Value takeX = b.create<arith::CmpFOp>(
          loc, isMax ? arith::CmpFPredicate::UGT : arith::CmpFPredicate::ULT, x,
          acc);
      Value picked = b.create<arith::SelectOp>(loc, takeX, x, acc);
      Value accNaN =
          b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNO, acc, acc);
      return b.create<arith::SelectOp>(loc, accNaN, acc, picked);
    }
    arith::CmpIPredicate p =
        isMax
            ? (boolean ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt)
            : (boolean ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt);
    Value takeX = b.create<arith::CmpIOp>(loc, p, x, acc);
    return b.create<arith::SelectOp>(loc, takeX, x, acc);
  }
  }
  return {};
}

/// Reduces `input` (elements converted to `elementType`, then accumulated
/// in `accType`) over `dims`: a tensor of the reduced shape of `accType`.
/// A floating sum over leading dims and later ones with a kept dim between
/// (a conv's bias gradient sums [N, C, H, W] over N, H, W) runs in two
/// generics: over the leading dims first, where the inner loops are
/// parallel (an elementwise f64 accumulate into a small [C, H, W] tensor,
/// which vectorizes), then over the rest. In one generic every element
/// would wait for the previous f64 add of one accumulator (~4 cycles).
Value reduce(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> dims,
             Type elementType, Type accType, Kind kind) {
  auto combine = [kind](OpBuilder &nb, Location nl, Value x, Value acc) {
    return combineOf(nb, nl, x, acc, kind);
  };
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  int64_t lead = 0;
  while (lead < rank && llvm::is_contained(dims, lead))
    ++lead;
  bool laterReduced = llvm::any_of(dims, [&](int64_t d) { return d > lead; });
  if (kind == Kind::Sum && isFloat(accType) && lead > 0 && lead < rank &&
      laterReduced) {
    SmallVector<int64_t> leading, rest;
    for (int64_t d = 0; d < lead; ++d)
      leading.push_back(d);
    for (int64_t d : dims)
      if (d >= lead)
        rest.push_back(d - lead);
    Value partial = buildReduction(b, loc, input, leading, elementType,
                                   identityOf(b, loc, accType, kind), combine);
    return buildReduction(b, loc, partial, rest, accType,
                          identityOf(b, loc, accType, kind), combine);
  }
  return buildReduction(b, loc, input, dims, elementType,
                        identityOf(b, loc, accType, kind), combine);
}

/// `type` with the `dims` of its shape set to 1 (the keepdim shape).
RankedTensorType keptType(RankedTensorType type, ArrayRef<int64_t> dims,
                          Type elementType) {
  SmallVector<int64_t> shape(type.getShape());
  for (int64_t d : dims)
    shape[d] = 1;
  return RankedTensorType::get(shape, elementType);
}

/// Maps `value` (of the reduced shape) elementwise into `type`'s element
/// type with `body` (unless `identity`), and reshapes it to `type` (keepdim
/// or not).
Value finish(OpBuilder &b, Location loc, Value value, RankedTensorType type,
             BodyFn body, bool identity = false) {
  if (identity)
    return reshapeTo(b, loc, value, type);
  auto valueType = cast<RankedTensorType>(value.getType());
  auto mapped =
      RankedTensorType::get(valueType.getShape(), type.getElementType());
  Value result = buildElementwise(b, loc, mapped, value, body);
  return reshapeTo(b, loc, result, type);
}

std::optional<ArrayRef<int64_t>> dimsAttr(Operation *op) {
  if (auto dims = op->getAttrOfType<DenseI64ArrayAttr>("dims"))
    return dims.asArrayRef();
  return std::nullopt;
}

FailureOr<Value> lowerReduce(ConversionPatternRewriter &rewriter, Operation *op,
                             ValueRange operands) {
  StringRef name = op->getName().stripDialect();
  Location loc = op->getLoc();
  RankedTensorType type = resultType(op);
  Type t = type.getElementType();
  auto inputType = cast<RankedTensorType>(operands[0].getType());
  SmallVector<int64_t> dims = reductionDims(dimsAttr(op), inputType.getRank());
  Kind kind = name == "sum"    ? Kind::Sum
              : name == "prod" ? Kind::Prod
              : name == "amax" ? Kind::Max
              : name == "amin" ? Kind::Min
                               : Kind::Sum; // mean
  if (name == "mean" && !isFloat(t))
    return failure();
  // amax/amin compare in the element type itself (no f64 accumulator).
  bool extreme = kind == Kind::Max || kind == Kind::Min;
  Type acc = extreme ? t : accumulatorType(t);
  Value reduced = reduce(rewriter, loc, operands[0], dims, t, acc, kind);
  double count = 1;
  for (int64_t d : dims)
    count *= static_cast<double>(inputType.getDimSize(d));
  bool mean = name == "mean";
  return finish(
      rewriter, loc, reduced, type,
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value v = args[0];
        if (mean)
          v = b.create<arith::DivFOp>(l, v,
                                      scalarConstant(b, l, v.getType(), count));
        return convertScalar(b, l, v, t);
      },
      /*identity=*/!mean && acc == t);
}

/// f64 mean over `dims`, of the keepdim shape (broadcasts against input).
Value keptMean(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> dims,
               Type elementType, double count) {
  Type f64 = b.getF64Type();
  Value sum = reduce(b, loc, input, dims, elementType, f64, Kind::Sum);
  auto inputType = cast<RankedTensorType>(input.getType());
  return finish(b, loc, sum, keptType(inputType, dims, f64),
                [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
                  return nb.create<arith::DivFOp>(
                      l, args[0], scalarConstant(nb, l, f64, count));
                });
}

FailureOr<Value> lowerVar(ConversionPatternRewriter &rewriter, Operation *op,
                          ValueRange operands) {
  Location loc = op->getLoc();
  RankedTensorType type = resultType(op);
  Type t = type.getElementType();
  if (!isFloat(t))
    return failure();
  Value input = operands[0];
  auto inputType = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> dims = reductionDims(dimsAttr(op), inputType.getRank());
  double count = 1;
  for (int64_t d : dims)
    count *= static_cast<double>(inputType.getDimSize(d));
  int64_t correction = 1;
  if (auto attr = op->getAttrOfType<IntegerAttr>("correction"))
    correction = attr.getInt();
  double divisor = std::max(0.0, count - static_cast<double>(correction));
  bool isStd = op->getName().stripDialect() == "std";

  Type f64 = rewriter.getF64Type();
  Value mean = keptMean(rewriter, loc, input, dims, t, count);
  // Squared deviations in f64, then their f64 sum.
  Value squares = buildElementwise(
      rewriter, loc, RankedTensorType::get(inputType.getShape(), f64),
      ValueRange{input, mean}, [&](OpBuilder &b, Location l, ValueRange args) {
        Value x = convertScalar(b, l, convertScalar(b, l, args[0], t), f64);
        Value d = b.create<arith::SubFOp>(l, x, args[1]);
        return b.create<arith::MulFOp>(l, d, d).getResult();
      });
  Value sum = reduce(rewriter, loc, squares, dims, Type(), f64, Kind::Sum);
  return finish(rewriter, loc, sum, type,
                [&](OpBuilder &b, Location l, ValueRange args) {
                  Value v = b.create<arith::DivFOp>(
                      l, args[0], scalarConstant(b, l, f64, divisor));
                  if (isStd)
                    v = b.create<math::SqrtOp>(l, v);
                  return convertScalar(b, l, v, t);
                });
}

/// The max over `dims` in `t`, of the keepdim shape, with infinite maxima
/// replaced by 0 when `zeroInfinite` (logsumexp's shift).
Value keptMax(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> dims,
              Type t, bool zeroInfinite) {
  Value max = reduce(b, loc, input, dims, t, t, Kind::Max);
  auto inputType = cast<RankedTensorType>(input.getType());
  return finish(
      b, loc, max, keptType(inputType, dims, t),
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value m = args[0];
        if (!zeroInfinite)
          return m;
        Value inf =
            scalarConstant(nb, l, t, std::numeric_limits<double>::infinity());
        Value isInf = nb.create<arith::CmpFOp>(
            l, arith::CmpFPredicate::OEQ, nb.create<math::AbsFOp>(l, m), inf);
        return nb.create<arith::SelectOp>(l, isInf,
                                          scalarConstant(nb, l, t, 0.0), m);
      },
      /*identity=*/!zeroInfinite);
}

FailureOr<Value> lowerLogsumexp(ConversionPatternRewriter &rewriter,
                                Operation *op, ValueRange operands) {
  Location loc = op->getLoc();
  RankedTensorType type = resultType(op);
  Type t = type.getElementType();
  if (!isFloat(t))
    return failure();
  Value input = operands[0];
  auto inputType = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> dims = reductionDims(dimsAttr(op), inputType.getRank());
  Type f64 = rewriter.getF64Type();
  Value shift = keptMax(rewriter, loc, input, dims, t, /*zeroInfinite=*/true);
  // exp(double(x) - shift) in f64, summed in f64.
  Value exps = buildElementwise(
      rewriter, loc, RankedTensorType::get(inputType.getShape(), f64),
      ValueRange{input, shift}, [&](OpBuilder &b, Location l, ValueRange args) {
        Value x = convertScalar(b, l, convertScalar(b, l, args[0], t), f64);
        Value s = convertScalar(b, l, args[1], f64);
        return b.create<math::ExpOp>(l, b.create<arith::SubFOp>(l, x, s))
            .getResult();
      });
  Value sum = reduce(rewriter, loc, exps, dims, Type(), f64, Kind::Sum);
  // log(sum) + shift, with the shift reshaped to the reduced shape.
  auto sumType = cast<RankedTensorType>(sum.getType());
  Value shiftReduced = reshapeTo(rewriter, loc, shift,
                                 RankedTensorType::get(sumType.getShape(), t));
  auto mapped = RankedTensorType::get(sumType.getShape(), t);
  Value result = buildElementwise(
      rewriter, loc, mapped, ValueRange{sum, shiftReduced},
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value v = b.create<arith::AddFOp>(l, b.create<math::LogOp>(l, args[0]),
                                          convertScalar(b, l, args[1], f64));
        return convertScalar(b, l, v, t);
      });
  return reshapeTo(rewriter, loc, result, type);
}

FailureOr<Value> lowerSoftmax(ConversionPatternRewriter &rewriter,
                              Operation *op, ValueRange operands) {
  Location loc = op->getLoc();
  RankedTensorType type = resultType(op);
  Type t = type.getElementType();
  if (!isFloat(t) || type.getRank() == 0)
    return failure();
  bool isLog = op->getName().stripDialect() == "log_softmax";
  auto dimAttr = op->getAttrOfType<IntegerAttr>("dim");
  if (!dimAttr)
    return failure();
  int64_t dim = dimAttr.getInt();
  if (dim < 0)
    dim += type.getRank();
  SmallVector<int64_t> dims = {dim};
  Value input = operands[0];
  Type f64 = rewriter.getF64Type();
  Value max = keptMax(rewriter, loc, input, dims, t, /*zeroInfinite=*/false);
  // e = exp(x - m) in t; the f64 sum of e.
  Value exps = buildElementwise(
      rewriter, loc, type, ValueRange{input, max},
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value x = convertScalar(b, l, args[0], t);
        return b.create<math::ExpOp>(l, b.create<arith::SubFOp>(l, x, args[1]))
            .getResult();
      });
  Value sum = reduce(rewriter, loc, exps, dims, Type(), f64, Kind::Sum);
  Value kept = reshapeTo(rewriter, loc, sum, keptType(type, dims, f64));
  if (isLog)
    return buildElementwise(
        rewriter, loc, type, ValueRange{input, max, kept},
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = convertScalar(b, l, args[0], t);
          Value shifted =
              convertScalar(b, l, b.create<arith::SubFOp>(l, x, args[1]), f64);
          Value v = b.create<arith::SubFOp>(l, shifted,
                                            b.create<math::LogOp>(l, args[2]));
          return convertScalar(b, l, v, t);
        });
  return buildElementwise(rewriter, loc, type, ValueRange{exps, kept},
                          [&](OpBuilder &b, Location l, ValueRange args) {
                            Value inv = b.create<arith::DivFOp>(
                                l, scalarConstant(b, l, f64, 1.0), args[1]);
                            Value v = b.create<arith::MulFOp>(
                                l, convertScalar(b, l, args[0], f64), inv);
                            return convertScalar(b, l, v, t);
                          });
}

/// Values and i64 indices of the max (isMax) or min along one dim, in one
/// linalg.generic with two outputs: the first occurrence wins, and NaN beats
/// numbers (the first NaN wins), as eager's ArgOps. Without `dim` (argmax,
/// argmin) the input is flattened first. Both results are reshaped to
/// `valuesType` / `indicesType` (keepdim).
FailureOr<SmallVector<Value>>
valueIndexReduce(ConversionPatternRewriter &rewriter, Operation *op,
                 Value input, bool isMax) {
  Location loc = op->getLoc();
  MLIRContext *context = rewriter.getContext();
  auto inputType = cast<RankedTensorType>(input.getType());
  Type t = inputType.getElementType();
  int64_t dim;
  if (auto dimAttr = op->getAttrOfType<IntegerAttr>("dim")) {
    dim = dimAttr.getInt();
    if (inputType.getRank() == 0) {
      input = reshapeTo(rewriter, loc, input, RankedTensorType::get({1}, t));
      dim = 0;
    } else if (dim < 0) {
      dim += inputType.getRank();
    }
  } else {
    input = reshapeTo(rewriter, loc, input,
                      RankedTensorType::get({inputType.getNumElements()}, t));
    dim = 0;
  }
  inputType = cast<RankedTensorType>(input.getType());
  int64_t rank = inputType.getRank();
  SmallVector<int64_t> outShape;
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t i = 0; i < rank; ++i) {
    iterators.push_back(i == dim ? utils::IteratorType::reduction
                                 : utils::IteratorType::parallel);
    if (i == dim)
      continue;
    outShape.push_back(inputType.getDimSize(i));
    outExprs.push_back(getAffineDimExpr(i, context));
  }
  Type i64 = rewriter.getI64Type();
  Value values =
      buildFilled(rewriter, loc, outShape,
                  identityOf(rewriter, loc, t, isMax ? Kind::Max : Kind::Min));
  Value indices = buildFilled(rewriter, loc, outShape,
                              scalarConstant(rewriter, loc, i64, 0.0));
  AffineMap outMap = AffineMap::get(rank, 0, outExprs, context);
  SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank), outMap,
                                 outMap};
  auto generic = rewriter.create<linalg::GenericOp>(
      loc, TypeRange{values.getType(), indices.getType()}, ValueRange{input},
      ValueRange{values, indices}, maps, iterators,
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value x = args[0], acc = args[1], accIndex = args[2];
        Value take;
        if (isFloat(t)) {
          // !isnan(acc) && (isnan(x) || x beats acc)
          Value beats = b.create<arith::CmpFOp>(
              l, isMax ? arith::CmpFPredicate::UGT : arith::CmpFPredicate::ULT,
              x, acc);
          Value accOrdered =
              b.create<arith::CmpFOp>(l, arith::CmpFPredicate::ORD, acc, acc);
          take = b.create<arith::AndIOp>(l, accOrdered, beats);
        } else {
          bool boolean = t.isInteger(1);
          arith::CmpIPredicate p = isMax
                                       ? (boolean ? arith::CmpIPredicate::ugt
                                                  : arith::CmpIPredicate::sgt)
                                       : (boolean ? arith::CmpIPredicate::ult
                                                  : arith::CmpIPredicate::slt);
          take = b.create<arith::CmpIOp>(l, p, x, acc);
        }
        Value index = b.create<arith::IndexCastOp>(
            l, i64, b.create<linalg::IndexOp>(l, dim));
        b.create<linalg::YieldOp>(
            l, ValueRange{b.create<arith::SelectOp>(l, take, x, acc),
                          b.create<arith::SelectOp>(l, take, index, accIndex)});
      });
  SmallVector<Value> results;
  SmallVector<Value> produced = {generic.getResult(0), generic.getResult(1)};
  // max_dim/min_dim: (values, indices); argmax/argmin: indices.
  unsigned first = op->getNumResults() == 2 ? 0 : 1;
  for (unsigned i = 0; i < op->getNumResults(); ++i)
    results.push_back(
        reshapeTo(rewriter, loc, produced[first + i],
                  cast<RankedTensorType>(op->getResult(i).getType())));
  return results;
}

FailureOr<SmallVector<Value>>
lowerValueIndex(ConversionPatternRewriter &rewriter, Operation *op,
                ValueRange operands) {
  StringRef name = op->getName().stripDialect();
  return valueIndexReduce(rewriter, op, operands[0],
                          name == "max_dim" || name == "argmax");
}

/// The p-norm as eager's NormOps: |x| in f64; p = 0 counts the nonzeros
/// (NaN counts), 1 sums, 2 sums squares then sqrt, inf / -inf take the
/// NaN-propagating max / min, other p sum |x|^p then take the 1/p power;
/// the norm of nothing is 0.
FailureOr<Value> lowerNorm(ConversionPatternRewriter &rewriter, Operation *op,
                           ValueRange operands) {
  Location loc = op->getLoc();
  RankedTensorType type = resultType(op);
  Type t = type.getElementType();
  std::optional<double> pValue = scalarValue(op->getAttr("p"));
  if (!pValue || !isFloat(t))
    return failure();
  double p = *pValue;
  double inf = std::numeric_limits<double>::infinity();
  Value input = operands[0];
  auto inputType = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> dims = reductionDims(dimsAttr(op), inputType.getRank());
  double count = 1;
  for (int64_t d : dims)
    count *= static_cast<double>(inputType.getDimSize(d));
  Type f64 = rewriter.getF64Type();
  Value init = scalarConstant(rewriter, loc, f64, p == -inf ? inf : 0.0);
  Value sum = buildReduction(
      rewriter, loc, input, dims, t, init,
      [p, inf](OpBuilder &b, Location l, Value x, Value acc) -> Value {
        Value v = b.create<math::AbsFOp>(l, x);
        if (p == inf || p == -inf)
          return combineOf(b, l, v, acc, p == inf ? Kind::Max : Kind::Min);
        Value term = v;
        if (p == 0) {
          Value nonzero =
              b.create<arith::CmpFOp>(l, arith::CmpFPredicate::UNE, v,
                                      scalarConstant(b, l, v.getType(), 0.0));
          term = b.create<arith::SelectOp>(
              l, nonzero, scalarConstant(b, l, v.getType(), 1.0),
              scalarConstant(b, l, v.getType(), 0.0));
        } else if (p == 2) {
          term = b.create<arith::MulFOp>(l, v, v);
        } else if (p != 1) {
          term = b.create<math::PowFOp>(l, v,
                                        scalarConstant(b, l, v.getType(), p));
        }
        return b.create<arith::AddFOp>(l, acc, term);
      });
  return finish(
      rewriter, loc, sum, type, [&](OpBuilder &b, Location l, ValueRange args) {
        Value r = args[0];
        if (count == 0)
          r = scalarConstant(b, l, f64, 0.0);
        else if (p == 2)
          r = b.create<math::SqrtOp>(l, r);
        else if (p != 0 && p != 1 && p != inf && p != -inf)
          r = b.create<math::PowFOp>(l, r, scalarConstant(b, l, f64, 1.0 / p));
        return convertScalar(b, l, r, t);
      });
}

/// mean, var, std, logsumexp and softmax compute in a floating type.
bool acceptsFloatResult(Operation *op) {
  return isFloat(resultType(op).getElementType());
}

/// norm: floating, with a scalar p.
bool acceptsNorm(Operation *op) {
  return acceptsFloatResult(op) && scalarValue(op->getAttr("p"));
}

/// softmax and log_softmax: floating, and at least 1-D (a 0-d softmax has
/// no lowering yet).
bool acceptsSoftmax(Operation *op) {
  return acceptsFloatResult(op) && resultType(op).getRank() > 0;
}

} // namespace

void lowering::populateReducePatterns(RewritePatternSet &patterns) {
  for (StringRef name : {"sum", "prod", "amax", "amin"})
    addLowering(patterns, name, lowerReduce);
  addLowering(patterns, "mean", lowerReduce, acceptsFloatResult);
  addLowering(patterns, "var", lowerVar, acceptsFloatResult);
  addLowering(patterns, "std", lowerVar, acceptsFloatResult);
  addLowering(patterns, "logsumexp", lowerLogsumexp, acceptsFloatResult);
  addLowering(patterns, "norm", lowerNorm, acceptsNorm);
  addLowering(patterns, "softmax", lowerSoftmax, acceptsSoftmax);
  addLowering(patterns, "log_softmax", lowerSoftmax, acceptsSoftmax);
  for (StringRef name : {"max_dim", "min_dim", "argmax", "argmin"})
    addLowering(patterns, name, lowerValueIndex);
}

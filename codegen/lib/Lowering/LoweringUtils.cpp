//===- LoweringUtils.cpp - helpers of the ember lowering ------------------===//
//
// Element conversions, constants and the linalg builders that the pattern
// files share (see LoweringUtils.h).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

using namespace mlir;
using namespace mlir::ember;
using namespace mlir::ember::lowering;

LogicalResult
NamedLowering::matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                               ConversionPatternRewriter &rewriter) const {
  if (!takes(op))
    return rewriter.notifyMatchFailure(op, "types or attributes not taken");
  if (manyFn) {
    FailureOr<SmallVector<Value>> replacements = manyFn(rewriter, op, operands);
    if (failed(replacements))
      return rewriter.notifyMatchFailure(op, "not lowered");
    rewriter.replaceOp(op, *replacements);
    return success();
  }
  FailureOr<Value> replacement = fn(rewriter, op, operands);
  if (failed(replacement))
    return rewriter.notifyMatchFailure(op, "not lowered");
  rewriter.replaceOp(op, *replacement);
  return success();
}

bool NamedLowering::takes(Operation *op) const {
  return (manyFn || op->getNumResults() == 1) && hasLowerableTypes(op) &&
         (!accepts || accepts(op));
}

void lowering::addLowering(RewritePatternSet &patterns, StringRef name,
                           LowerFn fn, AcceptFn accepts) {
  patterns.add<NamedLowering>(patterns.getContext(), ("ember." + name).str(),
                              fn, accepts);
}

void lowering::addLowering(RewritePatternSet &patterns, StringRef name,
                           LowerManyFn fn, AcceptFn accepts) {
  patterns.add<NamedLowering>(patterns.getContext(), ("ember." + name).str(),
                              fn, accepts);
}

bool lowering::hasLowerableTypes(Operation *op) {
  auto ok = [](Type type) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    return tensor && tensor.hasStaticShape() &&
           !tensor.getElementType().isUnsignedInteger();
  };
  return llvm::all_of(op->getOperandTypes(), ok) &&
         llvm::all_of(op->getResultTypes(), ok);
}

Value lowering::convertScalar(OpBuilder &b, Location loc, Value v, Type to) {
  Type from = v.getType();
  if (from == to)
    return v;
  auto fromFloat = dyn_cast<FloatType>(from);
  auto toFloat = dyn_cast<FloatType>(to);
  if (fromFloat && toFloat) {
    if (fromFloat.getWidth() < toFloat.getWidth())
      return b.create<arith::ExtFOp>(loc, to, v);
    return b.create<arith::TruncFOp>(loc, to, v);
  }
  if (toFloat) {
    if (from.isInteger(1))
      return b.create<arith::UIToFPOp>(loc, to, v);
    return b.create<arith::SIToFPOp>(loc, to, v);
  }
  if (fromFloat) {
    if (to.isInteger(1))
      return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNE, v,
                                     scalarConstant(b, loc, from, 0.0));
    return b.create<arith::FPToSIOp>(loc, to, v);
  }
  if (to.isInteger(1))
    return b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, v,
                                   scalarConstant(b, loc, from, 0.0));
  if (from.isInteger(1))
    return b.create<arith::ExtUIOp>(loc, to, v);
  if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
    return b.create<arith::ExtSIOp>(loc, to, v);
  return b.create<arith::TruncIOp>(loc, to, v);
}

Value lowering::scalarConstant(OpBuilder &b, Location loc, Type type,
                               double value) {
  if (isa<FloatType>(type))
    return b.create<arith::ConstantOp>(loc, b.getFloatAttr(type, value));
  if (type.isInteger(1))
    return b.create<arith::ConstantOp>(loc, b.getBoolAttr(value != 0));
  return b.create<arith::ConstantOp>(
      loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

std::optional<double> lowering::scalarValue(Attribute scalar) {
  if (auto f = dyn_cast_or_null<FloatAttr>(scalar))
    return f.getValueAsDouble();
  if (auto i = dyn_cast_or_null<IntegerAttr>(scalar))
    return static_cast<double>(i.getInt());
  if (auto flag = dyn_cast_or_null<BoolAttr>(scalar))
    return flag.getValue() ? 1.0 : 0.0;
  return std::nullopt;
}

Value lowering::scalarConstant(OpBuilder &b, Location loc, Type type,
                               Attribute scalar) {
  // Integers stay exact (no trip through double) on integer types.
  if (auto i = dyn_cast<IntegerAttr>(scalar); i && !isa<BoolAttr>(scalar) &&
                                              isa<IntegerType>(type) &&
                                              !type.isInteger(1))
    return b.create<arith::ConstantOp>(loc, b.getIntegerAttr(type, i.getInt()));
  return scalarConstant(b, loc, type, scalarValue(scalar).value_or(0.0));
}

AffineMap lowering::broadcastMap(MLIRContext *context, RankedTensorType type,
                                 ArrayRef<int64_t> resultShape) {
  int64_t resultRank = resultShape.size();
  int64_t rank = type.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t j = resultRank - rank + i;
    if (type.getDimSize(i) == 1 && resultShape[j] != 1)
      exprs.push_back(getAffineConstantExpr(0, context));
    else
      exprs.push_back(getAffineDimExpr(j, context));
  }
  return AffineMap::get(resultRank, 0, exprs, context);
}

Value lowering::buildElementwise(OpBuilder &b, Location loc,
                                 RankedTensorType resultType, ValueRange inputs,
                                 BodyFn body) {
  MLIRContext *context = b.getContext();
  Value empty = b.create<tensor::EmptyOp>(loc, resultType.getShape(),
                                          resultType.getElementType());
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(broadcastMap(context,
                                cast<RankedTensorType>(input.getType()),
                                resultType.getShape()));
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{resultType}, inputs, ValueRange{empty}, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = body(nested, nestedLoc, args.drop_back());
        nested.create<linalg::YieldOp>(nestedLoc, result);
      });
  return generic.getResult(0);
}

Value lowering::buildFilled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                            Value init) {
  Value empty = b.create<tensor::EmptyOp>(loc, shape, init.getType());
  return b.create<linalg::FillOp>(loc, ValueRange{init}, ValueRange{empty})
      .getResult(0);
}

Value lowering::buildReduction(
    OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> dims,
    Type elementType, Value init,
    llvm::function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  MLIRContext *context = b.getContext();
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t rank = inputType.getRank();
  SmallVector<int64_t> outShape;
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t i = 0; i < rank; ++i) {
    if (llvm::is_contained(dims, i)) {
      iterators.push_back(utils::IteratorType::reduction);
      continue;
    }
    iterators.push_back(utils::IteratorType::parallel);
    outShape.push_back(inputType.getDimSize(i));
    outExprs.push_back(getAffineDimExpr(i, context));
  }
  Value out = buildFilled(b, loc, outShape, init);
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 AffineMap::get(rank, 0, outExprs, context)};
  Type accType = init.getType();
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{out.getType()}, ValueRange{input}, ValueRange{out}, maps,
      iterators, [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value element = args[0];
        if (elementType)
          element = convertScalar(nested, nestedLoc, element, elementType);
        element = convertScalar(nested, nestedLoc, element, accType);
        nested.create<linalg::YieldOp>(
            nestedLoc, combine(nested, nestedLoc, element, args[1]));
      });
  return generic.getResult(0);
}

SmallVector<int64_t>
lowering::reductionDims(std::optional<ArrayRef<int64_t>> dims, int64_t rank) {
  SmallVector<int64_t> result;
  if (!dims || dims->empty()) {
    for (int64_t i = 0; i < rank; ++i)
      result.push_back(i);
    return result;
  }
  for (int64_t d : *dims) {
    if (rank == 0)
      continue; // a 0-d tensor takes dim 0 / -1 and reduces nothing
    int64_t wrapped = d < 0 ? d + rank : d;
    if (!llvm::is_contained(result, wrapped))
      result.push_back(wrapped);
  }
  llvm::sort(result);
  return result;
}

Value lowering::reshapeTo(OpBuilder &b, Location loc, Value v,
                          RankedTensorType type) {
  auto source = cast<RankedTensorType>(v.getType());
  if (source.getShape() == type.getShape())
    return v;
  if (source.getRank() != type.getRank()) {
    bool collapse = source.getRank() > type.getRank();
    std::optional<SmallVector<ReassociationIndices>> reassociation =
        collapse ? getReassociationIndicesForReshape(source, type)
                 : getReassociationIndicesForReshape(type, source);
    if (reassociation) {
      if (collapse)
        return b.create<tensor::CollapseShapeOp>(loc, type, v, *reassociation);
      return b.create<tensor::ExpandShapeOp>(loc, type, v, *reassociation);
    }
  }
  // Through a 1-D tensor of all elements.
  auto flatType =
      RankedTensorType::get({type.getNumElements()}, type.getElementType());
  auto all = [](int64_t rank) {
    ReassociationIndices indices;
    for (int64_t i = 0; i < rank; ++i)
      indices.push_back(i);
    return SmallVector<ReassociationIndices>{indices};
  };
  Value flat = v;
  if (source.getRank() == 0)
    flat = b.create<tensor::ExpandShapeOp>(loc, flatType, v,
                                           SmallVector<ReassociationIndices>{});
  else if (source.getRank() > 1)
    flat = b.create<tensor::CollapseShapeOp>(loc, flatType, v,
                                             all(source.getRank()));
  if (type.getRank() == 0)
    return b.create<tensor::CollapseShapeOp>(
        loc, type, flat, SmallVector<ReassociationIndices>{});
  if (type.getRank() == 1)
    return flat;
  return b.create<tensor::ExpandShapeOp>(loc, type, flat, all(type.getRank()));
}

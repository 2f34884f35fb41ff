//===- Shape.cpp - lowering of ember's shape and view ops -----------------===//
//
// On value semantics (after functionalize) a view is a new value:
//   view, reshape, flatten, squeeze, unsqueeze -> tensor.collapse_shape /
//     tensor.expand_shape (through a 1-D tensor when neither fits);
//   permute, transpose -> linalg.transpose;
//   expand -> a broadcasting linalg.generic (a copy; fuses like elementwise);
//   narrow, slice, select -> tensor.extract_slice (rank-reducing for select);
//   cat, stack -> tensor.empty + one tensor.insert_slice per operand
//     (operands first converted to the promoted result type);
//   contiguous, clone, to_device -> the operand itself.
// as_strided has no lowering (its strides address the base's storage).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

using namespace mlir;
using namespace mlir::ember;
using namespace mlir::ember::lowering;

namespace {

int64_t wrap(int64_t dim, int64_t rank) { return dim < 0 ? dim + rank : dim; }

int64_t i64Attr(Operation *op, StringRef name, int64_t dflt = 0) {
  if (auto attr = op->getAttrOfType<IntegerAttr>(name))
    return attr.getInt();
  return dflt;
}

FailureOr<Value> lowerReshape(ConversionPatternRewriter &rewriter,
                              Operation *op, ValueRange operands) {
  return reshapeTo(rewriter, op->getLoc(), operands[0], resultType(op));
}

FailureOr<Value> lowerIdentity(ConversionPatternRewriter &, Operation *op,
                               ValueRange operands) {
  if (operands[0].getType() != resultType(op))
    return failure();
  return operands[0];
}

FailureOr<Value> transposeBy(ConversionPatternRewriter &rewriter, Operation *op,
                             Value input, ArrayRef<int64_t> permutation) {
  RankedTensorType type = resultType(op);
  Value init = rewriter.create<tensor::EmptyOp>(op->getLoc(), type.getShape(),
                                                type.getElementType());
  return rewriter
      .create<linalg::TransposeOp>(op->getLoc(), input, init, permutation)
      .getResult()[0];
}

FailureOr<Value> lowerPermute(ConversionPatternRewriter &rewriter,
                              Operation *op, ValueRange operands) {
  auto dims = op->getAttrOfType<DenseI64ArrayAttr>("dims");
  int64_t rank = resultType(op).getRank();
  if (!dims || static_cast<int64_t>(dims.size()) != rank)
    return failure();
  SmallVector<int64_t> permutation;
  for (int64_t d : dims.asArrayRef())
    permutation.push_back(wrap(d, rank));
  return transposeBy(rewriter, op, operands[0], permutation);
}

FailureOr<Value> lowerTranspose(ConversionPatternRewriter &rewriter,
                                Operation *op, ValueRange operands) {
  int64_t rank = resultType(op).getRank();
  if (rank == 0)
    return operands[0];
  SmallVector<int64_t> permutation;
  for (int64_t i = 0; i < rank; ++i)
    permutation.push_back(i);
  std::swap(permutation[wrap(i64Attr(op, "dim0"), rank)],
            permutation[wrap(i64Attr(op, "dim1"), rank)]);
  return transposeBy(rewriter, op, operands[0], permutation);
}

FailureOr<Value> lowerExpand(ConversionPatternRewriter &rewriter, Operation *op,
                             ValueRange operands) {
  return buildElementwise(
      rewriter, op->getLoc(), resultType(op), operands,
      [](OpBuilder &, Location, ValueRange args) { return args[0]; });
}

/// An extract_slice of `input` along `dim` from `start` with `step`, the
/// other dims whole, into `type` (rank-reduced for select).
Value sliceAlong(ConversionPatternRewriter &rewriter, Location loc, Value input,
                 RankedTensorType type, int64_t dim, int64_t start,
                 int64_t size, int64_t step) {
  auto inputType = cast<RankedTensorType>(input.getType());
  SmallVector<OpFoldResult> offsets, sizes, strides;
  for (int64_t i = 0; i < inputType.getRank(); ++i) {
    bool at = i == dim;
    offsets.push_back(rewriter.getIndexAttr(at ? start : 0));
    sizes.push_back(rewriter.getIndexAttr(at ? size : inputType.getDimSize(i)));
    strides.push_back(rewriter.getIndexAttr(at ? step : 1));
  }
  return rewriter.create<tensor::ExtractSliceOp>(loc, type, input, offsets,
                                                 sizes, strides);
}

FailureOr<Value> lowerNarrow(ConversionPatternRewriter &rewriter, Operation *op,
                             ValueRange operands) {
  auto inputType = cast<RankedTensorType>(operands[0].getType());
  int64_t rank = inputType.getRank();
  if (rank == 0)
    return failure();
  int64_t dim = wrap(i64Attr(op, "dim"), rank);
  int64_t start = i64Attr(op, "start");
  if (start < 0)
    start += inputType.getDimSize(dim);
  return sliceAlong(rewriter, op->getLoc(), operands[0], resultType(op), dim,
                    start, resultType(op).getDimSize(dim), 1);
}

FailureOr<Value> lowerSlice(ConversionPatternRewriter &rewriter, Operation *op,
                            ValueRange operands) {
  auto inputType = cast<RankedTensorType>(operands[0].getType());
  int64_t rank = inputType.getRank();
  if (rank == 0)
    return failure();
  int64_t dim = wrap(i64Attr(op, "dim"), rank);
  int64_t size = inputType.getDimSize(dim);
  // torch's slice: wrap a negative start, clamp it to [0, size].
  int64_t start = i64Attr(op, "start", 0);
  if (start < 0)
    start += size;
  start = std::clamp<int64_t>(start, 0, size);
  int64_t step = i64Attr(op, "step", 1);
  if (step <= 0)
    return failure();
  int64_t length = resultType(op).getDimSize(dim);
  if (length == 0)
    start = 0;
  return sliceAlong(rewriter, op->getLoc(), operands[0], resultType(op), dim,
                    start, length, step);
}

FailureOr<Value> lowerSelect(ConversionPatternRewriter &rewriter, Operation *op,
                             ValueRange operands) {
  auto inputType = cast<RankedTensorType>(operands[0].getType());
  int64_t rank = inputType.getRank();
  if (rank == 0)
    return failure();
  int64_t dim = wrap(i64Attr(op, "dim"), rank);
  int64_t index = i64Attr(op, "index");
  if (index < 0)
    index += inputType.getDimSize(dim);
  return sliceAlong(rewriter, op->getLoc(), operands[0], resultType(op), dim,
                    index, 1, 1);
}

/// cat (stacked = false) and stack (stacked = true).
FailureOr<Value> concatenate(ConversionPatternRewriter &rewriter, Operation *op,
                             ValueRange operands, bool stacked) {
  Location loc = op->getLoc();
  RankedTensorType type = resultType(op);
  int64_t rank = type.getRank();
  if (rank == 0)
    return failure();
  int64_t dim = wrap(i64Attr(op, "dim"), rank);
  Value result = rewriter.create<tensor::EmptyOp>(loc, type.getShape(),
                                                  type.getElementType());
  int64_t offset = 0;
  for (Value input : operands) {
    auto inputType = cast<RankedTensorType>(input.getType());
    // Empty operands (cat's legacy 1-D [0] tensors included) add nothing.
    if (inputType.getNumElements() == 0)
      continue;
    if (!stacked && inputType.getRank() != rank)
      return failure();
    if (inputType.getElementType() != type.getElementType()) {
      auto converted =
          RankedTensorType::get(inputType.getShape(), type.getElementType());
      input = buildElementwise(rewriter, loc, converted, input,
                               [&](OpBuilder &b, Location l, ValueRange args) {
                                 return convertScalar(b, l, args[0],
                                                      type.getElementType());
                               });
    }
    int64_t extent = stacked ? 1 : inputType.getDimSize(dim);
    SmallVector<OpFoldResult> offsets, sizes, strides;
    for (int64_t i = 0, j = 0; i < rank; ++i) {
      offsets.push_back(rewriter.getIndexAttr(i == dim ? offset : 0));
      if (i == dim) {
        sizes.push_back(rewriter.getIndexAttr(extent));
        if (!stacked)
          ++j;
      } else {
        sizes.push_back(rewriter.getIndexAttr(inputType.getDimSize(j++)));
      }
      strides.push_back(rewriter.getIndexAttr(1));
    }
    result = rewriter.create<tensor::InsertSliceOp>(loc, input, result, offsets,
                                                    sizes, strides);
    offset += extent;
  }
  return result;
}

FailureOr<Value> lowerCat(ConversionPatternRewriter &rewriter, Operation *op,
                          ValueRange operands) {
  return concatenate(rewriter, op, operands, /*stacked=*/false);
}
FailureOr<Value> lowerStack(ConversionPatternRewriter &rewriter, Operation *op,
                            ValueRange operands) {
  return concatenate(rewriter, op, operands, /*stacked=*/true);
}

} // namespace

void lowering::populateShapePatterns(RewritePatternSet &patterns) {
  for (StringRef name : {"view", "reshape", "flatten", "squeeze", "unsqueeze"})
    addLowering(patterns, name, lowerReshape);
  for (StringRef name : {"contiguous", "clone", "to_device"})
    addLowering(patterns, name, lowerIdentity);
  addLowering(patterns, "permute", lowerPermute);
  addLowering(patterns, "transpose", lowerTranspose);
  addLowering(patterns, "expand", lowerExpand);
  addLowering(patterns, "narrow", lowerNarrow);
  addLowering(patterns, "slice", lowerSlice);
  addLowering(patterns, "select", lowerSelect);
  addLowering(patterns, "cat", lowerCat);
  addLowering(patterns, "stack", lowerStack);
}

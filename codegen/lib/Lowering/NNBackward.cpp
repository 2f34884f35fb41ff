//===- NNBackward.cpp - lowering of conv2d's and avg_pool2d's gradients --===//
//
// The gradient ops the autograd rules of conv2d and avg_pool2d emit, as
// compositions that end in linalg's named conv/pooling ops, so that the
// heavy part of a conv gradient runs OpenBLAS (ember-matmul-to-runtime):
//
// conv2d_backward_input (groups 1) is the transposed convolution: grad_out
// zero-stuffed by the stride (tensor.insert_slice with strides into a zero
// tensor) at an offset of dilation * (k - 1) - padding (entries that would
// land outside are sliced off first, which covers negative offsets and the
// rows a strided forward never read), convolved with stride 1 and the
// forward's dilation by the weight flipped spatially with in/out channels
// swapped. conv2d_backward_weight (groups 1) is the correlation of the
// padded input, read as [C, N, H, W], with grad_out as [F, N, OH, OW]
// filters: stride = forward dilation, dilation = forward stride; the
// input is cropped to the rows the forward read, so the result is exactly
// [C, F, kH, kW], then transposed to [F, C, kH, kW].
//
// avg_pool2d_backward (every configuration) is the same transposed scheme
// with an all-ones depthwise kernel: grad_out divided by the forward's
// divisors, zero-stuffed and offset by k - 1 - padding, then
// linalg.pooling_nchw_sum with stride 1. Window positions in the padding are
// never written, as eager's clipped windows.
//
// max_pool2d_backward is in MaxPoolBackward.cpp.
//
// 3-D (unbatched) operands get N = 1 as in the forward lowering.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace mlir::ember;
using namespace mlir::ember::lowering;

namespace {

using Pair = std::array<int64_t, 2>;

SmallVector<OpFoldResult> indices(OpBuilder &b, ArrayRef<int64_t> values) {
  return getAsIndexOpFoldResult(b.getContext(), values);
}

/// The unit-stride `sizes` block of `v` at `offsets`.
Value slice(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> offsets,
            ArrayRef<int64_t> sizes) {
  auto type = RankedTensorType::get(sizes, elementTypeOf(v));
  SmallVector<int64_t> ones(sizes.size(), 1);
  return b.create<tensor::ExtractSliceOp>(loc, type, v, indices(b, offsets),
                                          indices(b, sizes), indices(b, ones));
}

/// A zero `[N, C, total]` tensor with `g` `[N, C, O0, O1]` inserted at rows
/// `low + o * stride` (per spatial dim); the entries of `g` that would land
/// outside `[0, total)` are dropped (negative `low`, or rows past the end).
Value stuffAndPad(OpBuilder &b, Location loc, Value g, Pair stride, Pair low,
                  Pair total, Value zero) {
  auto type = cast<RankedTensorType>(g.getType());
  int64_t n = type.getDimSize(0), c = type.getDimSize(1);
  Value result = buildFilled(b, loc, {n, c, total[0], total[1]}, zero);
  Pair first, count;
  for (int i = 0; i < 2; ++i) {
    int64_t size = type.getDimSize(2 + i);
    // The first o with low + o * stride >= 0, the last with < total.
    first[i] = low[i] >= 0 ? 0 : (-low[i] + stride[i] - 1) / stride[i];
    int64_t end = total[i] - 1 - low[i] < 0
                      ? 0
                      : std::min(size, (total[i] - 1 - low[i]) / stride[i] + 1);
    count[i] = end - first[i];
    if (count[i] <= 0)
      return result; // nothing of g lands inside
  }
  if (count[0] != type.getDimSize(2) || count[1] != type.getDimSize(3))
    g = slice(b, loc, g, {0, 0, first[0], first[1]},
              {n, c, count[0], count[1]});
  return b.create<tensor::InsertSliceOp>(
      loc, g, result,
      indices(b, {0, 0, low[0] + first[0] * stride[0],
                  low[1] + first[1] * stride[1]}),
      indices(b, {n, c, count[0], count[1]}),
      indices(b, {1, 1, stride[0], stride[1]}));
}

/// `v` with its first two dims swapped (a copy; linalg.transpose).
Value swapLeadingDims(OpBuilder &b, Location loc, Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape(type.getShape());
  std::swap(shape[0], shape[1]);
  Value init = b.create<tensor::EmptyOp>(loc, shape, type.getElementType());
  return b
      .create<linalg::TransposeOp>(loc, v, init, ArrayRef<int64_t>{1, 0, 2, 3})
      .getResult()[0];
}

bool sameFloatTypes(Operation *op) {
  Type t = resultType(op).getElementType();
  if (!isa<FloatType>(t))
    return false;
  for (Value operand : op->getOperands())
    if (elementTypeOf(operand) != t)
      return false;
  return true;
}

bool acceptsConvBackward(Operation *op) {
  auto groups = op->getAttrOfType<IntegerAttr>("groups");
  auto rank = cast<RankedTensorType>(op->getOperand(0).getType()).getRank();
  return (!groups || groups.getInt() == 1) && (rank == 3 || rank == 4) &&
         sameFloatTypes(op);
}

FailureOr<Value> lowerConv2dBackwardInput(ConversionPatternRewriter &rewriter,
                                          Operation *op, ValueRange operands) {
  Location loc = op->getLoc();
  RankedTensorType type = resultType(op);
  Type t = type.getElementType();
  RankedTensorType outType = nchwType(type);
  Pair stride = pairAttr(op, "stride", {1, 1});
  Pair padding = pairAttr(op, "padding", {0, 0});
  Pair dilation = pairAttr(op, "dilation", {1, 1});
  Value weight = operands[1];
  auto weightType = cast<RankedTensorType>(weight.getType());
  int64_t f = weightType.getDimSize(0), c = weightType.getDimSize(1);
  Pair kernel = {weightType.getDimSize(2), weightType.getDimSize(3)};
  Value zero = scalarConstant(rewriter, loc, t, 0.0);
  // Input row h receives grad_out row o through kernel row k when
  // o * stride + k * dilation - padding = h; with k' = kernel - 1 - k that is
  // a stride-1 conv over the stuffed rows offset by dilation*(kernel-1)-pad.
  Pair low, total;
  for (int i = 0; i < 2; ++i) {
    low[i] = dilation[i] * (kernel[i] - 1) - padding[i];
    total[i] = outType.getDimSize(2 + i) + dilation[i] * (kernel[i] - 1);
  }
  Value grad = toNCHW(rewriter, loc, operands[0]);
  Value stuffed = stuffAndPad(rewriter, loc, grad, stride, low, total, zero);
  // flipped[c, f, i, j] = weight[f, c, kH - 1 - i, kW - 1 - j].
  MLIRContext *context = rewriter.getContext();
  AffineExpr d0 = getAffineDimExpr(0, context),
             d1 = getAffineDimExpr(1, context),
             d2 = getAffineDimExpr(2, context),
             d3 = getAffineDimExpr(3, context);
  AffineMap flip = AffineMap::get(
      4, 0, {d1, d0, kernel[0] - 1 - d2, kernel[1] - 1 - d3}, context);
  Value flippedInit = rewriter.create<tensor::EmptyOp>(
      loc, ArrayRef<int64_t>{c, f, kernel[0], kernel[1]}, t);
  Value flipped =
      rewriter
          .create<linalg::GenericOp>(
              loc, TypeRange{flippedInit.getType()}, ValueRange{weight},
              ValueRange{flippedInit},
              SmallVector<AffineMap>{flip, rewriter.getMultiDimIdentityMap(4)},
              SmallVector<utils::IteratorType>(4,
                                               utils::IteratorType::parallel),
              [](OpBuilder &b, Location l, ValueRange args) {
                b.create<linalg::YieldOp>(l, args[0]);
              })
          .getResult(0);
  Value init = buildFilled(rewriter, loc, outType.getShape(), zero);
  Value result = rewriter
                     .create<linalg::Conv2DNchwFchwOp>(
                         loc, TypeRange{outType}, ValueRange{stuffed, flipped},
                         ValueRange{init}, rewriter.getI64VectorAttr({1, 1}),
                         rewriter.getI64VectorAttr(dilation))
                     .getResult(0);
  return reshapeTo(rewriter, loc, result, type);
}

FailureOr<Value> lowerConv2dBackwardWeight(ConversionPatternRewriter &rewriter,
                                           Operation *op, ValueRange operands) {
  Location loc = op->getLoc();
  RankedTensorType type = resultType(op); // [F, C, kH, kW]
  Type t = type.getElementType();
  Pair stride = pairAttr(op, "stride", {1, 1});
  Pair padding = pairAttr(op, "padding", {0, 0});
  Pair dilation = pairAttr(op, "dilation", {1, 1});
  Value grad = toNCHW(rewriter, loc, operands[0]);
  Value input = toNCHW(rewriter, loc, operands[1]);
  auto gradType = cast<RankedTensorType>(grad.getType());
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t n = inputType.getDimSize(0), c = inputType.getDimSize(1),
          f = type.getDimSize(0);
  Pair kernel = {type.getDimSize(2), type.getDimSize(3)};
  Value zero = scalarConstant(rewriter, loc, t, 0.0);
  input = padHW(rewriter, loc, input, padding, padding, zero);
  // Only the rows the forward read, so the conv's result is exactly
  // [kH, kW] (a strided forward may skip the last rows).
  Pair need;
  for (int i = 0; i < 2; ++i)
    need[i] = stride[i] * (gradType.getDimSize(2 + i) - 1) +
              dilation[i] * (kernel[i] - 1) + 1;
  auto paddedType = cast<RankedTensorType>(input.getType());
  if (need[0] != paddedType.getDimSize(2) ||
      need[1] != paddedType.getDimSize(3))
    input = slice(rewriter, loc, input, {0, 0, 0, 0}, {n, c, need[0], need[1]});
  // gw[f, c, i, j] = sum_{n, oh, ow} x[n, c, oh*s + i*d, ow*s + j*d] *
  // g[n, f, oh, ow]: a conv of x as [C, N, ...] by g as [F, N, OH, OW].
  Value images = swapLeadingDims(rewriter, loc, input);
  Value filters = swapLeadingDims(rewriter, loc, grad);
  auto swappedType = RankedTensorType::get({c, f, kernel[0], kernel[1]}, t);
  Value init = buildFilled(rewriter, loc, swappedType.getShape(), zero);
  Value result =
      rewriter
          .create<linalg::Conv2DNchwFchwOp>(
              loc, TypeRange{swappedType}, ValueRange{images, filters},
              ValueRange{init}, rewriter.getI64VectorAttr(dilation),
              rewriter.getI64VectorAttr(stride))
          .getResult(0);
  return swapLeadingDims(rewriter, loc, result);
}

bool acceptsPoolBackward(Operation *op) {
  auto rank = cast<RankedTensorType>(op->getOperand(0).getType()).getRank();
  return (rank == 3 || rank == 4) && sameFloatTypes(op);
}

FailureOr<Value> lowerAvgPool2dBackward(ConversionPatternRewriter &rewriter,
                                        Operation *op, ValueRange operands) {
  Location loc = op->getLoc();
  RankedTensorType type = resultType(op);
  Type t = type.getElementType();
  RankedTensorType outType = nchwType(type);
  Pair kernel = pairAttr(op, "kernel_size", {1, 1});
  Pair stride = pairAttr(op, "stride", kernel);
  Pair padding = pairAttr(op, "padding", {0, 0});
  auto includePad = op->getAttrOfType<BoolAttr>("count_include_pad");
  bool countPad = !includePad || includePad.getValue();
  Value grad = toNCHW(rewriter, loc, operands[0]);
  auto gradType = cast<RankedTensorType>(grad.getType());
  Pair size = {outType.getDimSize(2), outType.getDimSize(3)};
  Pair out = {gradType.getDimSize(2), gradType.getDimSize(3)};
  Value divisors = avgPoolDivisors(rewriter, loc, t, size, out, kernel, stride,
                                   padding, countPad);
  grad = buildElementwise(
      rewriter, loc, gradType, ValueRange{grad, divisors},
      [](OpBuilder &b, Location l, ValueRange args) {
        return b.create<arith::DivFOp>(l, args[0], args[1]).getResult();
      });
  // Input row h gets output row o when o * stride - padding + k = h for a k
  // in [0, kernel): a stride-1 window sum over the stuffed rows offset by
  // kernel - 1 - padding.
  Pair low, total;
  for (int i = 0; i < 2; ++i) {
    low[i] = kernel[i] - 1 - padding[i];
    total[i] = size[i] + kernel[i] - 1;
  }
  Value zero = scalarConstant(rewriter, loc, t, 0.0);
  Value stuffed = stuffAndPad(rewriter, loc, grad, stride, low, total, zero);
  Value acc = buildFilled(rewriter, loc, outType.getShape(), zero);
  Value window = rewriter.create<tensor::EmptyOp>(
      loc, ArrayRef<int64_t>{kernel[0], kernel[1]}, t);
  Value result = rewriter
                     .create<linalg::PoolingNchwSumOp>(
                         loc, TypeRange{outType}, ValueRange{stuffed, window},
                         ValueRange{acc}, rewriter.getI64VectorAttr({1, 1}),
                         rewriter.getI64VectorAttr({1, 1}))
                     .getResult(0);
  return reshapeTo(rewriter, loc, result, type);
}

} // namespace

void lowering::populateNNBackwardPatterns(RewritePatternSet &patterns) {
  addLowering(patterns, "conv2d_backward_input", lowerConv2dBackwardInput,
              acceptsConvBackward);
  addLowering(patterns, "conv2d_backward_weight", lowerConv2dBackwardWeight,
              acceptsConvBackward);
  addLowering(patterns, "avg_pool2d_backward", lowerAvgPool2dBackward,
              acceptsPoolBackward);
  populateMaxPoolBackwardPatterns(patterns);
}

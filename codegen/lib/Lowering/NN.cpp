//===- NN.cpp - lowering of ember's convolution and pooling ---------------===//
//
// conv2d (groups 1) -> tensor.pad with 0 + linalg.conv_2d_nchw_fchw into a
// zero-filled init, then the bias added by a broadcasting linalg.generic (as
// eager: the sum first, then the bias); max_pool2d -> tensor.pad with -inf +
// linalg.pooling_nchw_max from -inf (NaN propagates); avg_pool2d -> tensor.pad
// with 0 + linalg.pooling_nchw_sum, divided by a literal tensor of the
// per-position divisors (eager's rule: the window clipped to the padded
// input with count_include_pad, to the input without; empty windows give 0).
// ceil_mode needs no rule of its own: the result type has the output size,
// and the high side is padded as far as the last window reaches. A 3-D
// `[C, H, W]` input is expanded to `[1, C, H, W]` and the result collapsed.
// Grouped convolutions have no lowering; the backward ops are in
// NNBackward.cpp.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include <limits>

using namespace mlir;
using namespace mlir::ember;
using namespace mlir::ember::lowering;

std::array<int64_t, 2> lowering::pairAttr(Operation *op, StringRef name,
                                          std::array<int64_t, 2> dflt) {
  auto attr = op->getAttrOfType<DenseI64ArrayAttr>(name);
  if (!attr || attr.empty())
    return dflt;
  if (attr.size() == 1)
    return {attr[0], attr[0]};
  return {attr[0], attr[1]};
}

Value lowering::toNCHW(OpBuilder &b, Location loc, Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getRank() == 4)
    return v;
  return reshapeTo(b, loc, v, nchwType(type));
}

RankedTensorType lowering::nchwType(RankedTensorType type) {
  if (type.getRank() == 4)
    return type;
  SmallVector<int64_t> shape = {1};
  llvm::append_range(shape, type.getShape());
  return RankedTensorType::get(shape, type.getElementType());
}

Value lowering::padHW(OpBuilder &b, Location loc, Value v,
                      std::array<int64_t, 2> low, std::array<int64_t, 2> high,
                      Value value) {
  if (low == std::array<int64_t, 2>{0, 0} &&
      high == std::array<int64_t, 2>{0, 0})
    return v;
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[2] += low[0] + high[0];
  shape[3] += low[1] + high[1];
  SmallVector<OpFoldResult> lows = {b.getIndexAttr(0), b.getIndexAttr(0),
                                    b.getIndexAttr(low[0]),
                                    b.getIndexAttr(low[1])};
  SmallVector<OpFoldResult> highs = {b.getIndexAttr(0), b.getIndexAttr(0),
                                     b.getIndexAttr(high[0]),
                                     b.getIndexAttr(high[1])};
  return b.create<tensor::PadOp>(
      loc, RankedTensorType::get(shape, type.getElementType()), v, lows, highs,
      value);
}

Value lowering::avgPoolDivisors(OpBuilder &b, Location loc, Type t,
                                std::array<int64_t, 2> size,
                                std::array<int64_t, 2> out,
                                std::array<int64_t, 2> kernel,
                                std::array<int64_t, 2> stride,
                                std::array<int64_t, 2> padding, bool countPad) {
  SmallVector<Attribute> divisors;
  for (int64_t oh = 0; oh < out[0]; ++oh)
    for (int64_t ow = 0; ow < out[1]; ++ow) {
      int64_t h0 = oh * stride[0] - padding[0],
              w0 = ow * stride[1] - padding[1];
      int64_t h1 = std::min(h0 + kernel[0], size[0] + padding[0]);
      int64_t w1 = std::min(w0 + kernel[1], size[1] + padding[1]);
      int64_t padded = (h1 - h0) * (w1 - w0);
      h0 = std::max<int64_t>(h0, 0);
      w0 = std::max<int64_t>(w0, 0);
      h1 = std::min(h1, size[0]);
      w1 = std::min(w1, size[1]);
      int64_t divisor = 1; // empty windows: 0 / 1 = 0, as eager
      if (h0 < h1 && w0 < w1)
        divisor = countPad ? padded : (h1 - h0) * (w1 - w0);
      divisors.push_back(b.getFloatAttr(t, static_cast<double>(divisor)));
    }
  auto divisorType = RankedTensorType::get({out[0], out[1]}, t);
  return b.create<arith::ConstantOp>(
      loc, DenseElementsAttr::get(divisorType, divisors));
}

namespace {

bool acceptsConv2d(Operation *op) {
  auto groups = op->getAttrOfType<IntegerAttr>("groups");
  auto rank = cast<RankedTensorType>(op->getOperand(0).getType()).getRank();
  return (!groups || groups.getInt() == 1) && (rank == 3 || rank == 4) &&
         !resultType(op).getElementType().isInteger(1);
}

FailureOr<Value> lowerConv2d(ConversionPatternRewriter &rewriter, Operation *op,
                             ValueRange operands) {
  Location loc = op->getLoc();
  RankedTensorType type = resultType(op);
  Type t = type.getElementType();
  RankedTensorType outType = nchwType(type);
  std::array<int64_t, 2> stride = pairAttr(op, "stride", {1, 1});
  std::array<int64_t, 2> padding = pairAttr(op, "padding", {0, 0});
  std::array<int64_t, 2> dilation = pairAttr(op, "dilation", {1, 1});
  Value zero = scalarConstant(rewriter, loc, t, 0.0);
  Value input = toNCHW(rewriter, loc, operands[0]);
  input = padHW(rewriter, loc, input, padding, padding, zero);
  Value init = buildFilled(rewriter, loc, outType.getShape(), zero);
  Value result =
      rewriter
          .create<linalg::Conv2DNchwFchwOp>(
              loc, TypeRange{outType}, ValueRange{input, operands[1]},
              ValueRange{init}, rewriter.getI64VectorAttr(stride),
              rewriter.getI64VectorAttr(dilation))
          .getResult(0);
  if (operands.size() > 2) {
    // + bias[c], broadcast over N, H, W.
    MLIRContext *context = rewriter.getContext();
    AffineMap id = rewriter.getMultiDimIdentityMap(4);
    AffineMap channel = AffineMap::get(4, 0, getAffineDimExpr(1, context));
    Value empty = rewriter.create<tensor::EmptyOp>(loc, outType.getShape(), t);
    SmallVector<utils::IteratorType> iterators(4,
                                               utils::IteratorType::parallel);
    result =
        rewriter
            .create<linalg::GenericOp>(
                loc, TypeRange{outType}, ValueRange{result, operands[2]},
                ValueRange{empty}, SmallVector<AffineMap>{id, channel, id},
                iterators,
                [&](OpBuilder &b, Location l, ValueRange args) {
                  Value sum =
                      isa<FloatType>(t)
                          ? Value(b.create<arith::AddFOp>(l, args[0], args[1]))
                          : Value(b.create<arith::AddIOp>(l, args[0], args[1]));
                  b.create<linalg::YieldOp>(l, sum);
                })
            .getResult(0);
  }
  return reshapeTo(rewriter, loc, result, type);
}

bool acceptsPool(Operation *op) {
  auto rank = cast<RankedTensorType>(op->getOperand(0).getType()).getRank();
  return (rank == 3 || rank == 4) &&
         isa<FloatType>(resultType(op).getElementType());
}

FailureOr<Value> lowerPool(ConversionPatternRewriter &rewriter, Operation *op,
                           ValueRange operands) {
  Location loc = op->getLoc();
  bool isMax = op->getName().stripDialect() == "max_pool2d";
  RankedTensorType type = resultType(op);
  Type t = type.getElementType();
  RankedTensorType outType = nchwType(type);
  std::array<int64_t, 2> kernel = pairAttr(op, "kernel_size", {1, 1});
  std::array<int64_t, 2> stride = pairAttr(op, "stride", kernel);
  std::array<int64_t, 2> padding = pairAttr(op, "padding", {0, 0});
  std::array<int64_t, 2> dilation =
      isMax ? pairAttr(op, "dilation", {1, 1}) : std::array<int64_t, 2>{1, 1};
  Value input = toNCHW(rewriter, loc, operands[0]);
  auto inputType = cast<RankedTensorType>(input.getType());
  std::array<int64_t, 2> size = {inputType.getDimSize(2),
                                 inputType.getDimSize(3)};
  std::array<int64_t, 2> out = {outType.getDimSize(2), outType.getDimSize(3)};
  // The high side reaches as far as the last window (ceil_mode).
  std::array<int64_t, 2> high;
  for (int i = 0; i < 2; ++i) {
    int64_t need = (out[i] - 1) * stride[i] + dilation[i] * (kernel[i] - 1) + 1;
    high[i] = std::max<int64_t>(0, need - size[i] - padding[i]);
  }
  double inf = std::numeric_limits<double>::infinity();
  Value init = scalarConstant(rewriter, loc, t, isMax ? -inf : 0.0);
  input = padHW(rewriter, loc, input, padding, high, init);
  Value acc = buildFilled(rewriter, loc, outType.getShape(), init);
  Value window = rewriter.create<tensor::EmptyOp>(
      loc, ArrayRef<int64_t>{kernel[0], kernel[1]}, t);
  Attribute strides = rewriter.getI64VectorAttr(stride);
  Attribute dilations = rewriter.getI64VectorAttr(dilation);
  Value result;
  if (isMax) {
    result = rewriter
                 .create<linalg::PoolingNchwMaxOp>(
                     loc, TypeRange{outType}, ValueRange{input, window},
                     ValueRange{acc}, strides, dilations)
                 .getResult(0);
    return reshapeTo(rewriter, loc, result, type);
  }
  result = rewriter
               .create<linalg::PoolingNchwSumOp>(
                   loc, TypeRange{outType}, ValueRange{input, window},
                   ValueRange{acc}, strides, dilations)
               .getResult(0);
  // The divisors, one per output position (eager's rule).
  auto includePad = op->getAttrOfType<BoolAttr>("count_include_pad");
  bool countPad = !includePad || includePad.getValue();
  Value divisorTensor = avgPoolDivisors(rewriter, loc, t, size, out, kernel,
                                        stride, padding, countPad);
  result = buildElementwise(
      rewriter, loc, outType, ValueRange{result, divisorTensor},
      [](OpBuilder &b, Location l, ValueRange args) {
        return b.create<arith::DivFOp>(l, args[0], args[1]).getResult();
      });
  return reshapeTo(rewriter, loc, result, type);
}

} // namespace

void lowering::populateNNPatterns(RewritePatternSet &patterns) {
  addLowering(patterns, "conv2d", lowerConv2d, acceptsConv2d);
  addLowering(patterns, "max_pool2d", lowerPool, acceptsPool);
  addLowering(patterns, "avg_pool2d", lowerPool, acceptsPool);
}

//===- MaxPoolBackward.cpp - lowering of max_pool2d's gradient ------------===//
//
// max_pool2d_backward (every configuration) follows eager's rule: each
// window's gradient goes to its first maximum in row-major window order
// (`v > m || isnan(v)` from -inf, so a window of equal values, e.g. zeros
// after a ReLU, sends it to its first element). Windows that tile the
// input exactly (the CNN's 2x2 pools) become one generic over the input
// positions marked for ember-matmul-to-runtime, which calls the runtime's
// plane loop for it (see lowerTiled). Other non-overlapping windows
// (kernel == stride, no padding, dilation 1, the windows inside the input;
// the common 2x2 pool) take a reduction linalg.generic for the first
// maximum and an elementwise generic over [N, C, OH, kH, OW, kW] that
// writes the gradient there (rows and columns past the last window get
// 0). Other windows may overlap: the reduction records the flat input
// index of each window's maximum, and a gather generic sums, per input
// position, the gradients of the windows it won, in eager's order.
// 3-D (unbatched) operands get N = 1 as in the forward lowering.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include <limits>

using namespace mlir;
using namespace mlir::ember;
using namespace mlir::ember::lowering;

namespace {

using Pair = std::array<int64_t, 2>;

bool acceptsMaxPoolBackward(Operation *op) {
  auto rank = cast<RankedTensorType>(op->getOperand(0).getType()).getRank();
  Type t = resultType(op).getElementType();
  return (rank == 3 || rank == 4) && isa<FloatType>(t) &&
         elementTypeOf(op->getOperand(0)) == t &&
         elementTypeOf(op->getOperand(1)) == t;
}

/// Windows that tile (part of) the input: kernel == stride, no padding,
/// dilation 1, the last window inside the input.
bool isNonOverlapping(Operation *op) {
  Pair kernel = pairAttr(op, "kernel_size", {1, 1});
  Pair stride = pairAttr(op, "stride", kernel);
  Pair padding = pairAttr(op, "padding", {0, 0});
  Pair dilation = pairAttr(op, "dilation", {1, 1});
  auto gradType = cast<RankedTensorType>(op->getOperand(0).getType());
  auto inputType = cast<RankedTensorType>(op->getOperand(1).getType());
  int64_t rank = gradType.getRank();
  for (int i = 0; i < 2; ++i) {
    int64_t out = gradType.getDimSize(rank - 2 + i);
    if (kernel[i] != stride[i] || padding[i] != 0 || dilation[i] != 1 ||
        out * kernel[i] > inputType.getDimSize(rank - 2 + i))
      return false;
  }
  return true;
}

Value lowerNonOverlapping(ConversionPatternRewriter &rewriter, Operation *op,
                          ValueRange operands) {
  Location loc = op->getLoc();
  RankedTensorType type = resultType(op);
  Type t = type.getElementType();
  RankedTensorType outType = nchwType(type);
  Pair kernel = pairAttr(op, "kernel_size", {1, 1});
  Value grad = toNCHW(rewriter, loc, operands[0]);
  Value input = toNCHW(rewriter, loc, operands[1]);
  auto gradType = cast<RankedTensorType>(grad.getType());
  int64_t n = gradType.getDimSize(0), c = gradType.getDimSize(1),
          oh = gradType.getDimSize(2), ow = gradType.getDimSize(3);
  MLIRContext *context = rewriter.getContext();
  SmallVector<AffineExpr> d;
  for (unsigned i = 0; i < 6; ++i)
    d.push_back(getAffineDimExpr(i, context));
  // Loops (n, c, oh, ow, kh, kw), the window dims last and reduced in
  // order, so the first maximum in row-major window order wins.
  AffineMap window = AffineMap::get(
      6, 0, {d[0], d[1], d[2] * kernel[0] + d[4], d[3] * kernel[1] + d[5]},
      context);
  AffineMap perWindow = AffineMap::get(6, 0, {d[0], d[1], d[2], d[3]}, context);
  // An unread [kH, kW] operand gives the window loops their bounds (as
  // linalg's pooling ops do).
  AffineMap windowDims = AffineMap::get(6, 0, {d[4], d[5]}, context);
  Value windowShape = rewriter.create<tensor::EmptyOp>(
      loc, ArrayRef<int64_t>{kernel[0], kernel[1]}, t);
  Type i64 = rewriter.getI64Type();
  double inf = std::numeric_limits<double>::infinity();
  Value maxInit = buildFilled(rewriter, loc, gradType.getShape(),
                              scalarConstant(rewriter, loc, t, -inf));
  Value argInit =
      buildFilled(rewriter, loc, gradType.getShape(),
                  rewriter.create<arith::ConstantIntOp>(loc, 0, 64));
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  iterators.append(2, utils::IteratorType::reduction);
  int64_t kw = kernel[1];
  auto argmax = rewriter.create<linalg::GenericOp>(
      loc, TypeRange{maxInit.getType(), argInit.getType()},
      ValueRange{input, windowShape}, ValueRange{maxInit, argInit},
      SmallVector<AffineMap>{window, windowDims, perWindow, perWindow},
      iterators, [kw, i64](OpBuilder &b, Location l, ValueRange args) {
        Value v = args[0], m = args[2], arg = args[3];
        // v > m || isnan(v), as eager's kernel.
        Value greater =
            b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGT, v, m);
        Value isNan =
            b.create<arith::CmpFOp>(l, arith::CmpFPredicate::UNO, v, v);
        Value take = b.create<arith::OrIOp>(l, greater, isNan);
        Value kh = b.create<arith::IndexCastOp>(
            l, i64, b.create<linalg::IndexOp>(l, 4));
        Value kwIndex = b.create<arith::IndexCastOp>(
            l, i64, b.create<linalg::IndexOp>(l, 5));
        Value pos = b.create<arith::AddIOp>(
            l,
            b.create<arith::MulIOp>(l, kh,
                                    b.create<arith::ConstantIntOp>(l, kw, 64)),
            kwIndex);
        b.create<linalg::YieldOp>(
            l, ValueRange{b.create<arith::SelectOp>(l, take, v, m),
                          b.create<arith::SelectOp>(l, take, pos, arg)});
      });
  Value arg = argmax.getResult(1);
  // grad_in[n, c, oh, kh, ow, kw] = arg == kh * kW + kw ? grad : 0.
  auto spreadType =
      RankedTensorType::get({n, c, oh, kernel[0], ow, kernel[1]}, t);
  AffineMap fromWindow =
      AffineMap::get(6, 0, {d[0], d[1], d[2], d[4]}, context);
  Value spreadInit =
      rewriter.create<tensor::EmptyOp>(loc, spreadType.getShape(), t);
  Value spread =
      rewriter
          .create<linalg::GenericOp>(
              loc, TypeRange{spreadType}, ValueRange{grad, arg},
              ValueRange{spreadInit},
              SmallVector<AffineMap>{fromWindow, fromWindow,
                                     rewriter.getMultiDimIdentityMap(6)},
              SmallVector<utils::IteratorType>(6,
                                               utils::IteratorType::parallel),
              [kw, i64, t](OpBuilder &b, Location l, ValueRange args) {
                Value kh = b.create<arith::IndexCastOp>(
                    l, i64, b.create<linalg::IndexOp>(l, 3));
                Value kwIndex = b.create<arith::IndexCastOp>(
                    l, i64, b.create<linalg::IndexOp>(l, 5));
                Value pos = b.create<arith::AddIOp>(
                    l,
                    b.create<arith::MulIOp>(
                        l, kh, b.create<arith::ConstantIntOp>(l, kw, 64)),
                    kwIndex);
                Value hit = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq,
                                                    pos, args[1]);
                Value zero = scalarConstant(b, l, t, 0.0);
                b.create<linalg::YieldOp>(
                    l, ValueRange{
                           b.create<arith::SelectOp>(l, hit, args[0], zero)});
              })
          .getResult(0);
  Value result = reshapeTo(
      rewriter, loc, spread,
      RankedTensorType::get({n, c, oh * kernel[0], ow * kernel[1]}, t));
  // Rows and columns past the last window (floor mode) get no gradient.
  Value zero = scalarConstant(rewriter, loc, t, 0.0);
  result = padHW(rewriter, loc, result, {0, 0},
                 {outType.getDimSize(2) - oh * kernel[0],
                  outType.getDimSize(3) - ow * kernel[1]},
                 zero);
  return reshapeTo(rewriter, loc, result, type);
}

/// Loop index `dim` of a linalg body as an i64.
Value index64(OpBuilder &b, Location l, int64_t dim) {
  return b.create<arith::IndexCastOp>(l, b.getI64Type(),
                                      b.create<linalg::IndexOp>(l, dim));
}
/// An i64 constant.
Value constant64(OpBuilder &b, Location l, int64_t v) {
  return b.create<arith::ConstantIntOp>(l, v, 64);
}

/// Any window geometry: (1) per window, the flat input index (ih * W + iw)
/// of its first maximum over the positions inside the input, in row-major
/// window order (the first in-bounds position is taken unconditionally, so
/// a window of -inf keeps its first position, as eager; -1 when no position
/// is inside); (2) per input position, the sum of the gradients of the
/// windows whose maximum it is, gathered over the kernel positions that can
/// reach it, in ascending (oh, ow) order as eager's scatter adds them.
Value lowerGeneral(ConversionPatternRewriter &rewriter, Operation *op,
                   ValueRange operands) {
  Location loc = op->getLoc();
  RankedTensorType type = resultType(op);
  Type t = type.getElementType();
  RankedTensorType outType = nchwType(type);
  Pair kernel = pairAttr(op, "kernel_size", {1, 1});
  Pair stride = pairAttr(op, "stride", kernel);
  Pair padding = pairAttr(op, "padding", {0, 0});
  Pair dilation = pairAttr(op, "dilation", {1, 1});
  Value grad = toNCHW(rewriter, loc, operands[0]);
  Value input = toNCHW(rewriter, loc, operands[1]);
  auto gradType = cast<RankedTensorType>(grad.getType());
  Pair size = {outType.getDimSize(2), outType.getDimSize(3)};
  Pair out = {gradType.getDimSize(2), gradType.getDimSize(3)};
  Pair high;
  for (int i = 0; i < 2; ++i) {
    int64_t need = (out[i] - 1) * stride[i] + dilation[i] * (kernel[i] - 1) + 1;
    high[i] = std::max<int64_t>(0, need - size[i] - padding[i]);
  }
  double inf = std::numeric_limits<double>::infinity();
  Value negInf = scalarConstant(rewriter, loc, t, -inf);
  Value padded = padHW(rewriter, loc, input, padding, high, negInf);
  MLIRContext *context = rewriter.getContext();
  SmallVector<AffineExpr> d;
  for (unsigned i = 0; i < 6; ++i)
    d.push_back(getAffineDimExpr(i, context));
  Value windowShape = rewriter.create<tensor::EmptyOp>(
      loc, ArrayRef<int64_t>{kernel[0], kernel[1]}, t);
  AffineMap windowDims = AffineMap::get(6, 0, {d[4], d[5]}, context);
  AffineMap fourDims = AffineMap::get(6, 0, {d[0], d[1], d[2], d[3]}, context);
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  iterators.append(2, utils::IteratorType::reduction);

  // (1) Loops (n, c, oh, ow, kh, kw).
  AffineMap window =
      AffineMap::get(6, 0,
                     {d[0], d[1], d[2] * stride[0] + d[4] * dilation[0],
                      d[3] * stride[1] + d[5] * dilation[1]},
                     context);
  Value maxInit = buildFilled(rewriter, loc, gradType.getShape(), negInf);
  Value argInit =
      buildFilled(rewriter, loc, gradType.getShape(),
                  rewriter.create<arith::ConstantIntOp>(loc, -1, 64));
  auto argmax = rewriter.create<linalg::GenericOp>(
      loc, TypeRange{maxInit.getType(), argInit.getType()},
      ValueRange{padded, windowShape}, ValueRange{maxInit, argInit},
      SmallVector<AffineMap>{window, windowDims, fourDims, fourDims}, iterators,
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value v = args[0], m = args[2], arg = args[3];
        // ih = oh * stride - padding + kh * dilation (and iw).
        Value pos[2], inside[2];
        for (int i = 0; i < 2; ++i) {
          Value ih = b.create<arith::AddIOp>(
              l,
              b.create<arith::MulIOp>(l, index64(b, l, 2 + i),
                                      constant64(b, l, stride[i])),
              b.create<arith::MulIOp>(l, index64(b, l, 4 + i),
                                      constant64(b, l, dilation[i])));
          ih = b.create<arith::SubIOp>(l, ih, constant64(b, l, padding[i]));
          pos[i] = ih;
          inside[i] = b.create<arith::AndIOp>(
              l,
              b.create<arith::CmpIOp>(l, arith::CmpIPredicate::sge, ih,
                                      constant64(b, l, 0)),
              b.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, ih,
                                      constant64(b, l, size[i])));
        }
        Value inBounds = b.create<arith::AndIOp>(l, inside[0], inside[1]);
        Value first = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, arg,
                                              constant64(b, l, -1));
        Value greater =
            b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGT, v, m);
        Value isNan =
            b.create<arith::CmpFOp>(l, arith::CmpFPredicate::UNO, v, v);
        Value take = b.create<arith::AndIOp>(
            l, inBounds,
            b.create<arith::OrIOp>(l, first,
                                   b.create<arith::OrIOp>(l, greater, isNan)));
        Value flat = b.create<arith::AddIOp>(
            l, b.create<arith::MulIOp>(l, pos[0], constant64(b, l, size[1])),
            pos[1]);
        b.create<linalg::YieldOp>(
            l, ValueRange{b.create<arith::SelectOp>(l, take, v, m),
                          b.create<arith::SelectOp>(l, take, flat, arg)});
      });
  Value arg = argmax.getResult(1);

  // (2) Loops (n, c, h, w, r, q) with kh = kH - 1 - r (ascending oh).
  Value zero = scalarConstant(rewriter, loc, t, 0.0);
  Value acc = buildFilled(rewriter, loc, outType.getShape(), zero);
  auto gather = rewriter.create<linalg::GenericOp>(
      loc, TypeRange{outType}, ValueRange{windowShape}, ValueRange{acc},
      SmallVector<AffineMap>{windowDims, fourDims}, iterators,
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value valid, o[2];
        for (int i = 0; i < 2; ++i) {
          // oh * stride = h + padding - kh * dilation, if integral and in
          // range.
          Value kh = b.create<arith::SubIOp>(l, constant64(b, l, kernel[i] - 1),
                                             index64(b, l, 4 + i));
          Value num = b.create<arith::SubIOp>(
              l,
              b.create<arith::AddIOp>(l, index64(b, l, 2 + i),
                                      constant64(b, l, padding[i])),
              b.create<arith::MulIOp>(l, kh, constant64(b, l, dilation[i])));
          Value nonNeg = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::sge,
                                                 num, constant64(b, l, 0));
          Value safe =
              b.create<arith::SelectOp>(l, nonNeg, num, constant64(b, l, 0));
          Value q =
              b.create<arith::DivUIOp>(l, safe, constant64(b, l, stride[i]));
          Value exact = b.create<arith::CmpIOp>(
              l, arith::CmpIPredicate::eq,
              b.create<arith::RemUIOp>(l, safe, constant64(b, l, stride[i])),
              constant64(b, l, 0));
          Value inRange = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt,
                                                  q, constant64(b, l, out[i]));
          Value ok = b.create<arith::AndIOp>(
              l, nonNeg, b.create<arith::AndIOp>(l, exact, inRange));
          valid = i == 0 ? ok : b.create<arith::AndIOp>(l, valid, ok);
          o[i] = q;
        }
        // Clamped so the reads stay in bounds when invalid.
        SmallVector<Value> at = {b.create<linalg::IndexOp>(l, 0),
                                 b.create<linalg::IndexOp>(l, 1)};
        for (int i = 0; i < 2; ++i)
          at.push_back(b.create<arith::IndexCastOp>(
              l, b.getIndexType(),
              b.create<arith::SelectOp>(l, valid, o[i], constant64(b, l, 0))));
        Value winner = b.create<tensor::ExtractOp>(l, arg, at);
        Value g = b.create<tensor::ExtractOp>(l, grad, at);
        Value flat = b.create<arith::AddIOp>(
            l,
            b.create<arith::MulIOp>(l, index64(b, l, 2),
                                    constant64(b, l, size[1])),
            index64(b, l, 3));
        Value hit = b.create<arith::AndIOp>(
            l, valid,
            b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, winner, flat));
        Value sum = b.create<arith::AddFOp>(l, args[1], g);
        b.create<linalg::YieldOp>(
            l, ValueRange{b.create<arith::SelectOp>(l, hit, sum, args[1])});
      });
  return reshapeTo(rewriter, loc, gather.getResult(0), type);
}

/// Non-overlapping windows that tile the input exactly (H = OH * kH, W =
/// OW * kW) and have at most 16 positions: the one-generic form below.
bool isExactTiling(Operation *op) {
  if (!isNonOverlapping(op))
    return false;
  Pair kernel = pairAttr(op, "kernel_size", {1, 1});
  auto gradType = cast<RankedTensorType>(op->getOperand(0).getType());
  auto inputType = cast<RankedTensorType>(op->getOperand(1).getType());
  int64_t rank = gradType.getRank();
  for (int i = 0; i < 2; ++i)
    if (gradType.getDimSize(rank - 2 + i) * kernel[i] !=
        inputType.getDimSize(rank - 2 + i))
      return false;
  return kernel[0] * kernel[1] <= 16;
}

/// One all-parallel generic over the input positions (n, c, h, w): grad_out
/// read at (h / kH, w / kW), the input at (h, w) (so both stay operands),
/// and the rest of the window by tensor.extract, unrolled; it yields
/// grad_out where (h, w) is its window's first maximum and 0 elsewhere.
/// It carries library_call = "ember_rt_max_pool2d_backward" and
/// `ember.kernel`: ember-fuse-elementwise fuses nothing into or out of it,
/// and ember-matmul-to-runtime replaces it by that runtime call (a plane
/// loop, as eager's kernel); these loops are the fallback.
Value lowerTiled(ConversionPatternRewriter &rewriter, Operation *op,
                 ValueRange operands) {
  Location loc = op->getLoc();
  RankedTensorType type = resultType(op);
  Type t = type.getElementType();
  RankedTensorType outType = nchwType(type);
  Pair kernel = pairAttr(op, "kernel_size", {1, 1});
  Value grad = toNCHW(rewriter, loc, operands[0]);
  Value input = toNCHW(rewriter, loc, operands[1]);
  MLIRContext *context = rewriter.getContext();
  SmallVector<AffineExpr> d;
  for (unsigned i = 0; i < 4; ++i)
    d.push_back(getAffineDimExpr(i, context));
  AffineMap window = AffineMap::get(
      4, 0, {d[0], d[1], d[2].floorDiv(kernel[0]), d[3].floorDiv(kernel[1])},
      context);
  AffineMap id = rewriter.getMultiDimIdentityMap(4);
  Value init = rewriter.create<tensor::EmptyOp>(loc, outType.getShape(), t);
  auto generic = rewriter.create<linalg::GenericOp>(
      loc, TypeRange{outType}, ValueRange{grad, input}, ValueRange{init},
      SmallVector<AffineMap>{window, id, id},
      SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location l, ValueRange args) {
        auto index = [&](int64_t v) {
          return b.create<arith::ConstantIndexOp>(l, v).getResult();
        };
        Value n = b.create<linalg::IndexOp>(l, 0);
        Value c = b.create<linalg::IndexOp>(l, 1);
        Value r[2], base[2];
        for (int i = 0; i < 2; ++i) {
          Value at = b.create<linalg::IndexOp>(l, 2 + i);
          r[i] = b.create<arith::RemUIOp>(l, at, index(kernel[i]));
          base[i] = b.create<arith::SubIOp>(l, at, r[i]);
        }
        // The window's first maximum, as eager: v > m || isnan(v).
        Value m, arg = index(0);
        for (int64_t k = 0; k < kernel[0] * kernel[1]; ++k) {
          Value h = b.create<arith::AddIOp>(l, base[0], index(k / kernel[1]));
          Value w = b.create<arith::AddIOp>(l, base[1], index(k % kernel[1]));
          Value v =
              b.create<tensor::ExtractOp>(l, input, ValueRange{n, c, h, w});
          if (k == 0) {
            m = v;
            continue;
          }
          Value take = b.create<arith::OrIOp>(
              l, b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGT, v, m),
              b.create<arith::CmpFOp>(l, arith::CmpFPredicate::UNO, v, v));
          m = b.create<arith::SelectOp>(l, take, v, m);
          arg = b.create<arith::SelectOp>(l, take, index(k), arg);
        }
        Value mine = b.create<arith::AddIOp>(
            l, b.create<arith::MulIOp>(l, r[0], index(kernel[1])), r[1]);
        // arg == mine already implies the own value (args[1]) is m; testing
        // it too keeps the input a used operand, so canonicalization does
        // not drop it (the runtime call takes it from the operands).
        Value own = args[1];
        Value isMax = b.create<arith::OrIOp>(
            l, b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OEQ, own, m),
            b.create<arith::CmpFOp>(l, arith::CmpFPredicate::UNO, own, own));
        Value hit = b.create<arith::AndIOp>(
            l, b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, arg, mine),
            isMax);
        b.create<linalg::YieldOp>(
            l, ValueRange{b.create<arith::SelectOp>(
                   l, hit, args[0], scalarConstant(b, l, t, 0.0))});
      });
  generic.setLibraryCallAttr(
      rewriter.getStringAttr("ember_rt_max_pool2d_backward"));
  generic->setAttr("ember.kernel",
                   rewriter.getDenseI64ArrayAttr({kernel[0], kernel[1]}));
  return reshapeTo(rewriter, loc, generic.getResult(0), type);
}

FailureOr<Value> lowerMaxPool2dBackward(ConversionPatternRewriter &rewriter,
                                        Operation *op, ValueRange operands) {
  if (isExactTiling(op))
    return lowerTiled(rewriter, op, operands);
  if (isNonOverlapping(op))
    return lowerNonOverlapping(rewriter, op, operands);
  return lowerGeneral(rewriter, op, operands);
}

} // namespace

void lowering::populateMaxPoolBackwardPatterns(RewritePatternSet &patterns) {
  addLowering(patterns, "max_pool2d_backward", lowerMaxPool2dBackward,
              acceptsMaxPoolBackward);
}

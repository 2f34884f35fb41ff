//===- ShapeRules.cpp - gradients of views, cat and stack -----------------===//
//
// A view's gradient is the inverse view of the result gradient: reshape
// back (view, reshape, flatten, squeeze, unsqueeze), the inverse
// permutation, the same transpose, expand's sum down to the input shape. A
// piece taken out of the input (narrow, slice with step 1, select) gives the
// result gradient padded with zeros to the input shape (ember.cat of zero
// literals and the piece); a slice with a step > 1 writes the gradient into
// zeros with ember.index_put_. cat's operands get narrows of the gradient,
// stack's get selects. as_strided scatters the gradient into zeros laid out
// like its input (PyTorch's as_strided_backward: elements the result reads
// more than once accumulate), with the storage positions as a constant
// index; this needs the input to be its own storage (not a view).
//
//===----------------------------------------------------------------------===//

#include "GradientUtils.h"

using namespace mlir;
using namespace mlir::ember;
using namespace mlir::ember::grad;

namespace {

using Grads = SmallVectorImpl<Value>;

/// A single-input view: `f(gb, x, g)` is the input gradient.
template <typename F>
LogicalResult view(Operation *op, OpBuilder &b, ArrayRef<Value> resultGrads,
                   Grads &operandGrads, F f) {
  return singleInputRule(op, b, resultGrads, operandGrads, f);
}

Value reshapeBack(GradBuilder &gb, Value x, Value g) {
  return gb.reshape(g, shapeOf(x));
}

/// `piece` (the input's elements [start, start + size) along `dim`) padded
/// with zeros to the shape of `x`.
Value padTo(GradBuilder &gb, Value x, Value piece, int64_t dim, int64_t start) {
  ArrayRef<int64_t> in = shapeOf(x);
  const int64_t size = shapeOf(piece)[dim];
  auto zerosOf = [&](int64_t n) {
    SmallVector<int64_t> shape(in.begin(), in.end());
    shape[dim] = n;
    return gb.zeros(RankedTensorType::get(
        shape, cast<RankedTensorType>(piece.getType()).getElementType()));
  };
  SmallVector<Value> parts;
  if (start > 0)
    parts.push_back(zerosOf(start));
  parts.push_back(piece);
  if (start + size < in[dim])
    parts.push_back(zerosOf(in[dim] - start - size));
  if (parts.size() == 1)
    return piece;
  return gb.create<CatOp>(parts, {gb.i64("dim", dim)});
}

} // namespace

#define RESHAPE_RULE(OP)                                                       \
  LogicalResult OP::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,   \
                                  Grads &operandGrads) {                       \
    return view(*this, b, resultGrads, operandGrads, reshapeBack);             \
  }
RESHAPE_RULE(ViewOp)
RESHAPE_RULE(ReshapeOp)
RESHAPE_RULE(FlattenOp)
RESHAPE_RULE(SqueezeOp)
RESHAPE_RULE(UnsqueezeOp)
#undef RESHAPE_RULE

LogicalResult PermuteOp::buildGradient(OpBuilder &b,
                                       ArrayRef<Value> resultGrads,
                                       Grads &operandGrads) {
  ArrayRef<int64_t> dims = getDims();
  return view(*this, b, resultGrads, operandGrads,
              [&](GradBuilder &gb, Value x, Value g) {
                const int64_t rank = shapeOf(x).size();
                SmallVector<int64_t> inverse(rank);
                for (int64_t i = 0; i < rank; ++i)
                  inverse[wrapDim(dims[i], rank)] = i;
                return gb.create<PermuteOp>({g}, {gb.i64s("dims", inverse)});
              });
}

LogicalResult TransposeOp::buildGradient(OpBuilder &b,
                                         ArrayRef<Value> resultGrads,
                                         Grads &operandGrads) {
  int64_t d0 = getDim0(), d1 = getDim1();
  return view(
      *this, b, resultGrads, operandGrads,
      [&](GradBuilder &gb, Value, Value g) { return gb.transpose(g, d0, d1); });
}

LogicalResult ExpandOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                      Grads &operandGrads) {
  return view(*this, b, resultGrads, operandGrads,
              [&](GradBuilder &gb, Value x, Value g) {
                return gb.sumTo(g, x.getType());
              });
}

LogicalResult NarrowOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                      Grads &operandGrads) {
  int64_t dim = getDim(), start = getStart();
  return view(*this, b, resultGrads, operandGrads,
              [&](GradBuilder &gb, Value x, Value g) {
                const int64_t rank = shapeOf(x).size();
                const int64_t d = wrapDim(dim, rank);
                const int64_t s = start < 0 ? start + shapeOf(x)[d] : start;
                return padTo(gb, x, g, d, s);
              });
}

LogicalResult SliceOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                     Grads &operandGrads) {
  const int64_t rank = shapeOf(getInput()).size();
  const int64_t d = wrapDim(getDim(), rank);
  const int64_t n = shapeOf(getInput())[d];
  int64_t start = getStart() ? *getStart() : 0;
  if (start < 0)
    start += n;
  start = std::clamp<int64_t>(start, 0, n);
  const int64_t step = getStep();
  return view(*this, b, resultGrads, operandGrads,
              [&](GradBuilder &gb, Value x, Value g) {
                if (step == 1)
                  return padTo(gb, x, g, d, start);
                // A step > 1: the gradient written into zeros at the
                // positions start, start + step, ... of dim d (moved to the
                // front, where ember.index_put_ indexes).
                const int64_t count = shapeOf(g)[d];
                SmallVector<int64_t> positions(count);
                for (int64_t i = 0; i < count; ++i)
                  positions[i] = start + i * step;
                auto indexType =
                    RankedTensorType::get({count}, gb.builder().getI64Type());
                Value index = gb.builder().create<ConstantOp>(
                    gb.location(),
                    DenseElementsAttr::get(indexType, ArrayRef(positions)));
                Value front = d == 0 ? g : gb.transpose(g, 0, d);
                Value zeros = gb.zeros(x.getType());
                Value base = d == 0 ? zeros : gb.transpose(zeros, 0, d);
                Value put = gb.create<IndexPutInplaceOp>(
                    {base, front, index},
                    {gb.attr("accumulate", gb.builder().getBoolAttr(false))});
                return d == 0 ? put : gb.transpose(put, 0, d);
              });
}

LogicalResult SelectOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                      Grads &operandGrads) {
  int64_t dim = getDim(), index = getIndex();
  return view(*this, b, resultGrads, operandGrads,
              [&](GradBuilder &gb, Value x, Value g) {
                ArrayRef<int64_t> in = shapeOf(x);
                const int64_t d = wrapDim(dim, in.size());
                const int64_t i = index < 0 ? index + in[d] : index;
                SmallVector<int64_t> shape(in.begin(), in.end());
                shape[d] = 1;
                return padTo(gb, x, gb.reshape(g, shape), d, i);
              });
}

LogicalResult CatOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                   Grads &operandGrads) {
  Value g = resultGrads[0];
  GradBuilder gb(b, getLoc());
  const int64_t rank = shapeOf(getResult()).size();
  const int64_t d = wrapDim(getDim(), rank);
  int64_t offset = 0;
  for (Value input : getInputs()) {
    ArrayRef<int64_t> shape = shapeOf(input);
    // torch.cat skips 1-D empty inputs of another rank.
    if (static_cast<int64_t>(shape.size()) != rank) {
      operandGrads.push_back(nullptr);
      continue;
    }
    const int64_t size = shape[d];
    if (!g || !isFloatTensor(input.getType()))
      operandGrads.push_back(nullptr);
    else
      operandGrads.push_back(gb.castTo(
          gb.create<NarrowOp>({g}, {gb.i64("dim", d), gb.i64("start", offset),
                                    gb.i64("length", size)}),
          cast<RankedTensorType>(input.getType()).getElementType()));
    offset += size;
  }
  return success();
}

LogicalResult StackOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                     Grads &operandGrads) {
  Value g = resultGrads[0];
  GradBuilder gb(b, getLoc());
  const int64_t rank = shapeOf(getResult()).size();
  const int64_t d = wrapDim(getDim(), rank);
  int64_t i = 0;
  for (Value input : getInputs()) {
    if (!g || !isFloatTensor(input.getType()))
      operandGrads.push_back(nullptr);
    else
      operandGrads.push_back(gb.castTo(
          gb.create<SelectOp>({g}, {gb.i64("dim", d), gb.i64("index", i)}),
          cast<RankedTensorType>(input.getType()).getElementType()));
    ++i;
  }
  return success();
}

// as_strided's strides address its input's storage. When the input is not
// a view (a function argument, as traced contiguous, or a computed value),
// its storage is its own elements in row-major order, so the result's
// element i reads storage position offset + sum(i[d] * stride[d]): the
// gradient is the result gradient scatter-added into zeros at those
// positions (summed where the result overlaps itself), reshaped to the
// input. A view input's strides address its base's storage, which this
// value-semantics rule does not see: it reports that instead.
LogicalResult AsStridedOp::buildGradient(OpBuilder &b,
                                         ArrayRef<Value> resultGrads,
                                         Grads &operandGrads) {
  Value x = getInput(), g = resultGrads[0];
  operandGrads.push_back(nullptr);
  if (!g || !isFloatTensor(x.getType()))
    return success();
  if (Operation *def = x.getDefiningOp();
      def && isa<ViewOp, ReshapeOp, PermuteOp, TransposeOp, ExpandOp, SqueezeOp,
                 UnsqueezeOp, FlattenOp, NarrowOp, SliceOp, SelectOp,
                 AsStridedOp, ContiguousOp, ToDtypeOp, ToDeviceOp>(def))
    return emitOpError("of a view (")
           << def->getName()
           << ") has no gradient rule: its strides address the base's "
              "storage";
  auto xType = cast<RankedTensorType>(x.getType());
  auto gType = cast<RankedTensorType>(g.getType());
  if (!xType.hasStaticShape() || !gType.hasStaticShape())
    return emitOpError("needs static shapes for its gradient");
  const int64_t storage = xType.getNumElements();
  const int64_t count = gType.getNumElements();
  ArrayRef<int64_t> size = getSize(), stride = getStride();
  SmallVector<int64_t> positions(count, getStorageOffset().value_or(0));
  // Row-major over the result: add each dim's stride times its index.
  for (int64_t i = 0; i < count; ++i)
    for (int64_t d = static_cast<int64_t>(size.size()) - 1, rest = i; d >= 0;
         rest /= size[d], --d)
      positions[i] += (rest % size[d]) * stride[d];
  for (int64_t pos : positions)
    if (pos >= storage)
      return emitOpError("reads storage position ")
             << pos << " of an input with " << storage << " elements";
  GradBuilder gb(b, getLoc());
  Type elem = xType.getElementType();
  Value zeros = gb.zeros(RankedTensorType::get({storage}, elem));
  if (count == 0) {
    operandGrads[0] = gb.reshape(zeros, xType.getShape());
    return success();
  }
  auto indexType = RankedTensorType::get({count}, b.getI64Type());
  Value index = b.create<ConstantOp>(
      getLoc(), DenseElementsAttr::get(indexType, ArrayRef(positions)));
  Value flat = gb.castTo(gb.reshape(g, {count}), elem);
  operandGrads[0] = gb.reshape(
      gb.create<ScatterAddOp>({zeros, index, flat}, {gb.i64("dim", 0)}),
      xType.getShape());
  return success();
}

//===- IndexRules.cpp - gradients of the indexing ops ---------------------===//
//
// As the eager tape (frontend/src/autograd/rules_index.cpp): gather's input
// gets the gradient scatter-added into zeros at the gathered positions;
// scatter_add passes the gradient to its input and gathers it for `src`
// (when `src` has the index's shape); index_select scatter-adds the gradient
// back along `dim` (the index broadcast over the other dims), so repeated
// indices sum; index_tensor accumulates the gradient into zeros with
// index_put_ (accumulate = true); index_put_ passes the gradient to `self`
// with the written positions zeroed (whole when accumulating) and gives
// `values` the gradient at the indexed positions, summed down to their
// shape. Indices get no gradient. Mask indices (dynamic shapes) have no
// rule yet.
//
//===----------------------------------------------------------------------===//

#include "GradientUtils.h"

using namespace mlir;
using namespace mlir::ember;
using namespace mlir::ember::grad;

using Grads = SmallVectorImpl<Value>;

LogicalResult GatherOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                      Grads &operandGrads) {
  Value x = getInput(), g = resultGrads[0];
  operandGrads.append(2, nullptr);
  if (!g || !isFloatTensor(x.getType()))
    return success();
  GradBuilder gb(b, getLoc());
  operandGrads[0] = gb.create<ScatterAddOp>(
      {gb.zeros(x.getType()), getIndex(), g}, {gb.i64("dim", getDim())});
  return success();
}

LogicalResult ScatterAddOp::buildGradient(OpBuilder &b,
                                          ArrayRef<Value> resultGrads,
                                          Grads &operandGrads) {
  Value x = getInput(), src = getSrc(), g = resultGrads[0];
  operandGrads.append(3, nullptr);
  if (!g || !isFloatTensor(x.getType()))
    return success();
  GradBuilder gb(b, getLoc());
  operandGrads[0] = g;
  if (shapeOf(src) != shapeOf(getIndex()))
    return emitOpError(
        "has no gradient rule yet for a `src` larger than `index`");
  operandGrads[2] =
      gb.create<GatherOp>({g, getIndex()}, {gb.i64("dim", getDim())});
  return success();
}

LogicalResult IndexSelectOp::buildGradient(OpBuilder &b,
                                           ArrayRef<Value> resultGrads,
                                           Grads &operandGrads) {
  Value x = getInput(), index = getIndex(), g = resultGrads[0];
  operandGrads.append(2, nullptr);
  if (!g || !isFloatTensor(x.getType()))
    return success();
  GradBuilder gb(b, getLoc());
  ArrayRef<int64_t> in = shapeOf(x);
  if (in.empty()) {
    operandGrads[0] = gb.reshape(g, {});
    return success();
  }
  const int64_t d = wrapDim(getDim(), in.size());
  // The index as [1, .., n, .., 1], broadcast to the gradient's shape.
  SmallVector<int64_t> shape(in.size(), 1);
  shape[d] = shapeOf(g)[d];
  Value idx = gb.castTo(gb.reshape(index, shape), b.getI64Type());
  idx = gb.expand(idx, shapeOf(g));
  operandGrads[0] = gb.create<ScatterAddOp>({gb.zeros(x.getType()), idx, g},
                                            {gb.i64("dim", d)});
  return success();
}

namespace {

bool allStatic(ArrayRef<Value> values) {
  return llvm::all_of(values, [](Value v) {
    return cast<RankedTensorType>(v.getType()).hasStaticShape();
  });
}

} // namespace

LogicalResult IndexTensorOp::buildGradient(OpBuilder &b,
                                           ArrayRef<Value> resultGrads,
                                           Grads &operandGrads) {
  Value x = getInput(), g = resultGrads[0];
  operandGrads.append(getNumOperands(), nullptr);
  if (!g || !isFloatTensor(x.getType()))
    return success();
  if (!allStatic({x, g}))
    return emitOpError("has no gradient rule yet for a mask index (a result "
                       "of dynamic shape)");
  // The gradient accumulated into zeros at the indexed positions, so
  // repeated indices sum.
  GradBuilder gb(b, getLoc());
  SmallVector<Value> operands = {gb.zeros(x.getType()), g};
  operands.append(getIndices().begin(), getIndices().end());
  operandGrads[0] = gb.create<IndexPutInplaceOp>(
      operands, {gb.attr("accumulate", b.getBoolAttr(true))});
  return success();
}

LogicalResult IndexPutInplaceOp::buildGradient(OpBuilder &b,
                                               ArrayRef<Value> resultGrads,
                                               Grads &operandGrads) {
  Value self = getSelf(), values = getValues(), g = resultGrads[0];
  operandGrads.append(getNumOperands(), nullptr);
  if (!g || !isFloatTensor(self.getType()))
    return success();
  GradBuilder gb(b, getLoc());
  SmallVector<Value> indices(getIndices().begin(), getIndices().end());
  // self: the gradient, with the overwritten positions zeroed unless the
  // op accumulates.
  bool accumulate = getAccumulate().value_or(false);
  if (accumulate) {
    operandGrads[0] = g;
  } else {
    SmallVector<Value> operands = {g, gb.scalar(g, 0.0)};
    operands.append(indices);
    operandGrads[0] = gb.create<IndexPutInplaceOp>(
        operands, {gb.attr("accumulate", b.getBoolAttr(false))});
  }
  // values: the gradient at the indexed positions, summed down to the
  // values' shape.
  if (isFloatTensor(values.getType())) {
    SmallVector<Value> operands = {g};
    operands.append(indices);
    Value picked = gb.create<IndexTensorOp>(operands);
    if (!allStatic({picked}))
      return emitOpError("has no gradient rule yet for a mask index (values "
                         "of dynamic shape)");
    operandGrads[1] = gb.sumTo(picked, values.getType());
  }
  return success();
}

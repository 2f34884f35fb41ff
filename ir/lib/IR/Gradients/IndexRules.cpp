//===- IndexRules.cpp - gradients of gather, scatter_add, index_select ----===//
//
// As the eager tape (frontend/src/autograd/rules_index.cpp): gather's input
// gets the gradient scatter-added into zeros at the gathered positions;
// scatter_add passes the gradient to its input and gathers it for `src`
// (when `src` has the index's shape); index_select scatter-adds the gradient
// back along `dim` (the index broadcast over the other dims), so repeated
// indices sum. Indices get no gradient. index_tensor and index_put_ have no
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

//===- CustomFunctionRules.cpp - the user's backward as the VJP -----------===//
//
// ember.custom_function's gradient is the user's own backward (its
// `backward` region), not a derivative of the forward: the region is cloned
// at the builder's insertion point with its block arguments bound to the
// op's inputs, its results and the result gradients (a zero literal for a
// result that does not reach the loss, as the eager engine passes zeros).
//
//===----------------------------------------------------------------------===//

#include "GradientUtils.h"

#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::ember;

LogicalResult
CustomFunctionOp::buildGradient(OpBuilder &builder, ArrayRef<Value> resultGrads,
                                SmallVectorImpl<Value> &operandGrads) {
  grad::GradBuilder g(builder, getLoc());
  Block &body = getBackward().front();
  IRMapping map;
  unsigned arg = 0;
  for (Value in : getInputs())
    map.map(body.getArgument(arg++), in);
  for (Value out : getResults())
    map.map(body.getArgument(arg++), out);
  for (auto [out, grad] : llvm::zip(getResults(), resultGrads))
    map.map(body.getArgument(arg++),
            grad ? grad : g.splat(cast<RankedTensorType>(out.getType()), 0.0));
  for (Operation &op : body.without_terminator())
    builder.clone(op, map);
  for (Value v : cast<YieldOp>(body.getTerminator()).getValues())
    operandGrads.push_back(map.lookupOrDefault(v));
  return success();
}

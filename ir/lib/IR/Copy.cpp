//===- Copy.cpp - copies, casts and fills: rules and folders --------------===//
//
// Shape/dtype rules of contiguous, clone, to_dtype, to_device, fill_, zero_
// and copy_ (frontend/src/ops/copy.cpp). `to_dtype` to the input's own type
// folds to the input (eager returns the input itself). contiguous and clone
// are not folded: before functionalization they say whether a result may
// alias its input.
//
//===----------------------------------------------------------------------===//

#include "TypeRules.h"

#include "ember/IR/EmberOps.h"

using namespace mlir;
using namespace mlir::ember;

LogicalResult rules::sameAsFirst(const RuleInput &in,
                                 SmallVectorImpl<ResultSpec> &results) {
  results.push_back(result(in.shape(0), in.elementType(0)));
  return success();
}

LogicalResult rules::toDtype(const RuleInput &in,
                             SmallVectorImpl<ResultSpec> &results) {
  FailureOr<Type> dtype = in.requireDType("dtype");
  if (failed(dtype))
    return failure();
  results.push_back(result(in.shape(0), *dtype));
  return success();
}

LogicalResult rules::fillInplace(const RuleInput &in,
                                 SmallVectorImpl<ResultSpec> &results) {
  if (in.operands.size() > 1 && in.rank(1) != 0)
    return in.emitError() << "expects a 0-d value tensor, got "
                          << in.operand(1);
  results.push_back(result(in.shape(0), in.elementType(0)));
  return success();
}

LogicalResult rules::copyInplace(const RuleInput &in,
                                 SmallVectorImpl<ResultSpec> &results) {
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(in.shape(0), in.shape(1));
  if (failed(shape) || failed(verifyCompatibleShape(*shape, in.shape(0))))
    return in.emitError() << "source of shape " << formatShape(in.shape(1))
                          << " cannot be broadcast to the destination's shape "
                          << formatShape(in.shape(0));
  results.push_back(result(in.shape(0), in.elementType(0)));
  return success();
}

OpFoldResult ToDtypeOp::fold(FoldAdaptor) {
  if (getType() == getInput().getType())
    return getInput();
  return {};
}

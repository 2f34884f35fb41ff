//===- NoRules.cpp - differentiable ops without a gradient rule yet -------===//
//
// The ops that ops.def flags Differentiable but whose rule is not written
// yet. Each reports "has no gradient rule yet" (the interface's default), so
// the autodiff pass stops with a diagnostic naming the op and its location
// instead of producing a wrong gradient. Writing a rule means moving the op
// from this list to its family's file.
//
//===----------------------------------------------------------------------===//

#include "GradientUtils.h"

using namespace mlir;
using namespace mlir::ember;

#define NO_RULE(OP)                                                            \
  LogicalResult OP::buildGradient(OpBuilder &, ArrayRef<Value>,                \
                                  SmallVectorImpl<Value> &) {                  \
    return emitOpError("has no gradient rule yet");                            \
  }

// Views.
NO_RULE(AsStridedOp)
// Indexing.
// max_pool2d_backward's derivative with respect to grad_output reads each
// window's argmax of the double gradient: no op for it yet (eager refuses
// it too); with respect to its input it is zero (piecewise constant).
NO_RULE(MaxPool2dBackwardOp)
#undef NO_RULE

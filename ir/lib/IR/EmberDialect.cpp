//===- EmberDialect.cpp - the ember dialect -------------------------------===//
//
// Registers the ember ops and materializes folded constants as
// ember.constant.
//
//===----------------------------------------------------------------------===//

#include "ember/IR/EmberDialect.h"
#include "ember/IR/EmberOps.h"

using namespace mlir;
using namespace mlir::ember;

#include "ember/IR/EmberOpsDialect.cpp.inc"

void EmberDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "ember/IR/EmberOps.cpp.inc"
      >();
}

Operation *EmberDialect::materializeConstant(OpBuilder &builder,
                                             Attribute value, Type type,
                                             Location loc) {
  auto dense = dyn_cast<DenseElementsAttr>(value);
  if (!dense || dense.getType() != type || !isEmberTensorType(type))
    return nullptr;
  return builder.create<ConstantOp>(loc, dense);
}

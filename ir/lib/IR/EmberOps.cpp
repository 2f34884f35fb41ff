//===- EmberOps.cpp - ember dialect op classes ----------------------------===//
//
// The generated op classes. Their type inference and verification run the
// op's shape rule (TypeRules.h); the rules, folders and patterns live in one
// file per op family (Elementwise.cpp, Reduce.cpp, Linalg.cpp, NN.cpp,
// Shape.cpp, Copy.cpp, Index.cpp, Factory.cpp).
//
//===----------------------------------------------------------------------===//

#include "ember/IR/EmberOps.h"

#include "TypeRules.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::ember;

bool mlir::ember::isEmberElementType(Type type) {
  return type.isF32() || type.isF64() || type.isSignlessInteger(32) ||
         type.isSignlessInteger(64) || type.isSignlessInteger(1) ||
         type.isUnsignedInteger(8);
}

bool mlir::ember::isEmberTensorType(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && isEmberElementType(tensor.getElementType());
}

#include "ember/IR/EmberInterfaces.cpp.inc"

#define GET_OP_CLASSES
#include "ember/IR/EmberOps.cpp.inc"

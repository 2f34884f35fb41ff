//===- EmberOps.h - ember dialect ops ---------------------------*- C++ -*-===//
//
// Declares the ops of the ember dialect (generated from EmberOps.td).
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_IR_EMBEROPS_H
#define EMBER_IR_EMBEROPS_H

#include "ember/IR/EmberDialect.h"
#include "ember/IR/EmberInterfaces.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "ember/IR/EmberOps.h.inc"

namespace mlir::ember {

/// Returns whether `type` is one of ember's element types: f32, f64, i32, i64,
/// i1 (bool) or ui8.
bool isEmberElementType(Type type);

/// Returns whether `type` is a ranked tensor of an ember element type.
bool isEmberTensorType(Type type);

} // namespace mlir::ember

#endif // EMBER_IR_EMBEROPS_H

//===- EmberInterfaces.h - ember op interfaces ------------------*- C++ -*-===//
//
// Declares DifferentiableOpInterface (generated from EmberInterfaces.td).
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_IR_EMBERINTERFACES_H
#define EMBER_IR_EMBERINTERFACES_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpDefinition.h"

#include "ember/IR/EmberInterfaces.h.inc"

#endif // EMBER_IR_EMBERINTERFACES_H

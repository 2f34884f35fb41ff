//===- EmberDialect.h - the ember dialect -----------------------*- C++ -*-===//
//
// Declares mlir::ember::EmberDialect (generated from EmberDialect.td).
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_IR_EMBERDIALECT_H
#define EMBER_IR_EMBERDIALECT_H

#include "mlir/IR/Dialect.h"

#include "ember/IR/EmberOpsDialect.h.inc"

#endif // EMBER_IR_EMBERDIALECT_H

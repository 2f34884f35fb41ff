//===- Passes.h - ember's ember->ember passes -------------------*- C++ -*-===//
//
// Declares the passes of passes/ (generated from Passes.td) and
// registerEmberPasses(), which makes them available by flag (ember-opt).
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_PASSES_PASSES_H
#define EMBER_PASSES_PASSES_H

#include "ember/IR/EmberDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::ember {

// GEN_PASS_DECL declares create<PassName>() for each pass;
// GEN_PASS_REGISTRATION gives registerEmberPasses(), which registers every
// ember pass with the global registry (ember-opt runs them by flag).
#define GEN_PASS_DECL
#include "ember/Passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "ember/Passes/Passes.h.inc"

} // namespace mlir::ember

#endif // EMBER_PASSES_PASSES_H

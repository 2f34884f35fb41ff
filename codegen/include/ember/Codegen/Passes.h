//===- Passes.h - ember codegen passes --------------------------*- C++ -*-===//
//
// Declares the codegen passes (generated from Passes.td) and their
// registration for ember-opt and the JIT.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_CODEGEN_PASSES_H
#define EMBER_CODEGEN_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace mlir::ember {

#define GEN_PASS_DECL
#include "ember/Codegen/Passes.h.inc"

/// registerEmberCodegenPasses(): registers the codegen passes (e.g.
/// --convert-ember-to-linalg) for ember-opt and the JIT.
#define GEN_PASS_REGISTRATION
#include "ember/Codegen/Passes.h.inc"

} // namespace mlir::ember

#endif // EMBER_CODEGEN_PASSES_H

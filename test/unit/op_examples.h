// The dialect's op examples (test/lit/IR/ops.mlir) lowered by
// convert-ember-to-linalg and fused by linalg's elementwise fusion: the
// linalg the CUDA C emitter's tests start from. Compiler tests only
// (EMBER_LIT_DIR, EmberLowering).
#pragma once

#include "ember/Codegen/Passes.h"
#include "ember/IR/EmberDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

namespace ember::testing {

/// ops.mlir in `context`, lowered and fused; null (with a test failure)
/// when it does not parse or lower.
inline mlir::OwningOpRef<mlir::ModuleOp>
loweredOpExamples(mlir::MLIRContext &context) {
  context.loadDialect<mlir::ember::EmberDialect, mlir::func::FuncDialect,
                      mlir::arith::ArithDialect, mlir::linalg::LinalgDialect,
                      mlir::math::MathDialect, mlir::tensor::TensorDialect>();
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(EMBER_LIT_DIR "/IR/ops.mlir",
                                            &context);
  if (!module) {
    ADD_FAILURE() << "cannot parse " EMBER_LIT_DIR "/IR/ops.mlir";
    return nullptr;
  }
  mlir::PassManager pm(&context);
  pm.addNestedPass<mlir::func::FuncOp>(
      mlir::ember::createConvertEmberToLinalg());
  pm.addPass(mlir::createLinalgElementwiseOpFusionPass());
  if (mlir::failed(pm.run(*module))) {
    ADD_FAILURE() << "lowering the op examples failed";
    return nullptr;
  }
  return module;
}

} // namespace ember::testing

//===- ConvertEmberToLinalg.cpp - the convert-ember-to-linalg pass --------===//
//
// Lowers the ember ops that have a lowering to linalg, tensor, arith and math
// on tensors, with applyPartialConversion: an ember op is illegal when
// isLowerable (it has a pattern, and static non-ui8 tensor types), and every
// other ember op stays legal, so the JIT can split the function around it.
// The patterns live in one file per op family (Elementwise, Reduce, Linalg,
// NN, NNBackward, MaxPoolBackward, Index, Shape); hasLowering reads the op
// names off the pattern set, so it cannot drift from the patterns.
//
//===----------------------------------------------------------------------===//

#include "ember/Codegen/Lowering.h"
#include "ember/Codegen/Passes.h"
#include "ember/IR/EmberDialect.h"

#include "LoweringUtils.h"

#include "llvm/ADT/StringMap.h"

namespace mlir::ember {
#define GEN_PASS_DEF_CONVERTEMBERTOLINALG
#include "ember/Codegen/Passes.h.inc"
} // namespace mlir::ember

using namespace mlir;
using namespace mlir::ember;

void mlir::ember::populateEmberToLinalgPatterns(RewritePatternSet &patterns) {
  lowering::populateElementwisePatterns(patterns);
  lowering::populateReducePatterns(patterns);
  lowering::populateLinalgPatterns(patterns);
  lowering::populateShapePatterns(patterns);
  lowering::populateNNPatterns(patterns);
  lowering::populateNNBackwardPatterns(patterns);
  lowering::populateIndexPatterns(patterns);
  lowering::populateRandomPatterns(patterns);
}

namespace {

/// The patterns by root op name, built once in a private context (they keep
/// no state of it but their root name).
const llvm::StringMap<std::unique_ptr<lowering::NamedLowering>> &
patternsByName() {
  static MLIRContext context(MLIRContext::Threading::DISABLED);
  static const auto byName = [] {
    RewritePatternSet patterns(&context);
    populateEmberToLinalgPatterns(patterns);
    llvm::StringMap<std::unique_ptr<lowering::NamedLowering>> result;
    for (std::unique_ptr<RewritePattern> &pattern :
         patterns.getNativePatterns()) {
      std::optional<OperationName> root = pattern->getRootKind();
      // Every pattern of the set is a NamedLowering (addLowering).
      result[root->getStringRef()].reset(
          static_cast<lowering::NamedLowering *>(pattern.release()));
    }
    return result;
  }();
  return byName;
}

} // namespace

bool mlir::ember::hasLowering(llvm::StringRef opName) {
  return patternsByName().contains(opName);
}

bool mlir::ember::isLowerable(Operation *op) {
  auto it = patternsByName().find(op->getName().getStringRef());
  return it != patternsByName().end() && it->second->takes(op);
}

namespace {

struct ConvertEmberToLinalgPass
    : mlir::ember::impl::ConvertEmberToLinalgBase<ConvertEmberToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    ConversionTarget target(*context);
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, scf::SCFDialect,
                           tensor::TensorDialect, func::FuncDialect>();
    target.addDynamicallyLegalDialect<EmberDialect>(
        [](Operation *op) { return !isLowerable(op); });
    RewritePatternSet patterns(context);
    populateEmberToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

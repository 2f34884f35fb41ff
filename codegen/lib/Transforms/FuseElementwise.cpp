//===- FuseElementwise.cpp - the ember-fuse-elementwise pass --------------===//
//
// MLIR 19's linalg-fuse-elementwise-ops, pattern for pattern (elementwise
// generic fusion, reshape folding by expansion, linalg/tensor
// canonicalizations, constant folding; a producer fuses only into its
// single use), with one difference in the control function: a
// reshape is not folded into a linalg op that is not a linalg.generic. The
// upstream pattern turns a named op it expands (linalg.matmul under a
// flatten's expand_shape, in the CNN's classifier gradient) into a
// higher-rank generic, which ember-matmul-to-runtime cannot call OpenBLAS
// for: a 128x784x10 product then runs as a scalar loop nest. Likewise
// nothing fuses into or out of a generic marked for a runtime call
// (library_call). Preconditions:
// linalg on tensors (the output of convert-ember-to-linalg).
//
//===----------------------------------------------------------------------===//

#include "ember/Codegen/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "ember-fuse-elementwise"

namespace mlir::ember {
#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "ember/Codegen/Passes.h.inc"
} // namespace mlir::ember

using namespace mlir;

namespace {

// A generic marked for a runtime call (library_call, e.g. the tiled
// max_pool2d_backward): ember-matmul-to-runtime replaces it whole, so
// nothing fuses into or out of it.
bool isRuntimeCall(Operation *op) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  return generic && generic.getLibraryCall().has_value();
}

// Upstream's default: the producer has a single use (so fusing duplicates
// no work); and never a generic marked for a runtime call.
bool singleUseProducer(OpOperand *fused) {
  Operation *producer = fused->get().getDefiningOp();
  return producer && producer->hasOneUse() && !isRuntimeCall(producer) &&
         !isRuntimeCall(fused->getOwner());
}

// For reshape folding, `fused` is an operand of either the reshape (whose
// source a linalg op produces) or the linalg op (a reshape produces it):
// both sides must be generic, never a named op.
bool keepsNamedOps(OpOperand *fused) {
  Operation *producer = fused->get().getDefiningOp();
  Operation *consumer = fused->getOwner();
  for (Operation *op : {producer, consumer})
    if (op && isa<linalg::LinalgOp>(op) && !isa<linalg::GenericOp>(op)) {
      LLVM_DEBUG(llvm::dbgs()
                 << "not folding a reshape into " << op->getName() << "\n");
      return false;
    }
  return singleUseProducer(fused);
}

struct FuseElementwise
    : public ember::impl::FuseElementwiseBase<FuseElementwise> {
  void runOnOperation() override {
    Operation *op = getOperation();
    MLIRContext *context = op->getContext();
    RewritePatternSet patterns(context);
    linalg::populateElementwiseOpsFusionPatterns(patterns, singleUseProducer);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, keepsNamedOps);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()
        ->getCanonicalizationPatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, singleUseProducer);
    // Top-down, as upstream (compile time).
    GreedyRewriteConfig config;
    config.useTopDownTraversal = true;
    (void)applyPatternsAndFoldGreedily(op, std::move(patterns), config);
  }
};

} // namespace

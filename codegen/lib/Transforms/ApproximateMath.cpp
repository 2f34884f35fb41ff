//===- ApproximateMath.cpp - the ember-approximate-math pass --------------===//
//
// Replaces the f32 transcendental ops whose MLIR polynomial approximation is
// within the JIT's tolerance of libm (exp, expm1, log1p, tanh, erf) by that
// approximation, so a loop over them is straight-line arith
// that LLVM's loop vectorizer turns into AVX2/FMA code; a libm call in the
// body would keep it scalar. Preconditions: none; it only rewrites scalar
// (or vector) math ops and leaves every other op alone.
//
// populateMathPolynomialApproximationPatterns also approximates log, log2,
// sin, cos, atan, asin, acos, cbrt and rsqrt. Those stay libm calls: log
// (and log2, same code) is off by 0.2% on denormal inputs (log(1e-38) =
// -87.34, libm -87.50: it does not normalize them), sin/cos have no range
// reduction for large |x|, the others have no ember lowering to test.
// (log1p's expansion may create a log and approximates it: its argument
// 1 + x is never denormal.)
// So the patterns run only on the ops listed here (and on the ops they
// create), with applyOpPatternsAndFold in ExistingAndNewOps mode, rather than
// on the whole function.
//
//===----------------------------------------------------------------------===//

#include "ember/Codegen/Passes.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "ember-approximate-math"

namespace mlir::ember {
#define GEN_PASS_DEF_APPROXIMATEMATH
#include "ember/Codegen/Passes.h.inc"
} // namespace mlir::ember

using namespace mlir;

namespace {

// An op this pass approximates: one of the accurate approximations, on f32
// (scalars or vectors of f32; the patterns themselves reject other types).
bool isApproximated(Operation *op) {
  if (!isa<math::ExpOp, math::ExpM1Op, math::Log1pOp, math::TanhOp,
           math::ErfOp>(op))
    return false;
  return getElementTypeOrSelf(op->getResult(0).getType()).isF32();
}

struct ApproximateMath
    : public ember::impl::ApproximateMathBase<ApproximateMath> {
  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isApproximated(op))
        ops.push_back(op);
    });
    LLVM_DEBUG(llvm::dbgs()
               << "approximating " << ops.size() << " math ops in @"
               << getOperation().getSymName() << "\n");
    if (ops.empty())
      return;
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns);
    GreedyRewriteConfig config;
    config.strictMode = GreedyRewriteStrictness::ExistingAndNewOps;
    if (failed(applyOpPatternsAndFold(ops, std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace

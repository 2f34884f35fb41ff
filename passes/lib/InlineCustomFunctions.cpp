//===- InlineCustomFunctions.cpp - custom_function -> its forward ---------===//
//
// ember-inline-custom-functions replaces every ember.custom_function by the
// ops of its `forward` region, cloned just before it with the region's
// arguments bound to the op's inputs; the op's results become the values
// the region yields, and the op (with its backward region) is erased.
// Precondition: ember-autodiff has run if the function is differentiated
// (afterwards nothing uses the backward region). Ops in the region that use
// values defined above keep using them.
//
//===----------------------------------------------------------------------===//

#include "ember/IR/EmberOps.h"
#include "ember/Passes/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "ember-inline-custom-functions"

namespace mlir::ember {
#define GEN_PASS_DEF_EMBERINLINECUSTOMFUNCTIONS
#include "ember/Passes/Passes.h.inc"
} // namespace mlir::ember

using namespace mlir;
using namespace mlir::ember;

namespace {

void inlineForward(CustomFunctionOp op) {
  OpBuilder builder(op);
  Block &body = op.getForward().front();
  IRMapping map;
  map.map(body.getArguments(), op.getInputs());
  for (Operation &inner : body.without_terminator())
    builder.clone(inner, map);
  SmallVector<Value> results;
  for (Value v : cast<YieldOp>(body.getTerminator()).getValues())
    results.push_back(map.lookupOrDefault(v));
  op->replaceAllUsesWith(results);
  op->erase();
}

struct EmberInlineCustomFunctionsPass
    : mlir::ember::impl::EmberInlineCustomFunctionsBase<
          EmberInlineCustomFunctionsPass> {
  void runOnOperation() override {
    SmallVector<CustomFunctionOp> ops;
    getOperation().walk([&](CustomFunctionOp op) { ops.push_back(op); });
    LLVM_DEBUG(llvm::dbgs() << "[ember-inline-custom-functions] " << ops.size()
                            << " inlined\n");
    for (CustomFunctionOp op : ops)
      inlineForward(op);
  }
};

} // namespace

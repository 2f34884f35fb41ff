//===- CustomFunction.cpp - ember.custom_function -------------------------===//
//
// The verifier of ember.custom_function: the regions' block arguments and
// yields must match the op's inputs and results, so that ember-autodiff can
// clone `backward` with (inputs, results, result gradients) and
// ember-inline-custom-functions can splice `forward` in place of the op.
//
//===----------------------------------------------------------------------===//

#include "ember/IR/EmberOps.h"

using namespace mlir;
using namespace mlir::ember;

namespace {

// Checks that `block` takes `want` and yields values of types `yields`.
LogicalResult checkRegion(CustomFunctionOp op, StringRef name, Block &block,
                          TypeRange want, TypeRange yields) {
  if (block.getNumArguments() != want.size())
    return op.emitOpError("region '")
           << name << "' takes " << block.getNumArguments()
           << " arguments, expected " << want.size();
  for (auto [i, arg, type] : llvm::enumerate(block.getArguments(), want))
    if (arg.getType() != type)
      return op.emitOpError("region '")
             << name << "' argument " << i << " has type " << arg.getType()
             << ", expected " << type;
  auto yield = dyn_cast<YieldOp>(block.getTerminator());
  if (!yield)
    return op.emitOpError("region '") << name << "' must end in ember.yield";
  if (yield.getValues().size() != yields.size())
    return op.emitOpError("region '")
           << name << "' yields " << yield.getValues().size()
           << " values, expected " << yields.size();
  for (auto [i, v, type] : llvm::enumerate(yield.getValues(), yields))
    if (v.getType() != type)
      return op.emitOpError("region '")
             << name << "' yields a value of type " << v.getType()
             << " at position " << i << ", expected " << type;
  return success();
}

} // namespace

LogicalResult CustomFunctionOp::verify() {
  // SizedRegion<1> guarantees at most one block; an empty region has none.
  if (getForward().empty() || getBackward().empty())
    return emitOpError("needs a 'forward' and a 'backward' block");
  if (failed(checkRegion(*this, "forward", getForward().front(),
                         getInputs().getTypes(), getResultTypes())))
    return failure();
  // backward(inputs..., outputs..., cotangents...) -> one grad per input.
  SmallVector<Type> backwardArgs = llvm::to_vector(getInputs().getTypes());
  for (int copy = 0; copy < 2; ++copy)
    llvm::append_range(backwardArgs, getResultTypes());
  return checkRegion(*this, "backward", getBackward().front(), backwardArgs,
                     getInputs().getTypes());
}

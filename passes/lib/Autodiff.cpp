//===- Autodiff.cpp - reverse-mode gradients on the ember dialect ---------===//
//
// ember-autodiff builds, inside a func.func that carries the request
// `ember.autodiff = {of = <result index>, wrt = [<argument indices>]}`, the
// gradient of result `of` with respect to the listed arguments, and returns
// those gradients as extra results marked `ember.grad_of`. Preconditions: the
// body is one block without nested regions (a trace) on value semantics
// (after ember-functionalize); the ops on the differentiated paths implement
// DifferentiableOpInterface (ir/lib/IR/Gradients/). The one op with regions
// allowed is ember.custom_function, whose rule clones the user's backward.
//
// The algorithm:
//   1. Activity analysis. Forward over the block: a floating value is
//      *varied* when it is a `wrt` argument or the result of an op with a
//      varied operand -- except random draws (bernoulli, uniform_,
//      normal_): their results are piecewise constant in their operands,
//      zero gradient as in PyTorch (dropout's mask). Backward from result
//      `of`: a floating value is
//      *useful* when result `of` is computed from it. An op is active when
//      it has a varied operand and a varied, useful result; only active ops
//      are differentiated (dead-gradient elimination).
//   2. Seed: 1 for a 0-d result, else a new trailing function argument.
//   3. Reverse sweep: the ops in reverse program order; an active op whose
//      results have gradients gets its rule called with the builder just
//      before the return (so the backward follows the forward in program
//      order); the gradients it gives for varied operands are added to the
//      operands' gradients (ember.add for a value used several times).
//   4. The `wrt` gradients (zero literals for arguments the result does not
//      depend on) are appended to the return and to the function type.
//   5. Gradient ops nobody uses (a rule's gradients for operands that are
//      not varied) are erased, newest first; all ember ops are pure.
// Every op created in steps 2-4 is relocated to fused<"backward">[forward
// location] by a builder listener. Forward values are kept as they are: no
// rematerialization.
//
//===----------------------------------------------------------------------===//

#include "ember/IR/EmberInterfaces.h"
#include "ember/IR/EmberOps.h"
#include "ember/Passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "ember-autodiff"

namespace mlir::ember {
#define GEN_PASS_DEF_EMBERAUTODIFF
#include "ember/Passes/Passes.h.inc"
} // namespace mlir::ember

using namespace mlir;
using namespace mlir::ember;

namespace {

// Whether `op` draws random numbers (no gradient flows through the draw).
bool isRandomDraw(Operation *op) {
  return isa<mlir::ember::BernoulliOp, mlir::ember::UniformInplaceOp,
             mlir::ember::NormalInplaceOp>(op);
}

} // namespace

namespace {

constexpr StringLiteral kRequest = "ember.autodiff";
constexpr StringLiteral kGradientOf = "ember.gradient_of";
constexpr StringLiteral kGradOf = "ember.grad_of";
constexpr StringLiteral kUpdates = "ember.updates";

bool isFloatTensor(Type t) {
  auto tensor = dyn_cast<RankedTensorType>(t);
  return tensor && isa<FloatType>(tensor.getElementType());
}

/// Records the ops a builder creates, so that they can be relocated and
/// cleaned up.
struct CreatedOps : OpBuilder::Listener {
  SmallVector<Operation *> ops;
  void notifyOperationInserted(Operation *op, OpBuilder::InsertPoint) override {
    ops.push_back(op);
  }
};

/// The gradient request of a function.
struct Request {
  unsigned of = 0;
  SmallVector<unsigned> wrt;
};

FailureOr<Request> parseRequest(func::FuncOp func, Attribute attr) {
  auto diag = [&]() {
    return func.emitOpError("has a malformed '") << kRequest << "' request: ";
  };
  auto fail = [&](const Twine &why) -> FailureOr<Request> {
    diag() << why;
    return failure();
  };
  auto dict = dyn_cast<DictionaryAttr>(attr);
  if (!dict)
    return fail("expected a dictionary {of = <result index>, wrt = "
                "[<argument indices>]}");
  Request r;
  auto of = dyn_cast_or_null<IntegerAttr>(dict.get("of"));
  if (!of)
    return fail("expected an integer 'of' (the result to differentiate)");
  if (of.getInt() < 0 || of.getInt() >= func.getNumResults())
    return fail("'of' = " + Twine(of.getInt()) + " but the function has " +
                Twine(func.getNumResults()) + " results");
  r.of = static_cast<unsigned>(of.getInt());
  SmallVector<int64_t> wrt;
  Attribute wrtAttr = dict.get("wrt");
  if (auto array = dyn_cast_or_null<ArrayAttr>(wrtAttr)) {
    for (Attribute a : array) {
      auto i = dyn_cast<IntegerAttr>(a);
      if (!i)
        return fail("'wrt' must list integer argument indices");
      wrt.push_back(i.getInt());
    }
  } else if (auto dense = dyn_cast_or_null<DenseI64ArrayAttr>(wrtAttr)) {
    wrt.assign(dense.asArrayRef().begin(), dense.asArrayRef().end());
  } else {
    return fail("expected 'wrt', a list of argument indices");
  }
  for (int64_t i : wrt) {
    if (i < 0 || i >= func.getNumArguments())
      return fail("'wrt' names argument " + Twine(i) +
                  " but the function has " + Twine(func.getNumArguments()) +
                  " arguments");
    if (llvm::is_contained(r.wrt, static_cast<unsigned>(i)))
      return fail("'wrt' names argument " + Twine(i) + " twice");
    if (!isFloatTensor(func.getArgument(i).getType())) {
      diag() << "argument " << i << " has type "
             << func.getArgument(i).getType() << ", not a floating tensor";
      return failure();
    }
    r.wrt.push_back(static_cast<unsigned>(i));
  }
  if (!isFloatTensor(func.getResultTypes()[r.of])) {
    diag() << "result " << r.of << " has type " << func.getResultTypes()[r.of]
           << ", not a floating tensor";
    return failure();
  }
  return r;
}

class Differentiator {
public:
  Differentiator(func::FuncOp func, const Request &request)
      : func(func), request(request), builder(func.getContext()) {
    builder.setListener(&created);
  }
  LogicalResult run();

private:
  Location backwardLoc(Location forward) {
    return FusedLoc::get(func.getContext(), {forward},
                         StringAttr::get(func.getContext(), "backward"));
  }
  void relocate(size_t from, Location forward) {
    Location loc = backwardLoc(forward);
    for (size_t i = from; i < created.ops.size(); ++i)
      created.ops[i]->setLoc(loc);
  }
  LogicalResult accumulate(Value value, Value grad, Location forward);
  LogicalResult fillPlaceholders(ArrayRef<Operation *> forward);
  bool dependsOnPlaceholder(Value v) {
    SmallVector<Value> work{v};
    DenseSet<Value> seen;
    while (!work.empty()) {
      Value x = work.pop_back_val();
      if (!seen.insert(x).second)
        continue;
      if (auto arg = dyn_cast<BlockArgument>(x)) {
        if (func.getArgAttr(arg.getArgNumber(), kGradientOf))
          return true;
        continue;
      }
      for (Value operand : x.getDefiningOp()->getOperands())
        work.push_back(operand);
    }
    return false;
  }

  func::FuncOp func;
  const Request &request;
  OpBuilder builder;
  CreatedOps created;
  DenseSet<Value> varied, useful;
  DenseMap<Value, Value> grads;
};

LogicalResult Differentiator::accumulate(Value value, Value grad,
                                         Location forward) {
  Value &slot = grads[value];
  if (!slot) {
    slot = grad;
    return success();
  }
  size_t from = created.ops.size();
  slot = builder.create<AddOp>(forward, ValueRange{slot, grad}).getResult();
  relocate(from, forward);
  return success();
}

LogicalResult Differentiator::fillPlaceholders(ArrayRef<Operation *> forward) {
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  // The gradient result of each differentiated argument.
  DenseMap<unsigned, unsigned> resultOf;
  for (unsigned r = 0; r < func.getNumResults(); ++r)
    if (auto a = func.getResultAttrOfType<IntegerAttr>(r, kGradOf))
      resultOf[static_cast<unsigned>(a.getInt())] = r;
  DenseSet<Value> placeholders;
  llvm::BitVector erase(func.getNumArguments());
  for (BlockArgument arg : func.getArguments()) {
    auto of =
        func.getArgAttrOfType<IntegerAttr>(arg.getArgNumber(), kGradientOf);
    if (!of)
      continue;
    auto it = resultOf.find(static_cast<unsigned>(of.getInt()));
    if (it == resultOf.end())
      return func.emitOpError("argument ")
             << arg.getArgNumber() << " is the gradient of argument "
             << of.getInt() << ", which is not differentiated ('wrt')";
    if (arg.getType() != func.getArgument(of.getInt()).getType())
      return func.emitOpError("gradient placeholder ")
             << arg.getArgNumber() << " has type " << arg.getType()
             << " but argument " << of.getInt() << " has type "
             << func.getArgument(of.getInt()).getType();
    placeholders.insert(arg);
    erase.set(arg.getArgNumber());
  }
  if (placeholders.empty())
    return success();
  // Ops that read a placeholder, directly or not, follow the gradients.
  DenseSet<Value> tainted(placeholders.begin(), placeholders.end());
  for (Operation *op : forward)
    if (llvm::any_of(op->getOperands(),
                     [&](Value v) { return tainted.contains(v); })) {
      for (Value r : op->getResults())
        tainted.insert(r);
      op->moveBefore(ret);
    }
  // The gradients as autodiff built them (before any in-place write).
  for (BlockArgument arg : func.getArguments())
    if (erase.test(arg.getArgNumber())) {
      auto of =
          func.getArgAttrOfType<IntegerAttr>(arg.getArgNumber(), kGradientOf);
      arg.replaceAllUsesWith(
          ret.getOperand(resultOf[static_cast<unsigned>(of.getInt())]));
    }
  // Placeholders written in place: their final value is the gradient.
  SmallVector<unsigned> dropResults;
  for (unsigned r = 0; r < func.getNumResults(); ++r) {
    auto upd = func.getResultAttrOfType<IntegerAttr>(r, kUpdates);
    if (!upd || !erase.test(static_cast<unsigned>(upd.getInt())))
      continue;
    auto of = func.getArgAttrOfType<IntegerAttr>(
        static_cast<unsigned>(upd.getInt()), kGradientOf);
    ret->setOperand(resultOf[static_cast<unsigned>(of.getInt())],
                    ret.getOperand(r));
    dropResults.push_back(r);
  }
  llvm::BitVector dropped(func.getNumResults());
  for (unsigned r : dropResults)
    dropped.set(r);
  for (int r = static_cast<int>(dropResults.size()) - 1; r >= 0; --r)
    ret->eraseOperand(dropResults[r]);
  func.eraseResults(dropped);
  func.eraseArguments(erase);
  return success();
}

LogicalResult Differentiator::run() {
  Block &block = func.getBody().front();
  auto ret = cast<func::ReturnOp>(block.getTerminator());
  SmallVector<Operation *> forward;
  for (Operation &op : block.without_terminator()) {
    // custom_function's regions are its own forward and backward, which
    // its rule clones; no other op may nest.
    if (op.getNumRegions() != 0 && !isa<CustomFunctionOp>(op))
      return op.emitOpError("has regions; ember-autodiff expects a trace "
                            "(one block, no nested regions)");
    forward.push_back(&op);
  }

  // 1. Activity analysis.
  for (unsigned i : request.wrt)
    varied.insert(func.getArgument(i));
  for (Operation *op : forward)
    if (!isRandomDraw(op) && llvm::any_of(op->getOperands(), [&](Value v) {
          return varied.contains(v);
        }))
      for (Value r : op->getResults())
        if (isFloatTensor(r.getType()))
          varied.insert(r);
  Value out = ret.getOperand(request.of);
  for (BlockArgument arg : func.getArguments())
    if (func.getArgAttr(arg.getArgNumber(), kGradientOf) &&
        (out == arg || dependsOnPlaceholder(out)))
      return func.emitOpError("result ")
             << request.of
             << " depends on a gradient placeholder (the differentiated "
                "result cannot use its own gradient)";
  useful.insert(out);
  for (Operation *op : llvm::reverse(forward))
    if (llvm::any_of(op->getResults(),
                     [&](Value v) { return useful.contains(v); }))
      for (Value operand : op->getOperands())
        if (isFloatTensor(operand.getType()))
          useful.insert(operand);

  // 2. The seed.
  builder.setInsertionPoint(ret);
  auto outType = cast<RankedTensorType>(out.getType());
  if (outType.getRank() == 0) {
    auto one = DenseElementsAttr::get(
        outType, FloatAttr::get(outType.getElementType(), 1.0));
    size_t from = created.ops.size();
    grads[out] = builder.create<ConstantOp>(ret.getLoc(), one).getResult();
    relocate(from, ret.getLoc());
  } else {
    unsigned index = func.getNumArguments();
    func.insertArgument(
        index, outType,
        builder.getDictionaryAttr(builder.getNamedAttr(
            "ember.grad_seed", builder.getI64IntegerAttr(request.of))),
        ret.getLoc());
    grads[out] = func.getArgument(index);
  }

  // 3. The reverse sweep.
  for (Operation *op : llvm::reverse(forward)) {
    bool active = llvm::any_of(op->getOperands(),
                               [&](Value v) { return varied.contains(v); }) &&
                  llvm::any_of(op->getResults(), [&](Value v) {
                    return varied.contains(v) && useful.contains(v);
                  });
    if (!active)
      continue;
    SmallVector<Value> resultGrads;
    for (Value r : op->getResults())
      resultGrads.push_back(grads.lookup(r));
    if (llvm::all_of(resultGrads, [](Value g) { return !g; }))
      continue;
    auto rule = dyn_cast<DifferentiableOpInterface>(op);
    if (!rule)
      return op->emitOpError(
          "is not differentiable but lies on a path from a differentiated "
          "argument to the differentiated result");
    LLVM_DEBUG(llvm::dbgs()
               << "[ember-autodiff] rule of " << op->getName() << "\n");
    size_t from = created.ops.size();
    SmallVector<Value> operandGrads;
    if (failed(rule.buildGradient(builder, resultGrads, operandGrads)))
      return failure();
    relocate(from, op->getLoc());
    if (operandGrads.size() != op->getNumOperands())
      return op->emitOpError("gradient rule gave ")
             << operandGrads.size() << " gradients for " << op->getNumOperands()
             << " operands";
    for (auto [operand, g] : llvm::zip(op->getOperands(), operandGrads)) {
      if (!g || !varied.contains(operand))
        continue;
      if (g.getType() != operand.getType())
        return op->emitOpError("gradient rule gave a gradient of type ")
               << g.getType() << " for an operand of type "
               << operand.getType();
      if (failed(accumulate(operand, g, op->getLoc())))
        return failure();
    }
  }

  // 4. The requested gradients become results.
  for (unsigned i : request.wrt) {
    BlockArgument arg = func.getArgument(i);
    Value g = grads.lookup(arg);
    if (!g) {
      size_t from = created.ops.size();
      auto type = cast<RankedTensorType>(arg.getType());
      g = builder
              .create<ConstantOp>(
                  ret.getLoc(),
                  DenseElementsAttr::get(
                      type, FloatAttr::get(type.getElementType(), 0.0)))
              .getResult();
      relocate(from, ret.getLoc());
    }
    unsigned index = func.getNumResults();
    func.insertResult(index, arg.getType(),
                      builder.getDictionaryAttr(builder.getNamedAttr(
                          "ember.grad_of", builder.getI64IntegerAttr(i))));
    ret->insertOperands(ret->getNumOperands(), g);
  }

  if (failed(fillPlaceholders(forward)))
    return failure();

  // 6. Gradients nobody uses.
  unsigned erased = 0;
  for (Operation *op : llvm::reverse(created.ops))
    if (op->use_empty()) {
      op->erase();
      ++erased;
    }
  LLVM_DEBUG(llvm::dbgs() << "[ember-autodiff] " << created.ops.size()
                          << " ops built, " << erased << " unused erased\n");
  return success();
}

struct EmberAutodiffPass
    : mlir::ember::impl::EmberAutodiffBase<EmberAutodiffPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    Attribute attr = func->getAttr(kRequest);
    if (!attr)
      return;
    FailureOr<Request> request = parseRequest(func, attr);
    if (failed(request))
      return signalPassFailure();
    if (!func.getBody().hasOneBlock()) {
      func.emitOpError("has ")
          << func.getBody().getBlocks().size()
          << " blocks; ember-autodiff expects a trace (one block)";
      return signalPassFailure();
    }
    func->removeAttr(kRequest);
    if (failed(Differentiator(func, *request).run()))
      return signalPassFailure();
  }
};

} // namespace

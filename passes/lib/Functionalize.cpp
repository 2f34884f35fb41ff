//===- Functionalize.cpp - in-place ops and views to value semantics ------===//
//
// ember-functionalize rewrites a func.func body whose ops follow eager
// aliasing (an in-place op's result is the new value of its `self`, a view's
// result shares memory with its input) into pure value semantics: afterwards
// no value changes after it is defined, no in-place op with an out-of-place
// form remains, and every mutated function argument is returned as an extra
// result marked `ember.updates = <argument index>`. Preconditions: the body
// is one block without nested regions (a trace), and the shapes that a write
// through a narrow/slice/select view needs are static.
//
// The algorithm is one walk over the ops in program order:
//   - Alias info per value: a view result (and an in-place op's result, an
//     alias of `self` without a view op) records its parent value and the
//     version of its root at which it was made. The root of a value is its
//     first ancestor that is neither (a function argument or the result of a
//     non-view op). Each root has a current value and a version that counts
//     the writes to it.
//   - Before an op is visited, each operand is resolved: a root to its
//     current value; a view made at an older version of its root to the same
//     view chain re-applied to the current root, built just before the op
//     and memoized per (view, version).
//   - An in-place op becomes its out-of-place form on the resolved operands
//     (plus ember.to_dtype back to `self`'s element type where the
//     out-of-place op promotes); index_put_, uniform_ and normal_ have none
//     and stay, their result taken as the new value. If `self` is a view,
//     the new value is written back into the root by inverting the view
//     chain, innermost view first: reshape back, the inverse permutation, or
//     ember.cat of the untouched parts and the new piece. The root's current
//     value becomes the result and its version goes up.
//   - func.return returns resolved values, plus the current value of every
//     argument that was written.
//
//===----------------------------------------------------------------------===//

#include "ember/IR/EmberOps.h"
#include "ember/Passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "ember-functionalize"

namespace mlir::ember {
#define GEN_PASS_DEF_EMBERFUNCTIONALIZE
#include "ember/Passes/Passes.h.inc"
} // namespace mlir::ember

using namespace mlir;
using namespace mlir::ember;

namespace {

/// What the pass knows about a value that aliases another one.
struct AliasInfo {
  Value parent;     // The value this one is a view (or alias) of.
  Operation *view;  // The view op; null for an in-place op's result.
  Value root;       // The first ancestor that is no alias.
  unsigned version; // The root's version when this value was made.
};

bool isViewOp(Operation *op) {
  return isa<ViewOp, ReshapeOp, PermuteOp, TransposeOp, ExpandOp, SqueezeOp,
             UnsqueezeOp, FlattenOp, NarrowOp, SliceOp, SelectOp, AsStridedOp>(
      op);
}

bool isInplaceOp(Operation *op) {
  return isa<AddInplaceOp, SubInplaceOp, MulInplaceOp, DivInplaceOp,
             ClampInplaceOp, MaskedFillInplaceOp, FillInplaceOp, ZeroInplaceOp,
             CopyInplaceOp, IndexPutInplaceOp, UniformInplaceOp,
             NormalInplaceOp>(op);
}

int64_t normalizeDim(int64_t dim, int64_t rank) {
  return dim < 0 ? dim + rank : dim;
}

class Functionalizer {
public:
  Functionalizer(func::FuncOp func) : func(func), builder(func.getContext()) {}

  LogicalResult run();

private:
  Value rootOf(Value value) const {
    auto it = aliases.find(value);
    return it == aliases.end() ? value : it->second.root;
  }
  unsigned versionOf(Value root) const { return versions.lookup(root); }
  Value currentOf(Value root) const {
    Value current = currents.lookup(root);
    return current ? current : root;
  }

  Value resolve(Value value);
  FailureOr<Value> outOfPlace(Operation *op, ArrayRef<Value> operands);
  FailureOr<Value> invertView(Operation *write, Operation *view, Value input,
                              Value piece);
  LogicalResult visitInplace(Operation *op);
  LogicalResult visitReturn(func::ReturnOp op);

  /// Creates op `OpTy` with the result type its shape rule infers.
  template <typename OpTy>
  Value create(Location loc, ValueRange operands,
               ArrayRef<NamedAttribute> attrs = {}) {
    DictionaryAttr dict = builder.getDictionaryAttr(attrs);
    SmallVector<Type, 1> types;
    if (failed(OpTy::inferReturnTypes(builder.getContext(), loc, operands, dict,
                                      OpaqueProperties(nullptr), RegionRange(),
                                      types)))
      return {};
    return builder.create<OpTy>(loc, types, operands, attrs)->getResult(0);
  }
  Value castTo(Location loc, Value value, Type elementType);
  Value reshapeTo(Location loc, Value value, RankedTensorType type);
  Value narrow(Location loc, Value input, int64_t dim, int64_t start,
               int64_t length);
  NamedAttribute i64Attr(StringRef name, int64_t value) {
    return builder.getNamedAttr(name, builder.getI64IntegerAttr(value));
  }

  func::FuncOp func;
  OpBuilder builder;
  DenseMap<Value, AliasInfo> aliases;
  DenseMap<Value, Value> currents;
  DenseMap<Value, unsigned> versions;
  DenseMap<std::pair<Value, unsigned>, Value> rebuilt;
  SmallVector<Operation *> toErase;
};

} // namespace

Value Functionalizer::resolve(Value value) {
  auto it = aliases.find(value);
  if (it == aliases.end())
    return currentOf(value);
  AliasInfo info = it->second;
  if (!info.view)
    return resolve(info.parent);
  unsigned version = versionOf(info.root);
  if (version == info.version)
    return value;
  auto key = std::make_pair(value, version);
  if (Value done = rebuilt.lookup(key))
    return done;
  // The view chain again, on the current value of its input. The insertion
  // point is before the op being visited, which dominates every later use.
  Value input = resolve(info.parent);
  Operation *clone = builder.clone(*info.view);
  clone->setOperand(0, input);
  LLVM_DEBUG(llvm::dbgs() << "rebuilt view: " << *clone << "\n");
  rebuilt[key] = clone->getResult(0);
  return clone->getResult(0);
}

Value Functionalizer::castTo(Location loc, Value value, Type elementType) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getElementType() == elementType)
    return value;
  return builder.create<ToDtypeOp>(loc, type.clone(elementType), value,
                                   TypeAttr::get(elementType));
}

Value Functionalizer::reshapeTo(Location loc, Value value,
                                RankedTensorType type) {
  if (value.getType() == type)
    return value;
  return builder.create<ReshapeOp>(
      loc, type, value, builder.getDenseI64ArrayAttr(type.getShape()));
}

Value Functionalizer::narrow(Location loc, Value input, int64_t dim,
                             int64_t start, int64_t length) {
  return create<NarrowOp>(loc, input,
                          {i64Attr("dim", dim), i64Attr("start", start),
                           i64Attr("length", length)});
}

/// A splat literal of `type` whose elements are `value` (an f64, i64 or bool
/// attribute) converted as eager's fill_ converts a Scalar.
static DenseElementsAttr splatOf(RankedTensorType type, Attribute value) {
  Type element = type.getElementType();
  double asDouble = 0;
  int64_t asInt = 0;
  bool isFloatValue = false;
  if (auto f = dyn_cast<FloatAttr>(value)) {
    asDouble = f.getValueAsDouble();
    isFloatValue = true;
  } else if (auto i = dyn_cast<IntegerAttr>(value)) {
    asInt = i.getValue().getSExtValue();
  } else if (auto b = dyn_cast<BoolAttr>(value)) {
    asInt = b.getValue();
  }
  if (auto floatType = dyn_cast<FloatType>(element)) {
    double d = isFloatValue ? asDouble : static_cast<double>(asInt);
    return DenseElementsAttr::get(type, FloatAttr::get(floatType, d));
  }
  auto intType = cast<IntegerType>(element);
  if (intType.getWidth() == 1) {
    bool b = isFloatValue ? asDouble != 0 : asInt != 0;
    return DenseElementsAttr::get(type, b);
  }
  int64_t i = isFloatValue ? static_cast<int64_t>(asDouble) : asInt;
  return DenseElementsAttr::get(
      type, IntegerAttr::get(intType, APInt(intType.getWidth(), i,
                                            /*isSigned=*/intType.isSigned() ||
                                                intType.isSignless())));
}

FailureOr<Value> Functionalizer::outOfPlace(Operation *op,
                                            ArrayRef<Value> operands) {
  Location loc = op->getLoc();
  auto selfType = cast<RankedTensorType>(op->getResult(0).getType());
  // The in-place op's attributes have the out-of-place op's names (alpha,
  // min, max, value), and discardable ones travel along.
  ArrayRef<NamedAttribute> attrs = op->getAttrs();
  Value result;
  if (isa<AddInplaceOp>(op))
    result = create<AddOp>(loc, operands, attrs);
  else if (isa<SubInplaceOp>(op))
    result = create<SubOp>(loc, operands, attrs);
  else if (isa<MulInplaceOp>(op))
    result = create<MulOp>(loc, operands, attrs);
  else if (isa<DivInplaceOp>(op))
    result = create<DivOp>(loc, operands, attrs);
  else if (isa<ClampInplaceOp>(op))
    result = create<ClampOp>(loc, operands, attrs);
  else if (isa<MaskedFillInplaceOp>(op))
    result = create<MaskedFillOp>(loc, operands, attrs);
  else if (auto fill = dyn_cast<FillInplaceOp>(op)) {
    if (operands.size() == 2) {
      // The 0-d value tensor, converted and broadcast to self's shape.
      Value value = castTo(loc, operands[1], selfType.getElementType());
      result = builder.create<ExpandOp>(
          loc, selfType, value,
          builder.getDenseI64ArrayAttr(selfType.getShape()));
    } else {
      if (!selfType.hasStaticShape()) {
        op->emitError("ember-functionalize: cannot fill a tensor of dynamic "
                      "shape yet");
        return failure();
      }
      result = builder.create<ConstantOp>(loc, selfType,
                                          splatOf(selfType, fill.getValue()));
    }
  } else if (isa<ZeroInplaceOp>(op)) {
    if (!selfType.hasStaticShape()) {
      op->emitError("ember-functionalize: cannot zero a tensor of dynamic "
                    "shape yet");
      return failure();
    }
    result = builder.create<ConstantOp>(
        loc, selfType, splatOf(selfType, builder.getI64IntegerAttr(0)));
  } else if (isa<CopyInplaceOp>(op)) {
    // src converted to self's element type, then broadcast to self's shape.
    Value src = castTo(loc, operands[1], selfType.getElementType());
    if (src.getType() != selfType)
      src = builder.create<ExpandOp>(
          loc, selfType, src,
          builder.getDenseI64ArrayAttr(selfType.getShape()));
    result = src;
  } else {
    // index_put_, uniform_, normal_: no out-of-place form in the dialect. On
    // value semantics the op already computes the new value from its
    // (resolved) operands, so it stays.
    op->setOperands(operands);
    return op->getResult(0);
  }
  if (!result) {
    op->emitError("ember-functionalize: the out-of-place form of ")
        << op->getName() << " does not type-check";
    return failure();
  }
  // In-place ops keep self's dtype (eager casts the promoted result back).
  return castTo(loc, result, selfType.getElementType());
}

FailureOr<Value> Functionalizer::invertView(Operation *write, Operation *view,
                                            Value input, Value piece) {
  Location loc = view->getLoc();
  auto inType = cast<RankedTensorType>(input.getType());
  auto cannot = [&](StringRef what = "") -> FailureOr<Value> {
    InFlightDiagnostic diag =
        write->emitError("ember-functionalize: cannot write through ");
    diag << view->getName() << what << " yet";
    diag.attachNote(view->getLoc()) << "the view written through";
    return failure();
  };
  if (isa<ViewOp, ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp>(view))
    return reshapeTo(loc, piece, inType);
  if (auto permute = dyn_cast<PermuteOp>(view)) {
    ArrayRef<int64_t> dims = permute.getDims();
    SmallVector<int64_t> inverse(dims.size());
    for (auto [i, d] : llvm::enumerate(dims))
      inverse[normalizeDim(d, dims.size())] = i;
    return builder
        .create<PermuteOp>(loc, inType, piece,
                           builder.getDenseI64ArrayAttr(inverse))
        .getResult();
  }
  if (auto transpose = dyn_cast<TransposeOp>(view))
    return builder
        .create<TransposeOp>(loc, inType, piece, transpose.getDim0Attr(),
                             transpose.getDim1Attr())
        .getResult();

  // narrow, slice with step 1 and select replace a range [start, start +
  // length) of one dim: cat the untouched parts and the piece.
  int64_t dim = 0, start = 0, length = 0;
  auto pieceType = cast<RankedTensorType>(piece.getType());
  if (auto n = dyn_cast<NarrowOp>(view)) {
    dim = normalizeDim(n.getDim(), inType.getRank());
    length = n.getLength();
    start = n.getStart();
    if (start < 0)
      start += inType.getDimSize(dim);
  } else if (auto s = dyn_cast<SliceOp>(view)) {
    if (s.getStep() != 1)
      return cannot(" with a step > 1");
    dim = normalizeDim(s.getDim(), inType.getRank());
    int64_t size = inType.getDimSize(dim);
    start = s.getStart().value_or(0);
    if (start < 0)
      start += size;
    start = std::clamp<int64_t>(start, 0, size);
    length = pieceType.getDimSize(dim);
  } else if (auto s = dyn_cast<SelectOp>(view)) {
    dim = normalizeDim(s.getDim(), inType.getRank());
    start = s.getIndex();
    if (start < 0)
      start += inType.getDimSize(dim);
    length = 1;
    piece = create<UnsqueezeOp>(loc, piece, {i64Attr("dim", dim)});
    if (!piece)
      return cannot();
  } else {
    return cannot(); // expand, as_strided
  }
  if (!inType.hasStaticShape())
    return cannot(" of a dynamic shape");
  int64_t size = inType.getDimSize(dim);
  SmallVector<Value> parts;
  if (start > 0)
    parts.push_back(narrow(loc, input, dim, 0, start));
  parts.push_back(piece);
  if (start + length < size)
    parts.push_back(
        narrow(loc, input, dim, start + length, size - start - length));
  if (parts.size() == 1)
    return piece;
  return builder
      .create<CatOp>(loc, inType, parts, builder.getI64IntegerAttr(dim))
      .getResult();
}

LogicalResult Functionalizer::visitInplace(Operation *op) {
  Value self = op->getOperand(0);
  SmallVector<Value> operands;
  for (Value operand : op->getOperands())
    operands.push_back(resolve(operand));
  FailureOr<Value> newValue = outOfPlace(op, operands);
  if (failed(newValue))
    return failure();
  Value root = rootOf(self);
  // An op that stays defines the new value: the write-back goes after it.
  if (*newValue == op->getResult(0))
    builder.setInsertionPointAfter(op);

  // The chain of views from the root down to self (aliases without a view
  // op are skipped: they are the value itself).
  SmallVector<Value> chain;
  for (Value v = self; v != root;) {
    const AliasInfo &info = aliases.find(v)->second;
    if (info.view)
      chain.push_back(v);
    v = info.parent;
  }
  // Innermost view first: the new value of each view's input.
  unsigned newVersion = versionOf(root) + 1;
  Value piece = *newValue;
  SmallVector<std::pair<Value, Value>> pieces; // (view value, its new value)
  for (Value v : chain) {
    pieces.push_back({v, piece});
    const AliasInfo &info = aliases.find(v)->second;
    FailureOr<Value> parentValue =
        invertView(op, info.view, resolve(info.parent), piece);
    if (failed(parentValue))
      return failure();
    piece = *parentValue;
  }
  LLVM_DEBUG(llvm::dbgs() << "write " << op->getName() << " through "
                          << chain.size() << " view(s): version " << newVersion
                          << " of " << root << "\n");
  currents[root] = piece;
  versions[root] = newVersion;
  // The new values of the views on the way are known: no need to rebuild.
  for (auto [view, value] : pieces)
    rebuilt[{view, newVersion}] = value;

  // The in-place op's result is self from now on. An op that has no
  // out-of-place form stays: its result is the new value itself.
  aliases[op->getResult(0)] = {self, nullptr, root, newVersion};
  if (*newValue != op->getResult(0))
    toErase.push_back(op);
  return success();
}

LogicalResult Functionalizer::visitReturn(func::ReturnOp op) {
  SmallVector<Value> results;
  for (Value operand : op.getOperands())
    results.push_back(resolve(operand));
  op->setOperands(results);
  // The final values of the mutated arguments, in argument order.
  for (BlockArgument arg : func.getArguments()) {
    if (versionOf(arg) == 0)
      continue;
    unsigned index = func.getNumResults();
    func.insertResult(
        index, arg.getType(),
        builder.getDictionaryAttr(builder.getNamedAttr(
            "ember.updates", builder.getI64IntegerAttr(arg.getArgNumber()))));
    op->insertOperands(op->getNumOperands(), currentOf(arg));
  }
  return success();
}

LogicalResult Functionalizer::run() {
  if (func.isExternal())
    return success();
  if (!func.getBody().hasOneBlock())
    return func.emitError("ember-functionalize: expects a function body of "
                          "one block (a trace)");
  Block &body = func.getBody().front();
  for (Operation &op : llvm::make_early_inc_range(body)) {
    builder.setInsertionPoint(&op);
    // A custom_function's regions hold no in-place ops (the tracer keeps
    // such Functions eager): it reads its operands like any other op.
    if (op.getNumRegions() != 0 && !isa<CustomFunctionOp>(op))
      return op.emitError("ember-functionalize: ops with regions are not "
                          "supported");
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      if (failed(visitReturn(ret)))
        return failure();
      continue;
    }
    if (isInplaceOp(&op)) {
      if (failed(visitInplace(&op)))
        return failure();
      continue;
    }
    // Any other op reads the current values of its operands; a view's
    // alias info keeps the original input, whose own info knows the chain.
    Value input = op.getNumOperands() ? op.getOperand(0) : Value();
    for (OpOperand &operand : op.getOpOperands()) {
      Value resolved = resolve(operand.get());
      if (resolved != operand.get())
        operand.set(resolved);
    }
    if (isViewOp(&op)) {
      Value root = rootOf(input);
      aliases[op.getResult(0)] = {input, &op, root, versionOf(root)};
    } else if (isa<ToDtypeOp>(op) &&
               input.getType() == op.getResult(0).getType()) {
      // Eager's to(dtype) to the tensor's own dtype returns the tensor.
      Value root = rootOf(input);
      aliases[op.getResult(0)] = {input, nullptr, root, versionOf(root)};
    }
  }

  if (toErase.empty() && versions.empty())
    return success();
  for (Operation *op : llvm::reverse(toErase)) {
    if (!op->use_empty())
      return op->emitError("ember-functionalize: internal error: the result "
                           "is still used");
    op->erase();
  }
  // Views that only fed rewritten uses are dead now.
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(body)))
    if (isViewOp(&op) && op.use_empty())
      op.erase();
  return success();
}

namespace {

struct FunctionalizePass
    : public mlir::ember::impl::EmberFunctionalizeBase<FunctionalizePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (failed(Functionalizer(func).run()) || failed(verify(func)))
      signalPassFailure();
  }
};

} // namespace

//===- MatmulToRuntime.cpp - the ember-matmul-to-runtime pass -------------===//
//
// Replaces linalg.matmul, linalg.batch_matmul and linalg.conv_2d_nchw_fchw
// on memrefs by calls to the runtime's GEMM (compiled_abi.h; conv2d as
// im2col + GEMM, strides and dilations passed as i64 before the accumulate
// flag), so compiled matrix products and convolutions run OpenBLAS on
// ember's pool instead of loop nests. Preconditions: the module is
// bufferized (the ops have memref operands); ops on tensors, on mixed
// element types (linalg's implicit casts) or on other element types than
// f32/f64 are left alone and become loops later.
//
// Each operand is memref.cast to a fully dynamic strided memref, so the
// callee is one C function per (op, element type) whatever the static
// shapes and layouts, and convert-func-to-llvm passes each memref as its
// expanded descriptor. linalg's semantics are C += A*B; the lowering always
// zero-fills C right before (linalg.fill, or a linalg.generic writing 0
// once bufferized): that fill is erased and the call told to overwrite C
// (BLAS beta = 0), which saves a pass over C. Likewise an operand that is
// a fresh buffer written only by a linalg.transpose of its last two dims
// (linear's weight.t()) becomes a memref.transpose view of the source: the
// runtime hands transposed strides to BLAS as a trans flag, so the copy
// (1.6 MB per call for a 784x512 weight) is gone. A conv operand written by
// a transpose of its two leading dims (conv2d_backward_weight's lowering
// reads the input as [C, N, H, W] and grad_out as [F, N, OH, OW]) becomes a
// view the same way: the runtime's im2col reads any strides. Either fold
// needs the transpose's source unwritten between the transpose and the call.
// Max pooling runs the runtime's plane loops too: linalg.pooling_nchw_max,
// and the max_pool2d_backward generic MaxPoolBackward.cpp marks with
// library_call = "ember_rt_max_pool2d_backward" (windows that tile the
// input), whose loops would otherwise carry the window maximum through
// memory.
//
//===----------------------------------------------------------------------===//

#include "ember/Codegen/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "ember-matmul-to-runtime"

namespace mlir::ember {
#define GEN_PASS_DEF_MATMULTORUNTIME
#include "ember/Codegen/Passes.h.inc"
} // namespace mlir::ember

using namespace mlir;

namespace {

bool isZero(Value v) { return matchPattern(v, m_AnyZeroFloat()); }

// True when `op` only writes 0 into all of `c`: linalg.fill 0, or a
// linalg.generic with no inputs, identity output map, all parallel, whose
// body yields a 0 constant.
bool zeroFills(Operation *op, Value c) {
  if (!op)
    return false;
  if (auto fill = dyn_cast<linalg::FillOp>(op))
    return fill.hasPureBufferSemantics() && fill.getOutputs()[0] == c &&
           isZero(fill.getInputs()[0]);
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || !generic.hasPureBufferSemantics() ||
      generic.getNumDpsInputs() != 0 || generic.getNumDpsInits() != 1 ||
      generic.getDpsInits()[0] != c ||
      !generic.getIndexingMapsArray()[0].isIdentity() ||
      generic.getNumParallelLoops() != generic.getNumLoops())
    return false;
  auto yield = cast<linalg::YieldOp>(generic.getBody()->getTerminator());
  return yield.getNumOperands() == 1 && isZero(yield.getOperand(0));
}

// The buffer `v` is a view of (through view-like ops).
Value rootBuffer(Value v) {
  while (auto view = v.getDefiningOp<ViewLikeOpInterface>())
    v = view.getViewSource();
  return v;
}

// True when an op strictly between `from` and `to` (same block) may write
// the buffer `root`: it writes a view of the same root, or has effects we
// cannot see. Distinct roots do not alias: distinct allocations, or
// distinct function arguments (bufferization assumes that of the
// arguments already).
bool mayWriteBetween(Operation *from, Operation *to, Value root) {
  for (Operation *op = from->getNextNode(); op && op != to;
       op = op->getNextNode()) {
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    if (!effects) {
      if (!isMemoryEffectFree(op))
        return true;
      continue;
    }
    SmallVector<MemoryEffects::EffectInstance> list;
    effects.getEffects(list);
    for (const auto &effect : list) {
      if (!isa<MemoryEffects::Write>(effect.getEffect()))
        continue;
      Value written = effect.getValue();
      if (!written)
        return true;
      Value other = rootBuffer(written);
      if (other == root)
        return true;
    }
  }
  return false;
}

// `v` as a transposed view of the linalg.transpose source, when v is an
// allocation that op reads and only that transpose (before op, same block,
// its source not written in between) writes, with deallocs as its other
// users, and the transpose swaps the dims `swapped` allows: the last two
// for a GEMM operand (linear's weight.t()), the first two for a conv
// operand (conv2d_backward_weight's input as [C, N, H, W] and grad_out as
// [F, N, OH, OW]). The transpose, allocation and deallocs are erased.
// Otherwise v itself.
enum class Swap { lastTwo, firstTwo };
Value foldTranspose(OpBuilder &b, Operation *op, Value v, Swap swapped) {
  auto alloc = v.getDefiningOp<memref::AllocOp>();
  if (!alloc)
    return v;
  linalg::TransposeOp transpose;
  SmallVector<Operation *> deallocs;
  for (Operation *user : alloc->getUsers()) {
    if (user == op)
      continue;
    if (auto t = dyn_cast<linalg::TransposeOp>(user);
        t && !transpose && t.getInit() == v) {
      transpose = t;
      continue;
    }
    if (isa<memref::DeallocOp>(user)) {
      deallocs.push_back(user);
      continue;
    }
    return v;
  }
  if (!transpose || !transpose.hasPureBufferSemantics() ||
      transpose->getBlock() != op->getBlock() ||
      !transpose->isBeforeInBlock(op) ||
      mayWriteBetween(transpose, op, rootBuffer(transpose.getInput())))
    return v;
  ArrayRef<int64_t> perm = transpose.getPermutation();
  int64_t rank = static_cast<int64_t>(perm.size());
  for (int64_t i = 0; i < rank; ++i) {
    int64_t want = swapped == Swap::lastTwo
                       ? (i < rank - 2 ? i : 2 * rank - 3 - i)
                       : (i < 2 ? 1 - i : i);
    if (perm[i] != want)
      return v;
  }
  SmallVector<unsigned> permutation;
  for (int64_t p : perm)
    permutation.push_back(static_cast<unsigned>(p));
  AffineMap map = AffineMap::getPermutationMap(permutation, b.getContext());
  Value view = b.create<memref::TransposeOp>(op->getLoc(), transpose.getInput(),
                                             AffineMapAttr::get(map));
  transpose->erase();
  for (Operation *d : deallocs)
    d->erase();
  // op still uses the allocation; it is erased after op.
  return view;
}

MemRefType dynamicStrided(MemRefType type) {
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape(rank, ShapedType::kDynamic);
  SmallVector<int64_t> strides(rank, ShapedType::kDynamic);
  auto layout =
      StridedLayoutAttr::get(type.getContext(), ShapedType::kDynamic, strides);
  return MemRefType::get(shape, type.getElementType(), layout);
}

// The callee for `op`, declared once per module.
func::FuncOp getCallee(ModuleOp module, StringRef name,
                       ArrayRef<Type> argTypes) {
  if (auto f = module.lookupSymbol<func::FuncOp>(name))
    return f;
  OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
  auto f = b.create<func::FuncOp>(module.getLoc(), name,
                                  b.getFunctionType(argTypes, TypeRange{}));
  f.setPrivate();
  return f;
}

LogicalResult rewrite(ModuleOp module, linalg::LinalgOp op, StringRef base,
                      ArrayRef<int64_t> extra = {}) {
  if (!op.hasPureBufferSemantics())
    return failure();
  Type elem = getElementTypeOrSelf(op->getOperand(0).getType());
  if (!elem.isF32() && !elem.isF64())
    return failure();
  for (Value v : op->getOperands())
    if (getElementTypeOrSelf(v.getType()) != elem)
      return failure();
  Value c = op.getDpsInits()[0];
  Operation *prev = op->getPrevNode();
  bool accumulate = !zeroFills(prev, c);

  OpBuilder b(op);
  Location loc = op.getLoc();
  SmallVector<Value> args;
  SmallVector<Type> types;
  SmallVector<Operation *> deadAllocs;
  for (auto [i, operand] : llvm::enumerate(op->getOperands())) {
    Value v = operand;
    bool conv = !extra.empty();
    if (i == 1 && operand == op->getOperand(0)) {
      v = args[0].getDefiningOp<memref::CastOp>().getSource(); // A's view
    } else if (i < 2) { // A and B, or the conv's input and filters
      v = foldTranspose(b, op, operand, conv ? Swap::firstTwo : Swap::lastTwo);
      if (v != operand)
        deadAllocs.push_back(operand.getDefiningOp());
    }
    MemRefType t = dynamicStrided(cast<MemRefType>(v.getType()));
    args.push_back(b.create<memref::CastOp>(loc, t, v));
    types.push_back(t);
  }
  for (int64_t v : extra) {
    args.push_back(b.create<arith::ConstantIntOp>(loc, v, 64));
    types.push_back(b.getI64Type());
  }
  args.push_back(b.create<arith::ConstantIntOp>(loc, accumulate ? 1 : 0, 64));
  types.push_back(b.getI64Type());
  std::string name = (base + (elem.isF32() ? "_f32" : "_f64")).str();
  func::FuncOp callee = getCallee(module, name, types);
  b.create<func::CallOp>(loc, callee, args);
  LLVM_DEBUG(llvm::dbgs() << "calling " << name
                          << (accumulate ? "" : " (fill folded)") << "\n");
  op->erase();
  if (!accumulate)
    prev->erase();
  for (Operation *alloc : deadAllocs)
    if (alloc->use_empty())
      alloc->erase();
  return success();
}

// `op` (on f32/f64 memrefs of one element type) as a call to
// `base`_f32/_f64 with `operands` as dynamic strided memrefs, then the i64
// `extra` arguments. Nothing is folded: the callee reads and writes the
// buffers as the op does.
LogicalResult rewritePlain(ModuleOp module, linalg::LinalgOp op, StringRef base,
                           ValueRange operands, ArrayRef<int64_t> extra) {
  if (!op.hasPureBufferSemantics())
    return failure();
  Type elem = getElementTypeOrSelf(operands[0].getType());
  if (!elem.isF32() && !elem.isF64())
    return failure();
  for (Value v : operands)
    if (getElementTypeOrSelf(v.getType()) != elem)
      return failure();
  OpBuilder b(op);
  Location loc = op.getLoc();
  SmallVector<Value> args;
  SmallVector<Type> types;
  for (Value v : operands) {
    MemRefType t = dynamicStrided(cast<MemRefType>(v.getType()));
    args.push_back(b.create<memref::CastOp>(loc, t, v));
    types.push_back(t);
  }
  for (int64_t v : extra) {
    args.push_back(b.create<arith::ConstantIntOp>(loc, v, 64));
    types.push_back(b.getI64Type());
  }
  std::string name = (base + (elem.isF32() ? "_f32" : "_f64")).str();
  b.create<func::CallOp>(loc, getCallee(module, name, types), args);
  LLVM_DEBUG(llvm::dbgs() << "calling " << name << "\n");
  op->erase();
  return success();
}

// linalg.pooling_nchw_max (its [kH, kW] window operand only gives the
// window's shape) -> ember_rt_max_pool2d_nchw(in, out, kH, kW, strides,
// dilations); the call folds into out's values as the op does.
LogicalResult rewriteMaxPool(ModuleOp module, linalg::PoolingNchwMaxOp op) {
  auto window = dyn_cast<MemRefType>(op.getInputs()[1].getType());
  if (!window || !window.hasStaticShape())
    return failure();
  auto s = op.getStrides().getValues<int64_t>();
  auto d = op.getDilations().getValues<int64_t>();
  return rewritePlain(
      module, cast<linalg::LinalgOp>(*op), "ember_rt_max_pool2d_nchw",
      ValueRange{op.getInputs()[0], op.getOutputs()[0]},
      {window.getDimSize(0), window.getDimSize(1), s[0], s[1], d[0], d[1]});
}

// The generic MaxPoolBackward.cpp marks with library_call
// "ember_rt_max_pool2d_backward" and ember.kernel = [kH, kW] ->
// ember_rt_max_pool2d_backward(grad_out, input, grad_input, kH, kW).
LogicalResult rewriteMaxPoolBackward(ModuleOp module, linalg::GenericOp op) {
  auto kernel = op->getAttrOfType<DenseI64ArrayAttr>("ember.kernel");
  if (!kernel || kernel.size() != 2 || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1)
    return failure();
  return rewritePlain(module, cast<linalg::LinalgOp>(*op),
                      "ember_rt_max_pool2d_backward",
                      ValueRange{op.getDpsInputs()[0], op.getDpsInputs()[1],
                                 op.getDpsInits()[0]},
                      {kernel[0], kernel[1]});
}

struct MatmulToRuntime
    : public ember::impl::MatmulToRuntimeBase<MatmulToRuntime> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<linalg::LinalgOp> ops;
    module.walk([&](Operation *op) {
      if (isa<linalg::MatmulOp, linalg::BatchMatmulOp, linalg::Conv2DNchwFchwOp,
              linalg::PoolingNchwMaxOp>(op))
        ops.push_back(cast<linalg::LinalgOp>(op));
      if (auto generic = dyn_cast<linalg::GenericOp>(op);
          generic && generic.getLibraryCall() == "ember_rt_max_pool2d_backward")
        ops.push_back(cast<linalg::LinalgOp>(op));
    });
    for (linalg::LinalgOp op : ops) {
      if (auto pool = dyn_cast<linalg::PoolingNchwMaxOp>(*op)) {
        (void)rewriteMaxPool(module, pool);
        continue;
      }
      if (auto generic = dyn_cast<linalg::GenericOp>(*op)) {
        (void)rewriteMaxPoolBackward(module, generic);
        continue;
      }
      if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(*op)) {
        auto s = conv.getStrides().getValues<int64_t>();
        auto d = conv.getDilations().getValues<int64_t>();
        (void)rewrite(module, op, "ember_rt_conv2d_nchw",
                      {s[0], s[1], d[0], d[1]});
        continue;
      }
      (void)rewrite(module, op,
                    isa<linalg::MatmulOp>(op) ? "ember_rt_matmul"
                                              : "ember_rt_batch_matmul");
    }
  }
};

} // namespace

//===- Pipeline.cpp - tensors in upstream dialects -> LLVM dialect --------===//
//
// The CPU lowering of JIT.h's lowerToLLVMDialect. Preconditions: the module
// holds func.func ops on ranked tensors whose bodies use linalg, tensor,
// arith, math and func only (what convert-ember-to-linalg emits), and its
// context has registerJitDialects' registry. Three stages, each a textual
// pass pipeline run by its own PassManager so EMBER_DUMP_IR can show the
// module between them:
//   fused:      elementwise producers fold into their consumers, reshapes
//               into generics (never into a GEMM or conv: they stay named
//               ops for ember-matmul-to-runtime);
//   bufferized: returned arguments and results returned twice are copied
//               (see copyAliasedResults); argument updates that can be
//               written in place are recorded (recordInPlaceResults);
//               tensors become memrefs with identity
//               layouts at function boundaries; results become out-params
//               (static allocations are hoisted to the caller, so the code
//               writes straight into ember's output tensors); the remaining
//               temporaries are freed by the ownership-based deallocation
//               pipeline;
//   llvm:       matmuls become runtime GEMM calls, other linalg ops loops
//               (big parallel ones outlined for ember's pool), and every
//               dialect converts to LLVM.
// Vectorization is left to LLVM's loop vectorizer at O2/O3: the fused stage
// expands f32 transcendentals into polynomials (ember-approximate-math) so
// no libm call keeps a loop scalar.
//
//===----------------------------------------------------------------------===//

#include "ember/Codegen/JIT.h"
#include "ember/Codegen/Passes.h"
#include "ember/Import/TraceImporter.h"

#include "ember/runtime/error.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Index/IR/IndexDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/AllocationOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"

#include <mutex>
#include <string>

namespace mlir::ember {

namespace {

// The textual pipelines, anchored on builtin.module.
// ember-approximate-math runs after fusion, so each fused body's f32
// transcendentals are polynomials LLVM can vectorize, and cse shares their
// constants.
constexpr const char *kFusePipeline =
    "func.func(ember-fuse-elementwise),canonicalize,"
    "func.func(ember-approximate-math),cse";
constexpr const char *kBufferizePipeline =
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-results-to-out-params{hoist-static-allocs},"
    "buffer-deallocation-pipeline,canonicalize";
// GEMMs become runtime calls first (ember-matmul-to-runtime); the other
// linalg ops become scf.parallel loops over their parallel dims (scf.for
// over reduced dims, in order), and the big outermost ones are outlined for
// ember's pool (ember-outline-parallel-loops; JitFunction.cpp finishes the
// job in LLVM IR). The rest lower to sequential loops in convert-scf-to-cf.
constexpr const char *kLLVMPipeline =
    "ember-matmul-to-runtime,func.func(convert-linalg-to-parallel-loops),"
    "ember-outline-parallel-loops,canonicalize,convert-scf-to-cf,"
    "expand-strided-metadata,lower-affine,finalize-memref-to-llvm,"
    "convert-math-to-llvm,convert-math-to-libm,convert-arith-to-llvm,"
    "convert-index-to-llvm,convert-func-to-llvm,convert-cf-to-llvm,"
    "reconcile-unrealized-casts";

// The CUDA target's fusion (ember/Codegen/CUDA.h builds the program from
// it): no polynomial math, since CUDA's own transcendentals are fast.
constexpr const char *kCudaFusePipeline =
    "func.func(ember-fuse-elementwise),canonicalize,cse";

void registerPipelinePasses() {
  static std::once_flag once;
  std::call_once(once, [] {
    registerTransformsPasses();
    registerConversionPasses();
    registerLinalgPasses();
    bufferization::registerBufferizationPasses();
    bufferization::registerBufferizationPipelines();
    memref::registerMemRefPasses();
    // Only the passes between linalg and LLVM (EmberCodegenTransforms);
    // convert-ember-to-linalg runs in the driver.
    registerApproximateMath();
    registerFuseElementwise();
    registerMatmulToRuntime();
    registerOutlineParallelLoops();
  });
}

// The name dumpIR files a module under: its first function's.
std::string dumpName(ModuleOp module) {
  for (auto func : module.getOps<func::FuncOp>())
    return func.getSymName().str();
  return "module";
}

void runStage(ModuleOp module, const std::string &name, const char *stage,
              const char *pipeline, const char *dumpPrefix = "jit-") {
  MLIRContext *context = module.getContext();
  PassManager pm(context, ModuleOp::getOperationName());
  std::string parseError;
  llvm::raw_string_ostream parseOs(parseError);
  if (failed(parsePassPipeline(pipeline, pm, parseOs)))
    EMBER_FAIL("jit", "cannot parse the ", stage, " pipeline: ", parseError);

  std::string diagnostics;
  ScopedDiagnosticHandler handler(context, [&](Diagnostic &diag) {
    llvm::raw_string_ostream os(diagnostics);
    os << "\n  " << diag.getLocation() << ": " << diag;
    for (const Diagnostic &note : diag.getNotes())
      os << "\n    note: " << note;
    return success();
  });
  if (failed(pm.run(module)))
    EMBER_FAIL("jit", "lowering '", name, "' failed in the ", stage,
               " stage:", diagnostics);
  dumpIR(module, name, std::string(dumpPrefix) + stage);
}

// buffer-results-to-out-params{hoist-static-allocs} in MLIR 19 crashes when a
// returned memref has no defining op (a function argument) and when one
// allocation is returned twice (it erases the allocation at the first use).
// Returning a fresh copy in those cases gives it one allocation per result.
void copyAliasedResults(ModuleOp module) {
  module.getContext()->getOrLoadDialect<bufferization::BufferizationDialect>();
  module.walk([](func::ReturnOp ret) {
    OpBuilder b(ret);
    llvm::SmallPtrSet<Value, 4> seen;
    for (OpOperand &operand : ret->getOpOperands()) {
      Value v = operand.get();
      auto type = llvm::dyn_cast<RankedTensorType>(v.getType());
      if (!type)
        continue;
      if (llvm::isa<BlockArgument>(v) || !seen.insert(v).second)
        operand.set(b.create<bufferization::AllocTensorOp>(
            ret.getLoc(), type, ValueRange{}, /*copy=*/v));
    }
  });
}

// Which results JitFunction may write straight into the argument they
// update (`ember.updates`), passing that argument's memory as the result's
// out-param, so a training step's parameters and optimizer state need no
// copy back (module attribute `ember.in_place.<function>`: per result, the
// argument, or -1). Sound when the result's one writer is an elementwise
// linalg.generic into a fresh buffer (tensor.empty init, identity map)
// that reads the argument only at the index it writes, and every other
// reader of the argument or of a view of it comes before that generic
// (whose tensor.empty is made its own, so that buffer is written first by
// the generic).
void recordInPlaceResults(ModuleOp module) {
  Builder b(module.getContext());
  module.walk([&](func::FuncOp func) {
    if (func.isExternal())
      return;
    Block &body = func.getBody().front();
    auto ret = llvm::cast<func::ReturnOp>(body.getTerminator());
    SmallVector<int64_t> inPlace(func.getNumResults(), -1);
    for (unsigned i = 0; i < func.getNumResults(); ++i) {
      auto update = func.getResultAttrOfType<IntegerAttr>(i, "ember.updates");
      if (!update || update.getInt() < 0 ||
          update.getInt() >= static_cast<int64_t>(func.getNumArguments()))
        continue;
      Value arg = func.getArgument(static_cast<unsigned>(update.getInt()));
      Value v = ret.getOperand(i);
      auto writer = v.getDefiningOp<linalg::GenericOp>();
      if (arg.getType() != v.getType() ||
          llvm::count(ret.getOperands(), v) != 1 || !writer ||
          writer->getBlock() != &body || writer->getNumResults() != 1 ||
          writer.getNumDpsInits() != 1 ||
          !llvm::all_of(writer.getIteratorTypesArray(),
                        linalg::isParallelIterator))
        continue;
      OpOperand *init = writer.getDpsInitOperand(0);
      if (!init->get().getDefiningOp<tensor::EmptyOp>() ||
          !writer.getMatchingIndexingMap(init).isIdentity())
        continue;
      SmallVector<Value> aliases{arg};
      bool ok = true;
      for (size_t k = 0; k < aliases.size() && ok; ++k) {
        for (OpOperand &use : aliases[k].getUses()) {
          Operation *user = body.findAncestorOpInBlock(*use.getOwner());
          if (user == writer.getOperation()) {
            ok = aliases[k] == arg && use.getOwner() == user &&
                 writer.isDpsInput(&use) &&
                 writer.getMatchingIndexingMap(&use).isIdentity();
          } else {
            ok = user && user->isBeforeInBlock(writer);
          }
          if (!ok)
            break;
          if (llvm::isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp,
                        tensor::ExtractSliceOp, tensor::CastOp,
                        tensor::ReshapeOp, linalg::TransposeOp>(use.getOwner()))
            llvm::append_range(aliases, use.getOwner()->getResults());
        }
      }
      if (!ok)
        continue;
      // Its own tensor.empty: one shared with earlier writers could be
      // bufferized as their buffer too, and become the argument's memory
      // before the argument's last read.
      auto empty = init->get().getDefiningOp<tensor::EmptyOp>();
      if (!empty->hasOneUse()) {
        OpBuilder at(writer);
        init->set(at.clone(*empty)->getResult(0));
      }
      inPlace[i] = update.getInt();
    }
    module->setAttr("ember.in_place." + func.getSymName().str(),
                    b.getDenseI64ArrayAttr(inPlace));
  });
}

// The arguments are the caller's tensors (jit::compile's inputs and
// parameters): one-shot bufferization must copy before writing, which it
// otherwise may do in place (a scatter_add loop carrying an argument).
void markArgumentsReadOnly(ModuleOp module) {
  module.walk([](func::FuncOp func) {
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      if (llvm::isa<TensorType>(func.getArgument(i).getType()))
        func.setArgAttr(i,
                        bufferization::BufferizationDialect::kWritableAttrName,
                        BoolAttr::get(func.getContext(), false));
  });
}

} // namespace

void registerJitDialects(DialectRegistry &registry) {
  registry.insert<func::FuncDialect, arith::ArithDialect, math::MathDialect,
                  tensor::TensorDialect, linalg::LinalgDialect, scf::SCFDialect,
                  memref::MemRefDialect, bufferization::BufferizationDialect,
                  cf::ControlFlowDialect, affine::AffineDialect,
                  index::IndexDialect, LLVM::LLVMDialect>();
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
  memref::registerAllocationOpInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
}

void lowerToLLVMDialect(ModuleOp module) {
  registerPipelinePasses();
  std::string name = dumpName(module);
  dumpIR(module, name, "jit-input");
  runStage(module, name, "fused", kFusePipeline);
  copyAliasedResults(module);
  recordInPlaceResults(module);
  markArgumentsReadOnly(module);
  runStage(module, name, "bufferized", kBufferizePipeline);
  runStage(module, name, "llvm", kLLVMPipeline);
}

void fuseForCuda(ModuleOp module) {
  registerPipelinePasses();
  std::string name = dumpName(module);
  dumpIR(module, name, "cuda-input");
  runStage(module, name, "fused", kCudaFusePipeline, "cuda-");
}

} // namespace mlir::ember

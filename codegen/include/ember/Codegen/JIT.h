//===- JIT.h - upstream dialects on tensors -> native code ------*- C++ -*-===//
//
// The CPU back end after ember's own lowering: a module of func.func on
// tensors in upstream dialects (linalg, tensor, arith, math, func) goes
// through elementwise fusion, one-shot bufferization, out-params for every
// result, deallocation and the conversions to the LLVM dialect; LLVM then
// optimizes it and emits an object for the host CPU, which an ORC LLJIT
// links into the process. JitFunction calls the result on ember tensors
// through a packed (void **) entry point, so any number and rank of
// arguments works without templates. Objects are cached on disk, keyed by
// the LLVM-dialect IR, the host CPU, the opt level and the compiler
// version, so a second process skips LLVM's optimizer and code generator.
//
// Code here throws ember::Error (built with exceptions, unlike the dialect
// library). Compiling is not thread-safe per MLIRContext; calling a
// compiled JitFunction is thread-safe.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_CODEGEN_JIT_H
#define EMBER_CODEGEN_JIT_H

#include "ember/tensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace llvm::orc {
class LLJIT;
} // namespace llvm::orc

namespace mlir::ember {

/// Registers what the pipeline needs in a context that parses or builds its
/// input: the upstream dialects, the bufferization models of their ops and
/// the LLVM IR translations. Call it on the registry of the context that
/// owns the module (context.appendDialectRegistry also works after
/// creation).
void registerJitDialects(DialectRegistry &registry);

/// Runs the CPU pipeline on a module of func.func on tensors
/// (linalg/tensor/arith/math/func), in place:
///   1. ember-fuse-elementwise, canonicalize, ember-approximate-math
///      (f32 transcendentals as polynomials), cse                ("jit-fused")
///   2. one-shot-bufferize (function boundaries, identity layouts),
///      buffer-results-to-out-params (hoisting static allocations, so the
///      caller allocates every output and the code writes into it),
///      buffer-deallocation-pipeline                       ("jit-bufferized")
///   3. ember-matmul-to-runtime (GEMMs call the runtime), linalg to
///      parallel loops, ember-outline-parallel-loops (big loops become
///      bodies for ember's pool), scf/affine/cf/memref/math/arith/index/func
///      to the LLVM dialect                                      ("jit-llvm")
/// With EMBER_DUMP_IR set, the input ("jit-input") and each stage are
/// written with dumpIR (and JitFunction::compile writes the optimized LLVM
/// IR, "jit-optimized.ll", and the host assembly, "jit-assembly.s").
/// Throws ember::Error with the diagnostics on failure.
void lowerToLLVMDialect(ModuleOp module);

/// The CUDA target's first stage, in place: elementwise fusion,
/// canonicalize and cse ("cuda-fused"; the input is dumped as
/// "cuda-input"), after which buildCudaProgram (ember/Codegen/CUDA.h)
/// turns each function into a device program. Throws ember::Error with the
/// diagnostics on failure.
void fuseForCuda(ModuleOp module);

/// Options of JitFunction::compile.
struct JitOptions {
  /// LLVM optimization level, 0 to 3 (the IR optimizer and the code
  /// generator).
  unsigned optLevel = 3;
  /// Folder of the object cache; std::nullopt reads $EMBER_CACHE_DIR
  /// (unset: ~/.cache/ember). "" or "0" disables the cache.
  std::optional<std::string> cacheDir;

  JitOptions &opt_level(unsigned v) {
    optLevel = v;
    return *this;
  }
  JitOptions &cache_dir(std::string v) {
    cacheDir = std::move(v);
    return *this;
  }
};

/// The cache folder `options` selects, or "" when caching is disabled.
std::string resolveCacheDir(const JitOptions &options);

/// One compiled function, callable on ember tensors.
class JitFunction {
public:
  /// Compiles `funcName` of `module` (func.func on tensors of static shape,
  /// as for lowerToLLVMDialect; `module` itself is left unchanged) at
  /// `options.optLevel` for the host CPU (its name and features), through
  /// the disk cache when enabled. Throws ember::Error when the function is
  /// missing, has a non-tensor or dynamically shaped argument or result, an
  /// unsupported element type, or fails to lower or compile.
  static std::unique_ptr<JitFunction> compile(ModuleOp module,
                                              llvm::StringRef funcName,
                                              const JitOptions &options = {});
  ~JitFunction();
  JitFunction(const JitFunction &) = delete;
  JitFunction &operator=(const JitFunction &) = delete;

  /// Runs the function on `inputs` (CPU tensors with the compiled dtypes
  /// and sizes; any strides: non-contiguous inputs are copied contiguous
  /// first, since the bufferized signature has identity layouts). Returns
  /// the outputs, freshly allocated by ember (contiguous) and filled by the
  /// compiled code, except the results the lowering found can be written
  /// straight into the argument they update (inPlaceResults()): for a
  /// contiguous argument that shares no storage with another argument, the
  /// output is that argument itself, updated in place. Throws ember::Error
  /// naming the first mismatching input.
  std::vector<::ember::Tensor>
  operator()(const std::vector<::ember::Tensor> &inputs) const;

  const std::string &name() const { return name_; }
  size_t numInputs() const { return inputs_.size(); }
  size_t numOutputs() const { return outputs_.size(); }
  /// Wall time of compile(): the pipeline, then LLVM or the cache load.
  double compile_ms() const { return compileMs_; }
  /// True when the object came from the disk cache (LLVM skipped).
  bool from_cache() const { return fromCache_; }
  /// The cache file of this function ("" when the cache is disabled).
  const std::string &cache_path() const { return cachePath_; }

  /// dtype and sizes of one argument or result of the compiled signature.
  struct TensorSpec {
    ::ember::DType dtype;
    std::vector<int64_t> sizes;
    std::vector<int64_t> strides; // contiguous strides of `sizes`
  };
  const std::vector<TensorSpec> &inputSpecs() const { return inputs_; }
  const std::vector<TensorSpec> &outputSpecs() const { return outputs_; }
  /// Per result: the argument it may be written into in place (an
  /// `ember.updates` result, see recordInPlaceResults), or -1.
  const std::vector<int64_t> &inPlaceResults() const { return inPlace_; }

private:
  JitFunction() = default;

  std::string name_;
  std::vector<TensorSpec> inputs_, outputs_;
  std::vector<int64_t> inPlace_;
  std::unique_ptr<llvm::orc::LLJIT> jit_;
  void (*entry_)(void **) = nullptr;
  size_t numSlots_ = 0; // scalars of all memref descriptors
  double compileMs_ = 0;
  bool fromCache_ = false;
  std::string cachePath_;
};

} // namespace mlir::ember

#endif // EMBER_CODEGEN_JIT_H

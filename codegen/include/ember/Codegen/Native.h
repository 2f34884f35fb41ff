//===- Native.h - the JIT's code generation, for ahead-of-time use -*- C++
//-*-===//
//
// The steps JitFunction::compile takes from a module on tensors to machine
// code, exposed so that emberc writes exactly what the JIT would run:
//   lowerForNative      clone, rename @f to _ember_fn_f, lowerToLLVMDialect
//   createNativeMachine a TargetMachine for the host triple, PIC, for the
//                       host CPU (name and features) or a named CPU
//   translateForNative  LLVM IR, the packed entry _ember_packed__ember_fn_f
//                       (void **), parallel loops onto ember_rt_parallel_for,
//                       then LLVM's optimizer at the given level
//   emitNativeCode      an object file or assembly text
// The compiled code calls the runtime's C ABI (compiled_abi.h) and
// memrefCopy (see JitFunction.cpp): an AOT object links against those.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_CODEGEN_NATIVE_H
#define EMBER_CODEGEN_NATIVE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

#include <memory>
#include <string>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
} // namespace llvm

namespace mlir::ember {

/// The compiler's version: the JIT cache key and a package's stamp. It
/// changes whenever the pipeline or the calling convention changes.
const char *compilerVersion();

/// The symbol of compiled @funcName and of its packed entry point.
std::string compiledSymbol(llvm::StringRef funcName);
std::string packedEntrySymbol(llvm::StringRef funcName);

/// Where the code will run. cpu "" (or "native") is the host CPU with all
/// of its features (what the JIT uses); any other name is an LLVM CPU of the
/// host's architecture ("x86-64-v3") with that CPU's features only.
struct NativeTarget {
  std::string cpu;
  unsigned optLevel = 3;
};

/// A portable default for code that runs elsewhere: x86-64-v3 (AVX2, FMA)
/// on x86-64 hosts, the host CPU otherwise.
std::string defaultPortableCpu();

/// A clone of `module` with @funcName renamed to compiledSymbol(funcName)
/// and lowered to the LLVM dialect (lowerToLLVMDialect). Throws
/// ember::Error when the function is missing or does not lower.
OwningOpRef<ModuleOp> lowerForNative(ModuleOp module, llvm::StringRef funcName);

/// A PIC TargetMachine for `target`; throws ember::Error for an unknown CPU.
std::unique_ptr<llvm::TargetMachine>
createNativeMachine(const NativeTarget &target);

/// The LLVM-dialect module `lowered` (from lowerForNative) as optimized
/// LLVM IR for `tm`, with the packed entry point and the parallel-loop
/// calls rewritten. Throws ember::Error on failure.
std::unique_ptr<llvm::Module> translateForNative(ModuleOp lowered,
                                                 llvm::StringRef funcName,
                                                 llvm::LLVMContext &context,
                                                 llvm::TargetMachine &tm,
                                                 unsigned optLevel);

/// Machine code for `module`: an object file, or assembly text. Consumes
/// nothing (a copy is compiled).
std::string emitNativeCode(const llvm::Module &module, llvm::TargetMachine &tm,
                           bool assembly);

} // namespace mlir::ember

#endif // EMBER_CODEGEN_NATIVE_H

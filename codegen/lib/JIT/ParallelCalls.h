//===- ParallelCalls.h - outlined loop bodies onto ember's pool -*- C++ -*-===//
//
// The LLVM IR half of ember-outline-parallel-loops (see its description in
// Passes.td): rewrites each call to an outlined body into a call to
// ember_rt_parallel_for (runtime/include/ember/runtime/compiled_abi.h).
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_CODEGEN_JIT_PARALLELCALLS_H
#define EMBER_CODEGEN_JIT_PARALLELCALLS_H

namespace llvm {
class Module;
} // namespace llvm

namespace mlir::ember::detail {

/// The symbol prefix of the outlined bodies.
inline constexpr const char *kParallelBodyPrefix = "_ember_par_";

/// Rewrites every `call @_ember_par_*(begin, end, grain, captured...)` in
/// `module` into: store the captured values into a stack struct, then
/// `ember_rt_parallel_for(trampoline, &struct, begin, end, grain)`, where
/// the generated trampoline(ctx, b, e) loads them back and calls the body
/// over [b, e). Must run before LLVM's optimizer, which would otherwise
/// inline the body into its caller. Returns the number of calls rewritten.
int lowerParallelCalls(llvm::Module &module);

} // namespace mlir::ember::detail

#endif // EMBER_CODEGEN_JIT_PARALLELCALLS_H

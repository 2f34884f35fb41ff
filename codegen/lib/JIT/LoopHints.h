//===- LoopHints.h - interleave hints for long elementwise loops -*- C++
//-*-===//
//
// Sets `llvm.loop.interleave.count` on innermost loops whose body is one long
// chain of dependent arithmetic (a fused elementwise chain of
// transcendentals), before LLVM's optimizer runs. See LoopHints.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_CODEGEN_JIT_LOOPHINTS_H
#define EMBER_CODEGEN_JIT_LOOPHINTS_H

namespace llvm {
class Module;
} // namespace llvm

namespace mlir::ember::detail {

/// The interleave count for an innermost loop whose longest dependency chain
/// (in arithmetic instructions, LoopHints.cpp) is `depth`; 0: no hint (LLVM
/// picks).
unsigned interleaveCountForDepth(unsigned depth);

/// Annotates the innermost loops of every function defined in `module` with
/// interleaveCountForDepth of their body, leaving loops that already carry
/// an interleave hint alone. Returns the number of loops annotated.
int addInterleaveHints(llvm::Module &module);

} // namespace mlir::ember::detail

#endif // EMBER_CODEGEN_JIT_LOOPHINTS_H

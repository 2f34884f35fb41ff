//===- Stages.h - trace -> ember -> linalg, shared by the drivers -*- C++
//-*-===//
//
// The stages between an imported trace and the CPU back end, as functions
// that jit::compile (CompileTrace.cpp), model packages (Package.cpp) and
// emberc all run, so the three compile the same IR the same way:
//   functionalizeModule: ember-functionalize, canonicalize, cse;
//   lowerModuleToLinalg: checks that every ember op lowers (isLowerable),
//                        then convert-ember-to-linalg.
// Both work in place, write the stage with dumpIR under EMBER_DUMP_IR, and
// throw ember::Error "<op>: '<name>': <stage> failed:" followed by the
// diagnostics.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_CODEGEN_STAGES_H
#define EMBER_CODEGEN_STAGES_H

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace mlir::ember {

/// ember-functionalize (in-place updates become values and ember.updates
/// results), canonicalize and cse on every function of `module`.
void functionalizeModule(ModuleOp module, const std::string &name,
                         const char *op);

/// convert-ember-to-linalg on every function of `module` (functionalized),
/// after checking that no ember op is left without a lowering.
void lowerModuleToLinalg(ModuleOp module, const std::string &name,
                         const char *op);

/// The text of `loc` ("file:line:col" for a FileLineColLoc).
std::string locationText(Location loc);

} // namespace mlir::ember

#endif // EMBER_CODEGEN_STAGES_H

//===- Stages.h - trace -> ember -> linalg, shared by the drivers -*- C++
//-*-===//
//
// The stages between an imported trace and the CPU back end, as functions
// that jit::compile (CompileTrace.cpp), model packages (Package.cpp) and
// emberc all run, so the three compile the same IR the same way:
//   functionalizeModule: ember-functionalize, canonicalize, cse;
//   lowerModuleToLinalg: checks that every ember op lowers (isLowerable),
//                        then convert-ember-to-linalg.
//   importStep:          importTrace and functionalizeModule, and for a
//                        trace with a backward(): ember-autodiff, then
//                        canonicalize and cse; says what each result after
//                        the trace's outputs is (StepResult).
// They work in place, write the stage with dumpIR under EMBER_DUMP_IR, and
// throw ember::Error "<op>: '<name>': <stage> failed:" followed by the
// diagnostics.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_CODEGEN_STAGES_H
#define EMBER_CODEGEN_STAGES_H

#include "ember/jit/trace.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>
#include <vector>

namespace mlir::ember {

/// ember-functionalize (in-place updates become values and ember.updates
/// results), canonicalize and cse on every function of `module`.
void functionalizeModule(ModuleOp module, const std::string &name,
                         const char *op);

/// convert-ember-to-linalg on every function of `module` (functionalized),
/// after checking that no ember op is left without a lowering.
void lowerModuleToLinalg(ModuleOp module, const std::string &name,
                         const char *op);

/// A result of a step function after the trace's outputs: what the caller
/// does with it. Update: write it into argument `argument` (an in-place
/// update, ember.updates); Grad: accumulate it into the .grad of argument
/// `argument` (or set that .grad when undefined), as backward() would;
/// Assign: set that .grad (the function reset it before its backward());
/// Drop: nothing (the hidden loss, a gradient the trace wrote back itself,
/// or one the loss does not depend on).
struct StepResult {
  enum Kind { Drop, Update, Grad, Assign } kind = Drop;
  int64_t argument = -1; ///< an index into Trace::arguments
};

/// The trace as a functionalized ember module (and differentiated when it
/// calls backward(): the loss is a hidden result right after the outputs,
/// and ember-autodiff fills the gradients). `results` gets one entry per
/// result after the trace's outputs. Returns null with `why` when a
/// gradient op has no lowering (the backward compiles only as a whole).
OwningOpRef<ModuleOp> importStep(MLIRContext &context,
                                 const ::ember::jit::Trace &trace,
                                 std::vector<StepResult> &results,
                                 std::string &why, const char *op);

/// The text of `loc` ("file:line:col" for a FileLineColLoc).
std::string locationText(Location loc);

} // namespace mlir::ember

#endif // EMBER_CODEGEN_STAGES_H

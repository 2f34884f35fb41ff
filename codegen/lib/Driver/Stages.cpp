//===- Stages.cpp - trace -> ember -> linalg, shared by the drivers -------===//
//
// See ember/Codegen/Stages.h. Each stage runs its own PassManager with a
// diagnostic handler that collects the messages, so a failure reports what
// MLIR said rather than a bare "pass failed".
//
//===----------------------------------------------------------------------===//

#include "ember/Codegen/Stages.h"

#include "ember/Codegen/Lowering.h"
#include "ember/Codegen/Passes.h"
#include "ember/IR/EmberDialect.h"
#include "ember/Import/TraceImporter.h"
#include "ember/Passes/Passes.h"
#include "ember/runtime/error.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/Support/raw_ostream.h"

namespace mlir::ember {

namespace {

template <typename AddPasses>
void runStage(ModuleOp module, const std::string &name, const char *op,
              const char *stage, AddPasses addPasses) {
  MLIRContext *context = module.getContext();
  std::string diagnostics;
  ScopedDiagnosticHandler handler(context, [&](Diagnostic &d) {
    llvm::raw_string_ostream os(diagnostics);
    os << "\n  " << d;
    return success();
  });
  PassManager pm(context);
  addPasses(pm);
  if (failed(pm.run(module)))
    EMBER_FAIL(op, "'", name, "': ", stage, " failed:", diagnostics);
  dumpIR(module, name, stage);
}

} // namespace

std::string locationText(Location loc) {
  std::string s;
  llvm::raw_string_ostream os(s);
  loc.print(os);
  return s;
}

void functionalizeModule(ModuleOp module, const std::string &name,
                         const char *op) {
  runStage(module, name, op, "functionalize", [](PassManager &pm) {
    pm.addNestedPass<func::FuncOp>(createEmberFunctionalize());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
  });
}

void lowerModuleToLinalg(ModuleOp module, const std::string &name,
                         const char *op) {
  // The ops left after functionalization must all lower: name the first
  // that does not, with its location, rather than a conversion failure.
  std::string missing;
  Dialect *ember = module.getContext()->getLoadedDialect<EmberDialect>();
  module.walk([&](Operation *o) {
    if (!missing.empty() || o->getDialect() != ember || isLowerable(o))
      return;
    missing = ::ember::detail::str_cat(
        "no lowering for ", o->getName().getStringRef().str(), " at ",
        locationText(o->getLoc()), " after functionalization");
  });
  EMBER_CHECK(missing.empty(), op, "'", name, "': ", missing);
  runStage(module, name, op, "linalg", [](PassManager &pm) {
    pm.addNestedPass<func::FuncOp>(createConvertEmberToLinalg());
  });
}

} // namespace mlir::ember

//===- CompileTrace.cpp - jit::compile's backend
//---------------------------===//
//
// trace -> ember (importTrace) -> ember-functionalize, canonicalize, cse
// -> convert-ember-to-linalg -> the CPU pipeline and ORC JIT (JitFunction).
// A trace with an op that has no lowering stays eager (the reason names the
// op and its source line); splitting around it is not done yet. Errors
// inside the compiler throw ember::Error, which jit::compile turns into a
// warning and an eager run.
//
//===----------------------------------------------------------------------===//

#include "ember/Codegen/JIT.h"
#include "ember/Codegen/Lowering.h"
#include "ember/Codegen/Passes.h"
#include "ember/IR/EmberDialect.h"
#include "ember/Import/TraceImporter.h"
#include "ember/Passes/Passes.h"
#include "ember/autograd/grad_mode.h"
#include "ember/jit/compile.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <string>

namespace {

using ::ember::Tensor;
using ::ember::TensorList;

// Runs a compiled trace: the function's outputs first, then one output per
// argument the trace updated in place (ember.updates = its index), which is
// written back into that argument, as the eager run would have.
class JitExecutable : public ::ember::jit::detail::Executable {
public:
  JitExecutable(std::unique_ptr<mlir::ember::JitFunction> fn, size_t numOutputs,
                std::vector<int64_t> updates)
      : fn_(std::move(fn)), numOutputs_(numOutputs),
        updates_(std::move(updates)) {}

  TensorList run(const TensorList &arguments) override {
    std::vector<Tensor> out = (*fn_)(arguments);
    ::ember::NoGradGuard noGrad;
    for (size_t k = 0; k < updates_.size(); ++k) {
      Tensor target = arguments.at(static_cast<size_t>(updates_[k]));
      target.copy_(out.at(numOutputs_ + k));
    }
    out.resize(numOutputs_);
    return out;
  }

private:
  std::unique_ptr<mlir::ember::JitFunction> fn_;
  size_t numOutputs_;
  std::vector<int64_t> updates_;
};

std::string locationText(mlir::Location loc) {
  std::string s;
  llvm::raw_string_ostream os(s);
  loc.print(os);
  return s;
}

} // namespace

std::unique_ptr<ember::jit::detail::Executable>
ember::jit::detail::compile_trace(const Trace &trace, std::string &why) {
  mlir::DialectRegistry registry;
  mlir::ember::registerJitDialects(registry);
  mlir::MLIRContext context(registry);
  auto module = mlir::ember::importTrace(context, trace);

  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
    llvm::raw_string_ostream os(diagnostics);
    os << "\n  " << d;
    return mlir::success();
  });
  auto run = [&](const char *stage, auto addPasses) {
    mlir::PassManager pm(&context);
    addPasses(pm);
    if (mlir::failed(pm.run(*module)))
      EMBER_FAIL("jit::compile", "'", trace.name, "': ", stage,
                 " failed:", diagnostics);
    mlir::ember::dumpIR(*module, trace.name, stage);
  };
  run("functionalize", [](mlir::PassManager &pm) {
    pm.addNestedPass<mlir::func::FuncOp>(
        mlir::ember::createEmberFunctionalize());
    pm.addPass(mlir::createCanonicalizerPass());
    pm.addPass(mlir::createCSEPass());
  });

  std::string missing;
  // The ops left after functionalization must all lower.
  module->walk([&](mlir::Operation *op) {
    if (!missing.empty() ||
        op->getDialect() !=
            context.getLoadedDialect<mlir::ember::EmberDialect>())
      return;
    if (!mlir::ember::isLowerable(op))
      missing = ::ember::detail::str_cat("no lowering for ",
                                         op->getName().getStringRef().str(),
                                         " at ", locationText(op->getLoc()),
                                         " (it runs eagerly; splitting the "
                                         "trace around it is not done yet)");
  });
  if (!missing.empty()) {
    why = missing;
    return nullptr;
  }
  run("linalg", [](mlir::PassManager &pm) {
    pm.addNestedPass<mlir::func::FuncOp>(
        mlir::ember::createConvertEmberToLinalg());
  });

  auto func = module->lookupSymbol<mlir::func::FuncOp>(trace.name);
  EMBER_CHECK(func, "jit::compile", "'", trace.name,
              "': the function disappeared during compilation");
  std::vector<int64_t> updates;
  size_t numOutputs = trace.outputs.size();
  for (size_t i = numOutputs; i < func.getNumResults(); ++i) {
    auto attr = func.getResultAttrOfType<mlir::IntegerAttr>(
        static_cast<unsigned>(i), "ember.updates");
    EMBER_CHECK(attr, "jit::compile", "'", trace.name, "': result ", i,
                " is neither an output nor an argument update");
    updates.push_back(attr.getInt());
  }
  auto fn = mlir::ember::JitFunction::compile(*module, trace.name);
  return std::make_unique<JitExecutable>(std::move(fn), numOutputs,
                                         std::move(updates));
}

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
#include "ember/IR/EmberOps.h"
#include "ember/Import/TraceImporter.h"
#include "ember/Passes/Passes.h"
#include "ember/runtime/error.h"

#include <algorithm>
#include <set>

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

OwningOpRef<ModuleOp> importStep(MLIRContext &context,
                                 const ::ember::jit::Trace &trace,
                                 std::vector<StepResult> &results,
                                 std::string &why, const char *op) {
  const size_t numOutputs = trace.outputs.size();
  OwningOpRef<ModuleOp> module;
  if (trace.backward) {
    // The loss is one more (hidden) result; ember-autodiff appends the
    // gradients of the arguments that require grad.
    ::ember::jit::Trace withLoss = trace;
    withLoss.outputs.push_back(trace.backward->root);
    module = importTrace(context, withLoss);
    SmallVector<int64_t> wrt;
    for (size_t i = 0; i < trace.arguments.size(); ++i) {
      const ::ember::jit::TracedValue &v = trace.values[trace.arguments[i]];
      if (v.requires_grad && ::ember::is_floating_point(v.dtype))
        wrt.push_back(static_cast<int64_t>(i));
    }
    auto func = module->lookupSymbol<func::FuncOp>(trace.name);
    Builder b(&context);
    func->setAttr(
        "ember.autodiff",
        b.getDictionaryAttr(
            {b.getNamedAttr(
                 "of", b.getI64IntegerAttr(static_cast<int64_t>(numOutputs))),
             b.getNamedAttr("wrt", b.getI64ArrayAttr(wrt))}));
  } else {
    module = importTrace(context, trace);
  }
  functionalizeModule(*module, trace.name, op);

  // Gradients the loss does not depend on come back as constants: eager
  // leaves their .grad alone, so the caller skips them.
  std::set<unsigned> noPath;
  if (trace.backward) {
    runStage(*module, trace.name, op, "autodiff", [](PassManager &pm) {
      pm.addNestedPass<func::FuncOp>(createEmberAutodiff());
    });
    auto func = module->lookupSymbol<func::FuncOp>(trace.name);
    auto ret =
        llvm::cast<func::ReturnOp>(func.getBody().front().getTerminator());
    for (unsigned i = 0; i < func.getNumResults(); ++i)
      if (func.getResultAttr(i, "ember.grad_of") &&
          ret.getOperand(i).getDefiningOp<ConstantOp>())
        noPath.insert(i);
    runStage(*module, trace.name, op, "autodiff-cleanup", [](PassManager &pm) {
      // Custom Functions' backward regions were used by autodiff: only
      // their forwards remain, as ordinary ops.
      pm.addNestedPass<func::FuncOp>(createEmberInlineCustomFunctions());
      pm.addPass(createCanonicalizerPass());
      pm.addPass(createCSEPass());
    });
    // Gradient ops without a lowering keep the whole step eager.
    std::string missing;
    Dialect *ember = context.getLoadedDialect<EmberDialect>();
    module->walk([&](Operation *o) {
      if (missing.empty() && o->getDialect() == ember && !isLowerable(o))
        missing = ::ember::detail::str_cat("no lowering for ",
                                           o->getName().getStringRef().str(),
                                           " at ", locationText(o->getLoc()));
    });
    if (!missing.empty()) {
      why = "its backward() compiles only as a whole, and its gradient ops "
            "do not all lower: " +
            missing;
      return nullptr;
    }
  }

  auto func = module->lookupSymbol<func::FuncOp>(trace.name);
  EMBER_CHECK(func, op, "'", trace.name,
              "': the function disappeared during compilation");
  results.clear();
  for (unsigned i = static_cast<unsigned>(numOutputs); i < func.getNumResults();
       ++i) {
    auto update = func.getResultAttrOfType<IntegerAttr>(i, "ember.updates");
    auto grad = func.getResultAttrOfType<IntegerAttr>(i, "ember.grad_of");
    if (trace.backward && i == numOutputs) {
      results.push_back({StepResult::Drop}); // the loss
    } else if (update) {
      results.push_back({StepResult::Update, update.getInt()});
    } else if (grad) {
      int64_t value = trace.arguments.at(static_cast<size_t>(grad.getInt()));
      auto has = [&](const std::vector<int64_t> &ids) {
        return std::find(ids.begin(), ids.end(), value) != ids.end();
      };
      StepResult::Kind kind = StepResult::Grad;
      if (has(trace.backward->accumulated))
        kind = StepResult::Drop; // written back as an update of its .grad
      else if (has(trace.backward->reset))
        kind = StepResult::Assign;
      if (noPath.count(i) && kind == StepResult::Grad)
        kind = StepResult::Drop;
      results.push_back({kind, grad.getInt()});
    } else {
      EMBER_FAIL(op, "'", trace.name, "': result ", i,
                 " is neither an output, an argument update nor a gradient");
    }
  }
  return module;
}

} // namespace mlir::ember

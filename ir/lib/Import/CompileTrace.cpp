//===- CompileTrace.cpp - jit::compile's backend
//---------------------------===//
//
// Imports the trace (so import errors surface as compiler failures with the
// IR dumped) and, until code generation lands (codegen/), reports that it
// cannot run it: jit::compile keeps the function eager and logs why.
//
//===----------------------------------------------------------------------===//

#include "ember/Import/TraceImporter.h"
#include "ember/jit/compile.h"

std::unique_ptr<ember::jit::detail::Executable>
ember::jit::detail::compile_trace(const Trace &trace, std::string &why) {
  mlir::MLIRContext context;
  auto module = mlir::ember::importTrace(context, trace);
  why = "no CPU code generation yet (the trace imports and verifies)";
  return nullptr;
}

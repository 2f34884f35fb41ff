// Built when EMBER_ENABLE_COMPILER is OFF: the compiler's entry points
// exist but say there is no compiler (jit::compile then runs eagerly).
#include "ember/jit/compile.h"

namespace ember::jit {

std::string Trace::to_mlir(bool) const {
  EMBER_FAIL("jit::Trace::to_mlir", "this build of ember has no compiler "
                                    "(EMBER_ENABLE_COMPILER=OFF)");
}

std::unique_ptr<detail::Executable> detail::compile_trace(const Trace &,
                                                          std::string &why) {
  why = "this build of ember has no compiler (EMBER_ENABLE_COMPILER=OFF)";
  return nullptr;
}

} // namespace ember::jit

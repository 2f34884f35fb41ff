// jit::compile against eager on a corpus of functions: every op family the
// compiler lowers, broadcasting, views, in-place updates, reductions along
// each axis, mixed dtypes. Each function is called twice with the same
// shapes (first call: eager + trace + compile; second: compiled code) and
// the compiled result is compared with the eager one: exactly for integer
// and bool results and for elementwise float ops that lower to the same
// arithmetic, within rtol 1e-5 / atol 1e-6 (float32) for reductions,
// matmuls and transcendental functions (libm vs MLIR's math lowering,
// summation order). With the compiler every function must run compiled;
// without it (EMBER_ENABLE_COMPILER=OFF) every one runs eagerly.
#include "jit_corpus.h"
#include "test_util.h"

#include <cstdlib>
#include <functional>

using namespace ember;
using namespace ember::testing;

namespace {

using ember::testing::corpus::Case;
using ember::testing::corpus::check_corpus;
using ember::testing::corpus::corpus;

TEST(JitCorpus, CompiledMatchesEager) {
  size_t total = corpus().size();
  std::vector<std::string> eager_only =
      check_corpus(&jit::detail::compile_trace);
  int compiled = static_cast<int>(total - eager_only.size());
  std::string list;
  for (const auto &n : eager_only)
    list += " " + n;
  std::printf("jit corpus: %d of %zu functions ran compiled; eager:%s\n",
              compiled, total, list.c_str());
#if EMBER_TEST_HAS_COMPILER
  // Every op in the corpus has a lowering: all of it must compile.
  EXPECT_EQ(compiled, static_cast<int>(total)) << "eager:" << list;
#else
  EXPECT_EQ(compiled, 0); // no compiler: everything runs eagerly
#endif
}

} // namespace

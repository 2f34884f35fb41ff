// jit::compile's front half: results equal eager, guards and recompiles
// (with the logged reason naming what changed), the recompile limit's two
// policies, item() values as guards, eager fallback for autograd, EMBER_JIT=0,
// module parameters as arguments, training flags as guards. Runs with and
// without the compiler (without it every key falls back, with a reason).
#include "test_util.h"

#include <cstdlib>
#include <sstream>

using namespace ember;
using namespace ember::testing;

namespace {

TEST(JitCompile, ResultsEqualEagerAndKeysAreReused) {
  auto f = jit::compile([](const Tensor &x, const Tensor &y) {
    return relu(x * y + 1).sum({1});
  });
  for (int i = 0; i < 3; ++i) {
    Tensor x = randn({4, 5}), y = randn({5});
    EXPECT_TRUE(tensors_equal(f(x, y), relu(x * y + 1).sum({1})));
  }
  const jit::CompileStats &st = f.stats();
  EXPECT_EQ(st.calls, 3);
  EXPECT_EQ(st.traces, 1); // one guard key
  EXPECT_EQ(st.compiles + st.fallbacks, 1);
  EXPECT_EQ(st.compiled_calls + st.eager_calls, 3);
  ASSERT_EQ(f.traces().size(), 1u);
  EXPECT_EQ(f.traces()[0]->ops.size(), 4u); // mul add relu sum
}

TEST(JitCompile, RecompileLogsTheGuardThatChanged) {
  EnvVar env("EMBER_LOG", "recompiles,splits");
  LogCapture logs;
  auto f =
      jit::compile([](const Tensor &x) { return x.exp(); }, {.name = "expf"});
  f(ones({2, 3}));
  f(ones({2, 3}));
  f(ones({4, 3}));                  // sizes change
  f(ones({4, 3}, dtype(kFloat64))); // dtype changes
  EXPECT_EQ(f.stats().traces, 3);
  std::string text = logs.text();
  EXPECT_NE(text.find("'expf' traces again"), std::string::npos) << text;
  EXPECT_NE(text.find("input 0 sizes [2, 3] -> [4, 3]"), std::string::npos)
      << text;
  EXPECT_NE(text.find("input 0 dtype float32 -> float64"), std::string::npos)
      << text;
  EXPECT_NE(text.find("jit_compile_test.cpp:"), std::string::npos) << text;
}

TEST(JitCompile, RecompileLimitPolicies) {
  auto raise =
      jit::compile([](const Tensor &x) { return x + 1; },
                   {.name = "grow",
                    .recompile_limit = 2,
                    .on_recompile_limit = jit::RecompilePolicy::Raise});
  raise(ones({1}));
  raise(ones({2}));
  EXPECT_EMBER_ERROR(raise(ones({3})),
                     "'grow' reached its recompile limit (2)");
  EXPECT_EMBER_ERROR(raise(ones({3})), "input 0 sizes [2] -> [3]");

  LogCapture logs;
  auto eager = jit::compile([](const Tensor &x) { return x + 1; },
                            {.name = "grow2", .recompile_limit = 1});
  eager(ones({1}));
  EXPECT_TRUE(tensors_equal(eager(ones({5})), full({5}, 2.0)));
  EXPECT_TRUE(tensors_equal(eager(ones({6})), full({6}, 2.0)));
  EXPECT_EQ(eager.stats().traces, 1);
  EXPECT_EQ(eager.stats().eager_calls, 3);
  std::string text = logs.text();
  EXPECT_NE(text.find("[WARN]"), std::string::npos) << text;
  EXPECT_NE(text.find("new guard keys run eagerly"), std::string::npos) << text;
  // Warned once, not per call.
  EXPECT_EQ(text.find("recompile limit"), text.rfind("recompile limit"));
}

// item() values are guards: a new value stops the compiled run (nothing
// happened yet) and traces again; a later call tries each entry in turn.
TEST(JitCompile, DataReadsAreGuards) {
  EnvVar env("EMBER_LOG", "recompiles");
  LogCapture logs;
  auto f = jit::compile(
      [](const Tensor &x) {
        double m = x.max().item<double>(); // the trace depends on this value
        return m > 0 ? x * 2 : x * 3;
      },
      {.name = "reads"});
  EXPECT_TRUE(tensors_equal(f(tensor({1.f, -2.f})), tensor({2.f, -4.f})));
  EXPECT_TRUE(tensors_equal(f(tensor({1.f, -3.f})), tensor({2.f, -6.f})));
  EXPECT_TRUE(tensors_equal(f(tensor({-1.f, -2.f})), tensor({-3.f, -6.f})));
  EXPECT_TRUE(tensors_equal(f(tensor({-1.f, -5.f})), tensor({-3.f, -15.f})));
  EXPECT_TRUE(tensors_equal(f(tensor({1.f, 0.f})), tensor({2.f, 0.f})));
  ASSERT_GE(f.traces().size(), 1u);
  ASSERT_EQ(f.traces()[0]->data_reads.size(), 1u);
  EXPECT_EQ(f.traces()[0]->data_reads[0].read.to_double(), 1.0);
#if EMBER_TEST_HAS_COMPILER
  ASSERT_EQ(f.traces().size(), 2u);
  EXPECT_EQ(f.traces()[1]->data_reads[0].read.to_double(), -1.0);
  EXPECT_EQ(f.stats().compiles, 2);
  EXPECT_EQ(f.stats().splits, 2);
  EXPECT_EQ(f.stats().compiled_calls, 3);
  EXPECT_EQ(f.stats().read_misses, 2); // calls 3 and 4 miss entry 0
  std::string text = logs.text();
  EXPECT_NE(text.find("traces again (call at jit_compile_test.cpp:"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("item() at jit_compile_test.cpp:"), std::string::npos);
  EXPECT_NE(text.find(" read -1, the trace read 1"), std::string::npos) << text;
#else
  // Without the compiler the key's entry runs eagerly: no guard, no retrace.
  EXPECT_EQ(f.traces().size(), 1u);
  EXPECT_EQ(f.stats().fallbacks, 1);
  EXPECT_EQ(f.stats().compiled_calls, 0);
#endif
}

TEST(JitCompile, AutogradThroughTheFunctionStaysEager) {
  nn::Linear lin(3, 2);
  auto f = jit::compile([&](const Tensor &x) { return lin(x).sum(); },
                        {.modules = {{"lin", &lin}}});
  Tensor loss = f(ones({4, 3}));
  loss.backward(); // the eager run built the graph
  EXPECT_TRUE(lin.weight.grad().defined());
  EXPECT_EQ(f.stats().fallbacks, 1);
  f(ones({4, 3}));
  EXPECT_EQ(f.stats().compiled_calls, 0);
  // Under NoGradGuard the grad mode guard differs: a new key.
  NoGradGuard no_grad;
  f(ones({4, 3}));
  EXPECT_EQ(f.stats().traces, 2);
}

TEST(JitCompile, ModuleParametersAndTrainingFlagsAreGuarded) {
  EnvVar env("EMBER_LOG", "recompiles");
  LogCapture logs;
  NoGradGuard no_grad;
  nn::Sequential net{{"fc", nn::Linear(3, 3)}, {"drop", nn::Dropout(0.5)}};
  auto f = jit::compile([&](const Tensor &x) { return net(x); },
                        {.name = "net", .modules = {{"net", &net}}});
  net.eval();
  Tensor x = ones({2, 3});
  Tensor y0 = f(x);
  EXPECT_TRUE(tensors_equal(f(x), y0));
  // A parameter update is seen by the next call (parameters are arguments).
  net.named_parameters()["fc.bias"].add_(1);
  EXPECT_TRUE(allclose(f(x), y0 + 1)); // (xW+b)+1 vs xW+(b+1): rounding
  net.train();
  f(x);
  EXPECT_EQ(f.stats().traces, 2);
  EXPECT_NE(logs.text().find("module 'net' training false -> true"),
            std::string::npos)
      << logs.text();
  // The trace names the parameters by dotted path.
  bool found = false;
  for (int64_t id : f.traces()[0]->arguments)
    found |= f.traces()[0]->values[id].name == "net.fc.weight";
  EXPECT_TRUE(found);
}

#if EMBER_TEST_HAS_COMPILER
// A matmul trace compiles (its GEMM is a call to the runtime's OpenBLAS
// kernel, compiled_abi.h) and matches eager; so does plain elementwise code.
TEST(JitCompile, GemmTracesCompile) {
  NoGradGuard no_grad;
  auto mm_fn =
      jit::compile([](const Tensor &a, const Tensor &b) { return mm(a, b); },
                   {.name = "mm"});
  Tensor a = randn({4, 3}), b = randn({3, 2});
  mm_fn(a, b);
  EXPECT_TRUE(allclose(mm_fn(a, b), mm(a, b), 1e-5, 1e-6));
  EXPECT_EQ(mm_fn.stats().fallbacks, 0);
  EXPECT_EQ(mm_fn.stats().compiled_calls, 1);
  auto ew = jit::compile([](const Tensor &a) { return relu(a) * 2; });
  ew(a);
  ew(a);
  EXPECT_EQ(ew.stats().compiled_calls, 1);
}
#endif

// A planted compiler failure: the backend throws; the call still returns
// the eager result and a warning says what failed and where the IR goes.
std::unique_ptr<jit::detail::Executable> failing_backend(const jit::Trace &,
                                                         std::string &) {
  throw Error("ember::planted: the compiler broke");
}

TEST(JitCompile, CompilerFailureFallsBackWithAWarning) {
  LogCapture logs;
  jit::CompiledFunction f(
      [](const TensorList &in) { return TensorList{in[0] * 3}; },
      {.name = "broken"}, &failing_backend);
  for (int i = 0; i < 2; ++i)
    EXPECT_TRUE(tensors_equal(f({ones({2})})[0], full({2}, 3.0)));
  EXPECT_EQ(f.stats().fallbacks, 1);
  EXPECT_EQ(f.stats().eager_calls, 2);
  std::string text = logs.text();
  EXPECT_NE(text.find("[WARN] jit::compile: 'broken'"), std::string::npos)
      << text;
  EXPECT_NE(text.find("the compiler failed: ember::planted: the compiler "
                      "broke"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("EMBER_DUMP_IR=<dir>"), std::string::npos) << text;
}

// A planted wrong result: the "compiled" code adds 1. EMBER_JIT_VERIFY=1
// runs the function eagerly too and names the op that made the output.
class OffByOne : public jit::detail::Executable {
public:
  TensorList run(const TensorList &args) override { return {args[0] * 3 + 1}; }
};
std::unique_ptr<jit::detail::Executable> wrong_backend(const jit::Trace &,
                                                       std::string &) {
  return std::make_unique<OffByOne>();
}

TEST(JitCompile, VerifyModeCatchesAWrongResult) {
  EnvVar env("EMBER_JIT_VERIFY", "1");
  int line = __LINE__ + 2;
  jit::CompiledFunction f(
      [](const TensorList &in) { return TensorList{mul(in[0], 3)}; },
      {.name = "wrong"}, &wrong_backend);
  f({ones({2})}); // traces; the eager result
  try {
    f({ones({2})});
    ADD_FAILURE() << "verify mode did not catch the wrong result";
  } catch (const Error &e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("EMBER_JIT_VERIFY: output 0 of 'wrong' differs"),
              std::string::npos)
        << msg;
    EXPECT_NE(msg.find("produced by ember.mul at jit_compile_test.cpp:" +
                       std::to_string(line)),
              std::string::npos)
        << msg;
  }
  EXPECT_EQ(f.stats().verified, 1);
}

TEST(JitCompile, JitOffRunsEagerly) {
  EnvVar env("EMBER_JIT", "0");
  auto f = jit::compile([](const Tensor &x) { return x.neg(); });
  EXPECT_TRUE(tensors_equal(f(ones({2})), full({2}, -1.0)));
  EXPECT_EQ(f.stats().traces, 0);
  EXPECT_EQ(f.stats().eager_calls, 1);
}

TEST(JitCompile, Errors) {
  EXPECT_EMBER_ERROR(jit::CompiledFunction(nullptr, {}),
                     "the function is empty");
  EXPECT_EMBER_ERROR(
      jit::compile([](const Tensor &x) { return x; }, {.recompile_limit = 0}),
      "recompile_limit must be at least 1, got 0");
  auto f = jit::compile([](const Tensor &x) { return x; });
  EXPECT_EMBER_ERROR(f(Tensor()), "an input is an undefined tensor");
}

} // namespace

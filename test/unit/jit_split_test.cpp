// Splits: jit::compile runs ops without a lowering eagerly between compiled
// segments (random ops, index ops), keeps eager aliasing (in-place updates
// of arguments across pieces, eager views of compiled results), and refuses
// to split where pieces would see different copies of memory written in
// place (the key then stays eager, with the reason). Results are compared
// with plain eager runs; random ops are compared under the same seed, since
// the eager steps draw from the default generator as the eager run does.
#include "test_util.h"

#include "ember/jit/split.h"

#include <cstdlib>
#include <sstream>

using namespace ember;
using namespace ember::testing;

namespace {

// EMBER_LOG=splits and the captured log lines.
struct SplitLog {
  EnvVar env{"EMBER_LOG", "splits"};
  ember::testing::LogCapture capture;
  std::string text() const { return capture.text(); }
};

#if EMBER_TEST_HAS_COMPILER

// Its backward reads data (item()), so the tracer cannot record it as ember
// ops (jit_custom_function_test.cpp has the Functions that compile).
struct ClampedSign : autograd::Function<ClampedSign> {
  static Tensor forward(autograd::AutogradContext *ctx, const Tensor &x) {
    ctx->save_for_backward({x});
    return x.sign() * 0.5;
  }
  static autograd::tensor_list backward(autograd::AutogradContext *ctx,
                                        autograd::tensor_list grads) {
    Tensor x = ctx->get_saved_variables()[0];
    double limit = x.abs().max().item().to_double();
    return {grads[0] * (x.abs() <= limit)};
  }
};

// A custom Function whose backward is not ember ops runs its forward
// eagerly (its backward stays the user's); the ops around it compile.
TEST(JitSplit, CustomFunctionRunsEagerly) {
  SplitLog logs;
  auto fn = [](const Tensor &x) { return ClampedSign::apply(x * 2 - 1) + x; };
  auto f = jit::compile(fn, {.name = "custom"});
  Tensor x = randn({6, 5});
  f(x);
  EXPECT_TRUE(tensors_equal(f(x), fn(x)));
  EXPECT_EQ(f.stats().compiled_calls, 1);
  EXPECT_EQ(f.stats().splits, 1);
  ASSERT_EQ(f.traces().size(), 1u);
  int inside = 0;
  for (const auto &op : f.traces()[0]->ops)
    inside += op.custom_function.empty() ? 0 : 1;
  EXPECT_EQ(inside, 2); // sign, mul
  EXPECT_NE(logs.text().find("eager    ember.sign at jit_split_test.cpp:"),
            std::string::npos)
      << logs.text();
  EXPECT_NE(logs.text().find("custom autograd::Function ClampedSign"),
            std::string::npos)
      << logs.text();
}

// Dropout-like: bernoulli has no lowering (eager's Philox stream), the
// arithmetic around it compiles. Same seed, same bits as eager.
TEST(JitSplit, RandomOpRunsEagerlyBetweenSegments) {
  SplitLog logs;
  // randint has no lowering (bernoulli compiles: jit_random_test).
  auto fn = [](const Tensor &x, const Tensor &p) {
    Tensor coin = randint(0, 2, {64, 33}, TensorOptions().dtype(kFloat32));
    return relu(x * 3 - 1) * (coin * p) + x.exp();
  };
  auto f = jit::compile(fn, {.name = "dropoutish"});
  Tensor x = randn({64, 33}), p = rand({64, 33});
  for (int call = 0; call < 3; ++call) {
    manual_seed(100 + call);
    Tensor got = f(x, p);
    manual_seed(100 + call);
    Tensor want = fn(x, p);
    EXPECT_TRUE(allclose(got, want, 1e-6, 1e-6)) << "call " << call;
  }
  EXPECT_EQ(f.stats().compiles, 1);
  EXPECT_EQ(f.stats().splits, 1);
  EXPECT_EQ(f.stats().compiled_calls, 2);
  std::string text = logs.text();
  EXPECT_NE(text.find("'dropoutish' (call at jit_split_test.cpp:"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("eager    ember.randint at jit_split_test.cpp:"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("compiled dropoutish_part1: 7 ops"), std::string::npos)
      << text;
}

// index_select (data-dependent addressing) has no lowering yet.
TEST(JitSplit, IndexOpBetweenSegments) {
  auto fn = [](const Tensor &x, const Tensor &idx) {
    Tensor y = (x * 2 + 1).index_select(0, idx);
    return TensorList{y.tanh().sum({1}), y};
  };
  auto f = jit::compile(fn);
  Tensor x = randn({10, 7}), idx = tensor({3L, 0L, 9L, 3L});
  f(x, idx);
  TensorList got = f(x, idx), want = fn(x, idx);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_TRUE(allclose(got[0], want[0], 1e-5, 1e-6));
  EXPECT_TRUE(tensors_equal(got[1], want[1]));
  EXPECT_EQ(f.stats().compiled_calls, 1);
  EXPECT_EQ(f.stats().splits, 1);
}

// An argument updated in place in a compiled segment is written back before
// the eager op reads it; the update happens once per call.
TEST(JitSplit, ArgumentUpdateAcrossPieces) {
  auto fn = [](const Tensor &x, const Tensor &idx) {
    Tensor(x).add_(1);
    return x.index_select(0, idx) * 2;
  };
  auto f = jit::compile(fn);
  Tensor idx = tensor({1L, 2L});
  Tensor a = zeros({3, 2}), b = zeros({3, 2});
  for (int call = 0; call < 3; ++call) {
    Tensor got = f(a, idx), want = fn(b, idx);
    EXPECT_TRUE(tensors_equal(got, want)) << "call " << call;
    EXPECT_TRUE(tensors_equal(a, b)) << "call " << call;
  }
  EXPECT_TRUE(tensors_equal(a, full({3, 2}, 3.f)));
  EXPECT_EQ(f.stats().compiled_calls, 2);
}

// Eager views of compiled results feed later compiled segments.
TEST(JitSplit, EagerViewOfACompiledResult) {
  auto fn = [](const Tensor &x) {
    Tensor y = x.sigmoid() * 4;
    return y.as_strided({3, 2}, {1, 3}).exp() + 1;
  };
  auto f = jit::compile(fn);
  Tensor x = randn({2, 3});
  f(x);
  EXPECT_TRUE(allclose(f(x), fn(x), 1e-6, 1e-6));
  EXPECT_EQ(f.stats().compiled_calls, 1);
  EXPECT_EQ(f.stats().splits, 1);
}

// A view made in a compiled segment, then written in place by an eager op:
// the view and its base would be different copies. The key stays eager and
// the log says why; the results are still the eager ones.
TEST(JitSplit, WritesThroughAliasesAcrossPiecesStayEager) {
  SplitLog logs;
  auto fn = [](const Tensor &x) {
    Tensor y = x * 2;
    Tensor row = y.select(0, 1);
    row.uniform_(0, 1);
    return y + 1;
  };
  auto f = jit::compile(fn, {.name = "alias"});
  Tensor x = randn({3, 4});
  manual_seed(7);
  Tensor got = f(x);
  manual_seed(7);
  f(x);
  manual_seed(7);
  EXPECT_TRUE(tensors_equal(got, fn(x)));
  EXPECT_EQ(f.stats().fallbacks, 1);
  EXPECT_EQ(f.stats().compiled_calls, 0);
  EXPECT_NE(logs.text().find("ember.uniform_ at jit_split_test.cpp:"),
            std::string::npos)
      << logs.text();
  EXPECT_NE(logs.text().find("also viewed by another piece of the split"),
            std::string::npos)
      << logs.text();
}

// A read guard after an argument update: rerunning after a miss would
// apply the update twice, so the key stays eager.
TEST(JitSplit, ReadAfterAnArgumentUpdateStaysEager) {
  SplitLog logs;
  auto fn = [](const Tensor &x) {
    Tensor(x).mul_(2);
    return x.sum().item<double>() > 0 ? x + 1 : x - 1;
  };
  auto f = jit::compile(fn, {.name = "readafter"});
  Tensor a = ones({4}), b = ones({4});
  f(a);
  f(a);
  fn(b);
  fn(b);
  EXPECT_TRUE(tensors_equal(a, b));
  EXPECT_EQ(f.stats().fallbacks, 1);
  EXPECT_NE(logs.text().find("comes after an in-place update of an argument"),
            std::string::npos)
      << logs.text();
}

// Only intermediates some later piece uses cross a boundary; a segment's
// dead results are not returned.
TEST(JitSplit, SegmentsPassOnlyWhatLaterPiecesUse) {
  auto fn = [](const Tensor &x, const Tensor &p) {
    Tensor a = x + 1, b = a * a, c = b - x;
    Tensor m = bernoulli(p);
    return (c * m).sum();
  };
  auto f = jit::compile(fn);
  Tensor x = randn({5, 6}), p = rand({5, 6});
  f(x, p);
  manual_seed(3);
  Tensor got = f(x, p);
  manual_seed(3);
  EXPECT_TRUE(allclose(got, fn(x, p), 1e-6, 1e-6));
  ASSERT_EQ(f.traces().size(), 1u);
  std::string why;
  std::vector<bool> marks;
  for (const auto &op : f.traces()[0]->ops)
    marks.push_back(op.op != OpId::bernoulli);
  auto plan = jit::detail::plan_split(*f.traces()[0], marks, why);
  ASSERT_TRUE(plan.has_value()) << why;
  ASSERT_EQ(plan->size(), 3u);
  EXPECT_EQ((*plan)[0].kind, jit::detail::SplitStep::Kind::Compiled);
  EXPECT_EQ((*plan)[0].segment.ops.size(), 3u);
  EXPECT_EQ((*plan)[0].inputs.size(), 1u);  // x
  EXPECT_EQ((*plan)[0].outputs.size(), 1u); // c only
  EXPECT_EQ((*plan)[1].kind, jit::detail::SplitStep::Kind::Eager);
  EXPECT_EQ((*plan)[2].inputs.size(), 2u); // c, m
}

#else

TEST(JitSplit, NeedsTheCompiler) {
  GTEST_SKIP() << "built with EMBER_ENABLE_COMPILER=OFF";
}

#endif

} // namespace

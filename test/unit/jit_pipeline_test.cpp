// The CPU JIT (ember/Codegen/JIT.h): hand-written linalg-on-tensors
// functions compiled through the pipeline and called on ember tensors,
// compared with ember's eager ops; input checking; the disk cache (miss,
// hit from a fresh context and from a second process, corrupt and truncated
// entries rebuilt); EMBER_DUMP_IR. Built only with EMBER_ENABLE_COMPILER.
//
// Tolerances: elementwise add/sub/mul/max/compare/and are exact (the same
// IEEE operation per element, no contraction: arith ops carry no fastmath
// flags). f64 exp is libm's exp in the JIT and may be ember's own kernel
// eagerly: rtol 1e-14 (a few ulp). matmul and row sums accumulate in
// another order than OpenBLAS and ember's reduction kernels: rtol/atol 1e-5
// for f32 over 16 terms of N(0,1) products, rtol 1e-12 for f64 over 7.
#include "test_util.h"

#include "ember/Codegen/JIT.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>

#include <unistd.h>

using namespace ember;
using namespace ember::testing;
namespace fs = std::filesystem;
using mlir::ember::JitFunction;
using mlir::ember::JitOptions;

namespace {

// Broadcasting add then multiply: (a + b[None, :]) * a, fused into one loop.
constexpr const char *kAddMul = R"mlir(
#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (j)>
func.func @add_mul(%a: tensor<4x3xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
  %e = tensor.empty() : tensor<4x3xf32>
  %s = linalg.generic {indexing_maps = [#id, #row, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : tensor<4x3xf32>, tensor<3xf32>) outs(%e : tensor<4x3xf32>) {
    ^bb0(%x: f32, %y: f32, %o: f32):
      %r = arith.addf %x, %y : f32
      linalg.yield %r : f32
  } -> tensor<4x3xf32>
  %e2 = tensor.empty() : tensor<4x3xf32>
  %m = linalg.generic {indexing_maps = [#id, #id, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%s, %a : tensor<4x3xf32>, tensor<4x3xf32>) outs(%e2 : tensor<4x3xf32>) {
    ^bb0(%x: f32, %y: f32, %o: f32):
      %r = arith.mulf %x, %y : f32
      linalg.yield %r : f32
  } -> tensor<4x3xf32>
  return %m : tensor<4x3xf32>
}
)mlir";

// f64: maximum(a - b, a); i64: a * b + a; i1: (x > y) and m.
constexpr const char *kDTypes = R"mlir(
#id = affine_map<(i, j) -> (i, j)>
func.func @f64_ops(%a: tensor<2x5xf64>, %b: tensor<2x5xf64>) -> tensor<2x5xf64> {
  %e = tensor.empty() : tensor<2x5xf64>
  %r = linalg.generic {indexing_maps = [#id, #id, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : tensor<2x5xf64>, tensor<2x5xf64>) outs(%e : tensor<2x5xf64>) {
    ^bb0(%x: f64, %y: f64, %o: f64):
      %d = arith.subf %x, %y : f64
      %m = arith.maximumf %d, %x : f64
      linalg.yield %m : f64
  } -> tensor<2x5xf64>
  return %r : tensor<2x5xf64>
}
func.func @i64_ops(%a: tensor<3x4xi64>, %b: tensor<3x4xi64>) -> tensor<3x4xi64> {
  %e = tensor.empty() : tensor<3x4xi64>
  %r = linalg.generic {indexing_maps = [#id, #id, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : tensor<3x4xi64>, tensor<3x4xi64>) outs(%e : tensor<3x4xi64>) {
    ^bb0(%x: i64, %y: i64, %o: i64):
      %p = arith.muli %x, %y : i64
      %s = arith.addi %p, %x : i64
      linalg.yield %s : i64
  } -> tensor<3x4xi64>
  return %r : tensor<3x4xi64>
}
func.func @i1_ops(%x: tensor<3x4xf32>, %y: tensor<3x4xf32>, %m: tensor<3x4xi1>) -> tensor<3x4xi1> {
  %e = tensor.empty() : tensor<3x4xi1>
  %r = linalg.generic {indexing_maps = [#id, #id, #id, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x, %y, %m : tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xi1>)
      outs(%e : tensor<3x4xi1>) {
    ^bb0(%a: f32, %b: f32, %c: i1, %o: i1):
      %g = arith.cmpf ogt, %a, %b : f32
      %r = arith.andi %g, %c : i1
      linalg.yield %r : i1
  } -> tensor<3x4xi1>
  return %r : tensor<3x4xi1>
}
)mlir";

constexpr const char *kMatmul = R"mlir(
func.func @mm(%a: tensor<8x16xf32>, %b: tensor<16x4xf32>) -> tensor<8x4xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<8x4xf32>) -> tensor<8x4xf32>
  %r = linalg.matmul ins(%a, %b : tensor<8x16xf32>, tensor<16x4xf32>)
                     outs(%f : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %r : tensor<8x4xf32>
}
)mlir";

// Two outputs: y = exp(a + b[None, :]) and its row sums.
constexpr const char *kTwoOutputs = R"mlir(
#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (j)>
#col = affine_map<(i, j) -> (i)>
func.func @exp_rowsum(%a: tensor<5x7xf64>, %b: tensor<7xf64>)
    -> (tensor<5x7xf64>, tensor<5xf64>) {
  %e = tensor.empty() : tensor<5x7xf64>
  %y = linalg.generic {indexing_maps = [#id, #row, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : tensor<5x7xf64>, tensor<7xf64>) outs(%e : tensor<5x7xf64>) {
    ^bb0(%x: f64, %c: f64, %o: f64):
      %s = arith.addf %x, %c : f64
      %t = math.exp %s : f64
      linalg.yield %t : f64
  } -> tensor<5x7xf64>
  %z = arith.constant 0.0 : f64
  %e2 = tensor.empty() : tensor<5xf64>
  %f = linalg.fill ins(%z : f64) outs(%e2 : tensor<5xf64>) -> tensor<5xf64>
  %r = linalg.generic {indexing_maps = [#id, #col],
                       iterator_types = ["parallel", "reduction"]}
      ins(%y : tensor<5x7xf64>) outs(%f : tensor<5xf64>) {
    ^bb0(%x: f64, %o: f64):
      %s = arith.addf %x, %o : f64
      linalg.yield %s : f64
  } -> tensor<5xf64>
  return %y, %r : tensor<5x7xf64>, tensor<5xf64>
}
)mlir";

class JitPipelineTest : public ::testing::Test {
protected:
  void SetUp() override {
    mlir::DialectRegistry registry;
    mlir::ember::registerJitDialects(registry);
    context_ = std::make_unique<mlir::MLIRContext>(registry);
    dir_ = fs::temp_directory_path() /
           ("ember_jit_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ::setenv("EMBER_CACHE_DIR", (dir_ / "cache").c_str(), 1);
  }
  void TearDown() override {
    ::unsetenv("EMBER_CACHE_DIR");
    ::unsetenv("EMBER_DUMP_IR");
    fs::remove_all(dir_);
  }

  mlir::OwningOpRef<mlir::ModuleOp> parse(const char *source) {
    auto module = mlir::parseSourceString<mlir::ModuleOp>(source, context());
    EXPECT_TRUE(module) << "cannot parse the test module";
    return module;
  }
  std::unique_ptr<JitFunction> compile(const char *source, const char *name,
                                       const JitOptions &options = {}) {
    auto module = parse(source);
    return JitFunction::compile(*module, name, options);
  }
  mlir::MLIRContext *context() { return context_.get(); }

  std::unique_ptr<mlir::MLIRContext> context_;
  fs::path dir_;
};

TEST_F(JitPipelineTest, BroadcastAddMulF32MatchesEagerExactly) {
  auto fn = compile(kAddMul, "add_mul");
  EXPECT_EQ(fn->numInputs(), 2u);
  EXPECT_EQ(fn->numOutputs(), 1u);
  Tensor a = randn({4, 3}), b = randn({3});
  std::vector<Tensor> out = (*fn)({a, b});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].is_contiguous());
  EXPECT_TRUE(tensors_equal(out[0], mul(add(a, b), a)));
  // Called again with other values: no state carried between calls.
  Tensor c = randn({4, 3});
  EXPECT_TRUE(tensors_equal((*fn)({c, b})[0], mul(add(c, b), c)));
}

TEST_F(JitPipelineTest, F64I64AndBoolMatchEagerExactly) {
  Tensor a = randn({2, 5}, kFloat64), b = randn({2, 5}, kFloat64);
  auto f64 = compile(kDTypes, "f64_ops");
  EXPECT_TRUE(tensors_equal((*f64)({a, b})[0], maximum(sub(a, b), a)));

  Tensor i = randint(-100, 100, {3, 4}, kInt64);
  Tensor j = randint(-100, 100, {3, 4}, kInt64);
  auto i64 = compile(kDTypes, "i64_ops");
  EXPECT_TRUE(tensors_equal((*i64)({i, j})[0], add(mul(i, j), i)));

  Tensor x = randn({3, 4}), y = randn({3, 4});
  Tensor m = gt(randn({3, 4}), 0.0);
  auto i1 = compile(kDTypes, "i1_ops");
  Tensor got = (*i1)({x, y, m})[0];
  EXPECT_EQ(got.dtype(), kBool);
  EXPECT_TRUE(tensors_equal(got, logical_and(gt(x, y), m)));
}

TEST_F(JitPipelineTest, MatmulMatchesEagerWithinTolerance) {
  auto fn = compile(kMatmul, "mm");
  Tensor a = randn({8, 16}), b = randn({16, 4});
  // 16-term dot products in loop order vs OpenBLAS's blocked FMA order.
  EXPECT_TRUE(allclose((*fn)({a, b})[0], matmul(a, b), 1e-5, 1e-5));
}

TEST_F(JitPipelineTest, TwoOutputsWithExpAndReduction) {
  auto fn = compile(kTwoOutputs, "exp_rowsum");
  ASSERT_EQ(fn->numOutputs(), 2u);
  Tensor a = randn({5, 7}, kFloat64), b = randn({7}, kFloat64);
  std::vector<Tensor> out = (*fn)({a, b});
  ASSERT_EQ(out.size(), 2u);
  Tensor y = exp(add(a, b));
  // libm exp vs ember's kernel; then 7-term sums in another order.
  EXPECT_TRUE(allclose(out[0], y, 1e-14, 0));
  EXPECT_TRUE(allclose(out[1], sum(y, {1}), 1e-12, 0));
}

TEST_F(JitPipelineTest, NonContiguousInputsAreCopiedFirst) {
  auto fn = compile(kAddMul, "add_mul");
  Tensor at = randn({3, 4}).transpose(0, 1); // [4, 3], strides [1, 4]
  ASSERT_FALSE(at.is_contiguous());
  Tensor big = randn({2, 6});
  Tensor bs = big.select(0, 1).slice(0, 0, 6, 2); // [3], offset 6, stride 2
  ASSERT_FALSE(bs.is_contiguous());
  EXPECT_TRUE(tensors_equal((*fn)({at, bs})[0], mul(add(at, bs), at)));
}

TEST_F(JitPipelineTest, WrongInputsThrowNamingTheMismatch) {
  auto fn = compile(kAddMul, "add_mul");
  auto message = [&](const std::vector<Tensor> &inputs) -> std::string {
    try {
      (*fn)(inputs);
    } catch (const Error &e) {
      return e.what();
    }
    return "no error";
  };
  Tensor a = randn({4, 3}), b = randn({3});
  EXPECT_NE(message({a.to(kFloat64), b})
                .find("input 0: expected float32 [4, 3], got float64 [4, 3]"),
            std::string::npos);
  EXPECT_NE(message({a, randn({4})})
                .find("input 1: expected float32 [3], got float32 [4]"),
            std::string::npos);
  EXPECT_NE(message({a}).find("takes 2 inputs, got 1"), std::string::npos);
  EXPECT_NE(message({a, Tensor()}).find("input 1 is undefined"),
            std::string::npos);
}

TEST_F(JitPipelineTest, CompileErrorsThrow) {
  auto module = parse(kAddMul);
  EXPECT_THROW(JitFunction::compile(*module, "nope"), Error);
  auto dynamic = parse(R"mlir(
func.func @dyn(%a: tensor<?xf32>) -> tensor<?xf32> {
  return %a : tensor<?xf32>
}
)mlir");
  try {
    JitFunction::compile(*dynamic, "dyn");
    FAIL() << "no error";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("dynamic shapes are not supported"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(
      JitFunction::compile(*module, "add_mul", JitOptions().opt_level(4)),
      Error);
}

// MLIR 19's out-param hoisting crashes on both without the pipeline's copies.
TEST_F(JitPipelineTest, ReturnedArgumentAndRepeatedResultGetTheirOwnOutputs) {
  auto fn = compile(R"mlir(
#id = affine_map<(i, j) -> (i, j)>
func.func @alias(%a: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %e = tensor.empty() : tensor<2x2xf32>
  %d = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) {
    ^bb0(%x: f32, %o: f32):
      %s = arith.addf %x, %x : f32
      linalg.yield %s : f32
  } -> tensor<2x2xf32>
  return %a, %d, %d : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}
)mlir",
                    "alias");
  Tensor a = randn({2, 2});
  std::vector<Tensor> out = (*fn)({a});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_NE(out[0].raw_data_ptr(), a.raw_data_ptr());
  EXPECT_TRUE(tensors_equal(out[0], a));
  EXPECT_TRUE(tensors_equal(out[1], add(a, a)));
  EXPECT_TRUE(tensors_equal(out[2], add(a, a)));
}

// An optimizer-style update (`ember.updates`): the compiled code writes
// the new value straight into the argument, and the output is that very
// tensor (no copy back). Not where the argument is read after the update
// (@late), where the writer shares its tensor.empty with an earlier writer
// (it gets its own, so the argument is not overwritten early), or where
// the same memory comes in as two arguments.
TEST_F(JitPipelineTest, UpdatesAreWrittenIntoTheirArgumentsWhenSafe) {
  auto fn = compile(R"mlir(
#id = affine_map<(i) -> (i)>
func.func @sgd(%p: tensor<6xf32>, %g: tensor<6xf32>) -> (tensor<6xf32>, tensor<6xf32> {ember.updates = 0 : i64}) {
  %e = tensor.empty() : tensor<6xf32>
  %twice = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%p : tensor<6xf32>) outs(%e : tensor<6xf32>) {
    ^bb0(%x: f32, %o: f32):
      %s = arith.addf %x, %x : f32
      linalg.yield %s : f32
  } -> tensor<6xf32>
  %new = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%p, %g : tensor<6xf32>, tensor<6xf32>) outs(%e : tensor<6xf32>) {
    ^bb0(%x: f32, %y: f32, %o: f32):
      %s = arith.subf %x, %y : f32
      linalg.yield %s : f32
  } -> tensor<6xf32>
  return %twice, %new : tensor<6xf32>, tensor<6xf32>
}
)mlir",
                    "sgd");
  EXPECT_EQ(fn->inPlaceResults(), (std::vector<int64_t>{-1, 0}));
  Tensor p = randn({6}), g = randn({6});
  Tensor p0 = p.clone();
  std::vector<Tensor> out = (*fn)({p, g});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(out[1].is_same(p));
  EXPECT_TRUE(tensors_equal(p, sub(p0, g)));
  EXPECT_TRUE(tensors_equal(out[0], add(p0, p0)));

  // One storage passed twice: a fresh output, the argument untouched.
  Tensor q = randn({6});
  Tensor q0 = q.clone();
  out = (*fn)({q, q});
  EXPECT_FALSE(out[1].is_same(q));
  EXPECT_TRUE(tensors_equal(q, q0));
  EXPECT_TRUE(tensors_equal(out[1], zeros({6})));

  auto late = compile(R"mlir(
#id = affine_map<(i) -> (i)>
func.func @late(%p: tensor<6xf32>, %g: tensor<6xf32>) -> (tensor<6xf32> {ember.updates = 0 : i64}, tensor<6xf32>) {
  %e = tensor.empty() : tensor<6xf32>
  %new = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%p, %g : tensor<6xf32>, tensor<6xf32>) outs(%e : tensor<6xf32>) {
    ^bb0(%x: f32, %y: f32, %o: f32):
      %s = arith.subf %x, %y : f32
      linalg.yield %s : f32
  } -> tensor<6xf32>
  %e2 = tensor.empty() : tensor<6xf32>
  %old = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%p : tensor<6xf32>) outs(%e2 : tensor<6xf32>) {
    ^bb0(%x: f32, %o: f32):
      %s = arith.mulf %x, %x : f32
      linalg.yield %s : f32
  } -> tensor<6xf32>
  return %new, %old : tensor<6xf32>, tensor<6xf32>
}
)mlir",
                      "late");
  EXPECT_EQ(late->inPlaceResults(), (std::vector<int64_t>{-1, -1}));
  Tensor r = randn({6}), h = randn({6});
  Tensor r0 = r.clone();
  out = (*late)({r, h});
  EXPECT_TRUE(tensors_equal(r, r0));
  EXPECT_TRUE(tensors_equal(out[0], sub(r0, h)));
  EXPECT_TRUE(tensors_equal(out[1], mul(r0, r0)));
}

std::string read_bytes(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}
void write_bytes(const fs::path &path, const std::string &bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

TEST_F(JitPipelineTest, CacheMissThenHitFromAFreshContext) {
  auto first = compile(kMatmul, "mm");
  EXPECT_FALSE(first->from_cache());
  ASSERT_FALSE(first->cache_path().empty());
  EXPECT_EQ(fs::path(first->cache_path()).parent_path(), dir_ / "cache");
  EXPECT_TRUE(fs::exists(first->cache_path()));

  // A fresh context and module from the same text: a hit, same results.
  context_ = std::make_unique<mlir::MLIRContext>();
  {
    mlir::DialectRegistry registry;
    mlir::ember::registerJitDialects(registry);
    context_->appendDialectRegistry(registry);
  }
  auto second = compile(kMatmul, "mm");
  EXPECT_TRUE(second->from_cache());
  EXPECT_EQ(second->cache_path(), first->cache_path());
  Tensor a = randn({8, 16}), b = randn({16, 4});
  EXPECT_TRUE(tensors_equal((*second)({a, b})[0], (*first)({a, b})[0]));

  // Another opt level is another key.
  auto o2 = compile(kMatmul, "mm", JitOptions().opt_level(2));
  EXPECT_FALSE(o2->from_cache());
  EXPECT_NE(o2->cache_path(), first->cache_path());
}

// The parent compiles (a miss), then runs this binary again on
// ChildProcessLoadsFromCache with the cache folder in the environment: a
// second process must load the object, not compile.
TEST_F(JitPipelineTest, SecondProcessHitsTheCache) {
  auto first = compile(kMatmul, "mm");
  EXPECT_FALSE(first->from_cache());
  std::string command = "EMBER_JIT_TEST_CHILD_CACHE='" +
                        (dir_ / "cache").string() + "' '" +
                        fs::read_symlink("/proc/self/exe").string() +
                        "' "
                        "--gtest_filter=JitPipelineTest."
                        "ChildProcessLoadsFromCache > '" +
                        (dir_ / "child.log").string() + "' 2>&1";
  int status = std::system(command.c_str());
  std::string log = read_bytes(dir_ / "child.log");
  EXPECT_EQ(status, 0) << log;
  EXPECT_NE(log.find("[       OK ] JitPipelineTest.ChildProcessLoadsFromCache"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("from the cache in"), std::string::npos) << log;
}

TEST_F(JitPipelineTest, ChildProcessLoadsFromCache) {
  const char *dir = std::getenv("EMBER_JIT_TEST_CHILD_CACHE");
  if (!dir)
    GTEST_SKIP() << "run by SecondProcessHitsTheCache";
  auto fn = compile(kMatmul, "mm", JitOptions().cache_dir(dir));
  ASSERT_TRUE(fn->from_cache());
  std::cout << "from the cache in " << fn->compile_ms() << " ms\n";
  Tensor a = randn({8, 16}), b = randn({16, 4});
  EXPECT_TRUE(allclose((*fn)({a, b})[0], matmul(a, b), 1e-5, 1e-5));
}

TEST_F(JitPipelineTest, CorruptOrTruncatedEntriesAreRebuilt) {
  auto fn = compile(kAddMul, "add_mul");
  const fs::path path = fn->cache_path();
  const std::string good = read_bytes(path);
  ASSERT_GT(good.size(), 100u);
  Tensor a = randn({4, 3}), b = randn({3});
  Tensor want = mul(add(a, b), a);

  std::string flipped = good;
  flipped[good.size() / 2] ^= 0x40; // inside the object: checksum mismatch
  std::string bad_magic = good;
  bad_magic[0] = 'X';
  for (const std::string &bad :
       {flipped, good.substr(0, good.size() - 7), good.substr(0, 10), bad_magic,
        std::string()}) {
    write_bytes(path, bad);
    auto rebuilt = compile(kAddMul, "add_mul");
    EXPECT_FALSE(rebuilt->from_cache());
    EXPECT_TRUE(tensors_equal((*rebuilt)({a, b})[0], want));
    EXPECT_EQ(read_bytes(path), good); // rewritten, same object
    auto hit = compile(kAddMul, "add_mul");
    EXPECT_TRUE(hit->from_cache());
    EXPECT_TRUE(tensors_equal((*hit)({a, b})[0], want));
  }
}

TEST_F(JitPipelineTest, CacheCanBeDisabled) {
  ::setenv("EMBER_CACHE_DIR", "0", 1);
  auto fn = compile(kAddMul, "add_mul");
  EXPECT_TRUE(fn->cache_path().empty());
  EXPECT_FALSE(fn->from_cache());
  EXPECT_FALSE(compile(kAddMul, "add_mul")->from_cache());
  EXPECT_EQ(mlir::ember::resolveCacheDir(JitOptions().cache_dir("")), "");
  EXPECT_EQ(mlir::ember::resolveCacheDir(JitOptions().cache_dir("/x")), "/x");
  ::unsetenv("EMBER_CACHE_DIR");
  const char *home = std::getenv("HOME");
  if (home && *home) {
    EXPECT_EQ(mlir::ember::resolveCacheDir({}),
              std::string(home) + "/.cache/ember");
  }
}

TEST_F(JitPipelineTest, UnwritableCacheStillCompiles) {
  write_bytes(dir_ / "file", "not a folder");
  std::string cache = (dir_ / "file" / "cache").string();
  auto fn = compile(kAddMul, "add_mul", JitOptions().cache_dir(cache));
  EXPECT_FALSE(fn->from_cache());
  EXPECT_FALSE(fs::exists(fn->cache_path()));
  Tensor a = randn({4, 3}), b = randn({3});
  EXPECT_TRUE(tensors_equal((*fn)({a, b})[0], mul(add(a, b), a)));
}

TEST_F(JitPipelineTest, DumpIRWritesEveryStage) {
  fs::path dump = dir_ / "dump";
  ::setenv("EMBER_DUMP_IR", dump.c_str(), 1);
  auto fn = compile(kTwoOutputs, "exp_rowsum");
  std::map<std::string, std::string> stages;
  for (const auto &entry : fs::directory_iterator(dump)) {
    // _ember_fn_exp_rowsum.<n>.<stage>.mlir, .jit-optimized.ll and
    // .jit-assembly.s
    std::string stage = entry.path().stem().string();
    stage = stage.substr(stage.rfind('.') + 1);
    stages[stage] = read_bytes(entry.path());
  }
  ASSERT_EQ(stages.size(), 6u);
  EXPECT_NE(stages["jit-input"].find("tensor.empty"), std::string::npos);
  // Fusion: the exp and the reduction stay, one generic each.
  EXPECT_NE(stages["jit-fused"].find("math.exp"), std::string::npos);
  EXPECT_NE(stages["jit-bufferized"].find("memref<5x7xf64>"),
            std::string::npos);
  EXPECT_EQ(stages["jit-bufferized"].find("tensor<"), std::string::npos);
  EXPECT_NE(stages["jit-llvm"].find("llvm.func @_ember_fn_exp_rowsum"),
            std::string::npos);
  EXPECT_EQ(stages["jit-llvm"].find("memref<"), std::string::npos);
  // The optimized LLVM IR, with the packed entry point.
  EXPECT_NE(stages["jit-optimized"].find(
                "define void @_ember_packed__ember_fn_exp_rowsum"),
            std::string::npos);
  // The host assembly of the same functions.
  EXPECT_NE(stages["jit-assembly"].find("_ember_packed__ember_fn_exp_rowsum:"),
            std::string::npos)
      << stages["jit-assembly"].substr(0, 400);
}

} // namespace

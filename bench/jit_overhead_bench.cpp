// The CPU JIT (ember/Codegen/JIT.h): per-call overhead of a compiled
// function on 1-element tensors (against the same add run eagerly), and the
// compile time of an MLP-sized function (784-512-256-10, batch 128: three
// matmuls with bias and relu) cold (cache disabled: the pipeline, LLVM O3
// and linking) and from the disk cache (the pipeline, then the object load),
// and the MLIR pipeline alone.
// Compiler builds only.
#include "bench_util.h"

#include "ember/Codegen/JIT.h"

#include <ember/ember.h>

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <filesystem>
#include <string>

namespace {

using mlir::ember::JitFunction;
using mlir::ember::JitOptions;

constexpr const char *kTinyAdd = R"mlir(
#id = affine_map<(i) -> (i)>
func.func @tiny_add(%a: tensor<1xf32>, %b: tensor<1xf32>) -> tensor<1xf32> {
  %e = tensor.empty() : tensor<1xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%a, %b : tensor<1xf32>, tensor<1xf32>) outs(%e : tensor<1xf32>) {
    ^bb0(%x: f32, %y: f32, %o: f32):
      %s = arith.addf %x, %y : f32
      linalg.yield %s : f32
  } -> tensor<1xf32>
  return %r : tensor<1xf32>
}
)mlir";

// One layer: relu(x @ w + b), x: MxK, w: KxN.
std::string layer(int i, int m, int k, int n, const std::string &x, bool relu) {
  auto t = [](int a, int b) {
    return "tensor<" + std::to_string(a) + "x" + std::to_string(b) + "xf32>";
  };
  std::string s = std::to_string(i), out = t(m, n);
  std::string text =
      "  %e" + s + " = tensor.empty() : " + out + "\n" + "  %f" + s +
      " = linalg.fill ins(%zero : f32) outs(%e" + s + " : " + out + ") -> " +
      out + "\n" + "  %mm" + s + " = linalg.matmul ins(" + x + ", %w" + s +
      " : " + t(m, k) + ", " + t(k, n) + ") outs(%f" + s + " : " + out +
      ") -> " + out + "\n" + "  %h" + s +
      " = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, "
      "affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], "
      "iterator_types = [\"parallel\", \"parallel\"]} ins(%mm" +
      s + ", %b" + s + " : " + out + ", tensor<" + std::to_string(n) +
      "xf32>) outs(%e" + s + " : " + out +
      ") {\n  ^bb0(%p: f32, %q: f32, %o: f32):\n"
      "    %v = arith.addf %p, %q : f32\n";
  text += relu ? "    %r = arith.maximumf %v, %zero : f32\n"
                 "    linalg.yield %r : f32\n"
               : "    linalg.yield %v : f32\n";
  return text + "  } -> " + out + "\n";
}

std::string mlpSource() {
  std::string text = "func.func @mlp(%x: tensor<128x784xf32>, "
                     "%w0: tensor<784x512xf32>, %b0: tensor<512xf32>, "
                     "%w1: tensor<512x256xf32>, %b1: tensor<256xf32>, "
                     "%w2: tensor<256x10xf32>, %b2: tensor<10xf32>) "
                     "-> tensor<128x10xf32> {\n"
                     "  %zero = arith.constant 0.0 : f32\n";
  text += layer(0, 128, 784, 512, "%x", true);
  text += layer(1, 128, 512, 256, "%h0", true);
  text += layer(2, 128, 256, 10, "%h1", false);
  return text + "  return %h2 : tensor<128x10xf32>\n}\n";
}

std::unique_ptr<JitFunction> compileText(const std::string &text,
                                         const char *name,
                                         const JitOptions &options) {
  mlir::DialectRegistry registry;
  mlir::ember::registerJitDialects(registry);
  mlir::MLIRContext context(registry);
  auto module = mlir::parseSourceString<mlir::ModuleOp>(text, &context);
  return JitFunction::compile(*module, name, options);
}

std::string benchCacheDir() {
  return (std::filesystem::temp_directory_path() / "ember_jit_bench_cache")
      .string();
}

void BM_JitCallTiny(benchmark::State &st) {
  auto fn = compileText(kTinyAdd, "tiny_add", JitOptions().cache_dir("0"));
  std::vector<ember::Tensor> inputs = {ember::ones({1}), ember::ones({1})};
  for (auto _ : st) {
    std::vector<ember::Tensor> out = (*fn)(inputs);
    benchmark::DoNotOptimize(out[0].raw_data_ptr());
  }
}

void BM_EagerAddTiny(benchmark::State &st) {
  ember::Tensor a = ember::ones({1}), b = ember::ones({1});
  for (auto _ : st) {
    ember::Tensor c = a + b;
    benchmark::DoNotOptimize(c.raw_data_ptr());
  }
}

// compile() alone (parsing excluded), timed by compile_ms().
void compileBench(benchmark::State &st, const JitOptions &options,
                  bool wantCached) {
  std::string text = mlpSource();
  for (auto _ : st) {
    auto fn = compileText(text, "mlp", options);
    if (fn->from_cache() != wantCached) {
      st.SkipWithError("unexpected cache state");
      break;
    }
    st.SetIterationTime(fn->compile_ms() / 1e3);
  }
}

void BM_CompileMlpCold(benchmark::State &st) {
  compileBench(st, JitOptions().cache_dir("0"), false);
}

void BM_CompileMlpCached(benchmark::State &st) {
  std::filesystem::remove_all(benchCacheDir());
  compileText(mlpSource(), "mlp", JitOptions().cache_dir(benchCacheDir()));
  compileBench(st, JitOptions().cache_dir(benchCacheDir()), true);
  std::filesystem::remove_all(benchCacheDir());
}

// lowerToLLVMDialect alone: what a cache hit still pays before the load.
void BM_LowerMlpPipeline(benchmark::State &st) {
  std::string text = mlpSource();
  mlir::DialectRegistry registry;
  mlir::ember::registerJitDialects(registry);
  mlir::MLIRContext context(registry);
  for (auto _ : st) {
    st.PauseTiming();
    auto module = mlir::parseSourceString<mlir::ModuleOp>(text, &context);
    st.ResumeTiming();
    mlir::ember::lowerToLLVMDialect(*module);
  }
}

} // namespace

BENCHMARK(BM_JitCallTiny);
BENCHMARK(BM_EagerAddTiny);
BENCHMARK(BM_CompileMlpCold)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);
BENCHMARK(BM_LowerMlpPipeline)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CompileMlpCached)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(20);

int main(int argc, char **argv) {
  return ember::bench::run_with_ratios(
      argc, argv, {{"BM_JitCallTiny", "BM_EagerAddTiny", "time"}});
}

// The CUDA C emitter (ember/Codegen/CUDA.h) on every op example of the
// dialect (test/lit/IR/ops.mlir, lowered by convert-ember-to-linalg and
// fused by linalg's elementwise fusion): every function's kernels emit,
// and the whole translation unit compiles through NVRTC to a cubin for
// sm_90 and to PTX that ptxas assembles for sm_90. No GPU is needed; the
// NVRTC and ptxas parts skip when the CUDA toolkit was not found at
// configure time. Built only with EMBER_ENABLE_COMPILER.
#include "ember/Codegen/CUDA.h"
#include "ember/Codegen/Passes.h"
#include "ember/IR/EmberDialect.h"
#include "op_examples.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

#if EMBER_TEST_NVRTC
#include <nvrtc.h>
#endif

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

struct Emitted {
  std::string source;
  std::vector<mlir::ember::CudaKernel> kernels;
  int functions = 0;
};

// Emits the CUDA C of every function of ops.mlir into one unit.
void emitOpExamples(Emitted &out) {
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      ember::testing::loweredOpExamples(context);
  ASSERT_TRUE(module);
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
    diagnostics += d.str() + "\n";
    return mlir::success();
  });
  for (auto func : module->getOps<mlir::func::FuncOp>()) {
    ++out.functions;
    EXPECT_TRUE(mlir::succeeded(
        mlir::ember::emitCudaKernels(func, out.source, out.kernels)))
        << "@" << func.getSymName().str() << ": " << diagnostics;
  }
}

TEST(CudaCodegen, EveryOpExampleEmits) {
  Emitted e;
  emitOpExamples(e);
  // Most examples lower to at least one kernel; matmuls, reshapes and ops
  // without a lowering give none.
  EXPECT_GT(e.functions, 120);
  EXPECT_GT(e.kernels.size(), 150u);
  for (const auto &k : e.kernels) {
    EXPECT_NE(e.source.find("__global__ void " + k.name + "("),
              std::string::npos)
        << k.name;
    EXPECT_GT(k.threads, 0) << k.name;
    EXPECT_GE(k.numOutputs, 1u) << k.name;
  }
  std::printf("cuda codegen: %zu kernels from %d op examples\n",
              e.kernels.size(), e.functions);
}

#if EMBER_TEST_NVRTC
// Compiles `source` with NVRTC for `arch`; the PTX or cubin, or "" with
// the log in `log`.
std::string nvrtcCompile(const std::string &source, const char *arch,
                         bool cubin, std::string &log) {
  nvrtcProgram prog;
  if (nvrtcCreateProgram(&prog, source.c_str(), "ember_ops.cu", 0, nullptr,
                         nullptr) != NVRTC_SUCCESS) {
    log = "nvrtcCreateProgram failed";
    return "";
  }
  std::string archOption = std::string("--gpu-architecture=") + arch;
  const char *options[] = {archOption.c_str(), "-std=c++17"};
  nvrtcResult r = nvrtcCompileProgram(prog, 2, options);
  size_t logSize = 0;
  nvrtcGetProgramLogSize(prog, &logSize);
  log.assign(logSize, '\0');
  nvrtcGetProgramLog(prog, log.data());
  std::string out;
  if (r == NVRTC_SUCCESS) {
    size_t size = 0;
    if (cubin) {
      nvrtcGetCUBINSize(prog, &size);
      out.assign(size, '\0');
      nvrtcGetCUBIN(prog, out.data());
    } else {
      nvrtcGetPTXSize(prog, &size);
      out.assign(size, '\0');
      nvrtcGetPTX(prog, out.data());
      // The size counts the terminating NUL, which ptxas refuses.
      while (!out.empty() && out.back() == '\0')
        out.pop_back();
    }
  } else {
    log = std::string(nvrtcGetErrorString(r)) + ": " + log;
  }
  nvrtcDestroyProgram(&prog);
  return out;
}
#endif

TEST(CudaCodegen, OpExamplesCompileWithNvrtcForSm90) {
#if EMBER_TEST_NVRTC
  Emitted e;
  emitOpExamples(e);
  std::string log;
  std::string cubin = nvrtcCompile(e.source, "sm_90", true, log);
  ASSERT_FALSE(cubin.empty()) << log;
  // An ELF object for the GPU.
  EXPECT_EQ(cubin.compare(0, 4,
                          "\x7f"
                          "ELF"),
            0);
  std::string ptx = nvrtcCompile(e.source, "compute_90", false, log);
  ASSERT_FALSE(ptx.empty()) << log;
  for (const auto &k : e.kernels)
    EXPECT_NE(ptx.find(".entry " + k.name + "("), std::string::npos) << k.name;
#else
  GTEST_SKIP() << "built without the CUDA toolkit (NVRTC)";
#endif
}

TEST(CudaCodegen, PtxAssemblesWithPtxas) {
#if EMBER_TEST_NVRTC
  if (!std::filesystem::exists(EMBER_PTXAS))
    GTEST_SKIP() << "no ptxas at " EMBER_PTXAS;
  Emitted e;
  emitOpExamples(e);
  std::string log;
  std::string ptx = nvrtcCompile(e.source, "compute_90", false, log);
  ASSERT_FALSE(ptx.empty()) << log;
  auto dir = std::filesystem::temp_directory_path() /
             ("ember_cuda_codegen_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir / "ops.ptx");
    f << ptx;
  }
  std::string cmd = std::string(EMBER_PTXAS) + " -arch=sm_90 " +
                    (dir / "ops.ptx").string() + " -o " +
                    (dir / "ops.cubin").string() + " 2>&1";
  int rc = std::system(cmd.c_str());
  EXPECT_EQ(rc, 0) << cmd;
  EXPECT_TRUE(std::filesystem::exists(dir / "ops.cubin") &&
              std::filesystem::file_size(dir / "ops.cubin") > 0);
  std::filesystem::remove_all(dir);
#else
  GTEST_SKIP() << "built without the CUDA toolkit (NVRTC, ptxas)";
#endif
}

} // namespace

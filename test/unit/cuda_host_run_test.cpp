// The CUDA target's device programs (ember/Codegen/CUDA.h) compute what
// the CPU JIT computes, checked without a GPU: every op example of the
// dialect (test/lit/IR/ops.mlir, lowered and fused) becomes a program whose
// kernels' CUDA C is compiled as host C++ (cuda_program_host.h) and run by
// the runtime's program runner on random inputs. The results must equal the
// CPU JIT's on the same inputs: integers and booleans exactly, floats within
// rtol 1e-5 / atol 1e-6 (the JIT approximates exp, tanh, erf, ... with
// polynomials; the host libm is exact to an ulp; 1e-4 for the weight
// gradient's 8192-term sums), NaN where the JIT has NaN. The JIT must leave
// its inputs as they were. What the device's own math library does is left to
// the GPU run. Built only with EMBER_ENABLE_COMPILER; needs a C++ compiler at
// run time (skips without one).
#include "cuda_program_host.h"
#include "ember/Codegen/CUDA.h"
#include "ember/Codegen/JIT.h"
#include "ember/ember.h"
#include "op_examples.h"
#include "test_util.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace {

ember::DType dtypeOf(mlir::Type t) {
  if (t.isF32())
    return ember::kFloat32;
  if (t.isF64())
    return ember::kFloat64;
  if (t.isInteger(64))
    return ember::kInt64;
  if (t.isInteger(32))
    return ember::kInt32;
  if (t.isInteger(1))
    return ember::kBool;
  return ember::kUInt8;
}

// A loop over the thread indices calling the kernel with its parameters
// unpacked from `args` (pointers to buffers, or to scalar values).
ember::Tensor randomInput(mlir::RankedTensorType type) {
  std::vector<int64_t> sizes(type.getShape().begin(), type.getShape().end());
  mlir::Type e = type.getElementType();
  if (e.isF32() || e.isF64())
    return ember::randn(sizes, ember::TensorOptions().dtype(dtypeOf(e)));
  if (e.isInteger(1))
    return ember::randn(sizes) > 0;
  return ember::randint(0, 3, sizes, ember::TensorOptions().dtype(dtypeOf(e)));
}

// Whether every op of `func` is one the host runner understands.
// Equal within the test's tolerance, NaN where the JIT has NaN. `rtol`
// and `atol` are 1e-5 / 1e-6 but for the reductions over thousands of
// products (conv2d_backward_weight_1 sums 8192 per weight, with
// cancellation: the two targets' GEMMs add in different orders), 1e-4 /
// 1e-4.
bool sameValues(const ember::Tensor &got, const ember::Tensor &want,
                double rtol, double atol, std::string &why) {
  if (got.sizes() != want.sizes() || got.dtype() != want.dtype()) {
    why = "a different shape or dtype";
    return false;
  }
  ember::Tensor g = got.to(ember::kFloat64).contiguous().flatten();
  ember::Tensor w = want.to(ember::kFloat64).contiguous().flatten();
  bool exact = !ember::is_floating_point(want.dtype());
  const double *a = g.data_ptr<double>(), *b = w.data_ptr<double>();
  for (int64_t i = 0; i < w.numel(); ++i) {
    bool ok = exact
                  ? a[i] == b[i]
                  : (std::isnan(a[i]) && std::isnan(b[i])) ||
                        (std::isinf(b[i]) && a[i] == b[i]) ||
                        std::fabs(a[i] - b[i]) <= atol + rtol * std::fabs(b[i]);
    if (!ok) {
      why = "element " + std::to_string(i) + ": program " +
            std::to_string(a[i]) + ", jit " + std::to_string(b[i]);
      return false;
    }
  }
  return true;
}

TEST(CudaHostRun, EmittedProgramsMatchTheCpuJit) {
  if (!ember::testing::have_host_compiler())
    GTEST_SKIP() << "no C++ compiler to build the kernels as host code";
  ::setenv("EMBER_CACHE_DIR", "0", 1);
  mlir::DialectRegistry registry;
  mlir::ember::registerJitDialects(registry);
  mlir::MLIRContext context(registry);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      ember::testing::loweredOpExamples(context);
  ASSERT_TRUE(module);

  int ran = 0, outputs = 0, launches = 0;
  std::vector<std::string> notPrograms;
  ember::manual_seed(0);
  for (auto func : module->getOps<mlir::func::FuncOp>()) {
    std::string name = func.getSymName().str();
    // Ops convert-ember-to-linalg leaves (in-place forms, ops without a
    // lowering) are no one's code: neither target takes them.
    bool lowered = true;
    func.walk([&](mlir::Operation *op) {
      lowered &= !llvm::isa<mlir::ember::EmberDialect>(op->getDialect());
    });
    if (!lowered)
      continue;
    ember::program::Program program;
    {
      std::string why;
      mlir::ScopedDiagnosticHandler quiet(&context, [&](mlir::Diagnostic &d) {
        if (why.empty())
          why = d.str();
        return mlir::success();
      });
      if (mlir::failed(mlir::ember::buildCudaProgram(func, program))) {
        notPrograms.push_back(name + " (" + why + ")");
        continue;
      }
    }
    std::unique_ptr<mlir::ember::JitFunction> jit;
    try {
      mlir::OpBuilder b(&context);
      mlir::OwningOpRef<mlir::ModuleOp> one =
          mlir::ModuleOp::create(b.getUnknownLoc());
      one->push_back(func->clone());
      jit = mlir::ember::JitFunction::compile(*one, name);
    } catch (const ember::Error &e) {
      ADD_FAILURE() << "@" << name << ": the CPU JIT fails: " << e.what();
      continue;
    }
    std::vector<ember::Tensor> inputs;
    std::vector<std::shared_ptr<ember::TensorImpl>> impls;
    for (mlir::BlockArgument arg : func.getArguments()) {
      inputs.push_back(
          randomInput(llvm::cast<mlir::RankedTensorType>(arg.getType())));
      impls.push_back(inputs.back().impl_ptr());
    }
    std::vector<ember::Tensor> before;
    for (const ember::Tensor &t : inputs)
      before.push_back(t.clone());
    std::vector<ember::Tensor> want = (*jit)(inputs);
    for (size_t k = 0; k < inputs.size(); ++k)
      EXPECT_TRUE(ember::testing::tensors_equal(inputs[k], before[k]))
          << "@" << name << ": the CPU JIT changed input " << k;
    ember::testing::HostLauncher launcher(program);
    std::vector<std::shared_ptr<ember::TensorImpl>> got;
    try {
      got = ember::program::run(program, impls, launcher);
    } catch (const ember::Error &e) {
      ADD_FAILURE() << "@" << name << ": " << e.what() << "\n"
                    << program.describe();
      continue;
    }
    ASSERT_EQ(got.size(), want.size()) << "@" << name;
    for (size_t j = 0; j < got.size(); ++j) {
      std::string why;
      bool longSums = name.rfind("conv2d_backward_weight", 0) == 0;
      bool same =
          sameValues(ember::Tensor(got[j]), want[j], longSums ? 1e-4 : 1e-5,
                     longSums ? 1e-4 : 1e-6, why);
      EXPECT_TRUE(same) << "@" << name << " result " << j << ": " << why;
      outputs += same;
    }
    launches += static_cast<int>(launcher.launches);
    ++ran;
  }
  std::string list;
  for (const auto &n : notPrograms)
    list += "\n  @" + n;
  std::printf("cuda host run: %d functions as programs (%d launches), %d "
              "results equal the CPU JIT's; not programs:%s\n",
              ran, launches, outputs, list.c_str());
  // Every op example has a device program.
  EXPECT_TRUE(notPrograms.empty()) << list;
  EXPECT_GT(ran, 70);
}

} // namespace

// Every op of ops.def either has a lowering out of the ember dialect
// (mlir::ember::hasLowering, codegen/lib/Lowering) or is in kNotLoweredYet
// below, and the list stays true: an op that gains a lowering fails the test
// until it leaves the list. The documented example of every op
// (test/lit/IR/ops.mlir) goes through convert-ember-to-linalg, and the
// lowered IR must verify with no lowerable ember op left. Numerical checks
// of the lowered code are the JIT's tests. Built only with
// EMBER_ENABLE_COMPILER (links EmberLowering).
#include "ember/Codegen/Lowering.h"
#include "ember/Codegen/Passes.h"
#include "ember/IR/EmberDialect.h"
#include "ember/dispatch.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>
#include <vector>

namespace {

// The ops without a lowering, by reason. Remove an op from here when it
// gains one (the test fails until then).
// clang-format off
const std::set<std::string> kNotLoweredYet = {
    // In-place ops: functionalize rewrites them to their value forms first.
    "add_", "sub_", "mul_", "div_", "clamp_", "masked_fill_", "fill_",
    "zero_", "copy_", "index_put_",
    // Random ops: the JIT splits there (eager's Philox streams); bernoulli
    // lowers (its traced form with an offset base).
    "uniform_", "normal_", "randint", "randperm",
    // Index ops (data-dependent addressing): not written yet.
    "index_select", "index_tensor", "one_hot",
    // as_strided addresses the base's storage (no value-semantics lowering).
    "as_strided",
    // Factories other than constant and full: not written yet.
    "empty", "arange", "linspace", "eye",
};
// clang-format on

std::vector<std::string> opsDefNames() {
  return {
#define EMBER_OP(name, family, flags) #name,
#include "ember/ops.def"
#undef EMBER_OP
  };
}

TEST(LoweringCoverage, EveryOpIsLoweredOrListed) {
  int lowered = 0, listed = 0;
  for (const std::string &name : opsDefNames()) {
    bool has = mlir::ember::hasLowering("ember." + name);
    bool inList = kNotLoweredYet.count(name) > 0;
    EXPECT_FALSE(has && inList)
        << "ember." << name
        << " has a lowering now: remove it from kNotLoweredYet";
    EXPECT_TRUE(has || inList)
        << "ember." << name << " has no lowering and is not in kNotLoweredYet";
    lowered += has;
    listed += inList && !has;
  }
  std::set<std::string> all;
  for (const std::string &name : opsDefNames())
    all.insert(name);
  for (const std::string &name : kNotLoweredYet)
    EXPECT_TRUE(all.count(name)) << name << " in kNotLoweredYet is no op";
  std::printf("lowering coverage: %d of %zu ops.def ops lowered, %d not yet\n",
              lowered, all.size(), listed);
}

TEST(LoweringCoverage, ConstantHasALowering) {
  EXPECT_TRUE(mlir::ember::hasLowering("ember.constant"));
  EXPECT_FALSE(mlir::ember::hasLowering("ember.no_such_op"));
}

TEST(LoweringCoverage, OpExamplesLowerToVerifiedIR) {
  mlir::MLIRContext context;
  context.loadDialect<mlir::ember::EmberDialect, mlir::func::FuncDialect,
                      mlir::arith::ArithDialect, mlir::linalg::LinalgDialect,
                      mlir::math::MathDialect, mlir::tensor::TensorDialect>();
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(EMBER_LIT_DIR "/IR/ops.mlir",
                                            &context);
  ASSERT_TRUE(module) << "cannot parse " EMBER_LIT_DIR "/IR/ops.mlir";
  int before = 0;
  module->walk(
      [&](mlir::Operation *op) { before += mlir::ember::isLowerable(op); });

  mlir::PassManager pm(&context);
  pm.addNestedPass<mlir::func::FuncOp>(
      mlir::ember::createConvertEmberToLinalg());
  ASSERT_TRUE(mlir::succeeded(pm.run(*module)));
  EXPECT_TRUE(mlir::succeeded(mlir::verify(*module)));

  int left = 0, notLowered = 0;
  module->walk([&](mlir::Operation *op) {
    if (!llvm::isa<mlir::ember::EmberDialect>(op->getDialect()))
      return;
    ++notLowered;
    if (mlir::ember::isLowerable(op)) {
      ++left;
      ADD_FAILURE() << "still lowerable after the pass: "
                    << op->getName().getStringRef().str();
    }
  });
  EXPECT_EQ(left, 0);
  EXPECT_GT(before, 100);
  std::printf("lowered %d ember ops of the examples; %d without a lowering "
              "remain\n",
              before, notLowered);
}

} // namespace

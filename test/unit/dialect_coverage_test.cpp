// The one op set (ARCHITECTURE.md): every op of ops.def that the compiler
// takes (not flagged EagerOnly) has a dialect op ember.<name>, whose
// attributes are eager attribute names, which carries
// DifferentiableOpInterface exactly when ops.def flags it Differentiable,
// and which the importer can build generically from an eager call.
// Built only with EMBER_ENABLE_COMPILER (links EmberIR).
#include "ember/IR/EmberDialect.h"
#include "ember/IR/EmberOps.h"
#include "ember/dispatch.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace {

struct OpsDefEntry {
  const char *name;
  ember::OpFlag flags;
};

// ops.def, expanded here (not through ember::all_ops()) so the test reads
// the declaration itself.
std::vector<OpsDefEntry> opsDef() {
  using enum ember::OpFlag;
  return {
#define EMBER_OP(name, family, flags) {#name, None | flags},
#include "ember/ops.def"
#undef EMBER_OP
  };
}

// Every attribute name the eager ops pass in their Attrs (frontend/src/ops
// and the public entry points): a dialect op's attributes must be among
// them (the importer copies Attrs keys verbatim).
const std::set<std::string> &eagerAttributeNames() {
  static const std::set<std::string> names = {
      "accumulate",  "alpha",      "approximate",
      "ceil_mode",   "correction", "count_include_pad",
      "device",      "dilation",   "dim",
      "dim0",        "dim1",       "dims",
      "dtype",       "end",        "end_dim",
      "from",        "groups",     "high",
      "index",       "input_size", "keepdim",
      "kernel_size", "length",     "low",
      "m",           "max",        "mean",
      "min",         "n",          "num_classes",
      "offset",      "p",          "padding",
      "seed",        "shape",      "size",
      "start",       "start_dim",  "std",
      "step",        "steps",      "storage_offset",
      "stride",      "to",         "value",
      "weight_size",
  };
  return names;
}

class DialectCoverage : public ::testing::Test {
protected:
  DialectCoverage() { context.loadDialect<mlir::ember::EmberDialect>(); }
  mlir::MLIRContext context;
};

TEST_F(DialectCoverage, EveryCompiledOpHasADialectOp) {
  std::string missing;
  for (const OpsDefEntry &op : opsDef()) {
    if (ember::has_flag(op.flags, ember::OpFlag::EagerOnly))
      continue;
    std::string name = std::string("ember.") + op.name;
    if (!mlir::RegisteredOperationName::lookup(name, &context))
      missing += name + " ";
  }
  EXPECT_TRUE(missing.empty()) << "ops without a dialect op: " << missing;
}

TEST_F(DialectCoverage, AttributesAreEagerAttributeNames) {
  for (const OpsDefEntry &op : opsDef()) {
    auto name = mlir::RegisteredOperationName::lookup(
        std::string("ember.") + op.name, &context);
    if (!name)
      continue; // reported by EveryCompiledOpHasADialectOp
    for (mlir::StringAttr attr : name->getAttributeNames())
      EXPECT_TRUE(eagerAttributeNames().count(attr.str()))
          << name->getStringRef().str() << " has attribute '" << attr.str()
          << "', which no eager op passes";
  }
}

TEST_F(DialectCoverage, DifferentiableOpsCarryTheInterface) {
  for (const OpsDefEntry &op : opsDef()) {
    auto name = mlir::RegisteredOperationName::lookup(
        std::string("ember.") + op.name, &context);
    if (!name)
      continue;
    bool differentiable =
        ember::has_flag(op.flags, ember::OpFlag::Differentiable);
    EXPECT_EQ(name->hasInterface<mlir::ember::DifferentiableOpInterface>(),
              differentiable)
        << name->getStringRef().str()
        << (differentiable ? " is Differentiable in ops.def"
                           : " is not Differentiable in ops.def");
  }
}

TEST_F(DialectCoverage, OpsHaveNoSideEffects) {
  // Value semantics, random ops included (deterministic in seed/offset).
  for (const OpsDefEntry &op : opsDef()) {
    auto name = mlir::RegisteredOperationName::lookup(
        std::string("ember.") + op.name, &context);
    if (!name)
      continue;
    EXPECT_TRUE(name->hasTrait<mlir::OpTrait::AlwaysSpeculatableImplTrait>())
        << name->getStringRef().str() << " is not Pure";
  }
}

// Builds ember.<name> as the trace importer does: OperationState from the
// eager call's inputs, Attrs and output types; returns whether it verifies.
bool buildsAndVerifies(mlir::MLIRContext &context, llvm::StringRef name,
                       llvm::ArrayRef<mlir::Type> inputTypes,
                       llvm::ArrayRef<mlir::NamedAttribute> attrs,
                       llvm::ArrayRef<mlir::Type> outputTypes) {
  mlir::OpBuilder b(&context);
  mlir::Location loc = b.getUnknownLoc();
  auto module = mlir::ModuleOp::create(loc);
  b.setInsertionPointToEnd(module.getBody());
  // One constant per input stands for the traced tensors.
  llvm::SmallVector<mlir::Value> operands;
  for (mlir::Type type : inputTypes) {
    auto tensor = mlir::cast<mlir::RankedTensorType>(type);
    mlir::Attribute zero =
        mlir::isa<mlir::FloatType>(tensor.getElementType())
            ? mlir::Attribute(b.getFloatAttr(tensor.getElementType(), 0.0))
            : mlir::Attribute(b.getIntegerAttr(tensor.getElementType(), 0));
    operands.push_back(b.create<mlir::ember::ConstantOp>(
        loc, mlir::DenseElementsAttr::get(tensor, zero)));
  }
  mlir::OperationState state(loc, name);
  state.addOperands(operands);
  state.addAttributes(attrs);
  state.addTypes(outputTypes);
  b.create(state);
  bool ok = mlir::succeeded(mlir::verify(module));
  module->erase();
  return ok;
}

TEST_F(DialectCoverage, ImporterStyleConstruction) {
  mlir::Builder b(&context);
  mlir::Type f32 = b.getF32Type(), f64 = b.getF64Type(), i64 = b.getI64Type();
  auto t = [](llvm::ArrayRef<int64_t> shape, mlir::Type element) -> mlir::Type {
    return mlir::RankedTensorType::get(shape, element);
  };
  // ember::add(int_tensor, 2.5, alpha=2): a wrapped f64 number, result f32.
  EXPECT_TRUE(buildsAndVerifies(
      context, "ember.add", {t({3}, i64), t({}, f64)},
      {b.getNamedAttr("alpha", b.getI64IntegerAttr(2))}, {t({3}, f32)}));
  // ember::max_dim: two outputs.
  EXPECT_TRUE(
      buildsAndVerifies(context, "ember.max_dim", {t({4, 3}, f32)},
                        {b.getNamedAttr("dim", b.getI64IntegerAttr(1)),
                         b.getNamedAttr("keepdim", b.getBoolAttr(true))},
                        {t({4, 1}, f32), t({4, 1}, i64)}));
  // ember::cat: a variadic list.
  EXPECT_TRUE(buildsAndVerifies(
      context, "ember.cat", {t({2, 3}, f32), t({1, 3}, f32), t({4, 3}, f32)},
      {b.getNamedAttr("dim", b.getI64IntegerAttr(0))}, {t({7, 3}, f32)}));
  // ember::zeros: a factory (DType and Device attributes).
  EXPECT_TRUE(
      buildsAndVerifies(context, "ember.full", {},
                        {b.getNamedAttr("size", b.getDenseI64ArrayAttr({2, 3})),
                         b.getNamedAttr("value", b.getI64IntegerAttr(0)),
                         b.getNamedAttr("dtype", mlir::TypeAttr::get(f64)),
                         b.getNamedAttr("device", b.getStringAttr("cpu"))},
                        {t({2, 3}, f64)}));
  // A wrong output type is rejected.
  context.getDiagEngine().registerHandler([](mlir::Diagnostic &) {});
  EXPECT_FALSE(buildsAndVerifies(context, "ember.mm",
                                 {t({2, 3}, f32), t({3, 4}, f32)}, {},
                                 {t({2, 5}, f32)}));
}

} // namespace

namespace {

// The typed builders infer result types with the rule's first reading
// (0-d operands are tensors; the default dtype is f32).
TEST_F(DialectCoverage, BuildersInferResultTypes) {
  mlir::OpBuilder b(&context);
  mlir::Location loc = b.getUnknownLoc();
  auto module = mlir::ModuleOp::create(loc);
  b.setInsertionPointToEnd(module.getBody());
  auto constant = [&](llvm::ArrayRef<int64_t> shape, mlir::Type element) {
    auto type = mlir::RankedTensorType::get(shape, element);
    mlir::Attribute zero = mlir::isa<mlir::FloatType>(element)
                               ? mlir::Attribute(b.getFloatAttr(element, 0.0))
                               : mlir::Attribute(b.getIntegerAttr(element, 0));
    return b
        .create<mlir::ember::ConstantOp>(
            loc, mlir::DenseElementsAttr::get(type, zero))
        .getResult();
  };
  mlir::Value n = constant({3}, b.getI64Type());
  mlir::Value h = constant({}, b.getF64Type());
  mlir::Value x = constant({4, 3}, b.getF32Type());

  auto add = b.create<mlir::ember::AddOp>(loc, n, h, mlir::Attribute());
  EXPECT_EQ(add.getType(), mlir::RankedTensorType::get({3}, b.getF64Type()));
  auto exp = b.create<mlir::ember::ExpOp>(loc, n);
  EXPECT_EQ(exp.getType(), mlir::RankedTensorType::get({3}, b.getF32Type()));
  auto maxDim = b.create<mlir::ember::MaxDimOp>(loc, x, b.getI64IntegerAttr(0),
                                                b.getBoolAttr(true));
  EXPECT_EQ(maxDim.getValues().getType(),
            mlir::RankedTensorType::get({1, 3}, b.getF32Type()));
  EXPECT_EQ(maxDim.getIndices().getType(),
            mlir::RankedTensorType::get({1, 3}, b.getI64Type()));
  auto view =
      b.create<mlir::ember::ViewOp>(loc, x, b.getDenseI64ArrayAttr({-1}));
  EXPECT_EQ(view.getType(), mlir::RankedTensorType::get({12}, b.getF32Type()));
  EXPECT_TRUE(mlir::succeeded(mlir::verify(module)));
  module->erase();
}

// A rule that cannot differentiate its op (as_strided of a view, whose
// strides address a base the value-semantics rule does not see) fails with
// a diagnostic naming the op; an op with a rule gives one gradient per
// operand.
TEST_F(DialectCoverage, GradientRulesFailWithADiagnostic) {
  mlir::OpBuilder b(&context);
  mlir::Location loc = b.getUnknownLoc();
  auto module = mlir::ModuleOp::create(loc);
  b.setInsertionPointToEnd(module.getBody());
  auto type = mlir::RankedTensorType::get({2}, b.getF32Type());
  mlir::Value x = b.create<mlir::ember::ConstantOp>(
      loc, mlir::DenseElementsAttr::get(type, b.getF32FloatAttr(1.0)));
  mlir::Value view =
      b.create<mlir::ember::ViewOp>(loc, x, b.getDenseI64ArrayAttr({2}));
  auto strided = b.create<mlir::ember::AsStridedOp>(
      loc, mlir::ValueRange{view},
      llvm::ArrayRef<mlir::NamedAttribute>{
          b.getNamedAttr("size", b.getDenseI64ArrayAttr({2})),
          b.getNamedAttr("stride", b.getDenseI64ArrayAttr({1}))});
  std::string message;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
    message = d.str();
    return mlir::success();
  });
  auto differentiable = mlir::cast<mlir::ember::DifferentiableOpInterface>(
      strided.getOperation());
  llvm::SmallVector<mlir::Value> grads;
  EXPECT_TRUE(mlir::failed(
      differentiable.buildGradient(b, {strided.getResult()}, grads)));
  EXPECT_EQ(message, "'ember.as_strided' op of a view (ember.view) has no "
                     "gradient rule: its strides address the base's storage");
  auto relu = b.create<mlir::ember::ReluOp>(loc, x);
  grads.clear();
  EXPECT_TRUE(mlir::succeeded(
      mlir::cast<mlir::ember::DifferentiableOpInterface>(relu.getOperation())
          .buildGradient(b, {relu.getResult()}, grads)));
  ASSERT_EQ(grads.size(), 1u);
  EXPECT_EQ(grads[0].getType(), type);
  EXPECT_FALSE(mlir::isa<mlir::ember::DifferentiableOpInterface>(
      b.create<mlir::ember::ArgmaxOp>(loc, x, mlir::IntegerAttr(),
                                      mlir::BoolAttr())
          .getOperation()));
  module->erase();
}

} // namespace

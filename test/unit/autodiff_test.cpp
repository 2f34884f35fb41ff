// ember-autodiff against the eager tape: small functions of every op family
// (and broadcasting, shared uses, an MLP with a cross-entropy-like loss) are
// run eagerly with requires_grad inputs and `backward()` for the reference
// gradients, traced, imported, given the request `ember.autodiff`, and run
// through ember-functionalize, ember-autodiff, canonicalize/cse and
// convert-ember-to-linalg into a JitFunction that returns the loss and the
// gradients. Functions whose gradient ops have no lowering yet (the conv2d
// and pool backward ops, scatter_add, gather, index_put_, index_tensor) are
// evaluated op by op with the eager kernels of their ember ops instead
// (interpret), and their gradient ops are checked structurally (the ops
// that must appear). Every function is checked for its gradient results and
// their types. A few f64 cases are also compared with central finite
// differences of the eager forward.
// Built only with EMBER_ENABLE_COMPILER.
//
// Tolerances: f32 IR gradients vs the tape, rtol 1e-4 / atol 1e-5 (the JIT
// sums and multiplies in another order, fuses elementwise chains); f64 IR
// gradients vs the tape rtol 1e-10 / atol 1e-12; f64 IR gradients vs
// central differences (h = 1e-6) rtol/atol 1e-6.
#include "test_util.h"

#include "ember/Codegen/JIT.h"
#include "ember/Codegen/Lowering.h"
#include "ember/Codegen/Passes.h"
#include "ember/IR/EmberDialect.h"
#include "ember/IR/EmberOps.h"
#include "ember/Import/TraceImporter.h"
#include "ember/Passes/Passes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#include <cmath>
#include <deque>
#include <functional>
#include <map>
#include <set>

using namespace ember;
using namespace ember::testing;

namespace {

using LossFn = std::function<Tensor(const TensorList &)>;

struct Outcome {
  bool compiled = false;             // lowered and run by the CPU JIT
  bool interpreted = false;          // else run op by op eagerly
  std::vector<Tensor> irGrads;       // the gradient results
  std::set<std::string> backwardOps; // ember ops of the backward
  std::string ir;                    // the module after autodiff
};

// Evaluates a function of ember ops op by op with the eager kernels (for
// gradient ops that have no lowering yet): each ember.<name> is dispatched
// as the eager op <name> with its attributes converted back; in-place ops
// work on a copy of `self` (value semantics).
DType dtypeOf(mlir::Type t) {
  if (t.isF32())
    return kFloat32;
  if (t.isF64())
    return kFloat64;
  if (t.isInteger(1))
    return kBool;
  if (t.isInteger(32))
    return kInt32;
  if (t.isUnsignedInteger(8))
    return kUInt8;
  return kInt64;
}

Tensor tensorOf(mlir::DenseElementsAttr value) {
  auto type = llvm::cast<mlir::RankedTensorType>(value.getType());
  std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
  DType dt = dtypeOf(type.getElementType());
  std::vector<double> values;
  if (llvm::isa<mlir::FloatType>(type.getElementType())) {
    for (const llvm::APFloat &v : value.getValues<llvm::APFloat>())
      values.push_back(v.convertToDouble());
  } else {
    for (const llvm::APInt &v : value.getValues<llvm::APInt>())
      values.push_back(type.getElementType().isInteger(1)
                           ? static_cast<double>(v.getBoolValue())
                           : static_cast<double>(v.getSExtValue()));
  }
  return tensor(values).reshape(shape).to(dt);
}

std::vector<Tensor> interpret(mlir::func::FuncOp func,
                              const TensorList &inputs) {
  std::map<std::string, OpId, std::less<>> ids;
  auto ops = all_ops();
  for (size_t i = 0; i < ops.size(); ++i)
    ids.emplace(std::string(ops[i].name), static_cast<OpId>(i));
  llvm::DenseMap<mlir::Value, Tensor> env;
  for (auto [arg, t] : llvm::zip(func.getArguments(), inputs))
    env[arg] = t;
  std::deque<std::string> names; // Attrs keeps the names as const char *
  for (mlir::Operation &op : func.getBody().front()) {
    if (auto ret = llvm::dyn_cast<mlir::func::ReturnOp>(op)) {
      std::vector<Tensor> out;
      for (mlir::Value v : ret.getOperands())
        out.push_back(env.lookup(v));
      return out;
    }
    if (auto c = llvm::dyn_cast<mlir::ember::ConstantOp>(op)) {
      env[c.getResult()] = tensorOf(c.getValue());
      continue;
    }
    std::string name =
        op.getName().getStringRef().drop_front(strlen("ember.")).str();
    auto id = ids.find(name);
    EMBER_CHECK(id != ids.end(), "interpret", "unknown op ", name);
    std::vector<Tensor> operands;
    for (mlir::Value v : op.getOperands())
      operands.push_back(env.lookup(v));
    if (name.back() == '_')
      operands[0] = operands[0].clone();
    Attrs attrs;
    for (mlir::NamedAttribute a : op.getAttrs()) {
      const char *key = names.emplace_back(a.getName().str()).c_str();
      mlir::Attribute v = a.getValue();
      bool scalar = llvm::is_contained(
          std::vector<std::string>{"alpha", "min", "max", "value", "p"},
          names.back());
      if (auto i = llvm::dyn_cast<mlir::IntegerAttr>(v);
          i && !i.getType().isInteger(1))
        attrs.set(key, scalar ? AttrValue(Scalar(i.getInt()))
                              : AttrValue(i.getInt()));
      else if (auto f = llvm::dyn_cast<mlir::FloatAttr>(v))
        attrs.set(key, scalar ? AttrValue(Scalar(f.getValueAsDouble()))
                              : AttrValue(f.getValueAsDouble()));
      else if (auto b = llvm::dyn_cast<mlir::BoolAttr>(v))
        attrs.set(key, scalar ? AttrValue(Scalar(b.getValue()))
                              : AttrValue(b.getValue()));
      else if (auto arr = llvm::dyn_cast<mlir::DenseI64ArrayAttr>(v))
        attrs.set(key, std::vector<int64_t>(arr.asArrayRef().begin(),
                                            arr.asArrayRef().end()));
      else if (auto t = llvm::dyn_cast<mlir::TypeAttr>(v))
        attrs.set(key, dtypeOf(t.getValue()));
      else if (auto str = llvm::dyn_cast<mlir::StringAttr>(v))
        attrs.set(key, str.str());
    }
    TensorList results = dispatch(
        id->second, std::span<const Tensor>(operands.data(), operands.size()),
        attrs, Loc::current());
    for (auto [r, t] : llvm::zip(op.getResults(), results))
      env[r] = t;
  }
  return {};
}

// Traces `fn` on `inputs`, differentiates output 0 with respect to `wrt`,
// and compiles and runs the result when every ember op left lowers.
Outcome differentiate(const std::string &name, const LossFn &fn,
                      const TensorList &inputs,
                      const std::vector<int64_t> &wrt) {
  jit::Trace trace =
      jit::trace([&](const TensorList &in) { return TensorList{fn(in)}; },
                 inputs, {.name = name});
  mlir::DialectRegistry registry;
  mlir::ember::registerJitDialects(registry);
  mlir::MLIRContext context(registry);
  auto module = mlir::ember::importTrace(context, trace);
  auto func = module->lookupSymbol<mlir::func::FuncOp>(name);
  EXPECT_TRUE(func);
  EXPECT_EQ(func.getNumArguments(), inputs.size());
  mlir::Builder b(&context);
  llvm::SmallVector<mlir::Attribute> wrtAttrs;
  for (int64_t i : wrt)
    wrtAttrs.push_back(b.getI64IntegerAttr(i));
  func->setAttr(
      "ember.autodiff",
      b.getDictionaryAttr({b.getNamedAttr("of", b.getI64IntegerAttr(0)),
                           b.getNamedAttr("wrt", b.getArrayAttr(wrtAttrs))}));

  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
    llvm::raw_string_ostream os(diagnostics);
    os << d << "\n";
    return mlir::success();
  });
  Outcome out;
  {
    mlir::PassManager pm(&context);
    pm.addNestedPass<mlir::func::FuncOp>(
        mlir::ember::createEmberFunctionalize());
    pm.addNestedPass<mlir::func::FuncOp>(mlir::ember::createEmberAutodiff());
    pm.addPass(mlir::createCanonicalizerPass());
    pm.addPass(mlir::createCSEPass());
    if (mlir::failed(pm.run(*module))) {
      ADD_FAILURE() << name << ": " << diagnostics;
      return out;
    }
  }
  EXPECT_TRUE(mlir::succeeded(mlir::verify(*module)));
  out.ir = mlir::ember::printModule(*module, false);
  func = module->lookupSymbol<mlir::func::FuncOp>(name);
  EXPECT_EQ(func.getNumResults(), 1 + wrt.size()) << out.ir;
  for (size_t k = 0; k < wrt.size(); ++k) {
    auto attr = func.getResultAttrOfType<mlir::IntegerAttr>(
        static_cast<unsigned>(1 + k), "ember.grad_of");
    EXPECT_TRUE(attr && attr.getInt() == wrt[k]) << out.ir;
    EXPECT_EQ(func.getResultTypes()[1 + k],
              func.getArgumentTypes()[static_cast<size_t>(wrt[k])]);
  }
  bool lowerable = true;
  module->walk([&](mlir::Operation *op) {
    if (!llvm::isa<mlir::ember::EmberDialect>(op->getDialect()))
      return;
    if (auto fused = llvm::dyn_cast<mlir::FusedLoc>(op->getLoc()))
      if (auto tag =
              llvm::dyn_cast_or_null<mlir::StringAttr>(fused.getMetadata());
          tag && tag.getValue() == "backward")
        out.backwardOps.insert(op->getName().getStringRef().str());
    lowerable = lowerable && mlir::ember::isLowerable(op);
  });
  if (!lowerable) {
    std::vector<Tensor> results = interpret(func, inputs);
    out.interpreted = true;
    out.irGrads.assign(results.begin() + 1, results.end());
    return out;
  }
  {
    mlir::PassManager pm(&context);
    pm.addNestedPass<mlir::func::FuncOp>(
        mlir::ember::createConvertEmberToLinalg());
    if (mlir::failed(pm.run(*module))) {
      ADD_FAILURE() << name << ": " << diagnostics;
      return out;
    }
  }
  auto compiled = mlir::ember::JitFunction::compile(
      *module, name, mlir::ember::JitOptions().cache_dir(""));
  std::vector<Tensor> results = (*compiled)(inputs);
  out.compiled = true;
  out.irGrads.assign(results.begin() + 1, results.end());
  return out;
}

// The eager tape's gradients of fn(inputs) with respect to inputs[wrt].
std::vector<Tensor> tapeGrads(const LossFn &fn, const TensorList &inputs,
                              const std::vector<int64_t> &wrt) {
  TensorList leaves;
  for (const Tensor &t : inputs)
    leaves.push_back(t.detach().clone());
  for (int64_t i : wrt)
    leaves[static_cast<size_t>(i)].requires_grad_();
  fn(leaves).backward();
  std::vector<Tensor> grads;
  for (int64_t i : wrt)
    grads.push_back(leaves[static_cast<size_t>(i)].grad());
  return grads;
}

// Central differences of the (f64) eager forward.
Tensor finiteDifference(const LossFn &fn, const TensorList &inputs,
                        size_t index) {
  const double h = 1e-6;
  Tensor x = inputs[index].contiguous().clone();
  Tensor g = zeros_like(x);
  double *px = x.data_ptr<double>(), *pg = g.data_ptr<double>();
  for (int64_t i = 0; i < x.numel(); ++i) {
    const double keep = px[i];
    TensorList in = inputs;
    in[index] = x;
    px[i] = keep + h;
    const double up = fn(in).item<double>();
    px[i] = keep - h;
    const double down = fn(in).item<double>();
    px[i] = keep;
    pg[i] = (up - down) / (2 * h);
  }
  return g;
}

// The IR gradients (compiled, or interpreted eagerly) equal the tape's, and
// contain `expectOps` among their ops.
void check(const std::string &name, const LossFn &fn, const TensorList &inputs,
           const std::vector<int64_t> &wrt,
           const std::vector<std::string> &expectOps = {},
           bool finiteDiff = false) {
  SCOPED_TRACE(name);
  Outcome out = differentiate(name, fn, inputs, wrt);
  for (const std::string &op : expectOps)
    EXPECT_TRUE(out.backwardOps.count(op)) << op << " missing\n" << out.ir;
  if (!out.compiled && !out.interpreted)
    return;
  std::vector<Tensor> tape = tapeGrads(fn, inputs, wrt);
  ASSERT_EQ(out.irGrads.size(), tape.size());
  double worstTape = 0, worstFd = 0;
  for (size_t k = 0; k < tape.size(); ++k) {
    worstTape =
        std::max(worstTape, (out.irGrads[k].to(kFloat64) - tape[k].to(kFloat64))
                                .abs()
                                .max()
                                .item<double>());
    const bool f64 = tape[k].dtype() == kFloat64;
    EXPECT_TRUE(allclose(out.irGrads[k], tape[k], f64 ? 1e-10 : 1e-4,
                         f64 ? 1e-12 : 1e-5))
        << "gradient of argument " << wrt[k] << "\n"
        << out.ir;
    if (finiteDiff) {
      Tensor fd = finiteDifference(fn, inputs, static_cast<size_t>(wrt[k]));
      EXPECT_TRUE(allclose(out.irGrads[k], fd, 1e-6, 1e-6))
          << "finite differences, argument " << wrt[k];
      worstFd =
          std::max(worstFd, (out.irGrads[k] - fd).abs().max().item<double>());
    }
  }
  std::printf("  %-22s %s max |IR - tape| %.1e%s", name.c_str(),
              out.compiled ? "JIT   " : "eager ", worstTape,
              finiteDiff ? "" : "\n");
  if (finiteDiff)
    std::printf(", max |IR - finite diff| %.1e\n", worstFd);
}

Tensor rnd(IntArrayRef shape, DType t = kFloat32) {
  return randn(shape, dtype(t));
}
// Away from 0 (log, sqrt, div, pow bases).
Tensor positive(IntArrayRef shape, DType t = kFloat32) {
  return rand(shape, dtype(t)) + 0.5;
}

class Autodiff : public ::testing::Test {
protected:
  void SetUp() override { manual_seed(7); }
};

TEST_F(Autodiff, UnaryElementwise) {
  struct Case {
    const char *name;
    std::function<Tensor(const Tensor &)> f;
    bool positiveOnly;
  };
  std::vector<Case> cases = {
      {"neg", [](const Tensor &x) { return -x; }, false},
      {"abs", [](const Tensor &x) { return abs(x); }, false},
      {"exp", [](const Tensor &x) { return exp(x); }, false},
      {"log", [](const Tensor &x) { return log(x); }, true},
      {"log1p", [](const Tensor &x) { return log1p(x); }, true},
      {"sqrt", [](const Tensor &x) { return sqrt(x); }, true},
      {"rsqrt", [](const Tensor &x) { return rsqrt(x); }, true},
      {"sin", [](const Tensor &x) { return sin(x); }, false},
      {"cos", [](const Tensor &x) { return cos(x); }, false},
      {"tanh", [](const Tensor &x) { return tanh(x); }, false},
      {"sigmoid", [](const Tensor &x) { return sigmoid(x); }, false},
      {"relu", [](const Tensor &x) { return relu(x); }, false},
      {"gelu", [](const Tensor &x) { return gelu(x); }, false},
      {"gelu_tanh", [](const Tensor &x) { return gelu(x, "tanh"); }, false},
      {"clamp",
       [](const Tensor &x) { return clamp(x, Scalar(-0.5), Scalar(0.7)); },
       false},
      {"floor_plus_x", [](const Tensor &x) { return floor(x) + x; }, false},
  };
  for (const Case &c : cases)
    for (DType t : {kFloat32, kFloat64}) {
      Tensor x = c.positiveOnly ? positive({3, 5}, t) : rnd({3, 5}, t);
      Tensor w = rnd({3, 5}, t); // a random cotangent through mul
      check(
          std::string(c.name) + (t == kFloat64 ? "_f64" : "_f32"),
          [&](const TensorList &in) { return sum(c.f(in[0]) * in[1]); }, {x, w},
          {0}, {}, /*finiteDiff=*/t == kFloat64);
    }
}

TEST_F(Autodiff, BinaryWithBroadcasting) {
  Tensor a = rnd({4, 3}), b = rnd({3}), c = rnd({4, 1}), p = positive({4, 3});
  check(
      "add_alpha",
      [](const TensorList &in) { return sum(add(in[0], in[1], 2.5) * in[0]); },
      {a, b}, {0, 1});
  check(
      "sub_alpha",
      [](const TensorList &in) { return sum(sub(in[0], in[1], 0.5) * in[2]); },
      {a, c, rnd({4, 3})}, {0, 1});
  check("mul_bcast",
        [](const TensorList &in) { return sum(in[0] * in[1] * in[2]); },
        {a, b, c}, {0, 1, 2});
  check("div_bcast", [](const TensorList &in) { return sum(in[0] / in[1]); },
        {b, p}, {0, 1});
  check("pow_tensor",
        [](const TensorList &in) { return sum(pow(in[0], in[1])); },
        {p, rnd({3})}, {0, 1});
  check("pow_scalar", [](const TensorList &in) { return sum(pow(in[0], 3.0)); },
        {a}, {0});
  check("maximum_minimum",
        [](const TensorList &in) {
          return sum(maximum(in[0], in[1]) + minimum(in[0], in[2]) * 2.0);
        },
        {a, b, c}, {0, 1, 2});
  check("where_bcast",
        [](const TensorList &in) {
          return sum(where(in[0] > 0, in[0] * 3.0, in[1]));
        },
        {a, b}, {0, 1});
  check("masked_fill",
        [](const TensorList &in) {
          return sum(masked_fill(in[0], in[0] < 0, 0.25) * in[0]);
        },
        {a}, {0});
  check("scalar_operand",
        [](const TensorList &in) { return sum((in[0] * 2.0 + 1.0) / 3.0); },
        {a}, {0});
  check("to_dtype",
        [](const TensorList &in) { return sum(in[0].to(kFloat64) * in[1]); },
        {a, rnd({4, 3}, kFloat64)}, {0, 1});
  // A value used several times: its gradients add up.
  check("shared_uses",
        [](const TensorList &in) {
          Tensor h = tanh(in[0]);
          return sum(h * h + exp(h) - h * in[0]);
        },
        {a}, {0});
  check(
      "binary_f64",
      [](const TensorList &in) {
        return sum(in[0] * in[1] / (in[1] * in[1] + 1.0) - in[0]);
      },
      {rnd({2, 3}, kFloat64), rnd({3}, kFloat64)}, {0, 1}, {}, true);
}

TEST_F(Autodiff, Reductions) {
  Tensor x = rnd({3, 4, 5});
  check("sum_dims",
        [](const TensorList &in) { return sum(sum(in[0], {1}) * in[1]); },
        {x, rnd({3, 5})}, {0});
  check("sum_keepdim",
        [](const TensorList &in) {
          return sum(sum(in[0], {0, 2}, true) * in[0]);
        },
        {x}, {0});
  check("mean", [](const TensorList &in) { return mean(exp(in[0])); }, {x},
        {0});
  check("mean_dim",
        [](const TensorList &in) { return sum(mean(in[0], {-1}) * in[1]); },
        {x, rnd({3, 4})}, {0});
  check("amax",
        [](const TensorList &in) { return sum(amax(in[0], {1}) * in[1]); },
        {x, rnd({3, 5})}, {0});
  check("max_dim",
        [](const TensorList &in) {
          return sum(std::get<0>(in[0].max(2)) * in[1]);
        },
        {x, rnd({3, 4})}, {0});
  check("min_dim_keepdim",
        [](const TensorList &in) {
          return sum(std::get<0>(in[0].min(0, true)) * in[1]);
        },
        {x, rnd({1, 4, 5})}, {0});
  check("logsumexp",
        [](const TensorList &in) { return sum(logsumexp(in[0], {1}) * in[1]); },
        {x, rnd({3, 5})}, {0});
  check("softmax",
        [](const TensorList &in) { return sum(softmax(in[0], 1) * in[1]); },
        {x, rnd({3, 4, 5})}, {0});
  check(
      "log_softmax",
      [](const TensorList &in) { return sum(log_softmax(in[0], -1) * in[1]); },
      {x, rnd({3, 4, 5})}, {0});
  check(
      "softmax_f64",
      [](const TensorList &in) {
        return sum(softmax(in[0], 0) * in[1]) + mean(in[0]);
      },
      {rnd({3, 2}, kFloat64), rnd({3, 2}, kFloat64)}, {0}, {}, true);
}

TEST_F(Autodiff, StatisticsNormsAndProducts) {
  Tensor x = rnd({3, 4});
  check("var",
        [](const TensorList &in) { return sum(var(in[0], {1}) * in[1]); },
        {x, rnd({3})}, {0});
  check("var_all_correction0",
        [](const TensorList &in) {
          return var(in[0], {0, 1}, 0);
        },
        {x}, {0});
  check(
      "std",
      [](const TensorList &in) { return sum(ember::std(in[0], {0}) * in[1]); },
      {x, rnd({4})}, {0});
  for (double p : {2.0, 1.0, 3.0, 1.5, 0.5, double(INFINITY)}) {
    check(
        "norm_p" + std::to_string(p),
        [p](const TensorList &in) { return sum(norm(in[0], p, {1}) * in[1]); },
        {x, rnd({3})}, {0});
  }
  check(
      "norm_f64",
      [](const TensorList &in) { return norm(in[0], 3.0) + norm(in[0]); },
      {rnd({2, 3}, kFloat64)}, {0}, {}, true);
  check("prod",
        [](const TensorList &in) { return sum(prod(in[0], 1) * in[1]); },
        {x, rnd({3})}, {0});
  // Rows with no zero, one zero and two zeros.
  Tensor z = rnd({3, 4});
  z.select(0, 1).select(0, 2).fill_(0.0);
  z.select(0, 2).select(0, 0).fill_(0.0);
  z.select(0, 2).select(0, 3).fill_(0.0);
  check("prod_with_zeros",
        [](const TensorList &in) { return sum(prod(in[0], 1) * in[1]); },
        {z, rnd({3})}, {0});
  check(
      "prod_f64", [](const TensorList &in) { return prod(in[0]); },
      {rnd({2, 3}, kFloat64)}, {0}, {}, true);
}

TEST_F(Autodiff, Indexing) {
  // scatter_add, index_put_ and index_tensor have no lowering yet: the
  // gradients are interpreted eagerly.
  Tensor idx = tensor(std::vector<int64_t>{2, 0, 2});
  check("index_select",
        [](const TensorList &in) {
          return sum(index_select(in[0], 0, in[1]) * in[2]);
        },
        {rnd({4, 3}), idx, rnd({3, 3})}, {0}, {"ember.scatter_add"});
  Tensor gidx = tensor(std::vector<int64_t>{1, 0, 3, 3, 2, 0}).reshape({3, 2});
  check(
      "gather",
      [](const TensorList &in) { return sum(gather(in[0], 1, in[1]) * in[2]); },
      {rnd({3, 4}), gidx, rnd({3, 2})}, {0}, {"ember.scatter_add"});
  check("scatter_add",
        [](const TensorList &in) {
          return sum(scatter_add(in[0], 1, in[1], in[2]) * in[3]);
        },
        {rnd({3, 4}), gidx, rnd({3, 2}), rnd({3, 4})}, {0, 2},
        {"ember.gather"});
  check("index_tensor",
        [](const TensorList &in) { return sum(index(in[0], {in[1]}) * in[2]); },
        {rnd({4, 3}), idx.to(kInt64), rnd({3, 3})}, {0}, {"ember.index_put_"});
  check("index_put",
        [](const TensorList &in) {
          Tensor y = in[0] * 2.0;
          index_put_(y, {in[2]}, in[1]);
          return sum(y * in[3]);
        },
        {rnd({4, 3}), rnd({3}), idx.to(kInt64), rnd({4, 3})}, {0, 1},
        {"ember.index_put_", "ember.index_tensor"});
}

TEST_F(Autodiff, MatrixProducts) {
  check("mm", [](const TensorList &in) { return sum(mm(in[0], in[1])); },
        {rnd({4, 3}), rnd({3, 5})}, {0, 1});
  check("bmm",
        [](const TensorList &in) { return sum(bmm(in[0], in[1]) * in[2]); },
        {rnd({2, 4, 3}), rnd({2, 3, 5}), rnd({2, 4, 5})}, {0, 1});
  check("matmul_batched_bcast",
        [](const TensorList &in) { return sum(matmul(in[0], in[1]) * in[2]); },
        {rnd({2, 4, 3}), rnd({3, 5}), rnd({2, 4, 5})}, {0, 1});
  check("matmul_vec",
        [](const TensorList &in) { return sum(matmul(in[0], in[1]) * in[2]); },
        {rnd({4, 3}), rnd({3}), rnd({4})}, {0, 1});
  check("matmul_dot", [](const TensorList &in) { return matmul(in[0], in[1]); },
        {rnd({3}), rnd({3})}, {0, 1});
  check(
      "mm_f64",
      [](const TensorList &in) { return sum(tanh(mm(in[0], in[1]))); },
      {rnd({2, 3}, kFloat64), rnd({3, 2}, kFloat64)}, {0, 1}, {}, true);
}

TEST_F(Autodiff, ShapesAndViews) {
  Tensor x = rnd({2, 3, 4});
  auto weighted = [](Tensor y, const Tensor &w) { return sum(y * w); };
  check("reshape",
        [&](const TensorList &in) {
          return weighted(in[0].reshape({6, 4}), in[1]);
        },
        {x, rnd({6, 4})}, {0});
  check("view_flatten",
        [&](const TensorList &in) {
          return weighted(in[0].view({4, 6}).flatten(), in[1]);
        },
        {x, rnd({24})}, {0});
  check("permute",
        [&](const TensorList &in) {
          return weighted(in[0].permute({2, 0, 1}), in[1]);
        },
        {x, rnd({4, 2, 3})}, {0});
  check("transpose",
        [&](const TensorList &in) {
          return weighted(in[0].transpose(0, 2), in[1]);
        },
        {x, rnd({4, 3, 2})}, {0});
  check("expand",
        [&](const TensorList &in) {
          return weighted(in[0].expand({2, 3, 4}), in[1]);
        },
        {rnd({3, 1}), rnd({2, 3, 4})}, {0});
  check("squeeze_unsqueeze",
        [&](const TensorList &in) {
          return weighted(in[0].squeeze(1).unsqueeze(0), in[1]);
        },
        {rnd({3, 1, 4}), rnd({1, 3, 4})}, {0});
  check("narrow_slice_select",
        [&](const TensorList &in) {
          return weighted(in[0].narrow(1, 1, 2), in[1]) +
                 weighted(in[0].slice(2, 1, 3), in[2]) +
                 weighted(in[0].select(0, -1), in[3]);
        },
        {x, rnd({2, 2, 4}), rnd({2, 3, 2}), rnd({3, 4})}, {0});
  // A step > 1 goes through index_put_ (no lowering: interpreted).
  check("strided_slices",
        [&](const TensorList &in) {
          return weighted(in[0].slice(2, 1, std::nullopt, 2), in[1]) +
                 weighted(in[0].slice(0, 0, 2, 2), in[2]);
        },
        {x, rnd({2, 3, 2}), rnd({1, 3, 4})}, {0}, {"ember.index_put_"});
  check("cat_stack",
        [&](const TensorList &in) {
          return weighted(cat({in[0], in[1]}, 1), in[2]) +
                 weighted(stack({in[0], in[0]}, 0), in[3]);
        },
        {rnd({2, 3}), rnd({2, 2}), rnd({2, 5}), rnd({2, 2, 3})}, {0, 1});
  // as_strided of an argument (its own storage): the gradient scatter-added
  // into zeros at the storage positions, accumulating where the result
  // reads an element twice (as_strided has no lowering: interpreted).
  check("as_strided",
        [&](const TensorList &in) {
          return weighted(in[0].as_strided({3, 4}, {4, 1}, 2), in[1]) +
                 weighted(in[0].as_strided({4, 3}, {2, 1}, 1), in[2]) +
                 weighted(in[0].as_strided({2, 2}, {0, 5}), in[3]);
        },
        {x, rnd({3, 4}), rnd({4, 3}), rnd({2, 2})}, {0}, {"ember.scatter_add"});
  check(
      "as_strided_f64",
      [&](const TensorList &in) {
        return sum(tanh(in[0].as_strided({3, 3}, {1, 2}, 1)) * in[1]);
      },
      {rnd({3, 4}, kFloat64), rnd({3, 3}, kFloat64)}, {0},
      {"ember.scatter_add"}, true);
}

TEST_F(Autodiff, ConvAndPools) {
  // The backward ops of conv2d and the pools have no lowering yet: the
  // gradients are interpreted eagerly.
  check("conv2d",
        [](const TensorList &in) {
          return sum(conv2d(in[0], in[1], in[2], {1, 1}, {1, 1}));
        },
        {rnd({2, 3, 6, 6}), rnd({4, 3, 3, 3}), rnd({4})}, {0, 1, 2},
        {"ember.conv2d_backward_input", "ember.conv2d_backward_weight",
         "ember.sum"});
  check("conv2d_unbatched_strided",
        [](const TensorList &in) {
          return sum(conv2d(in[0], in[1], {}, {2, 1}, {0, 1}) * in[2]);
        },
        {rnd({3, 5, 5}), rnd({2, 3, 3, 3}), rnd({2, 2, 5})}, {0, 1},
        {"ember.conv2d_backward_input", "ember.conv2d_backward_weight"});
  check("max_pool2d",
        [](const TensorList &in) {
          return sum(max_pool2d(in[0], {2, 2}));
        },
        {rnd({1, 2, 4, 4})}, {0}, {"ember.max_pool2d_backward"});
  check("avg_pool2d",
        [](const TensorList &in) {
          return sum(avg_pool2d(in[0], {2, 2}));
        },
        {rnd({1, 2, 4, 4})}, {0}, {"ember.avg_pool2d_backward"});
}

// Second derivatives: the backward ops of conv2d and the pools are
// differentiated too (as eager's double backward), with strides, padding
// and dilation.
TEST_F(Autodiff, ConvAndPoolBackwardOps) {
  check("conv2d_backward_input",
        [](const TensorList &in) {
          return sum(conv2d_backward_input(in[0], in[1], {2, 3, 7, 6}, {2, 1},
                                           {1, 0}, {1, 2}, 1) *
                     in[2]);
        },
        {rnd({2, 4, 4, 2}), rnd({4, 3, 3, 3}), rnd({2, 3, 7, 6})}, {0, 1},
        {"ember.conv2d", "ember.conv2d_backward_weight"});
  check("conv2d_backward_weight",
        [](const TensorList &in) {
          return sum(conv2d_backward_weight(in[0], in[1], {4, 3, 3, 3}, {2, 1},
                                            {1, 0}, {1, 2}, 1) *
                     in[2]);
        },
        {rnd({2, 4, 4, 2}), rnd({2, 3, 7, 6}), rnd({4, 3, 3, 3})}, {0, 1},
        {"ember.conv2d", "ember.conv2d_backward_input"});
  check("avg_pool2d_backward",
        [](const TensorList &in) {
          return sum(avg_pool2d_backward(in[0], {1, 2, 5, 5}, {3, 3}, {2, 2},
                                         {1, 1}, false, true) *
                     in[1]);
        },
        {rnd({1, 2, 3, 3}), rnd({1, 2, 5, 5})}, {0}, {"ember.avg_pool2d"});
  // max_pool2d_backward's gradient for grad_output: the double gradient
  // gathered at each window's argmax of the input (none for the input),
  // with padding, overlapping windows, ceil_mode and dilation.
  check("max_pool2d_backward",
        [](const TensorList &in) {
          return sum(max_pool2d_backward(in[0], in[1], {3, 3}, {2, 2}, {1, 1},
                                         {1, 1}, true) *
                     in[2]);
        },
        {rnd({2, 2, 4, 4}), rnd({2, 2, 6, 7}), rnd({2, 2, 6, 7})}, {0},
        {"ember.argmax", "ember.gather", "ember.stack"});
  check(
      "max_pool2d_backward_f64",
      [](const TensorList &in) {
        return sum(tanh(max_pool2d_backward(in[0], in[1], {2, 3}, {1, 2},
                                            {1, 1}, {2, 1}, false)) *
                   in[2]);
      },
      {rnd({1, 2, 5, 3}, kFloat64), rnd({1, 2, 5, 6}, kFloat64),
       rnd({1, 2, 5, 6}, kFloat64)},
      {0}, {"ember.argmax", "ember.gather"}, true);
}

// A two-layer MLP with a cross-entropy-like loss (log_softmax against
// one-hot targets, the targets an input without gradient).
TEST_F(Autodiff, MlpCrossEntropy) {
  auto mlp = [](const TensorList &in) {
    Tensor h = relu(add(matmul(in[0], in[1].transpose(0, 1)), in[2]));
    Tensor logits = add(matmul(h, in[3].transpose(0, 1)), in[4]);
    return -sum(log_softmax(logits, 1) * in[5]) / 8.0;
  };
  Tensor labels = zeros({8, 4});
  for (int64_t i = 0; i < 8; ++i)
    labels.select(0, i).select(0, i % 4).fill_(1.0);
  check("mlp", mlp,
        {rnd({8, 10}), rnd({16, 10}) * 0.3, rnd({16}) * 0.1, rnd({4, 16}) * 0.3,
         rnd({4}) * 0.1, labels},
        {1, 2, 3, 4});
  // Only the last layer: the first layer's gradient work is not built.
  Outcome out = differentiate(
      "mlp_frozen", mlp,
      {rnd({8, 10}), rnd({16, 10}), rnd({16}), rnd({4, 16}), rnd({4}), labels},
      {3});
  EXPECT_EQ(out.ir.find("ember.mm"), std::string::npos);
  int matmuls = 0;
  for (size_t p = out.ir.find("ember.matmul"); p != std::string::npos;
       p = out.ir.find("ember.matmul", p + 1))
    ++matmuls;
  EXPECT_EQ(matmuls, 3) << out.ir; // two forward, one for the weight
  // In f64, also against finite differences.
  Tensor labels64 = labels.to(kFloat64);
  check("mlp_f64", mlp,
        {rnd({8, 10}, kFloat64), rnd({16, 10}, kFloat64) * 0.3,
         rnd({16}, kFloat64) * 0.1, rnd({4, 16}, kFloat64) * 0.3,
         rnd({4}, kFloat64) * 0.1, labels64},
        {1, 2, 3, 4}, {}, true);
}

} // namespace

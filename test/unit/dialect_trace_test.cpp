// The importer contract, checked against the eager runtime: every op an
// eager program runs is rebuilt as ember.<name> the way the trace importer
// builds it (OperationState from OpCall inputs, Attrs and output types;
// EmberOps.td's header gives the mapping), and must verify. So the dialect's
// shape/dtype rules agree with the eager kernels on real calls, wrapped
// numbers and promotion included. Built only with EMBER_ENABLE_COMPILER.
#include "ember/IR/EmberDialect.h"
#include "ember/IR/EmberOps.h"
#include "ember/Import/TraceImporter.h"
#include "ember/dispatch.h"
#include "ember/ember.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

#include <iostream>
#include <set>
#include <string>
#include <variant>

namespace {

using namespace ember;

using mlir::ember::tensorType;
using mlir::ember::toAttribute;

mlir::Type tensorType(mlir::MLIRContext &context, const Tensor &t) {
  return tensorType(context, t.sizes(), t.dtype());
}

// Rebuilds every outermost eager op as an ember op and verifies it.
class ImportingObserver : public DispatchObserver {
public:
  ImportingObserver() {
    context.loadDialect<mlir::ember::EmberDialect>();
    context.getDiagEngine().registerHandler([this](mlir::Diagnostic &d) {
      lastError = d.str();
      return mlir::success();
    });
  }

  void on_op(const OpCall &call, const TensorList &outputs) override {
    std::string name = std::string("ember.") + call.name();
    seen.insert(call.name());
    for (const Tensor &t : call.inputs)
      if (!t.defined()) { // an absent index slot: not an operand
        skipped.insert(call.name());
        return;
      }
    mlir::OpBuilder b(&context);
    mlir::Location loc = b.getUnknownLoc();
    auto module = mlir::ModuleOp::create(loc);
    b.setInsertionPointToEnd(module.getBody());
    mlir::OperationState state(loc, name);
    for (const Tensor &t : call.inputs) {
      auto type = mlir::cast<mlir::RankedTensorType>(tensorType(context, t));
      mlir::Attribute zero =
          mlir::isa<mlir::FloatType>(type.getElementType())
              ? mlir::Attribute(b.getFloatAttr(type.getElementType(), 0.0))
              : mlir::Attribute(b.getIntegerAttr(type.getElementType(), 0));
      state.addOperands(b.create<mlir::ember::ConstantOp>(
                             loc, mlir::DenseElementsAttr::get(type, zero))
                            .getResult());
    }
    for (const Attr &a : call.attrs.items())
      state.addAttribute(a.name, toAttribute(context, a.value));
    for (const Tensor &t : outputs)
      state.addTypes(tensorType(context, t));
    mlir::Operation *op = b.create(state);
    ++built;
    if (mlir::failed(mlir::verify(module))) {
      std::string text;
      llvm::raw_string_ostream os(text);
      op->print(os, mlir::OpPrintingFlags().printGenericOpForm());
      failures.push_back(text + "\n    " + lastError);
    }
    module->erase();
  }

  mlir::MLIRContext context;
  std::string lastError;
  std::vector<std::string> failures;
  std::set<std::string> seen, skipped;
  int built = 0;
};

// A tour of the eager API: every op family, promotion with wrapped numbers
// and 0-d tensors, in-place forms, views, indexing, factories, random ops.
void runEagerTour() {
  auto f = dtype(kFloat32);
  Tensor x = arange(0.0, 12.0, 1.0, f).reshape({3, 4});
  Tensor xd = arange(0.0, 6.0, 1.0, dtype(kFloat64));
  Tensor n = arange(int64_t(0), int64_t(6), int64_t(1), dtype(kInt64));
  Tensor i32 = n.to(kInt32);
  Tensor u8 = n.to(kUInt8);
  Tensor flag = gt(n, 2);
  Tensor zd = full({}, 1.5, dtype(kFloat64)); // a real 0-d f64 tensor

  // Unary, including integer operands of float math.
  for (const Tensor &t : {x, n}) {
    neg(t), abs(t), exp(t), log1p(t), sqrt(t), rsqrt(t), sin(t), cos(t);
    tanh(t), sigmoid(t), relu(t), sign(t), floor(t), ceil(t), round(t);
    logical_not(t), log(t);
  }
  gelu(x, "tanh"), gelu(x);
  clamp(x, 0.0, 5.0), clamp(n, 1.5, std::nullopt), clamp(n, 1, 3);
  clamp(u8, std::nullopt, 4);

  // Binary: promotion across tiers.
  add(x, x.select(0, 0)), add(n, 2.5), add(n, 2), add(i32, zd), add(x, zd);
  add(n, n, 3), sub(x, 1.0, 2.0), sub(n, i32), mul(x, n.narrow(0, 0, 4));
  mul(flag, flag), mul(u8, i32), mul(n, zd), div(n, n), div(x, 2), div(u8, 2);
  pow(x, 2.0), pow(2.0, x), pow(n, 2), maximum(x, x), minimum(n, i32);
  logical_and(flag, n), logical_or(x, x), logical_xor(flag, flag);
  eq(x, 1.0), ne(n, i32), lt(x, x), le(n, 3), gt(x, n.narrow(0, 0, 4));
  ge(u8, 1);
  where(flag, n, 1.5), where(flag, 2, n), where(flag, xd, n);
  masked_fill(x, gt(x, 3.0), -1.0), masked_fill(n, flag, 7);

  // In-place forms.
  Tensor y = x.clone();
  y.add_(x), y.add_(1), y.sub_(x, 0.5), y.mul_(2), y.div_(x.add(1));
  y.clamp_(0.0, 1.0), y.masked_fill_(gt(y, 0.5), 0.0), y.fill_(3.0);
  y.zero_(), y.copy_(n.narrow(0, 0, 4)), n.clone().mul_(zd.to(kInt64));

  // Reductions and softmax.
  sum(x), sum(n), sum(flag), sum(x, {1}, true), sum(n, {0}, false, kFloat64);
  mean(x), mean(x, {-1}), prod(n), prod(x, 1, true), max(x), min(n);
  max(x, 1), min(x, 0, true), amax(x, {0}), amin(n, {0}, true);
  argmax(x), argmax(x, 1), argmin(n, 0, true), argmax(x, std::nullopt, true);
  var(x), var(x, {1}, 0, true), ember::std(x), ember::std(x, {0}),
      logsumexp(x, {1});
  logsumexp(n, {0}), norm(x), norm(x, 1, {1}, false), norm(x, 3.5);
  softmax(x, 1), log_softmax(x, -1);

  // Linear algebra.
  Tensor w = ones({4, 5}, f);
  mm(x, w), bmm(x.unsqueeze(0), w.unsqueeze(0));
  matmul(x, w), matmul(x.select(0, 0), w), matmul(x, w.select(1, 0));
  matmul(x.select(0, 0), x.select(0, 1)), matmul(x.expand({2, 3, 4}), w);
  matmul(ones({2, 1, 3, 4}, f), ones({5, 4, 2}, f));

  // Convolution and pooling.
  Tensor img = ones({2, 3, 8, 8}, f), k = ones({4, 3, 3, 3}, f);
  Tensor out = conv2d(img, k, ones({4}, f), {1, 1}, {1, 1});
  conv2d(img.select(0, 0), k),
      conv2d(img, ones({6, 1, 3, 3}, f), {}, {2, 2}, {0, 0}, {2, 2}, 3);
  max_pool2d(img, {2, 2}),
      max_pool2d(img, {3, 3}, {2, 2}, {1, 1}, {1, 1}, true);
  avg_pool2d(img, {2, 2}), avg_pool2d(img, {3, 3}, {2, 2}, {1, 1}, true, false);
  avg_pool2d(ones({1, 4, 4}, dtype(kInt64)), {2, 2});
  conv2d_backward_input(out, k, {2, 3, 8, 8}, {1, 1}, {1, 1}, {1, 1}, 1);
  conv2d_backward_weight(out, img, {4, 3, 3, 3}, {1, 1}, {1, 1}, {1, 1}, 1);
  Tensor pooled = max_pool2d(img, {2, 2});
  max_pool2d_backward(pooled, img, {2, 2}, {2, 2}, {0, 0}, {1, 1}, false);
  avg_pool2d_backward(pooled, {2, 3, 8, 8}, {2, 2}, {2, 2}, {0, 0}, false,
                      true);

  // Views and copies.
  x.view({4, 3}), x.view({-1}), x.reshape({2, -1}), x.t().reshape({12});
  x.permute({1, 0}), x.transpose(0, 1), x.t().contiguous(), x.contiguous();
  x.select(0, 1).expand({2, 4}), x.unsqueeze(1).expand({3, -1, 4});
  x.unsqueeze(0).squeeze(), x.unsqueeze(-1).squeeze(2), x.squeeze(0);
  ones({2, 3, 4}, f).flatten(), ones({2, 3, 4}, f).flatten(1), zd.flatten();
  x.narrow(1, -2, 2), x.slice(1, 1, std::nullopt, 2), x.slice(0, -10, 10);
  x.select(1, -1), x.as_strided({2, 2}, {1, 4}), x.as_strided({2}, {2}, 3);
  x.to(kInt64), x.to(kFloat32), x.to(Device(kCPU)), x.clone();
  cat({x, x}, 0), cat({x, n.to(kFloat64).reshape({-1, 2}).expand({3, 2})}, 1);
  cat({n, empty({0}, dtype(kInt64)), n}), stack({x, x}, 1), stack({n, n});

  // Indexing.
  Tensor idx = tensor({2, 0}, dtype(kInt64));
  gather(x, 1, idx.expand({3, 2})), index_select(x, 1, idx);
  index_select(x, 0, idx.to(kInt32)),
      scatter_add(x, 0, idx.unsqueeze(1).expand({2, 4}), ones({2, 4}, f));
  index(x, {idx}), index(x, {idx, idx}), index(x, {gt(x, 5.0)});
  index(x, {idx.unsqueeze(1), tensor({1, 3}, dtype(kInt64))});
  Tensor z = x.clone();
  index_put_(z, {idx}, ones({4}, f)),
      index_put_(z, {idx, idx}, zd.to(kFloat32), true);
  one_hot(n, 8), one_hot(n);

  // Factories and random ops.
  empty({2, 3}), zeros({2}, dtype(kInt32)), ones({1, 2}, dtype(kBool));
  full({2}, 7, dtype(kUInt8)), arange(5), arange(1.0, 2.0, 0.25);
  arange(int64_t(10), int64_t(0), int64_t(-3)), linspace(0.0, 1.0, 5);
  eye(3), eye(2, 4, dtype(kFloat64));
  rand({2, 3}), randn({4}, dtype(kFloat64)), randint(0, 10, {5});
  randint(3, {2, 2}, dtype(kInt32)), randperm(6), bernoulli(rand({3}));
  Tensor r = empty({3}, f);
  r.uniform_(-1.0, 1.0), r.normal_(2.0, 0.5);
}

TEST(DialectTrace, EagerCallsVerifyAsDialectOps) {
  ImportingObserver observer;
  {
    ObserverGuard guard(&observer);
    runEagerTour();
  }
  std::string failures;
  for (const std::string &f : observer.failures)
    failures += "\n  " + f;
  EXPECT_TRUE(observer.failures.empty())
      << observer.failures.size()
      << " eager calls do not verify as ember ops:" << failures;
  // The tour reaches most of ops.def (factories included).
  std::string missing;
  for (const OpInfo &info : all_ops())
    if (!observer.seen.count(std::string(info.name)))
      missing += std::string(info.name) + " ";
  EXPECT_GE(observer.seen.size(), 100u) << "ops the tour misses: " << missing;
  EXPECT_GE(observer.built, 250);
  std::cout << observer.built << " eager calls rebuilt as ember ops; "
            << observer.seen.size() << " of " << all_ops().size()
            << " ops.def ops; not reached: " << missing << "\n";
  EXPECT_TRUE(observer.skipped.empty());
}

} // namespace

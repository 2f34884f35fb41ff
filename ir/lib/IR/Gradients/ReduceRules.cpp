//===- ReduceRules.cpp - gradients of reductions and softmax --------------===//
//
// As the eager tape (frontend/src/autograd/rules_reduce.cpp): sum and mean
// broadcast the gradient back (mean divides by the count); amax/amin split
// it evenly between the elements equal to the result; max_dim/min_dim send
// it to the element the index names (the indices get none); logsumexp
// multiplies by exp(x - out); softmax is y (g - sum(g y)) and log_softmax
// g - exp(y) sum(g), along `dim`. Every rule first puts the reduced dims of
// the result gradient back as size 1 ("restore") so it broadcasts against
// the input. var and std use 2 (x - mean) / (N - correction) (std's scaled
// by 1 / (2 std), 0 where std is 0); norm follows the tape's cases of p;
// prod uses the product of the other elements, computed without dividing
// by a zero (a slice with one zero sends its gradient to that zero, one
// with several zeros gets none), in one data-independent formula where the
// tape picks a branch by looking at the data.
//
//===----------------------------------------------------------------------===//

#include "GradientUtils.h"

#include <cmath>

using namespace mlir;
using namespace mlir::ember;
using namespace mlir::ember::grad;

namespace {

using Grads = SmallVectorImpl<Value>;

/// The reduced dims of a reduction over `input` (wrapped, ascending).
struct Reduced {
  SmallVector<int64_t> dims;
  bool keepdim = false;
};

Reduced reducedOf(Operation *op, Value input) {
  Reduced r;
  const int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  if (auto k = dyn_cast_or_null<BoolAttr>(op->getAttr("keepdim")))
    r.keepdim = k.getValue();
  SmallVector<int64_t> given;
  if (auto d = dyn_cast_or_null<IntegerAttr>(op->getAttr("dim")))
    given.push_back(d.getInt());
  else if (auto ds = dyn_cast_or_null<DenseI64ArrayAttr>(op->getAttr("dims")))
    given.assign(ds.asArrayRef().begin(), ds.asArrayRef().end());
  SmallVector<bool> red(rank, given.empty());
  for (int64_t d : given)
    red[wrapDim(d, rank)] = true;
  for (int64_t d = 0; d < rank; ++d)
    if (red[d])
      r.dims.push_back(d);
  return r;
}

/// `t` (of the reduction's result shape) with the reduced dims back as 1.
Value restore(GradBuilder &gb, Value t, const Reduced &r, Value input) {
  ArrayRef<int64_t> in = shapeOf(input);
  if (r.keepdim || in.empty())
    return t;
  SmallVector<int64_t> shape(in.begin(), in.end());
  for (int64_t d : r.dims)
    shape[d] = 1;
  return gb.reshape(t, shape);
}

int64_t countOf(const Reduced &r, Value input) {
  int64_t n = 1;
  for (int64_t d : r.dims)
    n *= shapeOf(input)[d];
  return n;
}

/// Shared shape of the rules: `f(gb, restoredGrad, reduced)` gives the input
/// gradient in a shape that broadcasts to the input.
template <typename F>
LogicalResult reduction(Operation *op, OpBuilder &b,
                        ArrayRef<Value> resultGrads, Grads &operandGrads, F f) {
  Value x = op->getOperand(0);
  operandGrads.append(op->getNumOperands(), nullptr);
  if (!resultGrads[0] || !isFloatTensor(x.getType()))
    return success();
  GradBuilder gb(b, op->getLoc());
  Reduced r = reducedOf(op, x);
  Value g = restore(gb, resultGrads[0], r, x);
  Value d = f(gb, g, r);
  auto type = cast<RankedTensorType>(x.getType());
  operandGrads[0] =
      gb.castTo(gb.expand(d, type.getShape()), type.getElementType());
  return success();
}

/// amax/amin: g / count(x == out) where x == out.
LogicalResult extremum(Operation *op, OpBuilder &b, ArrayRef<Value> resultGrads,
                       Grads &operandGrads) {
  Value x = op->getOperand(0), y = op->getResult(0);
  return reduction(
      op, b, resultGrads, operandGrads,
      [&](GradBuilder &gb, Value g, const Reduced &r) -> Value {
        Value mask = gb.create<EqOp>({x, restore(gb, y, r, x)});
        Type elem = cast<RankedTensorType>(x.getType()).getElementType();
        Value count = gb.sum(gb.castTo(mask, elem), r.dims, /*keepdim=*/true);
        return gb.keepWhere(mask, gb.div(g, count));
      });
}

/// max_dim/min_dim: the gradient where the position along `dim` is the
/// index taken.
LogicalResult valueAtIndex(Operation *op, OpBuilder &b,
                           ArrayRef<Value> resultGrads, Grads &operandGrads) {
  Value x = op->getOperand(0), indices = op->getResult(1);
  return reduction(
      op, b, resultGrads, operandGrads,
      [&](GradBuilder &gb, Value g, const Reduced &r) -> Value {
        ArrayRef<int64_t> in = shapeOf(x);
        if (in.empty())
          return g;
        const int64_t d = r.dims[0];
        // The positions 0..n-1 along d, shaped [1, .., n, .., 1].
        SmallVector<int64_t> shape(in.size(), 1);
        shape[d] = in[d];
        SmallVector<int64_t> iota(in[d]);
        for (int64_t i = 0; i < in[d]; ++i)
          iota[i] = i;
        auto type = RankedTensorType::get(shape, gb.builder().getI64Type());
        Value pos = gb.builder().create<ConstantOp>(
            gb.location(), DenseElementsAttr::get(type, ArrayRef(iota)));
        Value hit = gb.create<EqOp>({pos, restore(gb, indices, r, x)});
        return gb.keepWhere(hit, gb.expand(g, shapeOf(hit)));
      });
}

} // namespace

LogicalResult SumOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                   Grads &operandGrads) {
  return reduction(*this, b, resultGrads, operandGrads,
                   [](GradBuilder &, Value g, const Reduced &) { return g; });
}

LogicalResult MeanOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                    Grads &operandGrads) {
  Value x = getInput();
  return reduction(*this, b, resultGrads, operandGrads,
                   [&](GradBuilder &gb, Value g, const Reduced &r) {
                     return gb.div(
                         g, gb.scalar(g, static_cast<double>(countOf(r, x))));
                   });
}

LogicalResult AmaxOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                    Grads &operandGrads) {
  return extremum(*this, b, resultGrads, operandGrads);
}
LogicalResult AminOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                    Grads &operandGrads) {
  return extremum(*this, b, resultGrads, operandGrads);
}

LogicalResult MaxDimOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                      Grads &operandGrads) {
  return valueAtIndex(*this, b, resultGrads, operandGrads);
}
LogicalResult MinDimOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                      Grads &operandGrads) {
  return valueAtIndex(*this, b, resultGrads, operandGrads);
}

LogicalResult LogsumexpOp::buildGradient(OpBuilder &b,
                                         ArrayRef<Value> resultGrads,
                                         Grads &operandGrads) {
  Value x = getInput(), y = getResult();
  return reduction(*this, b, resultGrads, operandGrads,
                   [&](GradBuilder &gb, Value g, const Reduced &r) {
                     Value shifted = gb.sub(x, restore(gb, y, r, x));
                     return gb.mul(g, gb.create<ExpOp>({shifted}));
                   });
}

/// The dims a softmax along `dim` of `x` reduces (none for a 0-d input).
static SmallVector<int64_t> softmaxDims(Value x, int64_t dim) {
  SmallVector<int64_t> dims;
  if (!shapeOf(x).empty())
    dims.push_back(wrapDim(dim, cast<RankedTensorType>(x.getType()).getRank()));
  return dims;
}

LogicalResult SoftmaxOp::buildGradient(OpBuilder &b,
                                       ArrayRef<Value> resultGrads,
                                       Grads &operandGrads) {
  // dx = y g - y sum(y g)
  return singleInputRule(*this, b, resultGrads, operandGrads,
                         [&](GradBuilder &gb, Value x, Value g) {
                           Value y = getResult(), gy = gb.mul(g, y);
                           Value s = gb.sum(gy, softmaxDims(x, getDim()),
                                            /*keepdim=*/true);
                           return gb.sub(gy, gb.mul(y, s));
                         });
}

LogicalResult LogSoftmaxOp::buildGradient(OpBuilder &b,
                                          ArrayRef<Value> resultGrads,
                                          Grads &operandGrads) {
  // dx = g - exp(y) sum(g)
  return singleInputRule(
      *this, b, resultGrads, operandGrads,
      [&](GradBuilder &gb, Value x, Value g) {
        Value s = gb.sum(g, softmaxDims(x, getDim()), /*keepdim=*/true);
        return gb.sub(g, gb.mul(gb.create<ExpOp>({getResult()}), s));
      });
}

namespace {

Value meanKept(GradBuilder &gb, Value x, const Reduced &r) {
  return gb.create<MeanOp>(
      {x}, {gb.i64s("dims", r.dims),
            gb.attr("keepdim", gb.builder().getBoolAttr(true))});
}

/// var's input gradient given the (restored) gradient of var.
Value varBackward(GradBuilder &gb, Operation *op, Value x, const Reduced &r,
                  Value g) {
  int64_t correction = 1;
  if (auto c = dyn_cast_or_null<IntegerAttr>(op->getAttr("correction")))
    correction = c.getInt();
  const double dof = static_cast<double>(countOf(r, x) - correction);
  Value centered = gb.sub(x, meanKept(gb, x, r));
  return gb.mul(gb.mul(g, centered), 2.0 / dof);
}

} // namespace

LogicalResult VarOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                   Grads &operandGrads) {
  Operation *op = *this;
  Value x = getInput();
  return reduction(op, b, resultGrads, operandGrads,
                   [&](GradBuilder &gb, Value g, const Reduced &r) {
                     return varBackward(gb, op, x, r, g);
                   });
}

LogicalResult StdOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                   Grads &operandGrads) {
  Operation *op = *this;
  Value x = getInput(), y = getResult();
  return reduction(op, b, resultGrads, operandGrads,
                   [&](GradBuilder &gb, Value g, const Reduced &r) {
                     Value out = restore(gb, y, r, x);
                     Value isZero = gb.create<EqOp>({out, gb.scalar(out, 0.0)});
                     Value gVar =
                         gb.zeroWhere(isZero, gb.div(g, gb.mul(out, 2.0)));
                     return varBackward(gb, op, x, r, gVar);
                   });
}

LogicalResult NormOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                    Grads &operandGrads) {
  const double p = scalarOf(getPAttr(), 2.0);
  Value x = getInput(), y = getResult();
  return reduction(
      *this, b, resultGrads, operandGrads,
      [&](GradBuilder &gb, Value g, const Reduced &r) -> Value {
        Value n = restore(gb, y, r, x);
        Value nZero = gb.create<EqOp>({n, gb.scalar(n, 0.0)});
        Value sign = gb.create<SignOp>({x});
        Value ax = gb.create<AbsOp>({x});
        auto powOf = [&](Value v, double e) {
          return gb.create<PowOp>({v, gb.scalar(v, e)});
        };
        if (p == 0.0)
          return gb.zeros(x.getType());
        if (p == 1.0)
          return gb.mul(sign, g);
        if (p == 2.0)
          return gb.mul(g, gb.zeroWhere(nZero, gb.div(x, n)));
        if (std::isinf(p)) {
          // As amax(abs(x)), NaNs counted as the extremum.
          Value mask = gb.create<LogicalOrOp>(
              {gb.create<EqOp>({ax, n}), gb.create<NeOp>({ax, ax})});
          Type elem = cast<RankedTensorType>(x.getType()).getElementType();
          Value count = gb.sum(gb.castTo(mask, elem), r.dims, /*keepdim=*/true);
          return gb.mul(sign, gb.keepWhere(mask, gb.div(g, count)));
        }
        if (p < 1.0) {
          Value xZero = gb.create<EqOp>({x, gb.scalar(x, 0.0)});
          Value scaled = gb.mul(sign, gb.zeroWhere(xZero, powOf(ax, p - 1)));
          return gb.mul(gb.mul(scaled, g), powOf(n, 1 - p));
        }
        Value scaled = p < 2.0 ? gb.mul(sign, powOf(ax, p - 1))
                               : gb.mul(x, powOf(ax, p - 2));
        Value scale = gb.zeroWhere(nZero, gb.div(g, powOf(n, p - 1)));
        return gb.mul(scaled, scale);
      });
}

LogicalResult ProdOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                    Grads &operandGrads) {
  Value x = getInput();
  return reduction(
      *this, b, resultGrads, operandGrads,
      [&](GradBuilder &gb, Value g, const Reduced &r) -> Value {
        Type elem = cast<RankedTensorType>(x.getType()).getElementType();
        Value zero = gb.create<EqOp>({x, gb.scalar(x, 0.0)});
        Value safe = gb.create<WhereOp>({zero, gb.scalar(x, 1.0), x});
        // The product of the non-zero elements, and the number of zeros.
        Value others = safe;
        if (!r.dims.empty())
          others = gb.create<ProdOp>(
              {safe}, {gb.i64s("dims", r.dims),
                       gb.attr("keepdim", gb.builder().getBoolAttr(true))});
        Value count = gb.sum(gb.castTo(zero, elem), r.dims, /*keepdim=*/true);
        Value none = gb.create<EqOp>({count, gb.scalar(count, 0.0)});
        Value one = gb.create<EqOp>({count, gb.scalar(count, 1.0)});
        // No zero in the slice: out / x; at the one zero: the others'
        // product; everywhere else 0.
        Value atNonZero = gb.keepWhere(none, gb.div(others, safe));
        Value atZero = gb.keepWhere(one, others);
        Value d = gb.create<WhereOp>({zero, atZero, atNonZero});
        return gb.mul(g, d);
      });
}

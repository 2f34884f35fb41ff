//===- Factory.cpp - literals, factories, random ops ----------------------===//
//
// ember.constant (type inference from its literal, verifier, folder), and
// the shape/dtype rules of the factories (frontend/src/ops/factory.cpp) and
// the random ops (frontend/src/ops/random.cpp).
//
//===----------------------------------------------------------------------===//

#include "TypeRules.h"

#include "ember/IR/EmberOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::ember;

//===----------------------------------------------------------------------===//
// ember.constant
//===----------------------------------------------------------------------===//

/// The literal of ember.constant must be a ranked tensor of an ember dtype.
static LogicalResult checkConstantValue(DenseElementsAttr value,
                                        EmitErrorFn emitError) {
  if (!value)
    return emitError() << "requires a dense tensor literal 'value'";
  if (!isEmberTensorType(value.getType()))
    return emitError() << "value must be a ranked tensor of f32, f64, i32, "
                          "i64, i1 or ui8, got "
                       << value.getType();
  return success();
}

LogicalResult
ConstantOp::inferReturnTypes(MLIRContext *, std::optional<Location> location,
                             ValueRange, DictionaryAttr attributes,
                             OpaqueProperties, RegionRange,
                             SmallVectorImpl<Type> &inferredReturnTypes) {
  auto value = dyn_cast_or_null<DenseElementsAttr>(
      attributes ? attributes.get("value") : Attribute());
  auto emitError = [&]() -> InFlightDiagnostic {
    if (!location)
      return InFlightDiagnostic();
    return mlir::emitError(*location)
           << "'" << ConstantOp::getOperationName() << "' op ";
  };
  if (failed(checkConstantValue(value, emitError)))
    return failure();
  inferredReturnTypes.push_back(value.getType());
  return success();
}

LogicalResult ConstantOp::verify() {
  return checkConstantValue(getValueAttr(), [&] { return emitOpError(); });
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValueAttr(); }

//===----------------------------------------------------------------------===//
// Factories
//===----------------------------------------------------------------------===//

LogicalResult rules::factory(const RuleInput &in,
                             SmallVectorImpl<ResultSpec> &results) {
  FailureOr<Type> dtype = in.requireDType("dtype");
  if (failed(dtype))
    return failure();
  SmallVector<int64_t> shape;
  if (in.op == "empty" || in.op == "full" || in.op == "randint") {
    FailureOr<ArrayRef<int64_t>> size = in.requireI64Array("size");
    if (failed(size))
      return failure();
    for (int64_t dim : *size)
      if (dim < 0)
        return in.emitError() << "negative dimension " << dim << " in size ["
                              << formatShape(*size) << "]";
    shape.assign(size->begin(), size->end());
    if (in.op == "randint") {
      FailureOr<int64_t> low = in.requireI64("low");
      FailureOr<int64_t> high = in.requireI64("high");
      if (failed(low) || failed(high))
        return failure();
      if (*low >= *high)
        return in.emitError() << "expects low < high, got low=" << *low
                              << " and high=" << *high;
    }
  } else if (in.op == "arange") {
    std::optional<double> start = in.scalar("start"), end = in.scalar("end"),
                          step = in.scalar("step");
    if (!start || !end || !step)
      return in.emitError() << "requires scalar attributes 'start', 'end' "
                               "and 'step'";
    if (*step == 0)
      return in.emitError() << "step must be nonzero";
    if (!std::isfinite(*start) || !std::isfinite(*end))
      return in.emitError()
             << "unsupported range: " << *start << " -> " << *end;
    if ((*step > 0 && *end < *start) || (*step < 0 && *end > *start))
      return in.emitError() << "upper bound and larger bound inconsistent "
                               "with step sign";
    shape.push_back(static_cast<int64_t>(std::ceil((*end - *start) / *step)));
  } else if (in.op == "linspace") {
    FailureOr<int64_t> steps = in.requireI64("steps");
    if (failed(steps))
      return failure();
    if (*steps < 0)
      return in.emitError()
             << "number of steps must be non-negative, got " << *steps;
    shape.push_back(*steps);
  } else if (in.op == "eye") {
    FailureOr<int64_t> n = in.requireI64("n"), m = in.requireI64("m");
    if (failed(n) || failed(m))
      return failure();
    if (*n < 0 || *m < 0)
      return in.emitError()
             << "n and m must be non-negative, got " << *n << " and " << *m;
    shape = {*n, *m};
  } else if (in.op == "randperm") {
    FailureOr<int64_t> n = in.requireI64("n");
    if (failed(n))
      return failure();
    if (*n < 0)
      return in.emitError() << "n must be non-negative, got " << *n;
    if (isBoolType(*dtype))
      return in.emitError() << "is not implemented for dtype i1 (bool)";
    shape.push_back(*n);
  }
  results.push_back(result(shape, *dtype));
  return success();
}

//===----------------------------------------------------------------------===//
// Random ops
//===----------------------------------------------------------------------===//

LogicalResult rules::randomInplace(const RuleInput &in,
                                   SmallVectorImpl<ResultSpec> &results) {
  if (!isFloatType(in.elementType(0)))
    return in.emitError() << "expects a floating point tensor, got "
                          << in.operand(0);
  if (in.op == "uniform_") {
    std::optional<double> from = in.scalar("from"), to = in.scalar("to");
    if (from && to && !(*from <= *to))
      return in.emitError()
             << "expects from <= to, got from=" << *from << " and to=" << *to;
  } else if (std::optional<double> std = in.scalar("std"); std && *std < 0) {
    return in.emitError() << "expects std >= 0, got " << *std;
  }
  results.push_back(result(in.shape(0), in.elementType(0)));
  return success();
}

LogicalResult rules::bernoulli(const RuleInput &in,
                               SmallVectorImpl<ResultSpec> &results) {
  if (!isFloatType(in.elementType(0)))
    return in.emitError() << "expects a floating point tensor of "
                             "probabilities, got "
                          << in.operand(0);
  if (in.operands.size() != 1 && in.operands.size() != 4)
    return in.emitError() << "expects p, or p and the generator state (offset "
                             "base, seed low, seed high), got "
                          << in.operands.size() << " operands";
  for (size_t i = 1; i < in.operands.size(); ++i)
    if (!in.shape(i).empty() || !in.elementType(i).isF64())
      return in.emitError() << "expects the generator state as 0-d f64 "
                               "tensors, got "
                            << in.operand(i);
  results.push_back(result(in.shape(0), in.elementType(0)));
  return success();
}

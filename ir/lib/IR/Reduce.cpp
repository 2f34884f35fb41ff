//===- Reduce.cpp - reductions and softmax: rules -------------------------===//
//
// Shape/dtype rules of the reductions and the softmax family
// (frontend/src/ops/reduce.cpp, softmax.cpp).
//
//===----------------------------------------------------------------------===//

#include "TypeRules.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::ember;

/// The dims a reduction names, wrapped and sorted (empty: all dims).
static FailureOr<SmallVector<int64_t>> reductionDims(const RuleInput &in,
                                                     ArrayRef<int64_t> dims) {
  int64_t rank = in.rank(0);
  SmallVector<int64_t> result;
  if (dims.empty()) {
    for (int64_t d = 0; d < rank; ++d)
      result.push_back(d);
    return result;
  }
  for (int64_t dim : dims) {
    FailureOr<int64_t> wrapped = in.wrapDim(dim, rank);
    if (failed(wrapped))
      return failure();
    if (llvm::is_contained(result, *wrapped))
      return in.emitError()
             << "dim " << *wrapped << " appears more than once in the dims";
    if (rank > 0)
      result.push_back(*wrapped);
  }
  llvm::sort(result);
  return result;
}

static LogicalResult requireFloat(const RuleInput &in) {
  if (isFloatType(in.elementType(0)))
    return success();
  return in.emitError() << "expects a floating point operand, got "
                        << in.operand(0);
}

LogicalResult rules::reduce(const RuleInput &in,
                            SmallVectorImpl<ResultSpec> &results) {
  FailureOr<SmallVector<int64_t>> dims =
      reductionDims(in, in.i64Array("dims").value_or(ArrayRef<int64_t>()));
  if (failed(dims))
    return failure();
  SmallVector<int64_t> shape =
      reducedShape(in.shape(0), *dims, in.boolOr("keepdim", false));
  Type element = in.elementType(0);
  auto widened = [&](Type t) -> Type {
    return isFloatType(t) ? t : IntegerType::get(in.context, 64);
  };
  if (in.op == "sum") {
    Type dtype = in.dtype("dtype");
    results.push_back(result(shape, dtype ? dtype : widened(element)));
  } else if (in.op == "prod") {
    results.push_back(result(shape, widened(element)));
  } else if (in.op == "logsumexp") {
    results.push_back(result(shape, floatCandidates(element)));
  } else if (in.op == "amax" || in.op == "amin") {
    results.push_back(result(shape, element));
  } else { // mean, var, std, norm
    if (failed(requireFloat(in)))
      return failure();
    if (in.op == "norm" && !in.scalar("p"))
      return in.emitError() << "requires a scalar attribute 'p'";
    results.push_back(result(shape, element));
  }
  return success();
}

LogicalResult rules::reduceWithIndices(const RuleInput &in,
                                       SmallVectorImpl<ResultSpec> &results) {
  bool values = in.op == "max_dim" || in.op == "min_dim";
  if (!values && isBoolType(in.elementType(0)))
    return in.emitError() << "is not implemented for bool tensors (got "
                          << in.operand(0) << ")";
  bool keepdim = in.boolOr("keepdim", false);
  SmallVector<int64_t> shape;
  if (std::optional<int64_t> dim = in.i64("dim")) {
    FailureOr<SmallVector<int64_t>> dims = reductionDims(in, *dim);
    if (failed(dims))
      return failure();
    shape = reducedShape(in.shape(0), *dims, keepdim);
  } else if (values) {
    return in.emitError() << "requires an i64 attribute 'dim'";
  } else if (keepdim) { // the index into the flattened tensor
    shape.assign(in.rank(0), 1);
  }
  Type i64 = IntegerType::get(in.context, 64);
  if (values)
    results.push_back(result(shape, in.elementType(0)));
  results.push_back(result(shape, i64));
  return success();
}

LogicalResult rules::softmax(const RuleInput &in,
                             SmallVectorImpl<ResultSpec> &results) {
  if (failed(requireFloat(in)))
    return failure();
  FailureOr<int64_t> dim = in.requireI64("dim");
  if (failed(dim) || failed(in.wrapDim(*dim, in.rank(0))))
    return failure();
  results.push_back(result(in.shape(0), in.elementType(0)));
  return success();
}

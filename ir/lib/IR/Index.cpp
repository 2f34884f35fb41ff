//===- Index.cpp - indexing ops: rules ------------------------------------===//
//
// Shape/dtype rules of gather, scatter_add, index_select, index_tensor,
// index_put_ and one_hot (frontend/src/ops/index.cpp). Advanced indexing
// follows make_advanced_index: integer index tensors broadcast together; a
// bool/ui8 mask stands for as many index vectors as it has dims, whose
// length (its number of true elements) is unknown here (a dynamic dim).
// The index operands cover the leading dims of the input in order (no
// "absent" slots in the IR), so the indexed dims are always adjacent and the
// result is the broadcast index shape followed by the unindexed dims.
//
//===----------------------------------------------------------------------===//

#include "TypeRules.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::ember;

static bool isI64(Type type) { return type.isSignlessInteger(64); }

/// max(rank, 1): a 0-d tensor counts as 1-D in gather and scatter.
static int64_t nonemptyRank(ArrayRef<int64_t> shape) {
  return std::max<int64_t>(shape.size(), 1);
}

LogicalResult rules::gather(const RuleInput &in,
                            SmallVectorImpl<ResultSpec> &results) {
  if (!isI64(in.elementType(1)))
    return in.emitError() << "expects an i64 index, got " << in.operand(1);
  FailureOr<int64_t> dim = in.requireI64("dim");
  if (failed(dim) || failed(in.wrapDim(*dim, in.rank(0))))
    return failure();
  if (nonemptyRank(in.shape(1)) != nonemptyRank(in.shape(0)))
    return in.emitError() << "index must have the input's rank (index "
                          << formatShape(in.shape(1)) << ", input "
                          << formatShape(in.shape(0)) << ")";
  results.push_back(result(in.shape(1), in.elementType(0)));
  return success();
}

LogicalResult rules::scatterAdd(const RuleInput &in,
                                SmallVectorImpl<ResultSpec> &results) {
  if (!isI64(in.elementType(1)))
    return in.emitError() << "expects an i64 index, got " << in.operand(1);
  if (in.elementType(2) != in.elementType(0))
    return in.emitError() << "expects src of the input's element type "
                          << in.elementType(0) << ", got " << in.elementType(2);
  FailureOr<int64_t> dim = in.requireI64("dim");
  if (failed(dim) || failed(in.wrapDim(*dim, in.rank(0))))
    return failure();
  if (nonemptyRank(in.shape(1)) != nonemptyRank(in.shape(0)) ||
      nonemptyRank(in.shape(2)) != nonemptyRank(in.shape(0)))
    return in.emitError() << "index, input and src must have one rank (index "
                          << formatShape(in.shape(1)) << ", input "
                          << formatShape(in.shape(0)) << ", src "
                          << formatShape(in.shape(2)) << ")";
  results.push_back(result(in.shape(0), in.elementType(0)));
  return success();
}

LogicalResult rules::indexSelect(const RuleInput &in,
                                 SmallVectorImpl<ResultSpec> &results) {
  Type index = in.elementType(1);
  if (!isI64(index) && !index.isSignlessInteger(32))
    return in.emitError() << "expects an i64 or i32 index, got "
                          << in.operand(1);
  if (in.rank(1) > 1)
    return in.emitError() << "expects a 0-d or 1-D index, got "
                          << in.operand(1);
  FailureOr<int64_t> dim = in.requireI64("dim");
  if (failed(dim))
    return failure();
  FailureOr<int64_t> d = in.wrapDim(*dim, in.rank(0));
  if (failed(d))
    return failure();
  SmallVector<int64_t> shape(in.shape(0));
  if (!shape.empty())
    shape[*d] = in.rank(1) == 0 ? 1 : in.shape(1)[0];
  results.push_back(result(shape, in.elementType(0)));
  return success();
}

/// The shape of x[indices...], indices being operands [first, end).
static FailureOr<SmallVector<int64_t>> advancedIndexShape(const RuleInput &in,
                                                          size_t first) {
  ArrayRef<int64_t> self = in.shape(0);
  SmallVector<int64_t> broadcast;
  int64_t indexed = 0; // dims of self consumed
  bool any = false;
  for (size_t i = first; i < in.operands.size(); ++i) {
    Type element = in.elementType(i);
    SmallVector<int64_t> indexShape;
    int64_t consumed = 1;
    if (isBoolType(element) || element.isUnsignedInteger(8)) {
      consumed = std::max<int64_t>(in.rank(i), 0);
      if (indexed + consumed > static_cast<int64_t>(self.size()))
        return in.emitError()
               << "too many indices for a tensor of rank " << self.size();
      for (int64_t j = 0; j < consumed; ++j)
        if (failed(verifyCompatibleShape(in.shape(i)[j], self[indexed + j])))
          return in.emitError()
                 << "the mask's shape " << formatShape(in.shape(i))
                 << " does not match the indexed tensor's shape "
                 << formatShape(self) << " at dim " << indexed + j;
      indexShape.push_back(ShapedType::kDynamic);
    } else if (isI64(element) || element.isSignlessInteger(32)) {
      indexShape.assign(in.shape(i).begin(), in.shape(i).end());
    } else {
      return in.emitError() << "expects i64, i32, ui8 or i1 index tensors, got "
                            << in.operand(i) << " at position " << i - first;
    }
    if (!any) {
      broadcast = indexShape;
    } else {
      FailureOr<SmallVector<int64_t>> joined =
          broadcastShapes(broadcast, indexShape);
      if (failed(joined))
        return in.emitError()
               << "indexing tensors cannot be broadcast "
                  "together: "
               << formatShape(broadcast) << " and " << formatShape(indexShape);
      broadcast = *joined;
    }
    any = true;
    indexed += consumed;
  }
  if (!any)
    return in.emitError() << "expects at least one index tensor";
  if (indexed > static_cast<int64_t>(self.size()))
    return in.emitError() << "too many indices for a tensor of rank "
                          << self.size() << " (got " << indexed << ")";
  // The indices fill the leading dims, so the indexed dims are adjacent.
  SmallVector<int64_t> shape = broadcast;
  llvm::append_range(shape, self.drop_front(indexed));
  return shape;
}

LogicalResult rules::indexTensor(const RuleInput &in,
                                 SmallVectorImpl<ResultSpec> &results) {
  FailureOr<SmallVector<int64_t>> shape = advancedIndexShape(in, 1);
  if (failed(shape))
    return failure();
  results.push_back(result(*shape, in.elementType(0)));
  return success();
}

LogicalResult rules::indexPutInplace(const RuleInput &in,
                                     SmallVectorImpl<ResultSpec> &results) {
  if (in.elementType(1) != in.elementType(0))
    return in.emitError() << "expects values of self's element type "
                          << in.elementType(0) << ", got " << in.elementType(1);
  FailureOr<SmallVector<int64_t>> shape = advancedIndexShape(in, 2);
  if (failed(shape))
    return failure();
  FailureOr<SmallVector<int64_t>> joined = broadcastShapes(in.shape(1), *shape);
  if (failed(joined) || failed(verifyCompatibleShape(*joined, *shape)))
    return in.emitError() << "values of shape " << formatShape(in.shape(1))
                          << " cannot be broadcast to the indexing result's "
                             "shape "
                          << formatShape(*shape);
  results.push_back(result(in.shape(0), in.elementType(0)));
  return success();
}

LogicalResult rules::oneHot(const RuleInput &in,
                            SmallVectorImpl<ResultSpec> &results) {
  if (!isI64(in.elementType(0)))
    return in.emitError() << "expects an i64 tensor of class indices, got "
                          << in.operand(0);
  FailureOr<int64_t> classes = in.requireI64("num_classes");
  if (failed(classes))
    return failure();
  if (*classes < -1)
    return in.emitError() << "num_classes must be -1 (inferred) or "
                             "non-negative, got "
                          << *classes;
  SmallVector<int64_t> shape(in.shape(0));
  shape.push_back(*classes == -1 ? ShapedType::kDynamic : *classes);
  results.push_back(result(shape, in.elementType(0)));
  return success();
}

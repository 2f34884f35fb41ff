//===- Linalg.cpp - mm, bmm, matmul: rules --------------------------------===//
//
// Shape/dtype rules of the matrix products (frontend/src/ops/linalg.cpp):
// one element type for both operands (no promotion), not bool.
//
//===----------------------------------------------------------------------===//

#include "TypeRules.h"

using namespace mlir;
using namespace mlir::ember;

/// Two dims that must agree (a dynamic one agrees with anything).
static bool dimsAgree(int64_t a, int64_t b) {
  return a == b || ShapedType::isDynamic(a) || ShapedType::isDynamic(b);
}

LogicalResult rules::matrixProduct(const RuleInput &in,
                                   SmallVectorImpl<ResultSpec> &results) {
  ArrayRef<int64_t> a = in.shape(0), b = in.shape(1);
  auto shapes = [&] { return formatShape(a) + " and " + formatShape(b); };
  if (in.op == "mm" && (a.size() != 2 || b.size() != 2))
    return in.emitError() << "expects 2-D operands, got " << shapes();
  if (in.op == "bmm" && (a.size() != 3 || b.size() != 3))
    return in.emitError() << "expects 3-D operands, got " << shapes();
  if (a.empty() || b.empty())
    return in.emitError() << "expects operands of rank >= 1, got " << shapes();
  if (in.elementType(0) != in.elementType(1))
    return in.emitError() << "expects operands of one element type, got "
                          << in.elementType(0) << " and " << in.elementType(1);
  if (isBoolType(in.elementType(0)))
    return in.emitError() << "is not implemented for bool operands";

  int64_t k = a.back();
  int64_t kb = b.size() == 1 ? b[0] : b[b.size() - 2];
  if (!dimsAgree(k, kb))
    return in.emitError() << "contracting dimensions differ (" << k << " vs "
                          << kb << "): shapes " << shapes();
  if (in.op == "bmm" && !dimsAgree(a[0], b[0]))
    return in.emitError() << "batch sizes differ: shapes " << shapes();

  // Batch dims broadcast; a 1-D operand's vector dim leaves the result.
  ArrayRef<int64_t> batchA = a.drop_back(std::min<size_t>(a.size(), 2));
  ArrayRef<int64_t> batchB = b.drop_back(std::min<size_t>(b.size(), 2));
  FailureOr<SmallVector<int64_t>> shape = broadcastShapes(batchA, batchB);
  if (failed(shape))
    return in.emitError() << "batch dimensions are not broadcast-compatible: "
                          << "shapes " << shapes();
  if (a.size() > 1)
    shape->push_back(a[a.size() - 2]);
  if (b.size() > 1)
    shape->push_back(b.back());
  results.push_back(result(*shape, in.elementType(0)));
  return success();
}

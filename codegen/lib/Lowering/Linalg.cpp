//===- Linalg.cpp - lowering of ember's matrix products -------------------===//
//
// mm -> linalg.matmul, bmm -> linalg.batch_matmul, and matmul (torch.matmul's
// cases): 1-D x 1-D -> linalg.dot, 2-D x 2-D -> linalg.matmul, 1-D x 2-D ->
// linalg.vecmat, 2-D x 1-D -> linalg.matvec; with a 3-D or higher operand,
// a 1-D lhs becomes [1, k] and a 1-D rhs [k, 1], both operands are broadcast
// (a copying linalg.generic) to the broadcast batch shape, the batch dims are
// collapsed into one for linalg.batch_matmul, and the product is reshaped to
// the result type. Accumulation starts from a linalg.fill of 0 and runs in
// the result type, sequentially over k (eager's BLAS may block and reorder
// the sum). Bool products have no lowering (linalg would xor, not or).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

using namespace mlir;
using namespace mlir::ember;
using namespace mlir::ember::lowering;

namespace {

/// `v` with element type `t` (a converting generic if needed).
Value toElementType(OpBuilder &b, Location loc, Value v, Type t) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getElementType() == t)
    return v;
  return buildElementwise(b, loc, RankedTensorType::get(type.getShape(), t), v,
                          [&](OpBuilder &nb, Location l, ValueRange args) {
                            return convertScalar(nb, l, args[0], t);
                          });
}

/// `v` broadcast (numpy rules) to `shape`.
Value broadcastTo(OpBuilder &b, Location loc, Value v,
                  ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getShape() == shape)
    return v;
  return buildElementwise(
      b, loc, RankedTensorType::get(shape, type.getElementType()), v,
      [](OpBuilder &, Location, ValueRange args) { return args[0]; });
}

Value zeros(OpBuilder &b, Location loc, ArrayRef<int64_t> shape, Type t) {
  return buildFilled(b, loc, shape, scalarConstant(b, loc, t, 0.0));
}

template <typename LinalgOp>
Value contract(OpBuilder &b, Location loc, Value lhs, Value rhs,
               ArrayRef<int64_t> shape, Type t) {
  return b
      .create<LinalgOp>(loc, ValueRange{lhs, rhs},
                        ValueRange{zeros(b, loc, shape, t)})
      .getResult(0);
}

/// Bool products have no lowering; operands are at least 1-D.
bool acceptsMatrix(Operation *op) {
  auto rank = [&](unsigned i) {
    return cast<RankedTensorType>(op->getOperand(i).getType()).getRank();
  };
  return !resultType(op).getElementType().isInteger(1) && rank(0) > 0 &&
         rank(1) > 0;
}

FailureOr<Value> lowerMatrix(ConversionPatternRewriter &rewriter, Operation *op,
                             ValueRange operands) {
  StringRef name = op->getName().stripDialect();
  Location loc = op->getLoc();
  RankedTensorType type = resultType(op);
  Type t = type.getElementType();
  if (t.isInteger(1))
    return failure();
  Value lhs = toElementType(rewriter, loc, operands[0], t);
  Value rhs = toElementType(rewriter, loc, operands[1], t);
  ArrayRef<int64_t> lhsShape = cast<RankedTensorType>(lhs.getType()).getShape();
  ArrayRef<int64_t> rhsShape = cast<RankedTensorType>(rhs.getType()).getShape();
  int64_t lr = lhsShape.size(), rr = rhsShape.size();
  if (lr == 0 || rr == 0)
    return failure();
  if ((name == "mm" && (lr != 2 || rr != 2)) ||
      (name == "bmm" && (lr != 3 || rr != 3)))
    return failure();

  if (lr == 1 && rr == 1)
    return contract<linalg::DotOp>(rewriter, loc, lhs, rhs, {}, t);
  if (lr == 2 && rr == 2)
    return contract<linalg::MatmulOp>(rewriter, loc, lhs, rhs, type.getShape(),
                                      t);
  if (lr == 1 && rr == 2)
    return contract<linalg::VecmatOp>(rewriter, loc, lhs, rhs, type.getShape(),
                                      t);
  if (lr == 2 && rr == 1)
    return contract<linalg::MatvecOp>(rewriter, loc, lhs, rhs, type.getShape(),
                                      t);

  // Batched: make both operands at least 2-D.
  SmallVector<int64_t> lhsMat(lhsShape), rhsMat(rhsShape);
  if (lr == 1)
    lhsMat.insert(lhsMat.begin(), 1);
  if (rr == 1)
    rhsMat.push_back(1);
  ArrayRef<int64_t> lhsBatch = ArrayRef<int64_t>(lhsMat).drop_back(2);
  ArrayRef<int64_t> rhsBatch = ArrayRef<int64_t>(rhsMat).drop_back(2);
  int64_t batchRank = std::max(lhsBatch.size(), rhsBatch.size());
  SmallVector<int64_t> batch(batchRank, 1);
  for (int64_t i = 0; i < batchRank; ++i) {
    auto at = [&](ArrayRef<int64_t> s) -> int64_t {
      int64_t j = i - (batchRank - static_cast<int64_t>(s.size()));
      return j < 0 ? 1 : s[j];
    };
    int64_t a = at(lhsBatch), c = at(rhsBatch);
    if (a != c && a != 1 && c != 1)
      return failure();
    batch[i] = a == 1 ? c : a;
  }
  int64_t n = lhsMat[lhsMat.size() - 2], k = lhsMat.back();
  int64_t m = rhsMat.back();
  if (rhsMat[rhsMat.size() - 2] != k)
    return failure();
  int64_t batchSize = 1;
  for (int64_t d : batch)
    batchSize *= d;
  auto withMatrix = [&](int64_t rows, int64_t cols) {
    SmallVector<int64_t> shape(batch);
    shape.push_back(rows);
    shape.push_back(cols);
    return shape;
  };
  lhs = reshapeTo(rewriter, loc, lhs, RankedTensorType::get(lhsMat, t));
  rhs = reshapeTo(rewriter, loc, rhs, RankedTensorType::get(rhsMat, t));
  lhs = broadcastTo(rewriter, loc, lhs, withMatrix(n, k));
  rhs = broadcastTo(rewriter, loc, rhs, withMatrix(k, m));
  lhs = reshapeTo(rewriter, loc, lhs,
                  RankedTensorType::get({batchSize, n, k}, t));
  rhs = reshapeTo(rewriter, loc, rhs,
                  RankedTensorType::get({batchSize, k, m}, t));
  Value product = contract<linalg::BatchMatmulOp>(rewriter, loc, lhs, rhs,
                                                  {batchSize, n, m}, t);
  return reshapeTo(rewriter, loc, product, type);
}

} // namespace

void lowering::populateLinalgPatterns(RewritePatternSet &patterns) {
  for (StringRef name : {"mm", "bmm", "matmul"})
    addLowering(patterns, name, lowerMatrix, acceptsMatrix);
}

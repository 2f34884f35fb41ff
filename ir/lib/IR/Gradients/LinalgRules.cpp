//===- LinalgRules.cpp - gradients of mm, bmm and matmul ------------------===//
//
// C = A B gives dA = dC B^T and dB = A^T dC (eager: rules_linalg.cpp). The
// transposes stay ember.transpose (the canonical form the lowering matches).
// matmul: a 1-D lhs is taken as [1, K] and a 1-D rhs as [K, 1] (the result
// gradient gets the dropped dim back); batch dims broadcast, so each
// gradient is summed down to its operand's shape (GradBuilder::sumTo), then
// reshaped back to 1-D where the operand was.
//
//===----------------------------------------------------------------------===//

#include "GradientUtils.h"

using namespace mlir;
using namespace mlir::ember;
using namespace mlir::ember::grad;

namespace {

using Grads = SmallVectorImpl<Value>;

template <typename ProductOp>
LogicalResult product(Operation *op, OpBuilder &b, ArrayRef<Value> resultGrads,
                      Grads &operandGrads) {
  Value a = op->getOperand(0), c = op->getOperand(1), g = resultGrads[0];
  if (!g || !isFloatTensor(a.getType())) {
    operandGrads.append(2, nullptr);
    return success();
  }
  GradBuilder gb(b, op->getLoc());
  const int64_t ra = shapeOf(a).size(), rc = shapeOf(c).size();
  // Operands as matrices (1-D promoted), and the result gradient to match.
  Value a2 = ra == 1 ? gb.reshape(a, {1, shapeOf(a)[0]}) : a;
  Value c2 = rc == 1 ? gb.reshape(c, {shapeOf(c)[0], 1}) : c;
  Value g2 = g;
  if (ra == 1 || rc == 1) {
    SmallVector<int64_t> shape(shapeOf(g).begin(), shapeOf(g).end());
    if (ra == 1)
      shape.insert(shape.end() - (rc == 1 ? 0 : 1), 1);
    if (rc == 1)
      shape.push_back(1);
    g2 = gb.reshape(g, shape);
  }
  const int64_t r2a = shapeOf(a2).size(), r2c = shapeOf(c2).size();
  Value ga = gb.create<ProductOp>({g2, gb.transpose(c2, r2c - 2, r2c - 1)});
  Value gc = gb.create<ProductOp>({gb.transpose(a2, r2a - 2, r2a - 1), g2});
  ga = gb.sumTo(ga, a2.getType());
  gc = gb.sumTo(gc, c2.getType());
  operandGrads.push_back(gb.reshape(ga, shapeOf(a)));
  operandGrads.push_back(gb.reshape(gc, shapeOf(c)));
  return success();
}

} // namespace

LogicalResult MmOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                  Grads &operandGrads) {
  return product<MmOp>(*this, b, resultGrads, operandGrads);
}
LogicalResult BmmOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                   Grads &operandGrads) {
  return product<BmmOp>(*this, b, resultGrads, operandGrads);
}
LogicalResult MatmulOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                      Grads &operandGrads) {
  return product<MatmulOp>(*this, b, resultGrads, operandGrads);
}

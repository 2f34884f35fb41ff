//===- NNRules.cpp - gradients of conv2d and the pools --------------------===//
//
// conv2d's input and weight gradients are the dialect's own backward ops
// (ember.conv2d_backward_input / _weight, with conv2d's attributes and the
// operand shapes); the bias gradient is the result gradient summed over N,
// H and W. max_pool2d and avg_pool2d use ember.max_pool2d_backward /
// avg_pool2d_backward. The backward ops themselves have no rule (no second
// derivatives yet). An unbatched conv2d ([C, H, W]) is differentiated as a
// batch of one.
//
//===----------------------------------------------------------------------===//

#include "GradientUtils.h"

using namespace mlir;
using namespace mlir::ember;
using namespace mlir::ember::grad;

using Grads = SmallVectorImpl<Value>;

LogicalResult Conv2dOp::buildGradient(OpBuilder &b, ArrayRef<Value> resultGrads,
                                      Grads &operandGrads) {
  Value x = getInput(), w = getWeight(), bias = getBias(), g = resultGrads[0];
  operandGrads.append(getNumOperands(), nullptr);
  if (!g || !isFloatTensor(x.getType()))
    return success();
  GradBuilder gb(b, getLoc());
  // An unbatched input ([C, H, W]) is taken as a batch of one.
  const bool unbatched = shapeOf(x).size() == 3;
  Value x4 = x, g4 = g;
  if (unbatched) {
    SmallVector<int64_t> xs = {1}, gs = {1};
    xs.append(shapeOf(x).begin(), shapeOf(x).end());
    gs.append(shapeOf(g).begin(), shapeOf(g).end());
    x4 = gb.reshape(x, xs);
    g4 = gb.reshape(g, gs);
  }
  SmallVector<NamedAttribute> common = {gb.attr("stride", getStrideAttr()),
                                        gb.attr("padding", getPaddingAttr()),
                                        gb.attr("dilation", getDilationAttr()),
                                        gb.attr("groups", getGroupsAttr())};
  SmallVector<NamedAttribute> inAttrs(common), wAttrs(common);
  inAttrs.push_back(gb.i64s("input_size", shapeOf(x4)));
  wAttrs.push_back(gb.i64s("weight_size", shapeOf(w)));
  operandGrads[0] = gb.reshape(
      gb.create<Conv2dBackwardInputOp>({g4, w}, inAttrs), shapeOf(x));
  operandGrads[1] = gb.create<Conv2dBackwardWeightOp>({g4, x4}, wAttrs);
  if (bias)
    operandGrads[2] = gb.sum(g4, {0, 2, 3}, /*keepdim=*/false);
  return success();
}

// The backward ops of conv2d are linear in each operand (second
// derivatives, as eager's rules in frontend/src/autograd/rules_linalg.cpp):
// <dx, u> = <go, conv2d(u, w)>, so conv2d_backward_input(go, w) has
// d/dgo = conv2d(gg, w) and d/dw = conv2d_backward_weight(go, gg);
// <dw, v> = <go, conv2d(x, v)>, so conv2d_backward_weight(go, x) has
// d/dgo = conv2d(x, gg) and d/dx = conv2d_backward_input(go, gg).
namespace {
template <typename OpT>
SmallVector<NamedAttribute> convAttrs(GradBuilder &gb, OpT op) {
  return {gb.attr("stride", op.getStrideAttr()),
          gb.attr("padding", op.getPaddingAttr()),
          gb.attr("dilation", op.getDilationAttr()),
          gb.attr("groups", op.getGroupsAttr())};
}
} // namespace

LogicalResult Conv2dBackwardInputOp::buildGradient(OpBuilder &b,
                                                   ArrayRef<Value> resultGrads,
                                                   Grads &operandGrads) {
  Value go = getGradOutput(), w = getWeight(), g = resultGrads[0];
  operandGrads.append(getNumOperands(), nullptr);
  if (!g || !isFloatTensor(go.getType()))
    return success();
  GradBuilder gb(b, getLoc());
  SmallVector<NamedAttribute> attrs = convAttrs(gb, *this);
  operandGrads[0] = gb.create<Conv2dOp>({g, w}, attrs);
  attrs.push_back(gb.i64s("weight_size", shapeOf(w)));
  operandGrads[1] = gb.create<Conv2dBackwardWeightOp>({go, g}, attrs);
  return success();
}

LogicalResult Conv2dBackwardWeightOp::buildGradient(OpBuilder &b,
                                                    ArrayRef<Value> resultGrads,
                                                    Grads &operandGrads) {
  Value go = getGradOutput(), x = getInput(), g = resultGrads[0];
  operandGrads.append(getNumOperands(), nullptr);
  if (!g || !isFloatTensor(go.getType()))
    return success();
  GradBuilder gb(b, getLoc());
  SmallVector<NamedAttribute> attrs = convAttrs(gb, *this);
  operandGrads[0] = gb.create<Conv2dOp>({x, g}, attrs);
  attrs.push_back(gb.i64s("input_size", shapeOf(x)));
  operandGrads[1] = gb.create<Conv2dBackwardInputOp>({go, g}, attrs);
  return success();
}

// avg_pool2d_backward is avg_pool2d's adjoint: its gradient is avg_pool2d.
LogicalResult AvgPool2dBackwardOp::buildGradient(OpBuilder &b,
                                                 ArrayRef<Value> resultGrads,
                                                 Grads &operandGrads) {
  return singleInputRule(
      *this, b, resultGrads, operandGrads,
      [&](GradBuilder &gb, Value, Value g) -> Value {
        return gb.create<AvgPool2dOp>(
            {g}, {gb.attr("kernel_size", getKernelSizeAttr()),
                  gb.attr("stride", getStrideAttr()),
                  gb.attr("padding", getPaddingAttr()),
                  gb.attr("ceil_mode", getCeilModeAttr()),
                  gb.attr("count_include_pad", getCountIncludePadAttr())});
      });
}

LogicalResult MaxPool2dOp::buildGradient(OpBuilder &b,
                                         ArrayRef<Value> resultGrads,
                                         Grads &operandGrads) {
  return singleInputRule(*this, b, resultGrads, operandGrads,
                         [&](GradBuilder &gb, Value x, Value g) -> Value {
                           return gb.create<MaxPool2dBackwardOp>(
                               {g, x},
                               {gb.attr("kernel_size", getKernelSizeAttr()),
                                gb.attr("stride", getStrideAttr()),
                                gb.attr("padding", getPaddingAttr()),
                                gb.attr("dilation", getDilationAttr()),
                                gb.attr("ceil_mode", getCeilModeAttr())});
                         });
}

LogicalResult AvgPool2dOp::buildGradient(OpBuilder &b,
                                         ArrayRef<Value> resultGrads,
                                         Grads &operandGrads) {
  return singleInputRule(
      *this, b, resultGrads, operandGrads,
      [&](GradBuilder &gb, Value x, Value g) -> Value {
        return gb.create<AvgPool2dBackwardOp>(
            {g}, {gb.i64s("input_size", shapeOf(x)),
                  gb.attr("kernel_size", getKernelSizeAttr()),
                  gb.attr("stride", getStrideAttr()),
                  gb.attr("padding", getPaddingAttr()),
                  gb.attr("ceil_mode", getCeilModeAttr()),
                  gb.attr("count_include_pad", getCountIncludePadAttr())});
      });
}

//===- NNRules.cpp - gradients of conv2d and the pools --------------------===//
//
// conv2d's input and weight gradients are the dialect's own backward ops
// (ember.conv2d_backward_input / _weight, with conv2d's attributes and the
// operand shapes); the bias gradient is the result gradient summed over N,
// H and W. max_pool2d and avg_pool2d use ember.max_pool2d_backward /
// avg_pool2d_backward. The backward ops are linear in grad_output, so their
// own rules (second derivatives) are adjoints: the conv2d ops and
// avg_pool2d for conv2d's and avg_pool2d's; for max_pool2d_backward a gather
// of the double gradient at each window's argmax, built from ember ops
// (pad with cat, the windows as strided slices stacked on a new last dim,
// argmax, gather). An unbatched conv2d ([C, H, W]) is differentiated as a
// batch of one.
//
//===----------------------------------------------------------------------===//

#include "GradientUtils.h"

#include <algorithm>
#include <limits>

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

namespace {

/// `t` padded on `dim` with `before` and `after` elements of value `v` (a
/// cat with splat literals: the dialect has no pad op).
Value padDim(GradBuilder &gb, Value t, int64_t dim, int64_t before,
             int64_t after, double v) {
  if (before == 0 && after == 0)
    return t;
  auto type = cast<RankedTensorType>(t.getType());
  auto filler = [&](int64_t n) {
    SmallVector<int64_t> shape(type.getShape());
    shape[dim] = n;
    return gb.splat(RankedTensorType::get(shape, type.getElementType()), v);
  };
  SmallVector<Value> parts;
  if (before > 0)
    parts.push_back(filler(before));
  parts.push_back(t);
  if (after > 0)
    parts.push_back(filler(after));
  return gb.create<CatOp>(parts, {gb.i64("dim", dim)});
}

/// The kH * kW elements of each pooling window of `t` (H and W its last
/// dims, padded with `padValue`), stacked on a new last dim in the order
/// the pool scans a window: [..., OH, OW, kH * kW]. `out` is the pooled
/// shape. As eager's rule (frontend/src/autograd/rules_linalg.cpp).
Value poolWindows(MaxPool2dBackwardOp op, GradBuilder &gb, Value t,
                  ArrayRef<int64_t> out, double padValue) {
  ArrayRef<int64_t> k = op.getKernelSize(), s = op.getStride(),
                    p = op.getPadding(), d = op.getDilation();
  const int64_t nd = shapeOf(t).size();
  Value padded = t;
  for (int64_t a = 0; a < 2; ++a) {
    const int64_t dim = nd - 2 + a;
    // The last window ends here in padded coordinates; with ceil_mode it
    // may run past the right padding.
    const int64_t reach = (k[a] - 1) * d[a] + s[a] * (out[dim] - 1) + 1;
    const int64_t n = shapeOf(t)[dim] + 2 * p[a];
    padded = padDim(gb, padded, dim, p[a],
                    p[a] + std::max<int64_t>(0, reach - n), padValue);
  }
  auto slice = [&](Value v, int64_t dim, int64_t start, int64_t stride) {
    return gb.create<SliceOp>(
        {v}, {gb.i64("dim", dim), gb.i64("start", start),
              gb.i64("end", start + stride * (out[dim] - 1) + 1),
              gb.i64("step", stride)});
  };
  SmallVector<Value> taps;
  for (int64_t i = 0; i < k[0]; ++i)
    for (int64_t j = 0; j < k[1]; ++j)
      taps.push_back(
          slice(slice(padded, nd - 2, i * d[0], s[0]), nd - 1, j * d[1], s[1]));
  return gb.create<StackOp>(taps, {gb.i64("dim", nd)});
}

} // namespace

// max_pool2d_backward(go, x) routes go to each window's argmax of x: linear
// in go, so its gradient for go reads the double gradient at the same
// positions (what max_pool2d's forward with saved indices gathers). x's
// windows are padded with -inf so padding never wins; ties go to the first
// maximum in scan order, as the kernel's. Piecewise constant in x: no
// gradient there.
LogicalResult MaxPool2dBackwardOp::buildGradient(OpBuilder &b,
                                                 ArrayRef<Value> resultGrads,
                                                 Grads &operandGrads) {
  Value go = getGradOutput(), x = getInput(), g = resultGrads[0];
  operandGrads.append(getNumOperands(), nullptr);
  if (!g || !isFloatTensor(go.getType()))
    return success();
  if (!cast<RankedTensorType>(x.getType()).hasStaticShape() ||
      !cast<RankedTensorType>(go.getType()).hasStaticShape())
    return emitOpError("needs static shapes for its gradient");
  GradBuilder gb(b, getLoc());
  ArrayRef<int64_t> out = shapeOf(go);
  const int64_t last = shapeOf(x).size();
  Value idx = gb.create<ArgmaxOp>(
      {poolWindows(*this, gb, x, out,
                   -std::numeric_limits<double>::infinity())},
      {gb.i64("dim", last), gb.attr("keepdim", b.getBoolAttr(true))});
  Value picked = gb.create<GatherOp>({poolWindows(*this, gb, g, out, 0.0), idx},
                                     {gb.i64("dim", last)});
  operandGrads[0] = gb.sumTo(
      gb.create<SqueezeOp>({picked}, {gb.i64("dim", last)}), go.getType());
  return success();
}

//===- NN.cpp - convolution and pooling: rules ----------------------------===//
//
// Shape/dtype rules of conv2d, max_pool2d, avg_pool2d and their gradient
// ops (frontend/src/ops/conv.cpp, conv_backward.cpp), NCHW or unbatched CHW.
//
//===----------------------------------------------------------------------===//

#include "TypeRules.h"

using namespace mlir;
using namespace mlir::ember;

/// A window attribute: two entries (height, width).
static FailureOr<ArrayRef<int64_t>> pairAttr(const RuleInput &in,
                                             StringRef name) {
  FailureOr<ArrayRef<int64_t>> value = in.requireI64Array(name);
  if (failed(value))
    return failure();
  if (value->size() != 2)
    return in.emitError() << "expects '" << name
                          << "' to have 2 entries (height, width), got "
                          << value->size();
  return value;
}

/// The output size of one spatial dim of a convolution or pooling window.
static int64_t windowOutput(int64_t in, int64_t kernel, int64_t pad,
                            int64_t stride, int64_t dilation, bool ceilMode) {
  if (ShapedType::isDynamic(in))
    return ShapedType::kDynamic;
  int64_t num =
      in + 2 * pad - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
  int64_t q = num / stride;
  if (num % stride != 0 && num < 0)
    --q;
  int64_t size = q + 1;
  if (ceilMode && (size - 1) * stride >= in + pad)
    --size;
  return size;
}

LogicalResult rules::conv2d(const RuleInput &in,
                            SmallVectorImpl<ResultSpec> &results) {
  ArrayRef<int64_t> x = in.shape(0), w = in.shape(1);
  if (x.size() != 3 && x.size() != 4)
    return in.emitError() << "expects a 3-D (unbatched) or 4-D input, got "
                          << formatShape(x);
  if (w.size() != 4)
    return in.emitError() << "expects a 4-D weight [C_out, C_in/groups, kH, "
                             "kW], got "
                          << formatShape(w);
  Type element = in.elementType(0);
  bool hasBias = in.operands.size() > 2;
  if (element != in.elementType(1) ||
      (hasBias && element != in.elementType(2))) {
    InFlightDiagnostic diag = in.emitError()
                              << "expects input, weight and bias of one "
                                 "element type, got "
                              << element << ", " << in.elementType(1);
    if (hasBias)
      diag << ", " << in.elementType(2);
    return diag;
  }
  if (isBoolType(element))
    return in.emitError() << "is not implemented for bool tensors";
  FailureOr<ArrayRef<int64_t>> stride = pairAttr(in, "stride");
  FailureOr<ArrayRef<int64_t>> padding = pairAttr(in, "padding");
  FailureOr<ArrayRef<int64_t>> dilation = pairAttr(in, "dilation");
  FailureOr<int64_t> groups = in.requireI64("groups");
  if (failed(stride) || failed(padding) || failed(dilation) || failed(groups))
    return failure();
  for (int i = 0; i < 2; ++i)
    if ((*stride)[i] <= 0 || (*padding)[i] < 0 || (*dilation)[i] <= 0)
      return in.emitError() << "expects positive stride and dilation and "
                               "non-negative padding";
  if (*groups <= 0 || (!ShapedType::isDynamic(w[0]) && w[0] % *groups != 0))
    return in.emitError() << "groups=" << *groups
                          << " must be positive and divide the weight's C_out ("
                          << w[0] << ")";
  size_t c = x.size() - 3;
  if (!ShapedType::isDynamic(x[c]) && !ShapedType::isDynamic(w[1]) &&
      x[c] != w[1] * *groups)
    return in.emitError() << "expects an input with " << w[1] * *groups
                          << " channels (weight " << formatShape(w)
                          << ", groups " << *groups << "), got " << x[c];
  if (hasBias && (in.rank(2) != 1 || !(in.shape(2)[0] == w[0] ||
                                       ShapedType::isDynamic(in.shape(2)[0]) ||
                                       ShapedType::isDynamic(w[0]))))
    return in.emitError() << "expects a 1-D bias of " << w[0]
                          << " elements, got " << formatShape(in.shape(2));
  SmallVector<int64_t> shape(x.begin(), x.begin() + c);
  shape.push_back(w[0]);
  for (int i = 0; i < 2; ++i) {
    int64_t out = windowOutput(x[c + 1 + i], w[2 + i], (*padding)[i],
                               (*stride)[i], (*dilation)[i], false);
    if (!ShapedType::isDynamic(out) && out < 1)
      return in.emitError() << "the kernel (" << formatShape(w.drop_front(2))
                            << ", dilated) is larger than the padded input ("
                            << formatShape(x.drop_front(c + 1)) << ")";
    shape.push_back(out);
  }
  results.push_back(result(shape, element));
  return success();
}

/// A gradient op's result: shape `sizeAttr`, grad_output's element type.
static LogicalResult gradientOfSize(const RuleInput &in, StringRef sizeAttr,
                                    SmallVectorImpl<ResultSpec> &results) {
  FailureOr<ArrayRef<int64_t>> size = in.requireI64Array(sizeAttr);
  if (failed(size))
    return failure();
  if (in.operands.size() > 1 && in.elementType(0) != in.elementType(1))
    return in.emitError() << "expects operands of one element type, got "
                          << in.elementType(0) << " and " << in.elementType(1);
  results.push_back(result(*size, in.elementType(0)));
  return success();
}

LogicalResult rules::conv2dBackwardInput(const RuleInput &in,
                                         SmallVectorImpl<ResultSpec> &results) {
  return gradientOfSize(in, "input_size", results);
}

LogicalResult
rules::conv2dBackwardWeight(const RuleInput &in,
                            SmallVectorImpl<ResultSpec> &results) {
  return gradientOfSize(in, "weight_size", results);
}

/// The pooled shape of `x` under the op's window attributes.
static FailureOr<SmallVector<int64_t>> poolShape(const RuleInput &in,
                                                 ArrayRef<int64_t> x) {
  if (x.size() != 3 && x.size() != 4)
    return in.emitError() << "expects a 3-D or 4-D input, got "
                          << formatShape(x);
  FailureOr<ArrayRef<int64_t>> kernel = pairAttr(in, "kernel_size");
  FailureOr<ArrayRef<int64_t>> stride = pairAttr(in, "stride");
  FailureOr<ArrayRef<int64_t>> padding = pairAttr(in, "padding");
  if (failed(kernel) || failed(stride) || failed(padding))
    return failure();
  SmallVector<int64_t, 2> dilation = {1, 1};
  if (in.has("dilation")) {
    FailureOr<ArrayRef<int64_t>> d = pairAttr(in, "dilation");
    if (failed(d))
      return failure();
    dilation.assign(d->begin(), d->end());
  }
  bool ceilMode = in.boolOr("ceil_mode", false);
  SmallVector<int64_t> shape(x.drop_back(2));
  for (int i = 0; i < 2; ++i) {
    if ((*kernel)[i] <= 0 || (*stride)[i] <= 0 || dilation[i] <= 0)
      return in.emitError() << "expects positive kernel_size, stride and "
                               "dilation";
    if ((*padding)[i] < 0 || (*padding)[i] > (*kernel)[i] / 2)
      return in.emitError()
             << "expects padding to be at most half of the "
                "kernel size, got padding "
             << (*padding)[i] << " for kernel size " << (*kernel)[i];
    int64_t out = windowOutput(x[x.size() - 2 + i], (*kernel)[i], (*padding)[i],
                               (*stride)[i], dilation[i], ceilMode);
    if (!ShapedType::isDynamic(out) && out < 1)
      return in.emitError()
             << "the output size is too small (input " << formatShape(x) << ")";
    shape.push_back(out);
  }
  return shape;
}

LogicalResult rules::pool2d(const RuleInput &in,
                            SmallVectorImpl<ResultSpec> &results) {
  Type element = in.elementType(0);
  if (in.op == "max_pool2d" && !isFloatType(element))
    return in.emitError() << "expects a f32 or f64 input, got "
                          << in.operand(0);
  if (in.op == "avg_pool2d" && !isFloatType(element) &&
      !element.isSignlessInteger(64))
    return in.emitError() << "expects a f32, f64 or i64 input, got "
                          << in.operand(0);
  FailureOr<SmallVector<int64_t>> shape = poolShape(in, in.shape(0));
  if (failed(shape))
    return failure();
  results.push_back(result(*shape, element));
  return success();
}

LogicalResult rules::maxPool2dBackward(const RuleInput &in,
                                       SmallVectorImpl<ResultSpec> &results) {
  FailureOr<SmallVector<int64_t>> pooled = poolShape(in, in.shape(1));
  if (failed(pooled))
    return failure();
  if (failed(verifyCompatibleShape(*pooled, in.shape(0))))
    return in.emitError() << "expects grad_output of the pooled shape "
                          << formatShape(*pooled) << ", got "
                          << formatShape(in.shape(0));
  if (in.elementType(0) != in.elementType(1))
    return in.emitError() << "expects operands of one element type, got "
                          << in.elementType(0) << " and " << in.elementType(1);
  results.push_back(result(in.shape(1), in.elementType(0)));
  return success();
}

LogicalResult rules::avgPool2dBackward(const RuleInput &in,
                                       SmallVectorImpl<ResultSpec> &results) {
  return gradientOfSize(in, "input_size", results);
}

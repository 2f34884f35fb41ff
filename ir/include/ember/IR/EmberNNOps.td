//===- EmberNNOps.td - convolution and pooling -------------*- tablegen -*-===//
//
// 2-D convolution and pooling on NCHW tensors (a 3-D CHW input is one
// unbatched image), and the gradient ops the autograd rules call (ops.def
// families Conv and Pool). Window attributes are pairs (height, width).
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_IR_EMBERNNOPS_TD
#define EMBER_IR_EMBERNNOPS_TD

include "ember/IR/EmberDialect.td"

def Ember_Conv2dOp : Ember_RuleOp<"conv2d", "conv2d", [Ember_Differentiable]> {
  let summary = "2-D convolution (cross-correlation), NCHW";
  let description = [{
    torch.nn.functional.conv2d: `input` `[N, C, H, W]` (or `[C, H, W]`),
    `weight` `[C_out, C / groups, kH, kW]`, optional `bias` `[C_out]`; all of
    one element type (not bool). The result is `[N, C_out, OH, OW]` with
    `OH = (H + 2 * padding[0] - dilation[0] * (kH - 1) - 1) / stride[0] + 1`.

    ```mlir
    %0 = ember.conv2d %x, %w, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 1, 1>, stride = array<i64: 1, 1>} : (tensor<8x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<8x16x32x32xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$input, Ember_Tensor:$weight,
                       Optional<Ember_Tensor>:$bias,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilation, I64Attr:$groups);
  let results = (outs Ember_Tensor:$result);
}

def Ember_Conv2dBackwardInputOp : Ember_RuleOp<"conv2d_backward_input",
    "conv2dBackwardInput", [Ember_Differentiable]> {
  let summary = "Gradient of conv2d with respect to its input";
  let description = [{
    The transposed convolution of `grad_output` `[N, C_out, OH, OW]` with
    `weight`; the result has the shape `input_size` and `grad_output`'s
    element type.

    ```mlir
    %0 = ember.conv2d_backward_input %g, %w {dilation = array<i64: 1, 1>, groups = 1 : i64, input_size = array<i64: 8, 3, 32, 32>, padding = array<i64: 1, 1>, stride = array<i64: 1, 1>} : (tensor<8x16x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<8x3x32x32xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$grad_output, Ember_Tensor:$weight,
                       DenseI64ArrayAttr:$input_size,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilation, I64Attr:$groups);
  let results = (outs Ember_Tensor:$result);
}

def Ember_Conv2dBackwardWeightOp : Ember_RuleOp<"conv2d_backward_weight",
    "conv2dBackwardWeight", [Ember_Differentiable]> {
  let summary = "Gradient of conv2d with respect to its weight";
  let description = [{
    The correlation of `input` with `grad_output`; the result has the shape
    `weight_size` and `grad_output`'s element type.

    ```mlir
    %0 = ember.conv2d_backward_weight %g, %x {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 1, 1>, stride = array<i64: 1, 1>, weight_size = array<i64: 16, 3, 3, 3>} : (tensor<8x16x32x32xf32>, tensor<8x3x32x32xf32>) -> tensor<16x3x3x3xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$grad_output, Ember_Tensor:$input,
                       DenseI64ArrayAttr:$weight_size,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilation, I64Attr:$groups);
  let results = (outs Ember_Tensor:$result);
}

def Ember_MaxPool2dOp : Ember_RuleOp<"max_pool2d", "pool2d",
                                     [Ember_Differentiable]> {
  let summary = "2-D max pooling";
  let description = [{
    torch.nn.functional.max_pool2d on a floating `[N, C, H, W]` or
    `[C, H, W]` input; `padding` is at most half the kernel. With `ceil_mode`
    the output size rounds up (the last window must start inside the input
    or the left padding).

    ```mlir
    %0 = ember.max_pool2d %x {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<8x16x32x32xf32>) -> tensor<8x16x16x16xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$input, DenseI64ArrayAttr:$kernel_size,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilation, BoolAttr:$ceil_mode);
  let results = (outs Ember_Tensor:$result);
}

def Ember_AvgPool2dOp : Ember_RuleOp<"avg_pool2d", "pool2d",
                                     [Ember_Differentiable]> {
  let summary = "2-D average pooling";
  let description = [{
    torch.nn.functional.avg_pool2d on an `f32`, `f64` or `i64` input;
    `count_include_pad` counts the padding in the divisor.

    ```mlir
    %0 = ember.avg_pool2d %x {ceil_mode = false, count_include_pad = true, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<8x16x32x32xf32>) -> tensor<8x16x16x16xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$input, DenseI64ArrayAttr:$kernel_size,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       BoolAttr:$ceil_mode, BoolAttr:$count_include_pad);
  let results = (outs Ember_Tensor:$result);
}

def Ember_MaxPool2dBackwardOp : Ember_RuleOp<"max_pool2d_backward",
    "maxPool2dBackward", [Ember_Differentiable]> {
  let summary = "Gradient of max_pool2d";
  let description = [{
    Routes each element of `grad_output` to the position of its window's
    maximum in `input`; the result has `input`'s shape and `grad_output`'s
    element type.

    ```mlir
    %0 = ember.max_pool2d_backward %g, %x {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<8x16x16x16xf32>, tensor<8x16x32x32xf32>) -> tensor<8x16x32x32xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$grad_output, Ember_Tensor:$input,
                       DenseI64ArrayAttr:$kernel_size,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilation, BoolAttr:$ceil_mode);
  let results = (outs Ember_Tensor:$result);
}

def Ember_AvgPool2dBackwardOp : Ember_RuleOp<"avg_pool2d_backward",
    "avgPool2dBackward", [Ember_Differentiable]> {
  let summary = "Gradient of avg_pool2d";
  let description = [{
    Spreads each element of `grad_output` over its window; the result has the
    shape `input_size` and `grad_output`'s element type.

    ```mlir
    %0 = ember.avg_pool2d_backward %g {ceil_mode = false, count_include_pad = true, input_size = array<i64: 8, 16, 32, 32>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<8x16x16x16xf32>) -> tensor<8x16x32x32xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$grad_output,
                       DenseI64ArrayAttr:$input_size,
                       DenseI64ArrayAttr:$kernel_size,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       BoolAttr:$ceil_mode, BoolAttr:$count_include_pad);
  let results = (outs Ember_Tensor:$result);
}

#endif // EMBER_IR_EMBERNNOPS_TD

//===- EmberCopyOps.td - copies, casts, fills --------------*- tablegen -*-===//
//
// contiguous, clone, to_dtype, to_device, and the in-place fill_/zero_/copy_
// (ops.def family Copy). In-place ops are on value semantics: the result is
// the new value of `self`, of `self`'s type.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_IR_EMBERCOPYOPS_TD
#define EMBER_IR_EMBERCOPYOPS_TD

include "ember/IR/EmberDialect.td"

def Ember_ContiguousOp : Ember_RuleOp<"contiguous", "sameAsFirst",
                                      [Ember_Differentiable]> {
  let summary = "Row-major copy (or the input itself)";
  let description = [{
    Tensor.contiguous(): on value semantics the identity; kept as an op
    because eager returns an alias or a fresh tensor depending on strides.

    ```mlir
    %0 = ember.contiguous %x : (tensor<3x2xf32>) -> tensor<3x2xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$input);
  let results = (outs Ember_Tensor:$result);
}

def Ember_CloneOp : Ember_RuleOp<"clone", "sameAsFirst", [Ember_Differentiable]> {
  let summary = "A fresh copy";
  let description = [{
    Tensor.clone(): a new tensor with the input's value (never an alias).

    ```mlir
    %0 = ember.clone %x : (tensor<3x2xf32>) -> tensor<3x2xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$input);
  let results = (outs Ember_Tensor:$result);
}

def Ember_ToDtypeOp : Ember_RuleOp<"to_dtype", "toDtype", [Ember_Differentiable]> {
  let summary = "Element type conversion";
  let description = [{
    Tensor.to(dtype), converting as eager does (floating to integer
    truncates; anything to bool is `!= 0`).

    ```mlir
    %0 = ember.to_dtype %x {dtype = i64} : (tensor<3xf32>) -> tensor<3xi64>
    ```

    A conversion to the input's own type folds to the input (eager returns
    the input itself).
  }];
  let arguments = (ins Ember_Tensor:$input, Ember_DTypeAttr:$dtype);
  let results = (outs Ember_Tensor:$result);
  let hasFolder = 1;
}

def Ember_ToDeviceOp : Ember_RuleOp<"to_device", "sameAsFirst",
                                    [Ember_Differentiable]> {
  let summary = "Move to a device";
  let description = [{
    Tensor.to(device): the same value on `device` (`"cpu"`, `"cuda:0"`).

    ```mlir
    %0 = ember.to_device %x {device = "cuda:0"} : (tensor<3xf32>) -> tensor<3xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$input, Ember_DeviceAttr:$device);
  let results = (outs Ember_Tensor:$result);
}

def Ember_FillInplaceOp : Ember_RuleOp<"fill_", "fillInplace",
                                       [Ember_Differentiable]> {
  let summary = "In-place fill with a scalar";
  let description = [{
    `self.fill_(value)`: every element becomes `value`; with the optional 0-d
    `value_tensor` operand, its element instead.

    ```mlir
    %0 = ember.fill_ %x {value = 1.5 : f64} : (tensor<2x2xf32>) -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$self, Optional<Ember_Tensor>:$value_tensor,
                       Ember_ScalarAttr:$value);
  let results = (outs Ember_Tensor:$result);
}

def Ember_ZeroInplaceOp : Ember_RuleOp<"zero_", "sameAsFirst",
                                       [Ember_Differentiable]> {
  let summary = "In-place fill with zeros";
  let description = [{
    `self.zero_()`.

    ```mlir
    %0 = ember.zero_ %x : (tensor<2x2xf32>) -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$self);
  let results = (outs Ember_Tensor:$result);
}

def Ember_CopyInplaceOp : Ember_RuleOp<"copy_", "copyInplace",
                                       [Ember_Differentiable]> {
  let summary = "In-place copy from src (broadcast, converted)";
  let description = [{
    `self.copy_(src)`: `src` broadcasts to `self`'s shape and is converted to
    `self`'s element type.

    ```mlir
    %0 = ember.copy_ %x, %y : (tensor<2x3xf32>, tensor<3xf64>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$self, Ember_Tensor:$src);
  let results = (outs Ember_Tensor:$result);
}

#endif // EMBER_IR_EMBERCOPYOPS_TD

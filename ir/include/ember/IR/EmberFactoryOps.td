//===- EmberFactoryOps.td - literals and factories ---------*- tablegen -*-===//
//
// ember.constant (a dense literal, what folders produce) and the factories
// of ops.def (family Factory): empty, full, arange, linspace, eye. A
// factory's result type follows from its `size`/`dtype` attributes.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_IR_EMBERFACTORYOPS_TD
#define EMBER_IR_EMBERFACTORYOPS_TD

include "ember/IR/EmberDialect.td"

def Ember_ConstantOp : Ember_Op<"constant", [
    ConstantLike, Pure, DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "A tensor literal";
  let description = [{
    Produces a tensor whose value is the dense literal `value`; the result type
    is the literal's type. Splat literals (`dense<1.0>`) stay compact however
    large the tensor is. Not an eager op: the importer turns captured tensors
    into it, and folders produce it.

    ```mlir
    %w = ember.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
    %ones = ember.constant dense<1> : tensor<128x64xi64>
    %flag = ember.constant dense<true> : tensor<i1>
    ```
  }];

  let arguments = (ins Ember_DenseElementsAttr:$value);
  let results = (outs Ember_Tensor:$result);

  let assemblyFormat = "$value attr-dict";
  let hasFolder = 1;
  let hasVerifier = 1;
}

class Ember_FactoryOp<string mnemonic, string summaryText>
    : Ember_RuleOp<mnemonic, "factory"> {
  let summary = summaryText;
  let assemblyFormat = "attr-dict `:` type($result)";
  let results = (outs Ember_Tensor:$result);
}

def Ember_EmptyOp : Ember_FactoryOp<"empty", "An uninitialized tensor"> {
  let description = [{
    torch.empty(size, dtype, device): a tensor of shape `size` and element
    type `dtype` whose contents are unspecified.

    ```mlir
    %0 = ember.empty {device = "cpu", dtype = f32, size = array<i64: 2, 3>} : tensor<2x3xf32>
    ```
  }];
  let arguments = (ins DenseI64ArrayAttr:$size, Ember_DTypeAttr:$dtype,
                       Ember_DeviceAttr:$device);
}

def Ember_FullOp : Ember_FactoryOp<"full", "A tensor filled with a scalar"> {
  let description = [{
    torch.full(size, value, dtype, device) (also zeros and ones).

    ```mlir
    %0 = ember.full {device = "cpu", dtype = f32, size = array<i64: 2, 3>, value = 0.0 : f64} : tensor<2x3xf32>
    ```
  }];
  let arguments = (ins DenseI64ArrayAttr:$size, Ember_ScalarAttr:$value,
                       Ember_DTypeAttr:$dtype, Ember_DeviceAttr:$device);
}

def Ember_ArangeOp : Ember_FactoryOp<"arange", "Evenly spaced values by step"> {
  let description = [{
    torch.arange(start, end, step): `ceil((end - start) / step)` values
    `start + i * step`; `step` is non-zero and points from `start` to `end`.

    ```mlir
    %0 = ember.arange {device = "cpu", dtype = i64, end = 10 : i64, start = 0 : i64, step = 3 : i64} : tensor<4xi64>
    ```
  }];
  let arguments = (ins Ember_ScalarAttr:$start, Ember_ScalarAttr:$end,
                       Ember_ScalarAttr:$step, Ember_DTypeAttr:$dtype,
                       Ember_DeviceAttr:$device);
}

def Ember_LinspaceOp : Ember_FactoryOp<"linspace", "Evenly spaced values by count"> {
  let description = [{
    torch.linspace(start, end, steps): `steps` values from `start` to `end`
    inclusive.

    ```mlir
    %0 = ember.linspace {device = "cpu", dtype = f32, end = 1.0 : f64, start = 0.0 : f64, steps = 5 : i64} : tensor<5xf32>
    ```
  }];
  let arguments = (ins Ember_ScalarAttr:$start, Ember_ScalarAttr:$end,
                       I64Attr:$steps, Ember_DTypeAttr:$dtype,
                       Ember_DeviceAttr:$device);
}

def Ember_EyeOp : Ember_FactoryOp<"eye", "Identity matrix"> {
  let description = [{
    torch.eye(n, m): an `[n, m]` tensor with ones on the diagonal.

    ```mlir
    %0 = ember.eye {device = "cpu", dtype = f32, m = 3 : i64, n = 2 : i64} : tensor<2x3xf32>
    ```
  }];
  let arguments = (ins I64Attr:$n, I64Attr:$m, Ember_DTypeAttr:$dtype,
                       Ember_DeviceAttr:$device);
}

#endif // EMBER_IR_EMBERFACTORYOPS_TD

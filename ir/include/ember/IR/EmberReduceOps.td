//===- EmberReduceOps.td - reductions and softmax ----------*- tablegen -*-===//
//
// Reductions over all dims or the given dims (ops.def family Reduce) and the
// softmax family. Dims are wrapped as in PyTorch (-1 is the last dim; a 0-d
// tensor takes 0 and -1); `dims` absent or empty reduces every dim.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_IR_EMBERREDUCEOPS_TD
#define EMBER_IR_EMBERREDUCEOPS_TD

include "ember/IR/EmberDialect.td"

class Ember_ReduceOp<string mnemonic, string summaryText, string dtypeRule,
                     list<Trait> traits = [Ember_Differentiable]>
    : Ember_RuleOp<mnemonic, "reduce", traits> {
  let summary = summaryText;
  let description = [{
    torch.}] # mnemonic # [{ over the dims `dims` (absent or empty: all dims);
    `keepdim` keeps the reduced dims as size 1. }] # dtypeRule # [{

    ```mlir
    %0 = ember.}] # mnemonic # [{ %x {dims = array<i64: 1>, keepdim = false} : (tensor<4x3xf32>) -> tensor<4xf32>
    %1 = ember.}] # mnemonic # [{ %x : (tensor<4x3xf32>) -> tensor<f32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$input,
                       OptionalAttr<DenseI64ArrayAttr>:$dims,
                       OptionalAttr<BoolAttr>:$keepdim);
  let results = (outs Ember_Tensor:$result);
}

def Ember_SumOp : Ember_ReduceOp<"sum", "Sum of elements",
    "The result type is `dtype` when given, else the input's, with integer and bool inputs widened to `i64`."> {
  let arguments = (ins Ember_Tensor:$input,
                       OptionalAttr<DenseI64ArrayAttr>:$dims,
                       OptionalAttr<BoolAttr>:$keepdim,
                       OptionalAttr<Ember_DTypeAttr>:$dtype);
}
def Ember_MeanOp : Ember_ReduceOp<"mean", "Mean of elements",
    "The input must be floating; the result has its element type.">;
def Ember_ProdOp : Ember_ReduceOp<"prod", "Product of elements",
    "Integer and bool inputs are widened to `i64`.">;
def Ember_AmaxOp : Ember_ReduceOp<"amax", "Maximum of elements",
    "The result has the input's element type.">;
def Ember_AminOp : Ember_ReduceOp<"amin", "Minimum of elements",
    "The result has the input's element type.">;
def Ember_VarOp : Ember_ReduceOp<"var", "Variance",
    "`correction` (absent: 1) is subtracted from the count (Bessel). The input must be floating."> {
  let arguments = (ins Ember_Tensor:$input,
                       OptionalAttr<DenseI64ArrayAttr>:$dims,
                       OptionalAttr<BoolAttr>:$keepdim,
                       OptionalAttr<I64Attr>:$correction);
}
def Ember_StdOp : Ember_ReduceOp<"std", "Standard deviation",
    "`correction` (absent: 1) is subtracted from the count (Bessel). The input must be floating."> {
  let arguments = (ins Ember_Tensor:$input,
                       OptionalAttr<DenseI64ArrayAttr>:$dims,
                       OptionalAttr<BoolAttr>:$keepdim,
                       OptionalAttr<I64Attr>:$correction);
}
def Ember_LogsumexpOp : Ember_ReduceOp<"logsumexp", "log(sum(exp(x)))",
    "Integer and bool inputs give the default float type.">;
def Ember_NormOp : Ember_ReduceOp<"norm", "Vector p-norm",
    "`p` is the order of the norm. The input must be floating."> {
  let description = [{
    torch.norm(x, p, dims, keepdim): `(sum |x|^p)^(1/p)` over the dims `dims`
    (absent or empty: all dims); `p` is a scalar (`inf` allowed). The input
    must be floating; the result has its element type.

    ```mlir
    %0 = ember.norm %x {dims = array<i64: 1>, keepdim = false, p = 2.0 : f64} : (tensor<4x3xf32>) -> tensor<4xf32>
    %1 = ember.norm %x {p = 1 : i64} : (tensor<4x3xf32>) -> tensor<f32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$input,
                       OptionalAttr<DenseI64ArrayAttr>:$dims,
                       OptionalAttr<BoolAttr>:$keepdim,
                       Ember_ScalarAttr:$p);
}

def Ember_MaxDimOp : Ember_RuleOp<"max_dim", "reduceWithIndices",
                                  [Ember_Differentiable]> {
  let summary = "Maximum along one dim, with its index";
  let description = [{
    torch.max(x, dim, keepdim): the maximum values along `dim` and their
    indices (`i64`), both of the reduced shape.

    ```mlir
    %v, %i = ember.max_dim %x {dim = 1 : i64, keepdim = false} : (tensor<4x3xf32>) -> (tensor<4xf32>, tensor<4xi64>)
    ```
  }];
  let arguments = (ins Ember_Tensor:$input, OptionalAttr<I64Attr>:$dim,
                       OptionalAttr<BoolAttr>:$keepdim);
  let results = (outs Ember_Tensor:$values, Ember_Tensor:$indices);
}

def Ember_MinDimOp : Ember_RuleOp<"min_dim", "reduceWithIndices",
                                  [Ember_Differentiable]> {
  let summary = "Minimum along one dim, with its index";
  let description = [{
    torch.min(x, dim, keepdim): the minimum values along `dim` and their
    indices (`i64`).

    ```mlir
    %v, %i = ember.min_dim %x {dim = 0 : i64} : (tensor<4x3xf32>) -> (tensor<3xf32>, tensor<3xi64>)
    ```
  }];
  let arguments = (ins Ember_Tensor:$input, OptionalAttr<I64Attr>:$dim,
                       OptionalAttr<BoolAttr>:$keepdim);
  let results = (outs Ember_Tensor:$values, Ember_Tensor:$indices);
}

class Ember_ArgReduceOp<string mnemonic, string summaryText>
    : Ember_RuleOp<mnemonic, "reduceWithIndices"> {
  let summary = summaryText;
  let description = [{
    torch.}] # mnemonic # [{(x, dim, keepdim): `i64` indices along `dim`, or
    without `dim` the index into the flattened tensor (a 0-d result, or all
    dims 1 with `keepdim`). Bool inputs are rejected.

    ```mlir
    %0 = ember.}] # mnemonic # [{ %x {dim = 1 : i64, keepdim = false} : (tensor<4x10xf32>) -> tensor<4xi64>
    ```
  }];
  let arguments = (ins Ember_Tensor:$input, OptionalAttr<I64Attr>:$dim,
                       OptionalAttr<BoolAttr>:$keepdim);
  let results = (outs Ember_Tensor:$result);
}

def Ember_ArgmaxOp : Ember_ArgReduceOp<"argmax", "Index of the maximum">;
def Ember_ArgminOp : Ember_ArgReduceOp<"argmin", "Index of the minimum">;

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

class Ember_SoftmaxOp<string mnemonic, string summaryText>
    : Ember_RuleOp<mnemonic, "softmax", [Ember_Differentiable]> {
  let summary = summaryText;
  let description = [{
    torch.}] # mnemonic # [{ along `dim`. The input must be floating; the
    result has its type.

    ```mlir
    %0 = ember.}] # mnemonic # [{ %logits {dim = -1 : i64} : (tensor<4x10xf32>) -> tensor<4x10xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$input, I64Attr:$dim);
  let results = (outs Ember_Tensor:$result);
}

def Ember_SoftmaxOp : Ember_SoftmaxOp<"softmax", "Softmax along one dim">;
def Ember_LogSoftmaxOp : Ember_SoftmaxOp<"log_softmax",
                                         "Log of softmax along one dim">;

#endif // EMBER_IR_EMBERREDUCEOPS_TD

//===- EmberIndexOps.td - indexing ops ---------------------*- tablegen -*-===//
//
// gather, scatter_add, index_select, advanced indexing (index_tensor,
// index_put_) and one_hot (ops.def family Index).
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_IR_EMBERINDEXOPS_TD
#define EMBER_IR_EMBERINDEXOPS_TD

include "ember/IR/EmberDialect.td"

def Ember_GatherOp : Ember_RuleOp<"gather", "gather", [Ember_Differentiable]> {
  let summary = "Gather along one dim";
  let description = [{
    torch.gather(input, dim, index): `index` is `i64` of `input`'s rank, no
    larger than `input` outside `dim`; the result has `index`'s shape and
    `input`'s element type.

    ```mlir
    %0 = ember.gather %x, %i {dim = 1 : i64} : (tensor<4x10xf32>, tensor<4x1xi64>) -> tensor<4x1xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$input, Ember_Tensor:$index, I64Attr:$dim);
  let results = (outs Ember_Tensor:$result);
}

def Ember_ScatterAddOp : Ember_RuleOp<"scatter_add", "scatterAdd",
                                      [Ember_Differentiable]> {
  let summary = "Scatter-add along one dim (out of place)";
  let description = [{
    torch.scatter_add(input, dim, index, src): a copy of `input` with `src`'s
    elements added at the positions `index` names along `dim`. `index` is
    `i64`; `src` has `input`'s element type; all three have one rank.

    ```mlir
    %0 = ember.scatter_add %x, %i, %s {dim = 0 : i64} : (tensor<5x3xf32>, tensor<2x3xi64>, tensor<2x3xf32>) -> tensor<5x3xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$input, Ember_Tensor:$index,
                       Ember_Tensor:$src, I64Attr:$dim);
  let results = (outs Ember_Tensor:$result);
}

def Ember_IndexSelectOp : Ember_RuleOp<"index_select", "indexSelect",
                                       [Ember_Differentiable]> {
  let summary = "Select entries of one dim by a vector of indices";
  let description = [{
    torch.index_select(input, dim, index): `index` is an `i64` or `i32`
    vector (or 0-d); dim `dim` of the result has its length.

    ```mlir
    %0 = ember.index_select %emb, %ids {dim = 0 : i64} : (tensor<100x16xf32>, tensor<8xi64>) -> tensor<8x16xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$input, Ember_Tensor:$index, I64Attr:$dim);
  let results = (outs Ember_Tensor:$result);
}

defvar Ember_AdvancedIndexRules = [{
    `indices` index the leading dims of `input`, one tensor per dim: integer
    (`i64`, `i32`) tensors broadcast together into the shape B; a bool or
    `ui8` mask indexes as many dims as it has, by its true positions (a dim
    of dynamic size in the result). The indexed dims are replaced by B.
    (Eager also takes "no index" slots (`x[:, i]`); a trace cannot carry an
    absent operand, so the importer rewrites such calls, e.g. by a permute,
    before they reach this op.)
}];

def Ember_IndexTensorOp : Ember_RuleOp<"index_tensor", "indexTensor",
                                       [Ember_Differentiable]> {
  let summary = "Advanced indexing x[i0, i1, ...]";
  let description = !strconcat([{
    Tensor.index({i0, i1, ...}) with tensor indices.
  }], Ember_AdvancedIndexRules, [{

    ```mlir
    %0 = ember.index_tensor %x, %i : (tensor<5x3xf32>, tensor<4xi64>) -> tensor<4x3xf32>
    %1 = ember.index_tensor %x, %m : (tensor<5x3xf32>, tensor<5xi1>) -> tensor<?x3xf32>
    ```
  }]);
  let arguments = (ins Ember_Tensor:$input, Variadic<Ember_Tensor>:$indices);
  let results = (outs Ember_Tensor:$result);
}

def Ember_IndexPutInplaceOp : Ember_RuleOp<"index_put_", "indexPutInplace",
                                           [Ember_Differentiable]> {
  let summary = "In-place advanced-index assignment (value semantics)";
  let description = !strconcat([{
    `x.index_put_({i0, ...}, values, accumulate)`: the result is the new
    value of `self`. `values` has `self`'s element type and broadcasts to
    the indexing result's shape. Operands in eager order: self, values,
    indices.
  }], Ember_AdvancedIndexRules, [{

    ```mlir
    %0 = ember.index_put_ %x, %v, %i {accumulate = true} : (tensor<5x3xf32>, tensor<3xf32>, tensor<4xi64>) -> tensor<5x3xf32>
    ```
  }]);
  let arguments = (ins Ember_Tensor:$self, Ember_Tensor:$values,
                       Variadic<Ember_Tensor>:$indices,
                       OptionalAttr<BoolAttr>:$accumulate);
  let results = (outs Ember_Tensor:$result);
}

def Ember_OneHotOp : Ember_RuleOp<"one_hot", "oneHot"> {
  let summary = "One-hot encoding of class indices";
  let description = [{
    torch.nn.functional.one_hot: an `i64` input of class indices gives an
    `i64` tensor with one more dim of size `num_classes` (-1: inferred from
    the data, a dynamic dim).

    ```mlir
    %0 = ember.one_hot %y {num_classes = 10 : i64} : (tensor<8xi64>) -> tensor<8x10xi64>
    ```
  }];
  let arguments = (ins Ember_Tensor:$input, I64Attr:$num_classes);
  let results = (outs Ember_Tensor:$result);
}

#endif // EMBER_IR_EMBERINDEXOPS_TD

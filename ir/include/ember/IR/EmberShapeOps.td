//===- EmberShapeOps.td - views, cat and stack -------------*- tablegen -*-===//
//
// The view ops of ops.def (family View) and cat/stack (family Shape). On
// value semantics a view is an ordinary op whose result has the view's shape
// and the input's element type; which results alias which storage is the
// importer's and the functionalize pass's business. Dims wrap as in PyTorch.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_IR_EMBERSHAPEOPS_TD
#define EMBER_IR_EMBERSHAPEOPS_TD

include "ember/IR/EmberDialect.td"

class Ember_ViewLikeOp<string mnemonic, string rule, string summaryText>
    : Ember_RuleOp<mnemonic, rule, [Ember_Differentiable]> {
  let summary = summaryText;
  let results = (outs Ember_Tensor:$result);
}

def Ember_ViewOp : Ember_ViewLikeOp<"view", "reshape", "A view with a new shape"> {
  let description = [{
    Tensor.view(shape): the same elements in row-major order under a new
    shape; one entry of `shape` may be -1 (inferred from the element count).
    (Whether eager could view without copying depends on strides, which the
    IR does not have.)

    ```mlir
    %0 = ember.view %x {shape = array<i64: -1, 4>} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
    ```

    `view(view(x))` folds to one view, and a view to `x`'s own shape to `x`.
  }];
  let arguments = (ins Ember_Tensor:$input, DenseI64ArrayAttr:$shape);
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Ember_ReshapeOp : Ember_ViewLikeOp<"reshape", "reshape",
                                   "Reshape (a view or a copy)"> {
  let description = [{
    torch.reshape: as ember.view; eager copies when it cannot view.

    ```mlir
    %0 = ember.reshape %x {shape = array<i64: 6, -1>} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
    ```

    `reshape(reshape(x))` folds to one reshape, and a reshape to `x`'s own
    shape to `x`.
  }];
  let arguments = (ins Ember_Tensor:$input, DenseI64ArrayAttr:$shape);
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Ember_PermuteOp : Ember_ViewLikeOp<"permute", "permute", "Permute the dims"> {
  let description = [{
    Tensor.permute(dims): result dim `i` is input dim `dims[i]`.

    ```mlir
    %0 = ember.permute %x {dims = array<i64: 0, 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
    ```

    The identity permutation folds to the input, and `permute(permute(x))`
    to one permute.
  }];
  let arguments = (ins Ember_Tensor:$input, DenseI64ArrayAttr:$dims);
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Ember_TransposeOp : Ember_ViewLikeOp<"transpose", "transpose",
                                     "Swap two dims"> {
  let description = [{
    Tensor.transpose(dim0, dim1).

    ```mlir
    %0 = ember.transpose %x {dim0 = 0 : i64, dim1 = 1 : i64} : (tensor<2x3xf32>) -> tensor<3x2xf32>
    ```

    Folds when both dims are the same one, and `transpose(transpose(x))` of
    the same pair of dims to `x`. The transpose of a 2-D matrix product is
    the product of the transposed operands in the other order
    (`(a b)^T = b^T a^T`): the transposes then sit on the operands, where a
    GEMM takes them as flags instead of copying the result (the gradient
    of `x w^T` with respect to `w` is `(x^T g)^T`).
  }];
  let arguments = (ins Ember_Tensor:$input, I64Attr:$dim0, I64Attr:$dim1);
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Ember_ExpandOp : Ember_ViewLikeOp<"expand", "expand",
                                  "Broadcast to a larger shape"> {
  let description = [{
    Tensor.expand(shape): size-1 dims repeat, new leading dims are added; -1
    keeps a dim's size.

    ```mlir
    %0 = ember.expand %b {shape = array<i64: 8, -1>} : (tensor<1x16xf32>) -> tensor<8x16xf32>
    ```

    An expand to the input's own shape folds to the input.
  }];
  let arguments = (ins Ember_Tensor:$input, DenseI64ArrayAttr:$shape);
  let hasFolder = 1;
}

def Ember_SqueezeOp : Ember_ViewLikeOp<"squeeze", "squeeze",
                                   "Remove size-1 dims"> {
  let description = [{
    Tensor.squeeze(): all size-1 dims go; with `dim`, only that one (if its
    size is 1).

    ```mlir
    %0 = ember.squeeze %x {dim = 1 : i64} : (tensor<4x1x3xf32>) -> tensor<4x3xf32>
    ```

    Folds to the input when nothing is squeezed, and `squeeze(unsqueeze(x))`
    to `x` when that is the result type.
  }];
  let hasFolder = 1;
  let arguments = (ins Ember_Tensor:$input, OptionalAttr<I64Attr>:$dim);
}

def Ember_UnsqueezeOp : Ember_ViewLikeOp<"unsqueeze", "unsqueeze",
                                     "Insert a size-1 dim"> {
  let description = [{
    Tensor.unsqueeze(dim), `dim` in `[-rank - 1, rank]`.

    ```mlir
    %0 = ember.unsqueeze %x {dim = 0 : i64} : (tensor<3xf32>) -> tensor<1x3xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$input, I64Attr:$dim);
}

def Ember_FlattenOp : Ember_ViewLikeOp<"flatten", "flatten",
                                   "Merge a range of dims"> {
  let description = [{
    Tensor.flatten(start_dim, end_dim); a 0-d input gives `[1]`.

    ```mlir
    %0 = ember.flatten %x {end_dim = -1 : i64, start_dim = 1 : i64} : (tensor<8x16x4x4xf32>) -> tensor<8x256xf32>
    ```

    Folds to the input when nothing is merged (the result type is the
    input's).
  }];
  let hasFolder = 1;
  let arguments = (ins Ember_Tensor:$input, I64Attr:$start_dim,
                       I64Attr:$end_dim);
}

def Ember_NarrowOp : Ember_ViewLikeOp<"narrow", "narrow",
                                  "length elements of dim from start"> {
  let description = [{
    Tensor.narrow(dim, start, length); `start` may be negative.

    ```mlir
    %0 = ember.narrow %x {dim = 1 : i64, length = 2 : i64, start = 1 : i64} : (tensor<4x5xf32>) -> tensor<4x2xf32>
    ```

    Folds to the input when it keeps the whole dim.
  }];
  let hasFolder = 1;
  let arguments = (ins Ember_Tensor:$input, I64Attr:$dim, I64Attr:$start,
                       I64Attr:$length);
}

def Ember_SliceOp : Ember_ViewLikeOp<"slice", "slice", "Strided slice of one dim"> {
  let description = [{
    `x[..., start:end:step, ...]` on `dim`; `start`/`end` absent mean the
    ends, negative ones count from the end, and both are clamped. `step` is
    positive.

    ```mlir
    %0 = ember.slice %x {dim = 0 : i64, end = 7 : i64, start = 1 : i64, step = 2 : i64} : (tensor<8x3xf32>) -> tensor<3x3xf32>
    ```

    Folds to the input when it keeps the whole dim (the result type is the
    input's: start 0, step 1 or a dim of size <= 1).
  }];
  let hasFolder = 1;
  let arguments = (ins Ember_Tensor:$input, I64Attr:$dim,
                       OptionalAttr<I64Attr>:$start, OptionalAttr<I64Attr>:$end,
                       I64Attr:$step);
}

def Ember_SelectOp : Ember_ViewLikeOp<"select", "select",
                                  "One index of one dim (the dim goes)"> {
  let description = [{
    Tensor.select(dim, index); `index` may be negative.

    ```mlir
    %0 = ember.select %x {dim = 0 : i64, index = -1 : i64} : (tensor<8x3xf32>) -> tensor<3xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$input, I64Attr:$dim, I64Attr:$index);
}

def Ember_AsStridedOp : Ember_ViewLikeOp<"as_strided", "asStrided",
                                     "A view with explicit sizes and strides"> {
  let description = [{
    Tensor.as_strided(size, stride, storage_offset): the result has shape
    `size`; element `i` is the input storage's element
    `storage_offset + sum(i[d] * stride[d])`, counted in the storage of the
    input's base (which the importer knows; absent `storage_offset` is the
    input's own). Sizes and strides are non-negative.

    ```mlir
    %0 = ember.as_strided %x {size = array<i64: 2, 2>, storage_offset = 1 : i64, stride = array<i64: 3, 1>} : (tensor<3x3xf32>) -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$input, DenseI64ArrayAttr:$size,
                       DenseI64ArrayAttr:$stride,
                       OptionalAttr<I64Attr>:$storage_offset);
}

//===----------------------------------------------------------------------===//
// cat, stack
//===----------------------------------------------------------------------===//

def Ember_CatOp : Ember_RuleOp<"cat", "cat", [Ember_Differentiable]> {
  let summary = "Concatenate along one dim";
  let description = [{
    torch.cat(tensors, dim): one or more tensors of rank >= 1, equal except in
    `dim`; 1-D empty tensors are skipped (legacy). The element type is
    torch.result_type of all of them.

    ```mlir
    %0 = ember.cat %a, %b {dim = 0 : i64} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<6x3xf32>
    ```
  }];
  let arguments = (ins Variadic<Ember_Tensor>:$inputs, I64Attr:$dim);
  let results = (outs Ember_Tensor:$result);
}

def Ember_StackOp : Ember_RuleOp<"stack", "stack", [Ember_Differentiable]> {
  let summary = "Stack along a new dim";
  let description = [{
    torch.stack(tensors, dim): one or more tensors of one shape, joined along
    a new dim `dim` in `[-rank - 1, rank]`.

    ```mlir
    %0 = ember.stack %a, %b {dim = 0 : i64} : (tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Variadic<Ember_Tensor>:$inputs, I64Attr:$dim);
  let results = (outs Ember_Tensor:$result);
}

#endif // EMBER_IR_EMBERSHAPEOPS_TD

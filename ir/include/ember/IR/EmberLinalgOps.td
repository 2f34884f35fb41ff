//===- EmberLinalgOps.td - matrix products -----------------*- tablegen -*-===//
//
// mm, bmm and matmul (ops.def family Linalg). Both operands have one element
// type (no promotion, as in eager), which is the result's; bool is rejected.
//
// Canonical form: a product with a transposed operand stays
// `ember.mm(ember.transpose(a), b)`; no "transposed" attribute is folded in.
// The lowering matches the transpose (linalg.matmul_transpose_a/b, or the
// cuBLAS transpose flags), which keeps every other pass ignorant of it.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_IR_EMBERLINALGOPS_TD
#define EMBER_IR_EMBERLINALGOPS_TD

include "ember/IR/EmberDialect.td"

class Ember_MatrixOp<string mnemonic, string summaryText>
    : Ember_RuleOp<mnemonic, "matrixProduct", [Ember_Differentiable]> {
  let summary = summaryText;
  let arguments = (ins Ember_Tensor:$lhs, Ember_Tensor:$rhs);
  let results = (outs Ember_Tensor:$result);
}

def Ember_MmOp : Ember_MatrixOp<"mm", "Matrix product of two 2-D tensors"> {
  let description = [{
    torch.mm: `[M, K] x [K, N] -> [M, N]`.

    ```mlir
    %0 = ember.mm %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
    ```
  }];
}

def Ember_BmmOp : Ember_MatrixOp<"bmm", "Batched matrix product of 3-D tensors"> {
  let description = [{
    torch.bmm: `[B, M, K] x [B, K, N] -> [B, M, N]` (equal batch sizes, no
    broadcasting).

    ```mlir
    %0 = ember.bmm %a, %b : (tensor<8x2x3xf32>, tensor<8x3x4xf32>) -> tensor<8x2x4xf32>
    ```
  }];
}

def Ember_MatmulOp : Ember_MatrixOp<"matmul", "Matrix product, plain or batched"> {
  let description = [{
    torch.matmul on operands of rank >= 1:

    - 1-D x 1-D: the dot product, a 0-d result;
    - 2-D x 2-D: `[M, K] x [K, N] -> [M, N]`;
    - a 1-D lhs is a row vector `[1, K]`, a 1-D rhs a column vector `[K, 1]`,
      and that dimension is dropped from the result;
    - higher ranks: the leading (batch) dimensions broadcast as in numpy.

    ```mlir
    %y = ember.matmul %x, %w : (tensor<128x784xf32>, tensor<784x512xf32>) -> tensor<128x512xf32>
    %s = ember.matmul %q, %k : (tensor<2x8x16x64xf32>, tensor<8x64x16xf32>) -> tensor<2x8x16x16xf32>
    %v = ember.matmul %m, %x : (tensor<3x4xf64>, tensor<4xf64>) -> tensor<3xf64>
    ```
  }];
}

#endif // EMBER_IR_EMBERLINALGOPS_TD

//===- EmberOps.td - ember dialect ops ---------------------*- tablegen -*-===//
//
// The ops of the `ember` dialect. Every op mirrors the eager op of the same
// name in frontend/include/ember/ops.def. Result types are inferred
// (InferTypeOpInterface), shape and dtype checks live in the verifiers
// (lib/IR/EmberOps.cpp), and folders do what is exact: identities and
// constant folding.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_IR_EMBEROPS_TD
#define EMBER_IR_EMBEROPS_TD

include "ember/IR/EmberDialect.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// ember.constant
//===----------------------------------------------------------------------===//

def Ember_ConstantOp : Ember_Op<"constant", [
    ConstantLike, Pure, DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "A tensor literal";
  let description = [{
    Produces a tensor whose value is the dense literal `value`; the result type
    is the literal's type. Splat literals (`dense<1.0>`) stay compact however
    large the tensor is.

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

//===----------------------------------------------------------------------===//
// Binary elementwise ops
//===----------------------------------------------------------------------===//

class Ember_BinaryOp<string mnemonic, Type tensorType, list<Trait> traits = []>
    : Ember_Op<mnemonic, !listconcat(traits, [
        Pure, DeclareOpInterfaceMethods<InferTypeOpInterface>])> {
  let arguments = (ins tensorType:$lhs, tensorType:$rhs);
  let results = (outs tensorType:$result);

  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
  let hasVerifier = 1;
  let hasFolder = 1;

  // Shape and dtype rules shared by the binary ops (numpy broadcasting, equal
  // element types); the result type follows from them.
  code binaryOpDescription = [{
    The operands broadcast against each other as in numpy and PyTorch: shapes
    are aligned at their trailing dimensions, and each pair of dimensions must
    be equal or one of them 1 (a dynamic dimension is assumed to match). The
    result has the broadcast shape.

    Type promotion is not implemented yet: both operands must have the same
    element type, which is the result's element type.
  }];
}

def Ember_AddOp : Ember_BinaryOp<"add", Ember_Tensor, [Commutative]> {
  let summary = "Elementwise addition with broadcasting";
  let description = [{
    Computes `lhs + rhs` elementwise (PyTorch's `torch.add` with `alpha = 1`).
    Integer addition wraps around; on `i1` (bool) it is a logical or, as in
    PyTorch.
  }] # binaryOpDescription # [{

    ```mlir
    %0 = ember.add %x, %bias : tensor<8x16xf32>, tensor<16xf32>
    // %0 : tensor<8x16xf32>
    ```

    Folds `x + 0` to `x` when the result type is `x`'s type (for floats only
    with `-0.0`, the exact additive identity: `-0.0 + 0.0` is `+0.0`), and two
    constants to a constant.
  }];
}

def Ember_SubOp : Ember_BinaryOp<"sub", Ember_NumericTensor> {
  let summary = "Elementwise subtraction with broadcasting";
  let description = [{
    Computes `lhs - rhs` elementwise (PyTorch's `torch.sub` with `alpha = 1`).
    Integer subtraction wraps around. Like PyTorch, `i1` (bool) operands are
    rejected.
  }] # binaryOpDescription # [{

    ```mlir
    %0 = ember.sub %x, %mean : tensor<4x3xf64>, tensor<4x1xf64>
    // %0 : tensor<4x3xf64>
    ```

    Folds `x - 0` to `x` when the result type is `x`'s type (for floats only
    with `+0.0`, the exact identity of subtraction), and two constants to a
    constant.
  }];
}

def Ember_MulOp : Ember_BinaryOp<"mul", Ember_Tensor, [Commutative]> {
  let summary = "Elementwise multiplication with broadcasting";
  let description = [{
    Computes `lhs * rhs` elementwise (PyTorch's `torch.mul`). Integer
    multiplication wraps around; on `i1` (bool) it is a logical and.
  }] # binaryOpDescription # [{

    ```mlir
    %0 = ember.mul %x, %scale : tensor<2x3xf32>, tensor<f32>
    // %0 : tensor<2x3xf32>
    ```

    Folds `x * 1` to `x` when the result type is `x`'s type, and two constants
    to a constant. `x * 0` is not folded: `NaN * 0` and `inf * 0` are `NaN`.
  }];
}

//===----------------------------------------------------------------------===//
// Unary elementwise ops
//===----------------------------------------------------------------------===//

class Ember_UnaryOp<string mnemonic, Type tensorType, list<Trait> traits = []>
    : Ember_Op<mnemonic, !listconcat(traits, [
        Pure, SameOperandsAndResultType, InferTypeOpInterface])> {
  let arguments = (ins tensorType:$input);
  let results = (outs tensorType:$result);

  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasFolder = 1;
}

def Ember_ReluOp : Ember_UnaryOp<"relu", Ember_NumericTensor> {
  let summary = "Rectified linear unit, max(x, 0)";
  let description = [{
    Computes `x < 0 ? 0 : x` elementwise, like `torch.relu`: `NaN` stays
    `NaN` and `-0.0` stays `-0.0`. The result has the operand's type. Like
    PyTorch, `i1` (bool) operands are rejected.

    ```mlir
    %0 = ember.relu %x : tensor<8x16xf32>
    ```

    Folds `relu(relu(x))` and `relu` of an unsigned (`ui8`) tensor to its
    operand, and `relu` of a constant to a constant.
  }];
}

def Ember_ExpOp : Ember_UnaryOp<"exp", Ember_FloatTensor> {
  let summary = "Elementwise natural exponential";
  let description = [{
    Computes `e^x` elementwise, like `torch.exp`. The result has the operand's
    type. PyTorch promotes integer operands to the default float type; that
    promotion is not implemented yet, so the operand must be `f32` or `f64`.

    ```mlir
    %0 = ember.exp %logits : tensor<4x10xf32>
    ```

    Folds `exp` of a constant to a constant.
  }];
}

//===----------------------------------------------------------------------===//
// ember.matmul
//===----------------------------------------------------------------------===//

def Ember_MatmulOp : Ember_Op<"matmul", [
    Pure, DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "Matrix product, plain or batched";
  let description = [{
    The matrix product of `lhs` and `rhs` (`torch.matmul` on 2-D and 3-D
    operands):

    - `[M, K] x [K, N] -> [M, N]`;
    - `[B, M, K] x [B, K, N] -> [B, M, N]`: one product per batch entry; batch
      dimensions broadcast (a batch of 1 is repeated);
    - `[B, M, K] x [K, N] -> [B, M, N]` and `[M, K] x [B, K, N] -> [B, M, N]`:
      the 2-D operand is shared by every batch entry.

    The contracting dimensions (`K`) must be equal. Both operands have the same
    element type, which is the result's (type promotion is not implemented
    yet). Like PyTorch, `i1` (bool) operands are rejected. 1-D operands (dot
    and matrix-vector products) are not supported yet.

    ```mlir
    %y = ember.matmul %x, %w : tensor<128x784xf32>, tensor<784x512xf32>
    // %y : tensor<128x512xf32>
    %s = ember.matmul %q, %k : tensor<8x16x64xf32>, tensor<8x64x16xf32>
    // %s : tensor<8x16x16xf32>
    ```
  }];

  let arguments = (ins Ember_NumericTensor:$lhs, Ember_NumericTensor:$rhs);
  let results = (outs Ember_NumericTensor:$result);

  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
  let hasVerifier = 1;
}

#endif // EMBER_IR_EMBEROPS_TD

//===- Passes.td - ember codegen passes --------------------*- tablegen -*-===//
//
// The passes that take IR out of the ember dialect.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_CODEGEN_PASSES_TD
#define EMBER_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertEmberToLinalg : Pass<"convert-ember-to-linalg", "func::FuncOp"> {
  let summary = "Lower ember ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Rewrites each ember op that has a lowering (`hasLowering`) into upstream
    ops on tensors, with the eager (PyTorch 1.13) semantics: operands are
    first converted to the computation's element type inside the
    linalg.generic (sitofp, uitofp, extf, truncf, extsi, ...), broadcasting
    is in the indexing maps (a size-1 operand dim reads index 0), and each
    elementwise op becomes exactly one linalg.generic so that elementwise
    fusion can merge them later.

    Ops without a lowering (random ops, in-place ops, index ops, most
    factories, conv and pooling, their backward ops, ...) stay as they are,
    legal, so that the JIT can split the function around them. So does an op
    with a lowering that its pattern does not take (`isLowerable`): a dynamic
    dimension, a `ui8` operand or result (arith has no unsigned types), or
    element types and attributes the pattern does not handle (bool pow, a
    grouped conv2d, a 0-d softmax).

    Reductions (sum, mean, prod, amax, amin, var, std, norm, logsumexp, softmax,
    log_softmax, max_dim, min_dim, argmax, argmin) are linalg.generic ops
    with reduction iterators; they accumulate sequentially in linalg's loop
    order (row-major over the reduced dims). Floating sums accumulate in f64
    and are rounded once, as eager's kernels do, but eager may split a row
    across threads: the last bit can differ in rare cases. keepdim results
    are a tensor.expand_shape of the reduced tensor. Matrix products and
    convolutions accumulate in the result type, sequentially over the
    contracted dims (eager's BLAS and im2col blocks and reorders them).

    Example:

    ```mlir
    %0 = ember.add %x, %b : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
    // becomes
    %e = tensor.empty() : tensor<4x3xf32>
    %0 = linalg.generic {indexing_maps = [(d0, d1) -> (d0, d1), (d0, d1) -> (d1), (d0, d1) -> (d0, d1)], ...}
         ins(%x, %b : ...) outs(%e : ...) { ... arith.addf ... }
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // EMBER_CODEGEN_PASSES_TD

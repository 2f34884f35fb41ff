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
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def ApproximateMath : Pass<"ember-approximate-math", "func::FuncOp"> {
  let summary = "Expand f32 transcendentals into polynomials so loops vectorize";
  let description = [{
    Rewrites f32 `math.exp`, `math.expm1`, `math.log1p`, `math.tanh` and
    `math.erf` into pure arith (and math.fma)
    with MLIR's polynomial approximations
    (populateMathPolynomialApproximationPatterns). A libm call in a loop
    body stops LLVM's loop vectorizer; the polynomials do not, so the loops
    of an elementwise chain become AVX2/FMA code. Only the ops listed are
    rewritten: `math.log` (wrong on denormal inputs), `math.sin`/`math.cos`
    (no range reduction for large |x|), `math.powf` and every f64 op keep
    their libm calls, because their approximations are not within the
    compiler's tolerance of eager (libm).
    Runs on any IR level (tensors, memrefs or loops): it only looks at the
    scalar math ops.

    Example:

    ```mlir
    %y = math.tanh %x : f32
    // becomes a clamp, two polynomials and a division (arith, math.fma)
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
  ];
}

def FuseElementwise : Pass<"ember-fuse-elementwise", "func::FuncOp"> {
  let summary = "linalg-fuse-elementwise-ops that keeps GEMMs and convs named";
  let description = [{
    MLIR's `linalg-fuse-elementwise-ops` (elementwise producer/consumer
    fusion of `linalg.generic`s, reshapes folded into linalg ops by
    expansion, linalg and reshape canonicalizations and
    constant folding, one use per fused producer), except that a
    `tensor.expand_shape`/`collapse_shape` is never folded into a named
    linalg op (`linalg.matmul`, `batch_matmul`, `conv_2d_nchw_fchw`,
    `fill`, ...), and nothing fuses into or out of a `linalg.generic`
    marked with a `library_call` (a runtime call, e.g. the tiled
    max_pool2d_backward): upstream rewrites such a named op into a
    higher-rank `linalg.generic` (a flatten's gradient turns the
    classifier's `dY @ W` into a 5-D generic), which
    `ember-matmul-to-runtime` no longer recognizes and which runs as a
    scalar loop nest instead of a GEMM.

    Example (`%e` keeps its reshape; upstream would make %m a generic):

    ```mlir
    %m = linalg.matmul ins(%a, %b : tensor<128x10xf32>, tensor<10x784xf32>)
                       outs(%c : tensor<128x784xf32>) -> tensor<128x784xf32>
    %e = tensor.expand_shape %m [[0], [1, 2, 3]] output_shape [128, 16, 7, 7]
        : tensor<128x784xf32> into tensor<128x16x7x7xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def MatmulToRuntime : Pass<"ember-matmul-to-runtime", "ModuleOp"> {
  let summary = "Call ember's GEMM for linalg matmul/batch_matmul/conv_2d";
  let description = [{
    Replaces each `linalg.matmul`, `linalg.batch_matmul` and
    `linalg.conv_2d_nchw_fchw` on f32 or f64 memrefs (after bufferization;
    all operands of one element type) by a call to the runtime's C ABI
    (runtime/include/ember/runtime/compiled_abi.h): `ember_rt_matmul_f32/_f64`,
    `ember_rt_batch_matmul_f32/_f64` or `ember_rt_conv2d_nchw_f32/_f64`
    (im2col + GEMM; strides and dilations as i64 arguments), which run
    blas.h's GEMM (OpenBLAS on ember's pool) on any strides. A matmul
    operand written only by a `linalg.transpose` of its last two dims, or a
    conv operand written only by a transpose of its two leading dims (the
    weight gradient's [C, N, H, W] input and [F, N, OH, OW] grad_out),
    becomes a `memref.transpose` view (no copy) when nothing writes the
    transpose's source before the call. Operands are
    `memref.cast` to fully dynamic strided memrefs, so the C functions take
    MLIR's expanded descriptors. The last argument says whether to add to C
    (linalg's C += A*B): a directly preceding `linalg.fill` of 0, or a
    `linalg.generic` that only writes 0, into the same C is erased and the
    call overwrites C instead (beta = 0).

    Example:

    ```mlir
    linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x2xf32>)
                  outs(%c : memref<4x2xf32>)
    // becomes
    %0 = memref.cast %a : memref<4x8xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    ...
    call @ember_rt_matmul_f32(%0, %1, %2, %c1_i64) : (...) -> ()
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def OutlineParallelLoops : Pass<"ember-outline-parallel-loops", "ModuleOp"> {
  let summary = "Outline big scf.parallel loops into bodies for ember's pool";
  let description = [{
    Each outermost `scf.parallel` (no scf.parallel around it) with a lower
    bound 0 and step 1 on its first dimension, a static trip count, and
    static work (iterations x ops per iteration, nested constant-trip loops
    counted) of at least `min-work` becomes a private function

    `func.func private @_ember_par_<fn>_<k>(%begin: index, %end: index,
                                           %grain: index, captured...)`

    running the same scf.parallel with its first dimension over
    [%begin, %end) (the other dimensions stay inside), and the loop becomes
    a `func.call` to it over the whole range. The values the body uses from
    above are passed as arguments; constants are cloned in. `%grain` (unused
    by the body) is the number of first-dimension iterations per chunk that
    makes a chunk `min-work` worth of work: the JIT rewrites each such call
    in LLVM IR into `ember_rt_parallel_for(trampoline, ctx, begin, end,
    grain)` on ember's thread pool (JitFunction.cpp). Only parallel
    dimensions are split, and each iteration runs the same code as before,
    so results do not depend on the thread count.

    Example:

    ```mlir
    scf.parallel (%i) = (%c0) to (%c4096) step (%c1) { ... }
    // becomes
    call @_ember_par_f_0(%c0, %c4096, %c64, %a, %out) : (...) -> ()
    ```
  }];
  let options = [
    Option<"minWork", "min-work", "int64_t", /*default=*/"65536",
           "Outline only loops with at least this many ops of work">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::scf::SCFDialect",
  ];
}

#endif // EMBER_CODEGEN_PASSES_TD

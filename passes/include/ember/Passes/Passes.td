//===- Passes.td - ember's ember->ember passes -------------*- tablegen -*-===//
//
// The passes of passes/: each takes the ember dialect in and gives it back.
// mlir-tblgen -gen-pass-decls -name Ember turns this into Passes.h.inc.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_PASSES_PASSES_TD
#define EMBER_PASSES_PASSES_TD

include "mlir/Pass/PassBase.td"

def EmberFunctionalize : Pass<"ember-functionalize", "::mlir::func::FuncOp"> {
  let summary = "Turn in-place ops and views into pure value semantics";
  let description = [{
    Traces record eager in-place ops (`ember.add_`, `copy_`, `fill_`, ...)
    and views (`ember.view`, `transpose`, `narrow`, ...) faithfully: an
    in-place op's result is the new value of its `self` operand, and a view's
    result shares memory with its input. This pass rewrites a function body
    (one block, no control flow: a trace) so that no value changes after it
    is defined:

    - Every value has an alias root: a view's root is its input's root; the
      root of anything else (a function argument, the result of a non-view
      op) is itself; an in-place op's result and `ember.to_dtype` to the
      input's own type (eager returns the input) alias their input. The
      pass keeps the current value of each root. `contiguous` and `clone`
      count as copies.
    - An in-place op becomes its out-of-place form (`add_` -> `add`,
      `fill_`/`zero_` -> a splat `ember.constant`, `copy_` -> `to_dtype` +
      `expand` of the source, ...), followed by `ember.to_dtype` back to
      `self`'s element type where the out-of-place op promotes.
      `index_put_`, `uniform_` and `normal_` have no out-of-place form in
      the dialect: they stay, and their result is taken as the new value.
    - A write through a view is written back into the root by inverting the
      view chain (reshape back, inverse permutation, `ember.cat` of the
      untouched parts of the root and the new piece for narrow, slice with
      step 1 and select). Writes through `expand`, `as_strided` and `slice`
      with a step > 1 are reported as errors.
    - Every later use of the root, of an in-place op's result, or of a view
      taken before the write, sees the updated value (views are rebuilt
      from the updated root just before their first later use).

    Writes to function arguments (an optimizer updating parameters in
    place): the function returns the final value of every mutated argument
    as an extra result, appended after the original results in argument
    order, with the result attribute `ember.updates = <argument index>`; the
    runtime writes these results back into the arguments.

    ```mlir
    func.func @step(%w: tensor<4xf32>, %g: tensor<4xf32>) {
      %0 = ember.sub_ %w, %g : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
      return
    }
    // becomes
    func.func @step(%w: tensor<4xf32>, %g: tensor<4xf32>)
        -> (tensor<4xf32> {ember.updates = 0 : i64}) {
      %0 = ember.sub %w, %g : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
      return %0 : tensor<4xf32>
    }
    ```
  }];
  let dependentDialects = ["::mlir::ember::EmberDialect"];
}

def EmberAutodiff : Pass<"ember-autodiff", "::mlir::func::FuncOp"> {
  let summary = "Reverse-mode gradients of a function, from the ops' rules";
  let description = [{
    Differentiates each func.func that carries a gradient request

    ```mlir
    func.func @f(...) attributes {ember.autodiff = {of = 0 : i64, wrt = [0, 2]}}
    ```

    `of` is the index of a result (a floating tensor), `wrt` the indices of
    arguments (floating tensors, no repeats). The pass appends to the
    function one result per `wrt` entry, in that order: the gradient of
    result `of` with respect to that argument, of the argument's type, with
    the result attribute `ember.grad_of = <argument index>`. When result
    `of` is a 0-d tensor the seed is 1 (the gradient of a loss); otherwise
    the function gets a new trailing argument of that result's type, the
    incoming gradient, marked `ember.grad_seed = <of>`. The request
    attribute is removed. The original results stay.

    Preconditions: one block without nested regions (a trace) on value
    semantics: run after `ember-functionalize`. The one op with regions
    allowed is `ember.custom_function`, whose gradient is its own backward
    region; run `ember-inline-custom-functions` afterwards.

    Algorithm: reverse mode over the block. An activity analysis first marks
    the *varied* values (floating values computed from a `wrt` argument) and
    the *useful* ones (floating values result `of` depends on). Walking the
    ops backwards, each op with a varied operand and a useful result asks
    its DifferentiableOpInterface rule for the operands' gradients
    (vector-Jacobian products built from ember ops); a value used several
    times gets the sum of its gradients (`ember.add`). An argument that the
    result does not depend on gets a zero literal.

    Dead-gradient elimination: ops off every path from a `wrt` argument to
    result `of` (frozen parameters, branches that do not reach the result,
    arguments not requested) are never visited, so no gradient work exists
    for them; and gradients that a rule builds for operands that are not
    varied (`x` in `x * w` when only `w` is requested) are erased after the
    sweep (all ember ops are pure).

    Rematerialization: none. Every forward value is kept and the rules use
    the forward values (operands and results) directly.

    Locations: every gradient op is at `fused<"backward">[<forward op's
    location>]`, so dumps of the backward point at the user's forward line.

    Errors (with the op and its location): an op on a differentiated path
    without a rule ("has no gradient rule yet"), an op that is not
    differentiable at all, a malformed request.
  }];
  let dependentDialects = ["::mlir::ember::EmberDialect"];
}

def EmberInlineCustomFunctions
    : Pass<"ember-inline-custom-functions", "::mlir::func::FuncOp"> {
  let summary = "Replace each ember.custom_function by its forward's ops";
  let description = [{
    `ember.custom_function` carries a user's autograd::Function: its forward
    and its backward as regions. Once ember-autodiff has used the backward
    region (or when nothing differentiates the function), only the forward
    matters: this pass clones the `forward` region's ops in place of the op,
    with the region's arguments bound to the op's inputs, and replaces the
    op's results by the values the region yields. Nothing lowers
    `ember.custom_function` itself, so this runs before lowering.

    ```mlir
    %y = ember.custom_function "Twice"(%x) : (tensor<3xf32>) -> tensor<3xf32>
    forward {
    ^bb0(%a: tensor<3xf32>):
      %0 = ember.add %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
      ember.yield %0 : tensor<3xf32>
    } backward { ... }
    // becomes
    %y = ember.add %x, %x : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
    ```
  }];
  let dependentDialects = ["::mlir::ember::EmberDialect"];
}

#endif // EMBER_PASSES_PASSES_TD

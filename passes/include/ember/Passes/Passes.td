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

#endif // EMBER_PASSES_PASSES_TD

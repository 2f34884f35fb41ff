//===- EmberCustomFunctionOps.td - autograd Functions ----*- tablegen -*-===//
//
// One application of a user's autograd::Function (ember/autograd/function.h)
// whose backward the tracer could record as ember ops: the forward and the
// user's backward travel together, so that ember-autodiff differentiates the
// application with the user's rule (a straight-through estimator is not the
// derivative of its forward), and ember-inline-custom-functions then leaves
// only the forward for lowering.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_IR_EMBERCUSTOMFUNCTIONOPS_TD
#define EMBER_IR_EMBERCUSTOMFUNCTIONOPS_TD

include "ember/IR/EmberDialect.td"

def Ember_CustomFunctionOp : Ember_Op<"custom_function", [
    RecursiveMemoryEffects, Ember_Differentiable]> {
  let summary = "A custom autograd::Function application with its backward";
  let description = [{
    `inputs` are the forward's tensor arguments, `results` its outputs.
    Region `forward` computes the outputs from block arguments standing for
    the inputs. Region `backward` is the user's backward: its block takes
    (inputs..., outputs..., cotangents...), one cotangent per output, and
    yields one gradient per input. Both regions may use values defined above
    (constants, arguments the forward captured).

    ```mlir
    %y = ember.custom_function "XNorSign"(%x) : (tensor<4xf32>) -> tensor<4xf32>
    forward {
    ^bb0(%a: tensor<4xf32>):
      %s = ember.sign %a : (tensor<4xf32>) -> tensor<4xf32>
      ember.yield %s : tensor<4xf32>
    } backward {
    ^bb0(%a: tensor<4xf32>, %out: tensor<4xf32>, %g: tensor<4xf32>):
      ember.yield %g : tensor<4xf32>
    }
    ```

    ember-autodiff clones `backward` with the actual operands, results and
    result gradients (DifferentiableOpInterface); nothing lowers the op
    itself: ember-inline-custom-functions replaces it by `forward`'s ops.
  }];
  let arguments = (ins StrAttr:$function, Variadic<Ember_Tensor>:$inputs);
  let results = (outs Variadic<Ember_Tensor>:$results);
  let regions = (region SizedRegion<1>:$forward, SizedRegion<1>:$backward);
  let assemblyFormat = [{
    $function `(` $inputs `)` attr-dict `:` functional-type($inputs, $results)
    `forward` $forward `backward` $backward
  }];
  let hasVerifier = 1;
}

def Ember_YieldOp : Ember_Op<"yield", [Pure, Terminator,
                                       HasParent<"CustomFunctionOp">]> {
  let summary = "The values a custom_function region gives back";
  let description = [{
    Ends both regions of `ember.custom_function`: the forward's outputs, or
    the backward's gradients (one per input), e.g.
    `ember.yield %s : tensor<4xf32>` (only inside that op).
  }];
  let arguments = (ins Variadic<Ember_Tensor>:$values);
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
}

#endif // EMBER_IR_EMBERCUSTOMFUNCTIONOPS_TD

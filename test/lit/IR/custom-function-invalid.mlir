// RUN: ember-opt %s --split-input-file --verify-diagnostics

// The verifier of ember.custom_function: its regions' arguments and yields
// must match its inputs and results.

// Tests that a backward region without the cotangent arguments is refused.
func.func @backward_arity(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{'ember.custom_function' op region 'backward' takes 2 arguments, expected 3}}
  %y = ember.custom_function "F"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  forward {
  ^bb0(%a: tensor<4xf32>):
    ember.yield %a : tensor<4xf32>
  } backward {
  ^bb0(%a: tensor<4xf32>, %g: tensor<4xf32>):
    ember.yield %g : tensor<4xf32>
  }
  return %y : tensor<4xf32>
}

// -----

// Tests that a forward region taking other types than the inputs is refused.
func.func @forward_type(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{'ember.custom_function' op region 'forward' argument 0 has type 'tensor<4xf64>', expected 'tensor<4xf32>'}}
  %y = ember.custom_function "F"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  forward {
  ^bb0(%a: tensor<4xf64>):
    %c = ember.constant dense<1.0> : tensor<4xf32>
    ember.yield %c : tensor<4xf32>
  } backward {
  ^bb0(%a: tensor<4xf32>, %o: tensor<4xf32>, %g: tensor<4xf32>):
    ember.yield %g : tensor<4xf32>
  }
  return %y : tensor<4xf32>
}

// -----

// Tests that a backward yielding no gradient for its input is refused.
func.func @backward_yields(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{'ember.custom_function' op region 'backward' yields 0 values, expected 1}}
  %y = ember.custom_function "F"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  forward {
  ^bb0(%a: tensor<4xf32>):
    ember.yield %a : tensor<4xf32>
  } backward {
  ^bb0(%a: tensor<4xf32>, %o: tensor<4xf32>, %g: tensor<4xf32>):
    ember.yield
  }
  return %y : tensor<4xf32>
}

// -----

// Tests that ember.yield outside ember.custom_function is refused.
func.func @stray_yield(%x: tensor<4xf32>) {
  // expected-error@+1 {{'ember.yield' op expects parent op 'ember.custom_function'}}
  ember.yield %x : tensor<4xf32>
}

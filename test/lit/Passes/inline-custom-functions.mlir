// RUN: ember-opt %s --split-input-file --ember-inline-custom-functions | FileCheck %s

// ember-inline-custom-functions replaces each ember.custom_function by its
// forward region's ops, bound to the op's inputs; the backward goes away.

// Tests that the forward's ops replace the op and its results.
// CHECK-LABEL: func.func @twice
// CHECK-NOT: ember.custom_function
// CHECK: %[[A:.*]] = ember.add %arg0, %arg0
// CHECK-NEXT: %[[M:.*]] = ember.mul %[[A]], %arg1
// CHECK-NEXT: return %[[M]]
func.func @twice(%x: tensor<3xf32>, %w: tensor<3xf32>) -> tensor<3xf32> {
  %y = ember.custom_function "Twice"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  forward {
  ^bb0(%a: tensor<3xf32>):
    %0 = ember.add %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
    ember.yield %0 : tensor<3xf32>
  } backward {
  ^bb0(%a: tensor<3xf32>, %out: tensor<3xf32>, %g: tensor<3xf32>):
    %n = ember.neg %g : (tensor<3xf32>) -> tensor<3xf32>
    ember.yield %n : tensor<3xf32>
  }
  %z = ember.mul %y, %w : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %z : tensor<3xf32>
}

// -----

// Tests a forward that returns its input as is and uses a value from above.
// CHECK-LABEL: func.func @passthrough
// CHECK: %[[C:.*]] = ember.constant
// CHECK-NEXT: %[[S:.*]] = ember.sub %arg0, %[[C]]
// CHECK-NEXT: return %arg0, %[[S]]
func.func @passthrough(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %c = ember.constant dense<2.0> : tensor<2xf32>
  %r:2 = ember.custom_function "Pass"(%x) : (tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  forward {
  ^bb0(%a: tensor<2xf32>):
    %0 = ember.sub %a, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    ember.yield %a, %0 : tensor<2xf32>, tensor<2xf32>
  } backward {
  ^bb0(%a: tensor<2xf32>, %o0: tensor<2xf32>, %o1: tensor<2xf32>, %g0: tensor<2xf32>, %g1: tensor<2xf32>):
    %s = ember.add %g0, %g1 : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    ember.yield %s : tensor<2xf32>
  }
  return %r#0, %r#1 : tensor<2xf32>, tensor<2xf32>
}

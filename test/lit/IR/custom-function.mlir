// RUN: ember-opt %s --split-input-file | ember-opt --split-input-file | FileCheck %s
// RUN: ember-opt %s --split-input-file --mlir-print-op-generic | ember-opt --split-input-file | FileCheck %s

// Round trip of ember.custom_function (a traced autograd::Function with its
// forward and the user's backward as regions) and its ember.yield.

// Tests that a one-input Function (a straight-through sign) round-trips.
// CHECK-LABEL: func.func @ste
// CHECK: %[[Y:.*]] = ember.custom_function "XNorSign"(%arg0) : (tensor<4xf32>) -> tensor<4xf32> forward {
// CHECK-NEXT: ^bb0(%[[A:.*]]: tensor<4xf32>):
// CHECK-NEXT: %[[S:.*]] = ember.sign %[[A]]
// CHECK-NEXT: ember.yield %[[S]] : tensor<4xf32>
// CHECK-NEXT: } backward {
// CHECK-NEXT: ^bb0(%{{.*}}: tensor<4xf32>, %{{.*}}: tensor<4xf32>, %[[G:.*]]: tensor<4xf32>):
// CHECK-NEXT: ember.yield %[[G]] : tensor<4xf32>
// CHECK: return %[[Y]]
func.func @ste(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = ember.custom_function "XNorSign"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  forward {
  ^bb0(%a: tensor<4xf32>):
    %s = ember.sign %a : (tensor<4xf32>) -> tensor<4xf32>
    ember.yield %s : tensor<4xf32>
  } backward {
  ^bb0(%a: tensor<4xf32>, %out: tensor<4xf32>, %g: tensor<4xf32>):
    ember.yield %g : tensor<4xf32>
  }
  return %y : tensor<4xf32>
}

// -----

// Tests that a two-input, two-output Function round-trips.
// CHECK-LABEL: func.func @two
// CHECK: %[[R:.*]]:2 = ember.custom_function "Two"(%arg0, %arg1) : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) forward {
// CHECK: } backward {
// CHECK: ^bb0(%{{.*}}: tensor<3xf32>, %{{.*}}: tensor<3xf32>, %{{.*}}: tensor<3xf32>, %{{.*}}: tensor<3xf32>, %{{.*}}: tensor<3xf32>, %{{.*}}: tensor<3xf32>):
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @two(%x: tensor<3xf32>, %y: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %r:2 = ember.custom_function "Two"(%x, %y) : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  forward {
  ^bb0(%a: tensor<3xf32>, %b: tensor<3xf32>):
    %s = ember.add %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
    %p = ember.mul %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
    ember.yield %s, %p : tensor<3xf32>, tensor<3xf32>
  } backward {
  ^bb0(%a: tensor<3xf32>, %b: tensor<3xf32>, %o0: tensor<3xf32>, %o1: tensor<3xf32>, %g0: tensor<3xf32>, %g1: tensor<3xf32>):
    ember.yield %g0, %g1 : tensor<3xf32>, tensor<3xf32>
  }
  return %r#0, %r#1 : tensor<3xf32>, tensor<3xf32>
}

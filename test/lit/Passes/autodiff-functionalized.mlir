// RUN: ember-opt %s --ember-functionalize --ember-autodiff | FileCheck %s

// Tests the intended order: a trace with an in-place op is functionalized
// first (mul_ becomes mul), then differentiated on value semantics.
// CHECK-LABEL: func.func @inplace_then_grad
// CHECK-SAME: (%[[X:[^:]*]]: tensor<3xf32>, %[[W:[^:]*]]: tensor<3xf32>)
// CHECK-SAME: -> (tensor<f32>, tensor<3xf32> {ember.grad_of = 1 : i64})
// CHECK-NOT: ember.mul_
// CHECK: %[[C:.*]] = ember.clone %[[X]]
// CHECK: %[[H:.*]] = ember.mul %[[C]], %[[W]]
// CHECK: %[[R:.*]] = ember.relu %[[H]]
// CHECK: %[[S:.*]] = ember.sum %[[R]]
// CHECK: %[[GH:.*]] = ember.where %{{.*}}, %{{.*}}, %{{.*}}
// CHECK: %[[GW:.*]] = ember.mul %[[GH]], %[[C]]
// CHECK-NOT: ember.clone
// CHECK: return %[[S]], %[[GW]]
func.func @inplace_then_grad(%x: tensor<3xf32>, %w: tensor<3xf32>) -> tensor<f32> attributes {ember.autodiff = {of = 0 : i64, wrt = [1]}} {
  %c = ember.clone %x : (tensor<3xf32>) -> tensor<3xf32>
  %0 = ember.mul_ %c, %w : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %1 = ember.relu %c : (tensor<3xf32>) -> tensor<3xf32>
  %2 = ember.sum %1 : (tensor<3xf32>) -> tensor<f32>
  return %2 : tensor<f32>
}

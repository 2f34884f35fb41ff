// RUN: ember-opt %s --split-input-file --ember-autodiff | FileCheck %s

// Gradient placeholders: an argument `ember.gradient_of = i` stands for the
// gradient of argument i that code after a traced backward() reads (an
// optimizer step). ember-autodiff replaces it by the gradient it builds,
// moves the ops that read it after the gradient ops, and removes it.

// Tests an SGD step after the backward: the update reads the placeholder,
// which becomes the gradient; the update follows the gradient ops.
// CHECK-LABEL: func.func @sgd_after_backward
// CHECK-SAME: (%[[W:[^:]*]]: tensor<3xf32>, %[[X:[^:]*]]: tensor<3xf32>, %[[LR:[^:]*]]: tensor<f64>)
// CHECK-SAME: -> (tensor<f32>, tensor<3xf32>, tensor<3xf32> {ember.grad_of = 0 : i64})
// CHECK-NOT: ember.gradient_of
func.func @sgd_after_backward(%w: tensor<3xf32>, %x: tensor<3xf32>, %lr: tensor<f64>,
                              %gw: tensor<3xf32> {ember.gradient_of = 0 : i64})
    -> (tensor<f32>, tensor<3xf32>) attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  // CHECK: %[[M:.*]] = ember.mul %[[W]], %[[X]]
  %0 = ember.mul %w, %x : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  // CHECK: %[[L:.*]] = ember.sum %[[M]]
  %1 = ember.sum %0 : (tensor<3xf32>) -> tensor<f32>
  // The gradient of w is x times the expanded seed.
  // CHECK: %[[G:.*]] = ember.mul %{{.*}}, %[[X]]
  // CHECK: %[[STEP:.*]] = ember.mul %[[G]], %[[LR]]
  %2 = ember.mul %gw, %lr : (tensor<3xf32>, tensor<f64>) -> tensor<3xf32>
  // CHECK: %[[NEW:.*]] = ember.sub %[[W]], %[[STEP]]
  %3 = ember.sub %w, %2 : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  // CHECK: return %[[L]], %[[NEW]], %[[G]]
  return %1, %3 : tensor<f32>, tensor<3xf32>
}

// -----

// Tests that a placeholder the function wrote in place (a result
// `ember.updates` of it, as ember-functionalize leaves it) hands its final
// value to the gradient result, and that the update result goes away.
// CHECK-LABEL: func.func @clipped_gradient
// CHECK-SAME: -> (tensor<f32>, tensor<3xf32> {ember.grad_of = 0 : i64})
func.func @clipped_gradient(%w: tensor<3xf32>, %gw: tensor<3xf32> {ember.gradient_of = 0 : i64})
    -> (tensor<f32>, tensor<3xf32> {ember.updates = 1 : i64}) attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  // CHECK: %[[E:.*]] = ember.exp %[[W:.*]]
  %0 = ember.exp %w : (tensor<3xf32>) -> tensor<3xf32>
  // CHECK: %[[L:.*]] = ember.sum %[[E]]
  %1 = ember.sum %0 : (tensor<3xf32>) -> tensor<f32>
  %half = ember.constant dense<5.000000e-01> : tensor<f32>
  // CHECK: %[[G:.*]] = ember.mul %{{.*}}, %[[E]]
  // CHECK: %[[C:.*]] = ember.mul %[[G]], %{{.*}}
  %2 = ember.mul %gw, %half : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  // CHECK: return %[[L]], %[[C]]
  return %1, %2 : tensor<f32>, tensor<3xf32>
}

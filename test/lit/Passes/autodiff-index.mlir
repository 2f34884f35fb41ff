// RUN: ember-opt %s --split-input-file --ember-autodiff | FileCheck %s

// Gradient rules of the indexing ops (ir/lib/IR/Gradients/IndexRules.cpp):
// the indices get no gradient; %[[G]] is the incoming gradient.

// Tests gather: the gradient scatter-added into zeros.
// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[X:[^:]*]]: tensor<3x4xf32>, %[[I:[^:]*]]: tensor<3x2xi64>, %[[G:[^:]*]]: tensor<3x2xf32> {ember.grad_seed = 0 : i64})
// CHECK: %[[Z:.*]] = ember.constant dense<0.000000e+00> : tensor<3x4xf32>
// CHECK: %[[R:.*]] = ember.scatter_add %[[Z]], %[[I]], %[[G]] {dim = 1 : i64}
// CHECK: return %{{.*}}, %[[R]]
func.func @gather(%x: tensor<3x4xf32>, %i: tensor<3x2xi64>) -> tensor<3x2xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.gather %x, %i {dim = 1 : i64} : (tensor<3x4xf32>, tensor<3x2xi64>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// Tests scatter_add: the input gets the gradient, `src` the gradient
// gathered at the index.
// CHECK-LABEL: func.func @scatter_add
// CHECK-SAME: (%[[X:[^:]*]]: tensor<3x4xf32>, %[[I:[^:]*]]: tensor<3x2xi64>, %[[S:[^:]*]]: tensor<3x2xf32>, %[[G:[^:]*]]: tensor<3x4xf32> {ember.grad_seed = 0 : i64})
// CHECK: %[[GS:.*]] = ember.gather %[[G]], %[[I]] {dim = 1 : i64}
// CHECK: return %{{.*}}, %[[G]], %[[GS]]
func.func @scatter_add(%x: tensor<3x4xf32>, %i: tensor<3x2xi64>, %s: tensor<3x2xf32>) -> tensor<3x4xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0, 2]}} {
  %0 = ember.scatter_add %x, %i, %s {dim = 1 : i64} : (tensor<3x4xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// Tests index_select with an i32 index: the index widened to i64 and
// broadcast over the other dims, the gradient scatter-added into zeros (so
// repeated indices sum).
// CHECK-LABEL: func.func @index_select
// CHECK-SAME: (%[[X:[^:]*]]: tensor<4x3xf32>, %[[I:[^:]*]]: tensor<5xi32>, %[[G:[^:]*]]: tensor<4x5xf32> {ember.grad_seed = 0 : i64})
// CHECK: %[[R:.*]] = ember.reshape %[[I]] {shape = array<i64: 1, 5>}
// CHECK: %[[W:.*]] = ember.to_dtype %[[R]] {dtype = i64}
// CHECK: %[[E:.*]] = ember.expand %[[W]] {shape = array<i64: 4, 5>}
// CHECK: %[[Z:.*]] = ember.constant dense<0.000000e+00> : tensor<4x3xf32>
// CHECK: %[[GX:.*]] = ember.scatter_add %[[Z]], %[[E]], %[[G]] {dim = 1 : i64}
// CHECK: return %{{.*}}, %[[GX]]
func.func @index_select(%x: tensor<4x3xf32>, %i: tensor<5xi32>) -> tensor<4x5xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.index_select %x, %i {dim = 1 : i64} : (tensor<4x3xf32>, tensor<5xi32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// Tests advanced indexing: the gradient accumulated into zeros with
// index_put_.
// CHECK-LABEL: func.func @index_tensor
// CHECK-SAME: (%[[X:[^:]*]]: tensor<5x3xf32>, %[[I:[^:]*]]: tensor<4xi64>, %[[G:[^:]*]]: tensor<4x3xf32> {ember.grad_seed = 0 : i64})
// CHECK: %[[Z:.*]] = ember.constant dense<0.000000e+00> : tensor<5x3xf32>
// CHECK: %[[R:.*]] = ember.index_put_ %[[Z]], %[[G]], %[[I]] {accumulate = true}
// CHECK: return %{{.*}}, %[[R]]
func.func @index_tensor(%x: tensor<5x3xf32>, %i: tensor<4xi64>) -> tensor<4x3xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.index_tensor %x, %i : (tensor<5x3xf32>, tensor<4xi64>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Tests index_put_ (not accumulating): `self` gets the gradient with the
// written positions zeroed; `values` the gradient at those positions,
// summed down to its shape.
// CHECK-LABEL: func.func @index_put
// CHECK-SAME: (%[[X:[^:]*]]: tensor<5x3xf32>, %[[V:[^:]*]]: tensor<3xf32>, %[[I:[^:]*]]: tensor<4xi64>, %[[G:[^:]*]]: tensor<5x3xf32> {ember.grad_seed = 0 : i64})
// CHECK: %[[Z:.*]] = ember.constant dense<0.000000e+00> : tensor<f32>
// CHECK: %[[GX:.*]] = ember.index_put_ %[[G]], %[[Z]], %[[I]] {accumulate = false}
// CHECK: %[[P:.*]] = ember.index_tensor %[[G]], %[[I]]
// CHECK: %[[GV:.*]] = ember.sum %[[P]] {dims = array<i64: 0>, keepdim = false} : (tensor<4x3xf32>) -> tensor<3xf32>
// CHECK: return %{{.*}}, %[[GX]], %[[GV]]
func.func @index_put(%x: tensor<5x3xf32>, %v: tensor<3xf32>, %i: tensor<4xi64>) -> tensor<5x3xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0, 1]}} {
  %0 = ember.index_put_ %x, %v, %i : (tensor<5x3xf32>, tensor<3xf32>, tensor<4xi64>) -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}

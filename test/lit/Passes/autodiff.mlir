// RUN: ember-opt %s --split-input-file --ember-autodiff | FileCheck %s

// ember-autodiff: the request attribute, the seed, the gradient results
// marked `ember.grad_of`, accumulation of a value used several times, and
// dead-gradient elimination (no gradient work off the paths from the `wrt`
// arguments to the differentiated result).

// Tests that a 0-d result is seeded with 1, that the gradients are appended
// in `wrt` order with `ember.grad_of`, and that the request is removed.
// CHECK-LABEL: func.func @scalar_loss
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>, %[[Y:.*]]: tensor<3xf32>)
// CHECK-SAME: -> (tensor<f32>, tensor<3xf32> {ember.grad_of = 1 : i64}, tensor<3xf32> {ember.grad_of = 0 : i64})
// CHECK-NOT: ember.autodiff
func.func @scalar_loss(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<f32> attributes {ember.autodiff = {of = 0 : i64, wrt = [1, 0]}} {
  // CHECK: %[[M:.*]] = ember.mul %[[X]], %[[Y]]
  %0 = ember.mul %x, %y : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  // CHECK: %[[S:.*]] = ember.sum %[[M]]
  %1 = ember.sum %0 : (tensor<3xf32>) -> tensor<f32>
  // CHECK: %[[ONE:.*]] = ember.constant dense<1.000000e+00> : tensor<f32>
  // CHECK: %[[R:.*]] = ember.reshape %[[ONE]] {shape = array<i64: 1>}
  // CHECK: %[[G:.*]] = ember.expand %[[R]] {shape = array<i64: 3>}
  // CHECK-DAG: %[[GX:.*]] = ember.mul %[[G]], %[[Y]]
  // CHECK-DAG: %[[GY:.*]] = ember.mul %[[G]], %[[X]]
  // CHECK: return %[[S]], %[[GY]], %[[GX]]
  return %1 : tensor<f32>
}

// -----

// Tests that a non-scalar result gets its incoming gradient as a new
// trailing argument marked `ember.grad_seed`.
// CHECK-LABEL: func.func @vjp
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[SEED:.*]]: tensor<2x3xf32> {ember.grad_seed = 0 : i64})
// CHECK-SAME: -> (tensor<2x3xf32>, tensor<2x3xf32> {ember.grad_of = 0 : i64})
func.func @vjp(%x: tensor<2x3xf32>) -> tensor<2x3xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  // CHECK: %[[E:.*]] = ember.exp %[[X]]
  %0 = ember.exp %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[G:.*]] = ember.mul %[[SEED]], %[[E]]
  // CHECK: return %[[E]], %[[G]]
  return %0 : tensor<2x3xf32>
}

// -----

// Tests that a value used several times gets the sum of its gradients.
// CHECK-LABEL: func.func @shared_use
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
func.func @shared_use(%x: tensor<4xf32>) -> tensor<f32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  // CHECK: %[[E:.*]] = ember.exp %[[X]]
  %0 = ember.exp %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: %[[N:.*]] = ember.neg %[[X]]
  %1 = ember.neg %x : (tensor<4xf32>) -> tensor<4xf32>
  %2 = ember.add %0, %1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = ember.sum %2 : (tensor<4xf32>) -> tensor<f32>
  // CHECK: %[[G:.*]] = ember.expand
  // CHECK: %[[GN:.*]] = ember.neg %[[G]]
  // CHECK: %[[GE:.*]] = ember.mul %[[G]], %[[E]]
  // CHECK: %[[ACC:.*]] = ember.add %[[GN]], %[[GE]]
  // CHECK: return %{{.*}}, %[[ACC]]
  return %3 : tensor<f32>
}

// -----

// Tests dead-gradient elimination: the frozen argument %w (not in `wrt`)
// gets no gradient ops (no transpose of %x for mm's rhs), and the branch
// through %u that does not reach the result gets none either.
// CHECK-LABEL: func.func @frozen_and_dead_branch
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[W:.*]]: tensor<3x4xf32>, %[[U:.*]]: tensor<2x3xf32>)
// CHECK-SAME: -> (tensor<f32>, tensor<2x3xf32>, tensor<2x3xf32> {ember.grad_of = 0 : i64})
func.func @frozen_and_dead_branch(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>, %u: tensor<2x3xf32>) -> (tensor<f32>, tensor<2x3xf32>) attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.mm %x, %w : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %1 = ember.sum %0 : (tensor<2x4xf32>) -> tensor<f32>
  // Uses %x but does not reach result 0.
  %2 = ember.sigmoid %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = ember.mul %2, %u : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: ember.mul
  // No sigmoid gradient (1 - y) before the mm gradient:
  // CHECK-NOT: ember.sub
  // CHECK: %[[WT:.*]] = ember.transpose %[[W]] {dim0 = 0 : i64, dim1 = 1 : i64}
  // CHECK: %[[GX:.*]] = ember.mm %{{.*}}, %[[WT]]
  // CHECK-NOT: ember.transpose
  // CHECK-NOT: ember.mul
  // CHECK: return %{{.*}}, %{{.*}}, %[[GX]]
  return %1, %3 : tensor<f32>, tensor<2x3xf32>
}

// -----

// Tests that an argument the result does not depend on gets a zero literal,
// and that a function without a request is left alone.
// CHECK-LABEL: func.func @unreached
// CHECK: %[[Z:.*]] = ember.constant dense<0.000000e+00> : tensor<3xf64>
// CHECK: return %{{.*}}, %[[Z]]
func.func @unreached(%x: tensor<3xf64>, %y: tensor<3xf64>) -> tensor<f64> attributes {ember.autodiff = {of = 0 : i64, wrt = [1]}} {
  %0 = ember.sum %x : (tensor<3xf64>) -> tensor<f64>
  return %0 : tensor<f64>
}
// CHECK-LABEL: func.func @no_request
// CHECK-SAME: -> tensor<f32>
// CHECK-NEXT: ember.exp
// CHECK-NEXT: return
func.func @no_request(%x: tensor<f32>) -> tensor<f32> {
  %0 = ember.exp %x : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Tests that integer values carry no gradient: the comparison feeding
// `where` is not differentiated, only the selected branch.
// CHECK-LABEL: func.func @integer_paths
func.func @integer_paths(%x: tensor<4xf32>) -> tensor<f32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %z = ember.constant dense<0.0> : tensor<f32>
  // CHECK: %[[C:.*]] = ember.gt
  %c = ember.gt %x, %z : (tensor<4xf32>, tensor<f32>) -> tensor<4xi1>
  %0 = ember.where %c, %x, %z : (tensor<4xi1>, tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = ember.sum %0 : (tensor<4xf32>) -> tensor<f32>
  // CHECK: %[[G:.*]] = ember.expand
  // CHECK: %[[GX:.*]] = ember.where %[[C]], %[[G]], %{{.*}}
  // CHECK: return %{{.*}}, %[[GX]]
  return %1 : tensor<f32>
}

// -----

// Tests a request for the second result: the first result is left alone
// (its ops get no gradient work) and the gradient of a value used twice is
// the sum of both uses' gradients.
// CHECK-LABEL: func.func @second_result
// CHECK-SAME: (%[[X:[^:]*]]: tensor<f32>)
// CHECK-SAME: -> (tensor<f32>, tensor<f32>, tensor<f32> {ember.grad_of = 0 : i64})
func.func @second_result(%x: tensor<f32>) -> (tensor<f32>, tensor<f32>) attributes {ember.autodiff = {of = 1 : i64, wrt = [0]}} {
  // CHECK: %[[A:.*]] = ember.exp %[[X]]
  %0 = ember.exp %x : (tensor<f32>) -> tensor<f32>
  // CHECK: %[[B:.*]] = ember.mul %[[X]], %[[X]]
  %1 = ember.mul %x, %x : (tensor<f32>, tensor<f32>) -> tensor<f32>
  // CHECK: %[[ONE:.*]] = ember.constant dense<1.000000e+00>
  // CHECK: %[[G0:.*]] = ember.mul %[[ONE]], %[[X]]
  // CHECK: %[[G1:.*]] = ember.mul %[[ONE]], %[[X]]
  // CHECK: %[[G:.*]] = ember.add %[[G0]], %[[G1]]
  // CHECK-NOT: ember.exp
  // CHECK: return %[[A]], %[[B]], %[[G]]
  return %0, %1 : tensor<f32>, tensor<f32>
}

// RUN: ember-opt %s --split-input-file --ember-autodiff | FileCheck %s

// Gradient rules of the elementwise ops (ir/lib/IR/Gradients/
// ElementwiseRules.cpp). Each function returns a non-scalar result, so the
// incoming gradient is the trailing argument %[[G]].

// Tests relu: the gradient where the output is > 0.
// CHECK-LABEL: func.func @relu
// CHECK-SAME: %[[G:[^:]*]]: tensor<4xf32> {ember.grad_seed = 0 : i64}
// CHECK: %[[Y:.*]] = ember.relu
// CHECK: %[[Z:.*]] = ember.constant dense<0.000000e+00> : tensor<f32>
// CHECK: %[[POS:.*]] = ember.gt %[[Y]], %[[Z]]
// CHECK: %[[R:.*]] = ember.where %[[POS]], %[[G]], %{{.*}}
// CHECK: return %[[Y]], %[[R]]
func.func @relu(%x: tensor<4xf32>) -> tensor<4xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.relu %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests sigmoid: g * y * (1 - y), from the forward output.
// CHECK-LABEL: func.func @sigmoid
// CHECK-SAME: %[[G:[^:]*]]: tensor<4xf32> {ember.grad_seed = 0 : i64}
// CHECK: %[[Y:.*]] = ember.sigmoid
// CHECK: %[[ONE:.*]] = ember.constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[D:.*]] = ember.sub %[[ONE]], %[[Y]]
// CHECK: %[[YD:.*]] = ember.mul %[[Y]], %[[D]]
// CHECK: %[[R:.*]] = ember.mul %[[G]], %[[YD]]
// CHECK: return %[[Y]], %[[R]]
func.func @sigmoid(%x: tensor<4xf32>) -> tensor<4xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.sigmoid %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests add/sub with alpha and broadcasting: the rhs gradient is scaled by
// alpha (negated for sub) and summed down to the operand's shape (leading
// dims dropped, size-1 dims kept).
// CHECK-LABEL: func.func @add_sub_broadcast
// CHECK-SAME: %[[G:[^:]*]]: tensor<2x3xf32> {ember.grad_seed = 0 : i64}
// CHECK-SAME: -> (tensor<2x3xf32>, tensor<3xf32> {ember.grad_of = 1 : i64}, tensor<2x1xf32> {ember.grad_of = 2 : i64})
// CHECK: %[[N:.*]] = ember.neg %[[G]]
// CHECK: %[[GC:.*]] = ember.sum %[[N]] {dims = array<i64: 1>, keepdim = true} : (tensor<2x3xf32>) -> tensor<2x1xf32>
// CHECK: %[[ALPHA:.*]] = ember.constant dense<2.000000e+00> : tensor<f32>
// CHECK: %[[S:.*]] = ember.mul %[[G]], %[[ALPHA]]
// CHECK: %[[GB:.*]] = ember.sum %[[S]] {dims = array<i64: 0>, keepdim = false} : (tensor<2x3xf32>) -> tensor<3xf32>
// CHECK: return %{{.*}}, %[[GB]], %[[GC]]
func.func @add_sub_broadcast(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %c: tensor<2x1xf32>) -> tensor<2x3xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [1, 2]}} {
  %0 = ember.add %a, %b {alpha = 2.0 : f64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = ember.sub %0, %c : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// Tests div: g / b and -g * a / (b * b).
// CHECK-LABEL: func.func @div
// CHECK-SAME: (%[[A:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<3xf32>, %[[G:.*]]: tensor<3xf32> {ember.grad_seed = 0 : i64})
// CHECK: %[[GA:.*]] = ember.div %[[G]], %[[B]]
// CHECK: %[[BB:.*]] = ember.mul %[[B]], %[[B]]
// CHECK: %[[NG:.*]] = ember.neg %[[G]]
// CHECK: %[[NGA:.*]] = ember.mul %[[NG]], %[[A]]
// CHECK: %[[GB:.*]] = ember.div %[[NGA]], %[[BB]]
// CHECK: return %{{.*}}, %[[GA]], %[[GB]]
func.func @div(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0, 1]}} {
  %0 = ember.div %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Tests maximum: the gradient halved where the operands tie, zero where
// the other operand wins; only the requested operand's ops remain.
// CHECK-LABEL: func.func @maximum
// CHECK-SAME: (%[[A:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<3xf32>, %[[G:.*]]: tensor<3xf32> {ember.grad_seed = 0 : i64})
// CHECK: %[[EQ:.*]] = ember.eq %[[A]], %[[B]]
// CHECK: %[[HALF:.*]] = ember.mul %[[G]], %{{.*}}
// CHECK: %[[SHARED:.*]] = ember.where %[[EQ]], %[[HALF]], %[[G]]
// CHECK: %[[BWINS:.*]] = ember.gt %[[B]], %[[A]]
// CHECK: %[[GA:.*]] = ember.where %[[BWINS]], %{{.*}}, %[[SHARED]]
// CHECK-NOT: ember.gt
// CHECK: return %{{.*}}, %[[GA]]
func.func @maximum(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.maximum %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Tests clamp: the gradient where min <= x <= max.
// CHECK-LABEL: func.func @clamp
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>, %[[G:.*]]: tensor<3xf32> {ember.grad_seed = 0 : i64})
// CHECK: %[[LO:.*]] = ember.ge %[[X]]
// CHECK: %[[HI:.*]] = ember.le %[[X]]
// CHECK: %[[IN:.*]] = ember.logical_and %[[LO]], %[[HI]]
// CHECK: %[[R:.*]] = ember.where %[[IN]], %[[G]], %{{.*}}
// CHECK: return %{{.*}}, %[[R]]
func.func @clamp(%x: tensor<3xf32>) -> tensor<3xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.clamp %x {min = 0.0 : f64, max = 6.0 : f64} : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Tests where: no gradient for the condition; a 0-d f64 branch gets the
// sum of its gradient, cast back to f64.
// CHECK-LABEL: func.func @where
// CHECK-SAME: (%[[C:.*]]: tensor<3xi1>, %[[A:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<f64>, %[[G:.*]]: tensor<3xf32> {ember.grad_seed = 0 : i64})
// CHECK: %[[GA:.*]] = ember.where %[[C]], %[[G]], %{{.*}}
// CHECK: %[[GBF:.*]] = ember.where %[[C]], %{{.*}}, %[[G]]
// CHECK: %[[S:.*]] = ember.sum %[[GBF]] {dims = array<i64: 0>, keepdim = false} : (tensor<3xf32>) -> tensor<f32>
// CHECK: %[[GB:.*]] = ember.to_dtype %[[S]] {dtype = f64}
// CHECK: return %{{.*}}, %[[GA]], %[[GB]]
func.func @where(%c: tensor<3xi1>, %a: tensor<3xf32>, %b: tensor<f64>) -> tensor<3xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [1, 2]}} {
  %0 = ember.where %c, %a, %b : (tensor<3xi1>, tensor<3xf32>, tensor<f64>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Tests a piecewise-constant op (floor): a zero gradient.
// CHECK-LABEL: func.func @floor
// CHECK: %[[Z:.*]] = ember.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK: return %{{.*}}, %[[Z]]
func.func @floor(%x: tensor<3xf32>) -> tensor<3xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.floor %x : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Tests a dtype cast: the gradient cast back to the operand's type.
// CHECK-LABEL: func.func @cast
// CHECK-SAME: %[[G:[^:]*]]: tensor<3xf64> {ember.grad_seed = 0 : i64}
// CHECK: %[[R:.*]] = ember.to_dtype %[[G]] {dtype = f32} : (tensor<3xf64>) -> tensor<3xf32>
// CHECK: return %{{.*}}, %[[R]]
func.func @cast(%x: tensor<3xf32>) -> tensor<3xf64> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.to_dtype %x {dtype = f64} : (tensor<3xf32>) -> tensor<3xf64>
  return %0 : tensor<3xf64>
}

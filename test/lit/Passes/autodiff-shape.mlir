// RUN: ember-opt %s --split-input-file --ember-autodiff | FileCheck %s

// Gradient rules of views, cat and stack (ir/lib/IR/Gradients/ShapeRules.cpp).

// Tests reshape: the gradient reshaped back.
// CHECK-LABEL: func.func @reshape
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3xf32>, %[[G:[^:]*]]: {{.*}} {ember.grad_seed = 0 : i64}
// CHECK: %[[R:.*]] = ember.reshape %[[G]] {shape = array<i64: 2, 3>}
// CHECK: return %{{.*}}, %[[R]]
func.func @reshape(%x: tensor<2x3xf32>) -> tensor<6xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.reshape %x {shape = array<i64: -1>} : (tensor<2x3xf32>) -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

// -----

// Tests permute: the inverse permutation.
// CHECK-LABEL: func.func @permute
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3x4xf32>, %[[G:[^:]*]]: {{.*}} {ember.grad_seed = 0 : i64}
// CHECK: %[[R:.*]] = ember.permute %[[G]] {dims = array<i64: 2, 0, 1>}
// CHECK: return %{{.*}}, %[[R]]
func.func @permute(%x: tensor<2x3x4xf32>) -> tensor<3x4x2xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.permute %x {dims = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  return %0 : tensor<3x4x2xf32>
}

// -----

// Tests expand: the gradient summed down to the input shape (the broadcasting
// helper).
// CHECK-LABEL: func.func @expand
// CHECK-SAME: (%[[X:[^:]*]]: tensor<3x1xf32>, %[[G:[^:]*]]: {{.*}} {ember.grad_seed = 0 : i64}
// CHECK: %[[S0:.*]] = ember.sum %[[G]] {dims = array<i64: 0>, keepdim = false} : (tensor<2x3x4xf32>) -> tensor<3x4xf32>
// CHECK: %[[S1:.*]] = ember.sum %[[S0]] {dims = array<i64: 1>, keepdim = true} : (tensor<3x4xf32>) -> tensor<3x1xf32>
// CHECK: return %{{.*}}, %[[S1]]
func.func @expand(%x: tensor<3x1xf32>) -> tensor<2x3x4xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.expand %x {shape = array<i64: 2, 3, 4>} : (tensor<3x1xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// Tests narrow: the gradient padded with zeros along the dim.
// CHECK-LABEL: func.func @narrow
// CHECK-SAME: (%[[X:[^:]*]]: tensor<5x2xf32>, %[[G:[^:]*]]: {{.*}} {ember.grad_seed = 0 : i64}
// CHECK: %[[Z0:.*]] = ember.constant dense<0.000000e+00> : tensor<1x2xf32>
// CHECK: %[[Z1:.*]] = ember.constant dense<0.000000e+00> : tensor<2x2xf32>
// CHECK: %[[R:.*]] = ember.cat %[[Z0]], %[[G]], %[[Z1]] {dim = 0 : i64}
// CHECK: return %{{.*}}, %[[R]]
func.func @narrow(%x: tensor<5x2xf32>) -> tensor<2x2xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.narrow %x {dim = 0 : i64, start = 1 : i64, length = 2 : i64} : (tensor<5x2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// Tests select with a negative index: the gradient as a slice of size 1 at
// the end.
// CHECK-LABEL: func.func @select
// CHECK-SAME: (%[[X:[^:]*]]: tensor<3x2xf32>, %[[G:[^:]*]]: {{.*}} {ember.grad_seed = 0 : i64}
// CHECK: %[[U:.*]] = ember.reshape %[[G]] {shape = array<i64: 1, 2>}
// CHECK: %[[Z:.*]] = ember.constant dense<0.000000e+00> : tensor<2x2xf32>
// CHECK: %[[R:.*]] = ember.cat %[[Z]], %[[U]] {dim = 0 : i64}
// CHECK: return %{{.*}}, %[[R]]
func.func @select(%x: tensor<3x2xf32>) -> tensor<2xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.select %x {dim = 0 : i64, index = -1 : i64} : (tensor<3x2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Tests cat: each operand gets its narrow of the gradient.
// CHECK-LABEL: func.func @cat
// CHECK-SAME: (%[[A:[^:]*]]: tensor<2x3xf32>, %[[B:[^:]*]]: tensor<2x1xf32>, %[[G:[^:]*]]: {{.*}} {ember.grad_seed = 0 : i64}
// CHECK: %[[GA:.*]] = ember.narrow %[[G]] {dim = 1 : i64, length = 3 : i64, start = 0 : i64}
// CHECK: %[[GB:.*]] = ember.narrow %[[G]] {dim = 1 : i64, length = 1 : i64, start = 3 : i64}
// CHECK: return %{{.*}}, %[[GA]], %[[GB]]
func.func @cat(%a: tensor<2x3xf32>, %b: tensor<2x1xf32>) -> tensor<2x4xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0, 1]}} {
  %0 = ember.cat %a, %b {dim = 1 : i64} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Tests stack: each operand gets its select of the gradient.
// CHECK-LABEL: func.func @stack
// CHECK-SAME: (%[[A:[^:]*]]: tensor<3xf32>, %[[B:[^:]*]]: tensor<3xf32>, %[[G:[^:]*]]: {{.*}} {ember.grad_seed = 0 : i64}
// CHECK: %[[GA:.*]] = ember.select %[[G]] {dim = 0 : i64, index = 0 : i64}
// CHECK: %[[GB:.*]] = ember.select %[[G]] {dim = 0 : i64, index = 1 : i64}
// CHECK: return %{{.*}}, %[[GA]], %[[GB]]
func.func @stack(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0, 1]}} {
  %0 = ember.stack %a, %b {dim = 0 : i64} : (tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Tests a slice with a step > 1: the gradient written into zeros at the
// sliced positions with index_put_, the sliced dim moved to the front.
// CHECK-LABEL: func.func @strided_slice
// CHECK-SAME: (%[[X:[^:]*]]: tensor<3x8xf32>, %[[G:[^:]*]]: tensor<3x3xf32> {ember.grad_seed = 0 : i64})
// CHECK: %[[I:.*]] = ember.constant dense<[1, 3, 5]> : tensor<3xi64>
// CHECK: %[[GT:.*]] = ember.transpose %[[G]] {dim0 = 0 : i64, dim1 = 1 : i64}
// CHECK: %[[Z:.*]] = ember.constant dense<0.000000e+00> : tensor<3x8xf32>
// CHECK: %[[ZT:.*]] = ember.transpose %[[Z]] {dim0 = 0 : i64, dim1 = 1 : i64}
// CHECK: %[[P:.*]] = ember.index_put_ %[[ZT]], %[[GT]], %[[I]] {accumulate = false}
// CHECK: %[[R:.*]] = ember.transpose %[[P]] {dim0 = 0 : i64, dim1 = 1 : i64}
// CHECK: return %{{.*}}, %[[R]]
func.func @strided_slice(%x: tensor<3x8xf32>) -> tensor<3x3xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.slice %x {dim = 1 : i64, start = 1 : i64, end = 7 : i64, step = 2 : i64} : (tensor<3x8xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

// Tests as_strided of an argument: the gradient scatter-added into zeros of
// the input's storage at the positions the result reads (offset 1, strides
// 1 and 2), reshaped to the input.
// CHECK-LABEL: func.func @as_strided
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3xf32>, %[[G:[^:]*]]: tensor<2x2xf32> {ember.grad_seed = 0 : i64})
// CHECK-DAG: %[[Z:.*]] = ember.constant dense<0.000000e+00> : tensor<6xf32>
// CHECK-DAG: %[[I:.*]] = ember.constant dense<[1, 3, 2, 4]> : tensor<4xi64>
// CHECK-DAG: %[[F:.*]] = ember.reshape %[[G]] {shape = array<i64: 4>}
// CHECK: %[[S:.*]] = ember.scatter_add %[[Z]], %[[I]], %[[F]] {dim = 0 : i64}
// CHECK: %[[R:.*]] = ember.reshape %[[S]] {shape = array<i64: 2, 3>}
// CHECK: return %{{.*}}, %[[R]]
func.func @as_strided(%x: tensor<2x3xf32>) -> tensor<2x2xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.as_strided %x {size = array<i64: 2, 2>, stride = array<i64: 1, 2>, storage_offset = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// Tests as_strided reading elements twice (overlapping strides): their
// gradients accumulate at the same index.
// CHECK-LABEL: func.func @as_strided_overlap
// CHECK-DAG: ember.constant dense<[0, 1, 1, 2]> : tensor<4xi64>
// CHECK: ember.scatter_add
func.func @as_strided_overlap(%x: tensor<3xf32>) -> tensor<2x2xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.as_strided %x {size = array<i64: 2, 2>, stride = array<i64: 1, 1>} : (tensor<3xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

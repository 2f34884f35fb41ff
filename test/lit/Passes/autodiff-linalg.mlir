// RUN: ember-opt %s --split-input-file --ember-autodiff | FileCheck %s

// Gradient rules of mm, bmm and matmul (ir/lib/IR/Gradients/LinalgRules.cpp):
// dA = dC B^T, dB = A^T dC with ember.transpose operands; broadcast batch
// dims summed away; 1-D operands promoted and reshaped back.

// Tests mm: both operand gradients.
// CHECK-LABEL: func.func @mm
// CHECK-SAME: (%[[A:[^:]*]]: tensor<2x3xf32>, %[[B:[^:]*]]: tensor<3x4xf32>, %[[G:[^:]*]]: {{.*}} {ember.grad_seed = 0 : i64}
// CHECK: %[[BT:.*]] = ember.transpose %[[B]] {dim0 = 0 : i64, dim1 = 1 : i64}
// CHECK: %[[GA:.*]] = ember.mm %[[G]], %[[BT]] : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
// CHECK: %[[AT:.*]] = ember.transpose %[[A]] {dim0 = 0 : i64, dim1 = 1 : i64}
// CHECK: %[[GB:.*]] = ember.mm %[[AT]], %[[G]] : (tensor<3x2xf32>, tensor<2x4xf32>) -> tensor<3x4xf32>
// CHECK: return %{{.*}}, %[[GA]], %[[GB]]
func.func @mm(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0, 1]}} {
  %0 = ember.mm %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Tests bmm: the last two dims transposed.
// CHECK-LABEL: func.func @bmm
// CHECK-SAME: (%[[A:[^:]*]]: tensor<5x2x3xf32>, %[[B:[^:]*]]: tensor<5x3x4xf32>, %[[G:[^:]*]]: {{.*}} {ember.grad_seed = 0 : i64}
// CHECK: %[[BT:.*]] = ember.transpose %[[B]] {dim0 = 1 : i64, dim1 = 2 : i64}
// CHECK: %[[GA:.*]] = ember.bmm %[[G]], %[[BT]]
// CHECK: %[[AT:.*]] = ember.transpose %[[A]] {dim0 = 1 : i64, dim1 = 2 : i64}
// CHECK: %[[GB:.*]] = ember.bmm %[[AT]], %[[G]]
// CHECK: return %{{.*}}, %[[GA]], %[[GB]]
func.func @bmm(%a: tensor<5x2x3xf32>, %b: tensor<5x3x4xf32>) -> tensor<5x2x4xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0, 1]}} {
  %0 = ember.bmm %a, %b : (tensor<5x2x3xf32>, tensor<5x3x4xf32>) -> tensor<5x2x4xf32>
  return %0 : tensor<5x2x4xf32>
}

// -----

// Tests matmul with a broadcast rhs: its gradient summed over the batch dim.
// CHECK-LABEL: func.func @matmul_bcast
// CHECK-SAME: (%[[A:[^:]*]]: tensor<5x2x3xf32>, %[[B:[^:]*]]: tensor<3x4xf32>, %[[G:[^:]*]]: {{.*}} {ember.grad_seed = 0 : i64}
// CHECK: %[[BT:.*]] = ember.transpose %[[B]] {dim0 = 0 : i64, dim1 = 1 : i64}
// CHECK: %[[GA:.*]] = ember.matmul %[[G]], %[[BT]] : (tensor<5x2x4xf32>, tensor<4x3xf32>) -> tensor<5x2x3xf32>
// CHECK: %[[AT:.*]] = ember.transpose %[[A]] {dim0 = 1 : i64, dim1 = 2 : i64}
// CHECK: %[[GBB:.*]] = ember.matmul %[[AT]], %[[G]] : (tensor<5x3x2xf32>, tensor<5x2x4xf32>) -> tensor<5x3x4xf32>
// CHECK: %[[GB:.*]] = ember.sum %[[GBB]] {dims = array<i64: 0>, keepdim = false} : (tensor<5x3x4xf32>) -> tensor<3x4xf32>
// CHECK: return %{{.*}}, %[[GA]], %[[GB]]
func.func @matmul_bcast(%a: tensor<5x2x3xf32>, %b: tensor<3x4xf32>) -> tensor<5x2x4xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0, 1]}} {
  %0 = ember.matmul %a, %b : (tensor<5x2x3xf32>, tensor<3x4xf32>) -> tensor<5x2x4xf32>
  return %0 : tensor<5x2x4xf32>
}

// -----

// Tests matrix-vector matmul: the vector as a column, its gradient reshaped
// back to 1-D; only the requested operand is built.
// CHECK-LABEL: func.func @matmul_vec
// CHECK-SAME: (%[[A:[^:]*]]: tensor<2x3xf32>, %[[V:[^:]*]]: tensor<3xf32>, %[[G:[^:]*]]: {{.*}} {ember.grad_seed = 0 : i64}
// CHECK: %[[GC:.*]] = ember.reshape %[[G]] {shape = array<i64: 2, 1>}
// CHECK: %[[AT:.*]] = ember.transpose %[[A]]
// CHECK: %[[P:.*]] = ember.matmul %[[AT]], %[[GC]] : (tensor<3x2xf32>, tensor<2x1xf32>) -> tensor<3x1xf32>
// CHECK: %[[GV:.*]] = ember.reshape %[[P]] {shape = array<i64: 3>}
// CHECK-NOT: ember.matmul
// CHECK: return %{{.*}}, %[[GV]]
func.func @matmul_vec(%a: tensor<2x3xf32>, %v: tensor<3xf32>) -> tensor<2xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [1]}} {
  %0 = ember.matmul %a, %v : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

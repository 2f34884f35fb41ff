// RUN: ember-opt %s --split-input-file --convert-ember-to-linalg | FileCheck %s

// convert-ember-to-linalg on matrix products: named linalg contractions into
// a zero-filled init, with reshapes and broadcasts for torch.matmul's cases.

// Tests that mm is linalg.matmul into a zero-filled 2-D init.
// CHECK-LABEL: func.func @mm
// CHECK-SAME: (%[[A:.*]]: tensor<4x3xf32>, %[[B:.*]]: tensor<3x5xf32>)
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x5xf32>
// CHECK: %[[F:.*]] = linalg.fill ins(%[[Z]] : f32) outs(%[[E]] : tensor<4x5xf32>)
// CHECK: %[[R:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<4x3xf32>, tensor<3x5xf32>) outs(%[[F]] : tensor<4x5xf32>)
// CHECK: return %[[R]]
func.func @mm(%a: tensor<4x3xf32>, %b: tensor<3x5xf32>) -> tensor<4x5xf32> {
  %0 = ember.mm %a, %b : (tensor<4x3xf32>, tensor<3x5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// Tests that bmm is linalg.batch_matmul (integers too, in their own type).
// CHECK-LABEL: func.func @bmm
// CHECK: arith.constant 0 : i64
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<2x4x3xi64>, tensor<2x3x5xi64>) outs(%{{.*}} : tensor<2x4x5xi64>)
func.func @bmm(%a: tensor<2x4x3xi64>, %b: tensor<2x3x5xi64>) -> tensor<2x4x5xi64> {
  %0 = ember.bmm %a, %b : (tensor<2x4x3xi64>, tensor<2x3x5xi64>) -> tensor<2x4x5xi64>
  return %0 : tensor<2x4x5xi64>
}

// -----

// Tests that matmul's 1-D and 2-D cases are dot, matvec, vecmat, matmul.
// CHECK-LABEL: func.func @matmul_small
// CHECK: linalg.dot ins(%{{.*}}, %{{.*}} : tensor<3xf32>, tensor<3xf32>) outs(%{{.*}} : tensor<f32>)
// CHECK: linalg.matvec ins(%{{.*}}, %{{.*}} : tensor<4x3xf32>, tensor<3xf32>) outs(%{{.*}} : tensor<4xf32>)
// CHECK: linalg.vecmat ins(%{{.*}}, %{{.*}} : tensor<4xf32>, tensor<4x3xf32>) outs(%{{.*}} : tensor<3xf32>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x3xf32>, tensor<3x4xf32>) outs(%{{.*}} : tensor<4x4xf32>)
func.func @matmul_small(%v: tensor<3xf32>, %m: tensor<4x3xf32>, %w: tensor<4xf32>, %t: tensor<3x4xf32>) -> (tensor<f32>, tensor<4xf32>, tensor<3xf32>, tensor<4x4xf32>) {
  %0 = ember.matmul %v, %v : (tensor<3xf32>, tensor<3xf32>) -> tensor<f32>
  %1 = ember.matmul %m, %v : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4xf32>
  %2 = ember.matmul %w, %m : (tensor<4xf32>, tensor<4x3xf32>) -> tensor<3xf32>
  %3 = ember.matmul %m, %t : (tensor<4x3xf32>, tensor<3x4xf32>) -> tensor<4x4xf32>
  return %0, %1, %2, %3 : tensor<f32>, tensor<4xf32>, tensor<3xf32>, tensor<4x4xf32>
}

// -----

// Tests that in a batched matmul the 2-D rhs is broadcast to the batch shape, the
// batch dims are collapsed into one for batch_matmul, and the product is
// expanded back.
// CHECK-LABEL: func.func @matmul_batched
// CHECK-SAME: (%[[A:.*]]: tensor<2x5x4x3xf32>, %[[B:.*]]: tensor<3x6xf32>)
// CHECK: %[[BB:.*]] = linalg.generic {{.*}} ins(%[[B]] : tensor<3x6xf32>) outs(%{{.*}} : tensor<2x5x3x6xf32>)
// CHECK-DAG: %[[A3:.*]] = tensor.collapse_shape %[[A]] {{\[\[}}0, 1], [2], [3]] : tensor<2x5x4x3xf32> into tensor<10x4x3xf32>
// CHECK-DAG: %[[B3:.*]] = tensor.collapse_shape %[[BB]] {{\[\[}}0, 1], [2], [3]] : tensor<2x5x3x6xf32> into tensor<10x3x6xf32>
// CHECK: %[[P:.*]] = linalg.batch_matmul ins(%[[A3]], %[[B3]] : tensor<10x4x3xf32>, tensor<10x3x6xf32>)
// CHECK: tensor.expand_shape %[[P]] {{\[\[}}0, 1], [2], [3]] output_shape [2, 5, 4, 6] : tensor<10x4x6xf32> into tensor<2x5x4x6xf32>
func.func @matmul_batched(%a: tensor<2x5x4x3xf32>, %b: tensor<3x6xf32>) -> tensor<2x5x4x6xf32> {
  %0 = ember.matmul %a, %b : (tensor<2x5x4x3xf32>, tensor<3x6xf32>) -> tensor<2x5x4x6xf32>
  return %0 : tensor<2x5x4x6xf32>
}

// -----

// Tests that in a batched matmul a 1-D lhs becomes [1, k], and the size-1 dim
// is dropped from the product.
// CHECK-LABEL: func.func @matmul_vector_batched
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [1, 3] : tensor<3xf32> into tensor<1x3xf32>
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<2x1x3xf32>, tensor<2x3x4xf32>) outs(%{{.*}} : tensor<2x1x4xf32>)
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2]] : tensor<2x1x4xf32> into tensor<2x4xf32>
func.func @matmul_vector_batched(%v: tensor<3xf32>, %b: tensor<2x3x4xf32>) -> tensor<2x4xf32> {
  %0 = ember.matmul %v, %b : (tensor<3xf32>, tensor<2x3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

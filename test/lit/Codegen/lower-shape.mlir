// RUN: ember-opt %s --split-input-file --convert-ember-to-linalg | FileCheck %s

// convert-ember-to-linalg on shape and view ops (value semantics): reshapes,
// transposes, broadcasts, slices and concatenations of tensors.

// Tests that view, flatten and reshape collapse or expand when the dims
// group, and go through a 1-D tensor when they do not (4x3 -> 2x6).
// CHECK-LABEL: func.func @reshapes
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>)
// CHECK: %[[A:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1]] : tensor<4x3xf32> into tensor<12xf32>
// CHECK: %[[B:.*]] = tensor.expand_shape %[[X]] {{\[\[}}0], [1, 2]] output_shape [4, 1, 3] : tensor<4x3xf32> into tensor<4x1x3xf32>
// CHECK: %[[F:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1]] : tensor<4x3xf32> into tensor<12xf32>
// CHECK-NEXT: %[[C:.*]] = tensor.expand_shape %[[F]] {{\[\[}}0, 1]] output_shape [2, 6] : tensor<12xf32> into tensor<2x6xf32>
// CHECK: return %[[A]], %[[B]], %[[C]]
func.func @reshapes(%x: tensor<4x3xf32>) -> (tensor<12xf32>, tensor<4x1x3xf32>, tensor<2x6xf32>) {
  %0 = ember.view %x {shape = array<i64: -1>} : (tensor<4x3xf32>) -> tensor<12xf32>
  %1 = ember.reshape %x {shape = array<i64: 4, 1, 3>} : (tensor<4x3xf32>) -> tensor<4x1x3xf32>
  %2 = ember.reshape %x {shape = array<i64: 2, 6>} : (tensor<4x3xf32>) -> tensor<2x6xf32>
  return %0, %1, %2 : tensor<12xf32>, tensor<4x1x3xf32>, tensor<2x6xf32>
}

// -----

// Tests that flatten, squeeze and unsqueeze are collapses and expands, and
// that a 0-d tensor expands with an empty reassociation.
// CHECK-LABEL: func.func @squeezes
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2]] : tensor<2x3x4xf32> into tensor<2x12xf32>
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<1x3x1xf32> into tensor<3x1xf32>
// CHECK: tensor.expand_shape %{{.*}} [] output_shape [1] : tensor<f32> into tensor<1xf32>
func.func @squeezes(%x: tensor<2x3x4xf32>, %y: tensor<1x3x1xf32>, %s: tensor<f32>) -> (tensor<2x12xf32>, tensor<3x1xf32>, tensor<1xf32>) {
  %0 = ember.flatten %x {end_dim = -1 : i64, start_dim = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  %1 = ember.squeeze %y {dim = 0 : i64} : (tensor<1x3x1xf32>) -> tensor<3x1xf32>
  %2 = ember.unsqueeze %s {dim = 0 : i64} : (tensor<f32>) -> tensor<1xf32>
  return %0, %1, %2 : tensor<2x12xf32>, tensor<3x1xf32>, tensor<1xf32>
}

// -----

// Tests that permute (negative dims wrapped) and transpose become
// linalg.transpose with the permutation.
// CHECK-LABEL: func.func @transposes
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<4x2x3xf32>) permutation = [2, 0, 1]
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<2x4x3xf32>) permutation = [0, 2, 1]
func.func @transposes(%x: tensor<2x3x4xf32>) -> (tensor<4x2x3xf32>, tensor<2x4x3xf32>) {
  %0 = ember.permute %x {dims = array<i64: -1, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %1 = ember.transpose %x {dim0 = 1 : i64, dim1 = -1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
  return %0, %1 : tensor<4x2x3xf32>, tensor<2x4x3xf32>
}

// -----

// Tests that expand is a broadcasting copy: new leading dims and size-1 dims
// read index 0.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (0, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @expand
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-NEXT: ^bb0(%[[A:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[A]] : f32
func.func @expand(%x: tensor<1x3xf32>) -> tensor<2x4x3xf32> {
  %0 = ember.expand %x {shape = array<i64: 2, 4, -1>} : (tensor<1x3xf32>) -> tensor<2x4x3xf32>
  return %0 : tensor<2x4x3xf32>
}

// -----

// Tests that narrow (negative start wrapped), slice (start, step; end
// clamped) and select (negative index, rank-reducing) are extract_slices.
// CHECK-LABEL: func.func @slices
// CHECK: tensor.extract_slice %{{.*}}[0, 1] [4, 2] [1, 1] : tensor<4x3xf32> to tensor<4x2xf32>
// CHECK: tensor.extract_slice %{{.*}}[1, 0] [2, 3] [2, 1] : tensor<4x3xf32> to tensor<2x3xf32>
// CHECK: tensor.extract_slice %{{.*}}[3, 0] [1, 3] [1, 1] : tensor<4x3xf32> to tensor<3xf32>
func.func @slices(%x: tensor<4x3xf32>) -> (tensor<4x2xf32>, tensor<2x3xf32>, tensor<3xf32>) {
  %0 = ember.narrow %x {dim = 1 : i64, length = 2 : i64, start = -2 : i64} : (tensor<4x3xf32>) -> tensor<4x2xf32>
  %1 = ember.slice %x {dim = 0 : i64, end = 100 : i64, start = 1 : i64, step = 2 : i64} : (tensor<4x3xf32>) -> tensor<2x3xf32>
  %2 = ember.select %x {dim = 0 : i64, index = -1 : i64} : (tensor<4x3xf32>) -> tensor<3xf32>
  return %0, %1, %2 : tensor<4x2xf32>, tensor<2x3xf32>, tensor<3xf32>
}

// -----

// Tests that cat converts each operand to the promoted result type and
// inserts it at its offset along dim.
// CHECK-LABEL: func.func @cat
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<1x3xf64>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<3x3xf64>
// CHECK: %[[AW:.*]] = linalg.generic {{.*}} ins(%[[A]] : tensor<2x3xf32>)
// CHECK: arith.extf
// CHECK: %[[I0:.*]] = tensor.insert_slice %[[AW]] into %[[E]][0, 0] [2, 3] [1, 1]
// CHECK: %[[I1:.*]] = tensor.insert_slice %[[B]] into %[[I0]][2, 0] [1, 3] [1, 1]
// CHECK: return %[[I1]]
func.func @cat(%a: tensor<2x3xf32>, %b: tensor<1x3xf64>) -> tensor<3x3xf64> {
  %0 = ember.cat %a, %b {dim = 0 : i64} : (tensor<2x3xf32>, tensor<1x3xf64>) -> tensor<3x3xf64>
  return %0 : tensor<3x3xf64>
}

// -----

// Tests that stack inserts each operand as a size-1 slice of the new dim
// (a rank-reducing insert_slice).
// CHECK-LABEL: func.func @stack
// CHECK: %[[I0:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0] [2, 1, 3] [1, 1, 1] : tensor<2x3xf32> into tensor<2x2x3xf32>
// CHECK: tensor.insert_slice %{{.*}} into %[[I0]][0, 1, 0] [2, 1, 3] [1, 1, 1] : tensor<2x3xf32> into tensor<2x2x3xf32>
func.func @stack(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x2x3xf32> {
  %0 = ember.stack %a, %b {dim = 1 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x2x3xf32>
  return %0 : tensor<2x2x3xf32>
}

// -----

// Tests that contiguous, clone and to_device are the operand itself, and
// that as_strided (no lowering) stays.
// CHECK-LABEL: func.func @identities
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK: %[[S:.*]] = ember.as_strided %[[X]]
// CHECK: return %[[X]], %[[X]], %[[X]], %[[S]]
func.func @identities(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2xf32>) {
  %0 = ember.contiguous %x : (tensor<4xf32>) -> tensor<4xf32>
  %1 = ember.clone %x : (tensor<4xf32>) -> tensor<4xf32>
  %2 = ember.to_device %x {device = "cpu"} : (tensor<4xf32>) -> tensor<4xf32>
  %3 = ember.as_strided %x {size = array<i64: 2>, stride = array<i64: 2>} : (tensor<4xf32>) -> tensor<2xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2xf32>
}

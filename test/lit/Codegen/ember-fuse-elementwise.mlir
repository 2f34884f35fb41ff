// RUN: ember-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ember-fuse-elementwise))' | FileCheck %s

// ember-fuse-elementwise: linalg-fuse-elementwise-ops, except that reshapes
// are never folded into named linalg ops (GEMMs and convs stay named, for
// ember-matmul-to-runtime).

// Tests that a matmul whose result is expanded (a flatten's gradient) stays
// a linalg.matmul followed by the tensor.expand_shape.
// CHECK-LABEL: func.func @matmul_expand
// CHECK: %[[M:.*]] = linalg.matmul
// CHECK: tensor.expand_shape %[[M]] {{\[\[}}0], [1, 2, 3]] output_shape [4, 2, 3, 3]
// CHECK-NOT: linalg.generic
func.func @matmul_expand(%a: tensor<4x10xf32>, %b: tensor<10x18xf32>) -> tensor<4x2x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<4x18xf32>
  %c = linalg.fill ins(%zero : f32) outs(%init : tensor<4x18xf32>) -> tensor<4x18xf32>
  %m = linalg.matmul ins(%a, %b : tensor<4x10xf32>, tensor<10x18xf32>) outs(%c : tensor<4x18xf32>) -> tensor<4x18xf32>
  %e = tensor.expand_shape %m [[0], [1, 2, 3]] output_shape [4, 2, 3, 3] : tensor<4x18xf32> into tensor<4x2x3x3xf32>
  return %e : tensor<4x2x3x3xf32>
}

// -----

// Tests that a reshape still folds into an elementwise generic (by
// expansion) and that elementwise producers still fuse into their consumer.
// CHECK-LABEL: func.func @generic_expand
// CHECK-NOT: tensor.collapse_shape
// CHECK: %[[R:.*]] = linalg.generic
// CHECK-SAME: ins(%{{.*}} : tensor<4x2x9xf32>)
// CHECK: arith.negf
// CHECK: arith.mulf
// CHECK-NOT: linalg.generic
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[R]]
// CHECK: return %[[C]]
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @generic_expand(%x: tensor<4x2x9xf32>) -> tensor<4x18xf32> {
  %f = tensor.collapse_shape %x [[0], [1, 2]] : tensor<4x2x9xf32> into tensor<4x18xf32>
  %i0 = tensor.empty() : tensor<4x18xf32>
  %n = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%f : tensor<4x18xf32>) outs(%i0 : tensor<4x18xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.negf %in : f32
    linalg.yield %0 : f32
  } -> tensor<4x18xf32>
  %i1 = tensor.empty() : tensor<4x18xf32>
  %s = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%n : tensor<4x18xf32>) outs(%i1 : tensor<4x18xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.mulf %in, %in : f32
    linalg.yield %0 : f32
  } -> tensor<4x18xf32>
  return %s : tensor<4x18xf32>
}

// -----

// Tests that nothing fuses into or out of a generic marked for a runtime
// call (library_call; the tiled max_pool2d_backward).
// CHECK-LABEL: func.func @runtime_call_kept
// CHECK: %[[N:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<4x18xf32>)
// CHECK: arith.negf
// CHECK: %[[M:.*]] = linalg.generic {{.*}} library_call = "ember_rt_max_pool2d_backward"} ins(%[[N]] : tensor<4x18xf32>)
// CHECK: %[[S:.*]] = linalg.generic {{.*}} ins(%[[M]] : tensor<4x18xf32>)
// CHECK: arith.mulf
// CHECK: return %[[S]]
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @runtime_call_kept(%x: tensor<4x18xf32>) -> tensor<4x18xf32> {
  %i0 = tensor.empty() : tensor<4x18xf32>
  %n = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x18xf32>) outs(%i0 : tensor<4x18xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.negf %in : f32
    linalg.yield %0 : f32
  } -> tensor<4x18xf32>
  %i1 = tensor.empty() : tensor<4x18xf32>
  %m = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"], library_call = "ember_rt_max_pool2d_backward"} ins(%n : tensor<4x18xf32>) outs(%i1 : tensor<4x18xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.addf %in, %in : f32
    linalg.yield %0 : f32
  } -> tensor<4x18xf32>
  %i2 = tensor.empty() : tensor<4x18xf32>
  %s = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%m : tensor<4x18xf32>) outs(%i2 : tensor<4x18xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.mulf %in, %in : f32
    linalg.yield %0 : f32
  } -> tensor<4x18xf32>
  return %s : tensor<4x18xf32>
}

// RUN: not ember-opt %s --ember-print-cuda-program --split-input-file -o /dev/null 2>&1 | FileCheck %s

// What has no form in a device program is an error at the op (jit::compile
// then runs the function eagerly and names it): element types without a
// CUDA program type, ops that are neither kernels, runtime steps nor views,
// scalar arguments, and the emitter's own errors seen through the program.

// CHECK: error: the CUDA program takes static-shape tensors of f32, f64, i64, i32 or i1, not 'tensor<4xf16>'
func.func @half(%x: tensor<4xf16>) -> tensor<4xf16> {
  return %x : tensor<4xf16>
}

// -----

// CHECK: error: the CUDA program takes static-shape tensors of f32, f64, i64, i32 or i1, not 'f32'
func.func @scalar_argument(%x: tensor<4xf32>, %s: f32) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// CHECK: error: 'tensor.generate' op has no form in the CUDA program (kernels, GEMMs, convolutions, max-pooling and views only)
func.func @generate(%n: tensor<4xf32>) -> tensor<4xi64> {
  %c = arith.constant 7 : i64
  %0 = tensor.generate {
  ^bb0(%i: index):
    tensor.yield %c : i64
  } : tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// CHECK: error: 'math.cbrt' op has no CUDA C form in the emitter
#id = affine_map<(d0) -> (d0)>
func.func @unknown(%a: tensor<4xf32>) -> tensor<4xf32> {
  %o = tensor.empty() : tensor<4xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%a : tensor<4xf32>) outs(%o : tensor<4xf32>) {
  ^bb0(%x: f32, %y: f32):
    %e = math.cbrt %x : f32
    linalg.yield %e : f32
  } -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

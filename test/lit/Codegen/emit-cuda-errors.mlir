// RUN: not ember-opt %s --ember-print-cuda --split-input-file -o /dev/null 2>&1 | FileCheck %s


// Dynamic shapes (ember's lowering keeps them as ember ops; linalg written
// directly) and bodies with ops the emitter does not know are errors at
// the op.
// CHECK: error: 'linalg.generic' op has a dynamic loop range; the CUDA C emitter takes static shapes only
#id = affine_map<(d0) -> (d0)>
func.func @dynamic(%a: tensor<?xf32>, %o: tensor<?xf32>) -> tensor<?xf32> {
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%a : tensor<?xf32>) outs(%o : tensor<?xf32>) {
  ^bb0(%x: f32, %y: f32):
    %e = math.exp %x : f32
    linalg.yield %e : f32
  } -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// CHECK: error: 'math.cbrt' op has no CUDA C form in the emitter
#id = affine_map<(d0) -> (d0)>
func.func @unknown(%a: tensor<4xf32>, %o: tensor<4xf32>) -> tensor<4xf32> {
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%a : tensor<4xf32>) outs(%o : tensor<4xf32>) {
  ^bb0(%x: f32, %y: f32):
    %e = math.cbrt %x : f32
    linalg.yield %e : f32
  } -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

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

// -----

// A loop kernel updates its carried tensor in place: reading the old value
// after the insert (it would see the new one) is refused.
// CHECK: error: 'tensor.insert' op writes a tensor the loop does not carry in place; the CUDA C emitter updates carried tensors only
func.func @read_after_write(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %cst = arith.constant 1.0 : f32
  %0 = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %x) -> (tensor<4xf32>) {
    %1 = tensor.insert %cst into %acc[%i] : tensor<4xf32>
    %2 = tensor.extract %acc[%i] : tensor<4xf32>
    %3 = tensor.insert %2 into %1[%c0] : tensor<4xf32>
    scf.yield %3 : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// -----

// CHECK: error: 'scf.for' op has non-constant bounds; the CUDA C emitter takes loops with constant bounds only
func.func @dynamic_bound(%x: tensor<4xf32>, %n: index) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %cst = arith.constant 1.0 : f32
  %0 = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %x) -> (tensor<4xf32>) {
    %1 = tensor.insert %cst into %acc[%i] : tensor<4xf32>
    scf.yield %1 : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// -----

// CHECK: error: 'scf.yield' op yields a value that is not its carried tensor updated in place
func.func @yield_other(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %0 = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %x) -> (tensor<4xf32>) {
    scf.yield %y : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

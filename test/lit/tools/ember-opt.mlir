// RUN: ember-opt --show-dialects | FileCheck %s --check-prefix=DIALECTS
// RUN: ember-opt %s --one-shot-bufferize="bufferize-function-boundaries" --convert-linalg-to-loops --canonicalize | FileCheck %s

// Tests that ember-opt registers the ember dialect and the upstream dialects
// ember lowers through, and no others (not registerAllDialects).
// DIALECTS: Available Dialects: arith,bufferization,builtin,ember,func,linalg,math,memref,scf,tensor{{$}}

// Tests that the bufferization models and the linalg passes are registered:
// a tensor matmul bufferizes and lowers to loops.
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.*]]: memref<2x3xf32{{.*}}>, %[[B:.*]]: memref<3x4xf32{{.*}}>, %[[C:.*]]: memref<2x4xf32{{.*}}>)
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: return %[[C]]
func.func @matmul(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<2x3xf32>, tensor<3x4xf32>) outs(%c : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

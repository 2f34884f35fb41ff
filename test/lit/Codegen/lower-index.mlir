// RUN: ember-opt %s --split-input-file --convert-ember-to-linalg | FileCheck %s

// convert-ember-to-linalg on gather and scatter_add (cross_entropy's
// nll_loss and its gradient): index values address the input through
// tensor.extract/insert after a clamp into [0, size).

// Tests that gather is a generic over the index's shape that reads the
// input at the clamped index along `dim` and the loop indices elsewhere.
// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>, %[[I:.*]]: tensor<4x1xi64>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x1xf32>
// CHECK: linalg.generic {{.*}} ins(%[[I]] : tensor<4x1xi64>) outs(%[[E]] : tensor<4x1xf32>)
// CHECK: ^bb0(%[[V:.*]]: i64, %{{.*}}: f32):
// CHECK: %[[R:.*]] = linalg.index 0 : index
// CHECK: %[[LO:.*]] = arith.minsi %[[V]], %c2_i64
// CHECK: %[[HI:.*]] = arith.maxsi %c0_i64, %[[LO]]
// CHECK: %[[C:.*]] = arith.index_cast %[[HI]] : i64 to index
// CHECK: %[[G:.*]] = tensor.extract %[[X]][%[[R]], %[[C]]] : tensor<4x3xf32>
// CHECK: linalg.yield %[[G]] : f32
func.func @gather(%x: tensor<4x3xf32>, %i: tensor<4x1xi64>) -> tensor<4x1xf32> {
  %0 = ember.gather %x, %i {dim = 1 : i64} : (tensor<4x3xf32>, tensor<4x1xi64>) -> tensor<4x1xf32>
  return %0 : tensor<4x1xf32>
}

// -----

// Tests that scatter_add is a loop nest over the index's shape carrying the
// result, starting from the input: extract, add, insert at the clamped
// position.
// CHECK-LABEL: func.func @scatter_add
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>, %[[I:.*]]: tensor<4x1xi64>, %[[S:.*]]: tensor<4x1xf32>)
// CHECK: %[[R:.*]] = scf.for %[[A:.*]] = %c0 to %c4 step %c1 iter_args(%[[ACC:.*]] = %[[X]]) -> (tensor<4x3xf32>)
// CHECK: scf.for %[[B:.*]] = %c0 to %{{.*}} step %c1 iter_args(%[[ACC2:.*]] = %[[ACC]]) -> (tensor<4x3xf32>)
// CHECK: %[[IV:.*]] = tensor.extract %[[I]][%[[A]], %[[B]]]
// CHECK: %[[SV:.*]] = tensor.extract %[[S]][%[[A]], %[[B]]]
// CHECK: %[[C:.*]] = arith.index_cast
// CHECK: %[[OLD:.*]] = tensor.extract %[[ACC2]][%[[A]], %[[C]]]
// CHECK: %[[SUM:.*]] = arith.addf %[[OLD]], %[[SV]] : f32
// CHECK: %[[NEW:.*]] = tensor.insert %[[SUM]] into %[[ACC2]][%[[A]], %[[C]]]
// CHECK: scf.yield %[[NEW]]
// CHECK: return %[[R]]
func.func @scatter_add(%x: tensor<4x3xf32>, %i: tensor<4x1xi64>, %s: tensor<4x1xf32>) -> tensor<4x3xf32> {
  %0 = ember.scatter_add %x, %i, %s {dim = 1 : i64} : (tensor<4x3xf32>, tensor<4x1xi64>, tensor<4x1xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

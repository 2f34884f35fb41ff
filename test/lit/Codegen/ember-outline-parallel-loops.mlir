// RUN: ember-opt %s --split-input-file --ember-outline-parallel-loops=min-work=1000 | FileCheck %s

// ember-outline-parallel-loops: big outermost scf.parallel loops become a
// call to a private body over [begin, end) of their first dim.

// Tests that a 2-D loop over 64x32 (2048 iterations, 4 ops each: 8192 >=
// 1000) is outlined: the call passes 0, 64, grain ceil(1000 / (32 * 4)) = 8
// and the captured memrefs; constants are cloned into the body, which runs
// its first dim over [%begin, %end) and the second inside.
// CHECK-LABEL: func.func @add
// CHECK-SAME: (%[[A:.*]]: memref<64x32xf32>, %[[O:.*]]: memref<64x32xf32>)
// CHECK: arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[C64:.*]] = arith.constant 64 : index
// CHECK-NEXT: %[[C8:.*]] = arith.constant 8 : index
// CHECK-NEXT: call @_ember_par_add_0(%[[C0]], %[[C64]], %[[C8]], %[[A]], %[[O]]) : (index, index, index, memref<64x32xf32>, memref<64x32xf32>) -> ()
// CHECK-NOT: scf.parallel
// CHECK: return
// CHECK-LABEL: func.func private @_ember_par_add_0
// CHECK-SAME: (%[[B:.*]]: index, %[[E:.*]]: index, %{{.*}}: index, %[[PA:.*]]: memref<64x32xf32>, %[[PO:.*]]: memref<64x32xf32>)
// CHECK-DAG: %[[Z:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[N:.*]] = arith.constant 32 : index
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1 : index
// CHECK: scf.parallel (%[[I:.*]], %[[J:.*]]) = (%[[B]], %[[Z]]) to (%[[E]], %[[N]]) step (%[[ONE]], %[[ONE]])
// CHECK: memref.load %[[PA]][%[[I]], %[[J]]]
// CHECK: memref.store %{{.*}}, %[[PO]][%[[I]], %[[J]]]
func.func @add(%a: memref<64x32xf32>, %o: memref<64x32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %cst = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c64, %c32) step (%c1, %c1) {
    %x = memref.load %a[%i, %j] : memref<64x32xf32>
    %y = arith.addf %x, %cst : f32
    memref.store %y, %o[%i, %j] : memref<64x32xf32>
    scf.reduce
  }
  return
}

// -----

// Tests that a reduction keeps its sequential scf.for inside the body (the
// work counts its trip count: 16 x (1 + 64 x 3) ops) and that a small loop
// (8 iterations) stays in place.
// CHECK-LABEL: func.func @rowsum
// CHECK: call @_ember_par_rowsum_0
// CHECK: scf.parallel
// CHECK: return
// CHECK-LABEL: func.func private @_ember_par_rowsum_0
// CHECK: scf.parallel
// CHECK: scf.for
func.func @rowsum(%a: memref<16x64xf32>, %o: memref<16xf32>, %s: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %cst = arith.constant 2.0 : f32
  scf.parallel (%i) = (%c0) to (%c16) step (%c1) {
    scf.for %k = %c0 to %c64 step %c1 {
      %x = memref.load %a[%i, %k] : memref<16x64xf32>
      %acc = memref.load %o[%i] : memref<16xf32>
      %y = arith.addf %x, %acc : f32
      memref.store %y, %o[%i] : memref<16xf32>
    }
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    memref.store %cst, %s[%i] : memref<8xf32>
    scf.reduce
  }
  return
}

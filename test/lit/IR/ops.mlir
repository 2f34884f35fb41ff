// RUN: ember-opt %s --split-input-file | ember-opt --split-input-file | FileCheck %s
// RUN: ember-opt %s --split-input-file --mlir-print-op-generic | ember-opt --split-input-file | FileCheck %s

// Round trip (parse, print, parse again; and through the generic form) of
// every ember op. The function result types check the inferred result types:
// func.return rejects a mismatch.

// Tests that ember.constant takes dense literals of every ember dtype, splat
// or not, of any rank.
// CHECK-LABEL: func.func @constants
func.func @constants() -> (tensor<2x2xf32>, tensor<128x64xi64>, tensor<i1>, tensor<3xui8>, tensor<f64>, tensor<2xi32>) {
  // CHECK: %[[F32:.*]] = ember.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
  %0 = ember.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  // CHECK: %[[I64:.*]] = ember.constant dense<1> : tensor<128x64xi64>
  %1 = ember.constant dense<1> : tensor<128x64xi64>
  // CHECK: %[[I1:.*]] = ember.constant dense<true> : tensor<i1>
  %2 = ember.constant dense<true> : tensor<i1>
  // CHECK: %[[UI8:.*]] = ember.constant dense<[0, 128, 255]> : tensor<3xui8>
  %3 = ember.constant dense<[0, 128, 255]> : tensor<3xui8>
  // CHECK: %[[F64:.*]] = ember.constant dense<2.500000e-01> : tensor<f64>
  %4 = ember.constant dense<0.25> : tensor<f64>
  // CHECK: %[[I32:.*]] = ember.constant dense<[-7, 7]> : tensor<2xi32>
  %5 = ember.constant dense<[-7, 7]> : tensor<2xi32>
  // CHECK: return %[[F32]], %[[I64]], %[[I1]], %[[UI8]], %[[F64]], %[[I32]]
  return %0, %1, %2, %3, %4, %5 : tensor<2x2xf32>, tensor<128x64xi64>, tensor<i1>, tensor<3xui8>, tensor<f64>, tensor<2xi32>
}

// -----

// Tests that ember.add of equal shapes gives that shape.
// CHECK-LABEL: func.func @add_same_shape
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<2x3xf32>)
func.func @add_same_shape(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: %[[R:.*]] = ember.add %[[A]], %[[B]] : tensor<2x3xf32>, tensor<2x3xf32>
  %0 = ember.add %a, %b : tensor<2x3xf32>, tensor<2x3xf32>
  // CHECK: return %[[R]] : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Tests that ember.add broadcasts a lower-rank operand and a 0-d operand.
// CHECK-LABEL: func.func @add_broadcast
// CHECK-SAME: (%[[X:.*]]: tensor<8x16xf64>, %[[BIAS:.*]]: tensor<16xf64>, %[[S:.*]]: tensor<f64>)
func.func @add_broadcast(%x: tensor<8x16xf64>, %bias: tensor<16xf64>, %s: tensor<f64>) -> (tensor<8x16xf64>, tensor<16xf64>) {
  // CHECK: %[[R0:.*]] = ember.add %[[X]], %[[BIAS]] : tensor<8x16xf64>, tensor<16xf64>
  %0 = ember.add %x, %bias : tensor<8x16xf64>, tensor<16xf64>
  // CHECK: %[[R1:.*]] = ember.add %[[S]], %[[BIAS]] : tensor<f64>, tensor<16xf64>
  %1 = ember.add %s, %bias : tensor<f64>, tensor<16xf64>
  // CHECK: return %[[R0]], %[[R1]] : tensor<8x16xf64>, tensor<16xf64>
  return %0, %1 : tensor<8x16xf64>, tensor<16xf64>
}

// -----

// Tests that ember.add broadcasts dynamic dimensions: a static dimension
// other than 1 decides, and 1 against a dynamic dimension stays dynamic.
// CHECK-LABEL: func.func @add_dynamic
func.func @add_dynamic(%a: tensor<?x3xi64>, %b: tensor<1x3xi64>, %c: tensor<4x1xi64>, %d: tensor<?x?xi64>) -> (tensor<?x3xi64>, tensor<4x3xi64>, tensor<?x3xi64>) {
  // CHECK: ember.add %{{.*}}, %{{.*}} : tensor<?x3xi64>, tensor<1x3xi64>
  %0 = ember.add %a, %b : tensor<?x3xi64>, tensor<1x3xi64>
  // CHECK: ember.add %{{.*}}, %{{.*}} : tensor<?x3xi64>, tensor<4x1xi64>
  %1 = ember.add %a, %c : tensor<?x3xi64>, tensor<4x1xi64>
  // CHECK: ember.add %{{.*}}, %{{.*}} : tensor<?x?xi64>, tensor<1x3xi64>
  %2 = ember.add %d, %b : tensor<?x?xi64>, tensor<1x3xi64>
  // CHECK: return %{{.*}}, %{{.*}}, %{{.*}} : tensor<?x3xi64>, tensor<4x3xi64>, tensor<?x3xi64>
  return %0, %1, %2 : tensor<?x3xi64>, tensor<4x3xi64>, tensor<?x3xi64>
}

// -----

// Tests that ember.add takes bool and uint8 tensors.
// CHECK-LABEL: func.func @add_bool_uint8
func.func @add_bool_uint8(%a: tensor<4xi1>, %b: tensor<4xui8>) -> (tensor<4xi1>, tensor<4xui8>) {
  // CHECK: ember.add %{{.*}}, %{{.*}} : tensor<4xi1>, tensor<4xi1>
  %0 = ember.add %a, %a : tensor<4xi1>, tensor<4xi1>
  // CHECK: ember.add %{{.*}}, %{{.*}} : tensor<4xui8>, tensor<4xui8>
  %1 = ember.add %b, %b : tensor<4xui8>, tensor<4xui8>
  return %0, %1 : tensor<4xi1>, tensor<4xui8>
}

// -----

// Tests that ember.sub broadcasts a column against a row.
// CHECK-LABEL: func.func @sub_outer
// CHECK-SAME: (%[[COL:.*]]: tensor<4x1xi32>, %[[ROW:.*]]: tensor<1x3xi32>)
func.func @sub_outer(%col: tensor<4x1xi32>, %row: tensor<1x3xi32>) -> tensor<4x3xi32> {
  // CHECK: %[[R:.*]] = ember.sub %[[COL]], %[[ROW]] : tensor<4x1xi32>, tensor<1x3xi32>
  %0 = ember.sub %col, %row : tensor<4x1xi32>, tensor<1x3xi32>
  // CHECK: return %[[R]] : tensor<4x3xi32>
  return %0 : tensor<4x3xi32>
}

// -----

// Tests that ember.mul scales by a 0-d tensor and multiplies bool tensors.
// CHECK-LABEL: func.func @mul
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[SCALE:.*]]: tensor<f32>, %[[M:.*]]: tensor<5xi1>)
func.func @mul(%x: tensor<2x3xf32>, %scale: tensor<f32>, %m: tensor<5xi1>) -> (tensor<2x3xf32>, tensor<5xi1>) {
  // CHECK: %[[R0:.*]] = ember.mul %[[X]], %[[SCALE]] : tensor<2x3xf32>, tensor<f32>
  %0 = ember.mul %x, %scale : tensor<2x3xf32>, tensor<f32>
  // CHECK: %[[R1:.*]] = ember.mul %[[M]], %[[M]] : tensor<5xi1>, tensor<5xi1>
  %1 = ember.mul %m, %m : tensor<5xi1>, tensor<5xi1>
  // CHECK: return %[[R0]], %[[R1]]
  return %0, %1 : tensor<2x3xf32>, tensor<5xi1>
}

// -----

// Tests that ember.relu keeps its operand's type, for floats and integers.
// CHECK-LABEL: func.func @relu
// CHECK-SAME: (%[[X:.*]]: tensor<8x16xf32>, %[[N:.*]]: tensor<?xi64>)
func.func @relu(%x: tensor<8x16xf32>, %n: tensor<?xi64>) -> (tensor<8x16xf32>, tensor<?xi64>) {
  // CHECK: %[[R0:.*]] = ember.relu %[[X]] : tensor<8x16xf32>
  %0 = ember.relu %x : tensor<8x16xf32>
  // CHECK: %[[R1:.*]] = ember.relu %[[N]] : tensor<?xi64>
  %1 = ember.relu %n : tensor<?xi64>
  // CHECK: return %[[R0]], %[[R1]]
  return %0, %1 : tensor<8x16xf32>, tensor<?xi64>
}

// -----

// Tests that ember.exp keeps its operand's type.
// CHECK-LABEL: func.func @exp
// CHECK-SAME: (%[[X:.*]]: tensor<4x10xf64>)
func.func @exp(%x: tensor<4x10xf64>) -> tensor<4x10xf64> {
  // CHECK: %[[R:.*]] = ember.exp %[[X]] : tensor<4x10xf64>
  %0 = ember.exp %x : tensor<4x10xf64>
  // CHECK: return %[[R]] : tensor<4x10xf64>
  return %0 : tensor<4x10xf64>
}

// -----

// Tests that ember.matmul of two matrices gives [M, K] x [K, N] -> [M, N].
// CHECK-LABEL: func.func @matmul_2d
// CHECK-SAME: (%[[X:.*]]: tensor<128x784xf32>, %[[W:.*]]: tensor<784x512xf32>)
func.func @matmul_2d(%x: tensor<128x784xf32>, %w: tensor<784x512xf32>) -> tensor<128x512xf32> {
  // CHECK: %[[R:.*]] = ember.matmul %[[X]], %[[W]] : tensor<128x784xf32>, tensor<784x512xf32>
  %0 = ember.matmul %x, %w : tensor<128x784xf32>, tensor<784x512xf32>
  // CHECK: return %[[R]] : tensor<128x512xf32>
  return %0 : tensor<128x512xf32>
}

// -----

// Tests that ember.matmul batches 3-D operands, broadcasts a batch of 1, and
// shares a 2-D operand across the batch.
// CHECK-LABEL: func.func @matmul_batched
func.func @matmul_batched(%q: tensor<8x16x64xf64>, %k: tensor<8x64x16xf64>, %k1: tensor<1x64x16xf64>, %w: tensor<64x32xf64>, %x: tensor<16x64xf64>) -> (tensor<8x16x16xf64>, tensor<8x16x16xf64>, tensor<8x16x32xf64>, tensor<8x16x16xf64>) {
  // CHECK: ember.matmul %{{.*}}, %{{.*}} : tensor<8x16x64xf64>, tensor<8x64x16xf64>
  %0 = ember.matmul %q, %k : tensor<8x16x64xf64>, tensor<8x64x16xf64>
  // CHECK: ember.matmul %{{.*}}, %{{.*}} : tensor<8x16x64xf64>, tensor<1x64x16xf64>
  %1 = ember.matmul %q, %k1 : tensor<8x16x64xf64>, tensor<1x64x16xf64>
  // CHECK: ember.matmul %{{.*}}, %{{.*}} : tensor<8x16x64xf64>, tensor<64x32xf64>
  %2 = ember.matmul %q, %w : tensor<8x16x64xf64>, tensor<64x32xf64>
  // CHECK: ember.matmul %{{.*}}, %{{.*}} : tensor<16x64xf64>, tensor<8x64x16xf64>
  %3 = ember.matmul %x, %k : tensor<16x64xf64>, tensor<8x64x16xf64>
  // CHECK: return {{.*}} : tensor<8x16x16xf64>, tensor<8x16x16xf64>, tensor<8x16x32xf64>, tensor<8x16x16xf64>
  return %0, %1, %2, %3 : tensor<8x16x16xf64>, tensor<8x16x16xf64>, tensor<8x16x32xf64>, tensor<8x16x16xf64>
}

// -----

// Tests that ember.matmul accepts dynamic dimensions (the contracting ones
// are assumed to match) and integer operands.
// CHECK-LABEL: func.func @matmul_dynamic
func.func @matmul_dynamic(%a: tensor<?x?xi32>, %b: tensor<7x5xi32>) -> tensor<?x5xi32> {
  // CHECK: ember.matmul %{{.*}}, %{{.*}} : tensor<?x?xi32>, tensor<7x5xi32>
  %0 = ember.matmul %a, %b : tensor<?x?xi32>, tensor<7x5xi32>
  // CHECK: return %{{.*}} : tensor<?x5xi32>
  return %0 : tensor<?x5xi32>
}

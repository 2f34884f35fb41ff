// RUN: ember-opt %s --split-input-file --canonicalize | FileCheck %s

// The folders of the ember ops, run by --canonicalize: identities that are
// exact, and constant folding (with numpy broadcasting) of dense literals.

// Tests that x + -0.0 folds to x, whichever side the constant is on.
// CHECK-LABEL: func.func @add_neg_zero
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
func.func @add_neg_zero(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %zero = ember.constant dense<-0.0> : tensor<3xf32>
  %0 = ember.add %x, %zero : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = ember.add %zero, %x : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NOT: ember.add
  // CHECK: return %[[X]], %[[X]]
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Tests that x + 0.0 does not fold for floats: -0.0 + 0.0 is +0.0, not x.
// CHECK-LABEL: func.func @add_pos_zero_float
// CHECK-SAME: (%[[X:.*]]: tensor<4xf64>)
func.func @add_pos_zero_float(%x: tensor<4xf64>) -> tensor<4xf64> {
  // CHECK: %[[ZERO:.*]] = ember.constant dense<0.000000e+00> : tensor<4xf64>
  %zero = ember.constant dense<0.0> : tensor<4xf64>
  // CHECK: %[[R:.*]] = ember.add %[[X]], %[[ZERO]]
  %0 = ember.add %x, %zero : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
  // CHECK: return %[[R]]
  return %0 : tensor<4xf64>
}

// -----

// Tests that x + 0 folds to x for integers, whichever side the zero is on.
// CHECK-LABEL: func.func @add_zero_int
// CHECK-SAME: (%[[X:.*]]: tensor<2x2xi32>, %[[B:.*]]: tensor<5xui8>)
func.func @add_zero_int(%x: tensor<2x2xi32>, %b: tensor<5xui8>) -> (tensor<2x2xi32>, tensor<5xui8>) {
  %zero = ember.constant dense<0> : tensor<i32>
  %0 = ember.add %zero, %x : (tensor<i32>, tensor<2x2xi32>) -> tensor<2x2xi32>
  %zero8 = ember.constant dense<0> : tensor<5xui8>
  %1 = ember.add %b, %zero8 : (tensor<5xui8>, tensor<5xui8>) -> tensor<5xui8>
  // CHECK-NOT: ember.add
  // CHECK: return %[[X]], %[[B]]
  return %0, %1 : tensor<2x2xi32>, tensor<5xui8>
}

// -----

// Tests that x + 0 does not fold when the zero broadcasts x to a larger shape.
// CHECK-LABEL: func.func @add_zero_broadcasts
// CHECK-SAME: (%[[X:.*]]: tensor<3xi64>)
func.func @add_zero_broadcasts(%x: tensor<3xi64>) -> tensor<2x3xi64> {
  // CHECK: %[[ZERO:.*]] = ember.constant dense<0> : tensor<2x3xi64>
  %zero = ember.constant dense<0> : tensor<2x3xi64>
  // CHECK: %[[R:.*]] = ember.add %[[X]], %[[ZERO]] : (tensor<3xi64>, tensor<2x3xi64>) -> tensor<2x3xi64>
  %0 = ember.add %x, %zero : (tensor<3xi64>, tensor<2x3xi64>) -> tensor<2x3xi64>
  // CHECK: return %[[R]]
  return %0 : tensor<2x3xi64>
}

// -----

// Tests that x - 0.0 folds to x, and x - (-0.0) does not (-0.0 - -0.0 is +0.0).
// CHECK-LABEL: func.func @sub_zero
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>, %[[N:.*]]: tensor<3xi64>)
func.func @sub_zero(%x: tensor<3xf32>, %n: tensor<3xi64>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xi64>) {
  %zero = ember.constant dense<0.0> : tensor<f32>
  %0 = ember.sub %x, %zero : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  // CHECK: %[[NEG_ZERO:.*]] = ember.constant dense<-0.000000e+00> : tensor<f32>
  %neg_zero = ember.constant dense<-0.0> : tensor<f32>
  // CHECK: %[[R:.*]] = ember.sub %[[X]], %[[NEG_ZERO]]
  %1 = ember.sub %x, %neg_zero : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %izero = ember.constant dense<0> : tensor<3xi64>
  %2 = ember.sub %n, %izero : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  // CHECK: return %[[X]], %[[R]], %[[N]]
  return %0, %1, %2 : tensor<3xf32>, tensor<3xf32>, tensor<3xi64>
}

// -----

// Tests that 0 - x does not fold (it is -x, not x).
// CHECK-LABEL: func.func @zero_sub
func.func @zero_sub(%x: tensor<3xi32>) -> tensor<3xi32> {
  %zero = ember.constant dense<0> : tensor<3xi32>
  // CHECK: ember.sub
  %0 = ember.sub %zero, %x : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

// Tests that x * 1 folds to x for floats, integers and bools, whichever side
// the one is on.
// CHECK-LABEL: func.func @mul_one
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[N:.*]]: tensor<4xi64>, %[[M:.*]]: tensor<4xi1>)
func.func @mul_one(%x: tensor<2x3xf32>, %n: tensor<4xi64>, %m: tensor<4xi1>) -> (tensor<2x3xf32>, tensor<4xi64>, tensor<4xi1>) {
  %one = ember.constant dense<1.0> : tensor<f32>
  %0 = ember.mul %one, %x : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %ione = ember.constant dense<1> : tensor<4xi64>
  %1 = ember.mul %n, %ione : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %true = ember.constant dense<true> : tensor<i1>
  %2 = ember.mul %m, %true : (tensor<4xi1>, tensor<i1>) -> tensor<4xi1>
  // CHECK-NOT: ember.mul
  // CHECK: return %[[X]], %[[N]], %[[M]]
  return %0, %1, %2 : tensor<2x3xf32>, tensor<4xi64>, tensor<4xi1>
}

// -----

// Tests that x * 0 does not fold (NaN * 0 and inf * 0 are NaN).
// CHECK-LABEL: func.func @mul_zero
func.func @mul_zero(%x: tensor<3xf32>) -> tensor<3xf32> {
  %zero = ember.constant dense<0.0> : tensor<3xf32>
  // CHECK: ember.mul
  %0 = ember.mul %x, %zero : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Tests that adding two literals folds to one literal, broadcasting a row
// over a matrix.
// CHECK-LABEL: func.func @add_constants_broadcast
func.func @add_constants_broadcast() -> tensor<2x3xi32> {
  %a = ember.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %b = ember.constant dense<[10, 20, 30]> : tensor<3xi32>
  // CHECK: %[[C:.*]] = ember.constant dense<{{\[\[}}11, 22, 33], [14, 25, 36]]> : tensor<2x3xi32>
  // CHECK-NOT: ember.add
  %0 = ember.add %a, %b : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  // CHECK: return %[[C]]
  return %0 : tensor<2x3xi32>
}

// -----

// Tests that subtracting a row from a column folds to the outer difference.
// CHECK-LABEL: func.func @sub_constants_outer
func.func @sub_constants_outer() -> tensor<3x2xf64> {
  %col = ember.constant dense<[[1.0], [2.0], [3.0]]> : tensor<3x1xf64>
  %row = ember.constant dense<[[0.5, 0.25]]> : tensor<1x2xf64>
  // CHECK: %[[C:.*]] = ember.constant dense<{{\[\[}}5.000000e-01, 7.500000e-01], [1.500000e+00, 1.750000e+00], [2.500000e+00, 2.750000e+00]]> : tensor<3x2xf64>
  %0 = ember.sub %col, %row : (tensor<3x1xf64>, tensor<1x2xf64>) -> tensor<3x2xf64>
  // CHECK: return %[[C]]
  return %0 : tensor<3x2xf64>
}

// -----

// Tests that folding two splats gives a splat, however large the tensor.
// CHECK-LABEL: func.func @mul_splats
func.func @mul_splats() -> tensor<1024x1024xf32> {
  %a = ember.constant dense<1.5> : tensor<1024x1024xf32>
  %b = ember.constant dense<-2.0> : tensor<1024xf32>
  // CHECK: %[[C:.*]] = ember.constant dense<-3.000000e+00> : tensor<1024x1024xf32>
  %0 = ember.mul %a, %b : (tensor<1024x1024xf32>, tensor<1024xf32>) -> tensor<1024x1024xf32>
  // CHECK: return %[[C]]
  return %0 : tensor<1024x1024xf32>
}

// -----

// Tests that integer folding wraps around like PyTorch's kernels (int32 and
// uint8), and that bool addition is a logical or.
// CHECK-LABEL: func.func @integer_wraparound
func.func @integer_wraparound() -> (tensor<2xi32>, tensor<3xui8>, tensor<3xui8>, tensor<4xi1>, tensor<4xi1>) {
  %max = ember.constant dense<[2147483647, -2147483648]> : tensor<2xi32>
  %one = ember.constant dense<[1, -1]> : tensor<2xi32>
  // CHECK-DAG: ember.constant dense<[-2147483648, 2147483647]> : tensor<2xi32>
  %0 = ember.add %max, %one : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  %u = ember.constant dense<[250, 3, 128]> : tensor<3xui8>
  %v = ember.constant dense<[10, 5, 2]> : tensor<3xui8>
  // CHECK-DAG: ember.constant dense<[4, 8, 130]> : tensor<3xui8>
  %1 = ember.add %u, %v : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  // CHECK-DAG: ember.constant dense<[196, 15, 0]> : tensor<3xui8>
  %2 = ember.mul %u, %v : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  %p = ember.constant dense<[true, true, false, false]> : tensor<4xi1>
  %q = ember.constant dense<[true, false, true, false]> : tensor<4xi1>
  // CHECK-DAG: ember.constant dense<[true, true, true, false]> : tensor<4xi1>
  %3 = ember.add %p, %q : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  // CHECK-DAG: ember.constant dense<[true, false, false, false]> : tensor<4xi1>
  %4 = ember.mul %p, %q : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return %0, %1, %2, %3, %4 : tensor<2xi32>, tensor<3xui8>, tensor<3xui8>, tensor<4xi1>, tensor<4xi1>
}

// -----

// Tests that folding empty tensors gives an empty literal.
// CHECK-LABEL: func.func @add_empty
func.func @add_empty() -> tensor<0x3xf32> {
  %a = ember.constant dense<> : tensor<0x3xf32>
  %b = ember.constant dense<1.0> : tensor<3xf32>
  // CHECK: %[[C:.*]] = ember.constant dense<> : tensor<0x3xf32>
  %0 = ember.add %a, %b : (tensor<0x3xf32>, tensor<3xf32>) -> tensor<0x3xf32>
  // CHECK: return %[[C]]
  return %0 : tensor<0x3xf32>
}

// -----

// Tests that relu of a literal folds like torch.relu: negatives become 0,
// NaN and -0.0 pass through.
// CHECK-LABEL: func.func @relu_constant
func.func @relu_constant() -> (tensor<5xf32>, tensor<3xi64>) {
  %x = ember.constant dense<[-1.5, 0.0, 2.5, -0.0, 0x7FC00000]> : tensor<5xf32>
  // CHECK-DAG: ember.constant dense<[0.000000e+00, 0.000000e+00, 2.500000e+00, -0.000000e+00, 0x7FC00000]> : tensor<5xf32>
  %0 = ember.relu %x : (tensor<5xf32>) -> tensor<5xf32>
  %n = ember.constant dense<[-3, 0, 7]> : tensor<3xi64>
  // CHECK-DAG: ember.constant dense<[0, 0, 7]> : tensor<3xi64>
  %1 = ember.relu %n : (tensor<3xi64>) -> tensor<3xi64>
  // CHECK-NOT: ember.relu
  return %0, %1 : tensor<5xf32>, tensor<3xi64>
}

// -----

// Tests that relu(relu(x)) folds to relu(x) and relu of uint8 to its operand.
// CHECK-LABEL: func.func @relu_identities
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xui8>)
func.func @relu_identities(%x: tensor<4xf32>, %b: tensor<4xui8>) -> (tensor<4xf32>, tensor<4xui8>) {
  // CHECK: %[[R:.*]] = ember.relu %[[X]] : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK-NOT: ember.relu
  %0 = ember.relu %x : (tensor<4xf32>) -> tensor<4xf32>
  %1 = ember.relu %0 : (tensor<4xf32>) -> tensor<4xf32>
  %2 = ember.relu %b : (tensor<4xui8>) -> tensor<4xui8>
  // CHECK: return %[[R]], %[[B]]
  return %1, %2 : tensor<4xf32>, tensor<4xui8>
}

// -----

// Tests that exp of a literal folds, in f32 and f64.
// CHECK-LABEL: func.func @exp_constant
func.func @exp_constant() -> (tensor<2xf64>, tensor<3xf32>) {
  %x = ember.constant dense<[0.0, 1.0]> : tensor<2xf64>
  // CHECK-DAG: ember.constant dense<[1.000000e+00, 2.7182818284590451]> : tensor<2xf64>
  %0 = ember.exp %x : (tensor<2xf64>) -> tensor<2xf64>
  %y = ember.constant dense<[0.0, -1.0e30, 1.0e30]> : tensor<3xf32>
  // CHECK-DAG: ember.constant dense<[1.000000e+00, 0.000000e+00, 0x7F800000]> : tensor<3xf32>
  %1 = ember.exp %y : (tensor<3xf32>) -> tensor<3xf32>
  // CHECK-NOT: ember.exp
  return %0, %1 : tensor<2xf64>, tensor<3xf32>
}

// -----

// Tests that chains of ops on literals fold completely and dead ops go away.
// CHECK-LABEL: func.func @chain
func.func @chain() -> tensor<2xf32> {
  %a = ember.constant dense<[-1.0, 2.0]> : tensor<2xf32>
  %b = ember.constant dense<0.5> : tensor<f32>
  %0 = ember.mul %a, %b : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  %1 = ember.relu %0 : (tensor<2xf32>) -> tensor<2xf32>
  %2 = ember.add %1, %b : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  %unused = ember.exp %a : (tensor<2xf32>) -> tensor<2xf32>
  // CHECK: %[[C:.*]] = ember.constant dense<[5.000000e-01, 1.500000e+00]> : tensor<2xf32>
  // CHECK-NEXT: return %[[C]]
  return %2 : tensor<2xf32>
}

// -----

// Tests that matmul is not folded (no constant folding for it).
// CHECK-LABEL: func.func @matmul_not_folded
func.func @matmul_not_folded() -> tensor<1x1xf32> {
  %a = ember.constant dense<2.0> : tensor<1x1xf32>
  // CHECK: ember.matmul
  %0 = ember.matmul %a, %a : (tensor<1x1xf32>, tensor<1x1xf32>) -> tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}


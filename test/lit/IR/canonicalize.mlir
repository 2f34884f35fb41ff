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


// -----

// Tests that x + alpha * 0 folds only for alpha == 1 (alpha * -0.0 is +0.0 for
// a negative alpha), and that two literals do not fold with alpha.
// CHECK-LABEL: func.func @add_alpha
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>)
func.func @add_alpha(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %zero = ember.constant dense<-0.0> : tensor<3xf32>
  %one = ember.constant dense<1.0> : tensor<3xf32>
  %0 = ember.add %x, %zero {alpha = 1 : i64} : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  // CHECK: %[[A:.*]] = ember.add %[[X]], %{{.*}} {alpha = -2.000000e+00 : f64}
  %1 = ember.add %x, %zero {alpha = -2.0 : f64} : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  // CHECK: %[[B:.*]] = ember.add %{{.*}}, %{{.*}} {alpha = 2 : i64}
  %2 = ember.add %one, %one {alpha = 2 : i64} : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  // CHECK: return %[[X]], %[[A]], %[[B]]
  return %0, %1, %2 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// Tests that an identity does not fold when promotion changes the type: an
// i64 tensor plus a 0-d f64 zero (a wrapped number) is f32.
// CHECK-LABEL: func.func @add_zero_promotes
func.func @add_zero_promotes(%x: tensor<3xi64>) -> tensor<3xf32> {
  %zero = ember.constant dense<-0.0> : tensor<f64>
  // CHECK: ember.add
  %0 = ember.add %x, %zero : (tensor<3xi64>, tensor<f64>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Tests that x / 1 folds to x for floats, not for integers (true division
// gives a float), and that float literals divide.
// CHECK-LABEL: func.func @div
// CHECK-SAME: (%[[X:.*]]: tensor<3xf64>, %[[N:.*]]: tensor<3xi64>)
func.func @div(%x: tensor<3xf64>, %n: tensor<3xi64>) -> (tensor<3xf64>, tensor<3xf32>, tensor<2xf32>) {
  %one = ember.constant dense<1.0> : tensor<f64>
  %ione = ember.constant dense<1> : tensor<i64>
  %0 = ember.div %x, %one : (tensor<3xf64>, tensor<f64>) -> tensor<3xf64>
  // CHECK-DAG: %[[D:.*]] = ember.div %[[N]], %{{.*}} : (tensor<3xi64>, tensor<i64>) -> tensor<3xf32>
  %1 = ember.div %n, %ione : (tensor<3xi64>, tensor<i64>) -> tensor<3xf32>
  %a = ember.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %b = ember.constant dense<[4.0, 2.0]> : tensor<2xf32>
  // CHECK-DAG: %[[C:.*]] = ember.constant dense<[2.500000e-01, 1.500000e+00]> : tensor<2xf32>
  %2 = ember.div %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  // CHECK: return %[[X]], %[[D]], %[[C]]
  return %0, %1, %2 : tensor<3xf64>, tensor<3xf32>, tensor<2xf32>
}

// -----

// Tests that neg, abs, sqrt, floor and ceil of literals fold.
// CHECK-LABEL: func.func @unary_literals
func.func @unary_literals() -> (tensor<3xi32>, tensor<3xf32>, tensor<2xf64>, tensor<3xf32>, tensor<3xf32>) {
  %i = ember.constant dense<[-2, 0, 7]> : tensor<3xi32>
  %f = ember.constant dense<[-1.5, 0.5, 2.0]> : tensor<3xf32>
  %s = ember.constant dense<[4.0, 2.25]> : tensor<2xf64>
  // CHECK-DAG: ember.constant dense<[2, 0, -7]> : tensor<3xi32>
  %0 = ember.neg %i : (tensor<3xi32>) -> tensor<3xi32>
  // CHECK-DAG: ember.constant dense<[1.500000e+00, 5.000000e-01, 2.000000e+00]> : tensor<3xf32>
  %1 = ember.abs %f : (tensor<3xf32>) -> tensor<3xf32>
  // CHECK-DAG: ember.constant dense<[2.000000e+00, 1.500000e+00]> : tensor<2xf64>
  %2 = ember.sqrt %s : (tensor<2xf64>) -> tensor<2xf64>
  // CHECK-DAG: ember.constant dense<[-2.000000e+00, 0.000000e+00, 2.000000e+00]> : tensor<3xf32>
  %3 = ember.floor %f : (tensor<3xf32>) -> tensor<3xf32>
  // CHECK-DAG: ember.constant dense<[-1.000000e+00, 1.000000e+00, 2.000000e+00]> : tensor<3xf32>
  %4 = ember.ceil %f : (tensor<3xf32>) -> tensor<3xf32>
  // CHECK-NOT: ember.neg
  // CHECK-NOT: ember.abs
  // CHECK-NOT: ember.sqrt
  return %0, %1, %2, %3, %4 : tensor<3xi32>, tensor<3xf32>, tensor<2xf64>, tensor<3xf32>, tensor<3xf32>
}

// -----

// Tests that floor/ceil of integers and abs of unsigned and bool tensors are
// the identity, and that they stay on float operands that are not literals.
// CHECK-LABEL: func.func @unary_identities
// CHECK-SAME: (%[[N:.*]]: tensor<3xi64>, %[[U:.*]]: tensor<3xui8>, %[[X:.*]]: tensor<3xf32>)
func.func @unary_identities(%n: tensor<3xi64>, %u: tensor<3xui8>, %x: tensor<3xf32>) -> (tensor<3xi64>, tensor<3xi64>, tensor<3xui8>, tensor<3xf32>) {
  %0 = ember.floor %n : (tensor<3xi64>) -> tensor<3xi64>
  %1 = ember.ceil %n : (tensor<3xi64>) -> tensor<3xi64>
  %2 = ember.abs %u : (tensor<3xui8>) -> tensor<3xui8>
  // CHECK: %[[F:.*]] = ember.floor %[[X]]
  %3 = ember.floor %x : (tensor<3xf32>) -> tensor<3xf32>
  // CHECK: return %[[N]], %[[N]], %[[U]], %[[F]]
  return %0, %1, %2, %3 : tensor<3xi64>, tensor<3xi64>, tensor<3xui8>, tensor<3xf32>
}

// -----

// Tests that maximum(x, x) folds to x, that literals fold with NaN
// propagating (torch.maximum), and that bools take the logical max.
// CHECK-LABEL: func.func @maximum_minimum
// CHECK-SAME: (%[[X:.*]]: tensor<2xf32>, %[[Y:.*]]: tensor<2xf32>)
func.func @maximum_minimum(%x: tensor<2xf32>, %y: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xi1>) {
  %0 = ember.maximum %x, %x : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  // CHECK-DAG: %[[M:.*]] = ember.minimum %[[X]], %[[Y]]
  %1 = ember.minimum %x, %y : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %a = ember.constant dense<[0x7FC00000, 1.0]> : tensor<2xf32>
  %b = ember.constant dense<[2.0, 3.0]> : tensor<2xf32>
  // CHECK-DAG: %[[MAX:.*]] = ember.constant dense<[0x7FC00000, 3.000000e+00]> : tensor<2xf32>
  %2 = ember.maximum %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  // CHECK-DAG: %[[MIN:.*]] = ember.constant dense<[0x7FC00000, 1.000000e+00]> : tensor<2xf32>
  %3 = ember.minimum %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %t = ember.constant dense<[true, false]> : tensor<2xi1>
  %f = ember.constant dense<false> : tensor<2xi1>
  // CHECK-DAG: %[[B:.*]] = ember.constant dense<[true, false]> : tensor<2xi1>
  %4 = ember.maximum %t, %f : (tensor<2xi1>, tensor<2xi1>) -> tensor<2xi1>
  // CHECK: return %[[X]], %[[M]], %[[MAX]], %[[MIN]], %[[B]]
  return %0, %1, %2, %3, %4 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xi1>
}

// -----

// Tests that constant folding stops at large non-splat literals.
// CHECK-LABEL: func.func @no_fold_large
func.func @no_fold_large(%x: tensor<2048xf32>) -> tensor<2048xf32> {
  %a = ember.neg %x : (tensor<2048xf32>) -> tensor<2048xf32>
  %b = ember.constant dense<2.0> : tensor<2048xf32>
  // CHECK: ember.mul
  %0 = ember.mul %a, %b : (tensor<2048xf32>, tensor<2048xf32>) -> tensor<2048xf32>
  return %0 : tensor<2048xf32>
}

// -----

// Tests that view and reshape to the input's own shape fold to the input,
// and a real reshape stays.
// CHECK-LABEL: func.func @reshape_same_shape
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
func.func @reshape_same_shape(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<3x2xf32>) {
  %0 = ember.view %x {shape = array<i64: 2, -1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = ember.reshape %x {shape = array<i64: 2, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[R:.*]] = ember.reshape %[[X]] {shape = array<i64: 3, 2>}
  %2 = ember.reshape %x {shape = array<i64: 3, 2>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  // CHECK: return %[[X]], %[[X]], %[[R]]
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<3x2xf32>
}

// -----

// Tests that view(view(x)) and reshape(reshape(x)) become one op, and that a
// chain back to the input's shape disappears.
// CHECK-LABEL: func.func @compose_reshapes
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
func.func @compose_reshapes(%x: tensor<2x3x4xf32>) -> (tensor<4x6xf32>, tensor<24xf32>, tensor<2x3x4xf32>) {
  %a = ember.view %x {shape = array<i64: 6, 4>} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  // CHECK-DAG: %[[V:.*]] = ember.view %[[X]] {shape = array<i64: 4, 6>} : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
  %0 = ember.view %a {shape = array<i64: 4, 6>} : (tensor<6x4xf32>) -> tensor<4x6xf32>
  %b = ember.reshape %x {shape = array<i64: 4, -1>} : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
  // CHECK-DAG: %[[R:.*]] = ember.reshape %[[X]] {shape = array<i64: -1>} : (tensor<2x3x4xf32>) -> tensor<24xf32>
  %1 = ember.reshape %b {shape = array<i64: -1>} : (tensor<4x6xf32>) -> tensor<24xf32>
  %2 = ember.reshape %b {shape = array<i64: 2, 3, 4>} : (tensor<4x6xf32>) -> tensor<2x3x4xf32>
  // CHECK: return %[[V]], %[[R]], %[[X]]
  return %0, %1, %2 : tensor<4x6xf32>, tensor<24xf32>, tensor<2x3x4xf32>
}

// -----

// Tests that a view of a reshape is not merged (different ops: eager's view
// may fail where reshape copies).
// CHECK-LABEL: func.func @view_of_reshape
func.func @view_of_reshape(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // CHECK: ember.reshape
  %a = ember.reshape %x {shape = array<i64: 6>} : (tensor<2x3xf32>) -> tensor<6xf32>
  // CHECK: ember.view
  %0 = ember.view %a {shape = array<i64: 3, 2>} : (tensor<6xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// Tests that the identity permutation folds, that permute(permute(x)) becomes
// one permute, and that two inverse permutes disappear.
// CHECK-LABEL: func.func @permutes
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
func.func @permutes(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<4x3x2xf32>, tensor<2x3x4xf32>) {
  %0 = ember.permute %x {dims = array<i64: 0, 1, -1>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %a = ember.permute %x {dims = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  // CHECK: %[[P:.*]] = ember.permute %[[X]] {dims = array<i64: 2, 1, 0>} : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  %1 = ember.permute %a {dims = array<i64: 1, 0, 2>} : (tensor<3x4x2xf32>) -> tensor<4x3x2xf32>
  %2 = ember.permute %a {dims = array<i64: 2, 0, 1>} : (tensor<3x4x2xf32>) -> tensor<2x3x4xf32>
  // CHECK: return %[[X]], %[[P]], %[[X]]
  return %0, %1, %2 : tensor<2x3x4xf32>, tensor<4x3x2xf32>, tensor<2x3x4xf32>
}

// -----

// Tests that transpose of one dim with itself and transpose(transpose(x)) of
// the same pair (however the dims are written) fold to x, and that two
// transposes of different pairs stay.
// CHECK-LABEL: func.func @transposes
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
func.func @transposes(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<4x2x3xf32>) {
  %0 = ember.transpose %x {dim0 = 1 : i64, dim1 = -2 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %a = ember.transpose %x {dim0 = 0 : i64, dim1 = 2 : i64} : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  %1 = ember.transpose %a {dim0 = -1 : i64, dim1 = 0 : i64} : (tensor<4x3x2xf32>) -> tensor<2x3x4xf32>
  // CHECK: %[[A:.*]] = ember.transpose %[[X]] {dim0 = 0 : i64, dim1 = 2 : i64}
  // CHECK: %[[B:.*]] = ember.transpose %[[A]] {dim0 = 1 : i64, dim1 = 2 : i64}
  %2 = ember.transpose %a {dim0 = 1 : i64, dim1 = 2 : i64} : (tensor<4x3x2xf32>) -> tensor<4x2x3xf32>
  // CHECK: return %[[X]], %[[X]], %[[B]]
  return %0, %1, %2 : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<4x2x3xf32>
}

// -----

// Tests that expand to the input's own shape folds, and a broadcast stays.
// CHECK-LABEL: func.func @expands
// CHECK-SAME: (%[[X:.*]]: tensor<1x3xf32>)
func.func @expands(%x: tensor<1x3xf32>) -> (tensor<1x3xf32>, tensor<4x3xf32>) {
  %0 = ember.expand %x {shape = array<i64: -1, 3>} : (tensor<1x3xf32>) -> tensor<1x3xf32>
  // CHECK: %[[E:.*]] = ember.expand %[[X]]
  %1 = ember.expand %x {shape = array<i64: 4, 3>} : (tensor<1x3xf32>) -> tensor<4x3xf32>
  // CHECK: return %[[X]], %[[E]]
  return %0, %1 : tensor<1x3xf32>, tensor<4x3xf32>
}

// -----

// Tests that broadcasting a splat literal folds to a splat of the new shape,
// and that broadcasting a literal that is not a splat stays an expand.
// CHECK-LABEL: func.func @expand_splat
func.func @expand_splat() -> (tensor<64x128xf32>, tensor<2x2xi64>) {
  %s = ember.constant dense<2.5> : tensor<1x128xf32>
  %0 = ember.expand %s {shape = array<i64: 64, 128>} : (tensor<1x128xf32>) -> tensor<64x128xf32>
  // CHECK-DAG: %[[S:.*]] = ember.constant dense<2.500000e+00> : tensor<64x128xf32>
  %r = ember.constant dense<[[1, 2]]> : tensor<1x2xi64>
  %1 = ember.expand %r {shape = array<i64: 2, 2>} : (tensor<1x2xi64>) -> tensor<2x2xi64>
  // CHECK-DAG: %[[R:.*]] = ember.constant dense<{{\[\[}}1, 2]]> : tensor<1x2xi64>
  // CHECK: %[[E:.*]] = ember.expand %[[R]]
  // CHECK: return %[[S]], %[[E]]
  return %0, %1 : tensor<64x128xf32>, tensor<2x2xi64>
}

// -----

// Tests that to_dtype to the input's own type folds, and a conversion stays.
// CHECK-LABEL: func.func @to_dtype
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>)
func.func @to_dtype(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xi64>) {
  %0 = ember.to_dtype %x {dtype = f32} : (tensor<3xf32>) -> tensor<3xf32>
  // CHECK: %[[C:.*]] = ember.to_dtype %[[X]] {dtype = i64}
  %1 = ember.to_dtype %x {dtype = i64} : (tensor<3xf32>) -> tensor<3xi64>
  // CHECK: return %[[X]], %[[C]]
  return %0, %1 : tensor<3xf32>, tensor<3xi64>
}

// -----

// Tests that mm of a transposed operand stays as it is (the canonical form;
// the lowering matches the transpose), and that contiguous and clone are not
// folded (before functionalization they say whether a result aliases).
// CHECK-LABEL: func.func @kept
func.func @kept(%a: tensor<3x2xf32>, %b: tensor<3x4xf32>) -> (tensor<2x4xf32>, tensor<3x2xf32>, tensor<3x2xf32>) {
  // CHECK: %[[T:.*]] = ember.transpose
  %t = ember.transpose %a {dim0 = 0 : i64, dim1 = 1 : i64} : (tensor<3x2xf32>) -> tensor<2x3xf32>
  // CHECK: ember.mm %[[T]]
  %0 = ember.mm %t, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  // CHECK: ember.contiguous
  %1 = ember.contiguous %a : (tensor<3x2xf32>) -> tensor<3x2xf32>
  // CHECK: ember.clone
  %2 = ember.clone %a : (tensor<3x2xf32>) -> tensor<3x2xf32>
  return %0, %1, %2 : tensor<2x4xf32>, tensor<3x2xf32>, tensor<3x2xf32>
}

// -----

// Tests that -(-x) folds to x and not(not(b)) to b for a bool b, but not for
// another type (not(not(x)) is x != 0).
// CHECK-LABEL: func.func @double_negation
// CHECK-SAME: (%[[X:.*]]: tensor<3xi32>, %[[B:.*]]: tensor<3xi1>, %[[F:.*]]: tensor<3xf32>)
func.func @double_negation(%x: tensor<3xi32>, %b: tensor<3xi1>, %f: tensor<3xf32>) -> (tensor<3xi32>, tensor<3xi1>, tensor<3xi1>) {
  %a = ember.neg %x : (tensor<3xi32>) -> tensor<3xi32>
  %0 = ember.neg %a : (tensor<3xi32>) -> tensor<3xi32>
  %c = ember.logical_not %b : (tensor<3xi1>) -> tensor<3xi1>
  %1 = ember.logical_not %c : (tensor<3xi1>) -> tensor<3xi1>
  // CHECK: %[[N:.*]] = ember.logical_not %[[F]]
  %d = ember.logical_not %f : (tensor<3xf32>) -> tensor<3xi1>
  // CHECK: %[[NN:.*]] = ember.logical_not %[[N]]
  %2 = ember.logical_not %d : (tensor<3xi1>) -> tensor<3xi1>
  // CHECK: return %[[X]], %[[B]], %[[NN]]
  return %0, %1, %2 : tensor<3xi32>, tensor<3xi1>, tensor<3xi1>
}

// -----

// Tests that where with a splat literal condition folds to the operand it
// selects when that operand has the result type, and stays otherwise.
// CHECK-LABEL: func.func @where_splat
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<2x3xf32>, %[[S:.*]]: tensor<3xf32>, %[[C:.*]]: tensor<2x3xi1>)
func.func @where_splat(%x: tensor<2x3xf32>, %y: tensor<2x3xf32>, %s: tensor<3xf32>, %c: tensor<2x3xi1>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %t = ember.constant dense<true> : tensor<i1>
  %f = ember.constant dense<false> : tensor<2x3xi1>
  %0 = ember.where %t, %x, %y : (tensor<i1>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = ember.where %f, %x, %y : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[W:.*]] = ember.where %{{.*}}, %[[S]], %[[Y]]
  %2 = ember.where %t, %s, %y : (tensor<i1>, tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[V:.*]] = ember.where %[[C]], %[[X]], %[[Y]]
  %3 = ember.where %c, %x, %y : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: return %[[X]], %[[Y]], %[[W]], %[[V]]
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Tests that comparisons of literals fold with broadcasting, NaN comparing
// false except with ne, and ui8 comparing unsigned; and that a comparison of
// literals of different element types stays.
// CHECK-LABEL: func.func @compare_literals
func.func @compare_literals() -> (tensor<2x2xi1>, tensor<2xi1>, tensor<2xi1>, tensor<3xi1>, tensor<2xi1>) {
  %a = ember.constant dense<[1.0, 0x7FC00000]> : tensor<2xf32>
  %b = ember.constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  // CHECK-DAG: %[[EQ:.*]] = ember.constant dense<{{\[\[}}true, false], [false, false]]> : tensor<2x2xi1>
  %0 = ember.eq %a, %b : (tensor<2xf32>, tensor<2x1xf32>) -> tensor<2x2xi1>
  %one = ember.constant dense<1.0> : tensor<2xf32>
  // CHECK-DAG: %[[NE:.*]] = ember.constant dense<[false, true]> : tensor<2xi1>
  %1 = ember.ne %a, %one : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xi1>
  %u = ember.constant dense<[200, 3]> : tensor<2xui8>
  %u1 = ember.constant dense<100> : tensor<2xui8>
  // CHECK-DAG: %[[GT:.*]] = ember.constant dense<[true, false]> : tensor<2xi1>
  %2 = ember.gt %u, %u1 : (tensor<2xui8>, tensor<2xui8>) -> tensor<2xi1>
  %i = ember.constant dense<[-1, 5, 0]> : tensor<3xi64>
  %i1 = ember.constant dense<0> : tensor<i64>
  // CHECK-DAG: %[[LE:.*]] = ember.constant dense<[true, false, true]> : tensor<3xi1>
  %3 = ember.le %i, %i1 : (tensor<3xi64>, tensor<i64>) -> tensor<3xi1>
  %j = ember.constant dense<[-1, 5]> : tensor<2xi64>
  // CHECK-DAG: %[[LT:.*]] = ember.lt %{{.*}}, %{{.*}} : (tensor<2xi64>, tensor<2xf32>)
  %4 = ember.lt %j, %one : (tensor<2xi64>, tensor<2xf32>) -> tensor<2xi1>
  // CHECK: return %[[EQ]], %[[NE]], %[[GT]], %[[LE]], %[[LT]]
  return %0, %1, %2, %3, %4 : tensor<2x2xi1>, tensor<2xi1>, tensor<2xi1>, tensor<3xi1>, tensor<2xi1>
}

// -----

// Tests that squeeze, flatten, narrow and slice that keep the input's type
// fold to the input, that squeeze(unsqueeze(x)) folds to x, and that real
// ones stay.
// CHECK-LABEL: func.func @identity_views
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
func.func @identity_views(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x2xf32>) {
  %0 = ember.squeeze %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %u = ember.unsqueeze %x {dim = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1x3xf32>
  %1 = ember.squeeze %u {dim = 1 : i64} : (tensor<2x1x3xf32>) -> tensor<2x3xf32>
  %2 = ember.flatten %x {end_dim = 0 : i64, start_dim = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = ember.narrow %x {dim = 1 : i64, length = 3 : i64, start = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = ember.slice %x {dim = 0 : i64, step = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[S:.*]] = ember.slice %[[X]] {dim = 1 : i64, start = 1 : i64, step = 1 : i64}
  %5 = ember.slice %x {dim = 1 : i64, start = 1 : i64, step = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  // CHECK: return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[S]]
  return %0, %1, %2, %3, %4, %5 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x2xf32>
}

// -----

// Tests that the transpose of a 2-D product becomes the product of the
// transposed operands in the other order, (a b)^T = b^T a^T.
// CHECK-LABEL: func.func @transpose_of_product
// CHECK-SAME: (%[[A:.*]]: tensor<4x3xf32>, %[[B:.*]]: tensor<3x5xf32>)
// CHECK-DAG: %[[BT:.*]] = ember.transpose %[[B]] {dim0 = 0 : i64, dim1 = 1 : i64} : (tensor<3x5xf32>) -> tensor<5x3xf32>
// CHECK-DAG: %[[AT:.*]] = ember.transpose %[[A]] {dim0 = 0 : i64, dim1 = 1 : i64} : (tensor<4x3xf32>) -> tensor<3x4xf32>
// CHECK: %[[R:.*]] = ember.matmul %[[BT]], %[[AT]] : (tensor<5x3xf32>, tensor<3x4xf32>) -> tensor<5x4xf32>
// CHECK-NEXT: return %[[R]]
func.func @transpose_of_product(%a: tensor<4x3xf32>, %b: tensor<3x5xf32>) -> tensor<5x4xf32> {
  %0 = ember.mm %a, %b : (tensor<4x3xf32>, tensor<3x5xf32>) -> tensor<4x5xf32>
  %1 = ember.transpose %0 {dim0 = 1 : i64, dim1 = 0 : i64} : (tensor<4x5xf32>) -> tensor<5x4xf32>
  return %1 : tensor<5x4xf32>
}

// -----

// Tests that a product used elsewhere keeps its transpose (no duplicate
// GEMM).
// CHECK-LABEL: func.func @transpose_of_shared_product
// CHECK: %[[P:.*]] = ember.mm
// CHECK: ember.transpose %[[P]]
func.func @transpose_of_shared_product(%a: tensor<4x3xf32>, %b: tensor<3x5xf32>) -> (tensor<5x4xf32>, tensor<4x5xf32>) {
  %0 = ember.mm %a, %b : (tensor<4x3xf32>, tensor<3x5xf32>) -> tensor<4x5xf32>
  %1 = ember.transpose %0 {dim0 = 0 : i64, dim1 = 1 : i64} : (tensor<4x5xf32>) -> tensor<5x4xf32>
  return %1, %0 : tensor<5x4xf32>, tensor<4x5xf32>
}

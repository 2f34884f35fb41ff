// RUN: ember-opt %s --split-input-file --convert-ember-to-linalg | FileCheck %s

// convert-ember-to-linalg on the elementwise family: one linalg.generic per
// op, broadcasting in the indexing maps, promotion casts in the body.

// Tests that add broadcasts its rhs through the indexing map (trailing dims
// aligned) and adds in the result type.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x3xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[B]] : tensor<4x3xf32>, tensor<3xf32>) outs(%[[E]] : tensor<4x3xf32>)
// CHECK: ^bb0(%[[A:.*]]: f32, %[[C:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[A]], %[[C]] : f32
// CHECK-NEXT: linalg.yield %[[S]] : f32
// CHECK: return %[[R]]
func.func @add_broadcast(%x: tensor<4x3xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
  %0 = ember.add %x, %b : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Tests that add promotes (i64 tensor, f64 0-d -> f32: sitofp, truncf), that
// a 0-d operand reads through an empty map, and that alpha scales the rhs.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @add_promote_alpha
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[SCALAR]], #[[ID]]]
// CHECK: ^bb0(%[[A:.*]]: i64, %[[B:.*]]: f64, %{{.*}}: f32):
// CHECK-NEXT: %[[AF:.*]] = arith.sitofp %[[A]] : i64 to f32
// CHECK-NEXT: %[[BF:.*]] = arith.truncf %[[B]] : f64 to f32
// CHECK-NEXT: %[[ALPHA:.*]] = arith.constant 2.000000e+00 : f32
// CHECK-NEXT: %[[M:.*]] = arith.mulf %[[ALPHA]], %[[BF]] : f32
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[AF]], %[[M]] : f32
func.func @add_promote_alpha(%n: tensor<4x1xi64>, %h: tensor<f64>) -> tensor<4x1xf32> {
  %0 = ember.add %n, %h {alpha = 2 : i64} : (tensor<4x1xi64>, tensor<f64>) -> tensor<4x1xf32>
  return %0 : tensor<4x1xf32>
}

// -----

// Tests that the size-1 dims of both operands broadcast ([4,1] x [1,3]).
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @mul_outer
// CHECK: linalg.generic {indexing_maps = [#[[COL]], #[[ROW]], #{{.*}}]
// CHECK: arith.mulf
func.func @mul_outer(%a: tensor<4x1xf32>, %b: tensor<1x3xf32>) -> tensor<4x3xf32> {
  %0 = ember.mul %a, %b : (tensor<4x1xf32>, tensor<1x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Tests that integer sub with alpha multiplies and subtracts with arith's
// integer ops (wrapping, as eager).
// CHECK-LABEL: func.func @sub_int_alpha
// CHECK: %[[ALPHA:.*]] = arith.constant 3 : i64
// CHECK-NEXT: %[[M:.*]] = arith.muli %[[ALPHA]], %{{.*}} : i64
// CHECK-NEXT: arith.subi %{{.*}}, %[[M]] : i64
func.func @sub_int_alpha(%a: tensor<5xi64>, %b: tensor<5xi64>) -> tensor<5xi64> {
  %0 = ember.sub %a, %b {alpha = 3 : i64} : (tensor<5xi64>, tensor<5xi64>) -> tensor<5xi64>
  return %0 : tensor<5xi64>
}

// -----

// Tests that bool add is a logical or and bool mul a logical and.
// CHECK-LABEL: func.func @bool_add_mul
// CHECK: arith.ori %{{.*}}, %{{.*}} : i1
// CHECK: arith.andi %{{.*}}, %{{.*}} : i1
func.func @bool_add_mul(%a: tensor<3xi1>, %b: tensor<3xi1>) -> (tensor<3xi1>, tensor<3xi1>) {
  %0 = ember.add %a, %b : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  %1 = ember.mul %a, %b : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  return %0, %1 : tensor<3xi1>, tensor<3xi1>
}

// -----

// Tests that div of integers is true division in the default float type.
// CHECK-LABEL: func.func @div_int
// CHECK: ^bb0(%[[A:.*]]: i64, %[[B:.*]]: i64, %{{.*}}: f32):
// CHECK-NEXT: %[[AF:.*]] = arith.sitofp %[[A]] : i64 to f32
// CHECK-NEXT: %[[BF:.*]] = arith.sitofp %[[B]] : i64 to f32
// CHECK-NEXT: arith.divf %[[AF]], %[[BF]] : f32
func.func @div_int(%a: tensor<4xi64>, %b: tensor<4xi64>) -> tensor<4xf32> {
  %0 = ember.div %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that pow is math.powf on floats (the exponent promoted) and
// math.ipowi on integers.
// CHECK-LABEL: func.func @pow
// CHECK: %[[E:.*]] = arith.truncf %{{.*}} : f64 to f32
// CHECK-NEXT: math.powf %{{.*}}, %[[E]] : f32
// CHECK: math.ipowi %{{.*}}, %{{.*}} : i32
func.func @pow(%x: tensor<4xf32>, %two: tensor<f64>, %n: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  %0 = ember.pow %x, %two : (tensor<4xf32>, tensor<f64>) -> tensor<4xf32>
  %1 = ember.pow %n, %n : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0, %1 : tensor<4xf32>, tensor<4xi32>
}

// -----

// Tests that maximum propagates NaN (an unordered compare selects NaN) and
// otherwise picks `x > y ? x : y`, as eager.
// CHECK-LABEL: func.func @maximum_nan
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[GT:.*]] = arith.cmpf ogt, %[[X]], %[[Y]] : f32
// CHECK-NEXT: %[[P:.*]] = arith.select %[[GT]], %[[X]], %[[Y]] : f32
// CHECK-NEXT: %[[UNO:.*]] = arith.cmpf uno, %[[X]], %[[Y]] : f32
// CHECK-NEXT: %[[NAN:.*]] = arith.constant 0x7FC00000 : f32
// CHECK-NEXT: %[[R:.*]] = arith.select %[[UNO]], %[[NAN]], %[[P]] : f32
// CHECK-NEXT: linalg.yield %[[R]]
func.func @maximum_nan(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.maximum %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that minimum on integers is a signed compare and select.
// CHECK-LABEL: func.func @minimum_int
// CHECK: %[[LT:.*]] = arith.cmpi slt, %[[X:.*]], %[[Y:.*]] : i64
// CHECK-NEXT: arith.select %[[LT]], %[[X]], %[[Y]] : i64
func.func @minimum_int(%x: tensor<4xi64>, %y: tensor<4xi64>) -> tensor<4xi64> {
  %0 = ember.minimum %x, %y : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// Tests that comparisons promote the operands to torch.result_type (f32 and
// i64 compare in f32) and use ordered predicates, but `ne` is unordered
// (NaN != NaN); the result is i1.
// CHECK-LABEL: func.func @compare
// CHECK: %[[B:.*]] = arith.sitofp %{{.*}} : i64 to f32
// CHECK-NEXT: arith.cmpf oeq, %{{.*}}, %[[B]] : f32
// CHECK: arith.cmpf une
// CHECK: arith.cmpf olt
// CHECK: arith.cmpf ole
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf oge
func.func @compare(%a: tensor<4x3xf32>, %b: tensor<3xi64>) -> (tensor<4x3xi1>, tensor<4x3xi1>, tensor<4x3xi1>, tensor<4x3xi1>, tensor<4x3xi1>, tensor<4x3xi1>) {
  %0 = ember.eq %a, %b : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
  %1 = ember.ne %a, %b : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
  %2 = ember.lt %a, %b : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
  %3 = ember.le %a, %b : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
  %4 = ember.gt %a, %b : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
  %5 = ember.ge %a, %b : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
  return %0, %1, %2, %3, %4, %5 : tensor<4x3xi1>, tensor<4x3xi1>, tensor<4x3xi1>, tensor<4x3xi1>, tensor<4x3xi1>, tensor<4x3xi1>
}

// -----

// Tests that integer comparisons are signed and bool ones unsigned
// (false < true), and that i32 vs i64 compares in i64 (extsi).
// CHECK-LABEL: func.func @compare_int
// CHECK: %[[W:.*]] = arith.extsi %{{.*}} : i32 to i64
// CHECK-NEXT: arith.cmpi slt, %[[W]], %{{.*}} : i64
// CHECK: arith.cmpi ult, %{{.*}}, %{{.*}} : i1
func.func @compare_int(%a: tensor<3xi32>, %b: tensor<3xi64>, %p: tensor<3xi1>, %q: tensor<3xi1>) -> (tensor<3xi1>, tensor<3xi1>) {
  %0 = ember.lt %a, %b : (tensor<3xi32>, tensor<3xi64>) -> tensor<3xi1>
  %1 = ember.lt %p, %q : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  return %0, %1 : tensor<3xi1>, tensor<3xi1>
}

// -----

// Tests that logical ops take `x != 0` of each operand (unordered for floats,
// so NaN is true) and combine the bools.
// CHECK-LABEL: func.func @logical
// CHECK: %[[A:.*]] = arith.cmpf une, %{{.*}}, %{{.*}} : f32
// CHECK: %[[B:.*]] = arith.cmpi ne, %{{.*}}, %{{.*}} : i64
// CHECK-NEXT: arith.andi %[[A]], %[[B]] : i1
// CHECK: arith.ori
// CHECK: arith.xori
func.func @logical(%a: tensor<3xf32>, %b: tensor<3xi64>) -> (tensor<3xi1>, tensor<3xi1>, tensor<3xi1>) {
  %0 = ember.logical_and %a, %b : (tensor<3xf32>, tensor<3xi64>) -> tensor<3xi1>
  %1 = ember.logical_or %a, %b : (tensor<3xf32>, tensor<3xi64>) -> tensor<3xi1>
  %2 = ember.logical_xor %a, %b : (tensor<3xf32>, tensor<3xi64>) -> tensor<3xi1>
  return %0, %1, %2 : tensor<3xi1>, tensor<3xi1>, tensor<3xi1>
}

// -----

// Tests that where broadcasts all three operands and promotes the values to
// the result type before the select.
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @where
// CHECK: linalg.generic {indexing_maps = [#[[COL]], #{{.*}}, #[[SCALAR]], #{{.*}}]
// CHECK: ^bb0(%[[C:.*]]: i1, %[[X:.*]]: f32, %[[Y:.*]]: f64, %{{.*}}: f32):
// CHECK-NEXT: %[[YF:.*]] = arith.truncf %[[Y]] : f64 to f32
// CHECK-NEXT: arith.select %[[C]], %[[X]], %[[YF]] : f32
func.func @where(%c: tensor<4x1xi1>, %x: tensor<4x3xf32>, %y: tensor<f64>) -> tensor<4x3xf32> {
  %0 = ember.where %c, %x, %y : (tensor<4x1xi1>, tensor<4x3xf32>, tensor<f64>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Tests that clamp is `x < lo ? lo : x` then `r > hi ? hi : r` (NaN passes,
// lo > hi gives hi), and that a float bound on an integer tensor computes
// in the default float type.
// CHECK-LABEL: func.func @clamp
// CHECK: %[[LO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[BELOW:.*]] = arith.cmpf olt, %[[X:.*]], %[[LO]] : f32
// CHECK-NEXT: %[[R:.*]] = arith.select %[[BELOW]], %[[LO]], %[[X]] : f32
// CHECK-NEXT: %[[HI:.*]] = arith.constant 6.000000e+00 : f32
// CHECK-NEXT: %[[ABOVE:.*]] = arith.cmpf ogt, %[[R]], %[[HI]] : f32
// CHECK-NEXT: arith.select %[[ABOVE]], %[[HI]], %[[R]] : f32
// CHECK: ^bb0(%[[N:.*]]: i64, %{{.*}}: f32):
// CHECK-NEXT: %[[NF:.*]] = arith.sitofp %[[N]] : i64 to f32
// CHECK-NEXT: %[[LO2:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-NEXT: arith.cmpf olt, %[[NF]], %[[LO2]] : f32
func.func @clamp(%x: tensor<4xf32>, %n: tensor<4xi64>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = ember.clamp %x {max = 6.0 : f64, min = 0.0 : f64} : (tensor<4xf32>) -> tensor<4xf32>
  %1 = ember.clamp %n {min = 0.5 : f64} : (tensor<4xi64>) -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// Tests that masked_fill broadcasts the mask and selects the value, as a
// constant of the input's element type.
// CHECK-LABEL: func.func @masked_fill
// CHECK: ^bb0(%[[X:.*]]: f32, %[[M:.*]]: i1, %{{.*}}: f32):
// CHECK-NEXT: %[[V:.*]] = arith.constant -1.000000e+09 : f32
// CHECK-NEXT: arith.select %[[M]], %[[V]], %[[X]] : f32
func.func @masked_fill(%s: tensor<8x8xf32>, %m: tensor<8xi1>) -> tensor<8x8xf32> {
  %0 = ember.masked_fill %s, %m {value = -1.0e+09 : f64} : (tensor<8x8xf32>, tensor<8xi1>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

// Tests that to_dtype converts as static_cast: float -> int truncates
// (fptosi), float -> bool is `x != 0`, bool -> float is uitofp, and a cast
// to the same type is the operand itself.
// CHECK-LABEL: func.func @to_dtype
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<3xi1>)
// CHECK: arith.fptosi %{{.*}} : f32 to i32
// CHECK: arith.cmpf une, %{{.*}}, %{{.*}} : f32
// CHECK: arith.uitofp %{{.*}} : i1 to f64
// CHECK: return %{{.*}}, %{{.*}}, %{{.*}}, %[[X]]
func.func @to_dtype(%x: tensor<3xf32>, %b: tensor<3xi1>) -> (tensor<3xi32>, tensor<3xi1>, tensor<3xf64>, tensor<3xf32>) {
  %0 = ember.to_dtype %x {dtype = i32} : (tensor<3xf32>) -> tensor<3xi32>
  %1 = ember.to_dtype %x {dtype = i1} : (tensor<3xf32>) -> tensor<3xi1>
  %2 = ember.to_dtype %b {dtype = f64} : (tensor<3xi1>) -> tensor<3xf64>
  %3 = ember.to_dtype %x {dtype = f32} : (tensor<3xf32>) -> tensor<3xf32>
  return %0, %1, %2, %3 : tensor<3xi32>, tensor<3xi1>, tensor<3xf64>, tensor<3xf32>
}

// -----

// Tests that constant and full become arith.constant literals (full's value
// converted to the dtype), and that a ui8 constant stays ember (arith has no
// unsigned types).
// CHECK-LABEL: func.func @literals
// CHECK-DAG: arith.constant dense<{{\[}}1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-DAG: arith.constant dense<7> : tensor<2x3xi64>
// CHECK-DAG: arith.constant dense<2.500000e+00> : tensor<4xf64>
// CHECK-DAG: ember.constant dense<[0, 128, 255]> : tensor<3xui8>
func.func @literals() -> (tensor<2xf32>, tensor<2x3xi64>, tensor<4xf64>, tensor<3xui8>) {
  %0 = ember.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %1 = ember.full {device = "cpu", dtype = i64, size = array<i64: 2, 3>, value = 7 : i64} : tensor<2x3xi64>
  %2 = ember.full {device = "cpu", dtype = f64, size = array<i64: 4>, value = 2.5 : f64} : tensor<4xf64>
  %3 = ember.constant dense<[0, 128, 255]> : tensor<3xui8>
  return %0, %1, %2, %3 : tensor<2xf32>, tensor<2x3xi64>, tensor<4xf64>, tensor<3xui8>
}

// -----

// Tests that an op without a lowering (a random op, an in-place op) stays as
// ember while the ops around it are lowered.
// CHECK-LABEL: func.func @not_lowered
// CHECK: %[[U:.*]] = ember.uniform_
// CHECK: %[[A:.*]] = ember.add_ %[[U]]
// CHECK: linalg.generic {{.*}} ins(%[[A]]
// CHECK: math.exp
func.func @not_lowered(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.uniform_ %x {from = 0.0 : f64, to = 1.0 : f64, seed = 1 : i64, offset = 0 : i64} : (tensor<4xf32>) -> tensor<4xf32>
  %1 = ember.add_ %0, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = ember.exp %1 : (tensor<4xf32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// Tests that a dynamic dim leaves the op as ember (static shapes only).
// CHECK-LABEL: func.func @dynamic
// CHECK: ember.neg
func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = ember.neg %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// Tests that an op whose types the lowering does not take (bool pow: eager's
// `x || !y`, not written) stays as ember rather than failing the pass.
// CHECK-LABEL: func.func @pow_bool
// CHECK: ember.pow
func.func @pow_bool(%a: tensor<3xi1>, %b: tensor<3xi1>) -> tensor<3xi1> {
  %0 = ember.pow %a, %b : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  return %0 : tensor<3xi1>
}

// RUN: ember-opt %s --split-input-file --convert-ember-to-linalg | FileCheck %s

// convert-ember-to-linalg on reductions and softmax: linalg.generic ops with
// reduction iterators, float sums accumulated in f64 as eager (over leading
// dims first when a kept dim follows them), keepdim as a tensor.expand_shape.

// Tests that sum over dim 1 with keepdim reduces into an f64 accumulator
// filled with 0, rounds it to f32 once, and expands to the keepdim shape.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[RED:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @sum_keepdim
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%{{.*}} : tensor<4xf64>)
// CHECK: %[[S:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<4x3xf32>) outs(%[[INIT]] : tensor<4xf64>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %[[ACC:.*]]: f64):
// CHECK-NEXT: %[[W:.*]] = arith.extf %[[IN]] : f32 to f64
// CHECK-NEXT: %[[A:.*]] = arith.addf %[[ACC]], %[[W]] : f64
// CHECK-NEXT: linalg.yield %[[A]] : f64
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[S]] : tensor<4xf64>)
// CHECK: arith.truncf %{{.*}} : f64 to f32
// CHECK: %[[K:.*]] = tensor.expand_shape %[[R]] {{\[\[}}0, 1]] output_shape [4, 1] : tensor<4xf32> into tensor<4x1xf32>
// CHECK: return %[[K]]
func.func @sum_keepdim(%x: tensor<4x3xf32>) -> tensor<4x1xf32> {
  %0 = ember.sum %x {dims = array<i64: 1>, keepdim = true} : (tensor<4x3xf32>) -> tensor<4x1xf32>
  return %0 : tensor<4x1xf32>
}

// -----

// Tests that a float sum over leading and later dims with a kept dim
// between (a conv's bias gradient over N, H, W) runs in two generics: over
// N first (parallel inner loops into an f64 [C, H, W]), then over H, W.
// CHECK-DAG: #[[ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CHW:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3)>
// CHECK-DAG: #[[ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-LABEL: func.func @sum_split
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4x5xf32>)
// CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [#[[ID4]], #[[CHW]]], iterator_types = ["reduction", "parallel", "parallel", "parallel"]} ins(%[[X]] : tensor<2x3x4x5xf32>) outs(%{{.*}} : tensor<3x4x5xf64>)
// CHECK: arith.extf
// CHECK: %[[S:.*]] = linalg.generic {indexing_maps = [#[[ID3]], #[[C]]], iterator_types = ["parallel", "reduction", "reduction"]} ins(%[[P]] : tensor<3x4x5xf64>) outs(%{{.*}} : tensor<3xf64>)
// CHECK-NOT: arith.extf
// CHECK: arith.truncf %{{.*}} : f64 to f32
func.func @sum_split(%x: tensor<2x3x4x5xf32>) -> tensor<3xf32> {
  %0 = ember.sum %x {dims = array<i64: 0, 2, 3>, keepdim = false} : (tensor<2x3x4x5xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Tests that sum of a bool tensor sums in i64 (extui), and that the dtype
// attribute converts the elements first (i32 -> f64 via sitofp).
// CHECK-LABEL: func.func @sum_int_dtype
// CHECK: ^bb0(%[[B:.*]]: i1, %[[ACC:.*]]: i64):
// CHECK-NEXT: %[[W:.*]] = arith.extui %[[B]] : i1 to i64
// CHECK-NEXT: arith.addi %[[ACC]], %[[W]] : i64
// CHECK: ^bb0(%[[N:.*]]: i32, %{{.*}}: f64):
// CHECK-NEXT: arith.sitofp %[[N]] : i32 to f64
func.func @sum_int_dtype(%b: tensor<4x3xi1>, %n: tensor<4x3xi32>) -> (tensor<i64>, tensor<3xf64>) {
  %0 = ember.sum %b : (tensor<4x3xi1>) -> tensor<i64>
  %1 = ember.sum %n {dims = array<i64: 0>, dtype = f64} : (tensor<4x3xi32>) -> tensor<3xf64>
  return %0, %1 : tensor<i64>, tensor<3xf64>
}

// -----

// Tests that prod starts from 1 and multiplies in f64.
// CHECK-LABEL: func.func @prod
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK: linalg.fill ins(%[[ONE]] : f64)
// CHECK: arith.mulf
func.func @prod(%x: tensor<4x3xf32>) -> tensor<3xf32> {
  %0 = ember.prod %x {dims = array<i64: 0>} : (tensor<4x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Tests that mean divides the f64 sum by the reduced element count (12)
// before rounding to f32.
// CHECK-LABEL: func.func @mean
// CHECK: iterator_types = ["reduction", "reduction"]
// CHECK: %[[N:.*]] = arith.constant 1.200000e+01 : f64
// CHECK-NEXT: %[[M:.*]] = arith.divf %{{.*}}, %[[N]] : f64
// CHECK-NEXT: arith.truncf %[[M]] : f64 to f32
func.func @mean(%x: tensor<4x3xf32>) -> tensor<f32> {
  %0 = ember.mean %x : (tensor<4x3xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Tests that amax starts from -inf and keeps the first NaN: `acc is NaN ? acc
// : (x > acc or x is NaN ? x : acc)`; negative dims wrap.
// CHECK-LABEL: func.func @amax_nan
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK: ^bb0(%[[X:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT: %[[GT:.*]] = arith.cmpf ugt, %[[X]], %[[ACC]] : f32
// CHECK-NEXT: %[[P:.*]] = arith.select %[[GT]], %[[X]], %[[ACC]] : f32
// CHECK-NEXT: %[[NAN:.*]] = arith.cmpf uno, %[[ACC]], %[[ACC]] : f32
// CHECK-NEXT: arith.select %[[NAN]], %[[ACC]], %[[P]] : f32
func.func @amax_nan(%x: tensor<4x3xf32>) -> tensor<4xf32> {
  %0 = ember.amax %x {dims = array<i64: -1>, keepdim = false} : (tensor<4x3xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that amin of integers starts from the type's maximum and compares
// signed.
// CHECK-LABEL: func.func @amin_int
// CHECK: arith.constant 9223372036854775807 : i64
// CHECK: arith.cmpi slt
func.func @amin_int(%x: tensor<4x3xi64>) -> tensor<3xi64> {
  %0 = ember.amin %x {dims = array<i64: 0>, keepdim = false} : (tensor<4x3xi64>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// Tests that var is two passes in f64: the mean (kept dims, broadcast back
// through a (d0, 0) map), then the sum of squared deviations divided by
// N - correction (3 - 1 = 2); std takes the sqrt.
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @var_std
// CHECK: arith.constant 3.000000e+00 : f64
// CHECK: %[[MEAN:.*]] = tensor.expand_shape {{.*}} into tensor<4x1xf64>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[COL]], #{{.*}}], {{.*}} ins(%{{.*}}, %[[MEAN]] : tensor<4x3xf32>, tensor<4x1xf64>)
// CHECK: %[[D:.*]] = arith.subf
// CHECK-NEXT: arith.mulf %[[D]], %[[D]] : f64
// CHECK: %[[C:.*]] = arith.constant 2.000000e+00 : f64
// CHECK-NEXT: %[[V:.*]] = arith.divf %{{.*}}, %[[C]] : f64
// CHECK-NEXT: arith.truncf %[[V]]
// CHECK: math.sqrt %{{.*}} : f64
func.func @var_std(%x: tensor<4x3xf32>) -> (tensor<4xf32>, tensor<4x1xf32>) {
  %0 = ember.var %x {dims = array<i64: 1>, correction = 1 : i64} : (tensor<4x3xf32>) -> tensor<4xf32>
  %1 = ember.std %x {dims = array<i64: 1>, keepdim = true} : (tensor<4x3xf32>) -> tensor<4x1xf32>
  return %0, %1 : tensor<4xf32>, tensor<4x1xf32>
}

// -----

// Tests that logsumexp shifts by the max (0 where infinite), sums exp in
// f64 and adds the shift back after the log.
// CHECK-LABEL: func.func @logsumexp
// CHECK: %[[ABS:.*]] = math.absf
// CHECK-NEXT: %[[INF:.*]] = arith.cmpf oeq, %[[ABS]]
// CHECK: math.exp %{{.*}} : f64
// CHECK: %[[L:.*]] = math.log %{{.*}} : f64
// CHECK: arith.addf %[[L]]
func.func @logsumexp(%x: tensor<4x3xf32>) -> tensor<4xf32> {
  %0 = ember.logsumexp %x {dims = array<i64: 1>} : (tensor<4x3xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that softmax subtracts the max along dim, exponentiates in f32, sums
// in f64 and multiplies by the reciprocal of the sum.
// CHECK-LABEL: func.func @softmax
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: %[[SH:.*]] = arith.subf
// CHECK-NEXT: math.exp %[[SH]] : f32
// CHECK: %[[INV:.*]] = arith.divf %{{.*}}, %{{.*}} : f64
// CHECK: arith.mulf %{{.*}}, %[[INV]] : f64
func.func @softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = ember.softmax %x {dim = -1 : i64} : (tensor<2x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// Tests that log_softmax is (x - max) - log(sum(exp(x - max))), along dim 0.
// CHECK-LABEL: func.func @log_softmax
// CHECK: iterator_types = ["reduction", "parallel"]
// CHECK: math.exp
// CHECK: ^bb0(%{{.*}}: f32, %{{.*}}: f32, %{{.*}}: f64, %{{.*}}: f32):
// CHECK-NEXT: %[[SH:.*]] = arith.subf %{{.*}}, %{{.*}} : f32
// CHECK-NEXT: %[[W:.*]] = arith.extf %[[SH]] : f32 to f64
// CHECK-NEXT: %[[L:.*]] = math.log %{{.*}} : f64
// CHECK-NEXT: arith.subf %[[W]], %[[L]] : f64
func.func @log_softmax(%x: tensor<2x5xf64>) -> tensor<2x5xf32> {
  %0 = ember.to_dtype %x {dtype = f32} : (tensor<2x5xf64>) -> tensor<2x5xf32>
  %1 = ember.log_softmax %0 {dim = 0 : i64} : (tensor<2x5xf32>) -> tensor<2x5xf32>
  return %1 : tensor<2x5xf32>
}

// -----

// Tests that max_dim carries value and i64 index through one generic with two
// outputs: the index is linalg.index of the reduced dim, taken when the
// accumulator is not NaN and x is NaN or greater (first occurrence wins).
// CHECK-LABEL: func.func @max_dim
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]{{.*}} outs(%{{.*}}, %{{.*}} : tensor<4xf32>, tensor<4xi64>)
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32, %[[V:.*]]: f32, %[[I:.*]]: i64):
// CHECK-NEXT: %[[GT:.*]] = arith.cmpf ugt, %[[X]], %[[V]] : f32
// CHECK-NEXT: %[[ORD:.*]] = arith.cmpf ord, %[[V]], %[[V]] : f32
// CHECK-NEXT: %[[TAKE:.*]] = arith.andi %[[ORD]], %[[GT]] : i1
// CHECK-NEXT: %[[IDX:.*]] = linalg.index 1 : index
// CHECK-NEXT: %[[IDX64:.*]] = arith.index_cast %[[IDX]] : index to i64
// CHECK-NEXT: %[[NV:.*]] = arith.select %[[TAKE]], %[[X]], %[[V]] : f32
// CHECK-NEXT: %[[NI:.*]] = arith.select %[[TAKE]], %[[IDX64]], %[[I]] : i64
// CHECK-NEXT: linalg.yield %[[NV]], %[[NI]] : f32, i64
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @max_dim(%x: tensor<4x3xf32>) -> (tensor<4xf32>, tensor<4xi64>) {
  %v, %i = ember.max_dim %x {dim = 1 : i64, keepdim = false} : (tensor<4x3xf32>) -> (tensor<4xf32>, tensor<4xi64>)
  return %v, %i : tensor<4xf32>, tensor<4xi64>
}

// -----

// Tests that min_dim on integers compares signed from the type's maximum.
// CHECK-LABEL: func.func @min_dim_int
// CHECK: arith.constant 2147483647 : i32
// CHECK: arith.cmpi slt
func.func @min_dim_int(%x: tensor<4x3xi32>) -> (tensor<3xi32>, tensor<3xi64>) {
  %v, %i = ember.min_dim %x {dim = 0 : i64} : (tensor<4x3xi32>) -> (tensor<3xi32>, tensor<3xi64>)
  return %v, %i : tensor<3xi32>, tensor<3xi64>
}

// -----

// Tests that argmin without dim flattens the input and returns the index
// into it (0-d), and that argmax with keepdim expands the indices.
// CHECK-LABEL: func.func @arg_reduce
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1]] : tensor<4x3xf32> into tensor<12xf32>
// CHECK: %[[MIN:.*]]:2 = linalg.generic {{.*}} iterator_types = ["reduction"]} ins(%[[FLAT]] : tensor<12xf32>)
// CHECK: arith.cmpf ult
// CHECK: %[[MAX:.*]]:2 = linalg.generic
// CHECK: %[[K:.*]] = tensor.expand_shape %[[MAX]]#1 {{\[\[}}0, 1]] output_shape [1, 3] : tensor<3xi64> into tensor<1x3xi64>
// CHECK: return %[[MIN]]#1, %[[K]]
func.func @arg_reduce(%x: tensor<4x3xf32>) -> (tensor<i64>, tensor<1x3xi64>) {
  %0 = ember.argmin %x : (tensor<4x3xf32>) -> tensor<i64>
  %1 = ember.argmax %x {dim = 0 : i64, keepdim = true} : (tensor<4x3xf32>) -> tensor<1x3xi64>
  return %0, %1 : tensor<i64>, tensor<1x3xi64>
}

// -----

// Tests that norm takes |x| in f64: p = 2 sums squares then takes the sqrt,
// p = inf takes the NaN-propagating max, p = 3 sums |x|^3 then takes the
// 1/3 power.
// CHECK-LABEL: func.func @norm
// CHECK: ^bb0(%[[X:.*]]: f32, %[[ACC:.*]]: f64):
// CHECK-NEXT: %[[W:.*]] = arith.extf %[[X]] : f32 to f64
// CHECK-NEXT: %[[A:.*]] = math.absf %[[W]] : f64
// CHECK-NEXT: %[[SQ:.*]] = arith.mulf %[[A]], %[[A]] : f64
// CHECK-NEXT: arith.addf %[[ACC]], %[[SQ]] : f64
// CHECK: math.sqrt %{{.*}} : f64
// CHECK: math.absf
// CHECK-NEXT: arith.cmpf ugt
// CHECK: %[[THREE:.*]] = arith.constant 3.000000e+00 : f64
// CHECK-NEXT: math.powf %{{.*}}, %[[THREE]] : f64
// CHECK: %[[THIRD:.*]] = arith.constant 0.33333333333333331 : f64
// CHECK-NEXT: math.powf %{{.*}}, %[[THIRD]] : f64
func.func @norm(%x: tensor<4x3xf32>) -> (tensor<f32>, tensor<4xf32>, tensor<3xf32>) {
  %0 = ember.norm %x {p = 2.0 : f64} : (tensor<4x3xf32>) -> tensor<f32>
  %1 = ember.norm %x {dims = array<i64: 1>, p = 0x7FF0000000000000 : f64} : (tensor<4x3xf32>) -> tensor<4xf32>
  %2 = ember.norm %x {dims = array<i64: 0>, p = 3 : i64} : (tensor<4x3xf32>) -> tensor<3xf32>
  return %0, %1, %2 : tensor<f32>, tensor<4xf32>, tensor<3xf32>
}

// -----

// Tests that a 0-d softmax (no lowering yet) stays as ember instead of
// failing the pass.
// CHECK-LABEL: func.func @softmax_0d
// CHECK: ember.softmax
func.func @softmax_0d(%x: tensor<f32>) -> tensor<f32> {
  %0 = ember.softmax %x {dim = 0 : i64} : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

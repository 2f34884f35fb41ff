// RUN: ember-opt %s --split-input-file --convert-ember-to-linalg | FileCheck %s

// convert-ember-to-linalg on the unary elementwise ops: one linalg.generic
// each, whose body computes the op on one element with arith/math (the
// JIT's CPU pipeline later turns the math ops into code).

// Tests that abs on floats is math.absf (abs(-0.0) = +0.0).
// CHECK-LABEL: func.func @abs
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[R:.*]] = math.absf %[[X]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @abs(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.abs %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that log is one math.log.
// CHECK-LABEL: func.func @log
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[R:.*]] = math.log %[[X]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @log(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.log %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that log1p is one math.log1p.
// CHECK-LABEL: func.func @log1p
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[R:.*]] = math.log1p %[[X]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @log1p(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.log1p %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that sqrt is one math.sqrt.
// CHECK-LABEL: func.func @sqrt
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[R:.*]] = math.sqrt %[[X]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @sqrt(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.sqrt %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that sin is one math.sin.
// CHECK-LABEL: func.func @sin
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[R:.*]] = math.sin %[[X]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @sin(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.sin %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that cos is one math.cos.
// CHECK-LABEL: func.func @cos
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[R:.*]] = math.cos %[[X]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @cos(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.cos %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that tanh is one math.tanh.
// CHECK-LABEL: func.func @tanh
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[R:.*]] = math.tanh %[[X]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @tanh(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.tanh %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that floor is one math.floor.
// CHECK-LABEL: func.func @floor
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[R:.*]] = math.floor %[[X]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @floor(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.floor %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that ceil is one math.ceil.
// CHECK-LABEL: func.func @ceil
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[R:.*]] = math.ceil %[[X]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @ceil(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.ceil %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that round is round-half-to-even, as torch.round.
// CHECK-LABEL: func.func @round
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[R:.*]] = math.roundeven %[[X]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @round(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.round %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that integer abs is math.absi.
// CHECK-LABEL: func.func @abs_i64
// CHECK: ^bb0(%[[X:.*]]: i64, %{{.*}}: i64):
// CHECK-NEXT: %[[R:.*]] = math.absi %[[X]] : i64
// CHECK-NEXT: linalg.yield %[[R]] : i64
func.func @abs_i64(%x: tensor<4xi64>) -> tensor<4xi64> {
  %0 = ember.abs %x : (tensor<4xi64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// Tests that rsqrt is 1 / sqrt(x) (math.rsqrt has no libm routine).
// CHECK-LABEL: func.func @rsqrt
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[S:.*]] = math.sqrt %[[X]] : f32
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %[[R:.*]] = arith.divf %[[ONE]], %[[S]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @rsqrt(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.rsqrt %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that sigmoid is 1 / (1 + exp(-x)).
// CHECK-LABEL: func.func @sigmoid
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[N:.*]] = arith.negf %[[X]] : f32
// CHECK-NEXT: %[[E:.*]] = math.exp %[[N]] : f32
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %[[D:.*]] = arith.addf %[[ONE]], %[[E]] : f32
// CHECK-NEXT: %[[R:.*]] = arith.divf %[[ONE]], %[[D]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @sigmoid(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.sigmoid %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that relu selects 0 only where x < 0, so NaN and -0.0 pass through
// as in eager.
// CHECK-LABEL: func.func @relu
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[LT:.*]] = arith.cmpf olt, %[[X]], %[[Z]] : f32
// CHECK-NEXT: %[[R:.*]] = arith.select %[[LT]], %[[Z]], %[[X]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @relu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.relu %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that exact gelu is 0.5 x (1 + erf(x / sqrt(2))).
// CHECK-LABEL: func.func @gelu_none
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[H:.*]] = arith.mulf %{{.*}}, %[[X]] : f32
// CHECK: %[[C:.*]] = arith.constant 0.707106769 : f32
// CHECK-NEXT: %[[S:.*]] = arith.mulf %[[X]], %[[C]] : f32
// CHECK-NEXT: %[[E:.*]] = math.erf %[[S]] : f32
// CHECK-NEXT: %[[P:.*]] = arith.addf %{{.*}}, %[[E]] : f32
// CHECK-NEXT: %[[R:.*]] = arith.mulf %[[H]], %[[P]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @gelu_none(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.gelu %x {approximate = "none"} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that tanh gelu is 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
// CHECK-LABEL: func.func @gelu_tanh
// CHECK: arith.constant 4.471500e-02 : f32
// CHECK: arith.constant 0.797884583 : f32
// CHECK: math.tanh
// CHECK-NOT: math.erf
func.func @gelu_tanh(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.gelu %x {approximate = "tanh"} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that sign is (x > 0) - (x < 0) in the element type (NaN -> 0).
// CHECK-LABEL: func.func @sign
// CHECK: %[[GT:.*]] = arith.cmpf ogt
// CHECK-NEXT: %[[LT:.*]] = arith.cmpf olt
// CHECK-NEXT: %[[P:.*]] = arith.select %[[GT]]
// CHECK-NEXT: %[[N:.*]] = arith.select %[[LT]]
// CHECK-NEXT: %[[R:.*]] = arith.subf %[[P]], %[[N]] : f32
func.func @sign(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.sign %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that logical_not is x == 0 with a bool result.
// CHECK-LABEL: func.func @logical_not
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: i1):
// CHECK-NEXT: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[R:.*]] = arith.cmpf oeq, %[[X]], %[[Z]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : i1
func.func @logical_not(%x: tensor<4xf32>) -> tensor<4xi1> {
  %0 = ember.logical_not %x : (tensor<4xf32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

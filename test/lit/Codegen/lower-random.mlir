// RUN: ember-opt %s --convert-ember-to-linalg | FileCheck %s

// bernoulli with the generator state (offset base, seed low, seed high)
// lowers to one linalg.generic that runs Philox4x32-10 per element: ten
// rounds of two 32x32->64 multiplies, lane i % 4 of block base + offset +
// i / 4, the top 24 bits as a float in [0, 1), compared with p.

// CHECK-LABEL: func.func @coins
// CHECK:       linalg.generic
// CHECK-SAME:    ins(%arg0, %arg1, %arg2, %arg3 : tensor<3x5xf32>, tensor<f64>, tensor<f64>, tensor<f64>)
// CHECK:         linalg.index 1
// CHECK:         linalg.index 0
// CHECK:         arith.divui
// CHECK:         arith.remui
// CHECK:         arith.fptoui {{.*}} : f64 to i64
// CHECK-COUNT-20: arith.mului_extended
// CHECK:         arith.shrui
// CHECK:         arith.uitofp {{.*}} : i32 to f32
// CHECK:         arith.cmpf olt
// CHECK:         arith.select
// CHECK:         linalg.yield
func.func @coins(%p: tensor<3x5xf32>, %base: tensor<f64>, %lo: tensor<f64>, %hi: tensor<f64>) -> tensor<3x5xf32> {
  %0 = ember.bernoulli %p, %base, %lo, %hi {offset = 4 : i64, seed = 1 : i64} : (tensor<3x5xf32>, tensor<f64>, tensor<f64>, tensor<f64>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// f64 draws take two words per element (2 elements per block) and the top
// 53 bits.
// CHECK-LABEL: func.func @coins64
// CHECK:         arith.uitofp {{.*}} : i64 to f64
func.func @coins64(%p: tensor<6xf64>, %base: tensor<f64>, %lo: tensor<f64>, %hi: tensor<f64>) -> tensor<6xf64> {
  %0 = ember.bernoulli %p, %base, %lo, %hi {offset = 0 : i64, seed = 1 : i64} : (tensor<6xf64>, tensor<f64>, tensor<f64>, tensor<f64>) -> tensor<6xf64>
  return %0 : tensor<6xf64>
}

// Without the generator state the draw would repeat on every call: it
// stays an ember op (the JIT runs it eagerly).
// CHECK-LABEL: func.func @fixed
// CHECK:         ember.bernoulli
func.func @fixed(%p: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.bernoulli %p {offset = 0 : i64, seed = 1 : i64} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

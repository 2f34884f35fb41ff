// RUN: ember-opt %s --ember-autodiff | FileCheck %s

// Random draws pass no gradient (their results are piecewise constant in
// their operands, as PyTorch's bernoulli and uniform_ have zero gradient).
// For the dropout-like x * (bernoulli(sigmoid(x)) * 2), the gradient of x
// is the incoming gradient times the noise, and nothing is asked of the
// draw, even though its probabilities depend on x.

// CHECK-LABEL: func.func @dropout
// CHECK:       %[[MASK:.*]] = ember.bernoulli
// CHECK:       %[[NOISE:.*]] = ember.mul %[[MASK]]
// CHECK:       ember.mul %arg0, %[[NOISE]]
// CHECK:       ember.sum
// CHECK-NOT:   ember.bernoulli
// CHECK-NOT:   ember.sigmoid
// CHECK:       %[[G:.*]] = ember.mul %{{.*}}, %[[NOISE]]
// CHECK-NEXT:  return %{{.*}}, %[[G]] : tensor<f32>, tensor<8xf32>
func.func @dropout(%x: tensor<8xf32>) -> tensor<f32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %p = ember.sigmoid %x : (tensor<8xf32>) -> tensor<8xf32>
  %m = ember.bernoulli %p {offset = 0 : i64, seed = 7 : i64} : (tensor<8xf32>) -> tensor<8xf32>
  %two = ember.constant dense<2.0> : tensor<f32>
  %n = ember.mul %m, %two : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %y = ember.mul %x, %n : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %s = ember.sum %y : (tensor<8xf32>) -> tensor<f32>
  return %s : tensor<f32>
}

// uniform_ overwrites its operand: no gradient reaches x through it.
// CHECK-LABEL: func.func @uniform_on_path
// CHECK:       %[[ZERO:.*]] = ember.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK:       return {{.*}}, %[[ZERO]] : tensor<f32>, tensor<4xf32>
func.func @uniform_on_path(%x: tensor<4xf32>) -> tensor<f32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.uniform_ %x {from = 0.0 : f64, to = 1.0 : f64, seed = 1 : i64, offset = 0 : i64} : (tensor<4xf32>) -> tensor<4xf32>
  %1 = ember.sum %0 : (tensor<4xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

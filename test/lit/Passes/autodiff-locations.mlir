// RUN: ember-opt %s --ember-autodiff --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s

// Tests that every gradient op carries the location of the forward op it
// comes from, tagged as backward, so a dump of the backward points at the
// user's forward line; the seed and the accumulation get theirs too.
// CHECK-LABEL: func.func @locations
func.func @locations(%x: tensor<4x3xf32>, %w: tensor<3x2xf32>) -> tensor<f32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0, 1]}} {
  // CHECK: ember.mm {{.*}} loc("model.cpp":10:5)
  %0 = ember.mm %x, %w : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32> loc("model.cpp":10:5)
  // CHECK: ember.tanh {{.*}} loc("model.cpp":11:5)
  %1 = ember.tanh %0 : (tensor<4x2xf32>) -> tensor<4x2xf32> loc("model.cpp":11:5)
  // CHECK: ember.sum {{.*}} loc("model.cpp":12:5)
  %2 = ember.sum %1 : (tensor<4x2xf32>) -> tensor<f32> loc("model.cpp":12:5)
  // The seed, at the return.
  // CHECK: ember.constant dense<1.000000e+00> : tensor<f32> loc(fused<"backward">["model.cpp":13:5])
  // CHECK: ember.reshape {{.*}} loc(fused<"backward">["model.cpp":12:5])
  // CHECK: ember.expand {{.*}} loc(fused<"backward">["model.cpp":12:5])
  // CHECK: ember.mul {{.*}} loc(fused<"backward">["model.cpp":11:5])
  // CHECK: ember.sub {{.*}} loc(fused<"backward">["model.cpp":11:5])
  // CHECK: ember.mul {{.*}} loc(fused<"backward">["model.cpp":11:5])
  // CHECK: ember.transpose {{.*}} loc(fused<"backward">["model.cpp":10:5])
  // CHECK: ember.mm {{.*}} loc(fused<"backward">["model.cpp":10:5])
  // CHECK: ember.transpose {{.*}} loc(fused<"backward">["model.cpp":10:5])
  // CHECK: ember.mm {{.*}} loc(fused<"backward">["model.cpp":10:5])
  // CHECK: return
  return %2 : tensor<f32> loc("model.cpp":13:5)
}

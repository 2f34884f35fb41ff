// RUN: ember-opt %s --split-input-file --ember-approximate-math | FileCheck %s

// ember-approximate-math: f32 exp/expm1/log1p/tanh/erf become polynomials
// (arith + math.fma); log, sin, cos, f64 math stay libm calls.

// Tests that f32 tanh and exp are expanded into arith and fma, with no math
// call left.
// CHECK-LABEL: func.func @tanh_exp
// CHECK-NOT: math.tanh
// CHECK-NOT: math.exp
// CHECK: math.fma
// CHECK: return
func.func @tanh_exp(%x: f32) -> f32 {
  %0 = math.tanh %x : f32
  %1 = math.exp %0 : f32
  return %1 : f32
}

// -----

// Tests that log1p and erf on f32 are expanded (log1p through the log
// approximation, itself expanded: its argument is never denormal).
// CHECK-LABEL: func.func @log1p_erf
// CHECK-NOT: math.log1p
// CHECK-NOT: math.log
// CHECK-NOT: math.erf
// CHECK: return
func.func @log1p_erf(%x: f32) -> f32 {
  %0 = math.log1p %x : f32
  %1 = math.erf %0 : f32
  return %1 : f32
}

// -----

// Tests that log (denormals), sin and cos (no range reduction) and f64 ops
// keep their libm lowering.
// CHECK-LABEL: func.func @kept
// CHECK: math.log %{{.*}} : f32
// CHECK: math.sin %{{.*}} : f32
// CHECK: math.cos %{{.*}} : f32
// CHECK: math.exp %{{.*}} : f64
// CHECK: math.tanh %{{.*}} : f64
func.func @kept(%x: f32, %y: f64) -> (f32, f32, f32, f64, f64) {
  %l = math.log %x : f32
  %0 = math.sin %x : f32
  %1 = math.cos %x : f32
  %2 = math.exp %y : f64
  %3 = math.tanh %y : f64
  return %l, %0, %1, %2, %3 : f32, f32, f32, f64, f64
}

// -----

// Tests that the approximation works inside a linalg.generic body on
// tensors, where the pass runs in the JIT.
// CHECK-LABEL: func.func @in_generic
// CHECK: linalg.generic
// CHECK-NOT: math.exp
// CHECK: linalg.yield
func.func @in_generic(%x: tensor<8xf32>) -> tensor<8xf32> {
  %e = tensor.empty() : tensor<8xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%a: f32, %b: f32):
    %1 = math.exp %a : f32
    linalg.yield %1 : f32
  } -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

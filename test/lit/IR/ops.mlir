// RUN: ember-opt %s | ember-opt | FileCheck %s
// RUN: ember-opt %s --mlir-print-op-generic | ember-opt | FileCheck %s

// Round trip (parse, print, parse again; and through the generic form) of
// every ember op, one function per example of the op's documentation
// (the `mlir` blocks of ir/include/ember/IR/Ember*Ops.td; regenerate with
// gen_ops.py). func.return checks the result types.

// Tests that ember.abs round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @abs_1
// CHECK-NEXT: %0 = ember.abs %arg0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
func.func @abs_1(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = ember.abs %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// Tests that ember.add_ round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @add__1
// CHECK-NEXT: %0 = ember.add_ %arg0, %arg1 : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
func.func @add__1(%x: tensor<4x3xf32>, %g: tensor<3xf32>) -> tensor<4x3xf32> {
  %0 = ember.add_ %x, %g : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// Tests that ember.add round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @add_1
// CHECK-NEXT: %0 = ember.add %arg0, %arg1 : (tensor<8x16xf32>, tensor<16xf32>) -> tensor<8x16xf32>
func.func @add_1(%x: tensor<8x16xf32>, %bias: tensor<16xf32>) -> tensor<8x16xf32> {
  %0 = ember.add %x, %bias : (tensor<8x16xf32>, tensor<16xf32>) -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// Tests that ember.add round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @add_2
// CHECK-NEXT: %0 = ember.add %arg0, %arg1 {alpha = 2 : i64} : (tensor<3xi64>, tensor<f64>) -> tensor<3xf32>
func.func @add_2(%n: tensor<3xi64>, %h: tensor<f64>) -> tensor<3xf32> {
  %1 = ember.add %n, %h {alpha = 2 : i64} : (tensor<3xi64>, tensor<f64>) -> tensor<3xf32>
  return %1 : tensor<3xf32>
}

// Tests that ember.amax round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @amax_1
// CHECK-NEXT: %0 = ember.amax %arg0 {dims = array<i64: 1>, keepdim = false} : (tensor<4x3xf32>) -> tensor<4xf32>
func.func @amax_1(%x: tensor<4x3xf32>) -> tensor<4xf32> {
  %0 = ember.amax %x {dims = array<i64: 1>, keepdim = false} : (tensor<4x3xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Tests that ember.amax round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @amax_2
// CHECK-NEXT: %0 = ember.amax %arg0 : (tensor<4x3xf32>) -> tensor<f32>
func.func @amax_2(%x: tensor<4x3xf32>) -> tensor<f32> {
  %1 = ember.amax %x : (tensor<4x3xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// Tests that ember.amin round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @amin_1
// CHECK-NEXT: %0 = ember.amin %arg0 {dims = array<i64: 1>, keepdim = false} : (tensor<4x3xf32>) -> tensor<4xf32>
func.func @amin_1(%x: tensor<4x3xf32>) -> tensor<4xf32> {
  %0 = ember.amin %x {dims = array<i64: 1>, keepdim = false} : (tensor<4x3xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Tests that ember.amin round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @amin_2
// CHECK-NEXT: %0 = ember.amin %arg0 : (tensor<4x3xf32>) -> tensor<f32>
func.func @amin_2(%x: tensor<4x3xf32>) -> tensor<f32> {
  %1 = ember.amin %x : (tensor<4x3xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// Tests that ember.arange round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @arange_1
// CHECK-NEXT: %0 = ember.arange {device = "cpu", dtype = i64, end = 10 : i64, start = 0 : i64, step = 3 : i64} : tensor<4xi64>
func.func @arange_1() -> tensor<4xi64> {
  %0 = ember.arange {device = "cpu", dtype = i64, end = 10 : i64, start = 0 : i64, step = 3 : i64} : tensor<4xi64>
  return %0 : tensor<4xi64>
}

// Tests that ember.argmax round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @argmax_1
// CHECK-NEXT: %0 = ember.argmax %arg0 {dim = 1 : i64, keepdim = false} : (tensor<4x10xf32>) -> tensor<4xi64>
func.func @argmax_1(%x: tensor<4x10xf32>) -> tensor<4xi64> {
  %0 = ember.argmax %x {dim = 1 : i64, keepdim = false} : (tensor<4x10xf32>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// Tests that ember.argmin round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @argmin_1
// CHECK-NEXT: %0 = ember.argmin %arg0 {dim = 1 : i64, keepdim = false} : (tensor<4x10xf32>) -> tensor<4xi64>
func.func @argmin_1(%x: tensor<4x10xf32>) -> tensor<4xi64> {
  %0 = ember.argmin %x {dim = 1 : i64, keepdim = false} : (tensor<4x10xf32>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// Tests that ember.as_strided round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @as_strided_1
// CHECK-NEXT: %0 = ember.as_strided %arg0 {size = array<i64: 2, 2>, storage_offset = 1 : i64, stride = array<i64: 3, 1>} : (tensor<3x3xf32>) -> tensor<2x2xf32>
func.func @as_strided_1(%x: tensor<3x3xf32>) -> tensor<2x2xf32> {
  %0 = ember.as_strided %x {size = array<i64: 2, 2>, storage_offset = 1 : i64, stride = array<i64: 3, 1>} : (tensor<3x3xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// Tests that ember.avg_pool2d_backward round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @avg_pool2d_backward_1
// CHECK-NEXT: %0 = ember.avg_pool2d_backward %arg0 {ceil_mode = false, count_include_pad = true, input_size = array<i64: 8, 16, 32, 32>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<8x16x16x16xf32>) -> tensor<8x16x32x32xf32>
func.func @avg_pool2d_backward_1(%g: tensor<8x16x16x16xf32>) -> tensor<8x16x32x32xf32> {
  %0 = ember.avg_pool2d_backward %g {ceil_mode = false, count_include_pad = true, input_size = array<i64: 8, 16, 32, 32>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<8x16x16x16xf32>) -> tensor<8x16x32x32xf32>
  return %0 : tensor<8x16x32x32xf32>
}

// Tests that ember.avg_pool2d round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @avg_pool2d_1
// CHECK-NEXT: %0 = ember.avg_pool2d %arg0 {ceil_mode = false, count_include_pad = true, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<8x16x32x32xf32>) -> tensor<8x16x16x16xf32>
func.func @avg_pool2d_1(%x: tensor<8x16x32x32xf32>) -> tensor<8x16x16x16xf32> {
  %0 = ember.avg_pool2d %x {ceil_mode = false, count_include_pad = true, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<8x16x32x32xf32>) -> tensor<8x16x16x16xf32>
  return %0 : tensor<8x16x16x16xf32>
}

// Tests that ember.bernoulli round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @bernoulli_1
// CHECK-NEXT: %0 = ember.bernoulli %arg0 {offset = 0 : i64, seed = 1 : i64} : (tensor<4xf32>) -> tensor<4xf32>
func.func @bernoulli_1(%p: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.bernoulli %p {offset = 0 : i64, seed = 1 : i64} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Tests that ember.bmm round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @bmm_1
// CHECK-NEXT: %0 = ember.bmm %arg0, %arg1 : (tensor<8x2x3xf32>, tensor<8x3x4xf32>) -> tensor<8x2x4xf32>
func.func @bmm_1(%a: tensor<8x2x3xf32>, %b: tensor<8x3x4xf32>) -> tensor<8x2x4xf32> {
  %0 = ember.bmm %a, %b : (tensor<8x2x3xf32>, tensor<8x3x4xf32>) -> tensor<8x2x4xf32>
  return %0 : tensor<8x2x4xf32>
}

// Tests that ember.cat round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @cat_1
// CHECK-NEXT: %0 = ember.cat %arg0, %arg1 {dim = 0 : i64} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<6x3xf32>
func.func @cat_1(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<6x3xf32> {
  %0 = ember.cat %a, %b {dim = 0 : i64} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<6x3xf32>
  return %0 : tensor<6x3xf32>
}

// Tests that ember.ceil round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @ceil_1
// CHECK-NEXT: %0 = ember.ceil %arg0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
func.func @ceil_1(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = ember.ceil %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// Tests that ember.clamp_ round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @clamp__1
// CHECK-NEXT: %0 = ember.clamp_ %arg0 {min = -1.000000e+00 : f64} : (tensor<4xf32>) -> tensor<4xf32>
func.func @clamp__1(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.clamp_ %x {min = -1.0 : f64} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Tests that ember.clamp round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @clamp_1
// CHECK-NEXT: %0 = ember.clamp %arg0 {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64} : (tensor<4xf32>) -> tensor<4xf32>
func.func @clamp_1(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.clamp %x {max = 6.0 : f64, min = 0.0 : f64} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Tests that ember.clamp round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @clamp_2
// CHECK-NEXT: %0 = ember.clamp %arg0 {min = 0 : i64} : (tensor<4xi64>) -> tensor<4xi64>
func.func @clamp_2(%n: tensor<4xi64>) -> tensor<4xi64> {
  %1 = ember.clamp %n {min = 0 : i64} : (tensor<4xi64>) -> tensor<4xi64>
  return %1 : tensor<4xi64>
}

// Tests that ember.clone round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @clone_1
// CHECK-NEXT: %0 = ember.clone %arg0 : (tensor<3x2xf32>) -> tensor<3x2xf32>
func.func @clone_1(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %0 = ember.clone %x : (tensor<3x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// Tests that ember.constant round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @constant_1
// CHECK-NEXT: %0 = ember.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
func.func @constant_1() -> tensor<2x2xf32> {
  %w = ember.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  return %w : tensor<2x2xf32>
}

// Tests that ember.constant round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @constant_2
// CHECK-NEXT: %0 = ember.constant dense<1> : tensor<128x64xi64>
func.func @constant_2() -> tensor<128x64xi64> {
  %ones = ember.constant dense<1> : tensor<128x64xi64>
  return %ones : tensor<128x64xi64>
}

// Tests that ember.constant round-trips (example 3 of its docs).
// CHECK-LABEL: func.func @constant_3
// CHECK-NEXT: %0 = ember.constant dense<true> : tensor<i1>
func.func @constant_3() -> tensor<i1> {
  %flag = ember.constant dense<true> : tensor<i1>
  return %flag : tensor<i1>
}

// Tests that ember.contiguous round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @contiguous_1
// CHECK-NEXT: %0 = ember.contiguous %arg0 : (tensor<3x2xf32>) -> tensor<3x2xf32>
func.func @contiguous_1(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %0 = ember.contiguous %x : (tensor<3x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// Tests that ember.conv2d_backward_input round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @conv2d_backward_input_1
// CHECK-NEXT: %0 = ember.conv2d_backward_input %arg0, %arg1 {dilation = array<i64: 1, 1>, groups = 1 : i64, input_size = array<i64: 8, 3, 32, 32>, padding = array<i64: 1, 1>, stride = array<i64: 1, 1>} : (tensor<8x16x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<8x3x32x32xf32>
func.func @conv2d_backward_input_1(%g: tensor<8x16x32x32xf32>, %w: tensor<16x3x3x3xf32>) -> tensor<8x3x32x32xf32> {
  %0 = ember.conv2d_backward_input %g, %w {dilation = array<i64: 1, 1>, groups = 1 : i64, input_size = array<i64: 8, 3, 32, 32>, padding = array<i64: 1, 1>, stride = array<i64: 1, 1>} : (tensor<8x16x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<8x3x32x32xf32>
  return %0 : tensor<8x3x32x32xf32>
}

// Tests that ember.conv2d_backward_weight round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @conv2d_backward_weight_1
// CHECK-NEXT: %0 = ember.conv2d_backward_weight %arg0, %arg1 {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 1, 1>, stride = array<i64: 1, 1>, weight_size = array<i64: 16, 3, 3, 3>} : (tensor<8x16x32x32xf32>, tensor<8x3x32x32xf32>) -> tensor<16x3x3x3xf32>
func.func @conv2d_backward_weight_1(%g: tensor<8x16x32x32xf32>, %x: tensor<8x3x32x32xf32>) -> tensor<16x3x3x3xf32> {
  %0 = ember.conv2d_backward_weight %g, %x {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 1, 1>, stride = array<i64: 1, 1>, weight_size = array<i64: 16, 3, 3, 3>} : (tensor<8x16x32x32xf32>, tensor<8x3x32x32xf32>) -> tensor<16x3x3x3xf32>
  return %0 : tensor<16x3x3x3xf32>
}

// Tests that ember.conv2d round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @conv2d_1
// CHECK-NEXT: %0 = ember.conv2d %arg0, %arg1, %arg2 {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 1, 1>, stride = array<i64: 1, 1>} : (tensor<8x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<8x16x32x32xf32>
func.func @conv2d_1(%x: tensor<8x3x32x32xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<16xf32>) -> tensor<8x16x32x32xf32> {
  %0 = ember.conv2d %x, %w, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 1, 1>, stride = array<i64: 1, 1>} : (tensor<8x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<8x16x32x32xf32>
  return %0 : tensor<8x16x32x32xf32>
}

// Tests that ember.copy_ round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @copy__1
// CHECK-NEXT: %0 = ember.copy_ %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf64>) -> tensor<2x3xf32>
func.func @copy__1(%x: tensor<2x3xf32>, %y: tensor<3xf64>) -> tensor<2x3xf32> {
  %0 = ember.copy_ %x, %y : (tensor<2x3xf32>, tensor<3xf64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// Tests that ember.cos round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @cos_1
// CHECK-NEXT: %0 = ember.cos %arg0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
func.func @cos_1(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = ember.cos %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// Tests that ember.cos round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @cos_2
// CHECK-NEXT: %0 = ember.cos %arg0 : (tensor<3xi64>) -> tensor<3xf32>
func.func @cos_2(%n: tensor<3xi64>) -> tensor<3xf32> {
  %1 = ember.cos %n : (tensor<3xi64>) -> tensor<3xf32>
  return %1 : tensor<3xf32>
}

// Tests that ember.div_ round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @div__1
// CHECK-NEXT: %0 = ember.div_ %arg0, %arg1 : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
func.func @div__1(%x: tensor<4x3xf32>, %g: tensor<3xf32>) -> tensor<4x3xf32> {
  %0 = ember.div_ %x, %g : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// Tests that ember.div round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @div_1
// CHECK-NEXT: %0 = ember.div %arg0, %arg1 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
func.func @div_1(%x: tensor<4xf32>, %n: tensor<f32>) -> tensor<4xf32> {
  %0 = ember.div %x, %n : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Tests that ember.div round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @div_2
// CHECK-NEXT: %0 = ember.div %arg0, %arg1 : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xf32>
func.func @div_2(%a: tensor<4xi64>, %b: tensor<4xi64>) -> tensor<4xf32> {
  %1 = ember.div %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// Tests that ember.empty round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @empty_1
// CHECK-NEXT: %0 = ember.empty {device = "cpu", dtype = f32, size = array<i64: 2, 3>} : tensor<2x3xf32>
func.func @empty_1() -> tensor<2x3xf32> {
  %0 = ember.empty {device = "cpu", dtype = f32, size = array<i64: 2, 3>} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// Tests that ember.eq round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @eq_1
// CHECK-NEXT: %0 = ember.eq %arg0, %arg1 : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
func.func @eq_1(%a: tensor<4x3xf32>, %b: tensor<3xi64>) -> tensor<4x3xi1> {
  %0 = ember.eq %a, %b : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
  return %0 : tensor<4x3xi1>
}

// Tests that ember.exp round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @exp_1
// CHECK-NEXT: %0 = ember.exp %arg0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
func.func @exp_1(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = ember.exp %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// Tests that ember.exp round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @exp_2
// CHECK-NEXT: %0 = ember.exp %arg0 : (tensor<3xi64>) -> tensor<3xf32>
func.func @exp_2(%n: tensor<3xi64>) -> tensor<3xf32> {
  %1 = ember.exp %n : (tensor<3xi64>) -> tensor<3xf32>
  return %1 : tensor<3xf32>
}

// Tests that ember.expand round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @expand_1
// CHECK-NEXT: %0 = ember.expand %arg0 {shape = array<i64: 8, -1>} : (tensor<1x16xf32>) -> tensor<8x16xf32>
func.func @expand_1(%b: tensor<1x16xf32>) -> tensor<8x16xf32> {
  %0 = ember.expand %b {shape = array<i64: 8, -1>} : (tensor<1x16xf32>) -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// Tests that ember.eye round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @eye_1
// CHECK-NEXT: %0 = ember.eye {device = "cpu", dtype = f32, m = 3 : i64, n = 2 : i64} : tensor<2x3xf32>
func.func @eye_1() -> tensor<2x3xf32> {
  %0 = ember.eye {device = "cpu", dtype = f32, m = 3 : i64, n = 2 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// Tests that ember.fill_ round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @fill__1
// CHECK-NEXT: %0 = ember.fill_ %arg0 {value = 1.500000e+00 : f64} : (tensor<2x2xf32>) -> tensor<2x2xf32>
func.func @fill__1(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %0 = ember.fill_ %x {value = 1.5 : f64} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// Tests that ember.flatten round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @flatten_1
// CHECK-NEXT: %0 = ember.flatten %arg0 {end_dim = -1 : i64, start_dim = 1 : i64} : (tensor<8x16x4x4xf32>) -> tensor<8x256xf32>
func.func @flatten_1(%x: tensor<8x16x4x4xf32>) -> tensor<8x256xf32> {
  %0 = ember.flatten %x {end_dim = -1 : i64, start_dim = 1 : i64} : (tensor<8x16x4x4xf32>) -> tensor<8x256xf32>
  return %0 : tensor<8x256xf32>
}

// Tests that ember.floor round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @floor_1
// CHECK-NEXT: %0 = ember.floor %arg0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
func.func @floor_1(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = ember.floor %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// Tests that ember.full round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @full_1
// CHECK-NEXT: %0 = ember.full {device = "cpu", dtype = f32, size = array<i64: 2, 3>, value = 0.000000e+00 : f64} : tensor<2x3xf32>
func.func @full_1() -> tensor<2x3xf32> {
  %0 = ember.full {device = "cpu", dtype = f32, size = array<i64: 2, 3>, value = 0.0 : f64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// Tests that ember.gather round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @gather_1
// CHECK-NEXT: %0 = ember.gather %arg0, %arg1 {dim = 1 : i64} : (tensor<4x10xf32>, tensor<4x1xi64>) -> tensor<4x1xf32>
func.func @gather_1(%x: tensor<4x10xf32>, %i: tensor<4x1xi64>) -> tensor<4x1xf32> {
  %0 = ember.gather %x, %i {dim = 1 : i64} : (tensor<4x10xf32>, tensor<4x1xi64>) -> tensor<4x1xf32>
  return %0 : tensor<4x1xf32>
}

// Tests that ember.ge round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @ge_1
// CHECK-NEXT: %0 = ember.ge %arg0, %arg1 : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
func.func @ge_1(%a: tensor<4x3xf32>, %b: tensor<3xi64>) -> tensor<4x3xi1> {
  %0 = ember.ge %a, %b : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
  return %0 : tensor<4x3xi1>
}

// Tests that ember.gelu round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @gelu_1
// CHECK-NEXT: %0 = ember.gelu %arg0 {approximate = "tanh"} : (tensor<4x8xf32>) -> tensor<4x8xf32>
func.func @gelu_1(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = ember.gelu %x {approximate = "tanh"} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// Tests that ember.gt round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @gt_1
// CHECK-NEXT: %0 = ember.gt %arg0, %arg1 : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
func.func @gt_1(%a: tensor<4x3xf32>, %b: tensor<3xi64>) -> tensor<4x3xi1> {
  %0 = ember.gt %a, %b : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
  return %0 : tensor<4x3xi1>
}

// Tests that ember.index_put_ round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @index_put__1
// CHECK-NEXT: %0 = ember.index_put_ %arg0, %arg1, %arg2 {accumulate = true} : (tensor<5x3xf32>, tensor<3xf32>, tensor<4xi64>) -> tensor<5x3xf32>
func.func @index_put__1(%x: tensor<5x3xf32>, %v: tensor<3xf32>, %i: tensor<4xi64>) -> tensor<5x3xf32> {
  %0 = ember.index_put_ %x, %v, %i {accumulate = true} : (tensor<5x3xf32>, tensor<3xf32>, tensor<4xi64>) -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}

// Tests that ember.index_select round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @index_select_1
// CHECK-NEXT: %0 = ember.index_select %arg0, %arg1 {dim = 0 : i64} : (tensor<100x16xf32>, tensor<8xi64>) -> tensor<8x16xf32>
func.func @index_select_1(%emb: tensor<100x16xf32>, %ids: tensor<8xi64>) -> tensor<8x16xf32> {
  %0 = ember.index_select %emb, %ids {dim = 0 : i64} : (tensor<100x16xf32>, tensor<8xi64>) -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// Tests that ember.index_tensor round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @index_tensor_1
// CHECK-NEXT: %0 = ember.index_tensor %arg0, %arg1 : (tensor<5x3xf32>, tensor<4xi64>) -> tensor<4x3xf32>
func.func @index_tensor_1(%x: tensor<5x3xf32>, %i: tensor<4xi64>) -> tensor<4x3xf32> {
  %0 = ember.index_tensor %x, %i : (tensor<5x3xf32>, tensor<4xi64>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// Tests that ember.index_tensor round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @index_tensor_2
// CHECK-NEXT: %0 = ember.index_tensor %arg0, %arg1 : (tensor<5x3xf32>, tensor<5xi1>) -> tensor<?x3xf32>
func.func @index_tensor_2(%x: tensor<5x3xf32>, %m: tensor<5xi1>) -> tensor<?x3xf32> {
  %1 = ember.index_tensor %x, %m : (tensor<5x3xf32>, tensor<5xi1>) -> tensor<?x3xf32>
  return %1 : tensor<?x3xf32>
}

// Tests that ember.le round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @le_1
// CHECK-NEXT: %0 = ember.le %arg0, %arg1 : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
func.func @le_1(%a: tensor<4x3xf32>, %b: tensor<3xi64>) -> tensor<4x3xi1> {
  %0 = ember.le %a, %b : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
  return %0 : tensor<4x3xi1>
}

// Tests that ember.linspace round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @linspace_1
// CHECK-NEXT: %0 = ember.linspace {device = "cpu", dtype = f32, end = 1.000000e+00 : f64, start = 0.000000e+00 : f64, steps = 5 : i64} : tensor<5xf32>
func.func @linspace_1() -> tensor<5xf32> {
  %0 = ember.linspace {device = "cpu", dtype = f32, end = 1.0 : f64, start = 0.0 : f64, steps = 5 : i64} : tensor<5xf32>
  return %0 : tensor<5xf32>
}

// Tests that ember.log1p round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @log1p_1
// CHECK-NEXT: %0 = ember.log1p %arg0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
func.func @log1p_1(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = ember.log1p %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// Tests that ember.log1p round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @log1p_2
// CHECK-NEXT: %0 = ember.log1p %arg0 : (tensor<3xi64>) -> tensor<3xf32>
func.func @log1p_2(%n: tensor<3xi64>) -> tensor<3xf32> {
  %1 = ember.log1p %n : (tensor<3xi64>) -> tensor<3xf32>
  return %1 : tensor<3xf32>
}

// Tests that ember.log round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @log_1
// CHECK-NEXT: %0 = ember.log %arg0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
func.func @log_1(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = ember.log %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// Tests that ember.log round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @log_2
// CHECK-NEXT: %0 = ember.log %arg0 : (tensor<3xi64>) -> tensor<3xf32>
func.func @log_2(%n: tensor<3xi64>) -> tensor<3xf32> {
  %1 = ember.log %n : (tensor<3xi64>) -> tensor<3xf32>
  return %1 : tensor<3xf32>
}

// Tests that ember.log_softmax round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @log_softmax_1
// CHECK-NEXT: %0 = ember.log_softmax %arg0 {dim = -1 : i64} : (tensor<4x10xf32>) -> tensor<4x10xf32>
func.func @log_softmax_1(%logits: tensor<4x10xf32>) -> tensor<4x10xf32> {
  %0 = ember.log_softmax %logits {dim = -1 : i64} : (tensor<4x10xf32>) -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// Tests that ember.logical_and round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @logical_and_1
// CHECK-NEXT: %0 = ember.logical_and %arg0, %arg1 : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
func.func @logical_and_1(%a: tensor<4x3xf32>, %b: tensor<3xi64>) -> tensor<4x3xi1> {
  %0 = ember.logical_and %a, %b : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
  return %0 : tensor<4x3xi1>
}

// Tests that ember.logical_not round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @logical_not_1
// CHECK-NEXT: %0 = ember.logical_not %arg0 : (tensor<3xf32>) -> tensor<3xi1>
func.func @logical_not_1(%x: tensor<3xf32>) -> tensor<3xi1> {
  %0 = ember.logical_not %x : (tensor<3xf32>) -> tensor<3xi1>
  return %0 : tensor<3xi1>
}

// Tests that ember.logical_or round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @logical_or_1
// CHECK-NEXT: %0 = ember.logical_or %arg0, %arg1 : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
func.func @logical_or_1(%a: tensor<4x3xf32>, %b: tensor<3xi64>) -> tensor<4x3xi1> {
  %0 = ember.logical_or %a, %b : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
  return %0 : tensor<4x3xi1>
}

// Tests that ember.logical_xor round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @logical_xor_1
// CHECK-NEXT: %0 = ember.logical_xor %arg0, %arg1 : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
func.func @logical_xor_1(%a: tensor<4x3xf32>, %b: tensor<3xi64>) -> tensor<4x3xi1> {
  %0 = ember.logical_xor %a, %b : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
  return %0 : tensor<4x3xi1>
}

// Tests that ember.logsumexp round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @logsumexp_1
// CHECK-NEXT: %0 = ember.logsumexp %arg0 {dims = array<i64: 1>, keepdim = false} : (tensor<4x3xf32>) -> tensor<4xf32>
func.func @logsumexp_1(%x: tensor<4x3xf32>) -> tensor<4xf32> {
  %0 = ember.logsumexp %x {dims = array<i64: 1>, keepdim = false} : (tensor<4x3xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Tests that ember.logsumexp round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @logsumexp_2
// CHECK-NEXT: %0 = ember.logsumexp %arg0 : (tensor<4x3xf32>) -> tensor<f32>
func.func @logsumexp_2(%x: tensor<4x3xf32>) -> tensor<f32> {
  %1 = ember.logsumexp %x : (tensor<4x3xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// Tests that ember.lt round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @lt_1
// CHECK-NEXT: %0 = ember.lt %arg0, %arg1 : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
func.func @lt_1(%a: tensor<4x3xf32>, %b: tensor<3xi64>) -> tensor<4x3xi1> {
  %0 = ember.lt %a, %b : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
  return %0 : tensor<4x3xi1>
}

// Tests that ember.masked_fill_ round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @masked_fill__1
// CHECK-NEXT: %0 = ember.masked_fill_ %arg0, %arg1 {value = 0 : i64} : (tensor<4xi64>, tensor<4xi1>) -> tensor<4xi64>
func.func @masked_fill__1(%x: tensor<4xi64>, %m: tensor<4xi1>) -> tensor<4xi64> {
  %0 = ember.masked_fill_ %x, %m {value = 0 : i64} : (tensor<4xi64>, tensor<4xi1>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// Tests that ember.masked_fill round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @masked_fill_1
// CHECK-NEXT: %0 = ember.masked_fill %arg0, %arg1 {value = -1.000000e+09 : f64} : (tensor<8x8xf32>, tensor<8x8xi1>) -> tensor<8x8xf32>
func.func @masked_fill_1(%scores: tensor<8x8xf32>, %causal: tensor<8x8xi1>) -> tensor<8x8xf32> {
  %0 = ember.masked_fill %scores, %causal {value = -1.0e+09 : f64} : (tensor<8x8xf32>, tensor<8x8xi1>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// Tests that ember.matmul round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @matmul_1
// CHECK-NEXT: %0 = ember.matmul %arg0, %arg1 : (tensor<128x784xf32>, tensor<784x512xf32>) -> tensor<128x512xf32>
func.func @matmul_1(%x: tensor<128x784xf32>, %w: tensor<784x512xf32>) -> tensor<128x512xf32> {
  %y = ember.matmul %x, %w : (tensor<128x784xf32>, tensor<784x512xf32>) -> tensor<128x512xf32>
  return %y : tensor<128x512xf32>
}

// Tests that ember.matmul round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @matmul_2
// CHECK-NEXT: %0 = ember.matmul %arg0, %arg1 : (tensor<2x8x16x64xf32>, tensor<8x64x16xf32>) -> tensor<2x8x16x16xf32>
func.func @matmul_2(%q: tensor<2x8x16x64xf32>, %k: tensor<8x64x16xf32>) -> tensor<2x8x16x16xf32> {
  %s = ember.matmul %q, %k : (tensor<2x8x16x64xf32>, tensor<8x64x16xf32>) -> tensor<2x8x16x16xf32>
  return %s : tensor<2x8x16x16xf32>
}

// Tests that ember.matmul round-trips (example 3 of its docs).
// CHECK-LABEL: func.func @matmul_3
// CHECK-NEXT: %0 = ember.matmul %arg0, %arg1 : (tensor<3x4xf64>, tensor<4xf64>) -> tensor<3xf64>
func.func @matmul_3(%m: tensor<3x4xf64>, %x: tensor<4xf64>) -> tensor<3xf64> {
  %v = ember.matmul %m, %x : (tensor<3x4xf64>, tensor<4xf64>) -> tensor<3xf64>
  return %v : tensor<3xf64>
}

// Tests that ember.max_dim round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @max_dim_1
// CHECK-NEXT: %values, %indices = ember.max_dim %arg0 {dim = 1 : i64, keepdim = false} : (tensor<4x3xf32>) -> (tensor<4xf32>, tensor<4xi64>)
func.func @max_dim_1(%x: tensor<4x3xf32>) -> (tensor<4xf32>, tensor<4xi64>) {
  %v, %i = ember.max_dim %x {dim = 1 : i64, keepdim = false} : (tensor<4x3xf32>) -> (tensor<4xf32>, tensor<4xi64>)
  return %v, %i : tensor<4xf32>, tensor<4xi64>
}

// Tests that ember.max_pool2d_backward round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @max_pool2d_backward_1
// CHECK-NEXT: %0 = ember.max_pool2d_backward %arg0, %arg1 {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<8x16x16x16xf32>, tensor<8x16x32x32xf32>) -> tensor<8x16x32x32xf32>
func.func @max_pool2d_backward_1(%g: tensor<8x16x16x16xf32>, %x: tensor<8x16x32x32xf32>) -> tensor<8x16x32x32xf32> {
  %0 = ember.max_pool2d_backward %g, %x {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<8x16x16x16xf32>, tensor<8x16x32x32xf32>) -> tensor<8x16x32x32xf32>
  return %0 : tensor<8x16x32x32xf32>
}

// Tests that ember.max_pool2d round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @max_pool2d_1
// CHECK-NEXT: %0 = ember.max_pool2d %arg0 {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<8x16x32x32xf32>) -> tensor<8x16x16x16xf32>
func.func @max_pool2d_1(%x: tensor<8x16x32x32xf32>) -> tensor<8x16x16x16xf32> {
  %0 = ember.max_pool2d %x {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<8x16x32x32xf32>) -> tensor<8x16x16x16xf32>
  return %0 : tensor<8x16x16x16xf32>
}

// Tests that ember.maximum round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @maximum_1
// CHECK-NEXT: %0 = ember.maximum %arg0, %arg1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
func.func @maximum_1(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.maximum %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Tests that ember.mean round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @mean_1
// CHECK-NEXT: %0 = ember.mean %arg0 {dims = array<i64: 1>, keepdim = false} : (tensor<4x3xf32>) -> tensor<4xf32>
func.func @mean_1(%x: tensor<4x3xf32>) -> tensor<4xf32> {
  %0 = ember.mean %x {dims = array<i64: 1>, keepdim = false} : (tensor<4x3xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Tests that ember.mean round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @mean_2
// CHECK-NEXT: %0 = ember.mean %arg0 : (tensor<4x3xf32>) -> tensor<f32>
func.func @mean_2(%x: tensor<4x3xf32>) -> tensor<f32> {
  %1 = ember.mean %x : (tensor<4x3xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// Tests that ember.min_dim round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @min_dim_1
// CHECK-NEXT: %values, %indices = ember.min_dim %arg0 {dim = 0 : i64} : (tensor<4x3xf32>) -> (tensor<3xf32>, tensor<3xi64>)
func.func @min_dim_1(%x: tensor<4x3xf32>) -> (tensor<3xf32>, tensor<3xi64>) {
  %v, %i = ember.min_dim %x {dim = 0 : i64} : (tensor<4x3xf32>) -> (tensor<3xf32>, tensor<3xi64>)
  return %v, %i : tensor<3xf32>, tensor<3xi64>
}

// Tests that ember.minimum round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @minimum_1
// CHECK-NEXT: %0 = ember.minimum %arg0, %arg1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
func.func @minimum_1(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ember.minimum %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Tests that ember.mm round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @mm_1
// CHECK-NEXT: %0 = ember.mm %arg0, %arg1 : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
func.func @mm_1(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = ember.mm %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// Tests that ember.mul_ round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @mul__1
// CHECK-NEXT: %0 = ember.mul_ %arg0, %arg1 : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
func.func @mul__1(%x: tensor<4x3xf32>, %g: tensor<3xf32>) -> tensor<4x3xf32> {
  %0 = ember.mul_ %x, %g : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// Tests that ember.mul round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @mul_1
// CHECK-NEXT: %0 = ember.mul %arg0, %arg1 : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
func.func @mul_1(%x: tensor<2x3xf32>, %scale: tensor<f32>) -> tensor<2x3xf32> {
  %0 = ember.mul %x, %scale : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// Tests that ember.narrow round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @narrow_1
// CHECK-NEXT: %0 = ember.narrow %arg0 {dim = 1 : i64, length = 2 : i64, start = 1 : i64} : (tensor<4x5xf32>) -> tensor<4x2xf32>
func.func @narrow_1(%x: tensor<4x5xf32>) -> tensor<4x2xf32> {
  %0 = ember.narrow %x {dim = 1 : i64, length = 2 : i64, start = 1 : i64} : (tensor<4x5xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// Tests that ember.ne round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @ne_1
// CHECK-NEXT: %0 = ember.ne %arg0, %arg1 : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
func.func @ne_1(%a: tensor<4x3xf32>, %b: tensor<3xi64>) -> tensor<4x3xi1> {
  %0 = ember.ne %a, %b : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
  return %0 : tensor<4x3xi1>
}

// Tests that ember.neg round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @neg_1
// CHECK-NEXT: %0 = ember.neg %arg0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
func.func @neg_1(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = ember.neg %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// Tests that ember.norm round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @norm_1
// CHECK-NEXT: %0 = ember.norm %arg0 {dims = array<i64: 1>, keepdim = false, p = 2.000000e+00 : f64} : (tensor<4x3xf32>) -> tensor<4xf32>
func.func @norm_1(%x: tensor<4x3xf32>) -> tensor<4xf32> {
  %0 = ember.norm %x {dims = array<i64: 1>, keepdim = false, p = 2.0 : f64} : (tensor<4x3xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Tests that ember.norm round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @norm_2
// CHECK-NEXT: %0 = ember.norm %arg0 {p = 1 : i64} : (tensor<4x3xf32>) -> tensor<f32>
func.func @norm_2(%x: tensor<4x3xf32>) -> tensor<f32> {
  %1 = ember.norm %x {p = 1 : i64} : (tensor<4x3xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// Tests that ember.normal_ round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @normal__1
// CHECK-NEXT: %0 = ember.normal_ %arg0 {mean = 0.000000e+00 : f64, offset = 8 : i64, seed = 42 : i64, std = 1.000000e+00 : f64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @normal__1(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = ember.normal_ %x {mean = 0.0 : f64, offset = 8 : i64, seed = 42 : i64, std = 1.0 : f64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// Tests that ember.one_hot round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @one_hot_1
// CHECK-NEXT: %0 = ember.one_hot %arg0 {num_classes = 10 : i64} : (tensor<8xi64>) -> tensor<8x10xi64>
func.func @one_hot_1(%y: tensor<8xi64>) -> tensor<8x10xi64> {
  %0 = ember.one_hot %y {num_classes = 10 : i64} : (tensor<8xi64>) -> tensor<8x10xi64>
  return %0 : tensor<8x10xi64>
}

// Tests that ember.permute round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @permute_1
// CHECK-NEXT: %0 = ember.permute %arg0 {dims = array<i64: 0, 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
func.func @permute_1(%x: tensor<2x3x4xf32>) -> tensor<2x4x3xf32> {
  %0 = ember.permute %x {dims = array<i64: 0, 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
  return %0 : tensor<2x4x3xf32>
}

// Tests that ember.pow round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @pow_1
// CHECK-NEXT: %0 = ember.pow %arg0, %arg1 : (tensor<4xf32>, tensor<f64>) -> tensor<4xf32>
func.func @pow_1(%x: tensor<4xf32>, %two: tensor<f64>) -> tensor<4xf32> {
  %0 = ember.pow %x, %two : (tensor<4xf32>, tensor<f64>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Tests that ember.prod round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @prod_1
// CHECK-NEXT: %0 = ember.prod %arg0 {dims = array<i64: 1>, keepdim = false} : (tensor<4x3xf32>) -> tensor<4xf32>
func.func @prod_1(%x: tensor<4x3xf32>) -> tensor<4xf32> {
  %0 = ember.prod %x {dims = array<i64: 1>, keepdim = false} : (tensor<4x3xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Tests that ember.prod round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @prod_2
// CHECK-NEXT: %0 = ember.prod %arg0 : (tensor<4x3xf32>) -> tensor<f32>
func.func @prod_2(%x: tensor<4x3xf32>) -> tensor<f32> {
  %1 = ember.prod %x : (tensor<4x3xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// Tests that ember.randint round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @randint_1
// CHECK-NEXT: %0 = ember.randint {device = "cpu", dtype = i64, high = 10 : i64, low = 0 : i64, offset = 0 : i64, seed = 1 : i64, size = array<i64: 4>} : tensor<4xi64>
func.func @randint_1() -> tensor<4xi64> {
  %0 = ember.randint {device = "cpu", dtype = i64, high = 10 : i64, low = 0 : i64, offset = 0 : i64, seed = 1 : i64, size = array<i64: 4>} : tensor<4xi64>
  return %0 : tensor<4xi64>
}

// Tests that ember.randperm round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @randperm_1
// CHECK-NEXT: %0 = ember.randperm {device = "cpu", dtype = i64, n = 5 : i64, offset = 0 : i64, seed = 1 : i64} : tensor<5xi64>
func.func @randperm_1() -> tensor<5xi64> {
  %0 = ember.randperm {device = "cpu", dtype = i64, n = 5 : i64, offset = 0 : i64, seed = 1 : i64} : tensor<5xi64>
  return %0 : tensor<5xi64>
}

// Tests that ember.relu round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @relu_1
// CHECK-NEXT: %0 = ember.relu %arg0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
func.func @relu_1(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = ember.relu %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// Tests that ember.reshape round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @reshape_1
// CHECK-NEXT: %0 = ember.reshape %arg0 {shape = array<i64: 6, -1>} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
func.func @reshape_1(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  %0 = ember.reshape %x {shape = array<i64: 6, -1>} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  return %0 : tensor<6x4xf32>
}

// Tests that ember.round round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @round_1
// CHECK-NEXT: %0 = ember.round %arg0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
func.func @round_1(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = ember.round %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// Tests that ember.rsqrt round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @rsqrt_1
// CHECK-NEXT: %0 = ember.rsqrt %arg0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
func.func @rsqrt_1(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = ember.rsqrt %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// Tests that ember.rsqrt round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @rsqrt_2
// CHECK-NEXT: %0 = ember.rsqrt %arg0 : (tensor<3xi64>) -> tensor<3xf32>
func.func @rsqrt_2(%n: tensor<3xi64>) -> tensor<3xf32> {
  %1 = ember.rsqrt %n : (tensor<3xi64>) -> tensor<3xf32>
  return %1 : tensor<3xf32>
}

// Tests that ember.scatter_add round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @scatter_add_1
// CHECK-NEXT: %0 = ember.scatter_add %arg0, %arg1, %arg2 {dim = 0 : i64} : (tensor<5x3xf32>, tensor<2x3xi64>, tensor<2x3xf32>) -> tensor<5x3xf32>
func.func @scatter_add_1(%x: tensor<5x3xf32>, %i: tensor<2x3xi64>, %s: tensor<2x3xf32>) -> tensor<5x3xf32> {
  %0 = ember.scatter_add %x, %i, %s {dim = 0 : i64} : (tensor<5x3xf32>, tensor<2x3xi64>, tensor<2x3xf32>) -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}

// Tests that ember.select round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @select_1
// CHECK-NEXT: %0 = ember.select %arg0 {dim = 0 : i64, index = -1 : i64} : (tensor<8x3xf32>) -> tensor<3xf32>
func.func @select_1(%x: tensor<8x3xf32>) -> tensor<3xf32> {
  %0 = ember.select %x {dim = 0 : i64, index = -1 : i64} : (tensor<8x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// Tests that ember.sigmoid round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @sigmoid_1
// CHECK-NEXT: %0 = ember.sigmoid %arg0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
func.func @sigmoid_1(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = ember.sigmoid %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// Tests that ember.sigmoid round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @sigmoid_2
// CHECK-NEXT: %0 = ember.sigmoid %arg0 : (tensor<3xi64>) -> tensor<3xf32>
func.func @sigmoid_2(%n: tensor<3xi64>) -> tensor<3xf32> {
  %1 = ember.sigmoid %n : (tensor<3xi64>) -> tensor<3xf32>
  return %1 : tensor<3xf32>
}

// Tests that ember.sign round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @sign_1
// CHECK-NEXT: %0 = ember.sign %arg0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
func.func @sign_1(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = ember.sign %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// Tests that ember.sin round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @sin_1
// CHECK-NEXT: %0 = ember.sin %arg0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
func.func @sin_1(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = ember.sin %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// Tests that ember.sin round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @sin_2
// CHECK-NEXT: %0 = ember.sin %arg0 : (tensor<3xi64>) -> tensor<3xf32>
func.func @sin_2(%n: tensor<3xi64>) -> tensor<3xf32> {
  %1 = ember.sin %n : (tensor<3xi64>) -> tensor<3xf32>
  return %1 : tensor<3xf32>
}

// Tests that ember.slice round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @slice_1
// CHECK-NEXT: %0 = ember.slice %arg0 {dim = 0 : i64, end = 7 : i64, start = 1 : i64, step = 2 : i64} : (tensor<8x3xf32>) -> tensor<3x3xf32>
func.func @slice_1(%x: tensor<8x3xf32>) -> tensor<3x3xf32> {
  %0 = ember.slice %x {dim = 0 : i64, end = 7 : i64, start = 1 : i64, step = 2 : i64} : (tensor<8x3xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// Tests that ember.softmax round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @softmax_1
// CHECK-NEXT: %0 = ember.softmax %arg0 {dim = -1 : i64} : (tensor<4x10xf32>) -> tensor<4x10xf32>
func.func @softmax_1(%logits: tensor<4x10xf32>) -> tensor<4x10xf32> {
  %0 = ember.softmax %logits {dim = -1 : i64} : (tensor<4x10xf32>) -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// Tests that ember.sqrt round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @sqrt_1
// CHECK-NEXT: %0 = ember.sqrt %arg0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
func.func @sqrt_1(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = ember.sqrt %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// Tests that ember.sqrt round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @sqrt_2
// CHECK-NEXT: %0 = ember.sqrt %arg0 : (tensor<3xi64>) -> tensor<3xf32>
func.func @sqrt_2(%n: tensor<3xi64>) -> tensor<3xf32> {
  %1 = ember.sqrt %n : (tensor<3xi64>) -> tensor<3xf32>
  return %1 : tensor<3xf32>
}

// Tests that ember.squeeze round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @squeeze_1
// CHECK-NEXT: %0 = ember.squeeze %arg0 {dim = 1 : i64} : (tensor<4x1x3xf32>) -> tensor<4x3xf32>
func.func @squeeze_1(%x: tensor<4x1x3xf32>) -> tensor<4x3xf32> {
  %0 = ember.squeeze %x {dim = 1 : i64} : (tensor<4x1x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// Tests that ember.stack round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @stack_1
// CHECK-NEXT: %0 = ember.stack %arg0, %arg1 {dim = 0 : i64} : (tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
func.func @stack_1(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = ember.stack %a, %b {dim = 0 : i64} : (tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// Tests that ember.std round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @std_1
// CHECK-NEXT: %0 = ember.std %arg0 {dims = array<i64: 1>, keepdim = false} : (tensor<4x3xf32>) -> tensor<4xf32>
func.func @std_1(%x: tensor<4x3xf32>) -> tensor<4xf32> {
  %0 = ember.std %x {dims = array<i64: 1>, keepdim = false} : (tensor<4x3xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Tests that ember.std round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @std_2
// CHECK-NEXT: %0 = ember.std %arg0 : (tensor<4x3xf32>) -> tensor<f32>
func.func @std_2(%x: tensor<4x3xf32>) -> tensor<f32> {
  %1 = ember.std %x : (tensor<4x3xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// Tests that ember.sub_ round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @sub__1
// CHECK-NEXT: %0 = ember.sub_ %arg0, %arg1 : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
func.func @sub__1(%x: tensor<4x3xf32>, %g: tensor<3xf32>) -> tensor<4x3xf32> {
  %0 = ember.sub_ %x, %g : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// Tests that ember.sub round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @sub_1
// CHECK-NEXT: %0 = ember.sub %arg0, %arg1 : (tensor<4x3xf64>, tensor<4x1xf64>) -> tensor<4x3xf64>
func.func @sub_1(%x: tensor<4x3xf64>, %mean: tensor<4x1xf64>) -> tensor<4x3xf64> {
  %0 = ember.sub %x, %mean : (tensor<4x3xf64>, tensor<4x1xf64>) -> tensor<4x3xf64>
  return %0 : tensor<4x3xf64>
}

// Tests that ember.sum round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @sum_1
// CHECK-NEXT: %0 = ember.sum %arg0 {dims = array<i64: 1>, keepdim = false} : (tensor<4x3xf32>) -> tensor<4xf32>
func.func @sum_1(%x: tensor<4x3xf32>) -> tensor<4xf32> {
  %0 = ember.sum %x {dims = array<i64: 1>, keepdim = false} : (tensor<4x3xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Tests that ember.sum round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @sum_2
// CHECK-NEXT: %0 = ember.sum %arg0 : (tensor<4x3xf32>) -> tensor<f32>
func.func @sum_2(%x: tensor<4x3xf32>) -> tensor<f32> {
  %1 = ember.sum %x : (tensor<4x3xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// Tests that ember.tanh round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @tanh_1
// CHECK-NEXT: %0 = ember.tanh %arg0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
func.func @tanh_1(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = ember.tanh %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// Tests that ember.tanh round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @tanh_2
// CHECK-NEXT: %0 = ember.tanh %arg0 : (tensor<3xi64>) -> tensor<3xf32>
func.func @tanh_2(%n: tensor<3xi64>) -> tensor<3xf32> {
  %1 = ember.tanh %n : (tensor<3xi64>) -> tensor<3xf32>
  return %1 : tensor<3xf32>
}

// Tests that ember.to_device round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @to_device_1
// CHECK-NEXT: %0 = ember.to_device %arg0 {device = "cuda:0"} : (tensor<3xf32>) -> tensor<3xf32>
func.func @to_device_1(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = ember.to_device %x {device = "cuda:0"} : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// Tests that ember.to_dtype round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @to_dtype_1
// CHECK-NEXT: %0 = ember.to_dtype %arg0 {dtype = i64} : (tensor<3xf32>) -> tensor<3xi64>
func.func @to_dtype_1(%x: tensor<3xf32>) -> tensor<3xi64> {
  %0 = ember.to_dtype %x {dtype = i64} : (tensor<3xf32>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// Tests that ember.transpose round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @transpose_1
// CHECK-NEXT: %0 = ember.transpose %arg0 {dim0 = 0 : i64, dim1 = 1 : i64} : (tensor<2x3xf32>) -> tensor<3x2xf32>
func.func @transpose_1(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %0 = ember.transpose %x {dim0 = 0 : i64, dim1 = 1 : i64} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// Tests that ember.uniform_ round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @uniform__1
// CHECK-NEXT: %0 = ember.uniform_ %arg0 {from = 0.000000e+00 : f64, offset = 0 : i64, seed = 42 : i64, to = 1.000000e+00 : f64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @uniform__1(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = ember.uniform_ %x {from = 0.0 : f64, offset = 0 : i64, seed = 42 : i64, to = 1.0 : f64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// Tests that ember.unsqueeze round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @unsqueeze_1
// CHECK-NEXT: %0 = ember.unsqueeze %arg0 {dim = 0 : i64} : (tensor<3xf32>) -> tensor<1x3xf32>
func.func @unsqueeze_1(%x: tensor<3xf32>) -> tensor<1x3xf32> {
  %0 = ember.unsqueeze %x {dim = 0 : i64} : (tensor<3xf32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// Tests that ember.var round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @var_1
// CHECK-NEXT: %0 = ember.var %arg0 {dims = array<i64: 1>, keepdim = false} : (tensor<4x3xf32>) -> tensor<4xf32>
func.func @var_1(%x: tensor<4x3xf32>) -> tensor<4xf32> {
  %0 = ember.var %x {dims = array<i64: 1>, keepdim = false} : (tensor<4x3xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Tests that ember.var round-trips (example 2 of its docs).
// CHECK-LABEL: func.func @var_2
// CHECK-NEXT: %0 = ember.var %arg0 : (tensor<4x3xf32>) -> tensor<f32>
func.func @var_2(%x: tensor<4x3xf32>) -> tensor<f32> {
  %1 = ember.var %x : (tensor<4x3xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// Tests that ember.view round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @view_1
// CHECK-NEXT: %0 = ember.view %arg0 {shape = array<i64: -1, 4>} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
func.func @view_1(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  %0 = ember.view %x {shape = array<i64: -1, 4>} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  return %0 : tensor<6x4xf32>
}

// Tests that ember.where round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @where_1
// CHECK-NEXT: %0 = ember.where %arg0, %arg1, %arg2 : (tensor<4x1xi1>, tensor<4x3xf32>, tensor<f64>) -> tensor<4x3xf32>
func.func @where_1(%c: tensor<4x1xi1>, %x: tensor<4x3xf32>, %y: tensor<f64>) -> tensor<4x3xf32> {
  %0 = ember.where %c, %x, %y : (tensor<4x1xi1>, tensor<4x3xf32>, tensor<f64>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// Tests that ember.zero_ round-trips (example 1 of its docs).
// CHECK-LABEL: func.func @zero__1
// CHECK-NEXT: %0 = ember.zero_ %arg0 : (tensor<2x2xf32>) -> tensor<2x2xf32>
func.func @zero__1(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %0 = ember.zero_ %x : (tensor<2x2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

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


// RUN: ember-opt %s --split-input-file --convert-ember-to-linalg | FileCheck %s

// convert-ember-to-linalg on convolution and pooling: tensor.pad for the
// padding, linalg's named conv/pooling ops, NCHW.

// Tests that conv2d pads with 0, convolves into a zero-filled init with the
// strides and dilations, then adds the bias broadcast along the channel dim.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @conv2d
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x8x8xf32>, %[[W:.*]]: tensor<4x3x3x3xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK: %[[P:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: } : tensor<2x3x8x8xf32> to tensor<2x3x10x10xf32>
// CHECK: %[[Z:.*]] = linalg.fill
// CHECK: %[[C:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%[[P]], %[[W]] : tensor<2x3x10x10xf32>, tensor<4x3x3x3xf32>) outs(%[[Z]] : tensor<2x4x4x4xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[ID]]], {{.*}} ins(%[[C]], %[[B]] : tensor<2x4x4x4xf32>, tensor<4xf32>)
// CHECK: arith.addf
func.func @conv2d(%x: tensor<2x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<2x4x4x4xf32> {
  %0 = ember.conv2d %x, %w, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : (tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<2x4x4x4xf32>
  return %0 : tensor<2x4x4x4xf32>
}

// -----

// Tests that a 3-D conv2d input gets a batch dim of 1 (and loses it after),
// that no pad is made without padding, and that a grouped conv2d stays.
// CHECK-LABEL: func.func @conv2d_unbatched
// CHECK: %[[E:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2], [3]] output_shape [1, 2, 5, 5] : tensor<2x5x5xf32> into tensor<1x2x5x5xf32>
// CHECK-NOT: tensor.pad
// CHECK: %[[C:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<2> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%[[E]],
// CHECK: tensor.collapse_shape %[[C]] {{\[\[}}0, 1], [2], [3]] : tensor<1x4x1x1xf32> into tensor<4x1x1xf32>
// CHECK: ember.conv2d {{.*}} groups = 2
func.func @conv2d_unbatched(%x: tensor<2x5x5xf32>, %w: tensor<4x2x3x3xf32>, %g: tensor<4x1x3x3xf32>) -> (tensor<4x1x1xf32>, tensor<4x3x3xf32>) {
  %0 = ember.conv2d %x, %w {dilation = array<i64: 2, 2>, groups = 1 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<2x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<4x1x1xf32>
  %1 = ember.conv2d %x, %g {dilation = array<i64: 1, 1>, groups = 2 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<2x5x5xf32>, tensor<4x1x3x3xf32>) -> tensor<4x3x3xf32>
  return %0, %1 : tensor<4x1x1xf32>, tensor<4x3x3xf32>
}

// -----

// Tests that max_pool2d pads with -inf, pools from -inf, and that ceil_mode
// pads the high side as far as the last window reaches (5 -> 6).
// CHECK-LABEL: func.func @max_pool2d_ceil
// CHECK: %[[NEG:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[P:.*]] = tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK-NEXT: ^bb0
// CHECK-NEXT: tensor.yield %[[NEG]] : f32
// CHECK: } : tensor<1x3x5x5xf32> to tensor<1x3x6x6xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[NEG]] : f32)
// CHECK: %[[WIN:.*]] = tensor.empty() : tensor<2x2xf32>
// CHECK: linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%[[P]], %[[WIN]] : tensor<1x3x6x6xf32>, tensor<2x2xf32>) outs(%[[INIT]] : tensor<1x3x3x3xf32>)
func.func @max_pool2d_ceil(%y: tensor<3x5x5xf32>) -> tensor<3x3x3xf32> {
  %0 = ember.max_pool2d %y {ceil_mode = true, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<3x5x5xf32>) -> tensor<3x3x3xf32>
  return %0 : tensor<3x3x3xf32>
}

// -----

// Tests that avg_pool2d sums (padding with 0) and divides by eager's
// per-position divisors: without count_include_pad the window clipped to the
// input (2, 3, 2 rows and columns here).
// CHECK-LABEL: func.func @avg_pool2d_exclude_pad
// CHECK: %[[S:.*]] = linalg.pooling_nchw_sum {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<1x3x7x7xf32>, tensor<3x3xf32>)
// CHECK: %[[D:.*]] = arith.constant dense<{{\[\[}}4.000000e+00, 6.000000e+00, 4.000000e+00], [6.000000e+00, 9.000000e+00, 6.000000e+00], [4.000000e+00, 6.000000e+00, 4.000000e+00]]> : tensor<3x3xf32>
// CHECK: linalg.generic {{.*}} ins(%[[S]], %[[D]] : tensor<1x3x3x3xf32>, tensor<3x3xf32>)
// CHECK: arith.divf
func.func @avg_pool2d_exclude_pad(%y: tensor<3x5x5xf32>) -> tensor<3x3x3xf32> {
  %0 = ember.avg_pool2d %y {ceil_mode = true, count_include_pad = false, kernel_size = array<i64: 3, 3>, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : (tensor<3x5x5xf32>) -> tensor<3x3x3xf32>
  return %0 : tensor<3x3x3xf32>
}

// -----

// Tests that with count_include_pad the divisor is the whole kernel where
// the window lies in the padded input (9 everywhere here).
// CHECK-LABEL: func.func @avg_pool2d_include_pad
// CHECK: arith.constant dense<9.000000e+00> : tensor<2x2xf64>
func.func @avg_pool2d_include_pad(%y: tensor<1x2x4x4xf64>) -> tensor<1x2x2x2xf64> {
  %0 = ember.avg_pool2d %y {ceil_mode = false, count_include_pad = true, kernel_size = array<i64: 3, 3>, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : (tensor<1x2x4x4xf64>) -> tensor<1x2x2x2xf64>
  return %0 : tensor<1x2x2x2xf64>
}

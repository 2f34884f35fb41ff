// RUN: ember-opt %s --split-input-file --convert-ember-to-linalg | FileCheck %s

// convert-ember-to-linalg on the gradients of conv2d and the pools: the
// conv gradients end in linalg.conv_2d_nchw_fchw (so they reach the
// runtime's GEMM), avg_pool2d_backward in linalg.pooling_nchw_sum, and
// max_pool2d_backward is one generic marked for the runtime call (windows
// that tile the input), or a first-maximum reduction, then a scatter by
// comparison (non-overlapping windows) or a gather (any windows).

// Tests that conv2d_backward_input zero-stuffs grad_out by the stride at
// offset dilation*(k-1)-padding = 1 into [H + 2, W + 2], flips the weight
// with in/out channels swapped, and convolves with stride 1.
// CHECK-DAG: #[[FLIP:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d0, -d2 + 2, -d3 + 2)>
// CHECK-LABEL: func.func @conv2d_backward_input
// CHECK-SAME: (%[[G:.*]]: tensor<2x4x5x4xf32>, %[[W:.*]]: tensor<4x3x3x3xf32>)
// CHECK: %[[Z:.*]] = linalg.fill {{.*}} -> tensor<2x4x12x10xf32>
// CHECK: %[[S:.*]] = tensor.insert_slice %[[G]] into %[[Z]][0, 0, 1, 1] [2, 4, 5, 4] [1, 1, 2, 2] : tensor<2x4x5x4xf32> into tensor<2x4x12x10xf32>
// CHECK: %[[F:.*]] = linalg.generic {indexing_maps = [#[[FLIP]], {{.*}}]{{.*}} ins(%[[W]] : tensor<4x3x3x3xf32>) outs(%{{.*}} : tensor<3x4x3x3xf32>)
// CHECK: %[[I:.*]] = linalg.fill {{.*}} -> tensor<2x3x10x8xf32>
// CHECK: %[[C:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%[[S]], %[[F]] : tensor<2x4x12x10xf32>, tensor<3x4x3x3xf32>) outs(%[[I]] : tensor<2x3x10x8xf32>)
// CHECK: return %[[C]]
func.func @conv2d_backward_input(%g: tensor<2x4x5x4xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<2x3x10x8xf32> {
  %0 = ember.conv2d_backward_input %g, %w {dilation = array<i64: 1, 1>, groups = 1 : i64, input_size = array<i64: 2, 3, 10, 8>, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : (tensor<2x4x5x4xf32>, tensor<4x3x3x3xf32>) -> tensor<2x3x10x8xf32>
  return %0 : tensor<2x3x10x8xf32>
}

// -----

// Tests that padding beyond dilation*(k-1) (a negative offset) drops the
// grad_out rows that fall before the input (row 0 here, and rows 8 on), and
// that the conv keeps the forward's dilation.
// CHECK-LABEL: func.func @conv2d_backward_input_crop
// CHECK: %[[Z:.*]] = linalg.fill {{.*}} -> tensor<2x3x7x11xf32>
// CHECK: %[[E:.*]] = tensor.extract_slice %{{.*}}[0, 0, 1, 0] [2, 3, 7, 5] [1, 1, 1, 1] : tensor<2x3x9x5xf32> to tensor<2x3x7x5xf32>
// CHECK: %[[S:.*]] = tensor.insert_slice %[[E]] into %[[Z]][0, 0, 0, 1] [2, 3, 7, 5] [1, 1, 1, 2]
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<[1, 2]> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%[[S]],
func.func @conv2d_backward_input_crop(%g: tensor<2x3x9x5xf32>, %w: tensor<3x2x2x3xf32>) -> tensor<2x2x6x7xf32> {
  %0 = ember.conv2d_backward_input %g, %w {dilation = array<i64: 1, 2>, groups = 1 : i64, input_size = array<i64: 2, 2, 6, 7>, padding = array<i64: 2, 3>, stride = array<i64: 1, 2>} : (tensor<2x3x9x5xf32>, tensor<3x2x2x3xf32>) -> tensor<2x2x6x7xf32>
  return %0 : tensor<2x2x6x7xf32>
}

// -----

// Tests that conv2d_backward_weight pads the input, crops it to the rows
// the forward read (2*4 + 3 = 11 of 12, 2*3 + 3 = 9 of 10), swaps batch and
// channels of input and grad_out, convolves with stride = dilation 1 and
// dilation = stride 2, and swaps the result back to [F, C, kH, kW].
// CHECK-LABEL: func.func @conv2d_backward_weight
// CHECK-SAME: (%[[G:.*]]: tensor<2x4x5x4xf32>, %[[X:.*]]: tensor<2x3x10x8xf32>)
// CHECK: %[[P:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[E:.*]] = tensor.extract_slice %[[P]][0, 0, 0, 0] [2, 3, 11, 9] [1, 1, 1, 1]
// CHECK: %[[XT:.*]] = linalg.transpose ins(%[[E]] : tensor<2x3x11x9xf32>) outs(%{{.*}} : tensor<3x2x11x9xf32>) permutation = [1, 0, 2, 3]
// CHECK: %[[GT:.*]] = linalg.transpose ins(%[[G]] : tensor<2x4x5x4xf32>) outs(%{{.*}} : tensor<4x2x5x4xf32>) permutation = [1, 0, 2, 3]
// CHECK: %[[C:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<2> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%[[XT]], %[[GT]] : tensor<3x2x11x9xf32>, tensor<4x2x5x4xf32>) outs(%{{.*}} : tensor<3x4x3x3xf32>)
// CHECK: %[[R:.*]] = linalg.transpose ins(%[[C]] : tensor<3x4x3x3xf32>) outs(%{{.*}} : tensor<4x3x3x3xf32>) permutation = [1, 0, 2, 3]
// CHECK: return %[[R]]
func.func @conv2d_backward_weight(%g: tensor<2x4x5x4xf32>, %x: tensor<2x3x10x8xf32>) -> tensor<4x3x3x3xf32> {
  %0 = ember.conv2d_backward_weight %g, %x {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>, weight_size = array<i64: 4, 3, 3, 3>} : (tensor<2x4x5x4xf32>, tensor<2x3x10x8xf32>) -> tensor<4x3x3x3xf32>
  return %0 : tensor<4x3x3x3xf32>
}

// -----

// Tests that unbatched operands get N = 1, and that grouped conv gradients
// stay ember ops.
// CHECK-LABEL: func.func @conv2d_backward_unbatched
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2], [3]] output_shape [1, 4, 3, 3] : tensor<4x3x3xf32> into tensor<1x4x3x3xf32>
// CHECK: %[[C:.*]] = linalg.conv_2d_nchw_fchw
// CHECK: tensor.collapse_shape %[[C]] {{\[\[}}0, 1], [2], [3]] : tensor<1x2x5x5xf32> into tensor<2x5x5xf32>
// CHECK: ember.conv2d_backward_input {{.*}} groups = 2
// CHECK: ember.conv2d_backward_weight {{.*}} groups = 2
func.func @conv2d_backward_unbatched(%g: tensor<4x3x3xf32>, %w: tensor<4x2x3x3xf32>, %wg: tensor<4x1x3x3xf32>, %x: tensor<2x5x5xf32>) -> (tensor<2x5x5xf32>, tensor<2x5x5xf32>, tensor<4x1x3x3xf32>) {
  %0 = ember.conv2d_backward_input %g, %w {dilation = array<i64: 1, 1>, groups = 1 : i64, input_size = array<i64: 2, 5, 5>, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<4x3x3xf32>, tensor<4x2x3x3xf32>) -> tensor<2x5x5xf32>
  %1 = ember.conv2d_backward_input %g, %wg {dilation = array<i64: 1, 1>, groups = 2 : i64, input_size = array<i64: 2, 5, 5>, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<4x3x3xf32>, tensor<4x1x3x3xf32>) -> tensor<2x5x5xf32>
  %2 = ember.conv2d_backward_weight %g, %x {dilation = array<i64: 1, 1>, groups = 2 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>, weight_size = array<i64: 4, 1, 3, 3>} : (tensor<4x3x3xf32>, tensor<2x5x5xf32>) -> tensor<4x1x3x3xf32>
  return %0, %1, %2 : tensor<2x5x5xf32>, tensor<2x5x5xf32>, tensor<4x1x3x3xf32>
}

// -----

// Tests that max_pool2d_backward finds each window's first maximum
// (v > m || isnan(v), from -inf, window loops reduced in row-major order),
// writes grad_out where the window position equals it, and pads the row
// and column no window covers (floor mode, 7x9 -> 3x4) with 0.
// CHECK-DAG: #[[WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-DAG: #[[KER:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @max_pool2d_backward
// CHECK-SAME: (%[[G:.*]]: tensor<2x3x3x4xf32>, %[[X:.*]]: tensor<2x3x7x9xf32>)
// CHECK: %[[NEG:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[M:.*]]:2 = linalg.generic {indexing_maps = [#[[WIN]], #[[KER]], #[[OUT]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[X]], %{{.*}} : tensor<2x3x7x9xf32>, tensor<2x2xf32>) outs(%{{.*}}, %{{.*}} : tensor<2x3x3x4xf32>, tensor<2x3x3x4xi64>)
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf uno
// CHECK: %[[S:.*]] = linalg.generic {{.*}} ins(%[[G]], %[[M]]#1 : tensor<2x3x3x4xf32>, tensor<2x3x3x4xi64>) outs(%{{.*}} : tensor<2x3x3x2x4x2xf32>)
// CHECK: arith.cmpi eq
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[S]] {{\[\[}}0], [1], [2, 3], [4, 5]] : tensor<2x3x3x2x4x2xf32> into tensor<2x3x6x8xf32>
// CHECK: %[[P:.*]] = tensor.pad %[[C]] low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: return %[[P]]
func.func @max_pool2d_backward(%g: tensor<2x3x3x4xf32>, %x: tensor<2x3x7x9xf32>) -> tensor<2x3x7x9xf32> {
  %0 = ember.max_pool2d_backward %g, %x {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<2x3x3x4xf32>, tensor<2x3x7x9xf32>) -> tensor<2x3x7x9xf32>
  return %0 : tensor<2x3x7x9xf32>
}

// -----

// Tests that windows tiling the input exactly (2x2 on 4x6) become one
// all-parallel generic over the input positions marked for the runtime
// call (library_call, ember.kernel): grad_out read at (h floordiv 2,
// w floordiv 2), the input at (h, w), the window's four values by
// tensor.extract and compared in row-major order.
// CHECK-DAG: #[[WIN:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 floordiv 2, d3 floordiv 2)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @max_pool2d_backward_tiled
// CHECK-SAME: (%[[G:.*]]: tensor<2x3x2x3xf32>, %[[X:.*]]: tensor<2x3x4x6xf32>)
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[WIN]], #[[ID]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"], library_call = "ember_rt_max_pool2d_backward"} ins(%[[G]], %[[X]] : tensor<2x3x2x3xf32>, tensor<2x3x4x6xf32>) outs(%{{.*}} : tensor<2x3x4x6xf32>) attrs = {ember.kernel = array<i64: 2, 2>}
// CHECK-COUNT-4: tensor.extract %[[X]]
// CHECK: arith.cmpf ogt
// CHECK: return %[[R]]
func.func @max_pool2d_backward_tiled(%g: tensor<2x3x2x3xf32>, %x: tensor<2x3x4x6xf32>) -> tensor<2x3x4x6xf32> {
  %0 = ember.max_pool2d_backward %g, %x {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<2x3x2x3xf32>, tensor<2x3x4x6xf32>) -> tensor<2x3x4x6xf32>
  return %0 : tensor<2x3x4x6xf32>
}

// -----

// Tests that overlapping, padded windows take the general path: the input
// padded with -inf, a reduction recording the flat input index of each
// window's first maximum (-1: none yet; the first in-bounds position is
// taken unconditionally), then a gather over the 3x3 kernel positions that
// reads the winner and grad_out with tensor.extract and adds on a hit.
// CHECK-DAG: #[[WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-LABEL: func.func @max_pool2d_backward_overlapping
// CHECK-SAME: (%[[G:.*]]: tensor<1x2x4x4xf32>, %[[X:.*]]: tensor<1x2x7x7xf32>)
// CHECK: %[[P:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[NONE:.*]] = arith.constant -1 : i64
// CHECK: %[[A:.*]] = linalg.fill ins(%[[NONE]] : i64)
// CHECK: %[[M:.*]]:2 = linalg.generic {indexing_maps = [#[[WIN]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[P]], %{{.*}} : tensor<1x2x9x9xf32>, tensor<3x3xf32>) outs(%{{.*}}, %[[A]] : tensor<1x2x4x4xf32>, tensor<1x2x4x4xi64>)
// CHECK: %[[R:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%{{.*}} : tensor<3x3xf32>) outs(%{{.*}} : tensor<1x2x7x7xf32>)
// CHECK: arith.remui
// CHECK: tensor.extract %[[M]]#1
// CHECK: tensor.extract %[[G]]
// CHECK: arith.addf
// CHECK: return %[[R]]
func.func @max_pool2d_backward_overlapping(%g: tensor<1x2x4x4xf32>, %x: tensor<1x2x7x7xf32>) -> tensor<1x2x7x7xf32> {
  %0 = ember.max_pool2d_backward %g, %x {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 3, 3>, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>, tensor<1x2x7x7xf32>) -> tensor<1x2x7x7xf32>
  return %0 : tensor<1x2x7x7xf32>
}

// -----

// Tests that avg_pool2d_backward divides by the forward's divisors
// (count_include_pad false: clipped windows), zero-stuffs by the stride at
// offset k-1-padding = 1, and sums 3x3 windows with stride 1.
// CHECK-LABEL: func.func @avg_pool2d_backward
// CHECK: %[[D:.*]] = arith.constant dense<{{\[\[}}4.000000e+00, 6.000000e+00, 6.000000e+00], [6.000000e+00, 9.000000e+00, 9.000000e+00], [6.000000e+00, 9.000000e+00, 9.000000e+00], [4.000000e+00, 6.000000e+00, 6.000000e+00]]> : tensor<4x3xf32>
// CHECK: %[[Q:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[D]] : tensor<2x2x4x3xf32>, tensor<4x3xf32>)
// CHECK: arith.divf
// CHECK: %[[S:.*]] = tensor.insert_slice %[[Q]] into %{{.*}}[0, 0, 1, 1] [2, 2, 4, 3] [1, 1, 2, 2] : tensor<2x2x4x3xf32> into tensor<2x2x9x8xf32>
// CHECK: %[[R:.*]] = linalg.pooling_nchw_sum {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%[[S]], %{{.*}} : tensor<2x2x9x8xf32>, tensor<3x3xf32>) outs(%{{.*}} : tensor<2x2x7x6xf32>)
// CHECK: return %[[R]]
func.func @avg_pool2d_backward(%g: tensor<2x2x4x3xf32>) -> tensor<2x2x7x6xf32> {
  %0 = ember.avg_pool2d_backward %g {ceil_mode = false, count_include_pad = false, input_size = array<i64: 2, 2, 7, 6>, kernel_size = array<i64: 3, 3>, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : (tensor<2x2x4x3xf32>) -> tensor<2x2x7x6xf32>
  return %0 : tensor<2x2x7x6xf32>
}

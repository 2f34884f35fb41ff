// RUN: ember-opt %s --split-input-file --ember-autodiff | FileCheck %s

// Gradient rules of conv2d and the pools (ir/lib/IR/Gradients/NNRules.cpp): the
// dialect's backward ops, and max_pool2d_backward's own rule.

// Tests conv2d: conv2d_backward_input/weight with the forward attributes and
// the operand shapes; the bias gradient sums over N, H, W.
// CHECK-LABEL: func.func @conv2d
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3x8x8xf32>, %[[W:[^:]*]]: tensor<4x3x3x3xf32>, %[[B:[^:]*]]: tensor<4xf32>, %[[G:[^:]*]]: {{.*}} {ember.grad_seed = 0 : i64}
// CHECK: %[[GX:.*]] = ember.conv2d_backward_input %[[G]], %[[W]] {dilation = array<i64: 1, 1>, groups = 1 : i64, input_size = array<i64: 2, 3, 8, 8>, padding = array<i64: 1, 1>, stride = array<i64: 1, 1>}
// CHECK: %[[GW:.*]] = ember.conv2d_backward_weight %[[G]], %[[X]] {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 1, 1>, stride = array<i64: 1, 1>, weight_size = array<i64: 4, 3, 3, 3>}
// CHECK: %[[GB:.*]] = ember.sum %[[G]] {dims = array<i64: 0, 2, 3>, keepdim = false}
// CHECK: return %{{.*}}, %[[GX]], %[[GW]], %[[GB]]
func.func @conv2d(%x: tensor<2x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<2x4x8x8xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0, 1, 2]}} {
  %0 = ember.conv2d %x, %w, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 1, 1>, stride = array<i64: 1, 1>} : (tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<2x4x8x8xf32>
  return %0 : tensor<2x4x8x8xf32>
}

// -----

// Tests max_pool2d: max_pool2d_backward of the gradient and the input.
// CHECK-LABEL: func.func @max_pool2d
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x4x4xf32>, %[[G:[^:]*]]: {{.*}} {ember.grad_seed = 0 : i64}
// CHECK: %[[R:.*]] = ember.max_pool2d_backward %[[G]], %[[X]] {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>}
// CHECK: return %{{.*}}, %[[R]]
func.func @max_pool2d(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.max_pool2d %x {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, ceil_mode = false} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}

// -----

// Tests avg_pool2d: avg_pool2d_backward with the input size.
// CHECK-LABEL: func.func @avg_pool2d
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x4x4xf32>, %[[G:[^:]*]]: {{.*}} {ember.grad_seed = 0 : i64}
// CHECK: %[[R:.*]] = ember.avg_pool2d_backward %[[G]] {ceil_mode = false, count_include_pad = true, input_size = array<i64: 1, 2, 4, 4>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>}
// CHECK: return %{{.*}}, %[[R]]
func.func @avg_pool2d(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.avg_pool2d %x {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>, ceil_mode = false, count_include_pad = true} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}

// -----

// Tests an unbatched conv2d: differentiated as a batch of one.
// CHECK-LABEL: func.func @conv_unbatched
// CHECK-SAME: (%[[X:[^:]*]]: tensor<3x5x5xf32>, %[[W:[^:]*]]: tensor<2x3x3x3xf32>, %[[G:[^:]*]]: tensor<2x3x3xf32> {ember.grad_seed = 0 : i64})
// CHECK: %[[X4:.*]] = ember.reshape %[[X]] {shape = array<i64: 1, 3, 5, 5>}
// CHECK: %[[G4:.*]] = ember.reshape %[[G]] {shape = array<i64: 1, 2, 3, 3>}
// CHECK: %[[GX4:.*]] = ember.conv2d_backward_input %[[G4]], %[[W]] {{.*}}input_size = array<i64: 1, 3, 5, 5>
// CHECK: %[[GX:.*]] = ember.reshape %[[GX4]] {shape = array<i64: 3, 5, 5>}
// CHECK: %[[GW:.*]] = ember.conv2d_backward_weight %[[G4]], %[[X4]]
// CHECK: return %{{.*}}, %[[GX]], %[[GW]]
func.func @conv_unbatched(%x: tensor<3x5x5xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<2x3x3xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0, 1]}} {
  %0 = ember.conv2d %x, %w {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<3x5x5xf32>, tensor<2x3x3x3xf32>) -> tensor<2x3x3xf32>
  return %0 : tensor<2x3x3xf32>
}

// -----

// Tests max_pool2d_backward (double backward through max_pool2d): the
// gradient of grad_output gathers the incoming gradient at each window's
// argmax of the input (the windows as strided slices stacked on a new last
// dim); the input gets none.
// CHECK-LABEL: func.func @max_pool2d_backward
// CHECK-SAME: (%[[GO:[^:]*]]: tensor<1x1x2x2xf32>, %[[X:[^:]*]]: tensor<1x1x4x4xf32>, %[[G:[^:]*]]: tensor<1x1x4x4xf32> {ember.grad_seed = 0 : i64}) -> (tensor<1x1x4x4xf32>, tensor<1x1x2x2xf32> {ember.grad_of = 0 : i64})
// CHECK: %[[X0:.*]] = ember.slice %[[X]] {dim = 2 : i64, end = 3 : i64, start = 0 : i64, step = 2 : i64}
// CHECK: %[[X00:.*]] = ember.slice %[[X0]] {dim = 3 : i64, end = 3 : i64, start = 0 : i64, step = 2 : i64}
// CHECK: %[[XW:.*]] = ember.stack %[[X00]], %{{.*}}, %{{.*}}, %{{.*}} {dim = 4 : i64} : {{.*}} -> tensor<1x1x2x2x4xf32>
// CHECK: %[[I:.*]] = ember.argmax %[[XW]] {dim = 4 : i64, keepdim = true} : (tensor<1x1x2x2x4xf32>) -> tensor<1x1x2x2x1xi64>
// CHECK: %[[G0:.*]] = ember.slice %[[G]] {dim = 2 : i64, end = 3 : i64, start = 0 : i64, step = 2 : i64}
// CHECK: %[[GW:.*]] = ember.stack {{.*}} {dim = 4 : i64} : {{.*}} -> tensor<1x1x2x2x4xf32>
// CHECK: %[[P:.*]] = ember.gather %[[GW]], %[[I]] {dim = 4 : i64}
// CHECK: %[[R:.*]] = ember.squeeze %[[P]] {dim = 4 : i64} : (tensor<1x1x2x2x1xf32>) -> tensor<1x1x2x2xf32>
// CHECK: return %{{.*}}, %[[R]]
func.func @max_pool2d_backward(%g: tensor<1x1x2x2xf32>, %x: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.max_pool2d_backward %g, %x {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>, tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

// Tests max_pool2d_backward with padding and ceil_mode: the input's windows
// are padded with -inf (padding never wins the argmax), the gradient's with
// zeros.
// CHECK-LABEL: func.func @max_pool2d_backward_padded
// CHECK-SAME: (%[[GO:[^:]*]]: tensor<1x1x2x3xf32>, %[[X:[^:]*]]: tensor<1x1x4x4xf32>, %[[G:[^:]*]]: tensor<1x1x4x4xf32> {ember.grad_seed = 0 : i64})
// CHECK-DAG: %[[NL:.*]] = ember.constant dense<0xFF800000> : tensor<1x1x4x1xf32>
// CHECK-DAG: %[[NR:.*]] = ember.constant dense<0xFF800000> : tensor<1x1x4x1xf32>
// CHECK: %[[XP:.*]] = ember.cat %[[NL]], %[[X]], %[[NR]] {dim = 3 : i64} : {{.*}} -> tensor<1x1x4x6xf32>
// CHECK: %[[I:.*]] = ember.argmax %{{.*}} {dim = 4 : i64, keepdim = true} : (tensor<1x1x2x3x2xf32>) -> tensor<1x1x2x3x1xi64>
// CHECK-DAG: %[[ZL:.*]] = ember.constant dense<0.000000e+00> : tensor<1x1x4x1xf32>
// CHECK-DAG: %[[ZR:.*]] = ember.constant dense<0.000000e+00> : tensor<1x1x4x1xf32>
// CHECK: %[[GP:.*]] = ember.cat %[[ZL]], %[[G]], %[[ZR]] {dim = 3 : i64}
// CHECK: %[[P:.*]] = ember.gather %{{.*}}, %[[I]] {dim = 4 : i64}
// CHECK: %[[R:.*]] = ember.squeeze %[[P]] {dim = 4 : i64} : (tensor<1x1x2x3x1xf32>) -> tensor<1x1x2x3xf32>
// CHECK: return %{{.*}}, %[[R]]
func.func @max_pool2d_backward_padded(%g: tensor<1x1x2x3xf32>, %x: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.max_pool2d_backward %g, %x {ceil_mode = true, dilation = array<i64: 1, 1>, kernel_size = array<i64: 1, 2>, padding = array<i64: 0, 1>, stride = array<i64: 2, 2>} : (tensor<1x1x2x3xf32>, tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

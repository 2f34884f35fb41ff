// RUN: ember-opt %s --convert-ember-to-linalg --ember-fuse-elementwise --canonicalize --ember-print-cuda-program -o /dev/null | FileCheck %s

// The device program of a function (ember/Codegen/CUDA.h, CudaProgram.cpp):
// kernels as launches of its CUDA C, GEMMs, convolutions and max-pooling as
// runtime steps (cuBLAS on a GPU), transposes and reshapes as views, and
// destinations made safe: a kernel writes a fresh buffer, or a copy of a
// value that is still needed.

// A linear layer: the transpose is a view cuBLAS reads with a transposed
// op; the zero fill of the GEMM's accumulator is absorbed; bias and ReLU
// are one fused kernel.
// CHECK-LABEL: program linear(%0: f32[8,16], %1: f32[4,16], %2: f32[4]) -> (%5)
// CHECK-NEXT:    %3 = transpose %1 perm [1, 0] : f32[16,4]
// CHECK-NEXT:    %4 = matmul %0, %3 : f32[8,4]
// CHECK-NEXT:    %5 = empty : f32[8,4]
// CHECK-NEXT:    launch k0 linear_k0 (32 threads) %4, %2, %5 -> writes %5
// CHECK:       extern "C" __global__ void linear_k0(const float *__restrict__ p0, const float *__restrict__ p1, float *__restrict__ p2) {
func.func @linear(%x: tensor<8x16xf32>, %w: tensor<4x16xf32>, %b: tensor<4xf32>) -> tensor<8x4xf32> {
  %wt = ember.transpose %w {dim0 = 0 : i64, dim1 = 1 : i64} : (tensor<4x16xf32>) -> tensor<16x4xf32>
  %0 = ember.matmul %x, %wt : (tensor<8x16xf32>, tensor<16x4xf32>) -> tensor<8x4xf32>
  %1 = ember.add %0, %b : (tensor<8x4xf32>, tensor<4xf32>) -> tensor<8x4xf32>
  %2 = ember.relu %1 : (tensor<8x4xf32>) -> tensor<8x4xf32>
  return %2 : tensor<8x4xf32>
}

// Padding is a fill kernel and the input inserted into it; the convolution
// and the pool run on the padded input (their identity fills absorbed).
// CHECK-LABEL: program convpool(%0: f32[2,3,8,8], %1: f32[4,3,3,3], %2: f32[4]) -> (%7)
// CHECK-NEXT:    %3 = empty : f32[2,3,10,10]
// CHECK-NEXT:    launch k0 convpool_k0 (600 threads) %3 -> writes %3
// CHECK-NEXT:    %4 = insert_slice %3, %0 offsets [0, 0, 1, 1] strides [1, 1, 1, 1] : f32[2,3,10,10]
// CHECK-NEXT:    %5 = conv2d %4, %1 [1, 1, 1, 1] : f32[2,4,8,8]
// CHECK-NEXT:    %6 = empty : f32[2,4,8,8]
// CHECK-NEXT:    launch k1 convpool_k1 (512 threads) %5, %2, %6 -> writes %6
// CHECK-NEXT:    %7 = max_pool2d %6 [2, 2, 2, 2, 1, 1] : f32[2,4,4,4]
// CHECK:       extern "C" __global__ void convpool_k0(float *__restrict__ p1) {
// CHECK:         p1[{{.*}}] = (0x0p0f);
func.func @convpool(%x: tensor<2x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<2x4x4x4xf32> {
  %0 = ember.conv2d %x, %w, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 1, 1>, stride = array<i64: 1, 1>} : (tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<2x4x8x8xf32>
  %1 = ember.max_pool2d %0 {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<2x4x8x8xf32>) -> tensor<2x4x4x4xf32>
  return %1 : tensor<2x4x4x4xf32>
}

// scatter_add's loop updates a copy of %x in place (%x is an argument);
// results are distinct buffers: the argument returned and a view of
// another result are copied.
// CHECK-LABEL: program scatter(%0: f32[4,3], %1: i64[4,1], %2: f32[4,1]) -> (%3, %5, %6)
// CHECK-NEXT:    %3 = clone %0 : f32[4,3]
// CHECK-NEXT:    launch k0 scatter_k0 (1 threads) %3, %1, %2 -> writes %3
// CHECK-NEXT:    %4 = reshape %3 : f32[12]
// CHECK-NEXT:    %5 = clone %0 : f32[4,3]
// CHECK-NEXT:    %6 = clone %4 : f32[12]
func.func @scatter(%x: tensor<4x3xf32>, %i: tensor<4x1xi64>, %s: tensor<4x1xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<12xf32>) {
  %0 = ember.scatter_add %x, %i, %s {dim = 1 : i64} : (tensor<4x3xf32>, tensor<4x1xi64>, tensor<4x1xf32>) -> tensor<4x3xf32>
  %1 = ember.reshape %0 {shape = array<i64: 12>} : (tensor<4x3xf32>) -> tensor<12xf32>
  return %0, %x, %1 : tensor<4x3xf32>, tensor<4x3xf32>, tensor<12xf32>
}

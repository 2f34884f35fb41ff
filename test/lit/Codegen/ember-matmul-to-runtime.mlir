// RUN: ember-opt %s --split-input-file --ember-matmul-to-runtime | FileCheck %s

// ember-matmul-to-runtime: linalg.matmul / batch_matmul on f32/f64 memrefs
// become calls to the runtime's GEMM on fully dynamic strided memrefs; a
// zero fill of C right before becomes accumulate = 0.

// Tests that a matmul after a linalg.fill 0 calls ember_rt_matmul_f32 with
// accumulate 0 and the fill is gone.
// CHECK: func.func private @ember_rt_matmul_f32(memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, i64)
// CHECK-LABEL: func.func @mm_fill
// CHECK-SAME: (%[[A:.*]]: memref<4x8xf32>, %[[B:.*]]: memref<8x2xf32>, %[[C:.*]]: memref<4x2xf32>)
// CHECK-NOT: linalg.fill
// CHECK-DAG: %[[CA:.*]] = memref.cast %[[A]] : memref<4x8xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK-DAG: %[[CB:.*]] = memref.cast %[[B]]
// CHECK-DAG: %[[CC:.*]] = memref.cast %[[C]]
// CHECK-DAG: %[[Z:.*]] = arith.constant 0 : i64
// CHECK: call @ember_rt_matmul_f32(%[[CA]], %[[CB]], %[[CC]], %[[Z]])
// CHECK-NOT: linalg.matmul
func.func @mm_fill(%a: memref<4x8xf32>, %b: memref<8x2xf32>, %c: memref<4x2xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<4x2xf32>)
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x2xf32>) outs(%c : memref<4x2xf32>)
  return
}

// -----

// Tests that without a zero fill the call accumulates (C += A*B), and f64
// batch_matmul calls the f64 batched function.
// CHECK-LABEL: func.func @bmm_accumulate
// CHECK: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK: call @ember_rt_batch_matmul_f64(%{{.*}}, %{{.*}}, %{{.*}}, %[[ONE]]) : (memref<?x?x?xf64, strided<[?, ?, ?], offset: ?>>
func.func @bmm_accumulate(%a: memref<2x4x8xf64>, %b: memref<2x8x2xf64>, %c: memref<2x4x2xf64>) {
  linalg.batch_matmul ins(%a, %b : memref<2x4x8xf64>, memref<2x8x2xf64>) outs(%c : memref<2x4x2xf64>)
  return
}

// -----

// Tests that a zero-writing linalg.generic (the lowering's fill, once
// bufferized) is folded too.
// CHECK-LABEL: func.func @mm_generic_zero
// CHECK-NOT: linalg.generic
// CHECK: %[[Z:.*]] = arith.constant 0 : i64
// CHECK: call @ember_rt_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[Z]])
func.func @mm_generic_zero(%a: memref<4x8xf32>, %b: memref<8x2xf32>, %c: memref<4x2xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%c : memref<4x2xf32>) {
  ^bb0(%o: f32):
    linalg.yield %zero : f32
  }
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x2xf32>) outs(%c : memref<4x2xf32>)
  return
}

// -----

// Tests that integer and tensor matmuls are left alone.
// CHECK-LABEL: func.func @kept
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : memref<4x8xi32>, memref<8x2xi32>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8x2xf32>)
// CHECK-NOT: call
func.func @kept(%a: memref<4x8xi32>, %b: memref<8x2xi32>, %c: memref<4x2xi32>, %x: tensor<4x8xf32>, %y: tensor<8x2xf32>, %z: tensor<4x2xf32>) -> tensor<4x2xf32> {
  linalg.matmul ins(%a, %b : memref<4x8xi32>, memref<8x2xi32>) outs(%c : memref<4x2xi32>)
  %r = linalg.matmul ins(%x, %y : tensor<4x8xf32>, tensor<8x2xf32>) outs(%z : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// -----

// Tests that a B written only by a linalg.transpose (linear's weight.t())
// becomes a memref.transpose view of the weight: no copy, and the
// allocation and its dealloc are gone.
// CHECK-LABEL: func.func @linear
// CHECK-SAME: (%[[X:.*]]: memref<4x8xf32>, %[[W:.*]]: memref<2x8xf32>, %[[C:.*]]: memref<4x2xf32>)
// CHECK-NOT: memref.alloc
// CHECK-NOT: linalg.transpose
// CHECK: %[[T:.*]] = memref.transpose %[[W]] (d0, d1) -> (d1, d0) : memref<2x8xf32> to memref<8x2xf32, strided<[1, 8]>>
// CHECK: %[[CT:.*]] = memref.cast %[[T]] : memref<8x2xf32, strided<[1, 8]>> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK: call @ember_rt_matmul_f32(%{{.*}}, %[[CT]], %{{.*}}, %{{.*}})
// CHECK-NOT: memref.dealloc
func.func @linear(%x: memref<4x8xf32>, %w: memref<2x8xf32>, %c: memref<4x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %wt = memref.alloc() : memref<8x2xf32>
  linalg.transpose ins(%w : memref<2x8xf32>) outs(%wt : memref<8x2xf32>) permutation = [1, 0]
  linalg.fill ins(%zero : f32) outs(%c : memref<4x2xf32>)
  linalg.matmul ins(%x, %wt : memref<4x8xf32>, memref<8x2xf32>) outs(%c : memref<4x2xf32>)
  memref.dealloc %wt : memref<8x2xf32>
  return
}

// -----

// Tests that conv_2d_nchw_fchw calls the runtime's im2col GEMM with its
// strides and dilations, after its zero fill is folded.
// CHECK-LABEL: func.func @conv
// CHECK-NOT: linalg.fill
// CHECK: call @ember_rt_conv2d_nchw_f32(%{{.*}}, %{{.*}}, %{{.*}}, %c2_i64{{[_0-9]*}}, %c2_i64{{[_0-9]*}}, %c1_i64{{[_0-9]*}}, %c1_i64{{[_0-9]*}}, %c0_i64) : (memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK-NOT: linalg.conv_2d_nchw_fchw
func.func @conv(%x: memref<1x3x9x9xf32>, %w: memref<4x3x3x3xf32>, %o: memref<1x4x4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%o : memref<1x4x4x4xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%x, %w : memref<1x3x9x9xf32>, memref<4x3x3x3xf32>) outs(%o : memref<1x4x4x4xf32>)
  return
}

// -----

// Tests that conv operands written only by a linalg.transpose of their two
// leading dims (conv2d_backward_weight's input as [C, N, H, W] and grad_out
// as [F, N, OH, OW]) become memref.transpose views: no copies, and the
// allocations and their deallocs are gone.
// CHECK-LABEL: func.func @conv_weight_grad
// CHECK-SAME: (%[[X:.*]]: memref<2x3x6x6xf32>, %[[G:.*]]: memref<2x4x4x4xf32>, %[[O:.*]]: memref<3x4x3x3xf32>)
// CHECK-NOT: memref.alloc
// CHECK-NOT: linalg.transpose
// CHECK-DAG: %[[TX:.*]] = memref.transpose %[[X]] (d0, d1, d2, d3) -> (d1, d0, d2, d3) : memref<2x3x6x6xf32> to memref<3x2x6x6xf32, strided<[36, 108, 6, 1]>>
// CHECK-DAG: %[[TG:.*]] = memref.transpose %[[G]] (d0, d1, d2, d3) -> (d1, d0, d2, d3) : memref<2x4x4x4xf32> to memref<4x2x4x4xf32, strided<[16, 64, 4, 1]>>
// CHECK-DAG: %[[CX:.*]] = memref.cast %[[TX]]
// CHECK-DAG: %[[CG:.*]] = memref.cast %[[TG]]
// CHECK: call @ember_rt_conv2d_nchw_f32(%[[CX]], %[[CG]], %{{.*}}, %c1_i64{{[_0-9]*}}, %c1_i64{{[_0-9]*}}, %c1_i64{{[_0-9]*}}, %c1_i64{{[_0-9]*}}, %c0_i64)
// CHECK-NOT: memref.dealloc
func.func @conv_weight_grad(%x: memref<2x3x6x6xf32>, %g: memref<2x4x4x4xf32>, %o: memref<3x4x3x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %xt = memref.alloc() : memref<3x2x6x6xf32>
  linalg.transpose ins(%x : memref<2x3x6x6xf32>) outs(%xt : memref<3x2x6x6xf32>) permutation = [1, 0, 2, 3]
  %gt = memref.alloc() : memref<4x2x4x4xf32>
  linalg.transpose ins(%g : memref<2x4x4x4xf32>) outs(%gt : memref<4x2x4x4xf32>) permutation = [1, 0, 2, 3]
  linalg.fill ins(%zero : f32) outs(%o : memref<3x4x3x3xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%xt, %gt : memref<3x2x6x6xf32>, memref<4x2x4x4xf32>) outs(%o : memref<3x4x3x3xf32>)
  memref.dealloc %xt : memref<3x2x6x6xf32>
  memref.dealloc %gt : memref<4x2x4x4xf32>
  return
}

// -----

// Tests that a transpose whose source is written between it and the conv
// stays a copy (the view would read the new values).
// CHECK-LABEL: func.func @conv_source_written
// CHECK: linalg.transpose
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[X:.*]] : memref<2x3x6x6xf32>)
// CHECK: call @ember_rt_conv2d_nchw_f32
func.func @conv_source_written(%x: memref<2x3x6x6xf32>, %w: memref<4x2x4x4xf32>, %o: memref<3x4x3x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %xt = memref.alloc() : memref<3x2x6x6xf32>
  linalg.transpose ins(%x : memref<2x3x6x6xf32>) outs(%xt : memref<3x2x6x6xf32>) permutation = [1, 0, 2, 3]
  linalg.fill ins(%one : f32) outs(%x : memref<2x3x6x6xf32>)
  linalg.fill ins(%zero : f32) outs(%o : memref<3x4x3x3xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%xt, %w : memref<3x2x6x6xf32>, memref<4x2x4x4xf32>) outs(%o : memref<3x4x3x3xf32>)
  memref.dealloc %xt : memref<3x2x6x6xf32>
  return
}

// -----

// Tests that linalg.pooling_nchw_max calls the runtime's plane loop with the
// window's shape, strides and dilations, and leaves the -inf fill of its
// output alone (the call folds into out's values, as the op).
// CHECK-LABEL: func.func @max_pool
// CHECK: linalg.fill
// CHECK: call @ember_rt_max_pool2d_nchw_f32(%{{.*}}, %{{.*}}, %c3_i64{{[_0-9]*}}, %c2_i64{{[_0-9]*}}, %c2_i64{{[_0-9]*}}, %c1_i64{{[_0-9]*}}, %c1_i64{{[_0-9]*}}, %c2_i64{{[_0-9]*}}) : (memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, i64, i64, i64, i64, i64, i64) -> ()
// CHECK-NOT: linalg.pooling_nchw_max
func.func @max_pool(%x: memref<1x3x9x9xf32>, %o: memref<1x3x4x3xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %win = memref.alloc() : memref<3x2xf32>
  linalg.fill ins(%ninf : f32) outs(%o : memref<1x3x4x3xf32>)
  linalg.pooling_nchw_max {dilations = dense<[1, 2]> : vector<2xi64>, strides = dense<[2, 1]> : vector<2xi64>} ins(%x, %win : memref<1x3x9x9xf32>, memref<3x2xf32>) outs(%o : memref<1x3x4x3xf32>)
  memref.dealloc %win : memref<3x2xf32>
  return
}

// -----

// Tests that the generic MaxPoolBackward.cpp marks with library_call
// "ember_rt_max_pool2d_backward" calls it with grad_out, the input, the
// result and ember.kernel; an unmarked generic stays.
// CHECK-LABEL: func.func @max_pool_backward
// CHECK-SAME: (%[[G:.*]]: memref<1x2x2x3xf64>, %[[X:.*]]: memref<1x2x4x6xf64>, %[[O:.*]]: memref<1x2x4x6xf64>)
// CHECK-DAG: %[[CG:.*]] = memref.cast %[[G]]
// CHECK-DAG: %[[CX:.*]] = memref.cast %[[X]]
// CHECK-DAG: %[[CO:.*]] = memref.cast %[[O]]
// CHECK: call @ember_rt_max_pool2d_backward_f64(%[[CG]], %[[CX]], %[[CO]], %c2_i64{{[_0-9]*}}, %c2_i64{{[_0-9]*}})
// CHECK-NOT: library_call
// CHECK: linalg.generic
#win = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 floordiv 2, d3 floordiv 2)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @max_pool_backward(%g: memref<1x2x2x3xf64>, %x: memref<1x2x4x6xf64>, %o: memref<1x2x4x6xf64>) {
  linalg.generic {indexing_maps = [#win, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"], library_call = "ember_rt_max_pool2d_backward"} ins(%g, %x : memref<1x2x2x3xf64>, memref<1x2x4x6xf64>) outs(%o : memref<1x2x4x6xf64>) attrs = {ember.kernel = array<i64: 2, 2>} {
  ^bb0(%a: f64, %b: f64, %c: f64):
    linalg.yield %a : f64
  }
  linalg.generic {indexing_maps = [#win, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%g, %x : memref<1x2x2x3xf64>, memref<1x2x4x6xf64>) outs(%o : memref<1x2x4x6xf64>) {
  ^bb0(%a: f64, %b: f64, %c: f64):
    linalg.yield %b : f64
  }
  return
}

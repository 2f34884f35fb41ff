// RUN: ember-opt %s --convert-ember-to-linalg --linalg-fuse-elementwise-ops --ember-print-cuda -o /dev/null | FileCheck %s

// The CUDA C emitter (codegen/lib/CUDA/EmitCUDA.cpp): one kernel per fused
// linalg.generic / linalg.fill, one thread per point of the parallel
// space, loops over reduction dims, broadcasts through the indexing maps,
// exact literals, and gather's data-dependent reads as extra pointers.

// CHECK: // @chain: 1 kernel(s)
// CHECK: template <typename T> __device__ inline T ember_maximumf(T a, T b) {
// The fused kernel carries the location of the last op fused in.
// CHECK: // linalg.generic at loc({{.*}}emit-cuda.mlir":[[#@LINE+7]]:8)
// CHECK-NEXT: extern "C" __global__ void chain_k0(const float *__restrict__ p0, const float *__restrict__ p1, float *__restrict__ p2) {
// CHECK-NEXT:   const long long tid = (long long)blockIdx.x * blockDim.x + threadIdx.x;
// CHECK-NEXT:   if (tid >= 32LL) return;
func.func @chain(%a: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = ember.add %a, %b : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %1 = ember.tanh %0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %2 = ember.maximum %1, %a : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %2 : tensor<4x8xf32>
}
// CHECK:        const long long d1 = t % 8LL; t /= 8LL;
// CHECK-NEXT:   const long long d0 = t;
// CHECK-NEXT:   const float a0 = p0[d0 * 8LL + d1];
// CHECK-NEXT:   const float a1 = p1[d1];
// CHECK-NEXT:   const float v0 = (a0 + a1);
// CHECK-NEXT:   const float v1 = tanhf(v0);
// CHECK-NEXT:   const bool v2 = (v1 > a0);
// CHECK-NEXT:   const float v3 = (v2 ? v1 : a0);
// CHECK-NEXT:   const bool v4 = (v1 != v1 || a0 != a0);
// CHECK-NEXT:   const float v5 = (v4 ? __int_as_float(0x7FC00000) : v3);
// CHECK-NEXT:   p2[d0 * 8LL + d1] = v5;
// CHECK-NEXT: }
// CHECK: // launch chain_k0: 32 threads, 2 input(s), 1 output(s)

// A row sum: a fill kernel (exact zero), then one thread per row looping
// over the columns into an f64 accumulator, then the rounding to f32.
// CHECK-LABEL: // @rowsum: 3 kernel(s)
// The fill value is a literal, not a parameter: every parameter is a
// pointer (a Launch of ember::program passes slots only).
// CHECK: extern "C" __global__ void rowsum_k0(double *__restrict__ p1) {
// CHECK:   p1[d0] = (0x0p0);
// CHECK: extern "C" __global__ void rowsum_k1(const float *__restrict__ p0, double *__restrict__ p1) {
// CHECK:   double acc0 = p1[d0];
// CHECK-NEXT:   for (long long d1 = 0; d1 < 8LL; ++d1) {
// CHECK-NEXT:     const float a0 = p0[d0 * 8LL + d1];
// CHECK-NEXT:     const double v0 = ((double)a0);
// CHECK-NEXT:     const double v1 = (acc0 + v0);
// CHECK-NEXT:     acc0 = v1;
// CHECK-NEXT:   }
// CHECK-NEXT:   p1[d0] = acc0;
// CHECK: extern "C" __global__ void rowsum_k2(const double *__restrict__ p0, float *__restrict__ p1) {
// CHECK:   const float v0 = ((float)a0);
func.func @rowsum(%a: tensor<4x8xf32>) -> tensor<4xf32> {
  %0 = ember.sum %a {dims = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// amax starts from -inf, written as its bit pattern.
// CHECK-LABEL: // @colmax:
// CHECK: = __int_as_float(0xFF800000);
func.func @colmax(%a: tensor<4x8xf32>) -> tensor<8xf32> {
  %0 = ember.amax %a {dims = array<i64: 0>} : (tensor<4x8xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// gather reads its source at computed indices: an extra parameter c0.
// CHECK-LABEL: // @pick:
// CHECK: extern "C" __global__ void pick_k0(const long long *__restrict__ p0, float *__restrict__ p1, const float *__restrict__ c0) {
// CHECK: = c0[
func.func @pick(%x: tensor<4x10xf32>, %i: tensor<4x1xi64>) -> tensor<4x1xf32> {
  %0 = ember.gather %x, %i {dim = 1 : i64} : (tensor<4x10xf32>, tensor<4x1xi64>) -> tensor<4x1xf32>
  return %0 : tensor<4x1xf32>
}

// Integer arithmetic wraps through the unsigned type; comparisons.
// CHECK-LABEL: // @ints:
// CHECK: ((int)((unsigned int)a0 + (unsigned int)a1))
func.func @ints(%a: tensor<6xi32>, %b: tensor<6xi32>) -> tensor<6xi32> {
  %0 = ember.add %a, %b : (tensor<6xi32>, tensor<6xi32>) -> tensor<6xi32>
  return %0 : tensor<6xi32>
}

// scatter_add's loop nest is one kernel of one thread that updates the
// carried tensor in place (o0, which the caller initializes with %x) and
// reads the index and source through pointers.
// CHECK-LABEL: // @scatter:
// CHECK: extern "C" __global__ void scatter_k0(float *__restrict__ o0, const long long *__restrict__ c0, const float *__restrict__ c1) {
// CHECK-NEXT:   if (blockIdx.x * blockDim.x + threadIdx.x != 0) return;
// CHECK-NEXT:   for (long long i0 = 0LL; i0 < 4LL; i0 += 1LL) {
// CHECK-NEXT:     for (long long i1 = 0LL; i1 < 2LL; i1 += 1LL) {
// CHECK:            = c0[(i0) * 2LL + i1];
// CHECK:            = c1[(i0) * 2LL + i1];
// CHECK:            = o0[(i0) * 3LL + [[C:v[0-9]+]]];
// CHECK:            o0[(i0) * 3LL + [[C]]] = [[S:v[0-9]+]];
// CHECK-NEXT:     }
// CHECK-NEXT:   }
// CHECK-NEXT: }
// CHECK: // launch scatter_k0: 1 threads, 0 input(s), 1 output(s)
func.func @scatter(%x: tensor<4x3xf32>, %i: tensor<4x2xi64>, %s: tensor<4x2xf32>) -> tensor<4x3xf32> {
  %0 = ember.scatter_add %x, %i, %s {dim = 1 : i64} : (tensor<4x3xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// Philox (bernoulli's counter-based generator): the high halves of its
// 32x32 products through ember_mulhi.
// CHECK-LABEL: // @coin:
// CHECK: const int [[LO:v[0-9]+]] = (int)((unsigned){{.*}} * (unsigned){{.*}});
// CHECK-NEXT: const int {{v[0-9]+}} = (int)ember_mulhi((unsigned){{.*}}, (unsigned){{.*}});
func.func @coin(%p: tensor<6xf32>, %base: tensor<f64>, %lo: tensor<f64>, %hi: tensor<f64>) -> tensor<6xf32> {
  %0 = ember.bernoulli %p, %base, %lo, %hi {offset = 0 : i64, seed = 1 : i64} : (tensor<6xf32>, tensor<f64>, tensor<f64>, tensor<f64>) -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

// RUN: ember-opt %s --split-input-file --ember-autodiff | FileCheck %s

// Gradient rules of the reductions and softmax (ir/lib/IR/Gradients/
// ReduceRules.cpp): the reduced dims of the result gradient are put back as
// size 1, then the rule's formula; %[[G]] is the incoming gradient.

// Tests a reduction over a dim: the gradient reshaped to keep the dim, then
// expanded to the input shape.
// CHECK-LABEL: func.func @sum_dim
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3xf32>, %[[G:[^:]*]]: {{.*}} {ember.grad_seed = 0 : i64}
// CHECK: %[[R:.*]] = ember.reshape %[[G]] {shape = array<i64: 2, 1>}
// CHECK: %[[E:.*]] = ember.expand %[[R]] {shape = array<i64: 2, 3>}
// CHECK: return %{{.*}}, %[[E]]
func.func @sum_dim(%x: tensor<2x3xf32>) -> tensor<2xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.sum %x {dims = array<i64: 1>, keepdim = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Tests mean over all dims: the seed divided by the count.
// CHECK-LABEL: func.func @mean_all
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3xf32>)
// CHECK: %[[ONE:.*]] = ember.constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[R:.*]] = ember.reshape %[[ONE]] {shape = array<i64: 1, 1>}
// CHECK: %[[N:.*]] = ember.constant dense<6.000000e+00> : tensor<f32>
// CHECK: %[[D:.*]] = ember.div %[[R]], %[[N]]
// CHECK: %[[E:.*]] = ember.expand %[[D]] {shape = array<i64: 2, 3>}
// CHECK: return %{{.*}}, %[[E]]
func.func @mean_all(%x: tensor<2x3xf32>) -> tensor<f32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.mean %x : (tensor<2x3xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Tests amax: the gradient split evenly between the elements equal to the
// maximum.
// CHECK-LABEL: func.func @amax
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3xf32>, %[[G:[^:]*]]: {{.*}} {ember.grad_seed = 0 : i64}
// CHECK: %[[Y:.*]] = ember.amax %[[X]]
// CHECK: %[[GR:.*]] = ember.reshape %[[G]]
// CHECK: %[[YR:.*]] = ember.reshape %[[Y]]
// CHECK: %[[HIT:.*]] = ember.eq %[[X]], %[[YR]]
// CHECK: %[[F:.*]] = ember.to_dtype %[[HIT]] {dtype = f32}
// CHECK: %[[CNT:.*]] = ember.sum %[[F]] {dims = array<i64: 1>, keepdim = true}
// CHECK: %[[SHARE:.*]] = ember.div %[[GR]], %[[CNT]]
// CHECK: %[[R:.*]] = ember.where %[[HIT]], %[[SHARE]], %{{.*}}
// CHECK: return %{{.*}}, %[[R]]
func.func @amax(%x: tensor<2x3xf32>) -> tensor<2xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.amax %x {dims = array<i64: 1>, keepdim = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Tests max_dim: the gradient to the position the index names (compared with
// a literal of the positions along the dim); the indices get none.
// CHECK-LABEL: func.func @max_dim
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3xf32>, %[[G:[^:]*]]: {{.*}} {ember.grad_seed = 0 : i64}
// CHECK: %{{.*}}, %[[I:.*]] = ember.max_dim %[[X]]
// CHECK: %[[GR:.*]] = ember.reshape %[[G]] {shape = array<i64: 2, 1>}
// CHECK: %[[POS:.*]] = ember.constant dense<{{\[\[}}0, 1, 2]]> : tensor<1x3xi64>
// CHECK: %[[IR:.*]] = ember.reshape %[[I]] {shape = array<i64: 2, 1>}
// CHECK: %[[HIT:.*]] = ember.eq %[[POS]], %[[IR]]
// CHECK: %[[GE:.*]] = ember.expand %[[GR]] {shape = array<i64: 2, 3>}
// CHECK: %[[R:.*]] = ember.where %[[HIT]], %[[GE]], %{{.*}}
// CHECK: return %{{.*}}, %[[R]]
func.func @max_dim(%x: tensor<2x3xf32>) -> tensor<2xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %v, %i = ember.max_dim %x {dim = 1 : i64, keepdim = false} : (tensor<2x3xf32>) -> (tensor<2xf32>, tensor<2xi64>)
  return %v : tensor<2xf32>
}

// -----

// Tests softmax: y (g - sum(g y)) along the (wrapped) dim.
// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3xf32>, %[[G:[^:]*]]: {{.*}} {ember.grad_seed = 0 : i64}
// CHECK: %[[Y:.*]] = ember.softmax %[[X]]
// CHECK: %[[GY:.*]] = ember.mul %[[G]], %[[Y]]
// CHECK: %[[S:.*]] = ember.sum %[[GY]] {dims = array<i64: 1>, keepdim = true}
// CHECK: %[[YS:.*]] = ember.mul %[[Y]], %[[S]]
// CHECK: %[[R:.*]] = ember.sub %[[GY]], %[[YS]]
// CHECK: return %[[Y]], %[[R]]
func.func @softmax(%x: tensor<2x3xf32>) -> tensor<2x3xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.softmax %x {dim = -1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Tests log_softmax: g - exp(y) sum(g).
// CHECK-LABEL: func.func @log_softmax
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3xf32>, %[[G:[^:]*]]: {{.*}} {ember.grad_seed = 0 : i64}
// CHECK: %[[Y:.*]] = ember.log_softmax %[[X]]
// CHECK: %[[S:.*]] = ember.sum %[[G]] {dims = array<i64: 1>, keepdim = true}
// CHECK: %[[P:.*]] = ember.exp %[[Y]]
// CHECK: %[[PS:.*]] = ember.mul %[[P]], %[[S]]
// CHECK: %[[R:.*]] = ember.sub %[[G]], %[[PS]]
// CHECK: return %[[Y]], %[[R]]
func.func @log_softmax(%x: tensor<2x3xf32>) -> tensor<2x3xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.log_softmax %x {dim = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Tests logsumexp: g exp(x - out).
// CHECK-LABEL: func.func @logsumexp
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3xf32>, %[[G:[^:]*]]: {{.*}} {ember.grad_seed = 0 : i64}
// CHECK: %[[Y:.*]] = ember.logsumexp %[[X]]
// CHECK: %[[GR:.*]] = ember.reshape %[[G]]
// CHECK: %[[YR:.*]] = ember.reshape %[[Y]]
// CHECK: %[[D:.*]] = ember.sub %[[X]], %[[YR]]
// CHECK: %[[E:.*]] = ember.exp %[[D]]
// CHECK: %[[R:.*]] = ember.mul %[[GR]], %[[E]]
// CHECK: return %[[Y]], %[[R]]
func.func @logsumexp(%x: tensor<2x3xf32>) -> tensor<2xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.logsumexp %x {dims = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Tests var: 2 (x - mean) / (N - correction), the mean kept.
// CHECK-LABEL: func.func @var
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3xf32>, %[[G:[^:]*]]: tensor<2xf32> {ember.grad_seed = 0 : i64})
// CHECK: %[[GR:.*]] = ember.reshape %[[G]] {shape = array<i64: 2, 1>}
// CHECK: %[[M:.*]] = ember.mean %[[X]] {dims = array<i64: 1>, keepdim = true}
// CHECK: %[[C:.*]] = ember.sub %[[X]], %[[M]]
// CHECK: %[[GC:.*]] = ember.mul %[[GR]], %[[C]]
// CHECK: %[[K:.*]] = ember.constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[R:.*]] = ember.mul %[[GC]], %[[K]]
// CHECK: return %{{.*}}, %[[R]]
func.func @var(%x: tensor<2x3xf32>) -> tensor<2xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.var %x {dims = array<i64: 1>, correction = 1 : i64} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Tests the 2-norm: g x / n, 0 where n is 0.
// CHECK-LABEL: func.func @norm
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3xf32>)
// CHECK: %[[N:.*]] = ember.norm %[[X]]
// CHECK: %[[NR:.*]] = ember.reshape %[[N]] {shape = array<i64: 1, 1>}
// CHECK: %[[NZ:.*]] = ember.eq %[[NR]], %{{.*}}
// CHECK: %[[Q:.*]] = ember.div %[[X]], %[[NR]]
// CHECK: %[[S:.*]] = ember.where %[[NZ]], %{{.*}}, %[[Q]]
// CHECK: %[[R:.*]] = ember.mul %{{.*}}, %[[S]]
// CHECK: return %[[N]], %[[R]]
func.func @norm(%x: tensor<2x3xf32>) -> tensor<f32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.norm %x {p = 2.0 : f64} : (tensor<2x3xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Tests prod: the product of the other elements without dividing by a zero
// (zeros replaced by 1, counted per slice).
// CHECK-LABEL: func.func @prod
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3xf32>, %[[G:[^:]*]]: tensor<2xf32> {ember.grad_seed = 0 : i64})
// CHECK: %[[ZERO:.*]] = ember.eq %[[X]], %{{.*}}
// CHECK: %[[SAFE:.*]] = ember.where %[[ZERO]], %{{.*}}, %[[X]]
// CHECK: %[[OTHERS:.*]] = ember.prod %[[SAFE]] {dims = array<i64: 1>, keepdim = true}
// CHECK: %[[CNT:.*]] = ember.sum %{{.*}} {dims = array<i64: 1>, keepdim = true}
// CHECK: %[[Q:.*]] = ember.div %[[OTHERS]], %[[SAFE]]
// CHECK: %[[D:.*]] = ember.where %[[ZERO]], %{{.*}}, %{{.*}}
// CHECK: %[[R:.*]] = ember.mul %{{.*}}, %[[D]]
// CHECK: return %{{.*}}, %[[R]]
func.func @prod(%x: tensor<2x3xf32>) -> tensor<2xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.prod %x {dims = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

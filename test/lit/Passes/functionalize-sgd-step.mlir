// RUN: ember-opt %s --ember-functionalize | FileCheck %s
// RUN: ember-opt %s --ember-functionalize --canonicalize --cse | FileCheck %s --check-prefix=CANON

// End to end: what a traced training step of a linear layer with SGD and
// momentum records (written by hand: ember-trace-example records no in-place
// ops). optimizer.zero_grad() zeroes the gradient buffers, the backward
// accumulates into them (add_), and optimizer.step() updates the momentum
// buffer (mul_, add_) and the parameters (add_ with alpha = -lr), the bias
// through a view (weight and bias share one flat parameter buffer %flat).
// After the pass the function is pure: it returns the loss and the new
// values of every mutated argument, marked for the runtime to write back.

// Tests that every written argument is returned, in argument order, with
// its index in `ember.updates`.
// CHECK-LABEL: func.func @sgd_step
// CHECK-SAME: (%[[FLAT:.*]]: tensor<12xf32> {ember.kind = "parameter"}, %[[GRAD:.*]]: tensor<12xf32> {ember.kind = "grad"}, %[[MOM:.*]]: tensor<12xf32> {ember.kind = "state"}, %[[X:.*]]: tensor<2x3xf32> {ember.kind = "input"})
// CHECK-SAME: -> (tensor<f32>, tensor<12xf32> {ember.updates = 0 : i64}, tensor<12xf32> {ember.updates = 1 : i64}, tensor<12xf32> {ember.updates = 2 : i64})

// Tests that no in-place op remains, also after canonicalize and cse.
// CANON-LABEL: func.func @sgd_step
// CANON-NOT: ember.{{[a-z_]+}}_ %
// CANON: return
func.func @sgd_step(%flat: tensor<12xf32> {ember.kind = "parameter"},
                    %grad: tensor<12xf32> {ember.kind = "grad"},
                    %momentum: tensor<12xf32> {ember.kind = "state"},
                    %x: tensor<2x3xf32> {ember.kind = "input"}) -> tensor<f32> {
  // The parameters are views of the flat buffer: weight [3, 3], bias [3].
  %w_flat = ember.narrow %flat {dim = 0 : i64, start = 0 : i64, length = 9 : i64} : (tensor<12xf32>) -> tensor<9xf32>
  %w = ember.view %w_flat {shape = array<i64: 3, 3>} : (tensor<9xf32>) -> tensor<3x3xf32>
  %b = ember.narrow %flat {dim = 0 : i64, start = 9 : i64, length = 3 : i64} : (tensor<12xf32>) -> tensor<3xf32>
  %gw_flat = ember.narrow %grad {dim = 0 : i64, start = 0 : i64, length = 9 : i64} : (tensor<12xf32>) -> tensor<9xf32>
  %gw = ember.view %gw_flat {shape = array<i64: 3, 3>} : (tensor<9xf32>) -> tensor<3x3xf32>
  %gb = ember.narrow %grad {dim = 0 : i64, start = 9 : i64, length = 3 : i64} : (tensor<12xf32>) -> tensor<3xf32>

  // zero_grad
  %z = ember.zero_ %grad : (tensor<12xf32>) -> tensor<12xf32>

  // forward: loss = sum(x @ w^T + b)
  %wt = ember.transpose %w {dim0 = 0 : i64, dim1 = 1 : i64} : (tensor<3x3xf32>) -> tensor<3x3xf32>
  %mm = ember.matmul %x, %wt : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x3xf32>
  %y = ember.add %mm, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %loss = ember.sum %y : (tensor<2x3xf32>) -> tensor<f32>

  // backward: dL/dy = 1; dL/dw = 1^T x (each row: column sums of x); dL/db = 2
  %ones = ember.constant dense<1.0> : tensor<2x3xf32>
  %onest = ember.transpose %ones {dim0 = 0 : i64, dim1 = 1 : i64} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %dw = ember.matmul %onest, %x : (tensor<3x2xf32>, tensor<2x3xf32>) -> tensor<3x3xf32>
  %0 = ember.add_ %gw, %dw : (tensor<3x3xf32>, tensor<3x3xf32>) -> tensor<3x3xf32>
  %two = ember.constant dense<2.0> : tensor<3xf32>
  %1 = ember.add_ %gb, %two : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>

  // step: buf = 0.9 * buf + grad; p -= 0.1 * buf
  %mu = ember.constant dense<0.9> : tensor<f32>
  %2 = ember.mul_ %momentum, %mu : (tensor<12xf32>, tensor<f32>) -> tensor<12xf32>
  %3 = ember.add_ %momentum, %grad : (tensor<12xf32>, tensor<12xf32>) -> tensor<12xf32>
  %4 = ember.add_ %flat, %momentum {alpha = -0.1 : f64} : (tensor<12xf32>, tensor<12xf32>) -> tensor<12xf32>
  return %loss : tensor<f32>
}

// Tests the data flow: the gradient buffer is zeroed, then written through
// its views (weight part reshaped back, bias part concatenated), the
// momentum reads the new gradient, and the parameters read the new momentum.
// CHECK: %[[ZERO:.*]] = ember.constant dense<0.000000e+00> : tensor<12xf32>
// CHECK: %[[DW:.*]] = ember.matmul %{{.*}}, %[[X]]
// CHECK: %[[GW:.*]] = ember.narrow %[[ZERO]] {dim = 0 : i64, length = 9 : i64, start = 0 : i64}
// CHECK: %[[GWV:.*]] = ember.view %[[GW]] {shape = array<i64: 3, 3>}
// CHECK: %[[GW1:.*]] = ember.add %[[GWV]], %[[DW]] : (tensor<3x3xf32>, tensor<3x3xf32>) -> tensor<3x3xf32>
// CHECK: %[[GW1F:.*]] = ember.reshape %[[GW1]] {shape = array<i64: 9>}
// CHECK: %[[ZB:.*]] = ember.narrow %[[ZERO]] {dim = 0 : i64, length = 3 : i64, start = 9 : i64}
// CHECK: %[[GRAD1:.*]] = ember.cat %[[GW1F]], %[[ZB]] {dim = 0 : i64}
// CHECK: %[[GB:.*]] = ember.narrow %[[GRAD1]] {dim = 0 : i64, length = 3 : i64, start = 9 : i64}
// CHECK: %[[GB1:.*]] = ember.add %[[GB]], %{{.*}} : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
// CHECK: %[[GHEAD:.*]] = ember.narrow %[[GRAD1]] {dim = 0 : i64, length = 9 : i64, start = 0 : i64}
// CHECK: %[[GRAD2:.*]] = ember.cat %[[GHEAD]], %[[GB1]] {dim = 0 : i64}
// CHECK: %[[M1:.*]] = ember.mul %[[MOM]], %{{.*}} : (tensor<12xf32>, tensor<f32>) -> tensor<12xf32>
// CHECK: %[[M2:.*]] = ember.add %[[M1]], %[[GRAD2]]
// CHECK: %[[P:.*]] = ember.add %[[FLAT]], %[[M2]] {alpha = -1.000000e-01 : f64}
// CHECK: return %{{.*}}, %[[P]], %[[GRAD2]], %[[M2]]

// RUN: ember-opt %s --split-input-file --ember-functionalize | FileCheck %s

// ember-functionalize: in-place ops become out-of-place ops, writes through
// views are written back into their root, later uses of the root and of its
// views see the new value, and mutated arguments are returned as extra
// results marked `ember.updates`.

// Tests that an in-place op on an argument becomes its out-of-place form,
// that later uses read the new value, and that the final value is returned
// as an extra result with `ember.updates = <argument index>`.
// CHECK-LABEL: func.func @inplace_on_argument
// CHECK-SAME: (%[[W:.*]]: tensor<4xf32>, %[[G:.*]]: tensor<4xf32>)
// CHECK-SAME: -> (tensor<4xf32>, tensor<4xf32> {ember.updates = 0 : i64})
func.func @inplace_on_argument(%w: tensor<4xf32>, %g: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: %[[NEW:.*]] = ember.sub %[[W]], %[[G]] {alpha = 5.000000e-01 : f64}
  %0 = ember.sub_ %w, %g {alpha = 0.5 : f64} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  // CHECK: %[[M:.*]] = ember.mul %[[NEW]], %[[G]]
  %1 = ember.mul %w, %g : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  // CHECK-NOT: ember.sub_
  // CHECK: return %[[M]], %[[NEW]]
  return %1 : tensor<4xf32>
}

// -----

// Tests that an in-place op on an intermediate value updates it for later
// uses (also through the in-place op's own result) without adding results.
// CHECK-LABEL: func.func @inplace_on_intermediate
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>, %[[Y:.*]]: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
func.func @inplace_on_intermediate(%x: tensor<3xf32>, %y: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  // CHECK: %[[C:.*]] = ember.exp %[[X]]
  %c = ember.exp %x : (tensor<3xf32>) -> tensor<3xf32>
  // CHECK: %[[D:.*]] = ember.div %[[C]], %[[Y]]
  %0 = ember.div_ %c, %y : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  // CHECK: %[[E:.*]] = ember.clamp %[[D]] {max = 1.000000e+00 : f64}
  %1 = ember.clamp_ %0 {max = 1.0 : f64} : (tensor<3xf32>) -> tensor<3xf32>
  // CHECK: return %[[E]], %[[E]] : tensor<3xf32>, tensor<3xf32>
  return %c, %0 : tensor<3xf32>, tensor<3xf32>
}

// -----

// Tests a write through a reshape: the new piece is reshaped back into the
// root's shape, and the view's later uses read the piece itself.
// CHECK-LABEL: func.func @through_reshape
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<6xf32>)
func.func @through_reshape(%x: tensor<2x3xf32>, %y: tensor<6xf32>) -> tensor<6xf32> {
  // CHECK: %[[V:.*]] = ember.reshape %[[X]] {shape = array<i64: 6>}
  %v = ember.reshape %x {shape = array<i64: 6>} : (tensor<2x3xf32>) -> tensor<6xf32>
  // CHECK: %[[P:.*]] = ember.mul %[[V]], %[[Y]]
  // CHECK: %[[R:.*]] = ember.reshape %[[P]] {shape = array<i64: 2, 3>} : (tensor<6xf32>) -> tensor<2x3xf32>
  %0 = ember.mul_ %v, %y : (tensor<6xf32>, tensor<6xf32>) -> tensor<6xf32>
  // CHECK: return %[[P]], %[[R]]
  return %v : tensor<6xf32>
}

// -----

// Tests writes through a transpose and a permute: the inverse permutation
// writes the piece back.
// CHECK-LABEL: func.func @through_transpose_permute
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>, %[[Y:.*]]: tensor<3x2x4xf32>, %[[Z:.*]]: tensor<4x2x3xf32>)
func.func @through_transpose_permute(%x: tensor<2x3x4xf32>, %y: tensor<3x2x4xf32>, %z: tensor<4x2x3xf32>) {
  // CHECK: %[[T:.*]] = ember.transpose %[[X]] {dim0 = 0 : i64, dim1 = 1 : i64}
  %t = ember.transpose %x {dim0 = 0 : i64, dim1 = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  // CHECK: %[[A:.*]] = ember.add %[[T]], %[[Y]]
  // CHECK: %[[X1:.*]] = ember.transpose %[[A]] {dim0 = 0 : i64, dim1 = 1 : i64} : (tensor<3x2x4xf32>) -> tensor<2x3x4xf32>
  %0 = ember.add_ %t, %y : (tensor<3x2x4xf32>, tensor<3x2x4xf32>) -> tensor<3x2x4xf32>
  // CHECK: %[[P:.*]] = ember.permute %[[X1]] {dims = array<i64: 2, 0, 1>}
  %p = ember.permute %x {dims = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  // CHECK: %[[B:.*]] = ember.add %[[P]], %[[Z]]
  // CHECK: %[[X2:.*]] = ember.permute %[[B]] {dims = array<i64: 1, 2, 0>} : (tensor<4x2x3xf32>) -> tensor<2x3x4xf32>
  %1 = ember.add_ %p, %z : (tensor<4x2x3xf32>, tensor<4x2x3xf32>) -> tensor<4x2x3xf32>
  // CHECK: return %[[X2]] : tensor<2x3x4xf32>
  return
}

// -----

// Tests a write through a narrow: the root becomes the cat of its untouched
// parts and the new piece (a negative start counts from the end).
// CHECK-LABEL: func.func @through_narrow
// CHECK-SAME: (%[[X:.*]]: tensor<4x5xf32>, %[[Y:.*]]: tensor<4x2xf32>) -> (tensor<4x5xf32> {ember.updates = 0 : i64})
func.func @through_narrow(%x: tensor<4x5xf32>, %y: tensor<4x2xf32>) {
  %n = ember.narrow %x {dim = -1 : i64, start = -3 : i64, length = 2 : i64} : (tensor<4x5xf32>) -> tensor<4x2xf32>
  // CHECK-DAG: %[[L:.*]] = ember.narrow %[[X]] {dim = 1 : i64, length = 2 : i64, start = 0 : i64}
  // CHECK-DAG: %[[H:.*]] = ember.narrow %[[X]] {dim = 1 : i64, length = 1 : i64, start = 4 : i64}
  // CHECK: %[[C:.*]] = ember.cat %[[L]], %[[Y]], %[[H]] {dim = 1 : i64} : (tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x1xf32>) -> tensor<4x5xf32>
  %0 = ember.copy_ %n, %y : (tensor<4x2xf32>, tensor<4x2xf32>) -> tensor<4x2xf32>
  // CHECK-NOT: ember.copy_
  // CHECK: return %[[C]] : tensor<4x5xf32>
  return
}

// -----

// Tests a write through a select: the piece gets its dim back (unsqueeze)
// and is concatenated with the untouched rows.
// CHECK-LABEL: func.func @through_select
// CHECK-SAME: (%[[X:.*]]: tensor<3x2xi64>)
func.func @through_select(%x: tensor<3x2xi64>) -> tensor<2xi64> {
  %s = ember.select %x {dim = 0 : i64, index = 1 : i64} : (tensor<3x2xi64>) -> tensor<2xi64>
  // CHECK: %[[F:.*]] = ember.constant dense<7> : tensor<2xi64>
  // CHECK: %[[U:.*]] = ember.unsqueeze %[[F]] {dim = 0 : i64} : (tensor<2xi64>) -> tensor<1x2xi64>
  // CHECK-DAG: %[[L:.*]] = ember.narrow %[[X]] {dim = 0 : i64, length = 1 : i64, start = 0 : i64}
  // CHECK-DAG: %[[H:.*]] = ember.narrow %[[X]] {dim = 0 : i64, length = 1 : i64, start = 2 : i64}
  // CHECK: %[[C:.*]] = ember.cat %[[L]], %[[U]], %[[H]] {dim = 0 : i64} : (tensor<1x2xi64>, tensor<1x2xi64>, tensor<1x2xi64>) -> tensor<3x2xi64>
  %0 = ember.fill_ %s {value = 7 : i64} : (tensor<2xi64>) -> tensor<2xi64>
  // CHECK: return %[[F]], %[[C]]
  return %s : tensor<2xi64>
}

// -----

// Tests that views taken BEFORE a write and used after it are rebuilt from
// the updated root (once per version), while uses before the write keep the
// old view.
// CHECK-LABEL: func.func @view_before_write
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<2x3xf32>)
func.func @view_before_write(%x: tensor<2x3xf32>, %y: tensor<2x3xf32>) -> (tensor<6xf32>, tensor<6xf32>, tensor<3x2xf32>) {
  // CHECK: %[[V0:.*]] = ember.reshape %[[X]] {shape = array<i64: 6>}
  %v = ember.reshape %x {shape = array<i64: 6>} : (tensor<2x3xf32>) -> tensor<6xf32>
  %t = ember.transpose %v {dim0 = 0 : i64, dim1 = 0 : i64} : (tensor<6xf32>) -> tensor<6xf32>
  // CHECK: %[[OLD:.*]] = ember.neg %[[V0]]
  %old = ember.neg %v : (tensor<6xf32>) -> tensor<6xf32>
  // CHECK: %[[X1:.*]] = ember.add %[[X]], %[[Y]]
  %0 = ember.add_ %x, %y : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[V1:.*]] = ember.reshape %[[X1]] {shape = array<i64: 6>}
  // CHECK: %[[T1:.*]] = ember.transpose %[[V1]] {dim0 = 0 : i64, dim1 = 0 : i64}
  // CHECK: %[[NEW:.*]] = ember.neg %[[T1]]
  %new = ember.neg %t : (tensor<6xf32>) -> tensor<6xf32>
  // CHECK: %[[R:.*]] = ember.reshape %[[V1]] {shape = array<i64: 3, 2>}
  %r = ember.reshape %v {shape = array<i64: 3, 2>} : (tensor<6xf32>) -> tensor<3x2xf32>
  // CHECK-NOT: ember.reshape
  // CHECK: return %[[OLD]], %[[NEW]], %[[R]], %[[X1]]
  return %old, %new, %r : tensor<6xf32>, tensor<6xf32>, tensor<3x2xf32>
}

// -----

// Tests two writes in a row, the second through a view of the first's
// result, with a read in between.
// CHECK-LABEL: func.func @two_writes
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<4xf32>)
func.func @two_writes(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: %[[A:.*]] = ember.mul %[[X]], %[[Y]]
  %0 = ember.mul_ %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  // CHECK: %[[S:.*]] = ember.exp %[[A]]
  %s = ember.exp %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: %[[V:.*]] = ember.view %[[A]] {shape = array<i64: 2, 2>}
  %v = ember.view %0 {shape = array<i64: 2, 2>} : (tensor<4xf32>) -> tensor<2x2xf32>
  // CHECK: %[[B:.*]] = ember.add %[[V]], %[[V]]
  // CHECK: %[[X2:.*]] = ember.reshape %[[B]] {shape = array<i64: 4>}
  %1 = ember.add_ %v, %v : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  // CHECK: return %[[S]], %[[X2]] : tensor<4xf32>, tensor<4xf32>
  return %s : tensor<4xf32>
}

// -----

// Tests that an in-place op keeps self's dtype: the out-of-place add
// promotes to f64, and ember.to_dtype converts back to f32.
// CHECK-LABEL: func.func @promotion
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<4xf64>)
func.func @promotion(%x: tensor<4xf32>, %y: tensor<4xf64>) -> tensor<4xf32> {
  %c = ember.clone %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: %[[S:.*]] = ember.add %{{.*}}, %[[Y]] : (tensor<4xf32>, tensor<4xf64>) -> tensor<4xf64>
  // CHECK: %[[D:.*]] = ember.to_dtype %[[S]] {dtype = f32} : (tensor<4xf64>) -> tensor<4xf32>
  %0 = ember.add_ %c, %y : (tensor<4xf32>, tensor<4xf64>) -> tensor<4xf32>
  // CHECK: return %[[D]] : tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

// Tests copy_ with broadcasting and conversion: src is converted to self's
// element type, then expanded to self's shape.
// CHECK-LABEL: func.func @copy_broadcast
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<3xf64>)
func.func @copy_broadcast(%x: tensor<2x3xf32>, %y: tensor<3xf64>) {
  // CHECK: %[[C:.*]] = ember.to_dtype %[[Y]] {dtype = f32} : (tensor<3xf64>) -> tensor<3xf32>
  // CHECK: %[[E:.*]] = ember.expand %[[C]] {shape = array<i64: 2, 3>} : (tensor<3xf32>) -> tensor<2x3xf32>
  %0 = ember.copy_ %x, %y : (tensor<2x3xf32>, tensor<3xf64>) -> tensor<2x3xf32>
  // CHECK: return %[[E]] : tensor<2x3xf32>
  return
}

// -----

// Tests fill_ and zero_: splat literals of self's type (the scalar converted
// as eager converts it), and fill_ with a 0-d value tensor (converted and
// expanded).
// CHECK-LABEL: func.func @fill_zero
// CHECK-SAME: (%[[X:.*]]: tensor<2x2xf32>, %[[N:.*]]: tensor<3xi64>, %[[B:.*]]: tensor<2xi1>, %[[V:.*]]: tensor<f64>)
func.func @fill_zero(%x: tensor<2x2xf32>, %n: tensor<3xi64>, %b: tensor<2xi1>, %v: tensor<f64>) {
  // CHECK-DAG: %[[F:.*]] = ember.constant dense<1.500000e+00> : tensor<2x2xf32>
  %0 = ember.fill_ %x {value = 1.5 : f64} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  // CHECK-DAG: %[[T:.*]] = ember.constant dense<-2> : tensor<3xi64>
  %1 = ember.fill_ %n {value = -2.75 : f64} : (tensor<3xi64>) -> tensor<3xi64>
  // CHECK-DAG: %[[Z:.*]] = ember.constant dense<false> : tensor<2xi1>
  %2 = ember.zero_ %b : (tensor<2xi1>) -> tensor<2xi1>
  // CHECK: %[[C:.*]] = ember.to_dtype %[[V]] {dtype = f32} : (tensor<f64>) -> tensor<f32>
  // CHECK: %[[E:.*]] = ember.expand %[[C]] {shape = array<i64: 2, 2>} : (tensor<f32>) -> tensor<2x2xf32>
  %3 = ember.fill_ %x, %v {value = 0.0 : f64} : (tensor<2x2xf32>, tensor<f64>) -> tensor<2x2xf32>
  // CHECK: return %[[E]], %[[T]], %[[Z]] : tensor<2x2xf32>, tensor<3xi64>, tensor<2xi1>
  return
}

// -----

// Tests index_put_ and uniform_, which have no out-of-place form: on a root
// they stay and their result is the root's new value; through a view
// (transpose here) the result is written back like any other.
// CHECK-LABEL: func.func @no_out_of_place_form
// CHECK-SAME: (%[[X:.*]]: tensor<5x3xf32>, %[[V:.*]]: tensor<3xf32>, %[[I:.*]]: tensor<4xi64>)
func.func @no_out_of_place_form(%x: tensor<5x3xf32>, %v: tensor<3xf32>, %i: tensor<4xi64>) -> tensor<5x3xf32> {
  // CHECK: %[[U:.*]] = ember.uniform_ %[[X]]
  %u = ember.uniform_ %x {from = 0.0 : f64, offset = 0 : i64, seed = 42 : i64, to = 1.0 : f64} : (tensor<5x3xf32>) -> tensor<5x3xf32>
  // CHECK: %[[P:.*]] = ember.index_put_ %[[U]], %[[V]], %[[I]] {accumulate = true}
  %0 = ember.index_put_ %u, %v, %i {accumulate = true} : (tensor<5x3xf32>, tensor<3xf32>, tensor<4xi64>) -> tensor<5x3xf32>
  // CHECK: %[[T:.*]] = ember.transpose %[[P]]
  %t = ember.transpose %x {dim0 = 0 : i64, dim1 = 1 : i64} : (tensor<5x3xf32>) -> tensor<3x5xf32>
  // CHECK: %[[N:.*]] = ember.normal_ %[[T]]
  // CHECK: %[[X3:.*]] = ember.transpose %[[N]] {dim0 = 0 : i64, dim1 = 1 : i64} : (tensor<3x5xf32>) -> tensor<5x3xf32>
  %1 = ember.normal_ %t {mean = 0.0 : f64, offset = 8 : i64, seed = 42 : i64, std = 1.0 : f64} : (tensor<3x5xf32>) -> tensor<3x5xf32>
  // CHECK: return %[[X3]], %[[X3]]
  return %0 : tensor<5x3xf32>
}

// -----

// Tests that a function without in-place ops is left as it is (its views
// included).
// CHECK-LABEL: func.func @no_inplace
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>) -> tensor<6xf32> {
func.func @no_inplace(%x: tensor<2x3xf32>) -> tensor<6xf32> {
  // CHECK-NEXT: %[[T:.*]] = ember.transpose %[[X]]
  %t = ember.transpose %x {dim0 = 0 : i64, dim1 = 1 : i64} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  // CHECK-NEXT: %[[V:.*]] = ember.reshape %[[X]]
  %v = ember.reshape %x {shape = array<i64: 6>} : (tensor<2x3xf32>) -> tensor<6xf32>
  // CHECK-NEXT: %[[E:.*]] = ember.exp %[[V]]
  %e = ember.exp %v : (tensor<6xf32>) -> tensor<6xf32>
  // CHECK-NEXT: return %[[E]] : tensor<6xf32>
  return %e : tensor<6xf32>
}

// -----

// Tests a chain of views (squeeze, flatten, slice with step 1) written
// through twice, the second time through a view of the first in-place op's
// result: each write goes back through the whole chain, the second one
// starts from the first one's pieces, and masked_fill_/clamp_ become
// masked_fill/clamp.
// CHECK-LABEL: func.func @view_chain
// CHECK-SAME: (%[[X:.*]]: tensor<2x1x4xf32>, %[[M:.*]]: tensor<3xi1>)
func.func @view_chain(%x: tensor<2x1x4xf32>, %m: tensor<3xi1>) -> tensor<2x1x4xf32> {
  // CHECK: %[[S:.*]] = ember.squeeze %[[X]]
  %s = ember.squeeze %x {dim = 1 : i64} : (tensor<2x1x4xf32>) -> tensor<2x4xf32>
  // CHECK: %[[F:.*]] = ember.flatten %[[S]]
  %f = ember.flatten %s {start_dim = 0 : i64, end_dim = -1 : i64} : (tensor<2x4xf32>) -> tensor<8xf32>
  // CHECK: %[[SL:.*]] = ember.slice %[[F]]
  %sl = ember.slice %f {dim = 0 : i64, start = -6 : i64, end = 5 : i64, step = 1 : i64} : (tensor<8xf32>) -> tensor<3xf32>
  // CHECK: %[[A:.*]] = ember.masked_fill %[[SL]], %[[M]] {value = -1.000000e+00 : f64}
  // CHECK-DAG: %[[A0:.*]] = ember.narrow %[[F]] {dim = 0 : i64, length = 2 : i64, start = 0 : i64}
  // CHECK-DAG: %[[A1:.*]] = ember.narrow %[[F]] {dim = 0 : i64, length = 3 : i64, start = 5 : i64}
  // CHECK: %[[F1:.*]] = ember.cat %[[A0]], %[[A]], %[[A1]] {dim = 0 : i64}
  %0 = ember.masked_fill_ %sl, %m {value = -1.0 : f64} : (tensor<3xf32>, tensor<3xi1>) -> tensor<3xf32>
  // CHECK: %[[U:.*]] = ember.unsqueeze %[[A]] {dim = 0 : i64}
  %u = ember.unsqueeze %0 {dim = 0 : i64} : (tensor<3xf32>) -> tensor<1x3xf32>
  // CHECK: %[[B:.*]] = ember.clamp %[[U]] {min = 0.000000e+00 : f64}
  // CHECK: %[[B1:.*]] = ember.reshape %[[B]] {shape = array<i64: 3>}
  // CHECK-DAG: %[[B0:.*]] = ember.narrow %[[F1]] {dim = 0 : i64, length = 2 : i64, start = 0 : i64}
  // CHECK-DAG: %[[B2:.*]] = ember.narrow %[[F1]] {dim = 0 : i64, length = 3 : i64, start = 5 : i64}
  // CHECK: %[[F2:.*]] = ember.cat %[[B0]], %[[B1]], %[[B2]] {dim = 0 : i64}
  // CHECK: %[[S2:.*]] = ember.reshape %[[F2]] {shape = array<i64: 2, 4>}
  // CHECK: %[[X2:.*]] = ember.reshape %[[S2]] {shape = array<i64: 2, 1, 4>}
  %1 = ember.clamp_ %u {min = 0.0 : f64} : (tensor<1x3xf32>) -> tensor<1x3xf32>
  // CHECK: return %[[X2]], %[[X2]]
  return %x : tensor<2x1x4xf32>
}

// -----

// Tests that ember.to_dtype to the tensor's own type is an alias, as in
// eager (x.to(x.dtype) returns x): a write through it updates the argument.
// CHECK-LABEL: func.func @to_own_dtype_aliases
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32> {ember.updates = 0 : i64})
func.func @to_own_dtype_aliases(%x: tensor<3xf32>) -> tensor<3xf32> {
  %t = ember.to_dtype %x {dtype = f32} : (tensor<3xf32>) -> tensor<3xf32>
  // CHECK: %[[Z:.*]] = ember.constant dense<0.000000e+00> : tensor<3xf32>
  %0 = ember.zero_ %t : (tensor<3xf32>) -> tensor<3xf32>
  // CHECK: return %[[Z]], %[[Z]]
  return %x : tensor<3xf32>
}

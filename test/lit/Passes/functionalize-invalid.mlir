// RUN: ember-opt %s --split-input-file --ember-functionalize --verify-diagnostics

// Writes that ember-functionalize cannot express on value semantics yet: the
// pass reports them at the in-place op, with a note at the view, and fails.

// Tests that a write through a slice with a step > 1 is reported.
func.func @through_strided_slice(%x: tensor<8x3xf32>) {
  // expected-note@+1 {{the view written through}}
  %s = ember.slice %x {dim = 0 : i64, start = 1 : i64, end = 7 : i64, step = 2 : i64} : (tensor<8x3xf32>) -> tensor<3x3xf32>
  // expected-error@+1 {{ember-functionalize: cannot write through ember.slice with a step > 1 yet}}
  %0 = ember.zero_ %s : (tensor<3x3xf32>) -> tensor<3x3xf32>
  return
}

// -----

// Tests that a write through an expand (several elements share one) is
// reported.
func.func @through_expand(%b: tensor<1x4xf32>, %y: tensor<3x4xf32>) {
  // expected-note@+1 {{the view written through}}
  %e = ember.expand %b {shape = array<i64: 3, 4>} : (tensor<1x4xf32>) -> tensor<3x4xf32>
  // expected-error@+1 {{ember-functionalize: cannot write through ember.expand yet}}
  %0 = ember.add_ %e, %y : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  return
}

// -----

// Tests that a write through an as_strided view is reported, also when the
// view is not the innermost one of the chain.
func.func @through_as_strided(%x: tensor<3x3xf32>) {
  // expected-note@+1 {{the view written through}}
  %a = ember.as_strided %x {size = array<i64: 2, 2>, storage_offset = 1 : i64, stride = array<i64: 3, 1>} : (tensor<3x3xf32>) -> tensor<2x2xf32>
  %v = ember.reshape %a {shape = array<i64: 4>} : (tensor<2x2xf32>) -> tensor<4xf32>
  // expected-error@+1 {{ember-functionalize: cannot write through ember.as_strided yet}}
  %0 = ember.fill_ %v {value = 1.0 : f64} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

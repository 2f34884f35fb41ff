// RUN: ember-opt %s --split-input-file --ember-autodiff --verify-diagnostics

// Requests and functions that ember-autodiff rejects, with a diagnostic at
// the function or at the op (whose location is the user's forward line).

// Tests that an op on a differentiated path whose rule fails is reported
// (as_strided of a view: its strides address the view's base).
func.func @no_rule(%x: tensor<4xf32>) -> tensor<f32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %v = ember.view %x {shape = array<i64: 2, 2>} : (tensor<4xf32>) -> tensor<2x2xf32>
  // expected-error@+1 {{'ember.as_strided' op of a view (ember.view) has no gradient rule: its strides address the base's storage}}
  %0 = ember.as_strided %v {size = array<i64: 2>, stride = array<i64: 2>} : (tensor<2x2xf32>) -> tensor<2xf32>
  %1 = ember.sum %0 : (tensor<2xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// -----

// Tests that an op whose rule would fail is not reported when it is off
// the differentiated paths (here: only the frozen argument reaches it).
func.func @no_rule_off_path(%x: tensor<4xf32>, %w: tensor<4xf32>) -> tensor<f32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %v = ember.view %w {shape = array<i64: 2, 2>} : (tensor<4xf32>) -> tensor<2x2xf32>
  %s = ember.as_strided %v {size = array<i64: 1>, stride = array<i64: 1>} : (tensor<2x2xf32>) -> tensor<1xf32>
  %0 = ember.mul %x, %s : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xf32>
  %1 = ember.sum %0 : (tensor<4xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// -----

// expected-error@+1 {{malformed 'ember.autodiff' request: expected a dictionary}}
func.func @not_a_dict(%x: tensor<f32>) -> tensor<f32> attributes {ember.autodiff = 0 : i64} {
  return %x : tensor<f32>
}

// -----

// expected-error@+1 {{malformed 'ember.autodiff' request: 'of' = 2 but the function has 1 results}}
func.func @bad_of(%x: tensor<f32>) -> tensor<f32> attributes {ember.autodiff = {of = 2 : i64, wrt = [0]}} {
  return %x : tensor<f32>
}

// -----

// expected-error@+1 {{malformed 'ember.autodiff' request: 'wrt' names argument 3 but the function has 1 arguments}}
func.func @bad_wrt(%x: tensor<f32>) -> tensor<f32> attributes {ember.autodiff = {of = 0 : i64, wrt = [3]}} {
  return %x : tensor<f32>
}

// -----

// expected-error@+1 {{malformed 'ember.autodiff' request: 'wrt' names argument 0 twice}}
func.func @repeated_wrt(%x: tensor<f32>) -> tensor<f32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0, 0]}} {
  return %x : tensor<f32>
}

// -----

// expected-error@+1 {{malformed 'ember.autodiff' request: argument 0 has type 'tensor<3xi64>', not a floating tensor}}
func.func @integer_wrt(%n: tensor<3xi64>, %x: tensor<f32>) -> tensor<f32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  return %x : tensor<f32>
}

// -----

// expected-error@+1 {{malformed 'ember.autodiff' request: result 0 has type 'tensor<3xi64>', not a floating tensor}}
func.func @integer_of(%n: tensor<3xi64>, %x: tensor<f32>) -> tensor<3xi64> attributes {ember.autodiff = {of = 0 : i64, wrt = [1]}} {
  return %n : tensor<3xi64>
}

// -----

// Tests that a placeholder for an argument that is not differentiated is
// reported.
// expected-error@+1 {{'func.func' op argument 1 is the gradient of argument 0, which is not differentiated ('wrt')}}
func.func @placeholder_not_requested(%x: tensor<3xf32>, %g: tensor<3xf32> {ember.gradient_of = 0 : i64}, %y: tensor<3xf32>) -> (tensor<f32>, tensor<3xf32>) attributes {ember.autodiff = {of = 0 : i64, wrt = [2]}} {
  %0 = ember.mul %x, %y : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %1 = ember.sum %0 : (tensor<3xf32>) -> tensor<f32>
  return %1, %g : tensor<f32>, tensor<3xf32>
}

// -----

// Tests that the differentiated result may not depend on a placeholder.
// expected-error@+1 {{'func.func' op result 0 depends on a gradient placeholder (the differentiated result cannot use its own gradient)}}
func.func @loss_reads_its_gradient(%x: tensor<3xf32>, %g: tensor<3xf32> {ember.gradient_of = 0 : i64}) -> tensor<f32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %0 = ember.mul %x, %g : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %1 = ember.sum %0 : (tensor<3xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

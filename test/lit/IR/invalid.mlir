// RUN: ember-opt %s --split-input-file --verify-diagnostics

// Every verifier and type-inference failure of the ember ops, with the
// diagnostic it gives.

// Tests that ember.add rejects operands of different element types (type
// promotion is not implemented yet).
func.func @add_element_types(%a: tensor<2xf32>, %b: tensor<2xi32>) {
  // expected-error@+1 {{'ember.add' op operand element types differ: lhs is 'f32', rhs is 'i32' (type promotion is not implemented yet)}}
  %0 = ember.add %a, %b : tensor<2xf32>, tensor<2xi32>
  return
}

// -----

// Tests that ember.add rejects shapes that do not broadcast.
func.func @add_shapes(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) {
  // expected-error@+1 {{'ember.add' op operand shapes are not broadcast-compatible: lhs is 2x3, rhs is 4x3}}
  %0 = ember.add %a, %b : tensor<2x3xf32>, tensor<4x3xf32>
  return
}

// -----

// Tests that ember.sub rejects shapes that do not broadcast, naming 0-d and
// dynamic shapes.
func.func @sub_shapes(%a: tensor<?x2xi64>, %b: tensor<3xi64>) {
  // expected-error@+1 {{'ember.sub' op operand shapes are not broadcast-compatible: lhs is ?x2, rhs is 3}}
  %0 = ember.sub %a, %b : tensor<?x2xi64>, tensor<3xi64>
  return
}

// -----

// Tests that ember.mul rejects operands of different element types.
func.func @mul_element_types(%a: tensor<ui8>, %b: tensor<4xi1>) {
  // expected-error@+1 {{'ember.mul' op operand element types differ: lhs is 'ui8', rhs is 'i1'}}
  %0 = ember.mul %a, %b : tensor<ui8>, tensor<4xi1>
  return
}

// -----

// Tests that the binary ops reject unranked operands.
func.func @add_unranked(%a: tensor<*xf32>, %b: tensor<2xf32>) {
  // expected-error@+1 {{'ember.add' op operand #0 must be ranked tensor of 32-bit float or 64-bit float or 32-bit signless integer or 64-bit signless integer or 1-bit signless integer or 8-bit unsigned integer values, but got 'tensor<*xf32>'}}
  %0 = "ember.add"(%a, %b) : (tensor<*xf32>, tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

// Tests that ember.sub rejects bool tensors, as PyTorch does.
func.func @sub_bool(%a: tensor<2xi1>) {
  // expected-error@+1 {{'ember.sub' op operand #0 must be ranked tensor of 32-bit float or 64-bit float or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer values, but got 'tensor<2xi1>'}}
  %0 = ember.sub %a, %a : tensor<2xi1>, tensor<2xi1>
  return
}

// -----

// Tests that the ops reject element types that are not ember dtypes.
func.func @add_f16(%a: tensor<2xf16>) {
  // expected-error@+1 {{'ember.add' op operand #0 must be ranked tensor of 32-bit float or 64-bit float or 32-bit signless integer or 64-bit signless integer or 1-bit signless integer or 8-bit unsigned integer values, but got 'tensor<2xf16>'}}
  %0 = ember.add %a, %a : tensor<2xf16>, tensor<2xf16>
  return
}

// -----

// Tests that the generic form's result type must be the inferred one.
func.func @add_result_type(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error@+2 {{'ember.add' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error@+1 {{'ember.add' op failed to infer returned types}}
  %0 = "ember.add"(%a, %b) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the generic form reports bad operands with the op's own message.
func.func @mul_generic_shapes(%a: tensor<2xf32>, %b: tensor<3xf32>) {
  // expected-error@+1 {{'ember.mul' op operand shapes are not broadcast-compatible: lhs is 2, rhs is 3}}
  %0 = "ember.mul"(%a, %b) : (tensor<2xf32>, tensor<3xf32>) -> tensor<2xf32>
  return
}

// -----

// Tests that ember.relu rejects bool tensors, as PyTorch does.
func.func @relu_bool(%a: tensor<3xi1>) {
  // expected-error@+1 {{'ember.relu' op operand #0 must be ranked tensor of 32-bit float or 64-bit float or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer values, but got 'tensor<3xi1>'}}
  %0 = ember.relu %a : tensor<3xi1>
  return
}

// -----

// Tests that ember.exp rejects integer tensors (int-to-float promotion is not
// implemented yet).
func.func @exp_int(%a: tensor<3xi32>) {
  // expected-error@+1 {{'ember.exp' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<3xi32>'}}
  %0 = ember.exp %a : tensor<3xi32>
  return
}

// -----

// Tests that a unary op's generic form must keep the operand's type.
func.func @relu_result_type(%a: tensor<3xf32>) {
  // expected-error@+1 {{'ember.relu' op requires the same type for all operands and results}}
  %0 = "ember.relu"(%a) : (tensor<3xf32>) -> tensor<3xf64>
  return
}

// -----

// Tests that ember.matmul rejects contracting dimensions that differ.
func.func @matmul_contracting(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error@+1 {{'ember.matmul' op contracting dimensions differ: lhs is 2x3, rhs is 4x5}}
  %0 = ember.matmul %a, %b : tensor<2x3xf32>, tensor<4x5xf32>
  return
}

// -----

// Tests that ember.matmul checks the contracting dimensions of batched
// operands.
func.func @matmul_batched_contracting(%a: tensor<8x2x3xf64>, %b: tensor<8x4x5xf64>) {
  // expected-error@+1 {{'ember.matmul' op contracting dimensions differ: lhs is 8x2x3, rhs is 8x4x5}}
  %0 = ember.matmul %a, %b : tensor<8x2x3xf64>, tensor<8x4x5xf64>
  return
}

// -----

// Tests that ember.matmul rejects batch dimensions that do not broadcast.
func.func @matmul_batch(%a: tensor<2x3x4xf32>, %b: tensor<5x4x6xf32>) {
  // expected-error@+1 {{'ember.matmul' op batch dimensions are not broadcast-compatible: lhs is 2x3x4, rhs is 5x4x6}}
  %0 = ember.matmul %a, %b : tensor<2x3x4xf32>, tensor<5x4x6xf32>
  return
}

// -----

// Tests that ember.matmul rejects 1-D operands (not supported yet).
func.func @matmul_vector(%a: tensor<3xf32>, %b: tensor<3x4xf32>) {
  // expected-error@+1 {{'ember.matmul' op expects 2-D or 3-D operands: lhs is 1-D (3), rhs is 2-D (3x4)}}
  %0 = ember.matmul %a, %b : tensor<3xf32>, tensor<3x4xf32>
  return
}

// -----

// Tests that ember.matmul rejects 4-D operands and names 0-d ones.
func.func @matmul_rank(%a: tensor<f32>, %b: tensor<1x2x3x4xf32>) {
  // expected-error@+1 {{'ember.matmul' op expects 2-D or 3-D operands: lhs is 0-D (0-d), rhs is 4-D (1x2x3x4)}}
  %0 = ember.matmul %a, %b : tensor<f32>, tensor<1x2x3x4xf32>
  return
}

// -----

// Tests that ember.matmul rejects operands of different element types.
func.func @matmul_element_types(%a: tensor<2x3xf32>, %b: tensor<3x4xf64>) {
  // expected-error@+1 {{'ember.matmul' op operand element types differ: lhs is 'f32', rhs is 'f64'}}
  %0 = ember.matmul %a, %b : tensor<2x3xf32>, tensor<3x4xf64>
  return
}

// -----

// Tests that ember.matmul rejects bool tensors, as PyTorch does.
func.func @matmul_bool(%a: tensor<2x3xi1>, %b: tensor<3x4xi1>) {
  // expected-error@+1 {{'ember.matmul' op operand #0 must be ranked tensor of 32-bit float or 64-bit float or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer values, but got 'tensor<2x3xi1>'}}
  %0 = ember.matmul %a, %b : tensor<2x3xi1>, tensor<3x4xi1>
  return
}

// -----

// Tests that the generic form of ember.matmul reports bad operands with the
// op's own message.
func.func @matmul_generic(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error@+1 {{'ember.matmul' op contracting dimensions differ: lhs is 2x3, rhs is 4x5}}
  %0 = "ember.matmul"(%a, %b) : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

// Tests that ember.constant rejects vector literals.
func.func @constant_vector() {
  // expected-error@+1 {{'ember.constant' op value must be a ranked tensor of f32, f64, i32, i64, i1 or ui8, got 'vector<2xf32>'}}
  %0 = ember.constant dense<1.0> : vector<2xf32>
  return
}

// -----

// Tests that ember.constant rejects element types that are not ember dtypes.
func.func @constant_f16() {
  // expected-error@+1 {{'ember.constant' op value must be a ranked tensor of f32, f64, i32, i64, i1 or ui8, got 'tensor<2xf16>'}}
  %0 = ember.constant dense<1.0> : tensor<2xf16>
  return
}

// -----

// Tests that ember.constant takes only dense literals.
func.func @constant_scalar() {
  // expected-error@+1 {{invalid kind of attribute specified}}
  %0 = ember.constant 1.0 : f32
  return
}

// -----

// Tests that the generic form of ember.constant needs its literal.
func.func @constant_missing_value() {
  // expected-error@+1 {{'ember.constant' op requires attribute 'value'}}
  %0 = "ember.constant"() : () -> tensor<2xf32>
  return
}

// -----

// Tests that the generic form of ember.constant must give the literal's type.
func.func @constant_result_type() {
  // expected-error@+2 {{'ember.constant' op inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error@+1 {{'ember.constant' op failed to infer returned types}}
  %0 = "ember.constant"() <{value = dense<1.0> : tensor<2xf32>}> : () -> tensor<3xf32>
  return
}

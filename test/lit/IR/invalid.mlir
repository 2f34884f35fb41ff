// RUN: ember-opt %s --split-input-file --verify-diagnostics

// Every verifier message of the ember ops, one case each (the shape and
// dtype rules of lib/IR/TypeRules.h and the ODS constraints).

// -----

// Tests that the verifier reports a result type that is not the rule's.
func.func @a_result_type_that_is_not_the_rule_s(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error@+1 {{'ember.add' op result #0 has type 'tensor<2x3xf64>', expected 'tensor<2x3xf32>'}}
  %0 = ember.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf64>
  return
}

// -----

// Tests that the verifier reports a result shape that is not the rule's.
func.func @a_result_shape_that_is_not_the_rule_s(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.relu' op result #0 has type 'tensor<3x2xf32>', expected 'tensor<2x3xf32>'}}
  %0 = ember.relu %a : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

// Tests that the verifier reports an operand that is not an ember tensor.
func.func @an_operand_that_is_not_an_ember_tensor(%a: tensor<2xf16>) {
  // expected-error@+1 {{'ember.abs' op operand #0 must be ranked tensor of 32-bit float or 64-bit float or 32-bit signless integer or 64-bit signless integer or 1-bit signless integer or 8-bit unsigned integer values, but got 'tensor<2xf16>'}}
  %0 = ember.abs %a : (tensor<2xf16>) -> tensor<2xf16>
  return
}

// -----

// Tests that the verifier reports an unranked operand.
func.func @an_unranked_operand(%a: tensor<*xf32>) {
  // expected-error@+1 {{'ember.exp' op operand #0 must be ranked tensor of 32-bit float or 64-bit float or 32-bit signless integer or 64-bit signless integer or 1-bit signless integer or 8-bit unsigned integer values, but got 'tensor<*xf32>'}}
  %0 = ember.exp %a : (tensor<*xf32>) -> tensor<*xf32>
  return
}

// -----

// Tests that the verifier reports a missing required attribute.
func.func @a_missing_required_attribute(%a: tensor<4xf32>) {
  // expected-error@+1 {{'ember.softmax' op requires attribute 'dim'}}
  %0 = ember.softmax %a : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Tests that the verifier reports an attribute of the wrong kind (a Scalar must be f64, i64 or bool).
func.func @an_attribute_of_the_wrong_kind_a_scalar_must_be(%a: tensor<4xf32>) {
  // expected-error@+1 {{'ember.clamp' op attribute 'min' failed to satisfy constraint: 64-bit float attribute or 64-bit signless integer attribute or bool attribute}}
  %0 = ember.clamp %a {min = "zero"} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Tests that the verifier reports a dtype attribute that is not an ember element type.
func.func @a_dtype_attribute_that_is_not_an_ember_element_t() {
  // expected-error@+1 {{'ember.empty' op attribute 'dtype' failed to satisfy constraint: element type attribute (f32, f64, i32, i64, i1 or ui8)}}
  %0 = ember.empty {device = "cpu", dtype = f16, size = array<i64: 2>} : tensor<2xf16>
  return
}

// -----

// Tests that the verifier reports neg of a bool tensor.
func.func @neg_of_a_bool_tensor(%a: tensor<3xi1>) {
  // expected-error@+1 {{'ember.neg' op negation of a bool tensor is not supported (use logical_not)}}
  %0 = ember.neg %a : (tensor<3xi1>) -> tensor<3xi1>
  return
}

// -----

// Tests that the verifier reports exp of an integer tensor must give a float type.
func.func @exp_of_an_integer_tensor_must_give_a_float_type(%a: tensor<3xi32>) {
  // expected-error@+1 {{'ember.exp' op result #0 has type 'tensor<3xi32>', expected 'tensor<3xf32>' or 'tensor<3xf64>'}}
  %0 = ember.exp %a : (tensor<3xi32>) -> tensor<3xi32>
  return
}

// -----

// Tests that the verifier reports gelu of an integer tensor.
func.func @gelu_of_an_integer_tensor(%a: tensor<3xi64>) {
  // expected-error@+1 {{'ember.gelu' op expects a floating point operand, got 'tensor<3xi64>'}}
  %0 = ember.gelu %a {approximate = "none"} : (tensor<3xi64>) -> tensor<3xi64>
  return
}

// -----

// Tests that the verifier reports gelu with an unknown approximation.
func.func @gelu_with_an_unknown_approximation(%a: tensor<3xf32>) {
  // expected-error@+1 {{'ember.gelu' op approximate must be "none" or "tanh", got "erf"}}
  %0 = ember.gelu %a {approximate = "erf"} : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports clamp without bounds.
func.func @clamp_without_bounds(%a: tensor<3xf32>) {
  // expected-error@+1 {{'ember.clamp' op at least one of 'min' or 'max' must be given}}
  %0 = ember.clamp %a : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports clamp_ of an integer tensor with a float bound.
func.func @clamp_of_an_integer_tensor_with_a_float_bound(%a: tensor<3xi64>) {
  // expected-error@+1 {{'ember.clamp_' op a floating point bound cannot be written into 'tensor<3xi64>'}}
  %0 = ember.clamp_ %a {max = 2.5 : f64} : (tensor<3xi64>) -> tensor<3xi64>
  return
}

// -----

// Tests that the verifier reports operands that do not broadcast.
func.func @operands_that_do_not_broadcast(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) {
  // expected-error@+1 {{'ember.add' op operand shapes are not broadcast-compatible: 2x3 and 4x3}}
  %0 = ember.add %a, %b : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that the verifier reports sub of bool tensors.
func.func @sub_of_bool_tensors(%a: tensor<3xi1>, %b: tensor<3xi1>) {
  // expected-error@+1 {{'ember.sub' op subtraction of bool tensors is not supported (use logical_xor)}}
  %0 = ember.sub %a, %b : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  return
}

// -----

// Tests that the verifier reports a float alpha with integer operands.
func.func @a_float_alpha_with_integer_operands(%a: tensor<3xi64>, %b: tensor<3xi64>) {
  // expected-error@+1 {{'ember.add' op for integral input tensors, alpha must not be a floating point number (result type 'i64')}}
  %0 = ember.add %a, %b {alpha = 0.5 : f64} : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  return
}

// -----

// Tests that the verifier reports an in-place op whose other operand does not broadcast to self.
func.func @an_in_place_op_whose_other_operand_does_not_broa(%a: tensor<3xf32>, %b: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.add_' op other of shape 2x3 does not broadcast to self's shape 3}}
  %0 = ember.add_ %a, %b : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports an in-place op whose promoted type cannot be written into self.
func.func @an_in_place_op_whose_promoted_type_cannot_be_wri(%a: tensor<3xi64>, %b: tensor<3xf32>) {
  // expected-error@+1 {{'ember.mul_' op result type 'f32' can't be cast to the desired output type 'i64'}}
  %0 = ember.mul_ %a, %b : (tensor<3xi64>, tensor<3xf32>) -> tensor<3xi64>
  return
}

// -----

// Tests that the verifier reports where with a non-bool condition.
func.func @where_with_a_non_bool_condition(%a: tensor<3xf32>, %b: tensor<3xf32>, %c: tensor<3xf32>) {
  // expected-error@+1 {{'ember.where' op expects an i1 (bool) condition, got 'tensor<3xf32>'}}
  %0 = ember.where %a, %b, %c : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports where with operands that do not broadcast.
func.func @where_with_operands_that_do_not_broadcast(%a: tensor<3xi1>, %b: tensor<3xf32>, %c: tensor<4xf32>) {
  // expected-error@+1 {{'ember.where' op operand shapes are not broadcast-compatible: 3, 3 and 4}}
  %0 = ember.where %a, %b, %c : (tensor<3xi1>, tensor<3xf32>, tensor<4xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports masked_fill with a non-bool mask.
func.func @masked_fill_with_a_non_bool_mask(%a: tensor<3xf32>, %b: tensor<3xi64>) {
  // expected-error@+1 {{'ember.masked_fill' op expects an i1 (bool) mask, got 'tensor<3xi64>'}}
  %0 = ember.masked_fill %a, %b {value = 0.0 : f64} : (tensor<3xf32>, tensor<3xi64>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports masked_fill of an integer tensor with a float value.
func.func @masked_fill_of_an_integer_tensor_with_a_float_va(%a: tensor<3xi64>, %b: tensor<3xi1>) {
  // expected-error@+1 {{'ember.masked_fill' op a floating point value cannot be converted to 'i64'}}
  %0 = ember.masked_fill %a, %b {value = 0.5 : f64} : (tensor<3xi64>, tensor<3xi1>) -> tensor<3xi64>
  return
}

// -----

// Tests that the verifier reports masked_fill_ with a mask larger than self.
func.func @masked_fill_with_a_mask_larger_than_self(%a: tensor<3xf32>, %b: tensor<2x3xi1>) {
  // expected-error@+1 {{'ember.masked_fill_' op mask of shape 2x3 does not broadcast to self's shape 3}}
  %0 = ember.masked_fill_ %a, %b {value = 0.0 : f64} : (tensor<3xf32>, tensor<2x3xi1>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports a reduction dim out of range.
func.func @a_reduction_dim_out_of_range(%a: tensor<4x3xf32>) {
  // expected-error@+1 {{'ember.sum' op dim 2 is out of range for a tensor of rank 2 (expected it in [-2, 1])}}
  %0 = ember.sum %a {dims = array<i64: 2>} : (tensor<4x3xf32>) -> tensor<4xf32>
  return
}

// -----

// Tests that the verifier reports a reduction dim named twice.
func.func @a_reduction_dim_named_twice(%a: tensor<4x3xf32>) {
  // expected-error@+1 {{'ember.sum' op dim 1 appears more than once in the dims}}
  %0 = ember.sum %a {dims = array<i64: 1, -1>} : (tensor<4x3xf32>) -> tensor<4xf32>
  return
}

// -----

// Tests that the verifier reports mean of an integer tensor.
func.func @mean_of_an_integer_tensor(%a: tensor<4xi64>) {
  // expected-error@+1 {{'ember.mean' op expects a floating point operand, got 'tensor<4xi64>'}}
  %0 = ember.mean %a : (tensor<4xi64>) -> tensor<i64>
  return
}

// -----

// Tests that the verifier reports norm without p.
func.func @norm_without_p(%a: tensor<4xf32>) {
  // expected-error@+1 {{'ember.norm' op requires attribute 'p'}}
  %0 = ember.norm %a : (tensor<4xf32>) -> tensor<f32>
  return
}

// -----

// Tests that the verifier reports argmax of a bool tensor.
func.func @argmax_of_a_bool_tensor(%a: tensor<4xi1>) {
  // expected-error@+1 {{'ember.argmax' op is not implemented for bool tensors (got 'tensor<4xi1>')}}
  %0 = ember.argmax %a : (tensor<4xi1>) -> tensor<i64>
  return
}

// -----

// Tests that the verifier reports max_dim without dim.
func.func @max_dim_without_dim(%a: tensor<4x3xf32>) {
  // expected-error@+1 {{'ember.max_dim' op requires an i64 attribute 'dim'}}
  %0:2 = ember.max_dim %a : (tensor<4x3xf32>) -> (tensor<4xf32>, tensor<4xi64>)
  return
}

// -----

// Tests that the verifier reports softmax of an integer tensor.
func.func @softmax_of_an_integer_tensor(%a: tensor<4xi32>) {
  // expected-error@+1 {{'ember.softmax' op expects a floating point operand, got 'tensor<4xi32>'}}
  %0 = ember.softmax %a {dim = 0 : i64} : (tensor<4xi32>) -> tensor<4xi32>
  return
}

// -----

// Tests that the verifier reports mm of 3-D operands.
func.func @mm_of_3_d_operands(%a: tensor<2x2x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error@+1 {{'ember.mm' op expects 2-D operands, got 2x2x3 and 3x4}}
  %0 = ember.mm %a, %b : (tensor<2x2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

// Tests that the verifier reports bmm of 2-D operands.
func.func @bmm_of_2_d_operands(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error@+1 {{'ember.bmm' op expects 3-D operands, got 2x3 and 3x4}}
  %0 = ember.bmm %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

// Tests that the verifier reports matmul of a 0-d operand.
func.func @matmul_of_a_0_d_operand(%a: tensor<f32>, %b: tensor<3xf32>) {
  // expected-error@+1 {{'ember.matmul' op expects operands of rank >= 1, got 0-d and 3}}
  %0 = ember.matmul %a, %b : (tensor<f32>, tensor<3xf32>) -> tensor<f32>
  return
}

// -----

// Tests that the verifier reports matmul of different element types.
func.func @matmul_of_different_element_types(%a: tensor<2x3xf32>, %b: tensor<3x4xf64>) {
  // expected-error@+1 {{'ember.matmul' op expects operands of one element type, got 'f32' and 'f64'}}
  %0 = ember.matmul %a, %b : (tensor<2x3xf32>, tensor<3x4xf64>) -> tensor<2x4xf32>
  return
}

// -----

// Tests that the verifier reports matmul of bool operands.
func.func @matmul_of_bool_operands(%a: tensor<2x3xi1>, %b: tensor<3x4xi1>) {
  // expected-error@+1 {{'ember.matmul' op is not implemented for bool operands}}
  %0 = ember.matmul %a, %b : (tensor<2x3xi1>, tensor<3x4xi1>) -> tensor<2x4xi1>
  return
}

// -----

// Tests that the verifier reports matmul with contracting dims that differ.
func.func @matmul_with_contracting_dims_that_differ(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error@+1 {{'ember.matmul' op contracting dimensions differ (3 vs 4): shapes 2x3 and 4x5}}
  %0 = ember.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

// Tests that the verifier reports bmm with batch sizes that differ.
func.func @bmm_with_batch_sizes_that_differ(%a: tensor<2x2x3xf32>, %b: tensor<4x3x5xf32>) {
  // expected-error@+1 {{'ember.bmm' op batch sizes differ: shapes 2x2x3 and 4x3x5}}
  %0 = ember.bmm %a, %b : (tensor<2x2x3xf32>, tensor<4x3x5xf32>) -> tensor<2x2x5xf32>
  return
}

// -----

// Tests that the verifier reports matmul with batch dims that do not broadcast.
func.func @matmul_with_batch_dims_that_do_not_broadcast(%a: tensor<2x2x3xf32>, %b: tensor<5x3x4xf32>) {
  // expected-error@+1 {{'ember.matmul' op batch dimensions are not broadcast-compatible: shapes 2x2x3 and 5x3x4}}
  %0 = ember.matmul %a, %b : (tensor<2x2x3xf32>, tensor<5x3x4xf32>) -> tensor<2x2x4xf32>
  return
}

// -----

// Tests that the verifier reports conv2d of a 2-D input.
func.func @conv2d_of_a_2_d_input(%a: tensor<3x4xf32>, %b: tensor<1x1x1x1xf32>) {
  // expected-error@+1 {{'ember.conv2d' op expects a 3-D (unbatched) or 4-D input, got 3x4}}
  %0 = ember.conv2d %a, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<3x4xf32>, tensor<1x1x1x1xf32>) -> tensor<3x4xf32>
  return
}

// -----

// Tests that the verifier reports conv2d with a 3-D weight.
func.func @conv2d_with_a_3_d_weight(%a: tensor<1x1x4x4xf32>, %b: tensor<1x1x1xf32>) {
  // expected-error@+1 {{'ember.conv2d' op expects a 4-D weight [C_out, C_in/groups, kH, kW], got 1x1x1}}
  %0 = ember.conv2d %a, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<1x1x1xf32>) -> tensor<1x1x4x4xf32>
  return
}

// -----

// Tests that the verifier reports conv2d of different element types.
func.func @conv2d_of_different_element_types(%a: tensor<1x1x4x4xf32>, %b: tensor<1x1x1x1xf64>) {
  // expected-error@+1 {{'ember.conv2d' op expects input, weight and bias of one element type, got 'f32', 'f64'}}
  %0 = ember.conv2d %a, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf64>) -> tensor<1x1x4x4xf32>
  return
}

// -----

// Tests that the verifier reports conv2d of bool tensors.
func.func @conv2d_of_bool_tensors(%a: tensor<1x1x4x4xi1>, %b: tensor<1x1x1x1xi1>) {
  // expected-error@+1 {{'ember.conv2d' op is not implemented for bool tensors}}
  %0 = ember.conv2d %a, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x4x4xi1>, tensor<1x1x1x1xi1>) -> tensor<1x1x4x4xi1>
  return
}

// -----

// Tests that the verifier reports a window attribute without two entries.
func.func @a_window_attribute_without_two_entries(%a: tensor<1x1x4x4xf32>, %b: tensor<1x1x1x1xf32>) {
  // expected-error@+1 {{'ember.conv2d' op expects 'stride' to have 2 entries (height, width), got 1}}
  %0 = ember.conv2d %a, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1>} : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  return
}

// -----

// Tests that the verifier reports conv2d with a zero stride.
func.func @conv2d_with_a_zero_stride(%a: tensor<1x1x4x4xf32>, %b: tensor<1x1x1x1xf32>) {
  // expected-error@+1 {{'ember.conv2d' op expects positive stride and dilation and non-negative padding}}
  %0 = ember.conv2d %a, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 0, 0>, stride = array<i64: 0, 1>} : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  return
}

// -----

// Tests that the verifier reports conv2d with groups that do not divide C_out.
func.func @conv2d_with_groups_that_do_not_divide_c_out(%a: tensor<1x4x4x4xf32>, %b: tensor<3x2x1x1xf32>) {
  // expected-error@+1 {{'ember.conv2d' op groups=2 must be positive and divide the weight's C_out (3)}}
  %0 = ember.conv2d %a, %b {dilation = array<i64: 1, 1>, groups = 2 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x4x4xf32>
  return
}

// -----

// Tests that the verifier reports conv2d with the wrong number of input channels.
func.func @conv2d_with_the_wrong_number_of_input_channels(%a: tensor<1x3x4x4xf32>, %b: tensor<2x2x1x1xf32>) {
  // expected-error@+1 {{'ember.conv2d' op expects an input with 2 channels (weight 2x2x1x1, groups 1), got 3}}
  %0 = ember.conv2d %a, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

// Tests that the verifier reports conv2d with a bias of the wrong length.
func.func @conv2d_with_a_bias_of_the_wrong_length(%a: tensor<1x1x4x4xf32>, %b: tensor<2x1x1x1xf32>, %c: tensor<3xf32>) {
  // expected-error@+1 {{'ember.conv2d' op expects a 1-D bias of 2 elements, got 3}}
  %0 = ember.conv2d %a, %b, %c {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<3xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

// Tests that the verifier reports conv2d with a kernel larger than the input.
func.func @conv2d_with_a_kernel_larger_than_the_input(%a: tensor<1x1x2x2xf32>, %b: tensor<1x1x3x3xf32>) {
  // expected-error@+1 {{'ember.conv2d' op the kernel (3x3, dilated) is larger than the padded input (2x2)}}
  %0 = ember.conv2d %a, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x1x1xf32>
  return
}

// -----

// Tests that the verifier reports max_pool2d of an integer tensor.
func.func @max_pool2d_of_an_integer_tensor(%a: tensor<1x1x4x4xi64>) {
  // expected-error@+1 {{'ember.max_pool2d' op expects a f32 or f64 input, got 'tensor<1x1x4x4xi64>'}}
  %0 = ember.max_pool2d %a {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x1x4x4xi64>) -> tensor<1x1x2x2xi64>
  return
}

// -----

// Tests that the verifier reports avg_pool2d of an i32 tensor.
func.func @avg_pool2d_of_an_i32_tensor(%a: tensor<1x1x4x4xi32>) {
  // expected-error@+1 {{'ember.avg_pool2d' op expects a f32, f64 or i64 input, got 'tensor<1x1x4x4xi32>'}}
  %0 = ember.avg_pool2d %a {ceil_mode = false, count_include_pad = true, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x1x4x4xi32>) -> tensor<1x1x2x2xi32>
  return
}

// -----

// Tests that the verifier reports pooling of a 2-D input.
func.func @pooling_of_a_2_d_input(%a: tensor<4x4xf32>) {
  // expected-error@+1 {{'ember.max_pool2d' op expects a 3-D or 4-D input, got 4x4}}
  %0 = ember.max_pool2d %a {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return
}

// -----

// Tests that the verifier reports pooling with a zero kernel.
func.func @pooling_with_a_zero_kernel(%a: tensor<1x4x4xf32>) {
  // expected-error@+1 {{'ember.max_pool2d' op expects positive kernel_size, stride and dilation}}
  %0 = ember.max_pool2d %a {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 0, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4xf32>) -> tensor<1x2x2xf32>
  return
}

// -----

// Tests that the verifier reports pooling with padding over half the kernel.
func.func @pooling_with_padding_over_half_the_kernel(%a: tensor<1x4x4xf32>) {
  // expected-error@+1 {{'ember.max_pool2d' op expects padding to be at most half of the kernel size, got padding 2 for kernel size 2}}
  %0 = ember.max_pool2d %a {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 2, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4xf32>) -> tensor<1x2x2xf32>
  return
}

// -----

// Tests that the verifier reports pooling with a window larger than the input.
func.func @pooling_with_a_window_larger_than_the_input(%a: tensor<1x1x1xf32>) {
  // expected-error@+1 {{'ember.max_pool2d' op the output size is too small (input 1x1x1)}}
  %0 = ember.max_pool2d %a {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 3, 3>, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1xf32>) -> tensor<1x1x1xf32>
  return
}

// -----

// Tests that the verifier reports max_pool2d_backward with a grad_output not of the pooled shape.
func.func @max_pool2d_backward_with_a_grad_output_not_of_th(%a: tensor<1x1x3x3xf32>, %b: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{'ember.max_pool2d_backward' op expects grad_output of the pooled shape 1x1x2x2, got 1x1x3x3}}
  %0 = ember.max_pool2d_backward %a, %b {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  return
}

// -----

// Tests that the verifier reports max_pool2d_backward of different element types.
func.func @max_pool2d_backward_of_different_element_types(%a: tensor<1x1x2x2xf32>, %b: tensor<1x1x4x4xf64>) {
  // expected-error@+1 {{'ember.max_pool2d_backward' op expects operands of one element type, got 'f32' and 'f64'}}
  %0 = ember.max_pool2d_backward %a, %b {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>, tensor<1x1x4x4xf64>) -> tensor<1x1x4x4xf32>
  return
}

// -----

// Tests that the verifier reports conv2d_backward_input with operands of different element types.
func.func @conv2d_backward_input_with_operands_of_different(%a: tensor<1x1x4x4xf32>, %b: tensor<1x1x1x1xf64>) {
  // expected-error@+1 {{'ember.conv2d_backward_input' op expects operands of one element type, got 'f32' and 'f64'}}
  %0 = ember.conv2d_backward_input %a, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, input_size = array<i64: 1, 1, 4, 4>, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf64>) -> tensor<1x1x4x4xf32>
  return
}

// -----

// Tests that the verifier reports reshape with two inferred dims.
func.func @reshape_with_two_inferred_dims(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.reshape' op only one dimension can be inferred (-1), got shape -1x-1}}
  %0 = ember.reshape %a {shape = array<i64: -1, -1>} : (tensor<2x3xf32>) -> tensor<6x1xf32>
  return
}

// -----

// Tests that the verifier reports reshape with a negative dim other than -1.
func.func @reshape_with_a_negative_dim_other_than_1(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.reshape' op invalid dimension -2 in shape}}
  %0 = ember.reshape %a {shape = array<i64: -2, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that the verifier reports view to a shape of another element count.
func.func @view_to_a_shape_of_another_element_count(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.view' op shape [4x2] is invalid for an input of 6 elements}}
  %0 = ember.view %a {shape = array<i64: 4, 2>} : (tensor<2x3xf32>) -> tensor<4x2xf32>
  return
}

// -----

// Tests that the verifier reports permute with too few dims.
func.func @permute_with_too_few_dims(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.permute' op expects 2 dims (the input's rank), got 1}}
  %0 = ember.permute %a {dims = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<2xf32>
  return
}

// -----

// Tests that the verifier reports permute with a repeated dim.
func.func @permute_with_a_repeated_dim(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.permute' op repeated dim -1 in dims}}
  %0 = ember.permute %a {dims = array<i64: 1, -1>} : (tensor<2x3xf32>) -> tensor<3x3xf32>
  return
}

// -----

// Tests that the verifier reports transpose with a dim out of range.
func.func @transpose_with_a_dim_out_of_range(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.transpose' op dim1 2 is out of range for a tensor of rank 2 (expected it in [-2, 1])}}
  %0 = ember.transpose %a {dim0 = 0 : i64, dim1 = 2 : i64} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

// Tests that the verifier reports expand to fewer dims.
func.func @expand_to_fewer_dims(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.expand' op the number of sizes provided (1) must be greater or equal to the input's rank (2)}}
  %0 = ember.expand %a {shape = array<i64: 3>} : (tensor<2x3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports expand with -1 in a new leading dim.
func.func @expand_with_1_in_a_new_leading_dim(%a: tensor<3xf32>) {
  // expected-error@+1 {{'ember.expand' op the expanded size -1 is not allowed in a new leading dimension}}
  %0 = ember.expand %a {shape = array<i64: -1, 3>} : (tensor<3xf32>) -> tensor<1x3xf32>
  return
}

// -----

// Tests that the verifier reports expand of a non-singleton dim.
func.func @expand_of_a_non_singleton_dim(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.expand' op the expanded size 4 must match the existing size 2 at non-singleton dimension 0}}
  %0 = ember.expand %a {shape = array<i64: 4, 3>} : (tensor<2x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that the verifier reports flatten with start_dim after end_dim.
func.func @flatten_with_start_dim_after_end_dim(%a: tensor<2x3x4xf32>) {
  // expected-error@+1 {{'ember.flatten' op start_dim (1) cannot come after end_dim (0)}}
  %0 = ember.flatten %a {end_dim = 0 : i64, start_dim = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<24xf32>
  return
}

// -----

// Tests that the verifier reports narrow of a 0-d tensor.
func.func @narrow_of_a_0_d_tensor(%a: tensor<f32>) {
  // expected-error@+1 {{'ember.narrow' op cannot be applied to a 0-d tensor}}
  %0 = ember.narrow %a {dim = 0 : i64, length = 1 : i64, start = 0 : i64} : (tensor<f32>) -> tensor<f32>
  return
}

// -----

// Tests that the verifier reports narrow with start out of range.
func.func @narrow_with_start_out_of_range(%a: tensor<4xf32>) {
  // expected-error@+1 {{'ember.narrow' op start (5) is out of range for dimension 0 of size 4}}
  %0 = ember.narrow %a {dim = 0 : i64, length = 1 : i64, start = 5 : i64} : (tensor<4xf32>) -> tensor<1xf32>
  return
}

// -----

// Tests that the verifier reports narrow past the end of the dim.
func.func @narrow_past_the_end_of_the_dim(%a: tensor<4xf32>) {
  // expected-error@+1 {{'ember.narrow' op start (2) + length (3) exceeds dimension size (4)}}
  %0 = ember.narrow %a {dim = 0 : i64, length = 3 : i64, start = 2 : i64} : (tensor<4xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports slice with a zero step.
func.func @slice_with_a_zero_step(%a: tensor<4xf32>) {
  // expected-error@+1 {{'ember.slice' op slice step must be positive, got 0}}
  %0 = ember.slice %a {dim = 0 : i64, step = 0 : i64} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Tests that the verifier reports select with an index out of range.
func.func @select_with_an_index_out_of_range(%a: tensor<4x2xf32>) {
  // expected-error@+1 {{'ember.select' op index 4 is out of range for dimension 0 of size 4}}
  %0 = ember.select %a {dim = 0 : i64, index = 4 : i64} : (tensor<4x2xf32>) -> tensor<2xf32>
  return
}

// -----

// Tests that the verifier reports as_strided with size and stride of different lengths.
func.func @as_strided_with_size_and_stride_of_different_len(%a: tensor<9xf32>) {
  // expected-error@+1 {{'ember.as_strided' op mismatch in length of stride (1) and size (2)}}
  %0 = ember.as_strided %a {size = array<i64: 2, 2>, stride = array<i64: 1>} : (tensor<9xf32>) -> tensor<2x2xf32>
  return
}

// -----

// Tests that the verifier reports as_strided with a negative stride.
func.func @as_strided_with_a_negative_stride(%a: tensor<9xf32>) {
  // expected-error@+1 {{'ember.as_strided' op expects non-negative size, stride and storage_offset}}
  %0 = ember.as_strided %a {size = array<i64: 2>, stride = array<i64: -1>} : (tensor<9xf32>) -> tensor<2xf32>
  return
}

// -----

// Tests that the verifier reports cat of no tensors.
func.func @cat_of_no_tensors() {
  // expected-error@+1 {{'ember.cat' op expects a non-empty list of tensors}}
  %0 = ember.cat {dim = 0 : i64} : () -> tensor<0xf32>
  return
}

// -----

// Tests that the verifier reports cat of a 0-d tensor.
func.func @cat_of_a_0_d_tensor(%a: tensor<f32>, %b: tensor<2xf32>) {
  // expected-error@+1 {{'ember.cat' op zero-dimensional tensor (at position 0) cannot be concatenated}}
  %0 = ember.cat %a, %b {dim = 0 : i64} : (tensor<f32>, tensor<2xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports cat of tensors of different ranks.
func.func @cat_of_tensors_of_different_ranks(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error@+1 {{'ember.cat' op tensors must have the same rank: got 2x3 and 3 (tensor 1)}}
  %0 = ember.cat %a, %b {dim = 0 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<5x3xf32>
  return
}

// -----

// Tests that the verifier reports cat of tensors that differ outside dim.
func.func @cat_of_tensors_that_differ_outside_dim(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) {
  // expected-error@+1 {{'ember.cat' op sizes of tensors must match except in dimension 0: got 2x3 and 2x4 (tensor 1)}}
  %0 = ember.cat %a, %b {dim = 0 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that the verifier reports stack of no tensors.
func.func @stack_of_no_tensors() {
  // expected-error@+1 {{'ember.stack' op expects a non-empty list of tensors}}
  %0 = ember.stack {dim = 0 : i64} : () -> tensor<0xf32>
  return
}

// -----

// Tests that the verifier reports stack of tensors of different shapes.
func.func @stack_of_tensors_of_different_shapes(%a: tensor<3xf32>, %b: tensor<4xf32>) {
  // expected-error@+1 {{'ember.stack' op expects tensors of one shape, got 3 at entry 0 and 4 at entry 1}}
  %0 = ember.stack %a, %b {dim = 0 : i64} : (tensor<3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that the verifier reports fill_ with a value tensor that is not 0-d.
func.func @fill_with_a_value_tensor_that_is_not_0_d(%a: tensor<3xf32>, %b: tensor<1xf32>) {
  // expected-error@+1 {{'ember.fill_' op expects a 0-d value tensor, got 'tensor<1xf32>'}}
  %0 = ember.fill_ %a, %b {value = 0.0 : f64} : (tensor<3xf32>, tensor<1xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports copy_ from a source that does not broadcast to self.
func.func @copy_from_a_source_that_does_not_broadcast_to_se(%a: tensor<3xf32>, %b: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.copy_' op source of shape 2x3 cannot be broadcast to the destination's shape 3}}
  %0 = ember.copy_ %a, %b : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports gather with an i32 index.
func.func @gather_with_an_i32_index(%a: tensor<4x3xf32>, %b: tensor<4x1xi32>) {
  // expected-error@+1 {{'ember.gather' op expects an i64 index, got 'tensor<4x1xi32>'}}
  %0 = ember.gather %a, %b {dim = 1 : i64} : (tensor<4x3xf32>, tensor<4x1xi32>) -> tensor<4x1xf32>
  return
}

// -----

// Tests that the verifier reports gather with an index of another rank.
func.func @gather_with_an_index_of_another_rank(%a: tensor<4x3xf32>, %b: tensor<4xi64>) {
  // expected-error@+1 {{'ember.gather' op index must have the input's rank (index 4, input 4x3)}}
  %0 = ember.gather %a, %b {dim = 1 : i64} : (tensor<4x3xf32>, tensor<4xi64>) -> tensor<4xf32>
  return
}

// -----

// Tests that the verifier reports scatter_add with src of another element type.
func.func @scatter_add_with_src_of_another_element_type(%a: tensor<4x3xf32>, %b: tensor<2x3xi64>, %c: tensor<2x3xf64>) {
  // expected-error@+1 {{'ember.scatter_add' op expects src of the input's element type 'f32', got 'f64'}}
  %0 = ember.scatter_add %a, %b, %c {dim = 0 : i64} : (tensor<4x3xf32>, tensor<2x3xi64>, tensor<2x3xf64>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that the verifier reports scatter_add with operands of different ranks.
func.func @scatter_add_with_operands_of_different_ranks(%a: tensor<4x3xf32>, %b: tensor<2xi64>, %c: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.scatter_add' op index, input and src must have one rank (index 2, input 4x3, src 2x3)}}
  %0 = ember.scatter_add %a, %b, %c {dim = 0 : i64} : (tensor<4x3xf32>, tensor<2xi64>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that the verifier reports index_select with a float index.
func.func @index_select_with_a_float_index(%a: tensor<4x3xf32>, %b: tensor<2xf32>) {
  // expected-error@+1 {{'ember.index_select' op expects an i64 or i32 index, got 'tensor<2xf32>'}}
  %0 = ember.index_select %a, %b {dim = 0 : i64} : (tensor<4x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that the verifier reports index_select with a 2-D index.
func.func @index_select_with_a_2_d_index(%a: tensor<4x3xf32>, %b: tensor<2x2xi64>) {
  // expected-error@+1 {{'ember.index_select' op expects a 0-d or 1-D index, got 'tensor<2x2xi64>'}}
  %0 = ember.index_select %a, %b {dim = 0 : i64} : (tensor<4x3xf32>, tensor<2x2xi64>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that the verifier reports index_tensor without indices.
func.func @index_tensor_without_indices(%a: tensor<4x3xf32>) {
  // expected-error@+1 {{'ember.index_tensor' op expects at least one index tensor}}
  %0 = ember.index_tensor %a : (tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that the verifier reports index_tensor with a float index.
func.func @index_tensor_with_a_float_index(%a: tensor<4x3xf32>, %b: tensor<2xf32>) {
  // expected-error@+1 {{'ember.index_tensor' op expects i64, i32, ui8 or i1 index tensors, got 'tensor<2xf32>' at position 0}}
  %0 = ember.index_tensor %a, %b : (tensor<4x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that the verifier reports index_tensor with more indices than dims.
func.func @index_tensor_with_more_indices_than_dims(%a: tensor<4xf32>, %b: tensor<2xi64>, %c: tensor<2xi64>) {
  // expected-error@+1 {{'ember.index_tensor' op too many indices for a tensor of rank 1 (got 2)}}
  %0 = ember.index_tensor %a, %b, %c : (tensor<4xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<2xf32>
  return
}

// -----

// Tests that the verifier reports index_tensor with indices that do not broadcast.
func.func @index_tensor_with_indices_that_do_not_broadcast(%a: tensor<4x3xf32>, %b: tensor<2xi64>, %c: tensor<3xi64>) {
  // expected-error@+1 {{'ember.index_tensor' op indexing tensors cannot be broadcast together: 2 and 3}}
  %0 = ember.index_tensor %a, %b, %c : (tensor<4x3xf32>, tensor<2xi64>, tensor<3xi64>) -> tensor<2xf32>
  return
}

// -----

// Tests that the verifier reports index_tensor with a mask of the wrong shape.
func.func @index_tensor_with_a_mask_of_the_wrong_shape(%a: tensor<4x3xf32>, %b: tensor<5xi1>) {
  // expected-error@+1 {{'ember.index_tensor' op the mask's shape 5 does not match the indexed tensor's shape 4x3 at dim 0}}
  %0 = ember.index_tensor %a, %b : (tensor<4x3xf32>, tensor<5xi1>) -> tensor<?x3xf32>
  return
}

// -----

// Tests that the verifier reports index_tensor with a mask of more dims than the tensor.
func.func @index_tensor_with_a_mask_of_more_dims_than_the_t(%a: tensor<4xf32>, %b: tensor<4x1xi1>) {
  // expected-error@+1 {{'ember.index_tensor' op too many indices for a tensor of rank 1}}
  %0 = ember.index_tensor %a, %b : (tensor<4xf32>, tensor<4x1xi1>) -> tensor<?xf32>
  return
}

// -----

// Tests that the verifier reports index_put_ with values of another element type.
func.func @index_put_with_values_of_another_element_type(%a: tensor<4x3xf32>, %b: tensor<3xf64>, %c: tensor<2xi64>) {
  // expected-error@+1 {{'ember.index_put_' op expects values of self's element type 'f32', got 'f64'}}
  %0 = ember.index_put_ %a, %b, %c : (tensor<4x3xf32>, tensor<3xf64>, tensor<2xi64>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that the verifier reports index_put_ with values that do not broadcast to the indexed shape.
func.func @index_put_with_values_that_do_not_broadcast_to_t(%a: tensor<4x3xf32>, %b: tensor<4xf32>, %c: tensor<2xi64>) {
  // expected-error@+1 {{'ember.index_put_' op values of shape 4 cannot be broadcast to the indexing result's shape 2x3}}
  %0 = ember.index_put_ %a, %b, %c : (tensor<4x3xf32>, tensor<4xf32>, tensor<2xi64>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that the verifier reports one_hot of an i32 tensor.
func.func @one_hot_of_an_i32_tensor(%a: tensor<4xi32>) {
  // expected-error@+1 {{'ember.one_hot' op expects an i64 tensor of class indices, got 'tensor<4xi32>'}}
  %0 = ember.one_hot %a {num_classes = 3 : i64} : (tensor<4xi32>) -> tensor<4x3xi32>
  return
}

// -----

// Tests that the verifier reports one_hot with num_classes below -1.
func.func @one_hot_with_num_classes_below_1(%a: tensor<4xi64>) {
  // expected-error@+1 {{'ember.one_hot' op num_classes must be -1 (inferred) or non-negative, got -2}}
  %0 = ember.one_hot %a {num_classes = -2 : i64} : (tensor<4xi64>) -> tensor<4x3xi64>
  return
}

// -----

// Tests that the verifier reports a factory with a negative size.
func.func @a_factory_with_a_negative_size() {
  // expected-error@+1 {{'ember.full' op negative dimension -1 in size [-1]}}
  %0 = ember.full {device = "cpu", dtype = f32, size = array<i64: -1>, value = 0.0 : f64} : tensor<1xf32>
  return
}

// -----

// Tests that the verifier reports arange with a zero step.
func.func @arange_with_a_zero_step() {
  // expected-error@+1 {{'ember.arange' op step must be nonzero}}
  %0 = ember.arange {device = "cpu", dtype = i64, end = 3 : i64, start = 0 : i64, step = 0 : i64} : tensor<3xi64>
  return
}

// -----

// Tests that the verifier reports arange with a non-finite bound.
func.func @arange_with_a_non_finite_bound() {
  // expected-error@+1 {{'ember.arange' op unsupported range: 0.000000e+00 -> INF}}
  %0 = ember.arange {device = "cpu", dtype = f64, end = 0x7FF0000000000000 : f64, start = 0 : i64, step = 1 : i64} : tensor<3xf64>
  return
}

// -----

// Tests that the verifier reports arange with a step pointing away from end.
func.func @arange_with_a_step_pointing_away_from_end() {
  // expected-error@+1 {{'ember.arange' op upper bound and larger bound inconsistent with step sign}}
  %0 = ember.arange {device = "cpu", dtype = i64, end = 3 : i64, start = 0 : i64, step = -1 : i64} : tensor<3xi64>
  return
}

// -----

// Tests that the verifier reports arange without start.
func.func @arange_without_start() {
  // expected-error@+1 {{'ember.arange' op requires attribute 'start'}}
  %0 = ember.arange {device = "cpu", dtype = i64, end = 3 : i64, step = 1 : i64} : tensor<3xi64>
  return
}

// -----

// Tests that the verifier reports linspace with negative steps.
func.func @linspace_with_negative_steps() {
  // expected-error@+1 {{'ember.linspace' op number of steps must be non-negative, got -1}}
  %0 = ember.linspace {device = "cpu", dtype = f32, end = 1.0 : f64, start = 0.0 : f64, steps = -1 : i64} : tensor<1xf32>
  return
}

// -----

// Tests that the verifier reports eye with a negative size.
func.func @eye_with_a_negative_size() {
  // expected-error@+1 {{'ember.eye' op n and m must be non-negative, got 2 and -1}}
  %0 = ember.eye {device = "cpu", dtype = f32, m = -1 : i64, n = 2 : i64} : tensor<2x1xf32>
  return
}

// -----

// Tests that the verifier reports randint with low >= high.
func.func @randint_with_low_high() {
  // expected-error@+1 {{'ember.randint' op expects low < high, got low=0 and high=0}}
  %0 = ember.randint {device = "cpu", dtype = i64, high = 0 : i64, low = 0 : i64, offset = 0 : i64, seed = 0 : i64, size = array<i64: 2>} : tensor<2xi64>
  return
}

// -----

// Tests that the verifier reports randperm of bool.
func.func @randperm_of_bool() {
  // expected-error@+1 {{'ember.randperm' op is not implemented for dtype i1 (bool)}}
  %0 = ember.randperm {device = "cpu", dtype = i1, n = 2 : i64, offset = 0 : i64, seed = 0 : i64} : tensor<2xi1>
  return
}

// -----

// Tests that the verifier reports randperm of negative n.
func.func @randperm_of_negative_n() {
  // expected-error@+1 {{'ember.randperm' op n must be non-negative, got -2}}
  %0 = ember.randperm {device = "cpu", dtype = i64, n = -2 : i64, offset = 0 : i64, seed = 0 : i64} : tensor<2xi64>
  return
}

// -----

// Tests that the verifier reports uniform_ of an integer tensor.
func.func @uniform_of_an_integer_tensor(%a: tensor<3xi64>) {
  // expected-error@+1 {{'ember.uniform_' op expects a floating point tensor, got 'tensor<3xi64>'}}
  %0 = ember.uniform_ %a {from = 0.0 : f64, offset = 0 : i64, seed = 0 : i64, to = 1.0 : f64} : (tensor<3xi64>) -> tensor<3xi64>
  return
}

// -----

// Tests that the verifier reports uniform_ with from > to.
func.func @uniform_with_from_to(%a: tensor<3xf32>) {
  // expected-error@+1 {{'ember.uniform_' op expects from <= to, got from=2.000000e+00 and to=1.000000e+00}}
  %0 = ember.uniform_ %a {from = 2.0 : f64, offset = 0 : i64, seed = 0 : i64, to = 1.0 : f64} : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports normal_ with a negative std.
func.func @normal_with_a_negative_std(%a: tensor<3xf32>) {
  // expected-error@+1 {{'ember.normal_' op expects std >= 0, got -1.000000e+00}}
  %0 = ember.normal_ %a {mean = 0.0 : f64, offset = 0 : i64, seed = 0 : i64, std = -1.0 : f64} : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports bernoulli of an integer tensor.
func.func @bernoulli_of_an_integer_tensor(%a: tensor<3xi64>) {
  // expected-error@+1 {{'ember.bernoulli' op expects a floating point tensor of probabilities, got 'tensor<3xi64>'}}
  %0 = ember.bernoulli %a {offset = 0 : i64, seed = 0 : i64} : (tensor<3xi64>) -> tensor<3xi64>
  return
}

// -----

// Tests that the verifier reports a constant of a vector literal.
func.func @a_constant_of_a_vector_literal() {
  // expected-error@+1 {{'ember.constant' op value must be a ranked tensor of f32, f64, i32, i64, i1 or ui8, got 'vector<2xf32>'}}
  %0 = ember.constant dense<[1.0, 2.0]> : vector<2xf32>
  return
}

// -----

// Tests that the verifier reports a constant of an f16 literal.
func.func @a_constant_of_an_f16_literal() {
  // expected-error@+1 {{'ember.constant' op value must be a ranked tensor of f32, f64, i32, i64, i1 or ui8, got 'tensor<2xf16>'}}
  %0 = ember.constant dense<[1.0, 2.0]> : tensor<2xf16>
  return
}

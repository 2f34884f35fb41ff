// RUN: ember-opt %s --split-input-file --verify-diagnostics

// Every verifier message of the ember ops, one case each (the shape and
// dtype rules of lib/IR/TypeRules.h and the ODS constraints).
// -----

// Tests that the verifier reports a result type that is not the rule's.
func.func @case0(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error@+1 {{'ember.add' op result #0 has type 'tensor<2x3xf64>', expected 'tensor<2x3xf32>'}}
  %0 = ember.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf64>
  return
}

// -----

// Tests that the verifier reports a result shape that is not the rule's.
func.func @case1(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.relu' op result #0 has type 'tensor<3x2xf32>', expected 'tensor<2x3xf32>'}}
  %0 = ember.relu %a : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

// Tests that the verifier reports an operand that is not an ember tensor.
func.func @case2(%a: tensor<2xf16>) {
  // expected-error@+1 {{'ember.abs' op operand #0 must be ranked tensor of 32-bit float or 64-bit float or 32-bit signless integer or 64-bit signless integer or 1-bit signless integer or 8-bit unsigned integer values, but got 'tensor<2xf16>'}}
  %0 = ember.abs %a : (tensor<2xf16>) -> tensor<2xf16>
  return
}

// -----

// Tests that the verifier reports an unranked operand.
func.func @case3(%a: tensor<*xf32>) {
  // expected-error@+1 {{'ember.exp' op operand #0 must be ranked tensor of 32-bit float or 64-bit float or 32-bit signless integer or 64-bit signless integer or 1-bit signless integer or 8-bit unsigned integer values, but got 'tensor<*xf32>'}}
  %0 = ember.exp %a : (tensor<*xf32>) -> tensor<*xf32>
  return
}

// -----

// Tests that the verifier reports a missing required attribute.
func.func @case4(%a: tensor<4xf32>) {
  // expected-error@+1 {{'ember.softmax' op requires attribute 'dim'}}
  %0 = ember.softmax %a : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Tests that the verifier reports an attribute of the wrong kind (a Scalar must be f64, i64 or bool).
func.func @case5(%a: tensor<4xf32>) {
  // expected-error@+1 {{'ember.clamp' op attribute 'min' failed to satisfy constraint: 64-bit float attribute or 64-bit signless integer attribute or bool attribute}}
  %0 = ember.clamp %a {min = "zero"} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Tests that the verifier reports a dtype attribute that is not an ember element type.
func.func @case6() {
  // expected-error@+1 {{'ember.empty' op attribute 'dtype' failed to satisfy constraint: element type attribute (f32, f64, i32, i64, i1 or ui8)}}
  %0 = ember.empty {device = "cpu", dtype = f16, size = array<i64: 2>} : tensor<2xf16>
  return
}

// -----

// Tests that the verifier reports neg of a bool tensor.
func.func @case7(%a: tensor<3xi1>) {
  // expected-error@+1 {{'ember.neg' op negation of a bool tensor is not supported (use logical_not)}}
  %0 = ember.neg %a : (tensor<3xi1>) -> tensor<3xi1>
  return
}

// -----

// Tests that the verifier reports exp of an integer tensor must give a float type.
func.func @case8(%a: tensor<3xi32>) {
  // expected-error@+1 {{'ember.exp' op result #0 has type 'tensor<3xi32>', expected 'tensor<3xf32>' or 'tensor<3xf64>'}}
  %0 = ember.exp %a : (tensor<3xi32>) -> tensor<3xi32>
  return
}

// -----

// Tests that the verifier reports gelu of an integer tensor.
func.func @case9(%a: tensor<3xi64>) {
  // expected-error@+1 {{'ember.gelu' op expects a floating point operand, got 'tensor<3xi64>'}}
  %0 = ember.gelu %a {approximate = "none"} : (tensor<3xi64>) -> tensor<3xi64>
  return
}

// -----

// Tests that the verifier reports gelu with an unknown approximation.
func.func @case10(%a: tensor<3xf32>) {
  // expected-error@+1 {{'ember.gelu' op approximate must be "none" or "tanh", got "erf"}}
  %0 = ember.gelu %a {approximate = "erf"} : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports clamp without bounds.
func.func @case11(%a: tensor<3xf32>) {
  // expected-error@+1 {{'ember.clamp' op at least one of 'min' or 'max' must be given}}
  %0 = ember.clamp %a : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports clamp_ of an integer tensor with a float bound.
func.func @case12(%a: tensor<3xi64>) {
  // expected-error@+1 {{'ember.clamp_' op a floating point bound cannot be written into 'tensor<3xi64>'}}
  %0 = ember.clamp_ %a {max = 2.5 : f64} : (tensor<3xi64>) -> tensor<3xi64>
  return
}

// -----

// Tests that the verifier reports operands that do not broadcast.
func.func @case13(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) {
  // expected-error@+1 {{'ember.add' op operand shapes are not broadcast-compatible: 2x3 and 4x3}}
  %0 = ember.add %a, %b : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that the verifier reports sub of bool tensors.
func.func @case14(%a: tensor<3xi1>, %b: tensor<3xi1>) {
  // expected-error@+1 {{'ember.sub' op subtraction of bool tensors is not supported (use logical_xor)}}
  %0 = ember.sub %a, %b : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  return
}

// -----

// Tests that the verifier reports a float alpha with integer operands.
func.func @case15(%a: tensor<3xi64>, %b: tensor<3xi64>) {
  // expected-error@+1 {{'ember.add' op for integral input tensors, alpha must not be a floating point number (result type 'i64')}}
  %0 = ember.add %a, %b {alpha = 0.5 : f64} : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  return
}

// -----

// Tests that the verifier reports an in-place op whose other operand does not broadcast to self.
func.func @case16(%a: tensor<3xf32>, %b: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.add_' op other of shape 2x3 does not broadcast to self's shape 3}}
  %0 = ember.add_ %a, %b : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports an in-place op whose promoted type cannot be written into self.
func.func @case17(%a: tensor<3xi64>, %b: tensor<3xf32>) {
  // expected-error@+1 {{'ember.mul_' op result type 'f32' can't be cast to the desired output type 'i64'}}
  %0 = ember.mul_ %a, %b : (tensor<3xi64>, tensor<3xf32>) -> tensor<3xi64>
  return
}

// -----

// Tests that the verifier reports where with a non-bool condition.
func.func @case18(%a: tensor<3xf32>, %b: tensor<3xf32>, %c: tensor<3xf32>) {
  // expected-error@+1 {{'ember.where' op expects an i1 (bool) condition, got 'tensor<3xf32>'}}
  %0 = ember.where %a, %b, %c : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports where with operands that do not broadcast.
func.func @case19(%a: tensor<3xi1>, %b: tensor<3xf32>, %c: tensor<4xf32>) {
  // expected-error@+1 {{'ember.where' op operand shapes are not broadcast-compatible: 3, 3 and 4}}
  %0 = ember.where %a, %b, %c : (tensor<3xi1>, tensor<3xf32>, tensor<4xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports masked_fill with a non-bool mask.
func.func @case20(%a: tensor<3xf32>, %b: tensor<3xi64>) {
  // expected-error@+1 {{'ember.masked_fill' op expects an i1 (bool) mask, got 'tensor<3xi64>'}}
  %0 = ember.masked_fill %a, %b {value = 0.0 : f64} : (tensor<3xf32>, tensor<3xi64>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports masked_fill of an integer tensor with a float value.
func.func @case21(%a: tensor<3xi64>, %b: tensor<3xi1>) {
  // expected-error@+1 {{'ember.masked_fill' op a floating point value cannot be converted to 'i64'}}
  %0 = ember.masked_fill %a, %b {value = 0.5 : f64} : (tensor<3xi64>, tensor<3xi1>) -> tensor<3xi64>
  return
}

// -----

// Tests that the verifier reports masked_fill_ with a mask larger than self.
func.func @case22(%a: tensor<3xf32>, %b: tensor<2x3xi1>) {
  // expected-error@+1 {{'ember.masked_fill_' op mask of shape 2x3 does not broadcast to self's shape 3}}
  %0 = ember.masked_fill_ %a, %b {value = 0.0 : f64} : (tensor<3xf32>, tensor<2x3xi1>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports a reduction dim out of range.
func.func @case23(%a: tensor<4x3xf32>) {
  // expected-error@+1 {{'ember.sum' op dim 2 is out of range for a tensor of rank 2 (expected it in [-2, 1])}}
  %0 = ember.sum %a {dims = array<i64: 2>} : (tensor<4x3xf32>) -> tensor<4xf32>
  return
}

// -----

// Tests that the verifier reports a reduction dim named twice.
func.func @case24(%a: tensor<4x3xf32>) {
  // expected-error@+1 {{'ember.sum' op dim 1 appears more than once in the dims}}
  %0 = ember.sum %a {dims = array<i64: 1, -1>} : (tensor<4x3xf32>) -> tensor<4xf32>
  return
}

// -----

// Tests that the verifier reports mean of an integer tensor.
func.func @case25(%a: tensor<4xi64>) {
  // expected-error@+1 {{'ember.mean' op expects a floating point operand, got 'tensor<4xi64>'}}
  %0 = ember.mean %a : (tensor<4xi64>) -> tensor<i64>
  return
}

// -----

// Tests that the verifier reports norm without p.
func.func @case26(%a: tensor<4xf32>) {
  // expected-error@+1 {{'ember.norm' op requires attribute 'p'}}
  %0 = ember.norm %a : (tensor<4xf32>) -> tensor<f32>
  return
}

// -----

// Tests that the verifier reports argmax of a bool tensor.
func.func @case27(%a: tensor<4xi1>) {
  // expected-error@+1 {{'ember.argmax' op is not implemented for bool tensors (got 'tensor<4xi1>')}}
  %0 = ember.argmax %a : (tensor<4xi1>) -> tensor<i64>
  return
}

// -----

// Tests that the verifier reports max_dim without dim.
func.func @case28(%a: tensor<4x3xf32>) {
  // expected-error@+1 {{'ember.max_dim' op requires an i64 attribute 'dim'}}
  %0:2 = ember.max_dim %a : (tensor<4x3xf32>) -> (tensor<4xf32>, tensor<4xi64>)
  return
}

// -----

// Tests that the verifier reports softmax of an integer tensor.
func.func @case29(%a: tensor<4xi32>) {
  // expected-error@+1 {{'ember.softmax' op expects a floating point operand, got 'tensor<4xi32>'}}
  %0 = ember.softmax %a {dim = 0 : i64} : (tensor<4xi32>) -> tensor<4xi32>
  return
}

// -----

// Tests that the verifier reports mm of 3-D operands.
func.func @case30(%a: tensor<2x2x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error@+1 {{'ember.mm' op expects 2-D operands, got 2x2x3 and 3x4}}
  %0 = ember.mm %a, %b : (tensor<2x2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

// Tests that the verifier reports bmm of 2-D operands.
func.func @case31(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error@+1 {{'ember.bmm' op expects 3-D operands, got 2x3 and 3x4}}
  %0 = ember.bmm %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

// Tests that the verifier reports matmul of a 0-d operand.
func.func @case32(%a: tensor<f32>, %b: tensor<3xf32>) {
  // expected-error@+1 {{'ember.matmul' op expects operands of rank >= 1, got 0-d and 3}}
  %0 = ember.matmul %a, %b : (tensor<f32>, tensor<3xf32>) -> tensor<f32>
  return
}

// -----

// Tests that the verifier reports matmul of different element types.
func.func @case33(%a: tensor<2x3xf32>, %b: tensor<3x4xf64>) {
  // expected-error@+1 {{'ember.matmul' op expects operands of one element type, got 'f32' and 'f64'}}
  %0 = ember.matmul %a, %b : (tensor<2x3xf32>, tensor<3x4xf64>) -> tensor<2x4xf32>
  return
}

// -----

// Tests that the verifier reports matmul of bool operands.
func.func @case34(%a: tensor<2x3xi1>, %b: tensor<3x4xi1>) {
  // expected-error@+1 {{'ember.matmul' op is not implemented for bool operands}}
  %0 = ember.matmul %a, %b : (tensor<2x3xi1>, tensor<3x4xi1>) -> tensor<2x4xi1>
  return
}

// -----

// Tests that the verifier reports matmul with contracting dims that differ.
func.func @case35(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error@+1 {{'ember.matmul' op contracting dimensions differ (3 vs 4): shapes 2x3 and 4x5}}
  %0 = ember.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

// Tests that the verifier reports bmm with batch sizes that differ.
func.func @case36(%a: tensor<2x2x3xf32>, %b: tensor<4x3x5xf32>) {
  // expected-error@+1 {{'ember.bmm' op batch sizes differ: shapes 2x2x3 and 4x3x5}}
  %0 = ember.bmm %a, %b : (tensor<2x2x3xf32>, tensor<4x3x5xf32>) -> tensor<2x2x5xf32>
  return
}

// -----

// Tests that the verifier reports matmul with batch dims that do not broadcast.
func.func @case37(%a: tensor<2x2x3xf32>, %b: tensor<5x3x4xf32>) {
  // expected-error@+1 {{'ember.matmul' op batch dimensions are not broadcast-compatible: shapes 2x2x3 and 5x3x4}}
  %0 = ember.matmul %a, %b : (tensor<2x2x3xf32>, tensor<5x3x4xf32>) -> tensor<2x2x4xf32>
  return
}

// -----

// Tests that the verifier reports conv2d of a 2-D input.
func.func @case38(%a: tensor<3x4xf32>, %b: tensor<1x1x1x1xf32>) {
  // expected-error@+1 {{'ember.conv2d' op expects a 3-D (unbatched) or 4-D input, got 3x4}}
  %0 = ember.conv2d %a, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<3x4xf32>, tensor<1x1x1x1xf32>) -> tensor<3x4xf32>
  return
}

// -----

// Tests that the verifier reports conv2d with a 3-D weight.
func.func @case39(%a: tensor<1x1x4x4xf32>, %b: tensor<1x1x1xf32>) {
  // expected-error@+1 {{'ember.conv2d' op expects a 4-D weight [C_out, C_in/groups, kH, kW], got 1x1x1}}
  %0 = ember.conv2d %a, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<1x1x1xf32>) -> tensor<1x1x4x4xf32>
  return
}

// -----

// Tests that the verifier reports conv2d of different element types.
func.func @case40(%a: tensor<1x1x4x4xf32>, %b: tensor<1x1x1x1xf64>) {
  // expected-error@+1 {{'ember.conv2d' op expects input, weight and bias of one element type, got 'f32', 'f64'}}
  %0 = ember.conv2d %a, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf64>) -> tensor<1x1x4x4xf32>
  return
}

// -----

// Tests that the verifier reports conv2d of bool tensors.
func.func @case41(%a: tensor<1x1x4x4xi1>, %b: tensor<1x1x1x1xi1>) {
  // expected-error@+1 {{'ember.conv2d' op is not implemented for bool tensors}}
  %0 = ember.conv2d %a, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x4x4xi1>, tensor<1x1x1x1xi1>) -> tensor<1x1x4x4xi1>
  return
}

// -----

// Tests that the verifier reports a window attribute without two entries.
func.func @case42(%a: tensor<1x1x4x4xf32>, %b: tensor<1x1x1x1xf32>) {
  // expected-error@+1 {{'ember.conv2d' op expects 'stride' to have 2 entries (height, width), got 1}}
  %0 = ember.conv2d %a, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1>} : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  return
}

// -----

// Tests that the verifier reports conv2d with a zero stride.
func.func @case43(%a: tensor<1x1x4x4xf32>, %b: tensor<1x1x1x1xf32>) {
  // expected-error@+1 {{'ember.conv2d' op expects positive stride and dilation and non-negative padding}}
  %0 = ember.conv2d %a, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 0, 0>, stride = array<i64: 0, 1>} : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  return
}

// -----

// Tests that the verifier reports conv2d with groups that do not divide C_out.
func.func @case44(%a: tensor<1x4x4x4xf32>, %b: tensor<3x2x1x1xf32>) {
  // expected-error@+1 {{'ember.conv2d' op groups=2 must be positive and divide the weight's C_out (3)}}
  %0 = ember.conv2d %a, %b {dilation = array<i64: 1, 1>, groups = 2 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x4x4xf32>
  return
}

// -----

// Tests that the verifier reports conv2d with the wrong number of input channels.
func.func @case45(%a: tensor<1x3x4x4xf32>, %b: tensor<2x2x1x1xf32>) {
  // expected-error@+1 {{'ember.conv2d' op expects an input with 2 channels (weight 2x2x1x1, groups 1), got 3}}
  %0 = ember.conv2d %a, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

// Tests that the verifier reports conv2d with a bias of the wrong length.
func.func @case46(%a: tensor<1x1x4x4xf32>, %b: tensor<2x1x1x1xf32>, %c: tensor<3xf32>) {
  // expected-error@+1 {{'ember.conv2d' op expects a 1-D bias of 2 elements, got 3}}
  %0 = ember.conv2d %a, %b, %c {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<3xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

// Tests that the verifier reports conv2d with a kernel larger than the input.
func.func @case47(%a: tensor<1x1x2x2xf32>, %b: tensor<1x1x3x3xf32>) {
  // expected-error@+1 {{'ember.conv2d' op the kernel (3x3, dilated) is larger than the padded input (2x2)}}
  %0 = ember.conv2d %a, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x1x1xf32>
  return
}

// -----

// Tests that the verifier reports max_pool2d of an integer tensor.
func.func @case48(%a: tensor<1x1x4x4xi64>) {
  // expected-error@+1 {{'ember.max_pool2d' op expects a f32 or f64 input, got 'tensor<1x1x4x4xi64>'}}
  %0 = ember.max_pool2d %a {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x1x4x4xi64>) -> tensor<1x1x2x2xi64>
  return
}

// -----

// Tests that the verifier reports avg_pool2d of an i32 tensor.
func.func @case49(%a: tensor<1x1x4x4xi32>) {
  // expected-error@+1 {{'ember.avg_pool2d' op expects a f32, f64 or i64 input, got 'tensor<1x1x4x4xi32>'}}
  %0 = ember.avg_pool2d %a {ceil_mode = false, count_include_pad = true, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x1x4x4xi32>) -> tensor<1x1x2x2xi32>
  return
}

// -----

// Tests that the verifier reports pooling of a 2-D input.
func.func @case50(%a: tensor<4x4xf32>) {
  // expected-error@+1 {{'ember.max_pool2d' op expects a 3-D or 4-D input, got 4x4}}
  %0 = ember.max_pool2d %a {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return
}

// -----

// Tests that the verifier reports pooling with a zero kernel.
func.func @case51(%a: tensor<1x4x4xf32>) {
  // expected-error@+1 {{'ember.max_pool2d' op expects positive kernel_size, stride and dilation}}
  %0 = ember.max_pool2d %a {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 0, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4xf32>) -> tensor<1x2x2xf32>
  return
}

// -----

// Tests that the verifier reports pooling with padding over half the kernel.
func.func @case52(%a: tensor<1x4x4xf32>) {
  // expected-error@+1 {{'ember.max_pool2d' op expects padding to be at most half of the kernel size, got padding 2 for kernel size 2}}
  %0 = ember.max_pool2d %a {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 2, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4xf32>) -> tensor<1x2x2xf32>
  return
}

// -----

// Tests that the verifier reports pooling with a window larger than the input.
func.func @case53(%a: tensor<1x1x1xf32>) {
  // expected-error@+1 {{'ember.max_pool2d' op the output size is too small (input 1x1x1)}}
  %0 = ember.max_pool2d %a {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 3, 3>, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1xf32>) -> tensor<1x1x1xf32>
  return
}

// -----

// Tests that the verifier reports max_pool2d_backward with a grad_output not of the pooled shape.
func.func @case54(%a: tensor<1x1x3x3xf32>, %b: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{'ember.max_pool2d_backward' op expects grad_output of the pooled shape 1x1x2x2, got 1x1x3x3}}
  %0 = ember.max_pool2d_backward %a, %b {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  return
}

// -----

// Tests that the verifier reports max_pool2d_backward of different element types.
func.func @case55(%a: tensor<1x1x2x2xf32>, %b: tensor<1x1x4x4xf64>) {
  // expected-error@+1 {{'ember.max_pool2d_backward' op expects operands of one element type, got 'f32' and 'f64'}}
  %0 = ember.max_pool2d_backward %a, %b {ceil_mode = false, dilation = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>, tensor<1x1x4x4xf64>) -> tensor<1x1x4x4xf32>
  return
}

// -----

// Tests that the verifier reports conv2d_backward_input with operands of different element types.
func.func @case56(%a: tensor<1x1x4x4xf32>, %b: tensor<1x1x1x1xf64>) {
  // expected-error@+1 {{'ember.conv2d_backward_input' op expects operands of one element type, got 'f32' and 'f64'}}
  %0 = ember.conv2d_backward_input %a, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, input_size = array<i64: 1, 1, 4, 4>, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf64>) -> tensor<1x1x4x4xf32>
  return
}

// -----

// Tests that the verifier reports reshape with two inferred dims.
func.func @case57(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.reshape' op only one dimension can be inferred (-1), got shape -1x-1}}
  %0 = ember.reshape %a {shape = array<i64: -1, -1>} : (tensor<2x3xf32>) -> tensor<6x1xf32>
  return
}

// -----

// Tests that the verifier reports reshape with a negative dim other than -1.
func.func @case58(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.reshape' op invalid dimension -2 in shape}}
  %0 = ember.reshape %a {shape = array<i64: -2, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that the verifier reports view to a shape of another element count.
func.func @case59(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.view' op shape [4x2] is invalid for an input of 6 elements}}
  %0 = ember.view %a {shape = array<i64: 4, 2>} : (tensor<2x3xf32>) -> tensor<4x2xf32>
  return
}

// -----

// Tests that the verifier reports permute with too few dims.
func.func @case60(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.permute' op expects 2 dims (the input's rank), got 1}}
  %0 = ember.permute %a {dims = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<2xf32>
  return
}

// -----

// Tests that the verifier reports permute with a repeated dim.
func.func @case61(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.permute' op repeated dim -1 in dims}}
  %0 = ember.permute %a {dims = array<i64: 1, -1>} : (tensor<2x3xf32>) -> tensor<3x3xf32>
  return
}

// -----

// Tests that the verifier reports transpose with a dim out of range.
func.func @case62(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.transpose' op dim1 2 is out of range for a tensor of rank 2 (expected it in [-2, 1])}}
  %0 = ember.transpose %a {dim0 = 0 : i64, dim1 = 2 : i64} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

// Tests that the verifier reports expand to fewer dims.
func.func @case63(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.expand' op the number of sizes provided (1) must be greater or equal to the input's rank (2)}}
  %0 = ember.expand %a {shape = array<i64: 3>} : (tensor<2x3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports expand with -1 in a new leading dim.
func.func @case64(%a: tensor<3xf32>) {
  // expected-error@+1 {{'ember.expand' op the expanded size -1 is not allowed in a new leading dimension}}
  %0 = ember.expand %a {shape = array<i64: -1, 3>} : (tensor<3xf32>) -> tensor<1x3xf32>
  return
}

// -----

// Tests that the verifier reports expand of a non-singleton dim.
func.func @case65(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.expand' op the expanded size 4 must match the existing size 2 at non-singleton dimension 0}}
  %0 = ember.expand %a {shape = array<i64: 4, 3>} : (tensor<2x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that the verifier reports flatten with start_dim after end_dim.
func.func @case66(%a: tensor<2x3x4xf32>) {
  // expected-error@+1 {{'ember.flatten' op start_dim (1) cannot come after end_dim (0)}}
  %0 = ember.flatten %a {end_dim = 0 : i64, start_dim = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<24xf32>
  return
}

// -----

// Tests that the verifier reports narrow of a 0-d tensor.
func.func @case67(%a: tensor<f32>) {
  // expected-error@+1 {{'ember.narrow' op cannot be applied to a 0-d tensor}}
  %0 = ember.narrow %a {dim = 0 : i64, length = 1 : i64, start = 0 : i64} : (tensor<f32>) -> tensor<f32>
  return
}

// -----

// Tests that the verifier reports narrow with start out of range.
func.func @case68(%a: tensor<4xf32>) {
  // expected-error@+1 {{'ember.narrow' op start (5) is out of range for dimension 0 of size 4}}
  %0 = ember.narrow %a {dim = 0 : i64, length = 1 : i64, start = 5 : i64} : (tensor<4xf32>) -> tensor<1xf32>
  return
}

// -----

// Tests that the verifier reports narrow past the end of the dim.
func.func @case69(%a: tensor<4xf32>) {
  // expected-error@+1 {{'ember.narrow' op start (2) + length (3) exceeds dimension size (4)}}
  %0 = ember.narrow %a {dim = 0 : i64, length = 3 : i64, start = 2 : i64} : (tensor<4xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports slice with a zero step.
func.func @case70(%a: tensor<4xf32>) {
  // expected-error@+1 {{'ember.slice' op slice step must be positive, got 0}}
  %0 = ember.slice %a {dim = 0 : i64, step = 0 : i64} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Tests that the verifier reports select with an index out of range.
func.func @case71(%a: tensor<4x2xf32>) {
  // expected-error@+1 {{'ember.select' op index 4 is out of range for dimension 0 of size 4}}
  %0 = ember.select %a {dim = 0 : i64, index = 4 : i64} : (tensor<4x2xf32>) -> tensor<2xf32>
  return
}

// -----

// Tests that the verifier reports as_strided with size and stride of different lengths.
func.func @case72(%a: tensor<9xf32>) {
  // expected-error@+1 {{'ember.as_strided' op mismatch in length of stride (1) and size (2)}}
  %0 = ember.as_strided %a {size = array<i64: 2, 2>, stride = array<i64: 1>} : (tensor<9xf32>) -> tensor<2x2xf32>
  return
}

// -----

// Tests that the verifier reports as_strided with a negative stride.
func.func @case73(%a: tensor<9xf32>) {
  // expected-error@+1 {{'ember.as_strided' op expects non-negative size, stride and storage_offset}}
  %0 = ember.as_strided %a {size = array<i64: 2>, stride = array<i64: -1>} : (tensor<9xf32>) -> tensor<2xf32>
  return
}

// -----

// Tests that the verifier reports cat of no tensors.
func.func @case74() {
  // expected-error@+1 {{'ember.cat' op expects a non-empty list of tensors}}
  %0 = ember.cat {dim = 0 : i64} : () -> tensor<0xf32>
  return
}

// -----

// Tests that the verifier reports cat of a 0-d tensor.
func.func @case75(%a: tensor<f32>, %b: tensor<2xf32>) {
  // expected-error@+1 {{'ember.cat' op zero-dimensional tensor (at position 0) cannot be concatenated}}
  %0 = ember.cat %a, %b {dim = 0 : i64} : (tensor<f32>, tensor<2xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports cat of tensors of different ranks.
func.func @case76(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error@+1 {{'ember.cat' op tensors must have the same rank: got 2x3 and 3 (tensor 1)}}
  %0 = ember.cat %a, %b {dim = 0 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<5x3xf32>
  return
}

// -----

// Tests that the verifier reports cat of tensors that differ outside dim.
func.func @case77(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) {
  // expected-error@+1 {{'ember.cat' op sizes of tensors must match except in dimension 0: got 2x3 and 2x4 (tensor 1)}}
  %0 = ember.cat %a, %b {dim = 0 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that the verifier reports stack of no tensors.
func.func @case78() {
  // expected-error@+1 {{'ember.stack' op expects a non-empty list of tensors}}
  %0 = ember.stack {dim = 0 : i64} : () -> tensor<0xf32>
  return
}

// -----

// Tests that the verifier reports stack of tensors of different shapes.
func.func @case79(%a: tensor<3xf32>, %b: tensor<4xf32>) {
  // expected-error@+1 {{'ember.stack' op expects tensors of one shape, got 3 at entry 0 and 4 at entry 1}}
  %0 = ember.stack %a, %b {dim = 0 : i64} : (tensor<3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that the verifier reports fill_ with a value tensor that is not 0-d.
func.func @case80(%a: tensor<3xf32>, %b: tensor<1xf32>) {
  // expected-error@+1 {{'ember.fill_' op expects a 0-d value tensor, got 'tensor<1xf32>'}}
  %0 = ember.fill_ %a, %b {value = 0.0 : f64} : (tensor<3xf32>, tensor<1xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports copy_ from a source that does not broadcast to self.
func.func @case81(%a: tensor<3xf32>, %b: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.copy_' op source of shape 2x3 cannot be broadcast to the destination's shape 3}}
  %0 = ember.copy_ %a, %b : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports gather with an i32 index.
func.func @case82(%a: tensor<4x3xf32>, %b: tensor<4x1xi32>) {
  // expected-error@+1 {{'ember.gather' op expects an i64 index, got 'tensor<4x1xi32>'}}
  %0 = ember.gather %a, %b {dim = 1 : i64} : (tensor<4x3xf32>, tensor<4x1xi32>) -> tensor<4x1xf32>
  return
}

// -----

// Tests that the verifier reports gather with an index of another rank.
func.func @case83(%a: tensor<4x3xf32>, %b: tensor<4xi64>) {
  // expected-error@+1 {{'ember.gather' op index must have the input's rank (index 4, input 4x3)}}
  %0 = ember.gather %a, %b {dim = 1 : i64} : (tensor<4x3xf32>, tensor<4xi64>) -> tensor<4xf32>
  return
}

// -----

// Tests that the verifier reports scatter_add with src of another element type.
func.func @case84(%a: tensor<4x3xf32>, %b: tensor<2x3xi64>, %c: tensor<2x3xf64>) {
  // expected-error@+1 {{'ember.scatter_add' op expects src of the input's element type 'f32', got 'f64'}}
  %0 = ember.scatter_add %a, %b, %c {dim = 0 : i64} : (tensor<4x3xf32>, tensor<2x3xi64>, tensor<2x3xf64>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that the verifier reports scatter_add with operands of different ranks.
func.func @case85(%a: tensor<4x3xf32>, %b: tensor<2xi64>, %c: tensor<2x3xf32>) {
  // expected-error@+1 {{'ember.scatter_add' op index, input and src must have one rank (index 2, input 4x3, src 2x3)}}
  %0 = ember.scatter_add %a, %b, %c {dim = 0 : i64} : (tensor<4x3xf32>, tensor<2xi64>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that the verifier reports index_select with a float index.
func.func @case86(%a: tensor<4x3xf32>, %b: tensor<2xf32>) {
  // expected-error@+1 {{'ember.index_select' op expects an i64 or i32 index, got 'tensor<2xf32>'}}
  %0 = ember.index_select %a, %b {dim = 0 : i64} : (tensor<4x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that the verifier reports index_select with a 2-D index.
func.func @case87(%a: tensor<4x3xf32>, %b: tensor<2x2xi64>) {
  // expected-error@+1 {{'ember.index_select' op expects a 0-d or 1-D index, got 'tensor<2x2xi64>'}}
  %0 = ember.index_select %a, %b {dim = 0 : i64} : (tensor<4x3xf32>, tensor<2x2xi64>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that the verifier reports index_tensor without indices.
func.func @case88(%a: tensor<4x3xf32>) {
  // expected-error@+1 {{'ember.index_tensor' op expects at least one index tensor}}
  %0 = ember.index_tensor %a : (tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that the verifier reports index_tensor with a float index.
func.func @case89(%a: tensor<4x3xf32>, %b: tensor<2xf32>) {
  // expected-error@+1 {{'ember.index_tensor' op expects i64, i32, ui8 or i1 index tensors, got 'tensor<2xf32>' at position 0}}
  %0 = ember.index_tensor %a, %b : (tensor<4x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that the verifier reports index_tensor with more indices than dims.
func.func @case90(%a: tensor<4xf32>, %b: tensor<2xi64>, %c: tensor<2xi64>) {
  // expected-error@+1 {{'ember.index_tensor' op too many indices for a tensor of rank 1 (got 2)}}
  %0 = ember.index_tensor %a, %b, %c : (tensor<4xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<2xf32>
  return
}

// -----

// Tests that the verifier reports index_tensor with indices that do not broadcast.
func.func @case91(%a: tensor<4x3xf32>, %b: tensor<2xi64>, %c: tensor<3xi64>) {
  // expected-error@+1 {{'ember.index_tensor' op indexing tensors cannot be broadcast together: 2 and 3}}
  %0 = ember.index_tensor %a, %b, %c : (tensor<4x3xf32>, tensor<2xi64>, tensor<3xi64>) -> tensor<2xf32>
  return
}

// -----

// Tests that the verifier reports index_tensor with a mask of the wrong shape.
func.func @case92(%a: tensor<4x3xf32>, %b: tensor<5xi1>) {
  // expected-error@+1 {{'ember.index_tensor' op the mask's shape 5 does not match the indexed tensor's shape 4x3 at dim 0}}
  %0 = ember.index_tensor %a, %b : (tensor<4x3xf32>, tensor<5xi1>) -> tensor<?x3xf32>
  return
}

// -----

// Tests that the verifier reports index_tensor with a mask of more dims than the tensor.
func.func @case93(%a: tensor<4xf32>, %b: tensor<4x1xi1>) {
  // expected-error@+1 {{'ember.index_tensor' op too many indices for a tensor of rank 1}}
  %0 = ember.index_tensor %a, %b : (tensor<4xf32>, tensor<4x1xi1>) -> tensor<?xf32>
  return
}

// -----

// Tests that the verifier reports index_put_ with values of another element type.
func.func @case94(%a: tensor<4x3xf32>, %b: tensor<3xf64>, %c: tensor<2xi64>) {
  // expected-error@+1 {{'ember.index_put_' op expects values of self's element type 'f32', got 'f64'}}
  %0 = ember.index_put_ %a, %b, %c : (tensor<4x3xf32>, tensor<3xf64>, tensor<2xi64>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that the verifier reports index_put_ with values that do not broadcast to the indexed shape.
func.func @case95(%a: tensor<4x3xf32>, %b: tensor<4xf32>, %c: tensor<2xi64>) {
  // expected-error@+1 {{'ember.index_put_' op values of shape 4 cannot be broadcast to the indexing result's shape 2x3}}
  %0 = ember.index_put_ %a, %b, %c : (tensor<4x3xf32>, tensor<4xf32>, tensor<2xi64>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that the verifier reports one_hot of an i32 tensor.
func.func @case96(%a: tensor<4xi32>) {
  // expected-error@+1 {{'ember.one_hot' op expects an i64 tensor of class indices, got 'tensor<4xi32>'}}
  %0 = ember.one_hot %a {num_classes = 3 : i64} : (tensor<4xi32>) -> tensor<4x3xi32>
  return
}

// -----

// Tests that the verifier reports one_hot with num_classes below -1.
func.func @case97(%a: tensor<4xi64>) {
  // expected-error@+1 {{'ember.one_hot' op num_classes must be -1 (inferred) or non-negative, got -2}}
  %0 = ember.one_hot %a {num_classes = -2 : i64} : (tensor<4xi64>) -> tensor<4x3xi64>
  return
}

// -----

// Tests that the verifier reports a factory with a negative size.
func.func @case98() {
  // expected-error@+1 {{'ember.full' op negative dimension -1 in size [-1]}}
  %0 = ember.full {device = "cpu", dtype = f32, size = array<i64: -1>, value = 0.0 : f64} : tensor<1xf32>
  return
}

// -----

// Tests that the verifier reports arange with a zero step.
func.func @case99() {
  // expected-error@+1 {{'ember.arange' op step must be nonzero}}
  %0 = ember.arange {device = "cpu", dtype = i64, end = 3 : i64, start = 0 : i64, step = 0 : i64} : tensor<3xi64>
  return
}

// -----

// Tests that the verifier reports arange with a non-finite bound.
func.func @case100() {
  // expected-error@+1 {{'ember.arange' op unsupported range: 0.000000e+00 -> INF}}
  %0 = ember.arange {device = "cpu", dtype = f64, end = 0x7FF0000000000000 : f64, start = 0 : i64, step = 1 : i64} : tensor<3xf64>
  return
}

// -----

// Tests that the verifier reports arange with a step pointing away from end.
func.func @case101() {
  // expected-error@+1 {{'ember.arange' op upper bound and larger bound inconsistent with step sign}}
  %0 = ember.arange {device = "cpu", dtype = i64, end = 3 : i64, start = 0 : i64, step = -1 : i64} : tensor<3xi64>
  return
}

// -----

// Tests that the verifier reports arange without start.
func.func @case102() {
  // expected-error@+1 {{'ember.arange' op requires attribute 'start'}}
  %0 = ember.arange {device = "cpu", dtype = i64, end = 3 : i64, step = 1 : i64} : tensor<3xi64>
  return
}

// -----

// Tests that the verifier reports linspace with negative steps.
func.func @case103() {
  // expected-error@+1 {{'ember.linspace' op number of steps must be non-negative, got -1}}
  %0 = ember.linspace {device = "cpu", dtype = f32, end = 1.0 : f64, start = 0.0 : f64, steps = -1 : i64} : tensor<1xf32>
  return
}

// -----

// Tests that the verifier reports eye with a negative size.
func.func @case104() {
  // expected-error@+1 {{'ember.eye' op n and m must be non-negative, got 2 and -1}}
  %0 = ember.eye {device = "cpu", dtype = f32, m = -1 : i64, n = 2 : i64} : tensor<2x1xf32>
  return
}

// -----

// Tests that the verifier reports randint with low >= high.
func.func @case105() {
  // expected-error@+1 {{'ember.randint' op expects low < high, got low=0 and high=0}}
  %0 = ember.randint {device = "cpu", dtype = i64, high = 0 : i64, low = 0 : i64, offset = 0 : i64, seed = 0 : i64, size = array<i64: 2>} : tensor<2xi64>
  return
}

// -----

// Tests that the verifier reports randperm of bool.
func.func @case106() {
  // expected-error@+1 {{'ember.randperm' op is not implemented for dtype i1 (bool)}}
  %0 = ember.randperm {device = "cpu", dtype = i1, n = 2 : i64, offset = 0 : i64, seed = 0 : i64} : tensor<2xi1>
  return
}

// -----

// Tests that the verifier reports randperm of negative n.
func.func @case107() {
  // expected-error@+1 {{'ember.randperm' op n must be non-negative, got -2}}
  %0 = ember.randperm {device = "cpu", dtype = i64, n = -2 : i64, offset = 0 : i64, seed = 0 : i64} : tensor<2xi64>
  return
}

// -----

// Tests that the verifier reports uniform_ of an integer tensor.
func.func @case108(%a: tensor<3xi64>) {
  // expected-error@+1 {{'ember.uniform_' op expects a floating point tensor, got 'tensor<3xi64>'}}
  %0 = ember.uniform_ %a {from = 0.0 : f64, offset = 0 : i64, seed = 0 : i64, to = 1.0 : f64} : (tensor<3xi64>) -> tensor<3xi64>
  return
}

// -----

// Tests that the verifier reports uniform_ with from > to.
func.func @case109(%a: tensor<3xf32>) {
  // expected-error@+1 {{'ember.uniform_' op expects from <= to, got from=2.000000e+00 and to=1.000000e+00}}
  %0 = ember.uniform_ %a {from = 2.0 : f64, offset = 0 : i64, seed = 0 : i64, to = 1.0 : f64} : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports normal_ with a negative std.
func.func @case110(%a: tensor<3xf32>) {
  // expected-error@+1 {{'ember.normal_' op expects std >= 0, got -1.000000e+00}}
  %0 = ember.normal_ %a {mean = 0.0 : f64, offset = 0 : i64, seed = 0 : i64, std = -1.0 : f64} : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the verifier reports bernoulli of an integer tensor.
func.func @case111(%a: tensor<3xi64>) {
  // expected-error@+1 {{'ember.bernoulli' op expects a floating point tensor of probabilities, got 'tensor<3xi64>'}}
  %0 = ember.bernoulli %a {offset = 0 : i64, seed = 0 : i64} : (tensor<3xi64>) -> tensor<3xi64>
  return
}

// -----

// Tests that the verifier reports a constant of a vector literal.
func.func @case112() {
  // expected-error@+1 {{'ember.constant' op value must be a ranked tensor of f32, f64, i32, i64, i1 or ui8, got 'vector<2xf32>'}}
  %0 = ember.constant dense<[1.0, 2.0]> : vector<2xf32>
  return
}

// -----

// Tests that the verifier reports a constant of an f16 literal.
func.func @case113() {
  // expected-error@+1 {{'ember.constant' op value must be a ranked tensor of f32, f64, i32, i64, i1 or ui8, got 'tensor<2xf16>'}}
  %0 = ember.constant dense<[1.0, 2.0]> : tensor<2xf16>
  return
}

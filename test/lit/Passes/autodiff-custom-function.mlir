// RUN: ember-opt %s --split-input-file --ember-autodiff | FileCheck %s
// RUN: ember-opt %s --split-input-file --ember-autodiff --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s --check-prefix=LOC

// The gradient of ember.custom_function is the user's backward region,
// cloned with the op's inputs, results and result gradients
// (ir/lib/IR/Gradients/CustomFunctionRules.cpp), at the backward-tagged
// location of the op.

// Tests a straight-through estimator: the gradient is g * (|x| <= 1), the
// backward region's ops, not the derivative of sign (zero).
// CHECK-LABEL: func.func @ste
// CHECK-SAME: (%[[X:[^:]*]]: tensor<4xf32>, %[[G:[^:]*]]: tensor<4xf32> {ember.grad_seed = 0 : i64})
// CHECK: %[[Y:.*]] = ember.custom_function "XNorSign"(%[[X]])
// CHECK: } backward {
// CHECK: ember.yield
// CHECK-NEXT: }
// CHECK-NEXT: %[[ABS:.*]] = ember.abs %[[X]]
// CHECK-NEXT: %[[ONE:.*]] = ember.constant dense<1.000000e+00>
// CHECK-NEXT: %[[IN:.*]] = ember.le %[[ABS]], %[[ONE]]
// CHECK-NEXT: %[[R:.*]] = ember.mul %[[G]], %[[IN]]
// CHECK-NEXT: return %[[Y]], %[[R]]
func.func @ste(%x: tensor<4xf32>) -> tensor<4xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %y = ember.custom_function "XNorSign"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  forward {
  ^bb0(%a: tensor<4xf32>):
    %s = ember.sign %a : (tensor<4xf32>) -> tensor<4xf32>
    ember.yield %s : tensor<4xf32>
  } backward {
  ^bb0(%a: tensor<4xf32>, %out: tensor<4xf32>, %g: tensor<4xf32>):
    %abs = ember.abs %a : (tensor<4xf32>) -> tensor<4xf32>
    %one = ember.constant dense<1.0> : tensor<f32>
    %in = ember.le %abs, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xi1>
    %r = ember.mul %g, %in : (tensor<4xf32>, tensor<4xi1>) -> tensor<4xf32>
    ember.yield %r : tensor<4xf32>
  }
  return %y : tensor<4xf32>
}

// -----

// Tests a backward that reads the forward's output and a loss through the
// op: the result's gradient (1 for the 0-d loss, through ember.sum) binds
// the cotangent argument, the op's result binds the output argument.
// CHECK-LABEL: func.func @uses_output
// CHECK: %[[Y:.*]] = ember.custom_function "Exp"(%arg0)
// CHECK: %[[L:.*]] = ember.sum %[[Y]]
// CHECK: %[[GY:.*]] = ember.expand
// CHECK: %[[R:.*]] = ember.mul %[[GY]], %[[Y]]
// CHECK: return %[[L]], %[[R]]
func.func @uses_output(%x: tensor<3xf32>) -> tensor<f32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %y = ember.custom_function "Exp"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  forward {
  ^bb0(%a: tensor<3xf32>):
    %e = ember.exp %a : (tensor<3xf32>) -> tensor<3xf32>
    ember.yield %e : tensor<3xf32>
  } backward {
  ^bb0(%a: tensor<3xf32>, %out: tensor<3xf32>, %g: tensor<3xf32>):
    %r = ember.mul %g, %out : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
    ember.yield %r : tensor<3xf32>
  }
  %l = ember.sum %y : (tensor<3xf32>) -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// Tests that the cloned gradient ops carry the backward-tagged location of
// the op (the user's apply).
// LOC-LABEL: func.func @located
// LOC: } loc("user.cpp":7:3)
// LOC-NEXT: ember.neg %{{.*}} : (tensor<2xf32>) -> tensor<2xf32> loc(fused<"backward">["user.cpp":7:3])
func.func @located(%x: tensor<2xf32>) -> tensor<2xf32> attributes {ember.autodiff = {of = 0 : i64, wrt = [0]}} {
  %y = ember.custom_function "Flip"(%x) : (tensor<2xf32>) -> tensor<2xf32>
  forward {
  ^bb0(%a: tensor<2xf32>):
    ember.yield %a : tensor<2xf32>
  } backward {
  ^bb0(%a: tensor<2xf32>, %out: tensor<2xf32>, %g: tensor<2xf32>):
    %n = ember.neg %g : (tensor<2xf32>) -> tensor<2xf32>
    ember.yield %n : tensor<2xf32>
  } loc("user.cpp":7:3)
  return %y : tensor<2xf32>
}

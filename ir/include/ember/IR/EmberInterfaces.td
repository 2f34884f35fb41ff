//===- EmberInterfaces.td - ember op interfaces ------------*- tablegen -*-===//
//
// Op interfaces of the ember dialect. DifferentiableOpInterface is what the
// `ember-autodiff` pass walks (ARCHITECTURE.md, "Differentiation on the IR"):
// one gradient rule per op, called op by op in reverse order.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_IR_EMBERINTERFACES_TD
#define EMBER_IR_EMBERINTERFACES_TD

include "mlir/IR/OpBase.td"

def Ember_DifferentiableOpInterface : OpInterface<"DifferentiableOpInterface"> {
  let cppNamespace = "::mlir::ember";
  let description = [{
    An op that has a gradient rule (ops.def flag `Differentiable`). The
    autodiff pass visits the forward ops in reverse order and, for each one,
    asks it to emit the ops that compute the gradients of its operands from
    the gradients of its results (vector-Jacobian products):

    ```c++
    SmallVector<Value> operandGrads;
    if (failed(op.buildGradient(builder, resultGrads, operandGrads)))
      return failure();
    ```

    `resultGrads` has one entry per result, in order; an entry is null when
    that result does not reach the loss (its gradient is zero). The rule
    appends one entry per operand to `operandGrads`, in operand order: a
    value of the operand's type, or null when the operand gets no gradient
    (an integer operand, an index). Broadcast operands get gradients already
    reduced to their own shape. The rule may read the op's operands and
    results (the forward values) and create ops at the builder's insertion
    point; it must not erase or modify the forward op.

    Every differentiable op carries the interface and declares
    buildGradient; the rules are in lib/IR/Gradients/, one file per op
    family. An op whose rule is not written yet reports "has no gradient
    rule yet" and fails (lib/IR/Gradients/NoRules.cpp, as the default
    implementation below), so the autodiff pass stops with a diagnostic
    naming the op instead of producing wrong gradients.
  }];

  let methods = [
    InterfaceMethod<
      /*desc=*/[{
        Emits the gradients of this op's operands given the gradients of its
        results (null: zero). Appends one value (or null) per operand to
        `operandGrads`.
      }],
      /*retTy=*/"::llvm::LogicalResult",
      /*methodName=*/"buildGradient",
      /*args=*/(ins "::mlir::OpBuilder &":$builder,
                    "::llvm::ArrayRef<::mlir::Value>":$resultGrads,
                    "::llvm::SmallVectorImpl<::mlir::Value> &":$operandGrads),
      /*methodBody=*/"",
      /*defaultImplementation=*/[{
        (void)builder;
        (void)resultGrads;
        (void)operandGrads;
        return $_op->emitOpError("has no gradient rule yet");
      }]>
  ];
}

#endif // EMBER_IR_EMBERINTERFACES_TD

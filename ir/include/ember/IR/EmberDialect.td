//===- EmberDialect.td - the ember dialect -----------------*- tablegen -*-===//
//
// The `ember` dialect: the tensor ops of ember's eager API (ops.def), on value
// semantics, as the compiler's first IR. This file holds the dialect record,
// the op base class and the type constraints shared by the ops.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_IR_EMBERDIALECT_TD
#define EMBER_IR_EMBERDIALECT_TD

include "ember/IR/EmberInterfaces.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Ember_Dialect : Dialect {
  let name = "ember";
  let cppNamespace = "::mlir::ember";
  let summary = "Tensor ops of ember's eager API, on value semantics";
  let description = [{
    The `ember` dialect mirrors ember's eager op set (`frontend/include/ember/ops.def`):
    one op per eager op, with the same name, the same shape rules (numpy
    broadcasting, `matmul`'s batching) and the same element types. Traces of
    eager programs are imported into this dialect; ember's passes
    (canonicalization, autodiff, fusion) work on it, and `codegen/` lowers it
    to `linalg`, `arith` and `math`.

    Operands and results are ranked tensors whose element type is one of
    ember's dtypes: `f32`, `f64`, `i32`, `i64`, `i1` (bool) and `ui8`. Result
    types follow from the operands and attributes by the eager op's shape and
    dtype rule (`InferTypeOpInterface`; the verifier checks them). A trace
    does not say everything eager type promotion knew (whether a 0-d operand
    was a C++ number, the default float type), so the verifier accepts every
    result type eager could have produced, and the custom assembly forms
    print the result types: `ember.add %a, %b : (tensor<3xi64>, tensor<f64>)
    -> tensor<3xf32>`.

    In-place ops (`add_`, `copy_`, ...) are on value semantics and return the
    new value of their first operand; view ops return a tensor of the view's
    shape. Attributes keep the eager attribute names (see EmberOps.td).
  }];
  let hasConstantMaterializer = 1;
  // Inherent attributes live in the op's attribute dictionary, not in
  // properties: the shape rules (lib/IR/TypeRules.h) read every op's
  // attributes by their eager names through one DictionaryAttr, and the
  // trace importer builds ops generically from (name, operands, attributes).
  let usePropertiesForAttributes = 0;
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

// ember's dtypes: float32, float64, int32, int64, bool, uint8.
def Ember_Tensor : RankedTensorOf<[F32, F64, I32, I64, I1, UI8]>;
// Every op takes Ember_Tensor operands; the narrower dtype requirements of
// some ops (floating only, no bool) are in their shape rules, whose messages
// say what the op expects.

//===----------------------------------------------------------------------===//
// Attribute constraints (the eager Attrs value types, see EmberOps.td)
//===----------------------------------------------------------------------===//

// A Scalar: f64 for floating scalars, i64 for integral ones, or a bool.
def Ember_ScalarAttr : AnyAttrOf<[F64Attr, I64Attr, BoolAttr]>;

// A DType: the element type itself (f32, f64, i32, i64, i1 or ui8).
def Ember_DTypeAttr : TypeAttrBase<"::mlir::Type",
    "element type attribute (f32, f64, i32, i64, i1 or ui8)",
    CPred<"::mlir::ember::isEmberElementType($_self)">> {
  let constBuilderCall = "::mlir::TypeAttr::get($0)";
}

// A Device: "cpu", "cuda:0", ...
defvar Ember_DeviceAttr = StrAttr;

// A dense tensor literal (`dense<...> : tensor<...>`).
def Ember_DenseElementsAttr : ElementsAttrBase<
    CPred<"::llvm::isa<::mlir::DenseElementsAttr>($_self)">,
    "dense tensor literal"> {
  let storageType = [{ ::mlir::DenseElementsAttr }];
  let returnType = [{ ::mlir::DenseElementsAttr }];
  let convertFromStorage = "$_self";
}

//===----------------------------------------------------------------------===//
// Base op class
//===----------------------------------------------------------------------===//

class Ember_Op<string mnemonic, list<Trait> traits = []>
    : Op<Ember_Dialect, mnemonic, traits>;

// The ops that ops.def flags Differentiable. Each op class declares
// buildGradient; the rules are in lib/IR/Gradients/ (one file per family),
// and the ops without a rule yet define it there as the interface's failing
// default (lib/IR/Gradients/NoRules.cpp).
defvar Ember_Differentiable = DeclareOpInterfaceMethods<
    Ember_DifferentiableOpInterface, ["buildGradient"]>;

// An op whose result types follow from its operand types and attributes by
// the shape/dtype rule `rule` (a function in mlir::ember::rules, declared in
// lib/IR/TypeRules.h). The rule gives, for each result, its shape and the
// element types it may have: the first is what inferReturnTypes returns; the
// others exist because a trace cannot tell everything eager type promotion
// knew (a 0-d operand may have been a wrapped C++ number, which promotes
// like the default dtype, and the default dtype itself may be f32 or f64).
// So the custom form prints the result types, and verify() checks that each
// result has the rule's shape and one of its element types.
//
// All of them are Pure: value semantics (in-place ops return the new value
// of `self`), and random ops are deterministic functions of their `seed` and
// `offset` attributes (two ops with equal attributes draw equal numbers, so
// CSE may merge them; an unused draw may be erased, the generator offset was
// reserved at trace time).
class Ember_RuleOp<string mnemonic, string rule, list<Trait> traits = []>
    : Ember_Op<mnemonic, !listconcat([Pure,
        DeclareOpInterfaceMethods<InferTypeOpInterface>], traits)> {
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    static bool isCompatibleReturnTypes(::mlir::TypeRange inferred,
                                        ::mlir::TypeRange actual);
  }];
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context,
        ::std::optional<::mlir::Location> location,
        ::mlir::ValueRange operands, ::mlir::DictionaryAttr attributes,
        ::mlir::OpaqueProperties, ::mlir::RegionRange,
        ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
      return ::mlir::ember::inferResultTypes(
          getOperationName(), &::mlir::ember::rules::}] # rule # [{, context,
          location, operands, attributes, inferredReturnTypes);
    }
    bool $cppClass::isCompatibleReturnTypes(::mlir::TypeRange inferred,
                                            ::mlir::TypeRange actual) {
      return ::mlir::ember::areCompatibleResultTypes(inferred, actual);
    }
    ::llvm::LogicalResult $cppClass::verify() {
      return ::mlir::ember::verifyResultTypes(
          getOperation(), &::mlir::ember::rules::}] # rule # [{);
    }
  }];
}

#endif // EMBER_IR_EMBERDIALECT_TD

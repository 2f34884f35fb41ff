//===- EmberDialect.td - the ember dialect -----------------*- tablegen -*-===//
//
// The `ember` dialect: the tensor ops of ember's eager API (ops.def), on value
// semantics, as the compiler's first IR. This file holds the dialect record,
// the op base class and the type constraints shared by the ops.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_IR_EMBERDIALECT_TD
#define EMBER_IR_EMBERDIALECT_TD

include "mlir/IR/OpBase.td"

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
    types are inferred from the operands (`InferTypeOpInterface`), so the
    custom assembly forms print operand types only.
  }];
  let hasConstantMaterializer = 1;
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

// ember's dtypes: float32, float64, int32, int64, bool, uint8.
def Ember_Tensor : RankedTensorOf<[F32, F64, I32, I64, I1, UI8]>;
// Arithmetic that PyTorch refuses on bool tensors (sub, relu, matmul).
def Ember_NumericTensor : RankedTensorOf<[F32, F64, I32, I64, UI8]>;
def Ember_FloatTensor : RankedTensorOf<[F32, F64]>;

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

#endif // EMBER_IR_EMBERDIALECT_TD

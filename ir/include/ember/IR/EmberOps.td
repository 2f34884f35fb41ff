//===- EmberOps.td - ember dialect ops ---------------------*- tablegen -*-===//
//
// The ops of the `ember` dialect: one op `ember.<name>` per eager op of
// frontend/include/ember/ops.def, plus `ember.constant`. The ops live in one
// file per family, included here (this file drives mlir-tblgen for the op
// classes and for the reference docs).
//
// THE CONTRACT WITH THE TRACE IMPORTER. The importer builds each op
// generically, OperationState("ember.<name>"), from the eager call
// (OpCall: op, inputs, attrs, outputs):
//
//   operands    the OpCall inputs, in order, each a builtin ranked tensor of
//               f32, f64, i32, i64, i1 (bool) or ui8. Optional and variadic
//               operands exist where eager takes them (conv2d's bias, fill_'s
//               value tensor, cat/stack lists, index_tensor/index_put_
//               indices). An undefined input tensor cannot be an operand.
//   results     one per eager output, in order (max_dim/min_dim: values,
//               indices). In-place ops (`add_`, `copy_`, `index_put_`,
//               `uniform_`, ...) return the new value of `self`; view ops
//               return a tensor of the view's shape.
//   attributes  the eager Attrs keys, with the same names, typed:
//                 int64_t              -> I64Attr           (i64)
//                 double               -> F64Attr           (f64)
//                 bool                 -> BoolAttr
//                 std::vector<int64_t> -> DenseI64ArrayAttr (array<i64: ...>)
//                 std::string          -> StrAttr
//                 DType                -> TypeAttr of the element type
//                                         (f32, f64, i32, i64, i1, ui8)
//                 Scalar               -> F64Attr for a floating scalar,
//                                         I64Attr for an integral one,
//                                         BoolAttr for a bool
//                 Device               -> StrAttr ("cpu", "cuda:0")
//               An attribute the eager op may leave out (get_or / has /
//               find) is an OptionalAttr here. Inherent attributes live in
//               the attribute dictionary (no properties), so the generic
//               and custom forms print them by these names.
//   result types the eager outputs' types. Each op's verifier checks them
//               against the eager shape/dtype rule (lib/IR/TypeRules.h);
//               where the trace cannot know what eager knew (a 0-d operand
//               that was a wrapped C++ number; the default dtype), every
//               reading eager could have made is accepted.
//
// Where the mapping is not clean:
//   index_tensor, index_put_  eager takes absent index slots (x[:, i]); an
//               absent tensor cannot be an operand, so the importer must
//               rewrite such calls (permute the indexed dims to the front)
//               or split the trace there. The dialect op indexes the
//               leading dims, one index tensor (or bool/ui8 mask) per dim.
//   wrapped numbers  eager promotes a C++ number (a 0-d "wrapped" tensor:
//               f64, i64 or i1) below 0-d tensors, a floating one as the
//               default dtype; the trace loses the flag. Verifiers accept
//               either reading; inferReturnTypes assumes 0-d tensors.
//   the default dtype  float math on integers gives torch's default dtype
//               (f32 unless set_default_dtype): both are accepted.
//   as_strided  `storage_offset` and `stride` count in the storage of the
//               input's base; on value semantics the importer must make the
//               operand that base (or fold the view's own offset in).
//   fill_       its optional second operand (a 0-d value tensor) exists in
//               the eager kernel but no public entry point passes it.
//
// All ops are Pure (see Ember_RuleOp in EmberDialect.td, random ops
// included), and the ops that ops.def flags Differentiable carry
// DifferentiableOpInterface (EmberInterfaces.td).
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_IR_EMBEROPS_TD
#define EMBER_IR_EMBEROPS_TD

include "ember/IR/EmberDialect.td"
include "ember/IR/EmberElementwiseOps.td"
include "ember/IR/EmberReduceOps.td"
include "ember/IR/EmberLinalgOps.td"
include "ember/IR/EmberNNOps.td"
include "ember/IR/EmberShapeOps.td"
include "ember/IR/EmberCopyOps.td"
include "ember/IR/EmberIndexOps.td"
include "ember/IR/EmberFactoryOps.td"
include "ember/IR/EmberRandomOps.td"
include "ember/IR/EmberCustomFunctionOps.td"

#endif // EMBER_IR_EMBEROPS_TD

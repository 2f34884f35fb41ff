//===- TypeRules.h - shape and dtype rules of the ember ops -----*- C++ -*-===//
//
// Every ember op (but ember.constant) has one shape/dtype rule: a function
// of its operand types and attributes that gives, for each result, its shape
// and the element types it may have (the first is the one inferred; more
// than one where the trace cannot know what eager knew: see Ember_RuleOp in
// EmberDialect.td). The rule reports bad operands and attributes through
// the error emitter, naming what was given and what was expected.
//
// The rules mirror the eager op implementations in frontend/src/ops/*.cpp
// (the same checks, the same messages where they fit), and the promotion
// rules of frontend/src/ops/common.cpp (result_type) and runtime dtype.h
// (promote_types).
//
// The generated op classes call inferResultTypes (InferTypeOpInterface),
// areCompatibleResultTypes and verifyResultTypes with their rule.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_LIB_IR_TYPERULES_H
#define EMBER_LIB_IR_TYPERULES_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/TypeUtilities.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

namespace mlir::ember {

using EmitErrorFn = llvm::function_ref<InFlightDiagnostic()>;

/// One result of a rule: its shape (ShapedType::kDynamic where unknown) and
/// the element types it may have, the inferred one first.
struct ResultSpec {
  SmallVector<int64_t> shape;
  SmallVector<Type, 2> elementTypes;
};

/// What a rule reads: the op's name without "ember.", its operand types and
/// attributes, and where to report errors.
struct RuleInput {
  StringRef op;
  MLIRContext *context;
  SmallVector<RankedTensorType> operands;
  DictionaryAttr attrs;
  EmitErrorFn emitError;

  RankedTensorType operand(size_t i) const { return operands[i]; }
  ArrayRef<int64_t> shape(size_t i) const { return operands[i].getShape(); }
  int64_t rank(size_t i) const { return operands[i].getRank(); }
  Type elementType(size_t i) const { return operands[i].getElementType(); }

  Attribute attr(StringRef name) const;
  bool has(StringRef name) const { return bool(attr(name)); }
  std::optional<int64_t> i64(StringRef name) const;
  std::optional<ArrayRef<int64_t>> i64Array(StringRef name) const;
  bool boolOr(StringRef name, bool dflt) const;
  /// A Scalar attribute (f64, i64 or bool) as a double; nothing if absent.
  std::optional<double> scalar(StringRef name) const;
  /// Whether the Scalar attribute `name` holds a floating value.
  bool isFloatScalar(StringRef name) const;
  /// A DType attribute's element type, or null.
  Type dtype(StringRef name) const;

  /// The same, reporting "requires attribute 'name'" when absent.
  FailureOr<int64_t> requireI64(StringRef name) const;
  FailureOr<ArrayRef<int64_t>> requireI64Array(StringRef name) const;
  FailureOr<Type> requireDType(StringRef name) const;

  /// PyTorch's wrap_dim: dim in [-rank, rank) (a 0-d tensor takes 0 and -1).
  FailureOr<int64_t> wrapDim(int64_t dim, int64_t rank,
                             StringRef what = "dim") const;
};

using ShapeRule = LogicalResult (*)(const RuleInput &,
                                    SmallVectorImpl<ResultSpec> &);

/// InferTypeOpInterface::inferReturnTypes of every rule-based op.
LogicalResult inferResultTypes(StringRef opName, ShapeRule rule,
                               MLIRContext *context,
                               std::optional<Location> location,
                               ValueRange operands, DictionaryAttr attributes,
                               SmallVectorImpl<Type> &inferred);
/// Counts only: verifyResultTypes checks each result with the operands.
bool areCompatibleResultTypes(TypeRange inferred, TypeRange actual);
/// verify() of every rule-based op: each result has the rule's shape and one
/// of its element types.
LogicalResult verifyResultTypes(Operation *op, ShapeRule rule);

//===----------------------------------------------------------------------===//
// Helpers shared by the rules
//===----------------------------------------------------------------------===//

/// "2x3", "?x4"; a 0-d shape as "0-d".
std::string formatShape(ArrayRef<int64_t> shape);

bool isFloatType(Type type);
bool isBoolType(Type type);
/// bool 0, integer 1, floating 2 (c10's categories).
int typeCategory(Type type);
/// torch.promote_types over ember's types.
Type promoteTypes(Type a, Type b);
/// torch.result_type over tensors, under every reading of the 0-d operands
/// (0-d tensor, or wrapped number with default dtype f32 or f64); the
/// reading "all 0-d operands are tensors" comes first.
SmallVector<Type, 2> resultTypeCandidates(ArrayRef<RankedTensorType> types);
/// `type` if floating, else the default float types (f32, f64).
SmallVector<Type, 2> floatCandidates(Type type);
/// Whether an in-place op may write a `from` value into a `to` tensor.
bool canCast(Type from, Type to);

/// numpy broadcasting of two shapes (a dynamic dim matches anything).
FailureOr<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> lhs,
                                                ArrayRef<int64_t> rhs);
/// Reduces `shape` over the (wrapped, sorted) dims `dims`.
SmallVector<int64_t> reducedShape(ArrayRef<int64_t> shape,
                                  ArrayRef<int64_t> dims, bool keepdim);
/// The number of elements, or nothing when a dim is dynamic.
std::optional<int64_t> staticNumElements(ArrayRef<int64_t> shape);

/// A result of `shape` with exactly one element type.
ResultSpec result(ArrayRef<int64_t> shape, Type elementType);
ResultSpec result(ArrayRef<int64_t> shape, ArrayRef<Type> elementTypes);

//===----------------------------------------------------------------------===//
// The rules, by family (named in the ODS records)
//===----------------------------------------------------------------------===//

namespace rules {
#define EMBER_RULE(name)                                                       \
  LogicalResult name(const RuleInput &in, SmallVectorImpl<ResultSpec> &results);
// Elementwise.cpp
EMBER_RULE(unarySameType)
EMBER_RULE(unaryFloat)
EMBER_RULE(gelu)
EMBER_RULE(logicalNot)
EMBER_RULE(clamp)
EMBER_RULE(clampInplace)
EMBER_RULE(binaryArith)
EMBER_RULE(binaryDiv)
EMBER_RULE(binaryBool)
EMBER_RULE(binaryInplace)
EMBER_RULE(where)
EMBER_RULE(maskedFill)
EMBER_RULE(maskedFillInplace)
// Reduce.cpp
EMBER_RULE(reduce)
EMBER_RULE(reduceWithIndices)
EMBER_RULE(softmax)
// Linalg.cpp
EMBER_RULE(matrixProduct)
// NN.cpp
EMBER_RULE(conv2d)
EMBER_RULE(conv2dBackwardInput)
EMBER_RULE(conv2dBackwardWeight)
EMBER_RULE(pool2d)
EMBER_RULE(maxPool2dBackward)
EMBER_RULE(avgPool2dBackward)
// Shape.cpp
EMBER_RULE(reshape)
EMBER_RULE(permute)
EMBER_RULE(transpose)
EMBER_RULE(expand)
EMBER_RULE(squeeze)
EMBER_RULE(unsqueeze)
EMBER_RULE(flatten)
EMBER_RULE(narrow)
EMBER_RULE(slice)
EMBER_RULE(select)
EMBER_RULE(asStrided)
EMBER_RULE(cat)
EMBER_RULE(stack)
// Copy.cpp
EMBER_RULE(sameAsFirst)
EMBER_RULE(toDtype)
EMBER_RULE(fillInplace)
EMBER_RULE(copyInplace)
// Index.cpp
EMBER_RULE(gather)
EMBER_RULE(scatterAdd)
EMBER_RULE(indexSelect)
EMBER_RULE(indexTensor)
EMBER_RULE(indexPutInplace)
EMBER_RULE(oneHot)
// Factory.cpp
EMBER_RULE(factory)
EMBER_RULE(randomInplace)
EMBER_RULE(bernoulli)
#undef EMBER_RULE
} // namespace rules

} // namespace mlir::ember

#endif // EMBER_LIB_IR_TYPERULES_H

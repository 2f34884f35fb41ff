//===- TypeRules.cpp - the glue between ops and their rules ---------------===//
//
// inferResultTypes/verifyResultTypes run an op's shape rule (TypeRules.h)
// and the helpers the rules share: PyTorch's type promotion and numpy
// broadcasting over MLIR types.
//
// Type promotion. ember's six dtypes form a chain under promote_types
// (i1 < ui8 < i32 < i64 < f32 < f64: the larger one wins). result_type
// (frontend/src/ops/common.cpp) folds the operands in three tiers, operands
// of rank >= 1, 0-d tensors, and wrapped numbers (C++ scalars turned into
// 0-d f64/i64/i1 tensors, a floating one counting as the default dtype); a
// lower tier only counts when it brings a higher category (bool < integer <
// floating). A trace keeps the 0-d tensors but not the wrapped flag, so
// resultTypeCandidates tries every reading: each 0-d f64/i64/i1 operand a
// tensor or a number, the default dtype f32 or f64.
//
//===----------------------------------------------------------------------===//

#include "TypeRules.h"

#include "ember/IR/EmberOps.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::ember;

//===----------------------------------------------------------------------===//
// RuleInput
//===----------------------------------------------------------------------===//

Attribute RuleInput::attr(StringRef name) const {
  return attrs ? attrs.get(name) : Attribute();
}

std::optional<int64_t> RuleInput::i64(StringRef name) const {
  if (auto value = dyn_cast_or_null<IntegerAttr>(attr(name)))
    return value.getInt();
  return std::nullopt;
}

std::optional<ArrayRef<int64_t>> RuleInput::i64Array(StringRef name) const {
  if (auto value = dyn_cast_or_null<DenseI64ArrayAttr>(attr(name)))
    return value.asArrayRef();
  return std::nullopt;
}

bool RuleInput::boolOr(StringRef name, bool dflt) const {
  if (auto value = dyn_cast_or_null<BoolAttr>(attr(name)))
    return value.getValue();
  return dflt;
}

std::optional<double> RuleInput::scalar(StringRef name) const {
  Attribute value = attr(name);
  if (auto b = dyn_cast_or_null<BoolAttr>(value))
    return b.getValue() ? 1.0 : 0.0;
  if (auto f = dyn_cast_or_null<FloatAttr>(value))
    return f.getValueAsDouble();
  if (auto i = dyn_cast_or_null<IntegerAttr>(value))
    return static_cast<double>(i.getInt());
  return std::nullopt;
}

bool RuleInput::isFloatScalar(StringRef name) const {
  return isa_and_nonnull<FloatAttr>(attr(name));
}

Type RuleInput::dtype(StringRef name) const {
  if (auto value = dyn_cast_or_null<TypeAttr>(attr(name)))
    return value.getValue();
  return {};
}

FailureOr<int64_t> RuleInput::requireI64(StringRef name) const {
  if (std::optional<int64_t> value = i64(name))
    return *value;
  return emitError() << "requires an i64 attribute '" << name << "'";
}

FailureOr<ArrayRef<int64_t>> RuleInput::requireI64Array(StringRef name) const {
  if (std::optional<ArrayRef<int64_t>> value = i64Array(name))
    return *value;
  return emitError() << "requires an array<i64> attribute '" << name << "'";
}

FailureOr<Type> RuleInput::requireDType(StringRef name) const {
  if (Type type = dtype(name))
    return type;
  return emitError() << "requires a dtype attribute '" << name << "'";
}

FailureOr<int64_t> RuleInput::wrapDim(int64_t dim, int64_t rank,
                                      StringRef what) const {
  int64_t bound = std::max<int64_t>(rank, 1);
  if (dim < -bound || dim >= bound)
    return emitError() << what << " " << dim
                       << " is out of range for a tensor of rank " << rank
                       << " (expected it in [" << -bound << ", " << bound - 1
                       << "])";
  return dim < 0 ? dim + bound : dim;
}

//===----------------------------------------------------------------------===//
// Inference and verification
//===----------------------------------------------------------------------===//

/// Runs `rule` on ranked tensor operands; operands of other types are
/// reported (the ODS operand constraints report them first in verification).
static LogicalResult runRule(StringRef opName, ShapeRule rule,
                             MLIRContext *context, TypeRange operandTypes,
                             DictionaryAttr attrs, EmitErrorFn emitError,
                             SmallVectorImpl<ResultSpec> &results) {
  RuleInput in{
      opName.drop_front(EmberDialect::getDialectNamespace().size() + 1),
      context,
      {},
      attrs,
      emitError};
  for (auto [i, type] : llvm::enumerate(operandTypes)) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !isEmberElementType(tensor.getElementType()))
      return emitError() << "operand #" << i
                         << " must be a ranked tensor of an ember element "
                            "type, got "
                         << type;
    in.operands.push_back(tensor);
  }
  return rule(in, results);
}

LogicalResult mlir::ember::inferResultTypes(StringRef opName, ShapeRule rule,
                                            MLIRContext *context,
                                            std::optional<Location> location,
                                            ValueRange operands,
                                            DictionaryAttr attributes,
                                            SmallVectorImpl<Type> &inferred) {
  auto emitError = [&]() -> InFlightDiagnostic {
    if (!location)
      return InFlightDiagnostic();
    return mlir::emitError(*location) << "'" << opName << "' op ";
  };
  SmallVector<ResultSpec> results;
  if (failed(runRule(opName, rule, context, operands.getTypes(), attributes,
                     emitError, results)))
    return failure();
  for (const ResultSpec &spec : results)
    inferred.push_back(
        RankedTensorType::get(spec.shape, spec.elementTypes.front()));
  return success();
}

bool mlir::ember::areCompatibleResultTypes(TypeRange inferred,
                                           TypeRange actual) {
  return inferred.size() == actual.size();
}

LogicalResult mlir::ember::verifyResultTypes(Operation *op, ShapeRule rule) {
  SmallVector<ResultSpec> results;
  if (failed(runRule(
          op->getName().getStringRef(), rule, op->getContext(),
          op->getOperandTypes(), op->getAttrDictionary(),
          [&] { return op->emitOpError(); }, results)))
    return failure();
  if (results.size() != op->getNumResults())
    return op->emitOpError() << "has " << op->getNumResults()
                             << " results, expected " << results.size();
  for (auto [i, spec, type] : llvm::enumerate(results, op->getResultTypes())) {
    auto tensor = cast<RankedTensorType>(type);
    bool shapeOk = succeeded(
        verifyCompatibleShape(tensor.getShape(), ArrayRef(spec.shape)));
    bool typeOk =
        llvm::is_contained(spec.elementTypes, tensor.getElementType());
    if (shapeOk && typeOk)
      continue;
    InFlightDiagnostic diag = op->emitOpError()
                              << "result #" << i << " has type " << type
                              << ", expected ";
    llvm::interleave(
        spec.elementTypes, diag,
        [&](Type element) {
          diag << RankedTensorType::get(spec.shape, element);
        },
        " or ");
    return diag;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

std::string mlir::ember::formatShape(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "0-d";
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(
      shape, os,
      [&](int64_t dim) {
        if (ShapedType::isDynamic(dim))
          os << '?';
        else
          os << dim;
      },
      "x");
  return text;
}

bool mlir::ember::isFloatType(Type type) { return isa<FloatType>(type); }

bool mlir::ember::isBoolType(Type type) { return type.isSignlessInteger(1); }

int mlir::ember::typeCategory(Type type) {
  if (isBoolType(type))
    return 0;
  return isFloatType(type) ? 2 : 1;
}

/// The position of an ember type in the promotion chain.
static int promotionRank(Type type) {
  if (type.isSignlessInteger(1))
    return 0;
  if (type.isUnsignedInteger(8))
    return 1;
  if (type.isSignlessInteger(32))
    return 2;
  if (type.isSignlessInteger(64))
    return 3;
  if (type.isF32())
    return 4;
  return 5;
}

Type mlir::ember::promoteTypes(Type a, Type b) {
  return promotionRank(a) >= promotionRank(b) ? a : b;
}

bool mlir::ember::canCast(Type from, Type to) {
  return typeCategory(from) <= typeCategory(to);
}

/// c10's combine_categories (see frontend/src/ops/common.cpp).
static Type combineTiers(Type higher, Type lower) {
  if (!higher)
    return lower;
  if (!lower || isFloatType(higher))
    return higher;
  if (isBoolType(higher) || isFloatType(lower))
    return promoteTypes(higher, lower);
  return higher;
}

SmallVector<Type, 2>
mlir::ember::resultTypeCandidates(ArrayRef<RankedTensorType> types) {
  if (types.empty())
    return {};
  MLIRContext *context = types.front().getContext();
  SmallVector<size_t> wrappable; // 0-d operands that may have been numbers
  for (auto [i, type] : llvm::enumerate(types)) {
    Type element = type.getElementType();
    if (type.getRank() == 0 &&
        (element.isF64() || element.isSignlessInteger(64) ||
         isBoolType(element)))
      wrappable.push_back(i);
  }
  if (wrappable.size() > 4) // 16 readings are plenty
    wrappable.resize(4);

  llvm::SetVector<Type> candidates;
  Type defaults[] = {Float32Type::get(context), Float64Type::get(context)};
  for (Type defaultFloat : defaults) {
    for (unsigned mask = 0; mask < (1u << wrappable.size()); ++mask) {
      Type dim, zero, wrapped;
      auto fold = [](Type &acc, Type t) {
        acc = acc ? promoteTypes(acc, t) : t;
      };
      for (auto [i, type] : llvm::enumerate(types)) {
        Type element = type.getElementType();
        auto *pos = llvm::find(wrappable, i);
        if (pos != wrappable.end() &&
            (mask & (1u << (pos - wrappable.begin()))))
          fold(wrapped, isFloatType(element) ? defaultFloat : element);
        else if (type.getRank() == 0)
          fold(zero, element);
        else
          fold(dim, element);
      }
      Type lower = (zero || wrapped) ? combineTiers(zero, wrapped) : Type();
      candidates.insert(combineTiers(dim, lower));
    }
  }
  return SmallVector<Type, 2>(candidates.begin(), candidates.end());
}

SmallVector<Type, 2> mlir::ember::floatCandidates(Type type) {
  if (isFloatType(type))
    return {type};
  MLIRContext *context = type.getContext();
  return {Float32Type::get(context), Float64Type::get(context)};
}

static FailureOr<int64_t> broadcastDim(int64_t lhs, int64_t rhs) {
  if (lhs == rhs || rhs == 1)
    return lhs;
  if (lhs == 1)
    return rhs;
  if (ShapedType::isDynamic(lhs))
    return rhs;
  if (ShapedType::isDynamic(rhs))
    return lhs;
  return failure();
}

FailureOr<SmallVector<int64_t>>
mlir::ember::broadcastShapes(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t l = i < lhs.size() ? lhs[lhs.size() - 1 - i] : 1;
    int64_t r = i < rhs.size() ? rhs[rhs.size() - 1 - i] : 1;
    FailureOr<int64_t> dim = broadcastDim(l, r);
    if (failed(dim))
      return failure();
    result[rank - 1 - i] = *dim;
  }
  return result;
}

SmallVector<int64_t> mlir::ember::reducedShape(ArrayRef<int64_t> shape,
                                               ArrayRef<int64_t> dims,
                                               bool keepdim) {
  SmallVector<int64_t> result;
  for (auto [d, size] : llvm::enumerate(shape)) {
    if (!llvm::is_contained(dims, static_cast<int64_t>(d)))
      result.push_back(size);
    else if (keepdim)
      result.push_back(1);
  }
  return result;
}

std::optional<int64_t> mlir::ember::staticNumElements(ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (ShapedType::isDynamic(dim))
      return std::nullopt;
    count *= dim;
  }
  return count;
}

ResultSpec mlir::ember::result(ArrayRef<int64_t> shape, Type elementType) {
  return ResultSpec{SmallVector<int64_t>(shape), {elementType}};
}

ResultSpec mlir::ember::result(ArrayRef<int64_t> shape,
                               ArrayRef<Type> elementTypes) {
  return ResultSpec{SmallVector<int64_t>(shape),
                    SmallVector<Type, 2>(elementTypes)};
}

//===- ConstantFold.cpp - folding helpers of the ember ops ----------------===//
//
// Splat identities and elementwise constant folding with numpy broadcasting
// (see ConstantFold.h).
//
//===----------------------------------------------------------------------===//

#include "ConstantFold.h"

#include "llvm/ADT/SmallVector.h"

#include <optional>

using namespace mlir;
using namespace mlir::ember;

static std::optional<APInt> getSplatInt(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat() || !isa<IntegerType>(dense.getElementType()))
    return std::nullopt;
  return dense.getSplatValue<APInt>();
}

static std::optional<APFloat> getSplatFloat(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat() || !isa<FloatType>(dense.getElementType()))
    return std::nullopt;
  return dense.getSplatValue<APFloat>();
}

bool mlir::ember::isSplatIdentity(
    Attribute attr, uint64_t intIdentity,
    llvm::function_ref<bool(const APFloat &)> isFloatIdentity) {
  if (std::optional<APInt> value = getSplatInt(attr))
    return *value == intIdentity;
  if (std::optional<APFloat> value = getSplatFloat(attr))
    return isFloatIdentity(*value);
  return false;
}

/// Whether a literal is small enough (or a splat) to fold.
static bool isFoldable(DenseElementsAttr dense) {
  return dense &&
         (dense.isSplat() || dense.getNumElements() <= kMaxFoldElements);
}

/// For each result dimension, the stride of an operand of shape `shape`
/// broadcast to a result of rank `resultRank` (0 where it is broadcast).
static SmallVector<int64_t> broadcastStrides(ArrayRef<int64_t> shape,
                                             size_t resultRank) {
  SmallVector<int64_t> strides(resultRank, 0);
  int64_t stride = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    size_t dim = shape.size() - 1 - i;
    if (shape[dim] != 1)
      strides[resultRank - 1 - i] = stride;
    stride *= shape[dim];
  }
  return strides;
}

/// Applies `fn` to the elements of two dense literals with numpy broadcasting
/// and returns the literal of type `resultType`; InT is APInt or APFloat,
/// OutT too, or bool for comparisons.
template <typename InT, typename OutT = InT>
static Attribute
foldBroadcast(DenseElementsAttr lhs, DenseElementsAttr rhs,
              RankedTensorType resultType,
              llvm::function_ref<OutT(const InT &, const InT &)> fn) {
  int64_t count = resultType.getNumElements();
  if (count == 0)
    return DenseElementsAttr::get(resultType, ArrayRef<OutT>());
  if (lhs.isSplat() && rhs.isSplat())
    return DenseElementsAttr::get(
        resultType, fn(lhs.getSplatValue<InT>(), rhs.getSplatValue<InT>()));
  if (count > kMaxFoldElements)
    return {};

  ArrayRef<int64_t> shape = resultType.getShape();
  SmallVector<int64_t> lhsStrides =
      broadcastStrides(lhs.getType().getShape(), shape.size());
  SmallVector<int64_t> rhsStrides =
      broadcastStrides(rhs.getType().getShape(), shape.size());
  auto lhsValues = lhs.value_begin<InT>();
  auto rhsValues = rhs.value_begin<InT>();

  // Walk the result in row-major order with a multi-index odometer.
  SmallVector<OutT> results;
  results.reserve(count);
  SmallVector<int64_t> index(shape.size(), 0);
  int64_t lhsPos = 0, rhsPos = 0;
  for (int64_t n = 0; n < count; ++n) {
    results.push_back(fn(lhsValues[lhsPos], rhsValues[rhsPos]));
    for (size_t d = shape.size(); d-- > 0;) {
      lhsPos += lhsStrides[d];
      rhsPos += rhsStrides[d];
      if (++index[d] < shape[d])
        break;
      lhsPos -= lhsStrides[d] * shape[d];
      rhsPos -= rhsStrides[d] * shape[d];
      index[d] = 0;
    }
  }
  return DenseElementsAttr::get(resultType, results);
}

Attribute mlir::ember::foldBinaryConstants(
    Attribute lhs, Attribute rhs, Type resultType,
    llvm::function_ref<APInt(const APInt &, const APInt &)> intFn,
    llvm::function_ref<APFloat(const APFloat &, const APFloat &)> floatFn) {
  auto lhsDense = dyn_cast_or_null<DenseElementsAttr>(lhs);
  auto rhsDense = dyn_cast_or_null<DenseElementsAttr>(rhs);
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!isFoldable(lhsDense) || !isFoldable(rhsDense) || !type ||
      !type.hasStaticShape())
    return {};
  Type element = type.getElementType();
  if (lhsDense.getElementType() != element ||
      rhsDense.getElementType() != element)
    return {};
  if (isa<FloatType>(element))
    return floatFn ? foldBroadcast<APFloat>(lhsDense, rhsDense, type, floatFn)
                   : Attribute();
  return intFn ? foldBroadcast<APInt>(lhsDense, rhsDense, type, intFn)
               : Attribute();
}

Attribute mlir::ember::foldCompareConstants(
    Attribute lhs, Attribute rhs, Type resultType,
    llvm::function_ref<bool(const APInt &, const APInt &)> intFn,
    llvm::function_ref<bool(const APFloat &, const APFloat &)> floatFn) {
  auto lhsDense = dyn_cast_or_null<DenseElementsAttr>(lhs);
  auto rhsDense = dyn_cast_or_null<DenseElementsAttr>(rhs);
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!isFoldable(lhsDense) || !isFoldable(rhsDense) || !type ||
      !type.hasStaticShape() ||
      lhsDense.getElementType() != rhsDense.getElementType())
    return {};
  if (isa<FloatType>(lhsDense.getElementType()))
    return foldBroadcast<APFloat, bool>(lhsDense, rhsDense, type, floatFn);
  return foldBroadcast<APInt, bool>(lhsDense, rhsDense, type, intFn);
}

template <typename ElementT>
static Attribute mapDense(DenseElementsAttr dense,
                          llvm::function_ref<ElementT(const ElementT &)> fn) {
  if (dense.isSplat())
    return DenseElementsAttr::get(dense.getType(),
                                  fn(dense.getSplatValue<ElementT>()));
  SmallVector<ElementT> results;
  results.reserve(dense.getNumElements());
  for (const ElementT &value : dense.getValues<ElementT>())
    results.push_back(fn(value));
  return DenseElementsAttr::get(dense.getType(), results);
}

Attribute mlir::ember::foldUnaryConstant(
    Attribute input, Type resultType,
    llvm::function_ref<APInt(const APInt &)> intFn,
    llvm::function_ref<APFloat(const APFloat &)> floatFn) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(input);
  if (!isFoldable(dense) || dense.getType() != resultType)
    return {};
  if (isa<FloatType>(dense.getElementType()))
    return floatFn ? mapDense<APFloat>(dense, floatFn) : Attribute();
  return intFn ? mapDense<APInt>(dense, intFn) : Attribute();
}

APFloat mlir::ember::applyToDouble(const APFloat &value, double (*fn)(double)) {
  if (&value.getSemantics() == &APFloat::IEEEsingle())
    return APFloat(static_cast<float>(fn(value.convertToFloat())));
  return APFloat(fn(value.convertToDouble()));
}

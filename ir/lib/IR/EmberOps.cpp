//===- EmberOps.cpp - ember dialect ops -----------------------------------===//
//
// Type inference, verifiers and folders of the ember ops.
//
// Each shape/dtype rule is one function that computes the result type or
// reports why there is none through an error emitter. inferReturnTypes calls
// it with an emitter at the op's location (that is what reports bad operands
// while parsing, and in verification through InferTypeOpInterface's trait,
// which runs before the op verifier); verify() calls it with emitOpError, so
// the rule holds for every op however it was built. Both emitters start the
// message with "'ember.<op>' op ".
//
// Folders only do what is exact: identities (`x + -0.0`, `x * 1`,
// `relu(relu(x))`) when the result type is the operand's type, and constant
// folding of dense literals with numpy broadcasting.
//
//===----------------------------------------------------------------------===//

#include "ember/IR/EmberOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Matchers.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APInt.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;
using namespace mlir::ember;

using EmitErrorFn = llvm::function_ref<InFlightDiagnostic()>;

bool mlir::ember::isEmberElementType(Type type) {
  return type.isF32() || type.isF64() || type.isSignlessInteger(32) ||
         type.isSignlessInteger(64) || type.isSignlessInteger(1) ||
         type.isUnsignedInteger(8);
}

bool mlir::ember::isEmberTensorType(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && isEmberElementType(tensor.getElementType());
}

//===----------------------------------------------------------------------===//
// Helpers for diagnostics
//===----------------------------------------------------------------------===//

/// Formats a shape as in MLIR types ("2x3", "?x4"); a 0-d shape as "0-d".
static std::string formatShape(ArrayRef<int64_t> shape) {
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

/// An emitter for inferReturnTypes: at `location`, prefixed like emitOpError.
/// Without a location the diagnostic is dropped, as emitOptionalError does.
template <typename OpTy>
static auto inferenceEmitter(std::optional<Location> location) {
  return [location]() -> InFlightDiagnostic {
    if (!location)
      return InFlightDiagnostic();
    return emitError(*location) << "'" << OpTy::getOperationName() << "' op ";
  };
}

//===----------------------------------------------------------------------===//
// Shape rules
//===----------------------------------------------------------------------===//

/// Broadcasts two dimensions; a dynamic dimension matches anything but a
/// static dimension other than 1 decides. Returns failure when incompatible.
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

/// numpy broadcasting of two shapes, aligned at their trailing dimensions.
static FailureOr<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> lhs,
                                                       ArrayRef<int64_t> rhs) {
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

/// Both operands ranked tensors with one element type.
static LogicalResult checkOperandTypes(Type lhs, Type rhs,
                                       EmitErrorFn emitError) {
  auto lhsType = dyn_cast<RankedTensorType>(lhs);
  auto rhsType = dyn_cast<RankedTensorType>(rhs);
  if (!lhsType || !rhsType)
    return emitError() << "expects ranked tensor operands, got " << lhs
                       << " and " << rhs;
  if (lhsType.getElementType() != rhsType.getElementType())
    return emitError() << "operand element types differ: lhs is "
                       << lhsType.getElementType() << ", rhs is "
                       << rhsType.getElementType()
                       << " (type promotion is not implemented yet)";
  return success();
}

/// The result type of a binary elementwise op (add, sub, mul).
static FailureOr<RankedTensorType>
inferBinaryResultType(Type lhs, Type rhs, EmitErrorFn emitError) {
  if (failed(checkOperandTypes(lhs, rhs, emitError)))
    return failure();
  auto lhsType = cast<RankedTensorType>(lhs);
  auto rhsType = cast<RankedTensorType>(rhs);
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(lhsType.getShape(), rhsType.getShape());
  if (failed(shape))
    return emitError() << "operand shapes are not broadcast-compatible: lhs is "
                       << formatShape(lhsType.getShape()) << ", rhs is "
                       << formatShape(rhsType.getShape());
  return RankedTensorType::get(*shape, lhsType.getElementType());
}

/// The result type of ember.matmul: [M,K]x[K,N] -> [M,N], with an optional
/// leading batch dimension on either operand (broadcast when both have one).
static FailureOr<RankedTensorType>
inferMatmulResultType(Type lhs, Type rhs, EmitErrorFn emitError) {
  if (failed(checkOperandTypes(lhs, rhs, emitError)))
    return failure();
  auto lhsType = cast<RankedTensorType>(lhs);
  auto rhsType = cast<RankedTensorType>(rhs);
  ArrayRef<int64_t> l = lhsType.getShape();
  ArrayRef<int64_t> r = rhsType.getShape();
  auto isMatrixOrBatch = [](size_t rank) { return rank == 2 || rank == 3; };
  if (!isMatrixOrBatch(l.size()) || !isMatrixOrBatch(r.size()))
    return emitError() << "expects 2-D or 3-D operands: lhs is " << l.size()
                       << "-D (" << formatShape(l) << "), rhs is " << r.size()
                       << "-D (" << formatShape(r) << ")";

  int64_t lhsK = l.back();
  int64_t rhsK = r[r.size() - 2];
  if (!ShapedType::isDynamic(lhsK) && !ShapedType::isDynamic(rhsK) &&
      lhsK != rhsK)
    return emitError() << "contracting dimensions differ: lhs is "
                       << formatShape(l) << ", rhs is " << formatShape(r);

  SmallVector<int64_t, 3> shape;
  if (l.size() == 3 && r.size() == 3) {
    FailureOr<int64_t> batch = broadcastDim(l[0], r[0]);
    if (failed(batch))
      return emitError()
             << "batch dimensions are not broadcast-compatible: lhs is "
             << formatShape(l) << ", rhs is " << formatShape(r);
    shape.push_back(*batch);
  } else if (l.size() == 3) {
    shape.push_back(l[0]);
  } else if (r.size() == 3) {
    shape.push_back(r[0]);
  }
  shape.push_back(l[l.size() - 2]);
  shape.push_back(r.back());
  return RankedTensorType::get(shape, lhsType.getElementType());
}

/// The literal of ember.constant must be a ranked tensor of an ember dtype.
static LogicalResult checkConstantValue(DenseElementsAttr value,
                                        EmitErrorFn emitError) {
  if (!value)
    return emitError() << "requires a dense tensor literal 'value'";
  if (!isEmberTensorType(value.getType()))
    return emitError() << "value must be a ranked tensor of f32, f64, i32, "
                          "i64, i1 or ui8, got "
                       << value.getType();
  return success();
}

//===----------------------------------------------------------------------===//
// Folding helpers
//===----------------------------------------------------------------------===//

/// Returns the splat element of a dense literal, or nothing.
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

/// Whether `attr` is a splat literal whose element is the identity of an
/// operation: `intIdentity` for integers, `isFloatIdentity` for floats.
static bool
isSplatIdentity(Attribute attr, uint64_t intIdentity,
                llvm::function_ref<bool(const APFloat &)> isFloatIdentity) {
  if (std::optional<APInt> value = getSplatInt(attr))
    return *value == intIdentity;
  if (std::optional<APFloat> value = getSplatFloat(attr))
    return isFloatIdentity(*value);
  return false;
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
/// and returns the literal of type `resultType`; ElementT is APInt or APFloat.
template <typename ElementT>
static Attribute foldBroadcast(
    DenseElementsAttr lhs, DenseElementsAttr rhs, RankedTensorType resultType,
    llvm::function_ref<ElementT(const ElementT &, const ElementT &)> fn) {
  int64_t count = resultType.getNumElements();
  if (count == 0)
    return DenseElementsAttr::get(resultType, ArrayRef<ElementT>());
  if (lhs.isSplat() && rhs.isSplat())
    return DenseElementsAttr::get(
        resultType,
        fn(lhs.getSplatValue<ElementT>(), rhs.getSplatValue<ElementT>()));

  ArrayRef<int64_t> shape = resultType.getShape();
  SmallVector<int64_t> lhsStrides =
      broadcastStrides(lhs.getType().getShape(), shape.size());
  SmallVector<int64_t> rhsStrides =
      broadcastStrides(rhs.getType().getShape(), shape.size());
  auto lhsValues = lhs.value_begin<ElementT>();
  auto rhsValues = rhs.value_begin<ElementT>();

  // Walk the result in row-major order with a multi-index odometer.
  SmallVector<ElementT> results;
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

/// Constant-folds a binary elementwise op whose operands are both literals.
static Attribute foldBinaryConstants(
    Attribute lhs, Attribute rhs, Type resultType,
    llvm::function_ref<APInt(const APInt &, const APInt &)> intFn,
    llvm::function_ref<APFloat(const APFloat &, const APFloat &)> floatFn) {
  auto lhsDense = dyn_cast_or_null<DenseElementsAttr>(lhs);
  auto rhsDense = dyn_cast_or_null<DenseElementsAttr>(rhs);
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!lhsDense || !rhsDense || !type || !type.hasStaticShape())
    return {};
  if (isa<FloatType>(type.getElementType()))
    return foldBroadcast<APFloat>(lhsDense, rhsDense, type, floatFn);
  return foldBroadcast<APInt>(lhsDense, rhsDense, type, intFn);
}

/// Constant-folds a unary elementwise op whose operand is a literal.
template <typename ElementT>
static Attribute
foldUnaryConstant(Attribute input,
                  llvm::function_ref<ElementT(const ElementT &)> fn) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(input);
  if (!dense || dense.empty())
    return dense;
  if (dense.isSplat())
    return DenseElementsAttr::get(dense.getType(),
                                  fn(dense.getSplatValue<ElementT>()));
  SmallVector<ElementT> results;
  results.reserve(dense.getNumElements());
  for (const ElementT &value : dense.getValues<ElementT>())
    results.push_back(fn(value));
  return DenseElementsAttr::get(dense.getType(), results);
}

//===----------------------------------------------------------------------===//
// ember.constant
//===----------------------------------------------------------------------===//

LogicalResult
ConstantOp::inferReturnTypes(MLIRContext *, std::optional<Location> location,
                             ValueRange operands, DictionaryAttr attributes,
                             OpaqueProperties properties, RegionRange regions,
                             SmallVectorImpl<Type> &inferredReturnTypes) {
  Adaptor adaptor(operands, attributes, properties, regions);
  DenseElementsAttr value = adaptor.getProperties().value; // null if absent
  if (failed(checkConstantValue(value, inferenceEmitter<ConstantOp>(location))))
    return failure();
  inferredReturnTypes.push_back(value.getType());
  return success();
}

LogicalResult ConstantOp::verify() {
  return checkConstantValue(getValueAttr(), [&] { return emitOpError(); });
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValueAttr(); }

//===----------------------------------------------------------------------===//
// ember.add, ember.sub, ember.mul
//===----------------------------------------------------------------------===//

/// inferReturnTypes of the binary elementwise ops.
template <typename OpTy>
static LogicalResult inferBinaryOp(std::optional<Location> location,
                                   ValueRange operands,
                                   SmallVectorImpl<Type> &inferredReturnTypes) {
  if (operands.size() != 2)
    return failure();
  FailureOr<RankedTensorType> type =
      inferBinaryResultType(operands[0].getType(), operands[1].getType(),
                            inferenceEmitter<OpTy>(location));
  if (failed(type))
    return failure();
  inferredReturnTypes.push_back(*type);
  return success();
}

/// verify() of the binary elementwise ops.
template <typename OpTy> static LogicalResult verifyBinaryOp(OpTy op) {
  return inferBinaryResultType(op.getLhs().getType(), op.getRhs().getType(),
                               [&] { return op.emitOpError(); });
}

LogicalResult AddOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> location,
                                      ValueRange operands, DictionaryAttr,
                                      OpaqueProperties, RegionRange,
                                      SmallVectorImpl<Type> &inferred) {
  return inferBinaryOp<AddOp>(location, operands, inferred);
}

LogicalResult AddOp::verify() { return verifyBinaryOp(*this); }

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  // The Commutative trait has already moved a constant operand to the right.
  // x + 0 -> x; for floats only -0.0 is exact (-0.0 + +0.0 is +0.0).
  if (getType() == getLhs().getType() &&
      isSplatIdentity(adaptor.getRhs(), 0, [](const APFloat &v) {
        return v.isZero() && v.isNegative();
      }))
    return getLhs();
  return foldBinaryConstants(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b) {
        // bool + bool is a logical or in PyTorch.
        return a.getBitWidth() == 1 ? a | b : a + b;
      },
      [](const APFloat &a, const APFloat &b) { return a + b; });
}

LogicalResult SubOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> location,
                                      ValueRange operands, DictionaryAttr,
                                      OpaqueProperties, RegionRange,
                                      SmallVectorImpl<Type> &inferred) {
  return inferBinaryOp<SubOp>(location, operands, inferred);
}

LogicalResult SubOp::verify() { return verifyBinaryOp(*this); }

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  // x - 0 -> x; for floats only +0.0 is exact (-0.0 - -0.0 is +0.0).
  if (getType() == getLhs().getType() &&
      isSplatIdentity(adaptor.getRhs(), 0,
                      [](const APFloat &v) { return v.isPosZero(); }))
    return getLhs();
  return foldBinaryConstants(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b) { return a - b; },
      [](const APFloat &a, const APFloat &b) { return a - b; });
}

LogicalResult MulOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> location,
                                      ValueRange operands, DictionaryAttr,
                                      OpaqueProperties, RegionRange,
                                      SmallVectorImpl<Type> &inferred) {
  return inferBinaryOp<MulOp>(location, operands, inferred);
}

LogicalResult MulOp::verify() { return verifyBinaryOp(*this); }

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  // x * 1 -> x (exact for every element type; on i1, 1 is true).
  if (getType() == getLhs().getType() &&
      isSplatIdentity(adaptor.getRhs(), 1,
                      [](const APFloat &v) { return v.isExactlyValue(1.0); }))
    return getLhs();
  return foldBinaryConstants(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b) { return a * b; },
      [](const APFloat &a, const APFloat &b) { return a * b; });
}

//===----------------------------------------------------------------------===//
// ember.relu, ember.exp
//===----------------------------------------------------------------------===//

OpFoldResult ReluOp::fold(FoldAdaptor adaptor) {
  Type elementType = getType().getElementType();
  // relu is the identity on unsigned tensors and idempotent.
  if (elementType.isUnsignedInteger() || getInput().getDefiningOp<ReluOp>())
    return getInput();
  if (isa<FloatType>(elementType))
    return foldUnaryConstant<APFloat>(adaptor.getInput(), [](const APFloat &v) {
      // x < 0 ? 0 : x, so NaN and -0.0 pass through as in torch.relu.
      if (v.isNaN() || v.isZero() || !v.isNegative())
        return v;
      return APFloat::getZero(v.getSemantics());
    });
  return foldUnaryConstant<APInt>(adaptor.getInput(), [](const APInt &v) {
    return v.isNegative() ? APInt::getZero(v.getBitWidth()) : v;
  });
}

OpFoldResult ExpOp::fold(FoldAdaptor adaptor) {
  return foldUnaryConstant<APFloat>(adaptor.getInput(), [](const APFloat &v) {
    if (&v.getSemantics() == &APFloat::IEEEsingle())
      return APFloat(std::exp(v.convertToFloat()));
    return APFloat(std::exp(v.convertToDouble()));
  });
}

//===----------------------------------------------------------------------===//
// ember.matmul
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         ValueRange operands, DictionaryAttr,
                                         OpaqueProperties, RegionRange,
                                         SmallVectorImpl<Type> &inferred) {
  if (operands.size() != 2)
    return failure();
  FailureOr<RankedTensorType> type =
      inferMatmulResultType(operands[0].getType(), operands[1].getType(),
                            inferenceEmitter<MatmulOp>(location));
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

LogicalResult MatmulOp::verify() {
  return inferMatmulResultType(getLhs().getType(), getRhs().getType(),
                               [&] { return emitOpError(); });
}

#define GET_OP_CLASSES
#include "ember/IR/EmberOps.cpp.inc"

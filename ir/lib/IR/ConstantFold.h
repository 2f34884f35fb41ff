//===- ConstantFold.h - folding helpers of the ember ops --------*- C++ -*-===//
//
// What the folders share: recognizing splat identities (`x + -0.0`,
// `x * 1`) and constant-folding elementwise ops on dense literals, with
// numpy broadcasting. Only small literals are folded (kMaxFoldElements, or
// any splat), so canonicalization never materializes a large tensor.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_LIB_IR_CONSTANTFOLD_H
#define EMBER_LIB_IR_CONSTANTFOLD_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APInt.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace mlir::ember {

/// Non-splat literals with more elements than this are not folded.
constexpr int64_t kMaxFoldElements = 1024;

/// Whether `attr` is a splat literal whose element is the identity of an
/// operation: `intIdentity` for integers, `isFloatIdentity` for floats.
bool isSplatIdentity(Attribute attr, uint64_t intIdentity,
                     llvm::function_ref<bool(const APFloat &)> isFloatIdentity);

/// Folds a binary elementwise op of two literals whose element type is the
/// result's (`resultType`, static). Null when not foldable.
Attribute foldBinaryConstants(
    Attribute lhs, Attribute rhs, Type resultType,
    llvm::function_ref<APInt(const APInt &, const APInt &)> intFn,
    llvm::function_ref<APFloat(const APFloat &, const APFloat &)> floatFn);

/// Folds a comparison of two literals of one element type into an i1
/// literal of type `resultType` (static). Null when not foldable.
Attribute foldCompareConstants(
    Attribute lhs, Attribute rhs, Type resultType,
    llvm::function_ref<bool(const APInt &, const APInt &)> intFn,
    llvm::function_ref<bool(const APFloat &, const APFloat &)> floatFn);

/// Folds a unary elementwise op of a literal of the result's type. A null
/// function leaves that element kind unfolded.
Attribute
foldUnaryConstant(Attribute input, Type resultType,
                  llvm::function_ref<APInt(const APInt &)> intFn,
                  llvm::function_ref<APFloat(const APFloat &)> floatFn);

/// Applies a double -> double function to an f32 or f64 APFloat.
APFloat applyToDouble(const APFloat &value, double (*fn)(double));

} // namespace mlir::ember

#endif // EMBER_LIB_IR_CONSTANTFOLD_H

//===- LoweringUtils.h - helpers of the ember lowering ----------*- C++ -*-===//
//
// What the pattern files share: a pattern class keyed by op name (so that
// hasLowering reads the op names off the pattern set), element conversions
// with eager's cast semantics, scalar constants from ember's Scalar
// attributes, and builders for a broadcasting elementwise linalg.generic, a
// reduction linalg.generic and a static reshape.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_CODEGEN_LOWERING_LOWERINGUTILS_H
#define EMBER_CODEGEN_LOWERING_LOWERINGUTILS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <array>
#include <optional>

namespace mlir::ember::lowering {

/// Builds the replacement of `op` (one result) from its operands; failure
/// leaves the op alone.
using LowerFn = FailureOr<Value> (*)(ConversionPatternRewriter &rewriter,
                                     Operation *op, ValueRange operands);

/// The same for ops with several results (max_dim: values, indices).
using LowerManyFn = FailureOr<SmallVector<Value>> (*)(
    ConversionPatternRewriter &rewriter, Operation *op, ValueRange operands);

/// Whether a lowering takes this (verified, statically shaped) op: the
/// element types and attributes it handles. Checked before rewriting, and
/// by isLowerable, so the pass never marks illegal an op it cannot lower.
using AcceptFn = bool (*)(Operation *op);

/// The pattern of `ember.<name>`: checks isLowerable's type conditions and
/// `accepts`, then calls `fn` and replaces the op's one result.
class NamedLowering : public ConversionPattern {
public:
  NamedLowering(MLIRContext *context, StringRef opName, LowerFn fn,
                AcceptFn accepts)
      : ConversionPattern(opName, /*benefit=*/1, context), fn(fn),
        accepts(accepts) {}
  NamedLowering(MLIRContext *context, StringRef opName, LowerManyFn fn,
                AcceptFn accepts)
      : ConversionPattern(opName, /*benefit=*/1, context), manyFn(fn),
        accepts(accepts) {}
  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override;
  /// Type conditions and `accepts`.
  bool takes(Operation *op) const;

private:
  LowerFn fn = nullptr;
  LowerManyFn manyFn = nullptr;
  AcceptFn accepts;
};

/// Adds the NamedLowering of `ember.<name>` (`accepts` null: every op with
/// lowerable types).
void addLowering(RewritePatternSet &patterns, StringRef name, LowerFn fn,
                 AcceptFn accepts = nullptr);
void addLowering(RewritePatternSet &patterns, StringRef name, LowerManyFn fn,
                 AcceptFn accepts = nullptr);

// Families (one file each).
void populateElementwisePatterns(RewritePatternSet &patterns);
void populateReducePatterns(RewritePatternSet &patterns);
void populateLinalgPatterns(RewritePatternSet &patterns);
void populateShapePatterns(RewritePatternSet &patterns);
void populateNNPatterns(RewritePatternSet &patterns);
void populateNNBackwardPatterns(RewritePatternSet &patterns);
/// max_pool2d_backward (MaxPoolBackward.cpp; from populateNNBackwardPatterns).
void populateMaxPoolBackwardPatterns(RewritePatternSet &patterns);
void populateIndexPatterns(RewritePatternSet &patterns);
void populateRandomPatterns(RewritePatternSet &patterns);

/// Whether all operand and result types are static tensors without `ui8`.
bool hasLowerableTypes(Operation *op);

//===----------------------------------------------------------------------===//
// Scalars
//===----------------------------------------------------------------------===//

/// Converts the scalar `v` to `to` as eager's static_cast does: int -> float
/// (sitofp; uitofp for bool), float -> float (extf/truncf), float -> int
/// (fptosi; `!= 0` for bool), int -> int (extsi/trunci; extui from bool;
/// `!= 0` to bool).
Value convertScalar(OpBuilder &b, Location loc, Value v, Type to);
/// `value` as an arith.constant of the scalar type `type`.
Value scalarConstant(OpBuilder &b, Location loc, Type type, double value);
/// An ember Scalar attribute (f64, i64 or bool) as a constant of `type`.
Value scalarConstant(OpBuilder &b, Location loc, Type type, Attribute scalar);
/// An ember Scalar attribute's value as a double.
std::optional<double> scalarValue(Attribute scalar);

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

/// The body of an elementwise generic: takes the operands' scalars, returns
/// the result scalar.
using BodyFn =
    llvm::function_ref<Value(OpBuilder &b, Location loc, ValueRange args)>;

/// The indexing map that reads a `type` operand broadcast (numpy rules) to
/// a result of rank `resultRank` of shape `resultShape`: trailing dims
/// aligned, size-1 dims of the operand read at index 0.
AffineMap broadcastMap(MLIRContext *context, RankedTensorType type,
                       ArrayRef<int64_t> resultShape);

/// One all-parallel linalg.generic producing `resultType` from `inputs`
/// (broadcast to its shape).
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange inputs, BodyFn body);

/// tensor.empty + linalg.fill with `init`.
Value buildFilled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                  Value init);

/// A linalg.generic that reduces `input` over the sorted, wrapped `dims`
/// into a tensor of the reduced shape (keepdim false), starting from
/// `init`; `combine(element, accumulator)` runs in linalg's loop order.
/// The elements are first converted to `elementType` (when given), then to
/// init's type.
Value buildReduction(
    OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> dims,
    Type elementType, Value init,
    llvm::function_ref<Value(OpBuilder &, Location, Value, Value)> combine);

/// Wraps (torch's wrap_dim) and sorts `dims` of a rank-`rank` tensor; all
/// dims when `dims` is absent or empty.
SmallVector<int64_t> reductionDims(std::optional<ArrayRef<int64_t>> dims,
                                   int64_t rank);

/// `v` reshaped to the static `type` (same element count): a collapse or
/// expand when one fits, else a collapse to 1-D and an expand.
Value reshapeTo(OpBuilder &b, Location loc, Value v, RankedTensorType type);

/// The result type of `op`'s result 0.
inline RankedTensorType resultType(Operation *op) {
  return cast<RankedTensorType>(op->getResult(0).getType());
}
inline Type elementTypeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getElementType();
}

//===----------------------------------------------------------------------===//
// Convolution and pooling (NN.cpp; shared with NNBackward.cpp)
//===----------------------------------------------------------------------===//

/// A pair attribute (stride, padding, ...): one entry counts for both dims;
/// absent or empty gives `dflt`.
std::array<int64_t, 2> pairAttr(Operation *op, StringRef name,
                                std::array<int64_t, 2> dflt);
/// `v` as a 4-D NCHW tensor (a 3-D CHW input gets N = 1).
Value toNCHW(OpBuilder &b, Location loc, Value v);
/// `type` with a leading 1 when it is 3-D.
RankedTensorType nchwType(RankedTensorType type);
/// Pads H and W of an NCHW tensor with `value`: `low` before, `high` after.
Value padHW(OpBuilder &b, Location loc, Value v, std::array<int64_t, 2> low,
            std::array<int64_t, 2> high, Value value);
/// avg_pool2d's divisors as an `[OH, OW]` constant of `t` (eager's rule: the
/// window clipped to the padded input with count_include_pad, to the input
/// without; 1 for empty windows, whose sum is 0).
Value avgPoolDivisors(OpBuilder &b, Location loc, Type t,
                      std::array<int64_t, 2> size, std::array<int64_t, 2> out,
                      std::array<int64_t, 2> kernel,
                      std::array<int64_t, 2> stride,
                      std::array<int64_t, 2> padding, bool countPad);

} // namespace mlir::ember::lowering

#endif // EMBER_CODEGEN_LOWERING_LOWERINGUTILS_H

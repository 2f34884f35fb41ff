//===- Index.cpp - lowering of gather and scatter_add ---------------------===//
//
// gather(input, index, dim) -> a linalg.generic over the index's shape whose
// body reads input[i0, .., index[i], .., in] with tensor.extract (the result
// has the index's shape, as torch.gather's).
// scatter_add(input, index, src, dim) -> a loop nest (scf.for) over the
// index's shape carrying the result tensor: result[.., index[i], ..] +=
// src[i] with tensor.extract/insert, in row-major order of i (so repeated
// indices add in eager's order).
// cross_entropy's nll_loss is a gather, and its gradient a scatter_add.
//
// Index values are clamped into [0, size) before they address memory:
// compiled code cannot raise an error, and eager checked the values when
// the trace was recorded; what a later call passes out of range reads or
// writes the nearest valid element instead of leaving the buffer (the
// known cost of taking indices as data, stated in the README).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::ember::lowering;

namespace {

int64_t dimAttr(Operation *op, int64_t rank) {
  int64_t dim = 0;
  if (auto attr = op->getAttrOfType<IntegerAttr>("dim"))
    dim = attr.getInt();
  return dim < 0 ? dim + rank : dim;
}

// The index value `i` (any integer type) as an `index` in [0, size).
Value clampedIndex(OpBuilder &b, Location loc, Value i, int64_t size) {
  Value i64 = convertScalar(b, loc, i, b.getI64Type());
  Value zero = b.create<arith::ConstantIntOp>(loc, 0, 64);
  Value last = b.create<arith::ConstantIntOp>(loc, size - 1, 64);
  Value clamped = b.create<arith::MaxSIOp>(
      loc, zero, b.create<arith::MinSIOp>(loc, i64, last));
  return b.create<arith::IndexCastOp>(loc, b.getIndexType(), clamped);
}

bool acceptsIndexOp(Operation *op) {
  auto input = cast<RankedTensorType>(op->getOperand(0).getType());
  auto index = cast<RankedTensorType>(op->getOperand(1).getType());
  int64_t rank = input.getRank();
  if (rank == 0 || index.getRank() != rank ||
      !isa<IntegerType>(index.getElementType()))
    return false;
  int64_t dim = dimAttr(op, rank);
  if (dim < 0 || dim >= rank || input.getDimSize(dim) == 0)
    return false;
  // torch: index.size(d) <= input.size(d) for d != dim (and src's for
  // scatter_add).
  for (int64_t d = 0; d < rank; ++d)
    if (d != dim && index.getDimSize(d) > input.getDimSize(d))
      return false;
  if (op->getNumOperands() == 3) {
    auto src = cast<RankedTensorType>(op->getOperand(2).getType());
    if (src.getRank() != rank || src.getElementType() != input.getElementType())
      return false;
    for (int64_t d = 0; d < rank; ++d)
      if (index.getDimSize(d) > src.getDimSize(d))
        return false;
  }
  return true;
}

FailureOr<Value> lowerGather(ConversionPatternRewriter &b, Operation *op,
                             ValueRange operands) {
  Location loc = op->getLoc();
  Value input = operands[0], index = operands[1];
  auto inType = cast<RankedTensorType>(input.getType());
  RankedTensorType outType = resultType(op);
  int64_t rank = outType.getRank();
  int64_t dim = dimAttr(op, rank);
  Value empty = b.create<tensor::EmptyOp>(loc, outType.getShape(),
                                          outType.getElementType());
  SmallVector<AffineMap> maps(2, b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = b.create<linalg::GenericOp>(
      loc, outType, ValueRange{index}, ValueRange{empty}, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        SmallVector<Value> at;
        for (int64_t d = 0; d < rank; ++d)
          at.push_back(nb.create<linalg::IndexOp>(l, d));
        at[dim] = clampedIndex(nb, l, args[0], inType.getDimSize(dim));
        Value v = nb.create<tensor::ExtractOp>(l, input, at);
        nb.create<linalg::YieldOp>(
            l, convertScalar(nb, l, v, outType.getElementType()));
      });
  return generic.getResult(0);
}

FailureOr<Value> lowerScatterAdd(ConversionPatternRewriter &b, Operation *op,
                                 ValueRange operands) {
  Location loc = op->getLoc();
  Value input = operands[0], index = operands[1], src = operands[2];
  auto inType = cast<RankedTensorType>(input.getType());
  auto indexType = cast<RankedTensorType>(index.getType());
  if (resultType(op) != inType)
    return failure();
  int64_t rank = inType.getRank();
  int64_t dim = dimAttr(op, rank);
  SmallVector<Value> lbs, ubs, steps;
  Value zero = b.create<arith::ConstantIndexOp>(loc, 0);
  Value one = b.create<arith::ConstantIndexOp>(loc, 1);
  for (int64_t d = 0; d < rank; ++d) {
    lbs.push_back(zero);
    ubs.push_back(
        b.create<arith::ConstantIndexOp>(loc, indexType.getDimSize(d)));
    steps.push_back(one);
  }
  bool isFloat = isa<FloatType>(inType.getElementType());
  scf::LoopNest nest = scf::buildLoopNest(
      b, loc, lbs, ubs, steps, ValueRange{input},
      [&](OpBuilder &nb, Location l, ValueRange ivs,
          ValueRange acc) -> scf::ValueVector {
        Value i = nb.create<tensor::ExtractOp>(l, index, ivs);
        Value s = nb.create<tensor::ExtractOp>(l, src, ivs);
        SmallVector<Value> at(ivs.begin(), ivs.end());
        at[dim] = clampedIndex(nb, l, i, inType.getDimSize(dim));
        Value old = nb.create<tensor::ExtractOp>(l, acc[0], at);
        Value sum = isFloat ? nb.create<arith::AddFOp>(l, old, s).getResult()
                            : nb.create<arith::AddIOp>(l, old, s).getResult();
        return {nb.create<tensor::InsertOp>(l, sum, acc[0], at).getResult()};
      });
  return nest.results.front();
}

} // namespace

void mlir::ember::lowering::populateIndexPatterns(RewritePatternSet &patterns) {
  addLowering(patterns, "gather", lowerGather, acceptsIndexOp);
  addLowering(patterns, "scatter_add", lowerScatterAdd, acceptsIndexOp);
}

//===- Random.cpp - lowering of bernoulli ---------------------------------===//
//
// bernoulli(p, base, seed_lo, seed_hi) -> one linalg.generic over p's
// shape that draws exactly what the eager kernel
// (runtime/src/kernels/random.cpp) draws: element i (row-major) takes lane
// i % E of the Philox4x32-10 block `base + offset + i / E` keyed by the
// seed (seed_lo, seed_hi) (E = 4 words per block for
// f32, 2 word pairs for f64), turns it into a uniform u in [0, 1) as
// runtime/include/ember/runtime/philox.h does, and yields u < p ? 1 : 0.
// The 32x32->64 multiplies of a round are arith.mului_extended.
//
// Only the form with the generator state lowers: without it every call of the
// compiled code would draw the same numbers (the trace's), so the op stays
// eager and draws anew there.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

using namespace mlir;
using namespace mlir::ember::lowering;

namespace {

// Philox4x32 constants (runtime/include/ember/runtime/philox.h).
constexpr uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;
constexpr uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;

bool acceptsBernoulli(Operation *op) {
  auto p = cast<RankedTensorType>(op->getOperand(0).getType());
  return op->getNumOperands() == 4 &&
         (p.getElementType().isF32() || p.getElementType().isF64());
}

Value i32Const(OpBuilder &b, Location loc, uint32_t v) {
  return b.create<arith::ConstantIntOp>(loc, static_cast<int32_t>(v), 32);
}

// The ten-round Philox4x32 bijection of counter `c` under key (k0, k1).
std::array<Value, 4> philox(OpBuilder &b, Location loc, std::array<Value, 4> c,
                            Value k0, Value k1) {
  Value m0 = i32Const(b, loc, kM0), m1 = i32Const(b, loc, kM1);
  Value w0 = i32Const(b, loc, kW0), w1 = i32Const(b, loc, kW1);
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      k0 = b.create<arith::AddIOp>(loc, k0, w0);
      k1 = b.create<arith::AddIOp>(loc, k1, w1);
    }
    auto p0 = b.create<arith::MulUIExtendedOp>(loc, m0, c[0]);
    auto p1 = b.create<arith::MulUIExtendedOp>(loc, m1, c[2]);
    Value r0 = b.create<arith::XOrIOp>(
        loc, b.create<arith::XOrIOp>(loc, p1.getHigh(), c[1]), k0);
    Value r2 = b.create<arith::XOrIOp>(
        loc, b.create<arith::XOrIOp>(loc, p0.getHigh(), c[3]), k1);
    c = {r0, p1.getLow(), r2, p0.getLow()};
  }
  return c;
}

FailureOr<Value> lowerBernoulli(ConversionPatternRewriter &b, Operation *op,
                                ValueRange operands) {
  Location loc = op->getLoc();
  Value p = operands[0];
  RankedTensorType outType = resultType(op);
  Type elem = outType.getElementType();
  const bool f32 = elem.isF32();
  const int64_t perBlock = f32 ? 4 : 2;
  auto offset = op->getAttrOfType<IntegerAttr>("offset").getInt();
  int64_t rank = outType.getRank();
  Value empty = b.create<tensor::EmptyOp>(loc, outType.getShape(), elem);
  AffineMap scalar = AffineMap::get(rank, 0, {}, b.getContext());
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank), scalar, scalar,
                                 scalar, b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = b.create<linalg::GenericOp>(
      loc, outType, ValueRange{p, operands[1], operands[2], operands[3]},
      ValueRange{empty}, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Type i64 = nb.getI64Type(), i32 = nb.getI32Type();
        // The row-major linear index of this element.
        Value linear = nb.create<arith::ConstantIntOp>(l, 0, 64);
        int64_t stride = 1;
        for (int64_t d = rank - 1; d >= 0; --d) {
          Value idx = nb.create<arith::IndexCastOp>(
              l, i64, nb.create<linalg::IndexOp>(l, d));
          Value term = nb.create<arith::MulIOp>(
              l, idx, nb.create<arith::ConstantIntOp>(l, stride, 64));
          linear = nb.create<arith::AddIOp>(l, linear, term);
          stride *= outType.getDimSize(d);
        }
        Value e = nb.create<arith::ConstantIntOp>(l, perBlock, 64);
        Value q = nb.create<arith::DivUIOp>(l, linear, e);
        Value lane = nb.create<arith::RemUIOp>(l, linear, e);
        // block = offset_base + offset + q, as a 64-bit counter.
        Value block = nb.create<arith::AddIOp>(
            l, nb.create<arith::FPToUIOp>(l, i64, args[1]),
            nb.create<arith::AddIOp>(
                l, q, nb.create<arith::ConstantIntOp>(l, offset, 64)));
        Value lo = nb.create<arith::TruncIOp>(l, i32, block);
        Value hi = nb.create<arith::TruncIOp>(
            l, i32,
            nb.create<arith::ShRUIOp>(
                l, block, nb.create<arith::ConstantIntOp>(l, 32, 64)));
        Value zero32 = i32Const(nb, l, 0);
        std::array<Value, 4> r =
            philox(nb, l, {lo, hi, zero32, zero32},
                   nb.create<arith::FPToUIOp>(l, i32, args[2]),
                   nb.create<arith::FPToUIOp>(l, i32, args[3]));
        auto laneIs = [&](int64_t k) {
          return nb.create<arith::CmpIOp>(
              l, arith::CmpIPredicate::eq, lane,
              nb.create<arith::ConstantIntOp>(l, k, 64));
        };
        Value u;
        if (f32) {
          // Lane k's word; its top 24 bits times 2^-24.
          Value w = nb.create<arith::SelectOp>(
              l, laneIs(0), r[0],
              nb.create<arith::SelectOp>(
                  l, laneIs(1), r[1],
                  nb.create<arith::SelectOp>(l, laneIs(2), r[2], r[3])));
          Value top = nb.create<arith::ShRUIOp>(l, w, i32Const(nb, l, 8));
          u = nb.create<arith::MulFOp>(
              l, nb.create<arith::UIToFPOp>(l, elem, top),
              nb.create<arith::ConstantFloatOp>(l, APFloat(0x1p-24f),
                                                nb.getF32Type()));
        } else {
          // Lanes (2k, 2k+1) as (hi, lo); the top 53 bits times 2^-53.
          Value first = laneIs(0);
          Value whi = nb.create<arith::SelectOp>(l, first, r[0], r[2]);
          Value wlo = nb.create<arith::SelectOp>(l, first, r[1], r[3]);
          Value x = nb.create<arith::OrIOp>(
              l,
              nb.create<arith::ShLIOp>(
                  l, nb.create<arith::ExtUIOp>(l, i64, whi),
                  nb.create<arith::ConstantIntOp>(l, 32, 64)),
              nb.create<arith::ExtUIOp>(l, i64, wlo));
          Value top = nb.create<arith::ShRUIOp>(
              l, x, nb.create<arith::ConstantIntOp>(l, 11, 64));
          u = nb.create<arith::MulFOp>(
              l, nb.create<arith::UIToFPOp>(l, elem, top),
              nb.create<arith::ConstantFloatOp>(l, APFloat(0x1p-53),
                                                nb.getF64Type()));
        }
        Value hit =
            nb.create<arith::CmpFOp>(l, arith::CmpFPredicate::OLT, u, args[0]);
        Value one = scalarConstant(nb, l, elem, 1.0);
        Value zero = scalarConstant(nb, l, elem, 0.0);
        nb.create<linalg::YieldOp>(
            l, ValueRange{nb.create<arith::SelectOp>(l, hit, one, zero)});
      });
  return generic.getResult(0);
}

} // namespace

void mlir::ember::lowering::populateRandomPatterns(
    RewritePatternSet &patterns) {
  addLowering(patterns, "bernoulli", lowerBernoulli, acceptsBernoulli);
}

//===- GradientUtils.cpp - helpers shared by the gradient rules -----------===//

#include "GradientUtils.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace mlir::ember;
using namespace mlir::ember::grad;

bool grad::isFloatTensor(Type t) {
  auto tensor = dyn_cast<RankedTensorType>(t);
  return tensor && isa<FloatType>(tensor.getElementType());
}

double grad::scalarOf(Attribute attr, double otherwise) {
  if (auto f = dyn_cast_or_null<FloatAttr>(attr))
    return f.getValueAsDouble();
  if (auto b = dyn_cast_or_null<BoolAttr>(attr))
    return b.getValue() ? 1.0 : 0.0;
  if (auto i = dyn_cast_or_null<IntegerAttr>(attr))
    return static_cast<double>(i.getInt());
  return otherwise;
}

int64_t grad::wrapDim(int64_t dim, int64_t rank) {
  return dim < 0 ? dim + std::max<int64_t>(rank, 1) : dim;
}

static Attribute elementValue(Type elem, double v) {
  if (auto f = dyn_cast<FloatType>(elem))
    return FloatAttr::get(f, v);
  if (elem.isInteger(1))
    return BoolAttr::get(elem.getContext(), v != 0.0);
  return IntegerAttr::get(elem, static_cast<int64_t>(v));
}

Value GradBuilder::splat(RankedTensorType type, double v) {
  auto value =
      DenseElementsAttr::get(type, elementValue(type.getElementType(), v));
  return b.create<ConstantOp>(loc, value).getResult();
}

Value GradBuilder::scalar(Value like, double v) {
  Type elem = cast<RankedTensorType>(like.getType()).getElementType();
  return splat(RankedTensorType::get({}, elem), v);
}

Value GradBuilder::castTo(Value v, Type elem) {
  if (cast<RankedTensorType>(v.getType()).getElementType() == elem)
    return v;
  return create<ToDtypeOp>({v}, {attr("dtype", TypeAttr::get(elem))});
}

Value GradBuilder::reshape(Value v, ArrayRef<int64_t> shape) {
  if (shapeOf(v) == shape)
    return v;
  return create<ReshapeOp>({v}, {i64s("shape", shape)});
}

Value GradBuilder::expand(Value v, ArrayRef<int64_t> shape) {
  if (shapeOf(v) == shape)
    return v;
  return create<ExpandOp>({v}, {i64s("shape", shape)});
}

Value GradBuilder::transpose(Value v, int64_t dim0, int64_t dim1) {
  return create<TransposeOp>({v}, {i64("dim0", dim0), i64("dim1", dim1)});
}

Value GradBuilder::sum(Value v, ArrayRef<int64_t> dims, bool keepdim) {
  if (dims.empty())
    return v;
  return create<SumOp>(
      {v}, {i64s("dims", dims), attr("keepdim", b.getBoolAttr(keepdim))});
}

Value GradBuilder::sumTo(Value g, Type target) {
  auto to = cast<RankedTensorType>(target);
  ArrayRef<int64_t> from = shapeOf(g);
  const int64_t lead =
      static_cast<int64_t>(from.size()) - static_cast<int64_t>(to.getRank());
  // The leading dims the operand lacks go away.
  SmallVector<int64_t> leading;
  for (int64_t d = 0; d < lead; ++d)
    leading.push_back(d);
  Value r = sum(g, leading, /*keepdim=*/false);
  // The dims where the operand has size 1 are summed and kept.
  SmallVector<int64_t> ones;
  ArrayRef<int64_t> now = shapeOf(r);
  for (int64_t d = 0; d < to.getRank(); ++d)
    if (to.getDimSize(d) == 1 && now[d] != 1)
      ones.push_back(d);
  r = sum(r, ones, /*keepdim=*/true);
  return castTo(r, to.getElementType());
}

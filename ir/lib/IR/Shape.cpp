//===- Shape.cpp - views, cat, stack: rules, folders, patterns ------------===//
//
// Shape rules of the view ops and cat/stack (frontend/src/ops/view.cpp,
// shape.cpp), and their simplifications:
//   view(x) / reshape(x) to x's own shape -> x          (folders)
//   view(view(x)), reshape(reshape(x))    -> one op      (DRR patterns,
//                                                          EmberCanonicalize.td)
//   permute(x) by the identity            -> x          (folder)
//   permute(permute(x))                   -> one permute (pattern)
//   transpose(x, d, d)                    -> x          (folder)
//   transpose(transpose(x, a, b), a, b)   -> x          (folder)
//   expand(x) to x's own shape            -> x          (folder)
//   squeeze/flatten/narrow/slice that keep x's type -> x (folders)
//   squeeze(unsqueeze(x)) of x's type     -> x          (folder)
// All of them keep the value and the result type, so they are exact.
//
//===----------------------------------------------------------------------===//

#include "TypeRules.h"

#include "ember/IR/EmberOps.h"

#include "mlir/IR/PatternMatch.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::ember;

//===----------------------------------------------------------------------===//
// Rules
//===----------------------------------------------------------------------===//

LogicalResult rules::reshape(const RuleInput &in,
                             SmallVectorImpl<ResultSpec> &results) {
  FailureOr<ArrayRef<int64_t>> requested = in.requireI64Array("shape");
  if (failed(requested))
    return failure();
  SmallVector<int64_t> shape(*requested);
  std::optional<int64_t> numel = staticNumElements(in.shape(0));
  int64_t known = 1;
  std::optional<size_t> inferred;
  for (auto [i, dim] : llvm::enumerate(shape)) {
    if (dim == -1) {
      if (inferred)
        return in.emitError() << "only one dimension can be inferred (-1), "
                                 "got shape "
                              << formatShape(*requested);
      inferred = i;
    } else if (dim < 0) {
      return in.emitError() << "invalid dimension " << dim << " in shape";
    } else {
      known *= dim;
    }
  }
  if (inferred) {
    if (!numel)
      shape[*inferred] = ShapedType::kDynamic;
    else if (known == 0 || *numel % known != 0)
      return in.emitError()
             << "shape [" << formatShape(*requested)
             << "] is invalid for an input of " << *numel << " elements";
    else
      shape[*inferred] = *numel / known;
  } else if (numel && known != *numel) {
    return in.emitError() << "shape [" << formatShape(*requested)
                          << "] is invalid for an input of " << *numel
                          << " elements";
  }
  results.push_back(result(shape, in.elementType(0)));
  return success();
}

/// The wrapped permutation of `dims` over a tensor of `rank`, or an error.
static FailureOr<SmallVector<int64_t>>
wrapPermutation(const RuleInput &in, ArrayRef<int64_t> dims, int64_t rank) {
  if (static_cast<int64_t>(dims.size()) != rank)
    return in.emitError() << "expects " << rank
                          << " dims (the input's rank), got " << dims.size();
  SmallVector<int64_t> wrapped;
  for (int64_t dim : dims) {
    FailureOr<int64_t> d = in.wrapDim(dim, rank);
    if (failed(d))
      return failure();
    if (llvm::is_contained(wrapped, *d))
      return in.emitError() << "repeated dim " << dim << " in dims";
    wrapped.push_back(*d);
  }
  return wrapped;
}

LogicalResult rules::permute(const RuleInput &in,
                             SmallVectorImpl<ResultSpec> &results) {
  FailureOr<ArrayRef<int64_t>> dims = in.requireI64Array("dims");
  if (failed(dims))
    return failure();
  FailureOr<SmallVector<int64_t>> perm = wrapPermutation(in, *dims, in.rank(0));
  if (failed(perm))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t d : *perm)
    shape.push_back(in.shape(0)[d]);
  results.push_back(result(shape, in.elementType(0)));
  return success();
}

LogicalResult rules::transpose(const RuleInput &in,
                               SmallVectorImpl<ResultSpec> &results) {
  FailureOr<int64_t> dim0 = in.requireI64("dim0");
  FailureOr<int64_t> dim1 = in.requireI64("dim1");
  if (failed(dim0) || failed(dim1))
    return failure();
  FailureOr<int64_t> d0 = in.wrapDim(*dim0, in.rank(0), "dim0");
  FailureOr<int64_t> d1 = in.wrapDim(*dim1, in.rank(0), "dim1");
  if (failed(d0) || failed(d1))
    return failure();
  SmallVector<int64_t> shape(in.shape(0));
  if (!shape.empty())
    std::swap(shape[*d0], shape[*d1]);
  results.push_back(result(shape, in.elementType(0)));
  return success();
}

LogicalResult rules::expand(const RuleInput &in,
                            SmallVectorImpl<ResultSpec> &results) {
  FailureOr<ArrayRef<int64_t>> target = in.requireI64Array("shape");
  if (failed(target))
    return failure();
  ArrayRef<int64_t> x = in.shape(0);
  int64_t rank = target->size(), lead = rank - static_cast<int64_t>(x.size());
  if (lead < 0)
    return in.emitError() << "the number of sizes provided (" << rank
                          << ") must be greater or equal to the input's rank ("
                          << x.size() << ")";
  SmallVector<int64_t> shape(rank);
  for (int64_t i = 0; i < rank; ++i) {
    int64_t want = (*target)[i];
    if (i < lead) {
      if (want < 0)
        return in.emitError() << "the expanded size " << want
                              << " is not allowed in a new leading dimension";
      shape[i] = want;
      continue;
    }
    int64_t have = x[i - lead];
    if (want == -1)
      want = have;
    if (want != have && have != 1 && !ShapedType::isDynamic(have))
      return in.emitError()
             << "the expanded size " << want << " must match the existing size "
             << have << " at non-singleton dimension " << i;
    shape[i] = want;
  }
  results.push_back(result(shape, in.elementType(0)));
  return success();
}

LogicalResult rules::squeeze(const RuleInput &in,
                             SmallVectorImpl<ResultSpec> &results) {
  std::optional<int64_t> only;
  if (std::optional<int64_t> dim = in.i64("dim")) {
    FailureOr<int64_t> d = in.wrapDim(*dim, in.rank(0));
    if (failed(d))
      return failure();
    only = *d;
  }
  SmallVector<int64_t> shape;
  for (auto [d, size] : llvm::enumerate(in.shape(0)))
    if (!(size == 1 && (!only || *only == static_cast<int64_t>(d))))
      shape.push_back(size);
  results.push_back(result(shape, in.elementType(0)));
  return success();
}

LogicalResult rules::unsqueeze(const RuleInput &in,
                               SmallVectorImpl<ResultSpec> &results) {
  FailureOr<int64_t> dim = in.requireI64("dim");
  if (failed(dim))
    return failure();
  FailureOr<int64_t> d = in.wrapDim(*dim, in.rank(0) + 1);
  if (failed(d))
    return failure();
  SmallVector<int64_t> shape(in.shape(0));
  shape.insert(shape.begin() + *d, 1);
  results.push_back(result(shape, in.elementType(0)));
  return success();
}

LogicalResult rules::flatten(const RuleInput &in,
                             SmallVectorImpl<ResultSpec> &results) {
  FailureOr<int64_t> startDim = in.requireI64("start_dim");
  FailureOr<int64_t> endDim = in.requireI64("end_dim");
  if (failed(startDim) || failed(endDim))
    return failure();
  ArrayRef<int64_t> x = in.shape(0);
  if (x.empty()) {
    results.push_back(result({1}, in.elementType(0)));
    return success();
  }
  FailureOr<int64_t> s = in.wrapDim(*startDim, x.size(), "start_dim");
  FailureOr<int64_t> e = in.wrapDim(*endDim, x.size(), "end_dim");
  if (failed(s) || failed(e))
    return failure();
  if (*s > *e)
    return in.emitError() << "start_dim (" << *s
                          << ") cannot come after end_dim (" << *e << ")";
  SmallVector<int64_t> shape(x.take_front(*s));
  std::optional<int64_t> merged = staticNumElements(x.slice(*s, *e - *s + 1));
  shape.push_back(merged ? *merged : ShapedType::kDynamic);
  llvm::append_range(shape, x.drop_front(*e + 1));
  results.push_back(result(shape, in.elementType(0)));
  return success();
}

/// The wrapped `dim` of a rank >= 1 input.
static FailureOr<int64_t> slicedDim(const RuleInput &in) {
  if (in.rank(0) == 0)
    return in.emitError() << "cannot be applied to a 0-d tensor";
  FailureOr<int64_t> dim = in.requireI64("dim");
  if (failed(dim))
    return failure();
  return in.wrapDim(*dim, in.rank(0));
}

LogicalResult rules::narrow(const RuleInput &in,
                            SmallVectorImpl<ResultSpec> &results) {
  FailureOr<int64_t> d = slicedDim(in);
  FailureOr<int64_t> start = in.requireI64("start");
  FailureOr<int64_t> length = in.requireI64("length");
  if (failed(d) || failed(start) || failed(length))
    return failure();
  int64_t n = in.shape(0)[*d];
  if (!ShapedType::isDynamic(n)) {
    int64_t s = *start;
    if (s < -n || s > n)
      return in.emitError() << "start (" << s << ") is out of range for "
                            << "dimension " << *d << " of size " << n;
    if (s < 0)
      s += n;
    if (*length < 0 || s + *length > n)
      return in.emitError() << "start (" << s << ") + length (" << *length
                            << ") exceeds dimension size (" << n << ")";
  }
  SmallVector<int64_t> shape(in.shape(0));
  shape[*d] = *length;
  results.push_back(result(shape, in.elementType(0)));
  return success();
}

LogicalResult rules::slice(const RuleInput &in,
                           SmallVectorImpl<ResultSpec> &results) {
  FailureOr<int64_t> d = slicedDim(in);
  FailureOr<int64_t> step = in.requireI64("step");
  if (failed(d) || failed(step))
    return failure();
  if (*step <= 0)
    return in.emitError() << "slice step must be positive, got " << *step;
  SmallVector<int64_t> shape(in.shape(0));
  int64_t n = shape[*d];
  if (!ShapedType::isDynamic(n)) {
    auto clampBound = [n](int64_t v) {
      if (v < 0)
        v += n;
      return std::clamp<int64_t>(v, 0, n);
    };
    int64_t start = clampBound(in.i64("start").value_or(0));
    int64_t end = clampBound(in.i64("end").value_or(n));
    end = std::max(end, start);
    shape[*d] = (end - start + *step - 1) / *step;
  }
  results.push_back(result(shape, in.elementType(0)));
  return success();
}

LogicalResult rules::select(const RuleInput &in,
                            SmallVectorImpl<ResultSpec> &results) {
  FailureOr<int64_t> d = slicedDim(in);
  FailureOr<int64_t> index = in.requireI64("index");
  if (failed(d) || failed(index))
    return failure();
  SmallVector<int64_t> shape(in.shape(0));
  int64_t n = shape[*d];
  if (!ShapedType::isDynamic(n) && (*index < -n || *index >= n))
    return in.emitError() << "index " << *index
                          << " is out of range for dimension " << *d
                          << " of size " << n;
  shape.erase(shape.begin() + *d);
  results.push_back(result(shape, in.elementType(0)));
  return success();
}

LogicalResult rules::asStrided(const RuleInput &in,
                               SmallVectorImpl<ResultSpec> &results) {
  FailureOr<ArrayRef<int64_t>> size = in.requireI64Array("size");
  FailureOr<ArrayRef<int64_t>> stride = in.requireI64Array("stride");
  if (failed(size) || failed(stride))
    return failure();
  if (size->size() != stride->size())
    return in.emitError() << "mismatch in length of stride (" << stride->size()
                          << ") and size (" << size->size() << ")";
  if (llvm::any_of(*size, [](int64_t v) { return v < 0; }) ||
      llvm::any_of(*stride, [](int64_t v) { return v < 0; }) ||
      in.i64("storage_offset").value_or(0) < 0)
    return in.emitError() << "expects non-negative size, stride and "
                             "storage_offset";
  results.push_back(result(*size, in.elementType(0)));
  return success();
}

LogicalResult rules::cat(const RuleInput &in,
                         SmallVectorImpl<ResultSpec> &results) {
  if (in.operands.empty())
    return in.emitError() << "expects a non-empty list of tensors";
  FailureOr<int64_t> dim = in.requireI64("dim");
  if (failed(dim))
    return failure();
  auto legacyEmpty = [](RankedTensorType t) {
    return t.getRank() == 1 && t.getDimSize(0) == 0;
  };
  std::optional<size_t> ref;
  for (auto [i, t] : llvm::enumerate(in.operands)) {
    if (t.getRank() == 0)
      return in.emitError() << "zero-dimensional tensor (at position " << i
                            << ") cannot be concatenated";
    if (!ref && !legacyEmpty(t))
      ref = i;
  }
  SmallVector<Type, 2> types = resultTypeCandidates(in.operands);
  if (!ref) {
    results.push_back(result({0}, types));
    return success();
  }
  ArrayRef<int64_t> refShape = in.shape(*ref);
  FailureOr<int64_t> d = in.wrapDim(*dim, refShape.size());
  if (failed(d))
    return failure();
  SmallVector<int64_t> shape(refShape);
  int64_t total = 0;
  for (auto [i, t] : llvm::enumerate(in.operands)) {
    if (legacyEmpty(t))
      continue;
    if (t.getRank() != static_cast<int64_t>(refShape.size()))
      return in.emitError()
             << "tensors must have the same rank: got " << formatShape(refShape)
             << " and " << formatShape(t.getShape()) << " (tensor " << i << ")";
    for (int64_t k = 0; k < t.getRank(); ++k)
      if (k != *d && t.getDimSize(k) != refShape[k] &&
          !ShapedType::isDynamic(t.getDimSize(k)) &&
          !ShapedType::isDynamic(refShape[k]))
        return in.emitError()
               << "sizes of tensors must match except in "
                  "dimension "
               << *d << ": got " << formatShape(refShape) << " and "
               << formatShape(t.getShape()) << " (tensor " << i << ")";
    if (ShapedType::isDynamic(t.getDimSize(*d)) || ShapedType::isDynamic(total))
      total = ShapedType::kDynamic;
    else
      total += t.getDimSize(*d);
  }
  shape[*d] = total;
  results.push_back(result(shape, types));
  return success();
}

LogicalResult rules::stack(const RuleInput &in,
                           SmallVectorImpl<ResultSpec> &results) {
  if (in.operands.empty())
    return in.emitError() << "expects a non-empty list of tensors";
  FailureOr<int64_t> dim = in.requireI64("dim");
  if (failed(dim))
    return failure();
  for (auto [i, t] : llvm::enumerate(in.operands))
    if (failed(verifyCompatibleShape(t.getShape(), in.shape(0))))
      return in.emitError() << "expects tensors of one shape, got "
                            << formatShape(in.shape(0)) << " at entry 0 and "
                            << formatShape(t.getShape()) << " at entry " << i;
  FailureOr<int64_t> d = in.wrapDim(*dim, in.rank(0) + 1);
  if (failed(d))
    return failure();
  SmallVector<int64_t> shape(in.shape(0));
  shape.insert(shape.begin() + *d, in.operands.size());
  results.push_back(result(shape, resultTypeCandidates(in.operands)));
  return success();
}

//===----------------------------------------------------------------------===//
// Folders and patterns
//===----------------------------------------------------------------------===//

OpFoldResult ViewOp::fold(FoldAdaptor) {
  if (getType() == getInput().getType() && getType().hasStaticShape())
    return getInput();
  return {};
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  if (getType() == getInput().getType() && getType().hasStaticShape())
    return getInput();
  return {};
}

namespace {
#include "EmberCanonicalize.inc"

/// permute(permute(x, inner), outer) -> permute(x, inner o outer).
struct ComposePermutes : public OpRewritePattern<PermuteOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PermuteOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<PermuteOp>();
    if (!inner)
      return failure();
    int64_t rank = op.getType().getRank();
    auto wrap = [rank](int64_t d) { return d < 0 ? d + rank : d; };
    SmallVector<int64_t> dims;
    for (int64_t d : op.getDims())
      dims.push_back(wrap(inner.getDims()[wrap(d)]));
    rewriter.replaceOpWithNewOp<PermuteOp>(op, op.getType(), inner.getInput(),
                                           rewriter.getDenseI64ArrayAttr(dims));
    return success();
  }
};
} // namespace

void ViewOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                         MLIRContext *context) {
  patterns.add<ComposeViews>(context);
}

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *context) {
  patterns.add<ComposeReshapes>(context);
}

OpFoldResult PermuteOp::fold(FoldAdaptor) {
  int64_t rank = getType().getRank();
  for (auto [i, d] : llvm::enumerate(getDims()))
    if ((d < 0 ? d + rank : d) != static_cast<int64_t>(i))
      return {};
  return getType() == getInput().getType() ? getInput() : Value();
}

void PermuteOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *context) {
  patterns.add<ComposePermutes>(context);
}

/// A transpose's pair of dims, wrapped and ordered.
static std::pair<int64_t, int64_t> transposedDims(TransposeOp op) {
  int64_t rank = std::max<int64_t>(op.getInput().getType().getRank(), 1);
  int64_t a = op.getDim0(), b = op.getDim1();
  a = a < 0 ? a + rank : a;
  b = b < 0 ? b + rank : b;
  return {std::min(a, b), std::max(a, b)};
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  auto [a, b] = transposedDims(*this);
  if (a == b && getType() == getInput().getType())
    return getInput();
  if (auto inner = getInput().getDefiningOp<TransposeOp>())
    if (transposedDims(inner) == std::make_pair(a, b) &&
        inner.getInput().getType() == getType())
      return inner.getInput();
  return {};
}

namespace {
/// transpose(mm/matmul(a, b)) on 2-D -> matmul(transpose(b), transpose(a)),
/// when the product has no other use.
struct TransposeOfProduct : public OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    Operation *product = op.getInput().getDefiningOp();
    if (!product || !isa<MmOp, MatmulOp>(product) || !product->hasOneUse())
      return failure();
    Value a = product->getOperand(0), b = product->getOperand(1);
    auto aType = dyn_cast<RankedTensorType>(a.getType());
    auto bType = dyn_cast<RankedTensorType>(b.getType());
    if (!aType || !bType || aType.getRank() != 2 || bType.getRank() != 2 ||
        transposedDims(op) != std::make_pair<int64_t, int64_t>(0, 1))
      return failure();
    auto t = [&](Value v, RankedTensorType type) {
      auto shape = type.getShape();
      return rewriter.create<TransposeOp>(
          op.getLoc(),
          RankedTensorType::get({shape[1], shape[0]}, type.getElementType()), v,
          rewriter.getI64IntegerAttr(0), rewriter.getI64IntegerAttr(1));
    };
    Value bt = t(b, bType), at = t(a, aType);
    rewriter.replaceOpWithNewOp<MatmulOp>(op, op.getType(), bt, at);
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                              MLIRContext *context) {
  patterns.add<TransposeOfProduct>(context);
}

OpFoldResult ExpandOp::fold(FoldAdaptor adaptor) {
  if (getType() == getInput().getType() && getType().hasStaticShape())
    return getInput();
  // Broadcasting a splat literal is a splat of the new shape (splats stay
  // one value however large; writing through an expand is not allowed).
  if (auto splat =
          llvm::dyn_cast_if_present<SplatElementsAttr>(adaptor.getInput()))
    if (auto type = llvm::dyn_cast<RankedTensorType>(getType());
        type && type.hasStaticShape())
      return SplatElementsAttr::get(type, splat.getSplatValue<Attribute>());
  return {};
}

OpFoldResult SqueezeOp::fold(FoldAdaptor) {
  if (getType() == getInput().getType())
    return getInput();
  if (auto unsqueeze = getInput().getDefiningOp<UnsqueezeOp>())
    if (unsqueeze.getInput().getType() == getType())
      return unsqueeze.getInput();
  return {};
}

/// A reshaping or slicing view whose result type is its input's keeps every
/// element in place: it is the identity.
template <typename OpTy> static OpFoldResult foldIdentityView(OpTy op) {
  if (op.getType() == op.getInput().getType() && op.getType().hasStaticShape())
    return op.getInput();
  return {};
}

OpFoldResult FlattenOp::fold(FoldAdaptor) { return foldIdentityView(*this); }
OpFoldResult NarrowOp::fold(FoldAdaptor) { return foldIdentityView(*this); }
OpFoldResult SliceOp::fold(FoldAdaptor) { return foldIdentityView(*this); }

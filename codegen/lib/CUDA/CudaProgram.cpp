//===- CudaProgram.cpp - linalg on tensors -> an ember::program::Program --===//
//
// See ember/Codegen/CUDA.h. One walk over the function's body, in order:
// every tensor value gets a slot; kernels (EmitCUDA.cpp) become Launch
// steps; GEMMs, convolutions and max-pooling become runtime steps (cuBLAS
// on CUDA); reshapes, transposes and slices become views. Destinations in
// tensor semantics are made safe here, not by a bufferization pass: a
// kernel writes into its init's buffer only when that buffer is the
// program's own (not an argument, a constant or a view) and the init has no
// other use; otherwise it gets a fresh buffer (Empty), or a copy (Clone)
// when it reads the init's contents. Fills that only initialize a GEMM's,
// convolution's or pool's accumulator to its identity are absorbed into
// that step.
//
//===----------------------------------------------------------------------===//

#include "ember/Codegen/CUDA.h"

#include "ember/runtime/program.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/PatternMatch.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

namespace mlir::ember {

namespace {

using ::ember::program::Program;
using ::ember::program::SlotType;
using ::ember::program::Step;
using ::ember::program::StepKind;

// The ember dtype of an element type; false when there is none.
bool toDType(Type t, ::ember::DType &out) {
  if (t.isF32())
    out = ::ember::DType::Float32;
  else if (t.isF64())
    out = ::ember::DType::Float64;
  else if (t.isSignlessInteger(64))
    out = ::ember::DType::Int64;
  else if (t.isSignlessInteger(32))
    out = ::ember::DType::Int32;
  else if (t.isSignlessInteger(1))
    out = ::ember::DType::Bool;
  else
    return false;
  return true;
}

// Whether `v` is a linalg.fill of the float constant `value` (its only use
// being the op that absorbs it).
bool isFillOf(Value v, double value) {
  auto fill = v.getDefiningOp<linalg::FillOp>();
  if (!fill || !v.hasOneUse())
    return false;
  auto c = fill.value().getDefiningOp<arith::ConstantOp>();
  auto f = c ? dyn_cast<FloatAttr>(c.getValue()) : FloatAttr();
  if (!f)
    return false;
  // Bitwise for zero: -0.0 as an accumulator's start changes a sum's sign.
  if (value == 0.0)
    return f.getValue().isPosZero();
  return f.getValueAsDouble() == value;
}

class Builder {
public:
  Builder(func::FuncOp func, Program &program) : func_(func), p_(program) {}

  LogicalResult build() {
    p_ = Program();
    p_.name = func_.getSymName().str();
    p_.source = cudaPrelude();
    for (BlockArgument arg : func_.getArguments()) {
      int32_t s;
      if (failed(newSlot(arg, arg.getType(), s)))
        return failure();
      slots_[arg] = s;
      p_.inputs.push_back(s);
      kinds_[s] = Kind::Input;
    }
    // Early increment: a named op may be replaced by its generic form.
    for (Operation &op : llvm::make_early_inc_range(func_.getBody().front()))
      if (failed(visit(op)))
        return failure();
    return success();
  }

private:
  // What a slot's buffer is: the program's own (a kernel may write it once
  // its value is dead), an input's, a constant's (shared between runs), or
  // a view of another slot.
  enum class Kind { Own, Input, Constant, View };

  LogicalResult newSlot(Value v, Type type, int32_t &out) {
    auto t = dyn_cast<RankedTensorType>(type);
    SlotType st;
    if (!t || !t.hasStaticShape() || !toDType(t.getElementType(), st.dtype))
      return emitError(v.getLoc())
             << "the CUDA program takes static-shape tensors of f32, f64, "
                "i64, i32 or i1, not "
             << type;
    st.sizes.assign(t.getShape().begin(), t.getShape().end());
    out = static_cast<int32_t>(p_.slots.size());
    p_.slots.push_back(std::move(st));
    kinds_.push_back(Kind::Own);
    roots_.push_back(out);
    return success();
  }

  Step &add(StepKind kind, int32_t out, std::vector<int32_t> in = {}) {
    Step s;
    s.kind = kind;
    s.out = out;
    s.in = std::move(in);
    p_.steps.push_back(std::move(s));
    return p_.steps.back();
  }

  // The slot of a value read by a step.
  LogicalResult use(Value v, int32_t &out) {
    auto it = slots_.find(v);
    if (it != slots_.end()) {
      out = it->second;
      return success();
    }
    // A tensor.empty read as a value (its contents are undefined).
    if (v.getDefiningOp<tensor::EmptyOp>()) {
      if (failed(newSlot(v, v.getType(), out)))
        return failure();
      add(StepKind::Empty, out);
      return success();
    }
    return emitError(v.getLoc()) << "a value the CUDA program has no slot for";
  }

  // The buffer an op writes its result into, given its init `v`: in place
  // when that is safe, else a fresh buffer (a copy when `needContents`).
  LogicalResult destination(Value v, bool needContents, int32_t &out) {
    if (!needContents || v.getDefiningOp<tensor::EmptyOp>()) {
      if (failed(newSlot(v, v.getType(), out)))
        return failure();
      add(StepKind::Empty, out);
      return success();
    }
    int32_t s;
    if (failed(use(v, s)))
      return failure();
    if (kinds_[static_cast<size_t>(s)] == Kind::Own && v.hasOneUse()) {
      out = s;
      return success();
    }
    if (failed(newSlot(v, v.getType(), out)))
      return failure();
    add(StepKind::Clone, out, {s});
    return success();
  }

  LogicalResult view(Value result, StepKind kind, int32_t source,
                     std::vector<int64_t> ints = {}) {
    int32_t s;
    if (failed(newSlot(result, result.getType(), s)))
      return failure();
    kinds_[static_cast<size_t>(s)] = Kind::View;
    roots_[static_cast<size_t>(s)] = roots_[static_cast<size_t>(source)];
    add(kind, s, {source}).ints = std::move(ints);
    slots_[result] = s;
    return success();
  }

  LogicalResult visit(Operation &op) {
    return llvm::TypeSwitch<Operation *, LogicalResult>(&op)
        .Case([&](arith::ConstantOp c) { return constant(c); })
        .Case([&](tensor::EmptyOp) { return success(); })
        .Case([&](linalg::FillOp f) {
          // Absorbed by the GEMM, convolution or pool it initializes.
          if (f->hasOneUse() &&
              isa<linalg::MatmulOp, linalg::BatchMatmulOp,
                  linalg::Conv2DNchwFchwOp, linalg::PoolingNchwMaxOp>(
                  *f->getUsers().begin()) &&
              (isFillOf(f.getResult(0), 0.0) ||
               (isa<linalg::PoolingNchwMaxOp>(*f->getUsers().begin()) &&
                isFillOf(f.getResult(0), -INFINITY))))
            return success();
          return kernel(&op);
        })
        .Case<linalg::GenericOp, scf::ForOp>(
            [&](Operation *o) { return kernel(o); })
        .Case<linalg::MatmulOp, linalg::BatchMatmulOp>(
            [&](Operation *o) { return matmul(cast<linalg::LinalgOp>(o)); })
        .Case([&](linalg::Conv2DNchwFchwOp c) { return conv(c); })
        .Case([&](linalg::PoolingNchwMaxOp p) { return pool(p); })
        .Case([&](linalg::TransposeOp t) {
          int32_t s;
          if (failed(use(t.getInput(), s)))
            return failure();
          std::vector<int64_t> perm(t.getPermutation().begin(),
                                    t.getPermutation().end());
          return view(t.getResult()[0], StepKind::Transpose, s, perm);
        })
        .Case<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(
            [&](Operation *o) { return reshape(o); })
        .Case([&](tensor::ExtractSliceOp e) { return extractSlice(e); })
        .Case([&](tensor::InsertSliceOp i) { return insertSlice(i); })
        .Case([&](tensor::PadOp pad) { return padOp(pad); })
        .Case([&](func::ReturnOp r) { return results(r); })
        .Case([&](linalg::LinalgOp l) -> LogicalResult {
          // Any other named op (matvec, sum pooling, ...): its generic
          // form is a kernel.
          IRRewriter rewriter(l->getContext());
          rewriter.setInsertionPoint(l);
          FailureOr<linalg::GenericOp> g =
              linalg::generalizeNamedOp(rewriter, l);
          if (failed(g))
            return l->emitOpError("has no generic form for the CUDA program");
          return kernel(*g);
        })
        .Default([&](Operation *o) {
          return o->emitOpError("has no form in the CUDA program (kernels, "
                                "GEMMs, convolutions, max-pooling and views "
                                "only)");
        });
  }

  LogicalResult constant(arith::ConstantOp c) {
    auto dense = dyn_cast<DenseElementsAttr>(c.getValue());
    if (!dense)
      return success(); // a scalar: a literal in the kernels that use it
    int32_t s;
    if (failed(newSlot(c.getResult(), c.getType(), s)))
      return failure();
    kinds_[static_cast<size_t>(s)] = Kind::Constant;
    Type et = dense.getElementType();
    std::string bytes;
    auto append = [&](const void *data, size_t n) {
      bytes.append(static_cast<const char *>(data), n);
    };
    if (et.isF32())
      for (const APFloat &v : dense.getValues<APFloat>()) {
        float f = v.convertToFloat();
        append(&f, sizeof f);
      }
    else if (et.isF64())
      for (const APFloat &v : dense.getValues<APFloat>()) {
        double d = v.convertToDouble();
        append(&d, sizeof d);
      }
    else
      for (const APInt &v : dense.getValues<APInt>()) {
        int64_t i = v.getSExtValue();
        unsigned width = et.getIntOrFloatBitWidth();
        if (width == 64)
          append(&i, 8);
        else if (width == 32) {
          int32_t i32 = static_cast<int32_t>(i);
          append(&i32, 4);
        } else {
          char b = i != 0;
          append(&b, 1);
        }
      }
    add(StepKind::Constant, s).constant =
        static_cast<int32_t>(p_.constants.size());
    p_.constants.push_back(std::move(bytes));
    slots_[c.getResult()] = s;
    return success();
  }

  LogicalResult kernel(Operation *op) {
    CudaKernel k;
    std::string name = p_.name + "_k" + std::to_string(p_.kernels.size());
    std::string body;
    if (failed(emitCudaKernel(op, name, body, k)))
      return failure();
    std::vector<int32_t> in;
    std::vector<int32_t> written;
    std::vector<Value> results;
    if (auto loop = dyn_cast<scf::ForOp>(op)) {
      // The carried tensors start as the inits' values, updated in place.
      for (unsigned j = 0; j < loop.getNumRegionIterArgs(); ++j) {
        int32_t d;
        if (failed(destination(loop.getInitArgs()[j], true, d)))
          return failure();
        written.push_back(static_cast<int32_t>(in.size()));
        in.push_back(d);
        results.push_back(loop.getResult(j));
      }
    } else {
      auto l = cast<linalg::LinalgOp>(op);
      for (OpOperand *o : l.getDpsInputOperands()) {
        if (!isa<RankedTensorType>(o->get().getType()))
          continue; // a constant scalar, written as a literal
        int32_t s;
        if (failed(use(o->get(), s)))
          return failure();
        in.push_back(s);
      }
      bool reduces = l.getNumReductionLoops() > 0;
      for (OpOperand &o : l.getDpsInitsMutable()) {
        bool reads = reduces || l.payloadUsesValueFromOperand(&o);
        int32_t d;
        if (failed(destination(o.get(), reads, d)))
          return failure();
        written.push_back(static_cast<int32_t>(in.size()));
        in.push_back(d);
        results.push_back(
            l->getResult(o.getOperandNumber() - l.getNumDpsInputs()));
      }
    }
    for (Value c : k.captures) {
      int32_t s;
      if (failed(use(c, s)))
        return failure();
      in.push_back(s);
    }
    p_.source += body;
    Step &step = add(StepKind::Launch, -1, std::move(in));
    step.kernel = static_cast<int32_t>(p_.kernels.size());
    step.threads = k.threads;
    step.written = std::move(written);
    p_.kernels.push_back(name);
    for (size_t j = 0; j < results.size(); ++j) {
      int32_t d = step.in[static_cast<size_t>(step.written[j])];
      slots_[results[j]] = d;
    }
    return success();
  }

  // An accumulator init: omitted when it is the absorbed identity fill.
  LogicalResult accumulator(Value init, double identity,
                            std::vector<int32_t> &in) {
    if (isFillOf(init, identity))
      return success();
    int32_t s;
    if (failed(use(init, s)))
      return failure();
    in.push_back(s);
    return success();
  }

  LogicalResult matmul(linalg::LinalgOp op) {
    std::vector<int32_t> in(2);
    if (failed(use(op.getDpsInputOperand(0)->get(), in[0])) ||
        failed(use(op.getDpsInputOperand(1)->get(), in[1])) ||
        failed(accumulator(op.getDpsInitOperand(0)->get(), 0.0, in)))
      return failure();
    Value r = op->getResult(0);
    int32_t out;
    if (failed(newSlot(r, r.getType(), out)))
      return failure();
    add(StepKind::Matmul, out, std::move(in));
    slots_[r] = out;
    return success();
  }

  LogicalResult conv(linalg::Conv2DNchwFchwOp c) {
    std::vector<int32_t> in(2);
    if (failed(use(c.getInputs()[0], in[0])) ||
        failed(use(c.getInputs()[1], in[1])) ||
        failed(accumulator(c.getOutputs()[0], 0.0, in)))
      return failure();
    std::vector<int64_t> ints;
    for (int64_t v : c.getStrides().getValues<int64_t>())
      ints.push_back(v);
    for (int64_t v : c.getDilations().getValues<int64_t>())
      ints.push_back(v);
    Value r = c.getResult(0);
    int32_t out;
    if (failed(newSlot(r, r.getType(), out)))
      return failure();
    add(StepKind::Conv2d, out, std::move(in)).ints = std::move(ints);
    slots_[r] = out;
    return success();
  }

  LogicalResult pool(linalg::PoolingNchwMaxOp p) {
    std::vector<int32_t> in(1);
    if (failed(use(p.getInputs()[0], in[0])) ||
        failed(accumulator(p.getOutputs()[0], -INFINITY, in)))
      return failure();
    auto window = cast<RankedTensorType>(p.getInputs()[1].getType());
    std::vector<int64_t> ints(window.getShape().begin(),
                              window.getShape().end());
    for (int64_t v : p.getStrides().getValues<int64_t>())
      ints.push_back(v);
    for (int64_t v : p.getDilations().getValues<int64_t>())
      ints.push_back(v);
    Value r = p.getResult(0);
    int32_t out;
    if (failed(newSlot(r, r.getType(), out)))
      return failure();
    add(StepKind::MaxPool2d, out, std::move(in)).ints = std::move(ints);
    slots_[r] = out;
    return success();
  }

  // A reshape views a contiguous buffer; a strided view is copied first.
  LogicalResult reshape(Operation *op) {
    int32_t s, out;
    if (failed(use(op->getOperand(0), s)) ||
        failed(reshaped(op->getOperand(0),
                        cast<RankedTensorType>(op->getResult(0).getType()), s,
                        out)))
      return failure();
    slots_[op->getResult(0)] = out;
    return success();
  }

  // Whether a slot is known to be contiguous: its own buffer, or a chain
  // of reshapes of one.
  bool contiguous(int32_t s) const {
    for (const Step &step : p_.steps)
      if (step.out == s)
        return step.kind != StepKind::Transpose &&
               step.kind != StepKind::Slice &&
               (step.kind != StepKind::Reshape || contiguous(step.in[0]));
    return true;
  }

  // Static offsets and strides of a slice, same rank as its source.
  // Static offsets and strides of a slice (source rank), and the sizes of
  // the slice at the source's rank (`full`: before dropping unit dims).
  LogicalResult sliceInts(OffsetSizeAndStrideOpInterface op, Type element,
                          std::vector<int64_t> &ints, RankedTensorType &full) {
    for (int64_t v : op.getStaticOffsets())
      if (ShapedType::isDynamic(v))
        return op->emitOpError("has a dynamic offset; the CUDA program takes "
                               "static slices");
    for (int64_t v : op.getStaticStrides())
      if (ShapedType::isDynamic(v))
        return op->emitOpError("has a dynamic stride");
    for (int64_t v : op.getStaticSizes())
      if (ShapedType::isDynamic(v))
        return op->emitOpError("has a dynamic size");
    ints.assign(op.getStaticOffsets().begin(), op.getStaticOffsets().end());
    ints.insert(ints.end(), op.getStaticStrides().begin(),
                op.getStaticStrides().end());
    full = RankedTensorType::get(op.getStaticSizes(), element);
    return success();
  }

  // A slot of `type` viewing `source` (a new slot, not bound to a value).
  LogicalResult viewAs(Value at, RankedTensorType type, StepKind kind,
                       int32_t source, std::vector<int64_t> ints,
                       int32_t &out) {
    if (failed(newSlot(at, type, out)))
      return failure();
    kinds_[static_cast<size_t>(out)] = Kind::View;
    roots_[static_cast<size_t>(out)] = roots_[static_cast<size_t>(source)];
    add(kind, out, {source}).ints = std::move(ints);
    return success();
  }

  // `s` reshaped to `type` (copied first when it may be strided).
  LogicalResult reshaped(Value at, RankedTensorType type, int32_t s,
                         int32_t &out) {
    if (kinds_[static_cast<size_t>(s)] == Kind::View && !contiguous(s)) {
      int32_t c;
      if (failed(newSlot(at, at.getType(), c)))
        return failure();
      p_.slots[static_cast<size_t>(c)] = p_.slots[static_cast<size_t>(s)];
      add(StepKind::Clone, c, {s});
      s = c;
    }
    return viewAs(at, type, StepKind::Reshape, s, {}, out);
  }

  // A rank-reducing slice is a slice at the source's rank, then a reshape.
  LogicalResult extractSlice(tensor::ExtractSliceOp e) {
    std::vector<int64_t> ints;
    RankedTensorType full;
    int32_t s;
    if (failed(sliceInts(e, e.getType().getElementType(), ints, full)) ||
        failed(use(e.getSource(), s)))
      return failure();
    if (full == e.getType())
      return view(e.getResult(), StepKind::Slice, s, std::move(ints));
    int32_t sliced, out;
    if (failed(viewAs(e.getResult(), full, StepKind::Slice, s, std::move(ints),
                      sliced)) ||
        failed(reshaped(e.getResult(), e.getType(), sliced, out)))
      return failure();
    slots_[e.getResult()] = out;
    return success();
  }

  // A rank-extending insert reshapes its source to the slice's rank first.
  LogicalResult insertSlice(tensor::InsertSliceOp i) {
    std::vector<int64_t> ints;
    RankedTensorType full;
    int32_t src, dst;
    if (failed(sliceInts(i, i.getType().getElementType(), ints, full)) ||
        failed(use(i.getSource(), src)))
      return failure();
    if (full != i.getSourceType() &&
        failed(reshaped(i.getSource(), full, src, src)))
      return failure();
    if (failed(destination(i.getDest(), true, dst)))
      return failure();
    return inserted(i.getResult(), dst, src, std::move(ints));
  }

  // InsertSlice defines a new slot for the updated buffer (in[0], which is
  // not read again).
  LogicalResult inserted(Value result, int32_t dst, int32_t src,
                         std::vector<int64_t> ints) {
    int32_t out;
    if (failed(newSlot(result, result.getType(), out)))
      return failure();
    kinds_[static_cast<size_t>(out)] = kinds_[static_cast<size_t>(dst)];
    roots_[static_cast<size_t>(out)] = roots_[static_cast<size_t>(dst)] == dst
                                           ? out
                                           : roots_[static_cast<size_t>(dst)];
    add(StepKind::InsertSlice, out, {dst, src}).ints = std::move(ints);
    slots_[result] = out;
    return success();
  }

  // tensor.pad with a constant: a fill kernel, then the source inserted.
  LogicalResult padOp(tensor::PadOp pad) {
    Value value = pad.getConstantPaddingValue();
    auto c = value ? value.getDefiningOp<arith::ConstantOp>() : nullptr;
    if (!c)
      return pad.emitOpError("pads with a value that is not a constant");
    for (int64_t v : pad.getStaticLow())
      if (ShapedType::isDynamic(v))
        return pad.emitOpError("has a dynamic padding");
    // The fill as a linalg.fill op built beside the pad (and erased), so
    // the emitter writes its literal.
    OpBuilder b(pad);
    Value empty =
        b.create<tensor::EmptyOp>(pad.getLoc(), pad.getResultType().getShape(),
                                  pad.getResultType().getElementType());
    auto fill = b.create<linalg::FillOp>(pad.getLoc(), ValueRange{c},
                                         ValueRange{empty});
    LogicalResult r = kernel(fill);
    Value filled = fill.getResult(0);
    int32_t dst = slots_.lookup(filled);
    slots_.erase(filled); // the key dies with the op
    fill.erase();
    empty.getDefiningOp()->erase();
    if (failed(r))
      return failure();
    int32_t src;
    if (failed(use(pad.getSource(), src)))
      return failure();
    std::vector<int64_t> ints(pad.getStaticLow().begin(),
                              pad.getStaticLow().end());
    ints.insert(ints.end(), ints.size(), 1);
    return inserted(pad.getResult(), dst, src, std::move(ints));
  }

  // Results are the program's own buffers, one per result: an argument, a
  // constant or a buffer returned twice is copied.
  LogicalResult results(func::ReturnOp ret) {
    llvm::SmallDenseSet<int32_t> roots;
    for (Value v : ret.getOperands()) {
      int32_t s;
      if (failed(use(v, s)))
        return failure();
      int32_t root = roots_[static_cast<size_t>(s)];
      Kind k = kinds_[static_cast<size_t>(root)];
      if (k == Kind::Input || k == Kind::Constant ||
          !roots.insert(root).second) {
        int32_t c;
        if (failed(newSlot(v, v.getType(), c)))
          return failure();
        add(StepKind::Clone, c, {s});
        roots.insert(c);
        s = c;
      }
      p_.outputs.push_back(s);
    }
    return success();
  }

  func::FuncOp func_;
  Program &p_;
  llvm::DenseMap<Value, int32_t> slots_;
  std::vector<Kind> kinds_;
  std::vector<int32_t> roots_; // the slot whose buffer a slot views
};

} // namespace

LogicalResult buildCudaProgram(func::FuncOp func,
                               ::ember::program::Program &program) {
  return Builder(func, program).build();
}

} // namespace mlir::ember

//===- TraceImporter.cpp - jit::Trace -> ember dialect --------------------===//

#include "ember/Import/TraceImporter.h"

#include "ember/IR/EmberDialect.h"
#include "ember/IR/EmberOps.h"
#include "ember/runtime/file_io.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <type_traits>
#include <variant>

using ::ember::AttrValue;
using ::ember::DType;
using ::ember::Tensor;
namespace jit = ::ember::jit;

namespace mlir::ember {

void loadImportDialects(MLIRContext &context) {
  context.loadDialect<EmberDialect, func::FuncDialect>();
}

Type elementType(MLIRContext &context, DType dtype) {
  Builder b(&context);
  switch (dtype) {
  case DType::Bool:
    return b.getI1Type();
  case DType::UInt8:
    return IntegerType::get(&context, 8, IntegerType::Unsigned);
  case DType::Int32:
    return b.getI32Type();
  case DType::Int64:
    return b.getI64Type();
  case DType::Float32:
    return b.getF32Type();
  case DType::Float64:
    return b.getF64Type();
  default:
    EMBER_FAIL("jit::import", "dtype ", dtype,
               " has no ember dialect type (f32, f64, i32, i64, bool, uint8)");
  }
}

RankedTensorType tensorType(MLIRContext &context, ::ember::IntArrayRef sizes,
                            DType dtype) {
  return RankedTensorType::get(
      llvm::ArrayRef<int64_t>(sizes.data(), sizes.size()),
      elementType(context, dtype));
}

Attribute toAttribute(MLIRContext &context, const AttrValue &value) {
  Builder b(&context);
  return std::visit(
      [&](const auto &x) -> Attribute {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, int64_t>)
          return b.getI64IntegerAttr(x);
        else if constexpr (std::is_same_v<T, double>)
          return b.getF64FloatAttr(x);
        else if constexpr (std::is_same_v<T, bool>)
          return b.getBoolAttr(x);
        else if constexpr (std::is_same_v<T, ::ember::Scalar>)
          return x.is_floating_point()
                     ? Attribute(b.getF64FloatAttr(x.to_double()))
                 : x.is_bool() ? Attribute(b.getBoolAttr(x.template to<bool>()))
                               : Attribute(b.getI64IntegerAttr(x.to_long()));
        else if constexpr (std::is_same_v<T, DType>)
          return TypeAttr::get(elementType(context, x));
        else if constexpr (std::is_same_v<T, ::ember::Device>)
          return b.getStringAttr(x.str());
        else if constexpr (std::is_same_v<T, std::vector<int64_t>>)
          return b.getDenseI64ArrayAttr(x);
        else
          return b.getStringAttr(x);
      },
      value);
}

DenseElementsAttr toDenseAttr(MLIRContext &context, const Tensor &tensor) {
  RankedTensorType type = tensorType(context, tensor.sizes(), tensor.dtype());
  Tensor t = tensor.contiguous().cpu();
  auto raw = [&]<typename T>(T *) {
    llvm::ArrayRef<T> values(t.data_ptr<T>(), static_cast<size_t>(t.numel()));
    return DenseElementsAttr::get(type, values);
  };
  switch (t.dtype()) {
  case DType::Float32:
    return raw(static_cast<float *>(nullptr));
  case DType::Float64:
    return raw(static_cast<double *>(nullptr));
  case DType::Int32:
    return raw(static_cast<int32_t *>(nullptr));
  case DType::Int64:
    return raw(static_cast<int64_t *>(nullptr));
  case DType::UInt8:
    return raw(static_cast<uint8_t *>(nullptr));
  case DType::Bool: {
    const bool *p = t.data_ptr<bool>();
    SmallVector<bool> bits(p, p + t.numel());
    return DenseElementsAttr::get(type, llvm::ArrayRef<bool>(bits));
  }
  default:
    EMBER_FAIL("jit::import", "cannot make a constant of dtype ", t.dtype());
  }
}

namespace {

Location opLocation(MLIRContext &context, const jit::TracedOp &op) {
  Location file = op.file.empty() ? Location(UnknownLoc::get(&context))
                                  : Location(FileLineColLoc::get(
                                        &context, op.file, op.line, op.column));
  if (op.module_path.empty())
    return file;
  return FusedLoc::get(
      &context,
      {NameLoc::get(StringAttr::get(&context, op.module_path)), file});
}

std::string describe(const jit::TracedOp &op) {
  std::string at =
      op.file.empty()
          ? std::string("an unknown location")
          : ::ember::detail::str_cat(op.file, ":", op.line, ":", op.column);
  return ::ember::detail::str_cat("ember.", ::ember::op_name(op.op), " at ", at,
                                  op.module_path.empty() ? "" : " in ",
                                  op.module_path);
}

} // namespace

OwningOpRef<ModuleOp> importTrace(MLIRContext &context,
                                  const jit::Trace &trace) {
  loadImportDialects(context);
  OpBuilder b(&context);
  Location unknown = b.getUnknownLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(unknown);
  b.setInsertionPointToEnd(module->getBody());

  auto typeOf = [&](int64_t id) -> Type {
    const jit::TracedValue &v = trace.values.at(static_cast<size_t>(id));
    return tensorType(context, v.sizes, v.dtype);
  };
  SmallVector<Type> argTypes, resultTypes;
  for (int64_t id : trace.arguments)
    argTypes.push_back(typeOf(id));
  // backward()'s gradients the function reads come last, as placeholder
  // arguments `ember.gradient_of = <argument>` that ember-autodiff fills.
  SmallVector<int64_t> gradients;
  for (size_t id = 0; id < trace.values.size(); ++id)
    if (trace.values[id].kind == jit::ValueKind::Gradient) {
      gradients.push_back(static_cast<int64_t>(id));
      argTypes.push_back(typeOf(static_cast<int64_t>(id)));
    }
  for (int64_t id : trace.outputs)
    resultTypes.push_back(typeOf(id));
  auto func = b.create<func::FuncOp>(unknown, trace.name,
                                     b.getFunctionType(argTypes, resultTypes));
  for (size_t i = 0; i < trace.arguments.size(); ++i) {
    const jit::TracedValue &v = trace.values[trace.arguments[i]];
    func.setArgAttr(i, "ember.name", b.getStringAttr(v.name));
    func.setArgAttr(i, "ember.kind", b.getStringAttr(jit::to_string(v.kind)));
  }
  for (size_t k = 0; k < gradients.size(); ++k) {
    const jit::TracedValue &g = trace.values[gradients[k]];
    auto pos = llvm::find(trace.arguments, g.grad_of);
    EMBER_CHECK(pos != trace.arguments.end(), "jit::import", "the gradient '",
                g.name, "' belongs to a value that is not an argument");
    unsigned i = static_cast<unsigned>(trace.arguments.size() + k);
    func.setArgAttr(i, "ember.name", b.getStringAttr(g.name));
    func.setArgAttr(i, "ember.gradient_of",
                    b.getI64IntegerAttr(pos - trace.arguments.begin()));
  }
  Block *body = func.addEntryBlock();
  b.setInsertionPointToEnd(body);

  std::vector<Value> valueOf(trace.values.size());
  for (size_t i = 0; i < trace.arguments.size(); ++i)
    valueOf[trace.arguments[i]] = body->getArgument(i);
  for (size_t k = 0; k < gradients.size(); ++k)
    valueOf[gradients[k]] =
        body->getArgument(static_cast<unsigned>(trace.arguments.size() + k));
  // Constants first, in value order, at the top of the body.
  for (size_t id = 0; id < trace.values.size(); ++id)
    if (trace.values[id].kind == jit::ValueKind::Constant)
      valueOf[id] = b.create<ConstantOp>(
          unknown, toDenseAttr(context, trace.values[id].tensor));

  // Diagnostics from building and verifying become the error message.
  std::string diagnostics;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &d) {
    llvm::raw_string_ostream os(diagnostics);
    os << "\n  " << d;
    return success();
  });

  auto importOp = [&](const jit::TracedOp &op) {
    OperationState state(opLocation(context, op),
                         std::string("ember.") +
                             std::string(::ember::op_name(op.op)));
    if (!state.name.isRegistered())
      EMBER_FAIL("jit::import", describe(op),
                 ": the ember dialect has no such op");
    for (int64_t in : op.inputs) {
      EMBER_CHECK(in >= 0, "jit::import", describe(op),
                  ": an index with empty slots (x[:, i]) cannot be imported "
                  "yet; index with a full list of index tensors");
      EMBER_CHECK(static_cast<bool>(valueOf[in]), "jit::import", describe(op),
                  ": operand %", in, " has no value (an ember bug)");
      state.addOperands(valueOf[in]);
    }
    for (const ::ember::Attr &a : op.attrs.items())
      state.addAttribute(a.name, toAttribute(context, a.value));
    // A bernoulli draw from the default generator: its first block and
    // seed come from the call (operands), the offset attribute counts from
    // that block.
    // (The other random ops have no lowering: they replay eagerly, at the
    // same relative offsets.)
    if (op.rng[0] >= 0 && op.op == ::ember::OpId::bernoulli) {
      for (int64_t id : op.rng) {
        EMBER_CHECK(static_cast<bool>(valueOf[id]), "jit::import", describe(op),
                    ": its generator state has no value");
        state.addOperands(valueOf[id]);
      }
      state.attributes.set(
          "offset", b.getI64IntegerAttr(static_cast<int64_t>(op.rng_offset)));
    }
    for (int64_t out : op.outputs)
      state.addTypes(typeOf(out));
    Operation *created = b.create(state);
    for (size_t k = 0; k < op.outputs.size(); ++k)
      valueOf[op.outputs[k]] = created->getResult(k);
    if (failed(verify(created)))
      EMBER_FAIL("jit::import", describe(op),
                 ": the imported op does not verify:", diagnostics);
  };

  // A custom Function application whose backward was recorded becomes one
  // ember.custom_function when the trace differentiates (ember-autodiff
  // then uses the user's backward); otherwise its forward ops are imported
  // in place, as if inlined.
  auto importCall = [&](const jit::CustomFunctionCall &c) {
    const jit::TracedOp &first = trace.ops.at(static_cast<size_t>(c.first_op));
    // The node is "<Function>Backward"; the op names the Function.
    StringRef name(c.name);
    name.consume_back("Backward");
    Location loc =
        FusedLoc::get(&context, {NameLoc::get(StringAttr::get(&context, name)),
                                 opLocation(context, first)});
    SmallVector<size_t> defined; // the inputs that are tensors
    SmallVector<Value> operands;
    SmallVector<Type> inTypes, outTypes;
    for (size_t i = 0; i < c.inputs.size(); ++i)
      if (c.inputs[i] >= 0) {
        defined.push_back(i);
        operands.push_back(valueOf[c.inputs[i]]);
        inTypes.push_back(typeOf(c.inputs[i]));
      }
    for (int64_t id : c.outputs)
      outTypes.push_back(typeOf(id));
    auto call = b.create<CustomFunctionOp>(loc, outTypes, b.getStringAttr(name),
                                           operands);
    const std::vector<Value> outer = valueOf;
    OpBuilder::InsertionGuard guard(b);
    auto bind = [&](Block *block, unsigned from, ArrayRef<int64_t> ids) {
      for (size_t j = 0; j < ids.size(); ++j)
        valueOf[ids[j]] = block->getArgument(from + static_cast<unsigned>(j));
    };
    SmallVector<int64_t> inIds;
    for (size_t i : defined)
      inIds.push_back(c.inputs[i]);
    auto importForward = [&] {
      for (int64_t i = c.first_op; i < c.end_op; ++i)
        importOp(trace.ops[static_cast<size_t>(i)]);
    };

    Block *fwd = b.createBlock(&call.getForward(), {}, inTypes,
                               SmallVector<Location>(inTypes.size(), loc));
    bind(fwd, 0, inIds);
    importForward();
    SmallVector<Value> yields;
    for (int64_t id : c.outputs)
      yields.push_back(valueOf[id]);
    b.create<YieldOp>(loc, yields);

    // backward(inputs..., outputs..., cotangents...): the forward again
    // (the backward may use what it saved of the forward's intermediates;
    // CSE merges the copies once both are inlined), then the user's ops.
    valueOf = outer;
    SmallVector<Type> bwdTypes(inTypes);
    bwdTypes.append(outTypes);
    bwdTypes.append(outTypes);
    Block *bwd = b.createBlock(&call.getBackward(), {}, bwdTypes,
                               SmallVector<Location>(bwdTypes.size(), loc));
    bind(bwd, 0, inIds);
    importForward();
    bind(bwd, static_cast<unsigned>(inIds.size()), c.outputs);
    bind(bwd, static_cast<unsigned>(inIds.size() + c.outputs.size()),
         c.cotangents);
    for (const jit::TracedOp &op : c.backward_ops)
      importOp(op);
    yields.clear();
    for (size_t j = 0; j < defined.size(); ++j) {
      int64_t g = c.input_grads.at(defined[j]);
      if (g >= 0) {
        yields.push_back(valueOf[g]);
        continue;
      }
      auto type = cast<RankedTensorType>(inTypes[j]);
      yields.push_back(b.create<ConstantOp>(
          loc,
          DenseElementsAttr::get(type, b.getZeroAttr(type.getElementType()))));
    }
    b.create<YieldOp>(loc, yields);
    valueOf = outer;
    for (size_t k = 0; k < c.outputs.size(); ++k)
      valueOf[c.outputs[k]] = call.getResult(static_cast<unsigned>(k));
    if (failed(verify(call)))
      EMBER_FAIL("jit::import", "the custom autograd::Function ", c.name,
                 " does not import:", diagnostics);
  };

  for (const jit::TracedOp &op : trace.ops) {
    if (trace.backward && op.custom_call >= 0) {
      const jit::CustomFunctionCall &c =
          trace.custom_calls.at(static_cast<size_t>(op.custom_call));
      if (c.traceable()) {
        if (&op == &trace.ops[static_cast<size_t>(c.first_op)])
          importCall(c);
        continue;
      }
    }
    importOp(op);
  }
  SmallVector<Value> results;
  for (int64_t id : trace.outputs)
    results.push_back(valueOf[id]);
  b.create<func::ReturnOp>(unknown, results);
  if (failed(verify(*module)))
    EMBER_FAIL("jit::import", "the imported function '", trace.name,
               "' does not verify:", diagnostics);
  dumpIR(*module, trace.name, "import");
  return module;
}

std::string printModule(ModuleOp module, bool debugInfo) {
  std::string text;
  llvm::raw_string_ostream os(text);
  OpPrintingFlags flags;
  // Locations inline (no #loc aliases): each op line shows its source.
  if (debugInfo)
    flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false)
        .useLocalScope();
  module->print(os, flags);
  return text;
}

std::string dumpIR(ModuleOp module, const std::string &name,
                   const std::string &stage) {
  const char *dir = std::getenv("EMBER_DUMP_IR");
  if (!dir || !*dir)
    return "";
  // One number per module, kept on it so later stages share it.
  static std::atomic<int64_t> next{0};
  int64_t n;
  if (auto id = module->getAttrOfType<IntegerAttr>("ember.dump_id")) {
    n = id.getInt();
  } else {
    n = next++;
    module->setAttr(
        "ember.dump_id",
        IntegerAttr::get(IntegerType::get(module.getContext(), 64), n));
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  EMBER_CHECK(!ec, "EMBER_DUMP_IR", "cannot create '", dir,
              "': ", ec.message());
  std::string path =
      ::ember::detail::str_cat(dir, "/", name, ".", n, ".", stage, ".mlir");
  ::ember::atomic_write_file("EMBER_DUMP_IR", path, printModule(module, true));
  return path;
}

} // namespace mlir::ember

// Trace::to_mlir lives here, with the compiler (ember::jit).
std::string ember::jit::Trace::to_mlir(bool debug_info) const {
  mlir::MLIRContext context;
  auto module = mlir::ember::importTrace(context, *this);
  return mlir::ember::printModule(*module, debug_info);
}

//===- JitFunction.cpp - compile and call a function on ember tensors -----===//
//
// compile(): clone the module, lowerToLLVMDialect, then key the disk cache on
// the LLVM-dialect text, the host CPU name and features, the opt level and
// the compiler version. On a miss, translate to LLVM IR, add the packed entry
// point `_ember_packed_<name>(void **args)` (it loads each scalar of each
// memref descriptor through args[i] and calls the function, as MLIR's
// ExecutionEngine does for `_mlir_<name>`), turn the calls to outlined
// parallel loop bodies into ember_rt_parallel_for on ember's pool
// (ParallelCalls.h), hint long elementwise loops' interleave count
// (LoopHints.h), optimize at O<n> for the host CPU, emit a PIC object and store
// it. Hit or miss, the object is added to a fresh ORC LLJIT, which resolves
// malloc, free, memcpy and libm against the process and the runtime's C ABI
// (compiled_abi.h) by address, and the entry point is looked up once.
//
// operator(): checks every input against the signature, allocates the
// outputs with ember, fills one slot per descriptor scalar (allocated
// pointer, aligned pointer, offset, sizes, strides; inputs first, then the
// out-params in result order) and calls the entry point. Slots live on the
// stack for up to 64 scalars (e.g. 6 rank-3 tensors).
//
//===----------------------------------------------------------------------===//

#include "LoopHints.h"
#include "ObjectCache.h"
#include "ParallelCalls.h"

#include "ember/Codegen/JIT.h"
#include "ember/Codegen/Native.h"
#include "ember/factory.h"
#include "ember/runtime/compiled_abi.h"
#include "ember/runtime/error.h"
#include "ember/runtime/file_io.h"
#include "ember/runtime/memref_copy.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>

namespace mlir::ember {

namespace {

// memref.copy between strided memrefs (cat and stack bufferize to copies
// into subviews) becomes a call to memrefCopy: ember's is in
// ember/runtime/memref_copy.h, shared with emberc's executables.
extern "C" void emberMemrefCopy(int64_t elemSize,
                                ::ember::rt::UnrankedDescriptor *src,
                                ::ember::rt::UnrankedDescriptor *dst) {
  ::ember::rt::memref_copy(elemSize, src, dst);
}

using ::ember::DType;

// Changes whenever the pipeline or the calling convention changes, so old
// cache entries stop matching.
constexpr const char *kCompilerVersion =
    "ember-jit/3 LLVM " LLVM_VERSION_STRING;
constexpr const char *kSymbolPrefix = "_ember_fn_";
constexpr const char *kEntryPrefix = "_ember_packed_";

std::string errorText(llvm::Error error) {
  return llvm::toString(std::move(error));
}

struct HostInfo {
  std::string triple, cpu, features; // features: sorted, "+a,-b,..."
  std::vector<std::string> featureList;
};

const HostInfo &hostInfo() {
  static const HostInfo info = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    HostInfo h;
    h.triple = llvm::sys::getProcessTriple();
    h.cpu = llvm::sys::getHostCPUName().str();
    for (const auto &f : llvm::sys::getHostCPUFeatures()) {
      std::string feature(1, f.second ? '+' : '-');
      feature.append(f.first().data(), f.first().size());
      h.featureList.push_back(std::move(feature));
    }
    std::sort(h.featureList.begin(), h.featureList.end());
    for (const std::string &f : h.featureList) {
      if (!h.features.empty())
        h.features.push_back(',');
      h.features.append(f);
    }
    return h;
  }();
  return info;
}

llvm::orc::JITTargetMachineBuilder hostMachine(unsigned optLevel) {
  const HostInfo &host = hostInfo();
  llvm::orc::JITTargetMachineBuilder jtmb{llvm::Triple(host.triple)};
  jtmb.setCPU(host.cpu);
  jtmb.addFeatures(host.featureList);
  jtmb.setRelocationModel(llvm::Reloc::PIC_);
  jtmb.setCodeGenOptLevel(optLevel == 0   ? llvm::CodeGenOptLevel::None
                          : optLevel == 1 ? llvm::CodeGenOptLevel::Less
                          : optLevel == 2 ? llvm::CodeGenOptLevel::Default
                                          : llvm::CodeGenOptLevel::Aggressive);
  return jtmb;
}

DType toDType(Type type, llvm::StringRef what) {
  if (type.isF32())
    return DType::Float32;
  if (type.isF64())
    return DType::Float64;
  if (type.isSignlessInteger(64))
    return DType::Int64;
  if (type.isSignlessInteger(32))
    return DType::Int32;
  if (type.isSignlessInteger(1))
    return DType::Bool;
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  EMBER_FAIL("jit", what.str(), " has element type ", text,
             " (supported: f32, f64, i32, i64, i1)");
}

JitFunction::TensorSpec toSpec(Type type, const std::string &what) {
  auto tensor = llvm::dyn_cast<RankedTensorType>(type);
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  EMBER_CHECK(tensor, "jit", what, " is ", text, ", not a ranked tensor");
  EMBER_CHECK(tensor.hasStaticShape(), "jit", what, " is ", text,
              ": dynamic shapes are not supported");
  JitFunction::TensorSpec spec;
  spec.dtype = toDType(tensor.getElementType(), what);
  spec.sizes.assign(tensor.getShape().begin(), tensor.getShape().end());
  spec.strides.assign(spec.sizes.size(), 1);
  for (int64_t d = static_cast<int64_t>(spec.sizes.size()) - 2; d >= 0; --d)
    spec.strides[d] =
        spec.strides[d + 1] * std::max<int64_t>(spec.sizes[d + 1], 1);
  return spec;
}

// The module's ops as text, without module attributes (dumpIR's number).
std::string keyText(ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  for (Operation &op : module.getBody()->getOperations())
    os << op << "\n";
  return text;
}

// `_ember_packed_<name>(ptr args)`: loads the i-th scalar through args[i].
void addPackedEntry(llvm::Module &module, llvm::Function &func) {
  llvm::LLVMContext &ctx = module.getContext();
  llvm::IRBuilder<> b(ctx);
  auto *type = llvm::FunctionType::get(b.getVoidTy(), {b.getPtrTy()},
                                       /*isVarArg=*/false);
  auto *entry =
      llvm::Function::Create(type, llvm::Function::ExternalLinkage,
                             kEntryPrefix + func.getName().str(), module);
  b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", entry));
  llvm::SmallVector<llvm::Value *> args;
  for (auto [i, arg] : llvm::enumerate(func.args())) {
    llvm::Value *slot = b.CreateConstGEP1_64(b.getPtrTy(), entry->getArg(0), i);
    llvm::Value *ptr = b.CreateLoad(b.getPtrTy(), slot);
    args.push_back(b.CreateLoad(arg.getType(), ptr));
  }
  b.CreateCall(&func, args);
  b.CreateRetVoid();
}

// With EMBER_DUMP_IR, the optimized LLVM IR and the host assembly next to
// the MLIR stages (<name>.<n>.jit-optimized.ll, .jit-assembly.s): where to
// check that loops vectorized and that parallel bodies went to
// ember_rt_parallel_for. (A cache hit skips LLVM, so it dumps neither.)
void dumpOptimizedIR(ModuleOp module, const std::string &name,
                     const llvm::Module &llvmModule, llvm::TargetMachine &tm) {
  const char *dir = std::getenv("EMBER_DUMP_IR");
  if (!dir || !*dir)
    return;
  auto id = module->getAttrOfType<IntegerAttr>("ember.dump_id");
  std::string base = ::ember::detail::str_cat(dir, "/", name, ".",
                                              id ? id.getInt() : 0, ".jit-");
  std::string text;
  llvm::raw_string_ostream os(text);
  llvmModule.print(os, nullptr);
  ::ember::atomic_write_file("EMBER_DUMP_IR", base + "optimized.ll", text);

  // Code generation consumes its module: print the assembly of a copy.
  std::unique_ptr<llvm::Module> copy = llvm::CloneModule(llvmModule);
  llvm::SmallVector<char, 0> assembly;
  llvm::raw_svector_ostream as(assembly);
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, as, nullptr,
                             llvm::CodeGenFileType::AssemblyFile))
    return; // no assembly printer for this target: the .ll still shows it
  pm.run(*copy);
  ::ember::atomic_write_file("EMBER_DUMP_IR", base + "assembly.s",
                             std::string(assembly.begin(), assembly.end()));
}

// LLVM dialect -> optimized LLVM IR for `tm`: the packed entry point, the
// parallel-loop calls, then LLVM's optimizer. `symbol` is the compiled
// (renamed) function.
std::unique_ptr<llvm::Module> translateOptimized(ModuleOp module,
                                                 const std::string &symbol,
                                                 llvm::LLVMContext &context,
                                                 llvm::TargetMachine &tm,
                                                 unsigned optLevel) {
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context, symbol);
  EMBER_CHECK(llvmModule, "jit", "translating '", symbol,
              "' to LLVM IR failed");
  llvm::Function *func = llvmModule->getFunction(symbol);
  EMBER_CHECK(func, "jit", "no LLVM function '", symbol, "' after lowering");
  addPackedEntry(*llvmModule, *func);
  // Before the optimizer: it would inline the loop bodies into the caller.
  detail::lowerParallelCalls(*llvmModule);
  // Before the vectorizer, which reads them (LoopHints.h).
  detail::addInterleaveHints(*llvmModule);

  llvmModule->setDataLayout(tm.createDataLayout());
  llvmModule->setTargetTriple(tm.getTargetTriple().str());
  auto optimize = makeOptimizingTransformer(optLevel, /*sizeLevel=*/0, &tm);
  if (llvm::Error error = optimize(llvmModule.get()))
    EMBER_FAIL("jit", "optimizing '", symbol,
               "' failed: ", errorText(std::move(error)));
  return llvmModule;
}

std::string emitCode(llvm::Module &module, llvm::TargetMachine &tm,
                     llvm::CodeGenFileType type) {
  llvm::SmallVector<char, 0> code;
  llvm::raw_svector_ostream os(code);
  llvm::legacy::PassManager pm;
  EMBER_CHECK(!tm.addPassesToEmitFile(pm, os, nullptr, type), "jit",
              "the target cannot emit ",
              type == llvm::CodeGenFileType::ObjectFile ? "object files"
                                                        : "assembly");
  pm.run(module);
  return std::string(code.begin(), code.end());
}

// LLVM dialect -> optimized object for the host.
std::string compileObject(ModuleOp module, const std::string &name,
                          unsigned optLevel) {
  auto machine = hostMachine(optLevel).createTargetMachine();
  EMBER_CHECK(machine, "jit", "no target machine for the host: ",
              errorText(machine.takeError()));
  llvm::TargetMachine &tm = **machine;
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateOptimized(module, name, llvmContext, tm, optLevel);
  dumpOptimizedIR(module, name, *llvmModule, tm);
  return emitCode(*llvmModule, tm, llvm::CodeGenFileType::ObjectFile);
}

std::string describe(DType dtype, ::ember::IntArrayRef sizes) {
  std::string text(::ember::dtype_name(dtype));
  text.append(" [");
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (i)
      text.append(", ");
    text.append(std::to_string(sizes[i]));
  }
  text.push_back(']');
  return text;
}

} // namespace

std::string resolveCacheDir(const JitOptions &options) {
  std::string dir;
  if (options.cacheDir) {
    dir = *options.cacheDir;
  } else if (const char *env = std::getenv("EMBER_CACHE_DIR")) {
    dir = env;
  } else if (const char *home = std::getenv("HOME"); home && *home) {
    dir = std::string(home) + "/.cache/ember";
  }
  return dir == "0" ? "" : dir;
}

JitFunction::~JitFunction() = default;

std::unique_ptr<JitFunction> JitFunction::compile(ModuleOp module,
                                                  llvm::StringRef funcName,
                                                  const JitOptions &options) {
  auto start = std::chrono::steady_clock::now();
  EMBER_CHECK(options.optLevel <= 3, "jit", "optLevel must be 0 to 3, got ",
              options.optLevel);
  auto func = module.lookupSymbol<func::FuncOp>(funcName);
  EMBER_CHECK(func, "jit", "no func.func @", funcName.str(), " in the module");

  std::unique_ptr<JitFunction> fn(new JitFunction());
  fn->name_ = funcName.str();
  FunctionType type = func.getFunctionType();
  for (auto [i, t] : llvm::enumerate(type.getInputs()))
    fn->inputs_.push_back(
        toSpec(t, "@" + fn->name_ + " argument " + std::to_string(i)));
  for (auto [i, t] : llvm::enumerate(type.getResults()))
    fn->outputs_.push_back(
        toSpec(t, "@" + fn->name_ + " result " + std::to_string(i)));
  for (const auto *specs : {&fn->inputs_, &fn->outputs_})
    for (const TensorSpec &spec : *specs)
      fn->numSlots_ += 3 + 2 * spec.sizes.size();

  // Renamed to a reserved symbol (see lowerForNative).
  const std::string symbol = compiledSymbol(funcName);
  OwningOpRef<ModuleOp> lowered = lowerForNative(module, funcName);
  fn->inPlace_.assign(fn->outputs_.size(), -1);
  if (auto inPlace = (*lowered)->getAttrOfType<DenseI64ArrayAttr>(
          "ember.in_place." + symbol);
      inPlace && inPlace.size() == static_cast<int64_t>(fn->outputs_.size()))
    fn->inPlace_.assign(inPlace.asArrayRef().begin(),
                        inPlace.asArrayRef().end());
  auto llvmFunc = lowered->lookupSymbol<LLVM::LLVMFuncOp>(symbol);
  EMBER_CHECK(llvmFunc.getNumArguments() == fn->numSlots_, "jit", "@",
              fn->name_, " lowered to ", llvmFunc.getNumArguments(),
              " scalar arguments, expected ", fn->numSlots_,
              " (one memref per argument and result)");

  // The disk cache.
  const HostInfo &host = hostInfo();
  std::string text = keyText(*lowered);
  std::string opt = std::to_string(options.optLevel);
  detail::CacheKey key =
      detail::makeCacheKey({text, fn->name_, host.triple, host.cpu,
                            host.features, opt, kCompilerVersion});
  std::string dir = resolveCacheDir(options);
  std::string object;
  if (!dir.empty()) {
    fn->cachePath_ = dir + "/" + detail::toHex(key) + ".o";
    if (auto cached = detail::readCacheEntry(fn->cachePath_, key)) {
      object = std::move(*cached);
      fn->fromCache_ = true;
    }
  }
  if (!fn->fromCache_) {
    object = compileObject(*lowered, symbol, options.optLevel);
    if (!dir.empty()) {
      try {
        detail::writeCacheEntry(fn->cachePath_, key, object);
      } catch (const ::ember::Error &e) {
        // A read-only or full cache folder only costs the next process a
        // compile; say so once.
        static std::once_flag once;
        std::call_once(once, [&] {
          std::cerr << "ember: the JIT cache is not written: " << e.what()
                    << "\n";
        });
      }
    }
  }

  // Link the object into a fresh LLJIT.
  auto jit = llvm::orc::LLJITBuilder()
                 .setJITTargetMachineBuilder(hostMachine(options.optLevel))
                 .create();
  EMBER_CHECK(jit, "jit",
              "cannot create the ORC JIT: ", errorText(jit.takeError()));
  fn->jit_ = std::move(*jit);
  auto generator =
      llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
          fn->jit_->getDataLayout().getGlobalPrefix());
  EMBER_CHECK(generator, "jit", "cannot resolve process symbols: ",
              errorText(generator.takeError()));
  fn->jit_->getMainJITDylib().addGenerator(std::move(*generator));
  llvm::orc::MangleAndInterner mangle(fn->jit_->getExecutionSession(),
                                      fn->jit_->getDataLayout());
  // The runtime's C ABI (compiled_abi.h) by address: a static ember is not
  // in the process's dynamic symbol table.
  llvm::orc::SymbolMap runtimeSymbols;
  auto define = [&](const char *name, auto *address) {
    runtimeSymbols[mangle(name)] =
        llvm::orc::ExecutorSymbolDef(llvm::orc::ExecutorAddr::fromPtr(address),
                                     llvm::JITSymbolFlags::Exported);
  };
  define("memrefCopy", &emberMemrefCopy);
  // The buffers a call allocates come from ember's caching allocator.
  define("malloc", &ember_rt_malloc);
  define("free", &ember_rt_free);
  define("ember_rt_parallel_for", &ember_rt_parallel_for);
  define("ember_rt_matmul_f32", &ember_rt_matmul_f32);
  define("ember_rt_matmul_f64", &ember_rt_matmul_f64);
  define("ember_rt_batch_matmul_f32", &ember_rt_batch_matmul_f32);
  define("ember_rt_batch_matmul_f64", &ember_rt_batch_matmul_f64);
  define("ember_rt_conv2d_nchw_f32", &ember_rt_conv2d_nchw_f32);
  define("ember_rt_conv2d_nchw_f64", &ember_rt_conv2d_nchw_f64);
  define("ember_rt_max_pool2d_nchw_f32", &ember_rt_max_pool2d_nchw_f32);
  define("ember_rt_max_pool2d_nchw_f64", &ember_rt_max_pool2d_nchw_f64);
  define("ember_rt_max_pool2d_backward_f32", &ember_rt_max_pool2d_backward_f32);
  define("ember_rt_max_pool2d_backward_f64", &ember_rt_max_pool2d_backward_f64);
  if (llvm::Error error = fn->jit_->getMainJITDylib().define(
          llvm::orc::absoluteSymbols(std::move(runtimeSymbols))))
    EMBER_FAIL("jit", "cannot define the runtime support symbols: ",
               errorText(std::move(error)));
  if (llvm::Error error = fn->jit_->addObjectFile(
          llvm::MemoryBuffer::getMemBufferCopy(object, fn->name_ + ".o")))
    EMBER_FAIL("jit", "cannot add the object of @", fn->name_, ": ",
               errorText(std::move(error)));
  auto entry = fn->jit_->lookup(kEntryPrefix + symbol);
  EMBER_CHECK(entry, "jit", "cannot link @", fn->name_, ": ",
              errorText(entry.takeError()));
  fn->entry_ = entry->toPtr<void (*)(void **)>();

  fn->compileMs_ = std::chrono::duration<double, std::milli>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  return fn;
}

std::vector<::ember::Tensor>
JitFunction::operator()(const std::vector<::ember::Tensor> &inputs) const {
  EMBER_CHECK(inputs.size() == inputs_.size(), "jit", "@", name_, " takes ",
              inputs_.size(), " inputs, got ", inputs.size());
  union Slot {
    void *ptr;
    int64_t value;
  };
  llvm::SmallVector<Slot, 64> slots(numSlots_);
  llvm::SmallVector<void *, 64> args(numSlots_);
  size_t k = 0;
  auto pass = [&](void *data, const TensorSpec &spec) {
    slots[k++].ptr = data;
    slots[k++].ptr = data;
    slots[k++].value = 0;
    for (int64_t s : spec.sizes)
      slots[k++].value = s;
    for (int64_t s : spec.strides)
      slots[k++].value = s;
  };

  // Contiguous copies of strided inputs, alive until the call returns.
  llvm::SmallVector<::ember::Tensor, 0> copies;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const ::ember::Tensor &t = inputs[i];
    const TensorSpec &spec = inputs_[i];
    EMBER_CHECK(t.defined(), "jit", "@", name_, " input ", i, " is undefined");
    EMBER_CHECK(t.is_cpu(), "jit", "@", name_, " input ", i,
                " is not on the CPU");
    EMBER_CHECK(t.dtype() == spec.dtype &&
                    std::ranges::equal(t.sizes(), spec.sizes),
                "jit", "@", name_, " input ", i, ": expected ",
                describe(spec.dtype, spec.sizes), ", got ",
                describe(t.dtype(), t.sizes()));
    if (t.is_contiguous()) {
      pass(t.raw_data_ptr(), spec);
    } else {
      copies.push_back(t.contiguous());
      pass(copies.back().raw_data_ptr(), spec);
    }
  }
  // An argument written in place must be the call's only view of its
  // memory: the compiled code assumes its out-params alias nothing.
  auto exclusive = [&](size_t a) {
    const ::ember::Tensor &t = inputs[a];
    if (!t.is_contiguous())
      return false;
    for (size_t j = 0; j < inputs.size(); ++j)
      if (j != a &&
          inputs[j].unsafe_impl()->storage() == t.unsafe_impl()->storage())
        return false;
    return true;
  };
  std::vector<::ember::Tensor> outputs;
  outputs.reserve(outputs_.size());
  for (size_t r = 0; r < outputs_.size(); ++r) {
    const TensorSpec &spec = outputs_[r];
    const int64_t a = inPlace_[r];
    if (a >= 0 && exclusive(static_cast<size_t>(a))) {
      outputs.push_back(inputs[static_cast<size_t>(a)]);
      outputs.back().unsafe_impl()->storage()->bump_version();
    } else {
      outputs.push_back(::ember::empty(
          spec.sizes, ::ember::TensorOptions().dtype(spec.dtype)));
    }
    pass(outputs.back().raw_data_ptr(), spec);
  }
  for (size_t i = 0; i < numSlots_; ++i)
    args[i] = &slots[i];
  entry_(args.data());
  return outputs;
}

const char *compilerVersion() { return kCompilerVersion; }

std::string compiledSymbol(llvm::StringRef funcName) {
  return kSymbolPrefix + funcName.str();
}

std::string packedEntrySymbol(llvm::StringRef funcName) {
  return kEntryPrefix + compiledSymbol(funcName);
}

std::string defaultPortableCpu() {
  return llvm::Triple(hostInfo().triple).getArch() == llvm::Triple::x86_64
             ? "x86-64-v3"
             : "";
}

OwningOpRef<ModuleOp> lowerForNative(ModuleOp module,
                                     llvm::StringRef funcName) {
  EMBER_CHECK(module.lookupSymbol<func::FuncOp>(funcName), "jit",
              "no func.func @", funcName.str(), " in the module");
  // The compiled symbol gets a reserved name: a user function called "expf"
  // or "sin" would otherwise stand in for the libm routine its own math
  // lowers to, and call itself. (No calls to it in the module: renaming the
  // definition is enough.)
  const std::string symbol = compiledSymbol(funcName);
  OwningOpRef<ModuleOp> lowered = module.clone();
  lowered->lookupSymbol<func::FuncOp>(funcName).setSymName(symbol);
  lowerToLLVMDialect(*lowered);
  EMBER_CHECK(lowered->lookupSymbol<LLVM::LLVMFuncOp>(symbol), "jit",
              "no llvm.func @", funcName.str(), " after lowering");
  return lowered;
}

std::unique_ptr<llvm::TargetMachine>
createNativeMachine(const NativeTarget &target) {
  EMBER_CHECK(target.optLevel <= 3, "jit", "optLevel must be 0 to 3, got ",
              target.optLevel);
  llvm::orc::JITTargetMachineBuilder jtmb = hostMachine(target.optLevel);
  auto machine = jtmb.createTargetMachine();
  EMBER_CHECK(machine, "jit", "no target machine for the host: ",
              errorText(machine.takeError()));
  if (target.cpu.empty() || target.cpu == "native")
    return std::move(*machine);
  // Checked on the host's machine first: LLVM only warns about an unknown
  // CPU and compiles for a generic one.
  EMBER_CHECK((*machine)->getMCSubtargetInfo()->isCPUStringValid(target.cpu),
              "jit", "unknown CPU '", target.cpu, "' for ", hostInfo().triple);
  jtmb.setCPU(target.cpu);
  jtmb.getFeatures() = llvm::SubtargetFeatures();
  machine = jtmb.createTargetMachine();
  EMBER_CHECK(machine, "jit", "no target machine for CPU '", target.cpu,
              "': ", errorText(machine.takeError()));
  return std::move(*machine);
}

std::unique_ptr<llvm::Module> translateForNative(ModuleOp lowered,
                                                 llvm::StringRef funcName,
                                                 llvm::LLVMContext &context,
                                                 llvm::TargetMachine &tm,
                                                 unsigned optLevel) {
  return translateOptimized(lowered, compiledSymbol(funcName), context, tm,
                            optLevel);
}

std::string emitNativeCode(const llvm::Module &module, llvm::TargetMachine &tm,
                           bool assembly) {
  // Code generation consumes its module: compile a copy.
  std::unique_ptr<llvm::Module> copy = llvm::CloneModule(module);
  return emitCode(*copy, tm,
                  assembly ? llvm::CodeGenFileType::AssemblyFile
                           : llvm::CodeGenFileType::ObjectFile);
}

} // namespace mlir::ember

//===- Package.cpp - jit::save and jit::load: model packages --------------===//
//
// The format is documented in ember/jit/package.h: a safetensors file with
// the weights, the module as MLIR bytecode, the goldens, and metadata (the
// format and compiler versions, the signature as JSON, XXH3 checksums).
//
// save() imports and functionalizes the trace as jit::compile does
// (Stages.h), checks that it is a pure function that lowers completely, so
// a package that saves also compiles, and writes the file atomically
// (ember::save). load() checks everything it can before returning, cheapest
// first: structure, versions, checksums, signature, the module (parsed and
// verified in a fresh context), weights, goldens. run() lowers and JITs
// the module on first use.
//
//===----------------------------------------------------------------------===//

#include "ember/jit/package.h"

#include "ember/Codegen/JIT.h"
#include "ember/Codegen/Native.h"
#include "ember/Codegen/Stages.h"
#include "ember/Import/TraceImporter.h"
#include "ember/factory.h"
#include "ember/nn/module.h"
#include "ember/runtime/file_io.h"
#include "ember/serialize.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <cstring>
#include <mutex>
#include <set>

namespace ember::jit {

namespace {

constexpr const char *kModuleTensor = "__ember.module";
constexpr const char *kReservedPrefix = "__ember.";
constexpr const char *kSignatureKey = "ember.signature";

std::string goldenName(size_t k, bool input, size_t i) {
  return ember::detail::str_cat("__ember.golden.", k, input ? ".in." : ".out.",
                                i);
}

std::string describe(DType dtype, const std::vector<int64_t> &sizes) {
  std::string s(dtype_name(dtype));
  s += " [";
  for (size_t i = 0; i < sizes.size(); ++i)
    s += (i ? ", " : "") + std::to_string(sizes[i]);
  return s + "]";
}

bool sameSpec(const Tensor &t, const TensorSignature &sig) {
  return t.defined() && t.dtype() == sig.dtype &&
         std::ranges::equal(t.sizes(), sig.sizes);
}

std::string checksum(std::string_view bytes) {
  return llvm::utohexstr(
      llvm::xxh3_64bits(llvm::ArrayRef<uint8_t>(
          reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size())),
      /*LowerCase=*/true, /*Width=*/16);
}

std::string_view tensorBytes(const Tensor &t) {
  return {static_cast<const char *>(t.raw_data_ptr()),
          static_cast<size_t>(t.nbytes())};
}

// --- the signature as JSON ------------------------------------------------

llvm::json::Array toJson(const std::vector<TensorSignature> &sigs) {
  llvm::json::Array array;
  for (const TensorSignature &s : sigs) {
    llvm::json::Array shape;
    for (int64_t d : s.sizes)
      shape.push_back(d);
    array.push_back(
        llvm::json::Object{{"name", s.name},
                           {"dtype", std::string(dtype_name(s.dtype))},
                           {"shape", std::move(shape)}});
  }
  return array;
}

bool dtypeFromName(llvm::StringRef name, DType &out) {
  for (int i = 0; i < kNumDTypes; ++i)
    if (dtype_name(static_cast<DType>(i)) == name.str()) {
      out = static_cast<DType>(i);
      return true;
    }
  return false;
}

// Parses one list of the signature; "" on success, else what is wrong.
std::string fromJson(const llvm::json::Object &root, const char *key,
                     std::vector<TensorSignature> &out) {
  const llvm::json::Array *array = root.getArray(key);
  if (!array)
    return ember::detail::str_cat("no '", key, "' list");
  for (const llvm::json::Value &v : *array) {
    const llvm::json::Object *o = v.getAsObject();
    if (!o)
      return ember::detail::str_cat("an entry of '", key, "' is not an object");
    TensorSignature s;
    auto name = o->getString("name");
    auto dtype = o->getString("dtype");
    const llvm::json::Array *shape = o->getArray("shape");
    if (!name || !dtype || !shape)
      return ember::detail::str_cat("an entry of '", key,
                                    "' lacks its name, dtype or shape");
    s.name = name->str();
    if (!dtypeFromName(*dtype, s.dtype))
      return ember::detail::str_cat("'", s.name, "' has unknown dtype '",
                                    dtype->str(), "'");
    for (const llvm::json::Value &d : *shape) {
      auto n = d.getAsInteger();
      if (!n || *n < 0)
        return ember::detail::str_cat("'", s.name, "' has a bad shape");
      s.sizes.push_back(*n);
    }
    out.push_back(std::move(s));
  }
  return "";
}

std::string jsonText(llvm::json::Value v) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << v;
  return s;
}

// --- MLIR -----------------------------------------------------------------

// A context able to parse and compile the ember module.
std::unique_ptr<mlir::MLIRContext> makeContext() {
  mlir::DialectRegistry registry;
  mlir::ember::registerJitDialects(registry);
  auto context = std::make_unique<mlir::MLIRContext>(registry);
  mlir::ember::loadImportDialects(*context);
  return context;
}

// Parses and verifies the bytecode; on failure returns null and sets `why`.
mlir::OwningOpRef<mlir::ModuleOp> parseModule(mlir::MLIRContext &context,
                                              const std::string &bytecode,
                                              std::string &why) {
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
    llvm::raw_string_ostream os(diagnostics);
    os << "\n  " << d;
    return mlir::success();
  });
  mlir::ParserConfig config(&context, /*verifyAfterParse=*/true);
  auto module = mlir::parseSourceString<mlir::ModuleOp>(bytecode, config,
                                                        "__ember.module");
  if (!module)
    why = "the module does not parse or verify:" + diagnostics;
  return module;
}

std::string typeText(mlir::Type t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << t;
  return s;
}

// "" when `type` is the tensor type of `sig`.
bool matches(mlir::Type type, const TensorSignature &sig) {
  auto tensor = llvm::dyn_cast<mlir::RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape() ||
      !std::ranges::equal(tensor.getShape(), sig.sizes))
    return false;
  return tensor.getElementType() ==
         mlir::ember::elementType(*type.getContext(), sig.dtype);
}

} // namespace

// --- options ----------------------------------------------------------------

PackageOptions &PackageOptions::module(const nn::Module &m,
                                       const std::string &prefix) {
  auto add = [&](const OrderedDict<Tensor> &named) {
    for (const auto &item : named)
      weights.insert_or_assign(prefix.empty() ? item.key()
                                              : prefix + "." + item.key(),
                               item.value());
  };
  add(m.named_parameters());
  add(m.named_buffers());
  return *this;
}

PackageOptions &PackageOptions::weight(const std::string &name, Tensor value) {
  weights.insert_or_assign(name, std::move(value));
  return *this;
}

// --- save -------------------------------------------------------------------

void save(const Trace &trace, const std::string &path,
          const PackageOptions &options) {
  const char *op = "jit::save";
  EMBER_CHECK(trace.data_reads.empty(), op, "'", path, "': the trace reads ",
              trace.data_reads.size(),
              " tensor value(s) with item(); a package holds a function "
              "whose ops do not depend on its data");
  // Training steps (a backward(), .grad, optimizer numbers read on each
  // call) need the live model and optimizer: not packaged yet.
  EMBER_CHECK(!trace.backward, op, "'", path,
              "': the trace calls backward(); packages hold inference "
              "functions (training steps are not packaged yet)");
  for (int64_t id : trace.arguments) {
    ValueKind k = trace.values.at(static_cast<size_t>(id)).kind;
    EMBER_CHECK(k != ValueKind::Grad && k != ValueKind::HostScalar, op, "'",
                path, "': the trace reads a ", to_string(k), " ('",
                trace.values.at(static_cast<size_t>(id)).name,
                "'), as an optimizer step does; packages hold inference "
                "functions (training steps are not packaged yet)");
  }

  // The signature, in argument order: inputs, then weights.
  std::vector<TensorSignature> inputs, outputs, weights;
  OrderedDict<Tensor> tensors;
  for (int64_t id : trace.arguments) {
    const TracedValue &v = trace.values.at(static_cast<size_t>(id));
    TensorSignature sig{v.name, v.dtype, v.sizes};
    if (v.kind == ValueKind::Input) {
      EMBER_CHECK(weights.empty(), op, "'", path,
                  "': the trace's inputs do not come first");
      size_t i = inputs.size();
      sig.name = i < options.input_names.size()
                     ? options.input_names[i]
                     : ember::detail::str_cat("input", i);
      inputs.push_back(std::move(sig));
      continue;
    }
    EMBER_CHECK(sig.name.rfind(kReservedPrefix, 0) != 0, op, "'", path,
                "': weight names may not start with '", kReservedPrefix, "' ('",
                sig.name, "')");
    Tensor value;
    if (v.kind == ValueKind::Lifted) {
      value = v.tensor;
    } else {
      const Tensor *given = options.weights.find(v.name);
      EMBER_CHECK(given, op, "'", path, "': no value for ", to_string(v.kind),
                  " '", v.name,
                  "' in PackageOptions::weights (PackageOptions::module "
                  "takes a model's parameters and buffers)");
      value = *given;
    }
    EMBER_CHECK(sameSpec(value, sig), op, "'", path, "': weight '", sig.name,
                "' is ", describe(value.dtype(), value.sizes().vec()),
                ", the trace has ", describe(sig.dtype, sig.sizes));
    tensors.insert(sig.name, value.detach().cpu().contiguous());
    weights.push_back(std::move(sig));
  }
  for (size_t j = 0; j < trace.outputs.size(); ++j) {
    const TracedValue &v =
        trace.values.at(static_cast<size_t>(trace.outputs[j]));
    outputs.push_back({j < options.output_names.size()
                           ? options.output_names[j]
                           : ember::detail::str_cat("output", j),
                       v.dtype, v.sizes});
  }

  // The module: imported and functionalized as jit::compile does, then
  // checked to be pure and to lower (on a copy), so that load and emberc
  // compile what saves.
  auto context = makeContext();
  auto module = mlir::ember::importTrace(*context, trace);
  mlir::ember::functionalizeModule(*module, trace.name, op);
  auto func = module->lookupSymbol<mlir::func::FuncOp>(trace.name);
  EMBER_CHECK(func, op, "'", path, "': no function @", trace.name,
              " after import");
  EMBER_CHECK(func.getNumResults() == outputs.size(), op, "'", path,
              "': the trace updates ", func.getNumResults() - outputs.size(),
              " argument(s) in place (a training step, or a module in "
              "training mode); a package holds a pure function: trace the "
              "model in eval mode");
  {
    mlir::OwningOpRef<mlir::ModuleOp> copy = module->clone();
    mlir::ember::lowerModuleToLinalg(*copy, trace.name, op);
  }
  std::string bytecode;
  {
    llvm::raw_string_ostream os(bytecode);
    EMBER_CHECK(mlir::succeeded(mlir::writeBytecodeToFile(*module, os)), op,
                "'", path, "': writing the module as bytecode failed");
  }
  Tensor moduleTensor = empty({static_cast<int64_t>(bytecode.size())},
                              TensorOptions().dtype(kUInt8));
  std::memcpy(moduleTensor.raw_data_ptr(), bytecode.data(), bytecode.size());
  tensors.insert(kModuleTensor, moduleTensor);

  for (size_t k = 0; k < options.goldens.size(); ++k) {
    const Golden &g = options.goldens[k];
    auto add = [&](const TensorList &list,
                   const std::vector<TensorSignature> &sigs, bool input) {
      EMBER_CHECK(list.size() == sigs.size(), op, "'", path, "': golden ", k,
                  " has ", list.size(), input ? " inputs" : " outputs",
                  ", the trace ", sigs.size());
      for (size_t i = 0; i < list.size(); ++i) {
        EMBER_CHECK(sameSpec(list[i], sigs[i]), op, "'", path, "': golden ", k,
                    input ? " input " : " output ", i, " is ",
                    list[i].defined()
                        ? describe(list[i].dtype(), list[i].sizes().vec())
                        : std::string("undefined"),
                    ", expected ", describe(sigs[i].dtype, sigs[i].sizes));
        tensors.insert(goldenName(k, input, i),
                       list[i].detach().cpu().contiguous());
      }
    };
    add(g.inputs, inputs, true);
    add(g.outputs, outputs, false);
  }

  std::string signature = jsonText(llvm::json::Object{
      {"function", trace.name},
      {"inputs", toJson(inputs)},
      {"outputs", toJson(outputs)},
      {"weights", toJson(weights)},
      {"goldens", static_cast<int64_t>(options.goldens.size())}});
  llvm::json::Object sums;
  for (const auto &item : tensors)
    sums[item.key()] = checksum(tensorBytes(item.value()));
  sums[kSignatureKey] = checksum(signature);
  std::map<std::string, std::string> metadata{
      {"ember.format", "emberpkg"},
      {"ember.format_version", std::to_string(kPackageFormatVersion)},
      {"ember.compiler_version", mlir::ember::compilerVersion()},
      {kSignatureKey, signature},
      {"ember.checksums", jsonText(std::move(sums))}};
  ember::save(tensors, path, metadata);
}

// --- load -------------------------------------------------------------------

struct Package::Compiled {
  std::mutex mutex;
  std::unique_ptr<mlir::ember::JitFunction> fn;
};

Package::Package() : compiled_(std::make_shared<Compiled>()) {}
Package::~Package() = default;
Package::Package(Package &&) noexcept = default;
Package &Package::operator=(Package &&) noexcept = default;

Package load(const std::string &path) {
  const char *op = "jit::load";
  auto bad = [&](const std::string &why) -> void {
    EMBER_FAIL(op, "'", path, "' is not a valid ember package: ", why);
  };
  std::string bytes = read_file(op, path);
  Package p;
  p.path = path;
  p.hash = llvm::toHex(
      llvm::SHA256::hash(llvm::ArrayRef<uint8_t>(
          reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size())),
      /*LowerCase=*/true);
  bytes.clear();

  SafetensorsFile file;
  try {
    file = load_file(path);
  } catch (const Error &e) {
    bad(e.what());
  }
  auto meta = [&](const std::string &key) -> const std::string & {
    auto it = file.metadata.find(key);
    if (it == file.metadata.end())
      bad("no '" + key + "' metadata");
    return it->second;
  };
  if (meta("ember.format") != "emberpkg")
    bad("ember.format is '" + meta("ember.format") + "', not 'emberpkg'");
  const std::string &version = meta("ember.format_version");
  EMBER_CHECK(version == std::to_string(kPackageFormatVersion), op, "'", path,
              "' has package format version '", version,
              "'; this ember reads version ", kPackageFormatVersion);
  p.format_version = kPackageFormatVersion;
  p.compiler_version = meta("ember.compiler_version");
  EMBER_CHECK(p.compiler_version == mlir::ember::compilerVersion(), op, "'",
              path, "' was written by compiler '", p.compiler_version,
              "', this is '", mlir::ember::compilerVersion(),
              "'; save the model again with this version");

  // Checksums: every tensor and the signature.
  auto sums = llvm::json::parse(meta("ember.checksums"));
  if (!sums) {
    std::string why = llvm::toString(sums.takeError());
    bad("ember.checksums is not JSON: " + why);
  }
  const llvm::json::Object *sumObject = sums->getAsObject();
  if (!sumObject)
    bad("ember.checksums is not a JSON object");
  auto expectSum = [&](const std::string &name, std::string_view data) {
    auto expected = sumObject->getString(name);
    if (!expected)
      bad("no checksum for '" + name + "'");
    if (*expected != checksum(data))
      bad("checksum mismatch for '" + name + "' (the file is corrupted)");
  };
  for (const auto &item : file.tensors)
    expectSum(item.key(), tensorBytes(item.value()));
  const std::string &signature = meta(kSignatureKey);
  expectSum(kSignatureKey, signature);

  auto sig = llvm::json::parse(signature);
  if (!sig) {
    std::string why = llvm::toString(sig.takeError());
    bad("the signature is not JSON: " + why);
  }
  const llvm::json::Object *root = sig->getAsObject();
  if (!root)
    bad("the signature is not a JSON object");
  auto function = root->getString("function");
  auto goldens = root->getInteger("goldens");
  if (!function || !goldens || *goldens < 0)
    bad("the signature lacks 'function' or 'goldens'");
  p.function = function->str();
  for (const char *key : {"inputs", "outputs", "weights"}) {
    auto &list = std::string(key) == "inputs"    ? p.inputs
                 : std::string(key) == "outputs" ? p.outputs
                                                 : p.weights;
    if (std::string why = fromJson(*root, key, list); !why.empty())
      bad("signature: " + why);
  }

  // Weights: present, with their signature's dtype and shape.
  std::set<std::string> expected{kModuleTensor};
  for (const TensorSignature &w : p.weights) {
    const Tensor *t = file.tensors.find(w.name);
    EMBER_CHECK(t, op, "'", path, "': weight '", w.name, "' (",
                describe(w.dtype, w.sizes), ") is missing");
    EMBER_CHECK(sameSpec(*t, w), op, "'", path, "': weight '", w.name, "' is ",
                describe(t->dtype(), t->sizes().vec()), ", the signature says ",
                describe(w.dtype, w.sizes));
    p.weight_values.push_back(*t);
    expected.insert(w.name);
  }
  for (int64_t k = 0; k < *goldens; ++k) {
    Golden g;
    for (bool input : {true, false}) {
      const auto &sigs = input ? p.inputs : p.outputs;
      for (size_t i = 0; i < sigs.size(); ++i) {
        std::string name = goldenName(static_cast<size_t>(k), input, i);
        const Tensor *t = file.tensors.find(name);
        if (!t || !sameSpec(*t, sigs[i]))
          bad("golden tensor '" + name + "' is missing or mismatches " +
              describe(sigs[i].dtype, sigs[i].sizes));
        (input ? g.inputs : g.outputs).push_back(*t);
        expected.insert(name);
      }
    }
    p.goldens.push_back(std::move(g));
  }
  for (const auto &item : file.tensors)
    if (!expected.count(item.key()))
      bad("unexpected tensor '" + item.key() + "'");

  // The module: parses, verifies, and its function has the signature.
  const Tensor *moduleTensor = file.tensors.find(kModuleTensor);
  if (!moduleTensor || moduleTensor->dtype() != kUInt8 ||
      moduleTensor->dim() != 1)
    bad(std::string("no '") + kModuleTensor + "' U8 tensor");
  p.module_bytecode = std::string(tensorBytes(*moduleTensor));
  auto context = makeContext();
  std::string why;
  auto module = parseModule(*context, p.module_bytecode, why);
  if (!module)
    bad(why);
  auto func = module->lookupSymbol<mlir::func::FuncOp>(p.function);
  if (!func)
    bad("the module has no function @" + p.function);
  mlir::FunctionType type = func.getFunctionType();
  if (type.getNumInputs() != p.inputs.size() + p.weights.size() ||
      type.getNumResults() != p.outputs.size())
    bad(ember::detail::str_cat("@", p.function, " takes ", type.getNumInputs(),
                               " arguments and returns ", type.getNumResults(),
                               "; the signature has ", p.inputs.size(),
                               " inputs + ", p.weights.size(), " weights and ",
                               p.outputs.size(), " outputs"));
  for (size_t i = 0; i < type.getNumInputs(); ++i) {
    const TensorSignature &s =
        i < p.inputs.size() ? p.inputs[i] : p.weights[i - p.inputs.size()];
    if (!matches(type.getInput(static_cast<unsigned>(i)), s))
      bad(ember::detail::str_cat(
          "@", p.function, " argument ", i, " is ",
          typeText(type.getInput(static_cast<unsigned>(i))),
          ", the signature says '", s.name, "' ", describe(s.dtype, s.sizes)));
  }
  for (size_t j = 0; j < p.outputs.size(); ++j)
    if (!matches(type.getResult(static_cast<unsigned>(j)), p.outputs[j]))
      bad(ember::detail::str_cat(
          "@", p.function, " result ", j, " is ",
          typeText(type.getResult(static_cast<unsigned>(j))),
          ", the signature says ",
          describe(p.outputs[j].dtype, p.outputs[j].sizes)));
  return p;
}

// --- run --------------------------------------------------------------------

TensorList Package::run(const TensorList &in) const {
  const char *op = "jit::Package::run";
  EMBER_CHECK(in.size() == inputs.size(), op, "'", path, "' takes ",
              inputs.size(), " inputs, got ", in.size());
  for (size_t i = 0; i < in.size(); ++i)
    EMBER_CHECK(sameSpec(in[i], inputs[i]), op, "'", path, "': input ", i,
                " ('", inputs[i].name, "') must be ",
                describe(inputs[i].dtype, inputs[i].sizes), ", got ",
                in[i].defined() ? describe(in[i].dtype(), in[i].sizes().vec())
                                : std::string("undefined"));
  EMBER_CHECK(compiled_, op, "'", path, "': the package was moved from");
  {
    std::lock_guard<std::mutex> lock(compiled_->mutex);
    if (!compiled_->fn) {
      auto context = makeContext();
      std::string why;
      auto module = parseModule(*context, module_bytecode, why);
      EMBER_CHECK(module, op, "'", path, "': ", why);
      mlir::ember::lowerModuleToLinalg(*module, function, op);
      compiled_->fn = mlir::ember::JitFunction::compile(*module, function);
    }
  }
  TensorList args = in;
  args.insert(args.end(), weight_values.begin(), weight_values.end());
  return (*compiled_->fn)(args);
}

} // namespace ember::jit

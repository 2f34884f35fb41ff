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
#include "ember/autograd/grad_mode.h"
#include "ember/factory.h"
#include "ember/nn/module.h"
#include "ember/optim/optimizer.h"
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

#include <algorithm>
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

// The ember dtype whose element type is `type`.
bool dtypeOf(mlir::Type type, DType &out) {
  for (int i = 0; i < kNumDTypes; ++i)
    if (mlir::ember::elementType(*type.getContext(), static_cast<DType>(i)) ==
        type) {
      out = static_cast<DType>(i);
      return true;
    }
  return false;
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

PackageOptions &PackageOptions::optimizer(const optim::Optimizer &opt,
                                          const nn::Module &m,
                                          const std::string &prefix) {
  OrderedDict<Tensor> params = m.named_parameters();
  std::vector<Tensor> all = opt.parameters();
  for (size_t i = 0; i < all.size(); ++i) {
    const optim::OptimizerParamState *state = opt.state(all[i]);
    if (!state)
      continue;
    std::string param = ember::detail::str_cat("param", i);
    for (const auto &item : params)
      if (item.value().is_same(all[i]))
        param = item.key();
    for (const auto &item : state->tensors())
      lifted_names.emplace_back(prefix + "." + param + "." + item.key(),
                                item.value());
  }
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
  const bool step = trace.backward.has_value();
  EMBER_CHECK(!step || options.goldens.empty(), op, "'", path,
              "': goldens of a training step are not supported (each run "
              "changes the state the next one starts from)");

  // Argument order: the traced inputs, then the host numbers (inputs the
  // caller gives on each run), then the weights.
  Trace ordered = trace;
  std::stable_partition(
      ordered.arguments.begin(), ordered.arguments.end(), [&](int64_t id) {
        return trace.values.at(static_cast<size_t>(id)).kind ==
               ValueKind::Input;
      });
  std::stable_partition(
      ordered.arguments.begin(), ordered.arguments.end(), [&](int64_t id) {
        ValueKind k = trace.values.at(static_cast<size_t>(id)).kind;
        return k == ValueKind::Input || k == ValueKind::HostScalar;
      });

  // The signature, in argument order: inputs, then weights.
  std::vector<TensorSignature> inputs, outputs, weights;
  std::vector<int64_t> weightOf(ordered.arguments.size(), -1);
  std::set<std::string> inputNames;
  OrderedDict<Tensor> tensors;
  size_t tracedInputs = 0;
  for (size_t a = 0; a < ordered.arguments.size(); ++a) {
    const TracedValue &v =
        ordered.values.at(static_cast<size_t>(ordered.arguments[a]));
    TensorSignature sig{v.name, v.dtype, v.sizes};
    if (v.kind == ValueKind::Input) {
      size_t i = tracedInputs++;
      sig.name = i < options.input_names.size()
                     ? options.input_names[i]
                     : ember::detail::str_cat("input", i);
      inputNames.insert(sig.name);
      inputs.push_back(std::move(sig));
      continue;
    }
    if (v.kind == ValueKind::HostScalar) {
      // Two optimizers may both read an "lr": keep the names apart.
      for (int k = 1; inputNames.count(sig.name); ++k)
        sig.name = ember::detail::str_cat(v.name, ".", k);
      inputNames.insert(sig.name);
      inputs.push_back(std::move(sig));
      continue;
    }
    Tensor value;
    if (v.kind == ValueKind::Lifted) {
      value = v.tensor;
      for (const auto &[name, t] : options.lifted_names)
        if (t.is_same(value))
          sig.name = name;
    } else if (v.kind == ValueKind::Grad) {
      // "<parameter>.grad": the parameter's .grad as it is now.
      std::string param = v.name.substr(0, v.name.size() - 5);
      const Tensor *given = options.weights.find(param);
      EMBER_CHECK(given, op, "'", path, "': no value for parameter '", param,
                  "' (whose .grad the step reads) in PackageOptions::weights");
      value = given->grad();
      EMBER_CHECK(value.defined(), op, "'", path, "': the step reads '", v.name,
                  "', which is undefined now");
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
    EMBER_CHECK(sig.name.rfind(kReservedPrefix, 0) != 0, op, "'", path,
                "': weight names may not start with '", kReservedPrefix, "' ('",
                sig.name, "')");
    EMBER_CHECK(!tensors.contains(sig.name), op, "'", path,
                "': two weights are named '", sig.name, "'");
    tensors.insert(sig.name, value.detach().cpu().contiguous());
    weightOf[a] = static_cast<int64_t>(weights.size());
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

  // The module: imported, functionalized and (for a training step)
  // differentiated as jit::compile does, then checked to lower (on a copy),
  // so that load and emberc compile what saves.
  auto context = makeContext();
  std::vector<mlir::ember::StepResult> results;
  std::string why;
  auto module = mlir::ember::importStep(*context, ordered, results, why, op);
  EMBER_CHECK(module, op, "'", path, "': ", trace.name, ": ", why);
  auto func = module->lookupSymbol<mlir::func::FuncOp>(trace.name);
  EMBER_CHECK(func, op, "'", path, "': no function @", trace.name,
              " after import");
  EMBER_CHECK(step || results.empty(), op, "'", path, "': the trace updates ",
              results.size(),
              " argument(s) in place (a module in training mode?); a package "
              "of a function without backward() is pure: trace the model in "
              "eval mode");
  // Where each result after the outputs goes: a weight's new value, or a
  // gradient for a parameter whose .grad the package keeps.
  llvm::json::Array updates;
  for (size_t r = 0; r < results.size(); ++r) {
    const mlir::ember::StepResult &res = results[r];
    if (res.kind == mlir::ember::StepResult::Drop)
      continue;
    int64_t weight = weightOf.at(static_cast<size_t>(res.argument));
    const TracedValue &target =
        ordered.values.at(static_cast<size_t>(ordered.arguments[res.argument]));
    if (res.kind == mlir::ember::StepResult::Update) {
      EMBER_CHECK(weight >= 0, op, "'", path, "': the step writes its ",
                  to_string(target.kind), " '", target.name,
                  "' in place; only weights (parameters, buffers, optimizer "
                  "state) are state of a package");
    } else {
      // A gradient: kept only where the package holds that .grad (the
      // step reads it); otherwise no later step depends on it.
      auto it = std::find_if(weights.begin(), weights.end(),
                             [&](const TensorSignature &w) {
                               return w.name == target.name + ".grad";
                             });
      if (it == weights.end())
        continue;
      weight = it - weights.begin();
    }
    updates.push_back(llvm::json::Object{
        {"result", static_cast<int64_t>(r)},
        {"weight", weights[static_cast<size_t>(weight)].name},
        {"mode", res.kind == mlir::ember::StepResult::Grad ? "add" : "copy"}});
  }
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

  llvm::json::Object sigObject{
      {"function", trace.name},
      {"inputs", toJson(inputs)},
      {"outputs", toJson(outputs)},
      {"weights", toJson(weights)},
      {"goldens", static_cast<int64_t>(options.goldens.size())}};
  if (!results.empty()) {
    sigObject["results"] = static_cast<int64_t>(results.size());
    sigObject["updates"] = std::move(updates);
  }
  std::string signature = jsonText(std::move(sigObject));
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

  // A training step: its extra results and the weights they update.
  if (auto results = root->getInteger("results")) {
    if (*results <= 0)
      bad("signature: 'results' must be positive");
    p.state_results = static_cast<size_t>(*results);
    const llvm::json::Array *updates = root->getArray("updates");
    if (!updates)
      bad("signature: 'results' without an 'updates' list");
    for (const llvm::json::Value &v : *updates) {
      const llvm::json::Object *o = v.getAsObject();
      auto result = o ? o->getInteger("result") : std::nullopt;
      auto weight = o ? o->getString("weight") : std::nullopt;
      auto mode = o ? o->getString("mode") : std::nullopt;
      if (!result || !weight || !mode || (*mode != "copy" && *mode != "add"))
        bad("signature: an update lacks 'result', 'weight' or a 'mode' of "
            "'copy' or 'add'");
      if (*result < 0 || *result >= *results)
        bad(ember::detail::str_cat("signature: update of result ", *result,
                                   ", the step has ", *results));
      auto it = std::find_if(
          p.weights.begin(), p.weights.end(),
          [&](const TensorSignature &w) { return w.name == weight->str(); });
      if (it == p.weights.end())
        bad("signature: an update names no weight '" + weight->str() + "'");
      p.updates.push_back({static_cast<size_t>(*result),
                           static_cast<size_t>(it - p.weights.begin()),
                           *mode == "add"});
    }
  } else if (root->get("updates")) {
    bad("signature: 'updates' without 'results'");
  }

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
      type.getNumResults() != p.outputs.size() + p.state_results)
    bad(ember::detail::str_cat(
        "@", p.function, " takes ", type.getNumInputs(),
        " arguments and returns ", type.getNumResults(), "; the signature has ",
        p.inputs.size(), " inputs + ", p.weights.size(), " weights and ",
        p.outputs.size(), " outputs + ", p.state_results, " step results"));
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
  for (size_t r = 0; r < p.state_results; ++r) {
    auto tensor = llvm::dyn_cast<mlir::RankedTensorType>(
        type.getResult(static_cast<unsigned>(p.outputs.size() + r)));
    TensorSignature sig;
    sig.name = ember::detail::str_cat("result", r);
    if (!tensor || !tensor.hasStaticShape() ||
        !dtypeOf(tensor.getElementType(), sig.dtype))
      bad(ember::detail::str_cat("@", p.function, " step result ", r,
                                 " is not a static tensor of an ember dtype"));
    sig.sizes.assign(tensor.getShape().begin(), tensor.getShape().end());
    p.state_result_types.push_back(std::move(sig));
  }
  for (const StateUpdate &u : p.updates) {
    auto index = static_cast<unsigned>(p.outputs.size() + u.result);
    if (!matches(type.getResult(index), p.weights[u.weight]))
      bad(ember::detail::str_cat(
          "@", p.function, " result ", index, " is ",
          typeText(type.getResult(index)), ", but it updates weight '",
          p.weights[u.weight].name, "' ",
          describe(p.weights[u.weight].dtype, p.weights[u.weight].sizes)));
  }
  return p;
}

// --- run --------------------------------------------------------------------

TensorList Package::run(const TensorList &in) const {
  EMBER_CHECK(!is_training_step(), "jit::Package::run", "'", path,
              "' is a training step, which updates its weights: run it on a "
              "non-const Package");
  return call(in, false);
}

TensorList Package::run(const TensorList &in) { return call(in, true); }

OrderedDict<Tensor> Package::state_dict() const {
  OrderedDict<Tensor> out;
  for (size_t i = 0; i < weights.size() && i < weight_values.size(); ++i)
    out.insert(weights[i].name, weight_values[i]);
  return out;
}

TensorList Package::call(const TensorList &in, bool step) const {
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
  TensorList out = (*compiled_->fn)(args);
  if (step) {
    // The step's new state goes back into the weights, as the eager step
    // writes into the model and the optimizer.
    NoGradGuard noGrad;
    for (const StateUpdate &u : updates) {
      Tensor target = weight_values.at(u.weight);
      const Tensor &value = out.at(outputs.size() + u.result);
      if (u.add)
        target.add_(value);
      else
        target.copy_(value);
    }
  }
  out.resize(outputs.size());
  return out;
}

} // namespace ember::jit

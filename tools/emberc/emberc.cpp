//===- emberc.cpp - ember's ahead-of-time compiler driver -----------------===//
//
//   emberc model.emberpkg --target=cpu --emit=<stage> [-o out] [--cpu=...]
//   emberc model.emberpkg --describe
//
// Reads a model package (jit::load: every check applies) and writes one
// stage of its compilation, Toy-style, so each intermediate form can be
// looked at:
//   mlir         the ember-dialect module stored in the package
//   mlir-linalg  after convert-ember-to-linalg (upstream dialects on tensors)
//   mlir-llvm    after the CPU pipeline (the LLVM dialect, as the JIT sees it)
//   llvm         optimized LLVM IR for the target CPU, with the packed entry
//                point _ember_packed__ember_fn_<function>(void **)
//   asm, obj     host assembly / a PIC ELF object from that IR
//   exe          a standalone executable: the object, a generated C++ file
//                describing the model (signature, weights and goldens as
//                bytes; aot/aot_model.h) and aot/aot_main.cpp (.npy in and
//                out, --describe, --self-test, --bench N), linked by the
//                system C++ compiler against the runtime's C ABI and
//                OpenBLAS: no MLIR, LLVM or ember frontend at run time
// Every stage is produced by the functions the JIT itself runs
// (ember/Codegen/Stages.h, Native.h). The object calls the runtime's C ABI
// (ember/runtime/compiled_abi.h) and memrefCopy.
//
// Text goes to -o (default: stdout); an object or executable needs -o. Files
// are written atomically. Errors print "emberc: error: ..." and exit 1.
//
//===----------------------------------------------------------------------===//

#include "ember/Codegen/JIT.h"
#include "ember/Codegen/Native.h"
#include "ember/Codegen/Stages.h"
#include "ember/Import/TraceImporter.h"
#include "ember/jit/package.h"
#include "ember/runtime/error.h"
#include "ember/runtime/file_io.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <sstream>

namespace cl = llvm::cl;

namespace {

enum class Emit { None, Mlir, MlirLinalg, MlirLlvm, Llvm, Asm, Obj, Exe };

cl::OptionCategory category("emberc options");
cl::opt<std::string> input(cl::Positional, cl::desc("<model.emberpkg>"),
                           cl::Required, cl::cat(category));
cl::opt<std::string> output("o", cl::desc("Output file ('-': stdout)"),
                            cl::value_desc("path"), cl::init("-"),
                            cl::cat(category));
cl::opt<std::string> target("target", cl::desc("Target: cpu"), cl::init("cpu"),
                            cl::cat(category));
cl::opt<std::string>
    cpu("cpu",
        cl::desc("CPU to compile for: 'native' (this host) or an LLVM CPU "
                 "name (default: a portable x86-64-v3 on x86-64)"),
        cl::init(""), cl::cat(category));
cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level (0-3)"),
                           cl::init(3), cl::Prefix, cl::cat(category));
cl::opt<bool> describeFlag("describe",
                           cl::desc("Print the signature, compiler version, "
                                    "package hash and target"),
                           cl::cat(category));
cl::opt<Emit>
    emit("emit", cl::desc("The stage to write"), cl::init(Emit::None),
         cl::values(clEnumValN(Emit::Mlir, "mlir", "the ember-dialect module"),
                    clEnumValN(Emit::MlirLinalg, "mlir-linalg",
                               "after convert-ember-to-linalg"),
                    clEnumValN(Emit::MlirLlvm, "mlir-llvm",
                               "after the CPU pipeline (LLVM dialect)"),
                    clEnumValN(Emit::Llvm, "llvm", "optimized LLVM IR"),
                    clEnumValN(Emit::Asm, "asm", "assembly for the target CPU"),
                    clEnumValN(Emit::Obj, "obj", "a PIC object file"),
                    clEnumValN(Emit::Exe, "exe",
                               "a standalone executable (.npy in, .npy out)")),
         cl::cat(category));

std::string describeTensor(const ember::jit::TensorSignature &s) {
  std::ostringstream os;
  os << s.name << ": " << ember::dtype_name(s.dtype) << " [";
  for (size_t i = 0; i < s.sizes.size(); ++i)
    os << (i ? ", " : "") << s.sizes[i];
  os << "]";
  return os.str();
}

std::string targetCpu() {
  if (cpu == "native")
    return llvm::sys::getHostCPUName().str();
  return cpu.empty() ? mlir::ember::defaultPortableCpu() : cpu.getValue();
}

std::string describe(const ember::jit::Package &p) {
  std::ostringstream os;
  os << "package: " << p.path << "\n"
     << "function: " << p.function << "\n"
     << "format: emberpkg " << p.format_version << "\n"
     << "compiler: " << p.compiler_version << "\n"
     << "hash: sha256:" << p.hash << "\n"
     << "target: " << target << " " << llvm::sys::getProcessTriple()
     << " cpu=" << targetCpu() << "\n"
     << "inputs: " << p.inputs.size() << "\n";
  for (const auto &s : p.inputs)
    os << "  " << describeTensor(s) << "\n";
  os << "outputs: " << p.outputs.size() << "\n";
  for (const auto &s : p.outputs)
    os << "  " << describeTensor(s) << "\n";
  int64_t bytes = 0;
  for (const auto &w : p.weight_values)
    bytes += w.nbytes();
  os << "weights: " << p.weights.size() << " (" << bytes << " bytes)\n";
  for (const auto &s : p.weights)
    os << "  " << describeTensor(s) << "\n";
  os << "goldens: " << p.goldens.size() << "\n";
  return os.str();
}

template <typename T> std::string print(const T &value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << value;
  return text;
}

// The requested stage of `p`, as bytes to write.
std::string compileStage(const ember::jit::Package &p) {
  mlir::DialectRegistry registry;
  mlir::ember::registerJitDialects(registry);
  mlir::MLIRContext context(registry);
  mlir::ember::loadImportDialects(context);
  // jit::load verified that the bytecode parses.
  auto module = mlir::parseSourceString<mlir::ModuleOp>(
      p.module_bytecode, mlir::ParserConfig(&context));
  EMBER_CHECK(module, "emberc", "'", p.path, "': the module does not parse");
  if (emit == Emit::Mlir)
    return mlir::ember::printModule(*module, /*debugInfo=*/false);
  mlir::ember::lowerModuleToLinalg(*module, p.function, "emberc");
  if (emit == Emit::MlirLinalg)
    return mlir::ember::printModule(*module, /*debugInfo=*/false);
  auto lowered = mlir::ember::lowerForNative(*module, p.function);
  if (emit == Emit::MlirLlvm)
    return mlir::ember::printModule(*lowered, /*debugInfo=*/false);
  auto tm = mlir::ember::createNativeMachine({targetCpu(), optLevel});
  llvm::LLVMContext llvmContext;
  auto llvmModule = mlir::ember::translateForNative(*lowered, p.function,
                                                    llvmContext, *tm, optLevel);
  if (emit == Emit::Llvm)
    return print(*llvmModule);
  return mlir::ember::emitNativeCode(*llvmModule, *tm, emit == Emit::Asm);
}

void write(const std::string &bytes) {
  if (output == "-") {
    std::cout << bytes;
    std::cout.flush();
  } else {
    ember::atomic_write_file("emberc", output, bytes);
  }
}

// --- --emit=exe ---------------------------------------------------------

// `bytes` as a C array initializer, 16 bytes a line.
std::string cBytes(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 5 + bytes.size() / 16 + 8);
  char buf[8];
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%u,",
                  static_cast<unsigned>(static_cast<unsigned char>(bytes[i])));
    out += buf;
    if (i % 16 == 15)
      out += '\n';
  }
  return bytes.empty() ? "0" : out;
}

std::string cString(const std::string &s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\', out += c;
    else if (c == '\n')
      out += "\\n\"\n\"";
    else
      out += c;
  }
  return out + "\"";
}

// The C++ file that describes the model to aot_main.cpp (aot_model.h).
std::string modelSource(const ember::jit::Package &p) {
  std::ostringstream os;
  os << "// Generated by emberc --emit=exe from " << p.path
     << " (sha256:" << p.hash << "); see tools/emberc/aot/aot_model.h.\n"
     << "#include \"aot_model.h\"\n\n";
  int counter = 0;
  // One tensor: its sizes (and data) as arrays, then the initializer.
  auto tensor = [&](const ember::jit::TensorSignature &sig,
                    const ember::Tensor *value) {
    int id = counter++;
    os << "static const int64_t sizes" << id << "[] = {";
    for (int64_t d : sig.sizes)
      os << d << ",";
    os << "0};\n";
    int64_t numel = 1;
    for (int64_t d : sig.sizes)
      numel *= d;
    int64_t nbytes =
        numel * static_cast<int64_t>(ember::element_size(sig.dtype));
    if (value) {
      ember::Tensor t = value->contiguous();
      os << "alignas(64) static const unsigned char data" << id << "[] = {\n"
         << cBytes({static_cast<const char *>(t.raw_data_ptr()),
                    static_cast<size_t>(t.nbytes())})
         << "};\n";
    }
    std::ostringstream init;
    init << "{" << cString(sig.name) << ", " << static_cast<int>(sig.dtype)
         << ", " << sig.sizes.size() << ", sizes" << id << ", "
         << (value ? "data" + std::to_string(id) : std::string("nullptr"))
         << ", " << nbytes << "}";
    return init.str();
  };
  auto table = [&](const char *name, const std::vector<std::string> &items) {
    os << "extern \"C\" const ember_aot_tensor " << name << "[] = {\n";
    for (const std::string &item : items)
      os << "  " << item << ",\n";
    if (items.empty())
      os << "  {nullptr, 0, 0, nullptr, nullptr, 0},\n";
    os << "};\n";
  };
  std::vector<std::string> inputs, outputs, weights, goldenIn, goldenOut;
  for (const auto &s : p.inputs)
    inputs.push_back(tensor(s, nullptr));
  for (const auto &s : p.outputs)
    outputs.push_back(tensor(s, nullptr));
  for (size_t i = 0; i < p.weights.size(); ++i)
    weights.push_back(tensor(p.weights[i], &p.weight_values[i]));
  for (const auto &g : p.goldens) {
    for (size_t i = 0; i < p.inputs.size(); ++i)
      goldenIn.push_back(tensor(p.inputs[i], &g.inputs[i]));
    for (size_t j = 0; j < p.outputs.size(); ++j)
      goldenOut.push_back(tensor(p.outputs[j], &g.outputs[j]));
  }
  table("ember_aot_inputs", inputs);
  table("ember_aot_outputs", outputs);
  table("ember_aot_weights", weights);
  table("ember_aot_golden_inputs", goldenIn);
  table("ember_aot_golden_outputs", goldenOut);
  os << "extern \"C\" const int ember_aot_num_inputs = " << p.inputs.size()
     << ", ember_aot_num_outputs = " << p.outputs.size()
     << ", ember_aot_num_weights = " << p.weights.size()
     << ", ember_aot_num_goldens = " << p.goldens.size() << ";\n"
     << "extern \"C\" const char ember_aot_description[] = "
     << cString(describe(p)) << ";\n"
     << "extern \"C\" void " << mlir::ember::packedEntrySymbol(p.function)
     << "(void **);\n"
     << "extern \"C\" void ember_aot_entry(void **args) { "
     << mlir::ember::packedEntrySymbol(p.function) << "(args); }\n";
  return os.str();
}

// Runs `argv`; throws with its output when it fails.
void runTool(const std::vector<std::string> &argv, const std::string &dir) {
  std::string log = dir + "/tool.log";
  std::vector<llvm::StringRef> args(argv.begin(), argv.end());
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, log, log};
  std::string error;
  int rc = llvm::sys::ExecuteAndWait(argv[0], args, std::nullopt, redirects, 0,
                                     0, &error);
  if (rc != 0) {
    std::string command;
    for (const std::string &a : argv)
      command += (command.empty() ? "" : " ") + a;
    std::string text;
    try {
      text = ember::read_file("emberc", log);
    } catch (const ember::Error &) {
    }
    EMBER_FAIL("emberc", "'", command, "' failed (", rc, ") ", error, "\n",
               text);
  }
}

// What an executable links besides its object: the build tree's files
// when they exist, else those installed beside emberc
// (<prefix>/bin/emberc -> <prefix>/lib, <prefix>/include/ember/aot).
struct AotFiles {
  std::string includeDir, mainLib, runtimeLib;
};
AotFiles aotFiles() {
  AotFiles build{EMBER_AOT_INCLUDE_DIR, EMBER_AOT_MAIN_LIB,
                 EMBER_AOT_RUNTIME_LIB};
  if (llvm::sys::fs::exists(build.mainLib) &&
      llvm::sys::fs::exists(build.runtimeLib))
    return build;
  static int anchor;
  llvm::SmallString<256> prefix(
      llvm::sys::fs::getMainExecutable("emberc", &anchor));
  llvm::sys::path::remove_filename(prefix); // bin/
  llvm::sys::path::remove_filename(prefix); // <prefix>
  std::string p(prefix.str());
  AotFiles installed{p + "/" EMBER_INSTALL_INCLUDEDIR "/ember/aot",
                     p + "/" EMBER_INSTALL_LIBDIR "/libember_aot_main.a",
                     p + "/" EMBER_INSTALL_LIBDIR "/libember_runtime.a"};
  for (const std::string &f : {installed.includeDir + "/aot_model.h",
                               installed.mainLib, installed.runtimeLib})
    EMBER_CHECK(llvm::sys::fs::exists(f), "emberc", "cannot find '", f,
                "' (nor the build tree's ", build.mainLib,
                "), which --emit=exe links");
  return installed;
}

// The object, a generated model description and aot_main.cpp's library
// linked by the system C++ compiler ($CXX, else c++) into -o.
void linkExecutable(const ember::jit::Package &p) {
  emit = Emit::Obj;
  std::string object = compileStage(p);
  llvm::SmallString<128> dir;
  EMBER_CHECK(!llvm::sys::fs::createUniqueDirectory("emberc", dir), "emberc",
              "cannot create a temporary folder");
  std::string d(dir.str());
  struct Cleanup {
    std::string dir;
    ~Cleanup() { llvm::sys::fs::remove_directories(dir); }
  } cleanup{d};
  ember::atomic_write_file("emberc", d + "/model.o", object);
  ember::atomic_write_file("emberc", d + "/model.cpp", modelSource(p));
  const char *cxxEnv = std::getenv("CXX");
  std::string cxxName = cxxEnv && *cxxEnv ? cxxEnv : "c++";
  auto cxx = llvm::sys::findProgramByName(cxxName);
  EMBER_CHECK(cxx, "emberc", "no C++ compiler '", cxxName,
              "' on PATH (set CXX) to link the executable");
  AotFiles files = aotFiles();
  std::string tmp = d + "/model.exe";
  runTool({*cxx, "-O2", "-std=c++17", "-I" + files.includeDir, "-o", tmp,
           d + "/model.o", d + "/model.cpp", files.mainLib, files.runtimeLib,
           EMBER_AOT_BLAS_LIB, "-lpthread", "-lm"},
          d);
  std::string exe = ember::read_file("emberc", tmp);
  ember::atomic_write_file("emberc", output, exe);
  llvm::sys::fs::setPermissions(output, llvm::sys::fs::all_read |
                                            llvm::sys::fs::all_exe |
                                            llvm::sys::fs::owner_write);
}

} // namespace

int main(int argc, char **argv) {
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "emberc: compiles an ember model package ahead of time\n\n"
      "  emberc model.emberpkg --emit=mlir|mlir-linalg|mlir-llvm|llvm|asm|obj"
      " [-o out]\n  emberc model.emberpkg --describe\n");
  try {
    EMBER_CHECK(target == "cpu", "emberc", "unknown --target '",
                target.getValue(), "' (supported: cpu)");
    EMBER_CHECK(describeFlag || emit != Emit::None, "emberc",
                "nothing to do: give --emit=<stage> or --describe");
    EMBER_CHECK(!(describeFlag && emit != Emit::None), "emberc",
                "--describe and --emit are exclusive");
    EMBER_CHECK((emit != Emit::Obj && emit != Emit::Exe) || output != "-",
                "emberc", "--emit=obj and --emit=exe need an output file (-o)");
    EMBER_CHECK(optLevel <= 3, "emberc", "-O must be 0 to 3, got ",
                optLevel.getValue());
    ember::jit::Package p = ember::jit::load(input);
    if (emit == Emit::Exe)
      linkExecutable(p);
    else
      write(describeFlag ? describe(p) : compileStage(p));
  } catch (const ember::Error &e) {
    std::cerr << "emberc: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

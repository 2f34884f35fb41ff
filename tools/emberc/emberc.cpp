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
//                bytes; aot/aot_model.h), aot/aot_runtime.cpp and
//                aot/aot_main.cpp (.npy or --raw in, .npy out, --describe,
//                --self-test, --bench N), linked by the system C++
//                compiler against the runtime's C ABI and OpenBLAS: no
//                MLIR, LLVM or ember frontend at run time
//   lib          a static library (-o libNAME.a: the same object and model
//                file, the C API, aot_runtime and the runtime's C ABI) and
//                a C header NAME.h beside it; NAME is --name, by default
//                the package's function name made a C identifier
// --target=cuda compiles the function as jit::compile does for CUDA
// tensors, into a device program (ember/runtime/program.h): --emit=cuda
// (its kernels' CUDA C), program (its steps), ptx (NVRTC's PTX for
// --cuda-arch), and exe: the same executable as above, with the program,
// a cubin for --cuda-arch and PTX in place of the object
// (aot/aot_cuda.cpp runs it; it links the runtime and cudart).
// --weights=external (exe, lib) writes the weights to NAME.safetensors
// beside -o instead of embedding them; the executable loads it from
// beside itself (or --weights FILE), a library with NAME_load_weights.
// link.cpp and model_source.cpp build exe and lib.
// Every stage is produced by the functions the JIT itself runs
// (ember/Codegen/Stages.h, Native.h). The object calls the runtime's C ABI
// (ember/runtime/compiled_abi.h) and memrefCopy.
//
// Text goes to -o (default: stdout); an object or executable needs -o. Files
// are written atomically. Errors print "emberc: error: ..." and exit 1.
//
//===----------------------------------------------------------------------===//

#include "emberc.h"

#include "ember/Codegen/CUDA.h"
#include "ember/Codegen/JIT.h"
#include "ember/Codegen/Native.h"
#include "ember/Codegen/Stages.h"
#include "ember/Import/TraceImporter.h"
#include "ember/jit/package.h"
#include "ember/runtime/error.h"
#include "ember/runtime/file_io.h"
#include "ember/runtime/program.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

#include <iostream>
#include <sstream>

namespace cl = llvm::cl;

namespace {

enum class Emit {
  None,
  Mlir,
  MlirLinalg,
  MlirLlvm,
  Llvm,
  Asm,
  Obj,
  Exe,
  Lib,
  Cuda,
  Program,
  Ptx
};
enum class Weights { Embedded, External };

cl::OptionCategory category("emberc options");
cl::opt<std::string> input(cl::Positional, cl::desc("<model.emberpkg>"),
                           cl::Required, cl::cat(category));
cl::opt<std::string> output("o", cl::desc("Output file ('-': stdout)"),
                            cl::value_desc("path"), cl::init("-"),
                            cl::cat(category));
cl::opt<std::string> target("target", cl::desc("Target: cpu or cuda"),
                            cl::init("cpu"), cl::cat(category));
cl::opt<unsigned>
    cudaArch("cuda-arch",
             cl::desc("--target=cuda: the GPU architecture, as its compute "
                      "capability times ten (default 90: H100); the executable "
                      "embeds a cubin for it and PTX that newer GPUs compile"),
             cl::init(90), cl::cat(category));
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
                               "a standalone executable (.npy in, .npy out)"),
                    clEnumValN(Emit::Lib, "lib",
                               "a static library and its C header"),
                    clEnumValN(Emit::Cuda, "cuda",
                               "--target=cuda: the kernels' CUDA C"),
                    clEnumValN(Emit::Program, "program",
                               "--target=cuda: the device program's steps"),
                    clEnumValN(Emit::Ptx, "ptx",
                               "--target=cuda: the kernels' PTX (NVRTC)")),
         cl::cat(category));
cl::opt<std::string>
    name("name",
         cl::desc("The C name of a library's API and of the weights file "
                  "(default: the package's function name)"),
         cl::value_desc("id"), cl::init(""), cl::cat(category));
cl::opt<Weights> weights(
    "weights", cl::desc("Where exe and lib outputs keep the weights"),
    cl::init(Weights::Embedded),
    cl::values(clEnumValN(Weights::Embedded, "embedded",
                          "in the executable or library (default)"),
               clEnumValN(Weights::External, "external",
                          "in NAME.safetensors beside -o, loaded at run "
                          "time")),
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
     << "target: " << target << " " << llvm::sys::getProcessTriple();
  if (target == "cuda")
    os << " sm_" << cudaArch << " (cubin) + compute_" << cudaArch << " (PTX)\n";
  else
    os << " cpu=" << targetCpu() << "\n";
  os << "inputs: " << p.inputs.size() << "\n";
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
  if (p.is_training_step()) {
    os << "training step: " << p.updates.size() << " weight update(s)\n";
    for (const auto &u : p.updates)
      os << "  " << p.weights[u.weight].name << (u.add ? " += " : " = ")
         << "result " << p.outputs.size() + u.result << "\n";
  }
  return os.str();
}

template <typename T> std::string print(const T &value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << value;
  return text;
}

// What the pipelines need registered in the context that parses a package.
mlir::DialectRegistry jitRegistry() {
  mlir::DialectRegistry registry;
  mlir::ember::registerJitDialects(registry);
  return registry;
}

// The package's module in `context` (jit::load verified that it parses).
mlir::OwningOpRef<mlir::ModuleOp> parseModule(const ember::jit::Package &p,
                                              mlir::MLIRContext &context) {
  mlir::ember::loadImportDialects(context);
  auto module = mlir::parseSourceString<mlir::ModuleOp>(
      p.module_bytecode, mlir::ParserConfig(&context));
  EMBER_CHECK(module, "emberc", "'", p.path, "': the module does not parse");
  return module;
}

// The device program of the package's function (--target=cuda): the
// stages jit::compile runs for CUDA tensors.
ember::program::Program cudaProgram(mlir::ModuleOp module,
                                    const std::string &function) {
  mlir::ember::fuseForCuda(module);
  auto func = module.lookupSymbol<mlir::func::FuncOp>(function);
  ember::program::Program program;
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(
      module.getContext(), [&](mlir::Diagnostic &d) {
        llvm::raw_string_ostream os(diagnostics);
        os << "\n  " << mlir::ember::locationText(d.getLocation()) << ": " << d;
        return mlir::success();
      });
  EMBER_CHECK(func &&
                  mlir::succeeded(mlir::ember::buildCudaProgram(func, program)),
              "emberc", "'", function, "' has no CUDA form:", diagnostics);
  program.verify();
  return program;
}

// The requested stage of `p`, as bytes to write.
std::string compileStage(const ember::jit::Package &p) {
  mlir::MLIRContext context(jitRegistry());
  auto module = parseModule(p, context);
  if (emit == Emit::Mlir)
    return mlir::ember::printModule(*module, /*debugInfo=*/false);
  mlir::ember::lowerModuleToLinalg(*module, p.function, "emberc");
  if (emit == Emit::MlirLinalg)
    return mlir::ember::printModule(*module, /*debugInfo=*/false);
  if (target == "cuda") {
    ember::program::Program program = cudaProgram(*module, p.function);
    if (emit == Emit::Cuda)
      return program.source;
    if (emit == Emit::Program)
      return program.describe();
    return ember::program::nvrtc_compile(program.source, p.function,
                                         static_cast<int>(cudaArch),
                                         /*ptx=*/true);
  }
  auto lowered = mlir::ember::lowerForNative(*module, p.function);
  if (emit == Emit::MlirLlvm)
    return mlir::ember::printModule(*lowered, /*debugInfo=*/false);
  auto tm = mlir::ember::createNativeMachine({targetCpu(), optLevel});
  // exe and lib link the object.
  Emit stage = emit == Emit::Exe || emit == Emit::Lib ? Emit::Obj : emit;
  llvm::LLVMContext llvmContext;
  auto llvmModule = mlir::ember::translateForNative(*lowered, p.function,
                                                    llvmContext, *tm, optLevel);
  if (stage == Emit::Llvm)
    return print(*llvmModule);
  return mlir::ember::emitNativeCode(*llvmModule, *tm, stage == Emit::Asm);
}

// --target=cuda --emit=exe: the serialized program, and its kernels as a
// cubin for --cuda-arch and PTX for it (newer GPUs compile the PTX).
void cudaImages(const ember::jit::Package &p, emberc::AotOptions &o) {
  mlir::MLIRContext context(jitRegistry());
  auto module = parseModule(p, context);
  mlir::ember::lowerModuleToLinalg(*module, p.function, "emberc");
  ember::program::Program program = cudaProgram(*module, p.function);
  o.cuda = true;
  o.cudaArch = static_cast<int>(cudaArch);
  o.cudaProgram = program.serialize();
  o.cudaCubin = ember::program::nvrtc_compile(program.source, p.function,
                                              o.cudaArch, /*ptx=*/false);
  o.cudaPtx = ember::program::nvrtc_compile(program.source, p.function,
                                            o.cudaArch, /*ptx=*/true);
}

void write(const std::string &bytes) {
  if (output == "-") {
    std::cout << bytes;
    std::cout.flush();
  } else {
    ember::atomic_write_file("emberc", output, bytes);
  }
}

} // namespace

int main(int argc, char **argv) {
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "emberc: compiles an ember model package ahead of time\n\n"
      "  emberc model.emberpkg --emit=mlir|mlir-linalg|mlir-llvm|llvm|asm|obj"
      " [-o out]\n  emberc model.emberpkg --emit=exe|lib -o out "
      "[--weights=external] [--name=id]\n"
      "  emberc model.emberpkg --target=cuda --emit=cuda|program|ptx|exe "
      "[--cuda-arch=90] [-o out]\n"
      "  emberc model.emberpkg --describe\n");
  try {
    EMBER_CHECK(target == "cpu" || target == "cuda", "emberc",
                "unknown --target '", target.getValue(),
                "' (supported: cpu, cuda)");
    bool cudaEmit =
        emit == Emit::Cuda || emit == Emit::Program || emit == Emit::Ptx;
    EMBER_CHECK(!cudaEmit || target == "cuda", "emberc",
                "--emit=cuda, program and ptx need --target=cuda");
    EMBER_CHECK(target == "cpu" || cudaEmit || emit == Emit::None ||
                    emit == Emit::Mlir || emit == Emit::MlirLinalg ||
                    emit == Emit::Exe,
                "emberc",
                "--target=cuda writes mlir, mlir-linalg, cuda, program, ptx "
                "or exe (not LLVM stages, objects or libraries)");
    EMBER_CHECK(cudaArch >= 50 && cudaArch <= 120, "emberc",
                "--cuda-arch must be a compute capability times ten (50 to "
                "120), got ",
                cudaArch.getValue());
    EMBER_CHECK(describeFlag || emit != Emit::None, "emberc",
                "nothing to do: give --emit=<stage> or --describe");
    EMBER_CHECK(!(describeFlag && emit != Emit::None), "emberc",
                "--describe and --emit are exclusive");
    bool linked = emit == Emit::Exe || emit == Emit::Lib;
    EMBER_CHECK((emit != Emit::Obj && !linked) || output != "-", "emberc",
                "--emit=obj, exe and lib need an output file (-o)");
    EMBER_CHECK(linked || weights == Weights::Embedded, "emberc",
                "--weights=external applies to --emit=exe and --emit=lib only");
    EMBER_CHECK(name.empty() || name == emberc::cIdentifier(name), "emberc",
                "--name '", name.getValue(),
                "' is not a C identifier (letters, digits, '_')");
    EMBER_CHECK(optLevel <= 3, "emberc", "-O must be 0 to 3, got ",
                optLevel.getValue());
    ember::jit::Package p = ember::jit::load(input);
    if (linked) {
      emberc::AotOptions o;
      o.output = output;
      o.name = name.empty() ? emberc::cIdentifier(p.function) : name.getValue();
      o.externalWeights = weights == Weights::External;
      o.object = target == "cuda" ? std::string() : compileStage(p);
      o.description = describe(p);
      if (target == "cuda")
        cudaImages(p, o);
      if (emit == Emit::Exe)
        emberc::writeExecutable(p, o);
      else
        emberc::writeLibrary(p, o);
    } else {
      write(describeFlag ? describe(p) : compileStage(p));
    }
  } catch (const ember::Error &e) {
    std::cerr << "emberc: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

//===- CompileTrace.cpp - jit::compile's backend
//---------------------------===//
//
// trace -> ember (importTrace) -> ember-functionalize, canonicalize, cse
// -> convert-ember-to-linalg -> the CPU pipeline and ORC JIT (JitFunction).
// Ops that do not lower (no pattern, or not for these types/attributes)
// and item() reads split the trace (ember/jit/split.h): each run of
// lowerable ops compiles on its own, the others replay eagerly. Errors
// inside the compiler throw ember::Error, which jit::compile turns into a
// warning and an eager run.
//
//===----------------------------------------------------------------------===//

#include "ember/Codegen/CUDA.h"
#include "ember/Codegen/JIT.h"
#include "ember/Codegen/Lowering.h"
#include "ember/Codegen/Passes.h"
#include "ember/Codegen/Stages.h"
#include "ember/IR/EmberDialect.h"
#include "ember/IR/EmberOps.h"
#include "ember/Import/TraceImporter.h"
#include "ember/Passes/Passes.h"
#include "ember/autograd/grad_mode.h"
#include "ember/jit/compile.h"
#include "ember/jit/split.h"
#include "ember/runtime/cuda.h"
#include "ember/runtime/file_io.h"
#include "ember/serialize.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <string>

namespace {

using ::ember::Tensor;
using ::ember::TensorList;

// Runs a compiled trace: the function's outputs first, then its extra
// results, each with what to do with it: an argument the trace updated in
// place (ember.updates) is written back into that argument, a gradient
// (ember.grad_of) is accumulated into that argument's .grad, or becomes it
// where the traced backward() found no .grad (Assign), as the eager run's
// backward() would have; the loss a backward() started from (when the
// function does not return it) is dropped, and so are gradients whose
// accumulation the trace itself records (it wrote them back as updates).
class JitExecutable : public ::ember::jit::detail::Executable {
public:
  using Extra = mlir::ember::StepResult;
  using Function = std::function<std::vector<Tensor>(const TensorList &)>;
  JitExecutable(Function fn, size_t numOutputs, std::vector<Extra> extras,
                bool gradientsOut = false)
      : fn_(std::move(fn)), numOutputs_(numOutputs), extras_(std::move(extras)),
        gradientsOut_(gradientsOut) {}

  TensorList run(const TensorList &arguments) override {
    std::vector<Tensor> out = fn_(arguments);
    if (gradientsOut_)
      return gradients(arguments, std::move(out));
    ::ember::NoGradGuard noGrad;
    for (size_t k = 0; k < extras_.size(); ++k) {
      const Extra &e = extras_[k];
      if (e.kind == Extra::Drop)
        continue;
      Tensor target = arguments.at(static_cast<size_t>(e.argument));
      Tensor &value = out.at(numOutputs_ + k);
      if (e.kind == Extra::Update) {
        // (Written in place by the compiled code when it could.)
        if (!value.is_same(target))
          target.copy_(value);
        continue;
      }
      Tensor &grad = target.mutable_grad();
      if (e.kind == Extra::Assign)
        grad = value;
      else if (grad.defined())
        grad.add_(value);
      else
        grad = value;
    }
    out.resize(numOutputs_);
    return out;
  }

private:
  // A backward split's VJP: the outputs, then one gradient per argument
  // (undefined where none); nothing is written back.
  TensorList gradients(const TensorList &arguments, std::vector<Tensor> out) {
    TensorList result(out.begin(),
                      out.begin() + static_cast<std::ptrdiff_t>(numOutputs_));
    result.resize(numOutputs_ + arguments.size());
    for (size_t k = 0; k < extras_.size(); ++k)
      if (extras_[k].kind == Extra::Grad || extras_[k].kind == Extra::Assign)
        result.at(numOutputs_ + static_cast<size_t>(extras_[k].argument)) =
            std::move(out.at(numOutputs_ + k));
    return result;
  }

  Function fn_;
  size_t numOutputs_;
  std::vector<Extra> extras_;
  bool gradientsOut_;
};

// A device program and its kernels' launcher, called like a JitFunction:
// arguments on another device than the program's (a host scalar such as
// the learning rate, on the CPU) are copied to it first.
// With EMBER_SAVE_PROGRAMS=<dir>, its first call also writes the program
// (<dir>/<name>.program, Program::serialize) and its arguments
// (<dir>/<name>.args.safetensors, "0", "1", ...): a replay that needs no
// compiler (bench/cuda_train_bench times it on a GPU machine without LLVM).
struct ProgramFunction {
  std::shared_ptr<const ember::program::Program> program;
  std::shared_ptr<ember::program::KernelLauncher> launcher;
  ember::Device device;
  std::shared_ptr<bool> saved = std::make_shared<bool>(false);

  void save(const TensorList &arguments) const {
    const char *dir = std::getenv("EMBER_SAVE_PROGRAMS");
    if (!dir || !*dir || *saved)
      return;
    *saved = true;
    std::string base = std::string(dir) + "/" + program->name;
    ember::atomic_write_file("EMBER_SAVE_PROGRAMS", base + ".program",
                             program->serialize());
    ember::OrderedDict<Tensor> args;
    for (size_t i = 0; i < arguments.size(); ++i)
      args.insert(std::to_string(i), arguments[i].detach().cpu());
    ember::save(args, base + ".args.safetensors");
  }

  std::vector<Tensor> operator()(const TensorList &arguments) const {
    save(arguments);
    std::vector<std::shared_ptr<ember::TensorImpl>> in;
    in.reserve(arguments.size());
    for (const Tensor &t : arguments) {
      Tensor a = t.device() == device ? t : t.to(device);
      in.push_back(a.impl_ptr());
    }
    std::vector<Tensor> out;
    for (auto &impl : ember::program::run(*program, in, *launcher))
      out.emplace_back(std::move(impl));
    return out;
  }
};

// With EMBER_DUMP_IR, the program's steps and its CUDA C beside the MLIR
// stages (<name>.<n>.cuda-program.txt, .cuda-kernels.cu).
void dumpProgram(mlir::ModuleOp module, const std::string &name,
                 const ember::program::Program &program) {
  const char *dir = std::getenv("EMBER_DUMP_IR");
  if (!dir || !*dir)
    return;
  auto id = module->getAttrOfType<mlir::IntegerAttr>("ember.dump_id");
  std::string base = ember::detail::str_cat(dir, "/", name, ".",
                                            id ? id.getInt() : 0, ".cuda-");
  ember::atomic_write_file("EMBER_DUMP_IR", base + "program.txt",
                           program.describe());
  ember::atomic_write_file("EMBER_DUMP_IR", base + "kernels.cu",
                           program.source);
  // The PTX NVRTC makes of it, for this machine's GPU (sm_90 without one);
  // skipped where NVRTC cannot be loaded.
  int arch = 90;
  if (ember::cuda::is_available()) {
    ember::cuda::Capability c = ember::cuda::get_device_capability();
    arch = c.major * 10 + c.minor;
  }
  try {
    ember::atomic_write_file(
        "EMBER_DUMP_IR", base + "kernels.ptx",
        ember::program::nvrtc_compile(program.source, name, arch, true));
  } catch (const ember::Error &) {
  }
}

// How a trace compiles: for the host CPU (JitFunction), or as a device
// program whose kernels `launchers` launch.
struct Target {
  bool program = false;
  ember::Device device;
  const ember::jit::detail::LauncherFactory *launchers = nullptr;
};

// The target of a trace: a device program when a value is on CUDA (all of
// its tensors must be on that device, or be CPU scalars), else the CPU.
bool targetOf(const ember::jit::Trace &trace, Target &target,
              std::string &why) {
  for (const ember::jit::TracedValue &v : trace.values) {
    if (!v.device.is_cuda())
      continue;
    if (target.program && v.device != target.device) {
      why = "it uses tensors on two CUDA devices";
      return false;
    }
    target.program = true;
    target.device = v.device;
  }
  return true;
}

} // namespace

namespace {

// Compiles a trace whose ops all lower (after functionalization); a
// backward() in it is differentiated by ember-autodiff (importStep). When
// its gradient ops do not lower, returns null with `why`.
std::unique_ptr<ember::jit::detail::Executable>
compileWhole(const ember::jit::Trace &trace, std::string &why,
             const Target &target, bool gradientsOut = false) {
  mlir::DialectRegistry registry;
  mlir::ember::registerJitDialects(registry);
  mlir::MLIRContext context(registry);
  std::vector<mlir::ember::StepResult> results;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::ember::importStep(context, trace, results, why, "jit::compile");
  if (!module)
    return nullptr;
  mlir::ember::lowerModuleToLinalg(*module, trace.name, "jit::compile");
  if (!target.program) {
    std::shared_ptr<mlir::ember::JitFunction> fn =
        mlir::ember::JitFunction::compile(*module, trace.name);
    return std::make_unique<JitExecutable>(
        [fn](const TensorList &args) { return (*fn)(args); },
        trace.outputs.size(), std::move(results), gradientsOut);
  }
  mlir::ember::fuseForCuda(*module);
  auto func = module->lookupSymbol<mlir::func::FuncOp>(trace.name);
  auto program = std::make_shared<ember::program::Program>();
  std::string diagnostics;
  {
    mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
      llvm::raw_string_ostream os(diagnostics);
      os << d << " (at " << mlir::ember::locationText(d.getLocation()) << ")";
      return mlir::success();
    });
    if (mlir::failed(mlir::ember::buildCudaProgram(func, *program))) {
      // An op without a device form: the function runs eagerly on the
      // device (what stays eager is named, as for any split).
      why = "the CUDA program cannot take it: " + diagnostics;
      return nullptr;
    }
  }
  dumpProgram(*module, trace.name, *program);
  program->verify();
  ProgramFunction fn{program, (*target.launchers)(*program), target.device};
  return std::make_unique<JitExecutable>(std::move(fn), trace.outputs.size(),
                                         std::move(results), gradientsOut);
}

// Which ops of `trace` compile: the ember op imported for each must lower
// (in-place ops are judged by the value form functionalize gives them;
// index_put_, uniform_ and normal_ have none).
// `reasons[i]` says why op i stays eager ("" when it compiles);
// `firstReason` names the first such op and its location.
std::vector<bool> compilableOps(const ember::jit::Trace &trace,
                                std::vector<std::string> &reasons,
                                std::string &firstReason) {
  std::vector<bool> marks(trace.ops.size(), false);
  reasons.assign(trace.ops.size(), "not imported");
  mlir::DialectRegistry registry;
  mlir::ember::registerJitDialects(registry);
  mlir::MLIRContext context(registry);
  mlir::OwningOpRef<mlir::ModuleOp> module;
  try {
    module = mlir::ember::importTrace(context, trace);
  } catch (const ::ember::Error &e) {
    // An op the importer rejects (say, an index with empty slots) leaves
    // no module to judge the others by: the whole trace runs eagerly.
    firstReason = e.what();
    return marks;
  }
  auto func = module->lookupSymbol<mlir::func::FuncOp>(trace.name);
  size_t i = 0;
  for (mlir::Operation &op : func.getBody().front()) {
    if (llvm::isa<mlir::ember::ConstantOp, mlir::func::ReturnOp>(op))
      continue;
    EMBER_CHECK(i < marks.size(), "jit::compile", "'", trace.name,
                "': the import has more ops than the trace");
    if (auto call = llvm::dyn_cast<mlir::ember::CustomFunctionOp>(op)) {
      // One op for the application's forward ops: they compile together,
      // when every op of its forward and of its backward lowers.
      const ember::jit::CustomFunctionCall &c =
          trace.custom_calls.at(static_cast<size_t>(trace.ops[i].custom_call));
      std::string reason;
      call->walk([&](mlir::Operation *inner) {
        if (reason.empty() && inner != call.getOperation() &&
            !llvm::isa<mlir::ember::YieldOp>(inner) &&
            !mlir::ember::isLowerable(inner))
          reason = ::ember::detail::str_cat(
              "in the custom autograd::Function ", c.name, ": no lowering for ",
              inner->getName().getStringRef().str(), " at ",
              mlir::ember::locationText(inner->getLoc()));
      });
      for (int64_t k = c.first_op; k < c.end_op; ++k) {
        marks[static_cast<size_t>(k)] = reason.empty();
        reasons[static_cast<size_t>(k)] = reason;
      }
      if (!reason.empty() && firstReason.empty())
        firstReason = reason;
      i = static_cast<size_t>(c.end_op);
      continue;
    }
    const bool inplace = ::ember::has_flag(
        ::ember::op_info(trace.ops[i].op).flags, ::ember::OpFlag::Inplace);
    std::string reason;
    const int64_t callIndex = trace.ops[i].custom_call;
    if (!trace.ops[i].custom_function.empty() &&
        (callIndex < 0 ||
         !trace.custom_calls[static_cast<size_t>(callIndex)].traceable())) {
      // Its backward is not ember ops: the eager node must run it.
      const std::string why =
          callIndex < 0 ? std::string("it is applied inside a backward")
          : trace.custom_calls[static_cast<size_t>(callIndex)]
                  .not_traceable.empty()
              ? std::string("its backward was not recorded")
              : trace.custom_calls[static_cast<size_t>(callIndex)]
                    .not_traceable;
      reason = ::ember::detail::str_cat(
          "in the forward of the custom autograd::Function ",
          trace.ops[i].custom_function, ", which runs eagerly: ", why);
    } else if (inplace) {
      if (llvm::isa<mlir::ember::IndexPutInplaceOp,
                    mlir::ember::UniformInplaceOp,
                    mlir::ember::NormalInplaceOp>(op))
        reason = "an in-place op without a value form";
    } else if (!mlir::ember::isLowerable(&op)) {
      reason = mlir::ember::hasLowering(op.getName().getStringRef())
                   ? "no lowering for these operand types or attributes"
                   : "no lowering";
    }
    marks[i] = reason.empty();
    reasons[i] = reason;
    if (!marks[i] && firstReason.empty())
      firstReason = ::ember::detail::str_cat(
          op.getName().getStringRef().str(), " at ",
          mlir::ember::locationText(op.getLoc()), ": ", reason);
    ++i;
  }
  EMBER_CHECK(i == marks.size(), "jit::compile", "'", trace.name,
              "': the import has fewer ops than the trace");
  return marks;
}

} // namespace

namespace {

std::unique_ptr<ember::jit::detail::Executable>
compileTrace(const ember::jit::Trace &trace, std::string &why,
             const Target &target) {
  using namespace ember::jit;
  using namespace ember::jit::detail;
  std::string firstReason;
  std::vector<std::string> reasons;
  std::vector<bool> marks = compilableOps(trace, reasons, firstReason);
  const bool all =
      std::all_of(marks.begin(), marks.end(), [](bool b) { return b; });
  if (all && trace.data_reads.empty())
    return compileWhole(trace, why, target);
  // A backward() splits only at custom Functions whose backward is not
  // ember ops; otherwise say what stops it.
  if (trace.backward) {
    auto plan = plan_backward_split(trace, marks, reasons, why);
    if (!plan)
      return nullptr;
    for (BackwardPiece &p : plan->forward) {
      if (p.kind != BackwardPiece::Kind::Compiled)
        continue;
      p.step.exe = compileWhole(p.step.segment, why, target);
      if (!p.step.exe)
        return nullptr;
      if (!p.cotangent_of.empty()) {
        p.vjp_exe = compileWhole(p.vjp, why, target, /*gradientsOut=*/true);
        if (!p.vjp_exe)
          return nullptr;
      }
    }
    if (plan->after) {
      plan->after->exe = compileWhole(plan->after->segment, why, target);
      if (!plan->after->exe)
        return nullptr;
    }
    return make_backward_split_executable(trace, std::move(*plan));
  }
  if (!trace.data_reads.empty() &&
      std::any_of(
          trace.arguments.begin(), trace.arguments.end(), [&](int64_t id) {
            return trace.values[id].kind == ember::jit::ValueKind::HostScalar;
          })) {
    // A changed item() value reruns the function eagerly after the host
    // scalars were read (and their effects, like a step count, done).
    why = "it reads data with item() and uses host scalars (an optimizer "
          "step): a changed value would repeat the host scalars' effects";
    return nullptr;
  }
  if (std::none_of(marks.begin(), marks.end(), [](bool b) { return b; })) {
    why = trace.ops.empty() ? std::string("it runs no ops")
                            : "none of its ops compiles; " + firstReason;
    return nullptr;
  }
  auto steps = plan_split(trace, marks, why);
  if (!steps)
    return nullptr;
  for (SplitStep &step : *steps) {
    if (step.kind == SplitStep::Kind::Compiled) {
      step.exe = compileWhole(step.segment, why, target);
      if (!step.exe)
        return nullptr;
    } else if (step.kind == SplitStep::Kind::Eager)
      step.reason = reasons.at(static_cast<size_t>(step.index));
  }
  return make_split_executable(trace, std::move(*steps));
}

// Launches a program's kernels on the current CUDA device.
std::unique_ptr<ember::program::KernelLauncher>
cudaLaunchers(const ember::program::Program &program) {
  return ember::program::cuda_launcher(program);
}

} // namespace

std::unique_ptr<ember::jit::detail::Executable>
ember::jit::detail::compile_trace(const Trace &trace, std::string &why) {
  static const LauncherFactory cuda = cudaLaunchers;
  Target target;
  target.launchers = &cuda;
  if (!targetOf(trace, target, why))
    return nullptr;
  return compileTrace(trace, why, target);
}

std::unique_ptr<ember::jit::detail::Executable>
ember::jit::detail::compile_trace_as_program(const Trace &trace,
                                             std::string &why,
                                             const LauncherFactory &launchers) {
  Target target;
  target.launchers = &launchers;
  if (!targetOf(trace, target, why))
    return nullptr;
  if (!target.program) {
    target.program = true;
    target.device = ember::Device(ember::DeviceType::CPU);
  }
  return compileTrace(trace, why, target);
}

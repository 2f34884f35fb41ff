// jit::compile: run a function as compiled code, with eager fallback.
//
//   auto f = jit::compile([&](const Tensor &x) { return model(x); },
//                         {.modules = {{"", &model}}});
//   Tensor y = f(x);    // first call per guard key: eager + trace, compile
//   y = f(x2);          // same shapes/dtypes/...: the compiled code runs
//
// Guards: a compiled entry is keyed by each input's sizes, dtype, device
// and requires_grad, the grad mode, and the training flags of the given
// modules. A call that matches no entry traces again ("recompile"); after
// `recompile_limit` entries the policy decides: raise, or stay eager with a
// warning. Calls never silently slow down: every decision is logged under
// EMBER_LOG=recompiles,guards,splits (comma list, or "all") with the
// user's source location.
//
// Splits: ops without a lowering run eagerly between compiled segments,
// and each item() read becomes a guard on the value read (a new value
// stops the run and traces again). A trace the compiler cannot take at all
// runs eagerly for its key, with the reason logged: nothing lowerable,
// aliasing a split cannot reproduce, autograd through the function (the
// compiled backward comes with the IR autodiff), or a compiler error (a
// warning naming the IR dump). The program keeps working either way.
//
// Targets: a trace on CPU tensors compiles to native code (LLVM, ORC JIT);
// one on CUDA tensors to a device program (ember/runtime/program.h): its
// fused kernels as CUDA C compiled by NVRTC, GEMMs and convolutions
// through cuBLAS, run by the runtime. CPU scalars in a CUDA trace (a
// learning rate) are copied to the device; two CUDA devices in one trace
// stay eager.
//
// EMBER_JIT=0 runs everything eagerly. EMBER_JIT_VERIFY=N also runs every
// Nth compiled call eagerly and compares the outputs (ember::Error naming
// the first differing output, its op and source location).
//
// Without the compiler (EMBER_ENABLE_COMPILER=OFF) or without linking
// ember::jit's backend, compile() still works: everything runs eagerly.
#pragma once

#include "ember/jit/trace.h"
#include "ember/runtime/program.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace ember::jit {

enum class RecompilePolicy {
  Raise, ///< throw ember::Error naming the guard that changed
  Eager, ///< warn once and run new keys eagerly
};

struct CompileOptions {
  /// The function's name in logs and IR dumps.
  std::string name = "compiled";
  /// Modules the function uses: their parameters and buffers become named
  /// arguments (passed on every call, so updates are seen) and their
  /// training flags are guarded.
  std::vector<std::pair<std::string, const nn::Module *>> modules = {};
  int recompile_limit = 8;
  RecompilePolicy on_recompile_limit = RecompilePolicy::Eager;
};

/// How calls went (for tests, logs and benchmarks).
struct CompileStats {
  int64_t calls = 0;
  int64_t compiled_calls = 0; ///< ran compiled code
  int64_t eager_calls = 0;    ///< ran the function eagerly
  int64_t traces = 0;         ///< first calls of a key (eager + trace)
  int64_t compiles = 0;       ///< keys that got compiled code
  int64_t fallbacks = 0;      ///< keys that stay eager (reason logged)
  int64_t splits = 0;         ///< compiled keys with eager ops or guards
  int64_t read_misses = 0;    ///< runs stopped by a changed item() value
  int64_t retries = 0;  ///< eager traces to retry (optimizer state created)
  int64_t verified = 0; ///< EMBER_JIT_VERIFY comparisons made
};

namespace detail {
/// What the compiler backend returns for a trace: runs it on the trace's
/// arguments (inputs, then parameters/buffers, then lifted tensors) and
/// returns its outputs (writing mutated arguments back).
class Executable {
public:
  virtual ~Executable() = default;
  virtual TensorList run(const TensorList &arguments) = 0;
  /// How it runs, for EMBER_LOG=splits ("" when it is one compiled piece).
  virtual std::string describe() const { return ""; }
};
/// Compiles a trace, or returns null with `why` saying what stopped it.
/// Defined by the compiler library (link ember::jit); in a build without
/// the compiler, by a stub that always says so.
std::unique_ptr<Executable> compile_trace(const Trace &trace, std::string &why);
using Backend = std::unique_ptr<Executable> (*)(const Trace &, std::string &);
/// Makes the launcher of a device program's generated kernels.
using LauncherFactory = std::function<std::unique_ptr<program::KernelLauncher>(
    const program::Program &)>;
/// compile_trace through the CUDA target (a device program, which a trace
/// on CUDA tensors gets anyway) whatever the trace's device, its kernels
/// launched by `launchers`: how tests run the CUDA target's code on CPU
/// tensors, its kernels compiled as host C++.
std::unique_ptr<Executable>
compile_trace_as_program(const Trace &trace, std::string &why,
                         const LauncherFactory &launchers);
} // namespace detail

/// The untyped core: TensorList in, TensorList out.
class CompiledFunction {
public:
  /// `backend` defaults to detail::compile_trace, named here so the
  /// reference is made from the caller's object file: the static linker
  /// then pulls the compiler library in (ember::jit comes before ember on
  /// the link line).
  CompiledFunction(TraceFn fn, CompileOptions options,
                   detail::Backend backend = &detail::compile_trace);
  ~CompiledFunction();
  CompiledFunction(CompiledFunction &&) noexcept;
  CompiledFunction &operator=(CompiledFunction &&) noexcept;

  TensorList operator()(const TensorList &inputs,
                        Loc loc = Loc::current()) const;
  const CompileStats &stats() const;
  /// The trace of each compiled or fallen-back key, in order of creation.
  std::vector<const Trace *> traces() const;

private:
  struct State;
  std::unique_ptr<State> s_;
};

/// compile() for functions of one to four Tensors returning a Tensor or a
/// TensorList: the result has the same call signature (use
/// CompiledFunction directly for other arities).
template <typename Fn> class Compiled {
  template <typename F> struct arity;
  template <typename R, typename C, typename... A>
  struct arity<R (C::*)(A...) const> {
    static constexpr size_t value = sizeof...(A);
    using result = R;
  };
  template <typename R, typename C, typename... A>
  struct arity<R (C::*)(A...)> {
    static constexpr size_t value = sizeof...(A);
    using result = R;
  };
  using Traits = arity<decltype(&Fn::operator())>;
  static constexpr size_t kArity = Traits::value;
  using Result = std::decay_t<typename Traits::result>;

public:
  Compiled(Fn fn, CompileOptions options)
      : core_(
            [fn](const TensorList &in) mutable {
              return call(fn, in, std::make_index_sequence<kArity>());
            },
            std::move(options), &detail::compile_trace) {}

  // One overload per arity, so each can take the caller's location.
  auto operator()(const Tensor &a, Loc loc = Loc::current()) const
      requires(kArity == 1) {
    return unpack(core_({a}, loc));
  }
  auto operator()(const Tensor &a, const Tensor &b,
                  Loc loc = Loc::current()) const requires(kArity == 2) {
    return unpack(core_({a, b}, loc));
  }
  auto operator()(const Tensor &a, const Tensor &b, const Tensor &c,
                  Loc loc = Loc::current()) const requires(kArity == 3) {
    return unpack(core_({a, b, c}, loc));
  }
  auto operator()(const Tensor &a, const Tensor &b, const Tensor &c,
                  const Tensor &d, Loc loc = Loc::current()) const
      requires(kArity == 4) {
    return unpack(core_({a, b, c, d}, loc));
  }
  const CompileStats &stats() const { return core_.stats(); }
  std::vector<const Trace *> traces() const { return core_.traces(); }

private:
  template <size_t... I>
  static TensorList call(Fn &fn, const TensorList &in,
                         std::index_sequence<I...>) {
    if constexpr (std::is_same_v<Result, Tensor>)
      return TensorList{fn(in.at(I)...)};
    else
      return TensorList(fn(in.at(I)...));
  }

  static auto unpack(TensorList out) {
    if constexpr (std::is_same_v<Result, Tensor>)
      return out.at(0);
    else
      return out;
  }

  CompiledFunction core_;
};

/// Wraps `fn` (a lambda or functor taking Tensors) for compiled execution.
template <typename Fn>
Compiled<std::decay_t<Fn>> compile(Fn &&fn, CompileOptions options = {}) {
  return Compiled<std::decay_t<Fn>>(std::forward<Fn>(fn), std::move(options));
}

} // namespace ember::jit

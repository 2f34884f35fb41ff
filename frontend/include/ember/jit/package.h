// Model packages: a traced model saved with its weights, to run again
// later (jit::load, through the CPU JIT) or to compile ahead of time
// (emberc).
//
//   Mlp model;  model.eval();
//   jit::Trace t = jit::trace(model, {x});
//   jit::save(t, "mlp.emberpkg",
//             jit::PackageOptions().module(model).golden({x}, {model(x)}));
//   jit::Package p = jit::load("mlp.emberpkg");
//   TensorList y = p.run({x});                     // compiled on first run
//
// The format: one safetensors file (any safetensors reader lists it),
// written atomically:
//   - every weight under its name: the traced module's parameter and buffer
//     names ("fc1.weight"), "lifted<k>" for large outside tensors;
//   - "__ember.module": U8 [n], the ember-dialect module as MLIR bytecode,
//     imported from the trace and functionalized: func.func @<function>
//     taking the inputs, then the weights (signature order), and returning
//     the outputs;
//   - "__ember.golden.<k>.in.<i>", "__ember.golden.<k>.out.<j>": optional
//     input/output pairs recorded from eager execution;
//   - __metadata__ strings:
//       ember.format            "emberpkg"
//       ember.format_version    "1" (kPackageFormatVersion)
//       ember.compiler_version  the compiler that wrote it (mlir::ember::
//                               compilerVersion(); load requires equality:
//                               the ember dialect has no compatibility
//                               promise yet)
//       ember.signature         JSON: {"function", "inputs", "outputs",
//                               "weights": [{"name", "dtype", "shape"}],
//                               "goldens": count; training steps also
//                               "results": count, "updates": [{"result",
//                               "weight", "mode": "copy"|"add"}]}
//       ember.checksums         JSON: tensor name (and "ember.signature")
//                               -> XXH3-64 of its bytes, hex
// The package hash (emberc --describe) is the SHA-256 of the whole file.
//
// Training steps: a trace that calls backward() (a jit::compile'd
// zero_grad / forward / backward / optimizer.step) saves too. The module
// is then stored differentiated (after ember-autodiff), and the package
// holds the step's state as weights: the parameters and buffers, the
// optimizer's state tensors ("lifted<k>", or named by
// PackageOptions::optimizer), and a parameter's .grad
// ("<name>.grad") where the step reads it. The host numbers the step reads
// on each call (jit::host_scalar: "lr", Adam's "-step_size", ...) are 0-d
// float64 inputs after the traced inputs, so a learning-rate schedule
// stays the caller's. The signature's "updates" list says which results
// after the outputs go back into which weight ("copy": the new value;
// "add": accumulated into a .grad); "results" counts those results. Each
// run() is one step: it updates weight_values in place, as the eager step
// updates the model and optimizer.
//
// load() validates everything before returning: the safetensors
// structure, the format and its version, the compiler version, every
// checksum, the signature, the module (parses and verifies, and its
// function type matches the signature), every weight present with its
// signature's dtype and shape, and the goldens' shapes. Any failure
// throws ember::Error naming the file and the problem.
//
// Defined in the compiler library (link ember::jit); absent when ember is
// built with EMBER_ENABLE_COMPILER=OFF. The declarations are MLIR-free.
#pragma once

#include "ember/jit/compile.h"
#include "ember/jit/trace.h"
#include "ember/nn/ordered_dict.h"
#include "ember/tensor.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ember::optim {
class Optimizer;
}

namespace ember::jit {

inline constexpr int kPackageFormatVersion = 1;

/// One input, output or weight of a package.
struct TensorSignature {
  std::string name;
  DType dtype = DType::Float32;
  std::vector<int64_t> sizes;
};

/// A recorded input/output pair.
struct Golden {
  TensorList inputs, outputs;
};

struct PackageOptions {
  /// The values of the trace's parameters and buffers by name (what
  /// module() fills in from Module::named_parameters/named_buffers).
  OrderedDict<Tensor> weights;
  /// Names of the inputs and outputs ("input<i>"/"output<j>" when empty).
  std::vector<std::string> input_names, output_names;
  std::vector<Golden> goldens;

  /// Takes every parameter and buffer of `m` (names as trace(m, ...) gives
  /// them, with `prefix` as TraceOptions::modules would).
  PackageOptions &module(const nn::Module &m, const std::string &prefix = "");
  PackageOptions &weight(const std::string &name, Tensor value);
  /// Names the optimizer state a saved training step holds after the
  /// parameters of `m` they belong to: "<prefix>.<parameter>.<key>"
  /// ("optimizer.fc1.weight.momentum_buffer"); unnamed, such tensors are
  /// "lifted<k>".
  PackageOptions &optimizer(const optim::Optimizer &opt, const nn::Module &m,
                            const std::string &prefix = "optimizer");
  /// Names for outside tensors the trace lifted (matched by identity).
  std::vector<std::pair<std::string, Tensor>> lifted_names;
  PackageOptions &inputs(std::vector<std::string> names) {
    input_names = std::move(names);
    return *this;
  }
  PackageOptions &outputs(std::vector<std::string> names) {
    output_names = std::move(names);
    return *this;
  }
  /// Records an eager run: `in` given to the traced function gave `out`.
  PackageOptions &golden(TensorList in, TensorList out) {
    goldens.push_back({std::move(in), std::move(out)});
    return *this;
  }
};

/// What a training step does with one of its results after the outputs:
/// writes it into a weight (copy) or accumulates it (add: a .grad).
struct StateUpdate {
  size_t result = 0; ///< counted from the first result after the outputs
  size_t weight = 0; ///< an index into Package::weights
  bool add = false;
};

/// A loaded, validated package.
class Package {
public:
  Package();
  ~Package();
  Package(Package &&) noexcept;
  Package &operator=(Package &&) noexcept;

  /// The traced function's name (the func.func in the module).
  std::string function;
  std::string compiler_version;
  int format_version = 0;
  std::vector<TensorSignature> inputs, outputs, weights;
  /// Weight values, in `weights` order.
  TensorList weight_values;
  std::vector<Golden> goldens;
  /// Training steps: the function's results after the outputs, and which
  /// of them update which weight (empty for inference packages).
  size_t state_results = 0;
  std::vector<StateUpdate> updates;
  /// The dtype and shape of each of those results (named "result<k>").
  std::vector<TensorSignature> state_result_types;
  /// The ember module as MLIR bytecode.
  std::string module_bytecode;
  /// SHA-256 of the file, hex.
  std::string hash;
  std::string path;

  /// Runs the model on `inputs` (matching `inputs`' dtypes and shapes)
  /// through the CPU JIT; the first call compiles (the disk cache applies).
  /// Throws ember::Error on a mismatch or a compile failure.
  /// A training step's package updates its state: only the non-const
  /// run() takes one step.
  TensorList run(const TensorList &inputs) const;
  TensorList run(const TensorList &inputs);
  TensorList operator()(const TensorList &in) const { return run(in); }
  TensorList operator()(const TensorList &in) { return run(in); }

  /// Whether this is a training step (its runs update weight_values).
  bool is_training_step() const { return state_results > 0; }
  /// The weights by name (the live values: a training step's runs change
  /// them), e.g. to ember::save them or load them into a module.
  OrderedDict<Tensor> state_dict() const;

private:
  struct Compiled;
  mutable std::shared_ptr<Compiled> compiled_;
  TensorList call(const TensorList &inputs, bool step) const;
};

/// Writes `trace` (no item() reads; no argument updated in place unless it
/// is a training step -- trace models for inference in eval mode) as a
/// package at `path`. Throws
/// ember::Error when a weight is missing from options.weights or mismatches
/// its traced dtype/shape, when an op cannot be imported or lowered, or
/// when a golden does not match the signature.
void save(const Trace &trace, const std::string &path,
          const PackageOptions &options = {});

/// Writes the trace of a jit::compile'd function (it is traced on its first
/// call, so call it once first). A function traced under several guard keys
/// is ambiguous: save the one wanted with save(*fn.traces()[k], ...).
template <typename Fn>
void save(const Compiled<Fn> &fn, const std::string &path,
          const PackageOptions &options = {}) {
  std::vector<const Trace *> traces = fn.traces();
  EMBER_CHECK(!traces.empty(), "jit::save", "'", path,
              "': the compiled function has not been called yet (it is "
              "traced on its first call)");
  EMBER_CHECK(traces.size() == 1, "jit::save", "'", path,
              "': the compiled function was traced ", traces.size(),
              " times (once per guard key); save one with "
              "jit::save(*fn.traces()[k], ...)");
  save(*traces.front(), path, options);
}

/// Reads and validates the package at `path` (see the format above).
Package load(const std::string &path);

} // namespace ember::jit

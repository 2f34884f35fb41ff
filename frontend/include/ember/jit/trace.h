// Tracing: record what ran eagerly, op by op, as a graph the compiler
// imports into the `ember` MLIR dialect.
//
//   Net net;
//   jit::Trace t = jit::trace(net, {x});        // runs net(x) once, eagerly
//   std::cout << t;                             // readable listing
//   std::string ir = t.to_mlir();               // needs ember::jit (MLIR)
//
// The tracer watches the dispatcher (DispatchObserver): every outermost op
// the traced function runs on this thread becomes a TracedOp with its op,
// attributes, input and output values, the user's source location (captured
// at the public API call) and the module path ("features.0") of the
// innermost module whose operator() was running. Ops inside ops (a
// composite's parts) are not recorded, only the op the user called.
//
// Values: each tensor the function touches is a TracedValue. Tensors that
// come from outside the function are classified on first use: the example
// inputs (function arguments), the parameters and buffers of the given
// modules (by dotted name), and anything else as a constant -- folded into
// the trace when small (max_inline_constant elements), lifted to an extra
// argument otherwise (its tensor is kept in the Trace to pass on calls).
// In-place ops produce a new value for the tensor they write; views are
// ordinary ops whose result shares storage with their input (storage_id
// tells which values share memory). Turning that into value semantics is
// the compiler's ember-functionalize pass. Tracing changes nothing about
// the eager results: the function runs exactly as it would untraced.
#pragma once

#include "ember/dispatch.h"
#include "ember/tensor.h"

#include <array>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <source_location>
#include <string>
#include <utility>
#include <vector>

namespace ember::nn {
class Module;
}

namespace ember::jit {

enum class ValueKind {
  Input,     ///< the i-th example input (a function argument)
  Parameter, ///< a module parameter (a function argument, named)
  Buffer,    ///< a module buffer (a function argument, named)
  Constant,  ///< a small tensor folded into the trace (`constant` holds it)
  Lifted,    ///< a large outside tensor passed as an extra argument
  Result,    ///< an output of a traced op
  /// The .grad of a named parameter as the call finds it (an argument,
  /// named "<parameter>.grad"; read from the parameter on every call).
  Grad,
  /// What backward() computes for an argument (`grad_of`): not an argument
  /// but a placeholder the compiler fills with ember-autodiff's gradient.
  Gradient,
  /// A number computed on the host (host_scalar): a 0-d float64 argument
  /// whose value `read` gives again on every call.
  HostScalar,
  /// The gradient a custom autograd::Function's backward receives for one
  /// of its outputs, while the tracer records that backward: a symbolic
  /// value of CustomFunctionCall::backward_ops (its tensor was ones).
  Cotangent,
};
const char *to_string(ValueKind k);

struct TracedValue {
  ValueKind kind;
  std::vector<int64_t> sizes;
  std::vector<int64_t> strides;
  DType dtype;
  Device device;
  bool requires_grad = false;
  /// Whether the tensor had autograd history (a grad_fn) when recorded.
  bool has_history = false;
  /// Values with the same storage_id share memory (views, in-place writes).
  int64_t storage_id = 0;
  /// Input: "arg<i>"; Parameter/Buffer: dotted name; Lifted: "lifted<k>".
  std::string name;
  /// Input: the example input's position; otherwise -1.
  int64_t arg_index = -1;
  /// Constant: the value (a contiguous copy); Lifted: the tensor itself.
  Tensor tensor;
  /// Result: the op that produced it and which of its outputs it is.
  int64_t producer = -1;
  int64_t output_index = -1;
  /// Gradient: the value id of the argument it is the gradient of.
  int64_t grad_of = -1;
  /// HostScalar: recomputes the value on each compiled call (it may have
  /// effects, such as advancing a step counter: it runs once per call).
  std::function<double()> read;
};

struct TracedOp {
  OpId op;
  Attrs attrs;
  std::vector<int64_t> inputs;  ///< value ids
  std::vector<int64_t> outputs; ///< value ids
  /// The user's call site; empty when unknown (operators such as a * b
  /// cannot capture their caller's line outside a module call).
  std::string file;
  uint32_t line = 0, column = 0;
  std::string function;
  std::string module_path; ///< "" outside any known module
  /// Random ops: the Philox blocks the draw reserved, and whether it drew
  /// from a Generator passed explicitly (a replay can only redraw from the
  /// default generator).
  uint64_t random_blocks = 0;
  bool own_generator = false;
  /// Draws from the default generator: the host scalars "rng_offset" (the
  /// first block a compiled call reserved for all its draws),
  /// "rng_seed_lo" and "rng_seed_hi" (the generator's seed, 32 bits each),
  /// and this draw's offset from the first block; -1s otherwise.
  std::array<int64_t, 3> rng = {-1, -1, -1};
  uint64_t rng_offset = 0;
  /// The custom autograd::Function whose forward ran this op ("" if none).
  std::string custom_function;
  /// Its application: an index into Trace::custom_calls (-1 if none).
  int64_t custom_call = -1;
};

/// One application of a custom autograd::Function (the outermost one; a
/// Function applied inside another's forward is part of that forward).
/// Its forward ops are ops[first_op, end_op) of the trace; its backward is
/// recorded by calling the user's backward at trace time, under no grad, on
/// cotangent placeholders (ones), so that the compiler differentiates the
/// application with the user's rule. Non-tensor arguments and
/// ctx->saved_data values are trace-time constants (not guarded: a
/// Function whose backward depends on them differently per call must not be
/// compiled). When the backward cannot be recorded (it reads data, writes
/// in place, draws random numbers, throws, backpropagates itself, or uses a
/// tensor that is none of the application's values or a small constant),
/// `not_traceable` says why, and its forward ops run eagerly (a split).
struct CustomFunctionCall {
  std::string name; ///< "XNorSignBackward" (the node's name)
  int64_t first_op = 0, end_op = 0;
  std::vector<int64_t> inputs;     ///< the tensor arguments (-1: undefined)
  std::vector<int64_t> outputs;    ///< value ids
  std::vector<int64_t> cotangents; ///< one Cotangent value per output
  /// The ops the user's backward ran; their results are values of the
  /// trace with producer -1 (they are not in Trace::ops).
  std::vector<TracedOp> backward_ops;
  /// The gradient backward gave for each input (-1: none, a zero).
  std::vector<int64_t> input_grads;
  /// Whether the backward was recorded completely.
  bool recorded = false;
  /// Why the application stays eager ("" when it compiles).
  std::string not_traceable;
  /// Applies the Function again to new tensor arguments, with its node
  /// (a training step splits there when its backward is not recorded).
  std::function<TensorList(const TensorList &)> replay;
  bool traceable() const { return recorded && not_traceable.empty(); }
};

/// A read of tensor data into C++ (item()) during the trace: what ran
/// after it may depend on the value.
struct DataRead {
  int64_t value;
  std::string file;
  uint32_t line = 0, column = 0;
  /// What item() returned (jit::compile guards on it).
  Scalar read;
  /// How many ops the trace held when the read happened: the read comes
  /// after ops[after_ops - 1].
  int64_t after_ops = 0;
  /// Made inside backward() (by a custom Function's backward, which then
  /// runs eagerly in a split step, reading again).
  bool in_backward = false;
};

/// A `loss.backward()` inside the traced function: the compiler derives the
/// gradients on the IR (ember-autodiff) instead of tracing the engine, and
/// accumulates them into the .grad of the arguments that require grad.
struct BackwardRequest {
  int64_t root = -1; ///< the value backpropagated from (one element)
  /// How many ops the trace held when backward() began: ops[after_ops..]
  /// run after it (the optimizer step).
  int64_t after_ops = 0;
  /// Arguments (value ids) whose .grad was undefined when backward() began
  /// and when the call began: a compiled run accumulates into their .grad
  /// (or sets it), as backward() would.
  std::vector<int64_t> fresh;
  /// Arguments whose .grad the function reset to undefined before its
  /// backward(): a compiled run sets their .grad to the new gradient.
  std::vector<int64_t> reset;
  /// Arguments whose accumulation into an existing .grad the trace records
  /// as an op (the function read that .grad afterwards): a compiled run
  /// writes that .grad back like any updated argument.
  std::vector<int64_t> accumulated;
};

/// A condition on host state the trace relied on (an optimizer's state
/// objects, its boolean options): a compiled call checks it first and
/// traces again when it no longer holds.
struct HostGuard {
  std::string what;
  std::function<bool()> holds;
};

class Trace {
public:
  /// Every value, by id (an index).
  std::vector<TracedValue> values;
  /// The ops in execution order.
  std::vector<TracedOp> ops;
  /// Function arguments in order: inputs, then parameters and buffers (in
  /// module order), then lifted constants.
  std::vector<int64_t> arguments;
  /// The function's results.
  std::vector<int64_t> outputs;
  /// item() calls on traced values, in order.
  std::vector<DataRead> data_reads;
  /// Custom autograd::Function applications (TracedOp::custom_call).
  std::vector<CustomFunctionCall> custom_calls;
  /// The function's backward() call, if any (the engine's ops are not
  /// recorded).
  std::optional<BackwardRequest> backward;
  /// Why this trace cannot be replayed by compiled code ("" when it can):
  /// set by the tracer for what it sees but cannot record, e.g. reading
  /// .grad after backward().
  std::string not_compilable;
  /// With not_compilable: the obstacle is temporary (an optimizer creating
  /// its state on the first step), so the next call traces again.
  bool retry = false;
  /// Host conditions a compiled call checks before running.
  std::vector<HostGuard> host_guards;
  /// The traced function's name in dumps ("forward").
  std::string name = "forward";

  /// A readable listing, one line per op with its location and module.
  std::string str() const;
  /// The trace imported into the ember dialect, as MLIR text; with
  /// debug_info, locations are printed (--mlir-print-debuginfo). Defined in
  /// the compiler library (link ember::jit; absent when ember is built with
  /// EMBER_ENABLE_COMPILER=OFF).
  std::string to_mlir(bool debug_info = false) const;
};
std::ostream &operator<<(std::ostream &os, const Trace &t);

struct TraceOptions {
  /// The traced function's name.
  std::string name = "forward";
  /// Modules whose parameters and buffers are named arguments, each with a
  /// prefix for its names ("" for the model itself).
  std::vector<std::pair<std::string, const nn::Module *>> modules = {};
  /// Outside tensors with at most this many elements become constants.
  int64_t max_inline_constant = 16;
};

using TraceFn = std::function<TensorList(const TensorList &)>;

/// Runs fn(example_inputs) once, eagerly, and records it.
Trace trace(const TraceFn &fn, const TensorList &example_inputs,
            TraceOptions options = {});
/// Records module(example_inputs[0]) (modules with the one-tensor forward);
/// its parameters and buffers become named arguments.
Trace trace(nn::Module &module, const TensorList &example_inputs,
            TraceOptions options = {});

/// Whether a Tracer records this thread's ops now.
bool is_tracing();

/// A host number traced ops use that may change between calls (a learning
/// rate, a bias correction): returns read() as a 0-d float64 tensor (a
/// wrapped number, as a C++ double operand becomes). Under a Tracer it is
/// an argument of the trace, and compiled code calls `read` again on every
/// call (once, in the order the trace created them), so an LR scheduler's
/// changes reach a compiled training step without recompiling. `read`
/// (and guard_host's `holds`) run as long as the compiled function may be
/// called: what they refer to (an optimizer) must outlive it, as the
/// modules of CompileOptions must.
Tensor host_scalar(std::string name, std::function<double()> read);

/// Library code tells the tracer that what it just did cannot be replayed
/// by compiled code (the call runs eagerly; with `retry`, the next call
/// traces again rather than staying eager for good).
void not_compilable(std::string why, bool retry = false);

/// Library code tells the tracer that the trace relies on host state:
/// compiled calls check `holds()` first and trace again when it fails.
void guard_host(std::string what, std::function<bool()> holds);

/// Whether the current tracer passes `t` as a named argument (a parameter
/// or buffer of its modules, or a parameter's .grad); false when not
/// tracing.
bool is_named_argument(const Tensor &t);

/// The recorder under trace(); jit::compile drives it directly. While
/// alive it records the ops run on the constructing thread.
class Tracer : public DispatchObserver {
public:
  Tracer(const TensorList &inputs, TraceOptions options);
  ~Tracer() override;
  Tracer(const Tracer &) = delete;
  Tracer &operator=(const Tracer &) = delete;
  void on_op(const OpCall &call, const TensorList &outputs) override;
  void on_data_read(const Tensor &t, Loc loc) override;
  void on_custom_function(const std::string &name, bool begin) override;
  void on_backward(const TensorList &roots, const TensorList &grads,
                   bool accumulate, bool begin) override;
  /// A custom Function's backward is recorded between these two calls
  /// (autograd::Function::apply): begin gives the cotangents to call it
  /// with, or returns false when this tracer does not record it.
  bool begin_custom_backward(
      const std::vector<Tensor> &inputs, const TensorList &outputs,
      TensorList &cotangents,
      std::function<TensorList(const TensorList &)> replay = {});
  void end_custom_backward(const TensorList &grads, const std::string &error);
  /// Stops recording and returns the trace with `outputs` as its results.
  Trace finish(const TensorList &outputs);
  /// What host_scalar, not_compilable and guard_host do under this tracer.
  Tensor host_scalar(std::string name, std::function<double()> read);
  void not_compilable(std::string why, bool retry);
  void guard_host(std::string what, std::function<bool()> holds);
  bool is_named_argument(const Tensor &t) const;
  /// The innermost live Tracer of this thread that is still recording.
  static Tracer *current();

private:
  struct State;
  std::unique_ptr<State> s_;
};

} // namespace ember::jit

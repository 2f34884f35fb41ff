// Splitting a trace into compiled segments and eager steps (jit::compile's
// eager fallback, ARCHITECTURE.md "Splits"). The compiler backend says
// which ops it can lower; plan_split cuts the trace there and at every
// item() read:
//
//   segment (sub-trace, compiled) -> eager op -> item() guard -> segment ...
//
// Each segment is a Trace of its own whose arguments are the values it
// uses from before it (parent arguments, outputs of earlier steps) and
// whose outputs are the values used after it. Eager steps replay the
// recorded op through dispatch() with its recorded attributes, so random
// ops draw from the generators as the eager run does. A read step checks
// that item() still returns the traced value; otherwise the run stops with
// ReadGuardMismatch and jit::compile traces the function again.
//
// Splitting is refused (the key stays eager, with the reason) where the
// pieces could not reproduce eager aliasing: memory written in place that
// is reachable from two steps, in-place writes to a folded constant, and a
// read guard after an argument was updated (a rerun would apply the update
// twice).
#pragma once

#include "ember/jit/compile.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ember::jit::detail {

/// Thrown by a split executable when an item() guard sees a new value.
/// Nothing observable happened before it (plan_split ensures that).
class ReadGuardMismatch : public std::exception {
public:
  explicit ReadGuardMismatch(std::string what) : what_(std::move(what)) {}
  const char *what() const noexcept override { return what_.c_str(); }

private:
  std::string what_;
};

struct SplitStep {
  enum class Kind { Compiled, Eager, Read };
  Kind kind = Kind::Compiled;
  /// Compiled: the segment as a trace of its own; `inputs` are the parent
  /// value ids passed as its arguments, `outputs` the parent ids its
  /// results become.
  Trace segment;
  std::vector<int64_t> inputs, outputs;
  std::unique_ptr<Executable> exe;
  /// Eager: the parent op index. Read: the parent data_reads index.
  int64_t index = -1;
  /// Eager: why the op is not compiled (set by the backend, for logs).
  std::string reason;
};

/// Cuts `trace` at the ops with compilable[i] == false and at its data
/// reads. Returns no plan, with `why`, when splitting would change what the
/// function does (see the file comment). Segments come back without
/// executables; the backend compiles them.
std::optional<std::vector<SplitStep>>
plan_split(const Trace &trace, const std::vector<bool> &compilable,
           std::string &why);

/// Runs a split plan on the parent trace's arguments.
std::unique_ptr<Executable> make_split_executable(const Trace &trace,
                                                  std::vector<SplitStep> steps);

/// "ember.<op> at <file>:<line>:<col>", for split messages.
std::string op_where(const TracedOp &op);

/// Fills `step` with ops (parent op indices) as a trace of its own, named
/// <parent>_part<step_index>: its inputs are the values it uses from
/// before, its outputs those used by a later step (last_use, by step
/// index) or marked in is_output.
void build_segment(const Trace &parent, SplitStep &step,
                   const std::vector<int64_t> &ops, int64_t step_index,
                   const std::vector<int64_t> &last_use,
                   const std::vector<bool> &is_output);

/// The values of a split run by value id: the arguments and constants.
std::vector<Tensor> initial_values(const Trace &trace,
                                   const TensorList &arguments);
/// Runs a compiled step on its inputs in `env` and stores its outputs there.
void run_segment(SplitStep &step, std::vector<Tensor> &env);

/// Whether every in-place write of `trace` stays within one step (by
/// step_of_op); otherwise false with `why`. Marks the steps that write into
/// an argument.
bool check_inplace_steps(const Trace &trace,
                         const std::vector<int64_t> &step_of_op,
                         std::vector<bool> &step_writes_argument,
                         std::string &why);

/// A training step (a trace with backward()) cut at its custom
/// autograd::Function applications, for those whose backward the tracer
/// could not record as ember ops (it reads data, writes in place, ...):
///
///   forward:  segment -> Function (eager, replayed) -> segment -> loss
///   backward: segment VJP <- the user's backward (eager) <- segment VJP
///   then:     the ops after backward() (the optimizer), one segment
///
/// Each forward segment comes with `vjp`, a trace of the same ops plus
/// sum(output_k * cotangent_k) as its loss, whose backward() ember-autodiff
/// derives: the segment's forward runs again inside it (the simple
/// rematerialization: nothing is saved between forward and backward but
/// the segment's inputs). Random draws repeat exactly (they read the same
/// call-level offsets). Inputs the segment writes in place are copied
/// before its forward, so its VJP sees them as the forward did.
struct BackwardPiece {
  enum class Kind { Compiled, Function };
  Kind kind = Kind::Compiled;
  /// Compiled: the forward segment (inputs, outputs, exe).
  SplitStep step;
  /// Compiled: the gradient function. Its arguments are the segment's
  /// inputs, then one cotangent per `cotangent_of` (parent ids of the
  /// differentiable outputs); compiled, it returns one gradient per
  /// argument (undefined where none).
  Trace vjp;
  std::vector<int64_t> cotangent_of;
  std::unique_ptr<Executable> vjp_exe;
  /// Compiled: positions in step.inputs the segment writes in place.
  std::vector<size_t> written;
  /// Function: the index into Trace::custom_calls.
  int64_t call = -1;
};
struct BackwardSplit {
  std::vector<BackwardPiece> forward;
  /// The ops after backward() as one compiled segment (its exe), if any.
  std::optional<SplitStep> after;
};

/// Plans the cut, or returns no plan with `why` (backward() then compiles
/// only as a whole: every op but the Functions' must lower, there are no
/// item() reads, and every Function has a replay).
std::optional<BackwardSplit>
plan_backward_split(const Trace &trace, const std::vector<bool> &compilable,
                    const std::vector<std::string> &reasons, std::string &why);

/// Runs the plan (every piece compiled) on the trace's arguments; .grad
/// and argument updates are written as a compiled whole step writes them.
std::unique_ptr<Executable> make_backward_split_executable(const Trace &trace,
                                                           BackwardSplit plan);

/// One line per step, for EMBER_LOG=splits.
std::string describe_split(const Trace &trace,
                           const std::vector<SplitStep> &steps);

} // namespace ember::jit::detail

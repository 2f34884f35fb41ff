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

/// One line per step, for EMBER_LOG=splits.
std::string describe_split(const Trace &trace,
                           const std::vector<SplitStep> &steps);

} // namespace ember::jit::detail

// Split plans: a trace cut into compiled segments, eager ops and item()
// guards (see ember/jit/split.h).
#include "ember/jit/split.h"

#include "ember/random.h"
#include "ember/random_replay.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

namespace ember::jit::detail {

namespace {

std::string where(const std::string &file, uint32_t line, uint32_t column) {
  if (file.empty())
    return "an unknown location";
  auto slash = file.rfind('/');
  return ember::detail::str_cat(
      slash == std::string::npos ? file : file.substr(slash + 1), ":", line,
      ":", column);
}

bool is_argument(const TracedValue &v) {
  return v.kind != ValueKind::Result && v.kind != ValueKind::Constant;
}

// item() guard: the same kind and value (NaN matches NaN).
bool same_scalar(const Scalar &a, const Scalar &b) {
  if (a.is_floating_point() != b.is_floating_point() ||
      a.is_bool() != b.is_bool())
    return false;
  if (a.is_floating_point()) {
    double x = a.to_double(), y = b.to_double();
    return x == y || (std::isnan(x) && std::isnan(y));
  }
  return a.to_long() == b.to_long();
}

} // namespace

std::string op_where(const TracedOp &op) {
  return ember::detail::str_cat("ember.", op_name(op.op), " at ",
                                where(op.file, op.line, op.column));
}

void build_segment(const Trace &parent, SplitStep &step,
                   const std::vector<int64_t> &ops, int64_t step_index,
                   const std::vector<int64_t> &last_use,
                   const std::vector<bool> &is_output) {
  Trace &seg = step.segment;
  seg.name = ember::detail::str_cat(parent.name, "_part", step_index);
  std::map<int64_t, int64_t> local; // parent id -> segment id
  auto add = [&](int64_t id, ValueKind kind) {
    TracedValue v = parent.values[id];
    v.kind = kind;
    v.producer = v.output_index = -1;
    if (kind != ValueKind::Constant)
      v.tensor = Tensor();
    if (kind == ValueKind::Input) {
      v.arg_index = static_cast<int64_t>(seg.arguments.size());
      if (v.name.empty())
        v.name = ember::detail::str_cat("v", id);
    }
    int64_t local_id = static_cast<int64_t>(seg.values.size());
    seg.values.push_back(std::move(v));
    local[id] = local_id;
    if (kind == ValueKind::Input) {
      seg.arguments.push_back(local_id);
      step.inputs.push_back(id);
    }
    return local_id;
  };
  for (int64_t i : ops) {
    const TracedOp &op = parent.ops[i];
    TracedOp copy = op;
    // A segment never differentiates: a custom Function's forward ops are
    // ordinary ops there (Trace::custom_calls stays the parent's).
    copy.custom_call = -1;
    for (int64_t &in : copy.inputs) {
      if (in < 0)
        continue;
      auto it = local.find(in);
      if (it != local.end()) {
        in = it->second;
        continue;
      }
      in = add(in, parent.values[in].kind == ValueKind::Constant
                       ? ValueKind::Constant
                       : ValueKind::Input);
    }
    // A draw's first reserved block and seed come in like any input.
    for (int64_t &id : copy.rng) {
      if (id < 0)
        continue;
      auto it = local.find(id);
      id = it != local.end() ? it->second : add(id, ValueKind::Input);
    }
    for (size_t k = 0; k < copy.outputs.size(); ++k) {
      int64_t id = copy.outputs[k];
      int64_t local_id = add(id, ValueKind::Result);
      seg.values[local_id].producer = static_cast<int64_t>(seg.ops.size());
      seg.values[local_id].output_index = static_cast<int64_t>(k);
      copy.outputs[k] = local_id;
    }
    seg.ops.push_back(std::move(copy));
  }
  // Results: what later steps or the caller use.
  for (int64_t i : ops)
    for (int64_t id : parent.ops[i].outputs)
      if (is_output[id] || last_use[id] > step_index) {
        seg.outputs.push_back(local.at(id));
        step.outputs.push_back(id);
      }
}

bool check_inplace_steps(const Trace &trace,
                         const std::vector<int64_t> &step_of_op,
                         std::vector<bool> &step_writes_argument,
                         std::string &why) {
  // Which step made each value (-1: an argument or a constant).
  std::vector<int64_t> step_of(trace.values.size(), -1);
  for (size_t id = 0; id < trace.values.size(); ++id)
    if (trace.values[id].producer >= 0)
      step_of[id] = step_of_op[trace.values[id].producer];
  std::map<int64_t, std::vector<int64_t>> group; // storage id -> values
  for (size_t id = 0; id < trace.values.size(); ++id)
    group[trace.values[id].storage_id].push_back(static_cast<int64_t>(id));
  for (size_t i = 0; i < trace.ops.size(); ++i) {
    const TracedOp &op = trace.ops[i];
    if (!has_flag(op_info(op.op).flags, OpFlag::Inplace) || op.inputs.empty() ||
        op.inputs[0] < 0)
      continue;
    int64_t storage = trace.values[op.inputs[0]].storage_id;
    std::set<int64_t> producers;
    for (int64_t id : group[storage]) {
      const TracedValue &v = trace.values[id];
      if (v.kind == ValueKind::Constant) {
        why = ember::detail::str_cat(
            op_where(op), " writes in place into a constant folded into the "
                          "trace, which a split cannot repeat");
        return false;
      }
      if (is_argument(v))
        step_writes_argument[step_of_op[i]] = true;
      else
        producers.insert(step_of[id]);
    }
    if (producers.size() > 1) {
      why = ember::detail::str_cat(
          op_where(op),
          " writes in place into memory that is also viewed by another piece "
          "of the split; the pieces would see different copies");
      return false;
    }
  }
  return true;
}

std::vector<Tensor> initial_values(const Trace &trace,
                                   const TensorList &arguments) {
  EMBER_CHECK(arguments.size() == trace.arguments.size(), "jit::compile", "'",
              trace.name, "' takes ", trace.arguments.size(),
              " arguments, got ", arguments.size());
  std::vector<Tensor> env(trace.values.size());
  for (size_t i = 0; i < arguments.size(); ++i)
    env[trace.arguments[i]] = arguments[i];
  for (size_t id = 0; id < trace.values.size(); ++id)
    if (trace.values[id].kind == ValueKind::Constant)
      env[id] = trace.values[id].tensor;
  return env;
}

void run_segment(SplitStep &step, std::vector<Tensor> &env) {
  TensorList in;
  for (int64_t id : step.inputs)
    in.push_back(env[id]);
  TensorList out = step.exe->run(in);
  for (size_t k = 0; k < step.outputs.size(); ++k)
    env[step.outputs[k]] = std::move(out.at(k));
}

namespace {

class SplitExecutable : public Executable {
public:
  SplitExecutable(const Trace &trace, std::vector<SplitStep> steps)
      : trace_(trace), steps_(std::move(steps)) {
    // Free each intermediate after the last step that uses it.
    drop_after_.resize(steps_.size());
    std::vector<int64_t> last(trace_.values.size(), -1);
    auto use = [&](int64_t id, int64_t s) {
      if (id >= 0)
        last[id] = std::max(last[id], s);
    };
    for (size_t s = 0; s < steps_.size(); ++s) {
      const SplitStep &st = steps_[s];
      const auto si = static_cast<int64_t>(s);
      if (st.kind == SplitStep::Kind::Compiled)
        for (int64_t id : st.inputs)
          use(id, si);
      else if (st.kind == SplitStep::Kind::Eager)
        for (int64_t id : trace_.ops[st.index].inputs)
          use(id, si);
      else
        use(trace_.data_reads[st.index].value, si);
    }
    std::set<int64_t> keep(trace_.outputs.begin(), trace_.outputs.end());
    for (size_t id = 0; id < last.size(); ++id)
      if (last[id] >= 0 && trace_.values[id].kind == ValueKind::Result &&
          !keep.count(static_cast<int64_t>(id)))
        drop_after_[last[id]].push_back(static_cast<int64_t>(id));
  }

  TensorList run(const TensorList &arguments) override {
    std::vector<Tensor> env = initial_values(trace_, arguments);
    TensorList in;
    for (size_t s = 0; s < steps_.size(); ++s) {
      SplitStep &st = steps_[s];
      in.clear();
      switch (st.kind) {
      case SplitStep::Kind::Compiled:
        run_segment(st, env);
        break;
      case SplitStep::Kind::Eager: {
        const TracedOp &op = trace_.ops[st.index];
        for (int64_t id : op.inputs)
          in.push_back(id >= 0 ? env[id] : Tensor());
        // Random ops draw anew from the default generator, as the eager
        // call would: at their offset in the blocks the call reserved
        // (rng_offset, read when the call began), so compiled and eager
        // draws of one call take the blocks an eager call would; the
        // others replay their recorded attributes.
        Attrs attrs = op.attrs;
        if (op.rng[0] >= 0) {
          auto read = [&](int k) {
            return static_cast<uint64_t>(env[op.rng[k]].item<double>());
          };
          attrs.set("offset", static_cast<int64_t>(read(0) + op.rng_offset));
          attrs.set("seed", static_cast<int64_t>(read(1) | read(2) << 32));
        } else if (op.random_blocks > 0)
          attrs = ember::detail::redraw_from_default_generator(
              op.op, op.attrs, op.random_blocks);
        TensorList out =
            dispatch(op.op, std::span<const Tensor>(in), attrs, Loc::current());
        for (size_t k = 0; k < op.outputs.size(); ++k)
          env[op.outputs[k]] = std::move(out.at(k));
        break;
      }
      case SplitStep::Kind::Read: {
        const DataRead &r = trace_.data_reads[st.index];
        Scalar got = env[r.value].item();
        if (!same_scalar(got, r.read))
          throw ReadGuardMismatch(ember::detail::str_cat(
              "item() at ", where(r.file, r.line, r.column), " read ", got,
              ", the trace read ", r.read));
        break;
      }
      }
      for (int64_t id : drop_after_[s])
        env[id] = Tensor();
    }
    TensorList out;
    for (int64_t id : trace_.outputs)
      out.push_back(env[id]);
    return out;
  }

  std::string describe() const override {
    return describe_split(trace_, steps_);
  }

private:
  Trace trace_;
  std::vector<SplitStep> steps_;
  std::vector<std::vector<int64_t>> drop_after_;
};

} // namespace

std::optional<std::vector<SplitStep>>
plan_split(const Trace &trace, const std::vector<bool> &compilable,
           std::string &why) {
  EMBER_CHECK(compilable.size() == trace.ops.size(), "jit::compile",
              "split plan: ", compilable.size(), " marks for ",
              trace.ops.size(), " ops");
  // The step of each op and read, in program order.
  std::vector<SplitStep> steps;
  std::vector<std::vector<int64_t>> segment_ops;
  std::vector<int64_t> step_of_op(trace.ops.size(), -1);
  std::vector<int64_t> step_of_read(trace.data_reads.size(), -1);
  bool open_segment = false;
  auto new_step = [&](SplitStep::Kind kind, int64_t index) {
    steps.emplace_back();
    steps.back().kind = kind;
    steps.back().index = index;
    segment_ops.emplace_back();
    open_segment = kind == SplitStep::Kind::Compiled;
    return static_cast<int64_t>(steps.size()) - 1;
  };
  size_t next_read = 0;
  auto emit_reads = [&](int64_t position) {
    while (next_read < trace.data_reads.size() &&
           trace.data_reads[next_read].after_ops <= position) {
      step_of_read[next_read] =
          new_step(SplitStep::Kind::Read, static_cast<int64_t>(next_read));
      ++next_read;
    }
  };
  for (size_t i = 0; i < trace.ops.size(); ++i) {
    emit_reads(static_cast<int64_t>(i));
    if (trace.ops[i].own_generator) {
      why = ember::detail::str_cat(
          op_where(trace.ops[i]),
          " draws from a Generator passed to it, which a replay cannot "
          "reach (use the default generator, or a DefaultGeneratorGuard)");
      return std::nullopt;
    }
    if (!compilable[i]) {
      step_of_op[i] = new_step(SplitStep::Kind::Eager, static_cast<int64_t>(i));
      continue;
    }
    if (!open_segment)
      new_step(SplitStep::Kind::Compiled, -1);
    step_of_op[i] = static_cast<int64_t>(steps.size()) - 1;
    segment_ops.back().push_back(static_cast<int64_t>(i));
  }
  emit_reads(static_cast<int64_t>(trace.ops.size()));

  // Memory written in place must live in one step: a compiled segment
  // returns copies, so a write in one step would not reach an alias made
  // in another.
  std::vector<bool> step_writes_argument(steps.size(), false);
  if (!check_inplace_steps(trace, step_of_op, step_writes_argument, why))
    return std::nullopt;
  // A failed item() guard reruns the function from the start: nothing
  // before a read may update an argument or draw random numbers.
  for (size_t s = 0; s < steps.size(); ++s) {
    if (steps[s].kind != SplitStep::Kind::Read)
      continue;
    const DataRead &r = trace.data_reads[steps[s].index];
    for (size_t p = 0; p < s; ++p) {
      bool random =
          steps[p].kind == SplitStep::Kind::Eager &&
          has_flag(op_info(trace.ops[steps[p].index].op).flags, OpFlag::Random);
      if (step_writes_argument[p] || random) {
        why = ember::detail::str_cat(
            "item() at ", where(r.file, r.line, r.column), " comes after ",
            random ? "a random op" : "an in-place update of an argument",
            ", which a rerun after a changed value would repeat");
        return std::nullopt;
      }
    }
  }

  // Uses after each step.
  std::vector<int64_t> last_use(trace.values.size(), -1);
  for (size_t i = 0; i < trace.ops.size(); ++i)
    for (int64_t id : trace.ops[i].inputs)
      if (id >= 0)
        last_use[id] = std::max(last_use[id], step_of_op[i]);
  for (size_t r = 0; r < trace.data_reads.size(); ++r) {
    int64_t id = trace.data_reads[r].value;
    last_use[id] = std::max(last_use[id], step_of_read[r]);
  }
  std::vector<bool> is_output(trace.values.size(), false);
  for (int64_t id : trace.outputs)
    is_output[id] = true;

  std::vector<SplitStep> kept;
  for (size_t s = 0; s < steps.size(); ++s) {
    SplitStep &st = steps[s];
    if (st.kind == SplitStep::Kind::Compiled) {
      build_segment(trace, st, segment_ops[s], static_cast<int64_t>(s),
                    last_use, is_output);
      // Dead code without writes does nothing.
      if (st.outputs.empty() && !step_writes_argument[s])
        continue;
    }
    kept.push_back(std::move(st));
  }
  return kept;
}

std::unique_ptr<Executable>
make_split_executable(const Trace &trace, std::vector<SplitStep> steps) {
  for (const SplitStep &st : steps)
    EMBER_CHECK(st.kind != SplitStep::Kind::Compiled || st.exe, "jit::compile",
                "'", trace.name, "': a compiled segment has no executable");
  return std::make_unique<SplitExecutable>(trace, std::move(steps));
}

std::string describe_split(const Trace &trace,
                           const std::vector<SplitStep> &steps) {
  std::ostringstream os;
  for (const SplitStep &st : steps) {
    os << "\n    ";
    switch (st.kind) {
    case SplitStep::Kind::Compiled:
      os << "compiled " << st.segment.name << ": " << st.segment.ops.size()
         << " ops, " << st.inputs.size() << " inputs, " << st.outputs.size()
         << " outputs";
      break;
    case SplitStep::Kind::Eager:
      os << "eager    " << op_where(trace.ops[st.index]);
      if (!st.reason.empty())
        os << " (" << st.reason << ")";
      break;
    case SplitStep::Kind::Read: {
      const DataRead &r = trace.data_reads[st.index];
      os << "guard    item() at " << where(r.file, r.line, r.column)
         << " == " << r.read;
      break;
    }
    }
  }
  return os.str();
}

} // namespace ember::jit::detail

// Training steps cut at custom autograd::Functions whose backward is not
// ember ops (ember/jit/split.h, BackwardSplit): compiled forward segments
// with compiled VJPs, the Functions run eagerly with their own nodes, the
// reverse sweep between them done here, the optimizer compiled.
#include "ember/jit/split.h"

#include "ember/autograd/grad_mode.h"
#include "ember/autograd/node.h"
#include "ember/factory.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace ember::jit::detail {

namespace {

std::vector<int64_t> contiguous_strides(const std::vector<int64_t> &sizes) {
  std::vector<int64_t> strides(sizes.size());
  int64_t s = 1;
  for (size_t d = sizes.size(); d-- > 0;) {
    strides[d] = s;
    s *= std::max<int64_t>(sizes[d], 1);
  }
  return strides;
}

bool differentiable(const TracedValue &v) {
  return v.requires_grad && is_floating_point(v.dtype);
}

// piece.vjp: the segment's ops, then sum_k sum(out_k * cotangent_k) as the
// loss of a backward() (see BackwardPiece).
void build_vjp(const Trace &parent, BackwardPiece &piece) {
  const SplitStep &st = piece.step;
  Trace v = st.segment;
  v.name = st.segment.name + "_vjp";
  int64_t storage = 0;
  for (const TracedValue &x : v.values)
    storage = std::max(storage, x.storage_id + 1);
  auto add_value = [&](const TracedValue &like, ValueKind kind,
                       std::vector<int64_t> sizes) {
    TracedValue x;
    x.kind = kind;
    x.strides = contiguous_strides(sizes);
    x.sizes = std::move(sizes);
    x.dtype = like.dtype;
    x.device = like.device;
    x.requires_grad = kind == ValueKind::Result;
    x.has_history = x.requires_grad;
    x.storage_id = storage++;
    v.values.push_back(std::move(x));
    return static_cast<int64_t>(v.values.size()) - 1;
  };
  auto add_op = [&](OpId op, Attrs attrs, std::vector<int64_t> inputs,
                    const TracedValue &like, std::vector<int64_t> sizes) {
    int64_t out = add_value(like, ValueKind::Result, std::move(sizes));
    v.values[out].producer = static_cast<int64_t>(v.ops.size());
    v.values[out].output_index = 0;
    TracedOp t;
    t.op = op;
    t.attrs = std::move(attrs);
    t.inputs = std::move(inputs);
    t.outputs = {out};
    t.function = "vjp seed";
    v.ops.push_back(std::move(t));
    return out;
  };
  int64_t root = -1;
  for (size_t k = 0; k < st.outputs.size(); ++k) {
    const TracedValue &pv = parent.values[st.outputs[k]];
    if (!differentiable(pv))
      continue;
    int64_t c = add_value(pv, ValueKind::Input, pv.sizes);
    v.values[c].name = ember::detail::str_cat("cotangent", k);
    v.values[c].arg_index = static_cast<int64_t>(v.arguments.size());
    v.arguments.push_back(c);
    piece.cotangent_of.push_back(st.outputs[k]);
    int64_t m = add_op(OpId::mul, {}, {st.segment.outputs[k], c}, pv, pv.sizes);
    int64_t s = add_op(OpId::sum,
                       {{"dims", std::vector<int64_t>{}}, {"keepdim", false}},
                       {m}, pv, {});
    root = root < 0
               ? s
               : add_op(OpId::add, {{"alpha", Scalar(1)}}, {root, s}, pv, {});
  }
  if (root < 0)
    return; // no output on a gradient path: nothing to differentiate
  v.outputs.clear();
  v.data_reads.clear();
  v.custom_calls.clear();
  v.host_guards.clear();
  v.backward =
      BackwardRequest{root, static_cast<int64_t>(v.ops.size()), {}, {}, {}};
  piece.vjp = std::move(v);
}

class BackwardSplitExecutable : public Executable {
public:
  BackwardSplitExecutable(const Trace &trace, BackwardSplit plan)
      : trace_(trace), plan_(std::move(plan)) {}

  TensorList run(const TensorList &arguments) override {
    std::vector<Tensor> env = initial_values(trace_, arguments);

    // Forward: what each piece's backward needs is kept (the compiled
    // segments' inputs, the Functions' graphs).
    struct Kept {
      TensorList inputs, outputs;
    };
    std::vector<Kept> kept(plan_.forward.size());
    for (size_t s = 0; s < plan_.forward.size(); ++s) {
      BackwardPiece &p = plan_.forward[s];
      Kept &k = kept[s];
      if (p.kind == BackwardPiece::Kind::Compiled) {
        if (p.vjp_exe) {
          // Its VJP runs the forward again on the inputs as they are now.
          NoGradGuard no_grad;
          for (int64_t id : p.step.inputs)
            k.inputs.push_back(env[id]);
          for (size_t pos : p.written)
            k.inputs[pos] = k.inputs[pos].clone();
        }
        run_segment(p.step, env);
        continue;
      }
      const CustomFunctionCall &c = call(p);
      for (int64_t id : c.inputs) {
        Tensor t = id >= 0 ? env[id] : Tensor();
        if (t.defined()) {
          t = t.detach();
          if (differentiable(trace_.values[id]))
            t.requires_grad_(true);
        }
        k.inputs.push_back(t);
      }
      {
        AutoGradMode record(true);
        k.outputs = c.replay(k.inputs);
      }
      EMBER_CHECK(k.outputs.size() == c.outputs.size(), "jit::compile", "'",
                  trace_.name, "': the custom autograd::Function ", c.name,
                  " returned ", k.outputs.size(), " tensors when replayed, ",
                  c.outputs.size(), " when traced");
      for (size_t j = 0; j < c.outputs.size(); ++j)
        env[c.outputs[j]] = k.outputs[j].detach();
    }

    // Backward: cotangents from the loss back through the pieces.
    std::vector<Tensor> cot(trace_.values.size());
    auto accumulate = [&](int64_t id, const Tensor &g) {
      if (id < 0 || !g.defined())
        return;
      cot[id] = cot[id].defined() ? cot[id] + g : g;
    };
    {
      NoGradGuard no_grad;
      const int64_t root = trace_.backward->root;
      cot[root] = ones_like(env[root]);
      for (size_t s = plan_.forward.size(); s-- > 0;) {
        BackwardPiece &p = plan_.forward[s];
        Kept &k = kept[s];
        if (p.kind == BackwardPiece::Kind::Compiled) {
          if (!p.vjp_exe ||
              std::none_of(p.cotangent_of.begin(), p.cotangent_of.end(),
                           [&](int64_t id) { return cot[id].defined(); }))
            continue;
          TensorList in = std::move(k.inputs);
          for (int64_t id : p.cotangent_of)
            in.push_back(cot[id].defined() ? cot[id] : zeros_like(env[id]));
          TensorList g = p.vjp_exe->run(in);
          for (size_t j = 0; j < p.step.inputs.size(); ++j)
            accumulate(p.step.inputs[j], g.at(j));
          continue;
        }
        const CustomFunctionCall &c = call(p);
        TensorList outs, grads, wrt;
        std::vector<int64_t> wrt_ids;
        for (size_t j = 0; j < c.outputs.size(); ++j)
          if (cot[c.outputs[j]].defined() && k.outputs[j].requires_grad()) {
            outs.push_back(k.outputs[j]);
            grads.push_back(cot[c.outputs[j]]);
          }
        for (size_t j = 0; j < c.inputs.size(); ++j)
          if (k.inputs[j].defined() && k.inputs[j].requires_grad()) {
            wrt.push_back(k.inputs[j]);
            wrt_ids.push_back(c.inputs[j]);
          }
        if (outs.empty() || wrt.empty())
          continue;
        TensorList g = autograd::grad(outs, wrt, grads, false, false, true);
        for (size_t j = 0; j < wrt_ids.size(); ++j)
          accumulate(wrt_ids[j], g.at(j));
        k = Kept{};
      }
      // What backward() computed, for the ops after it.
      for (size_t id = 0; id < trace_.values.size(); ++id) {
        const TracedValue &v = trace_.values[id];
        if (v.kind == ValueKind::Gradient)
          env[id] = cot[v.grad_of].defined() ? cot[v.grad_of]
                                             : zeros_like(env[v.grad_of]);
      }
    }

    if (plan_.after)
      run_segment(*plan_.after, env);

    // .grad as a compiled whole step leaves it (JitExecutable): added, or
    // set where backward() found none or the function reset it; left to
    // the trace's own ops where it records the accumulation.
    NoGradGuard no_grad;
    const BackwardRequest &bw = *trace_.backward;
    auto has = [](const std::vector<int64_t> &ids, int64_t id) {
      return std::find(ids.begin(), ids.end(), id) != ids.end();
    };
    for (size_t i = 0; i < arguments.size(); ++i) {
      const int64_t id = trace_.arguments[i];
      if (!differentiable(trace_.values[id]) || !cot[id].defined() ||
          has(bw.accumulated, id))
        continue;
      Tensor target = arguments[i];
      Tensor &grad = target.mutable_grad();
      if (has(bw.reset, id) || !grad.defined())
        grad = cot[id];
      else
        grad.add_(cot[id]);
    }
    TensorList out;
    for (int64_t id : trace_.outputs)
      out.push_back(env[id]);
    return out;
  }

  std::string describe() const override {
    std::ostringstream os;
    for (const BackwardPiece &p : plan_.forward) {
      os << "\n    ";
      if (p.kind == BackwardPiece::Kind::Compiled) {
        os << "compiled " << p.step.segment.name << ": "
           << p.step.segment.ops.size() << " ops, " << p.step.inputs.size()
           << " inputs, " << p.step.outputs.size() << " outputs"
           << (p.vjp_exe ? ", and its VJP (ember-autodiff)" : "");
      } else {
        const CustomFunctionCall &c = call(p);
        os << "eager    custom autograd::Function " << c.name
           << " (forward and backward; " << c.not_traceable << ")";
      }
    }
    os << "\n    backward from the loss through the pieces above, in reverse";
    if (plan_.after)
      os << "\n    compiled " << plan_.after->segment.name << ": "
         << plan_.after->segment.ops.size()
         << " ops after backward(), reading its gradients";
    return os.str();
  }

private:
  const CustomFunctionCall &call(const BackwardPiece &p) const {
    return trace_.custom_calls.at(static_cast<size_t>(p.call));
  }

  Trace trace_;
  BackwardSplit plan_;
};

} // namespace

std::optional<BackwardSplit>
plan_backward_split(const Trace &trace, const std::vector<bool> &compilable,
                    const std::vector<std::string> &reasons, std::string &why) {
  EMBER_CHECK(trace.backward.has_value() &&
                  compilable.size() == trace.ops.size() &&
                  reasons.size() == trace.ops.size(),
              "jit::compile", "backward split plan: a trace with ",
              trace.ops.size(), " ops and ", compilable.size(), " marks");
  const auto n = static_cast<int64_t>(trace.ops.size());
  const int64_t after_ops = trace.backward->after_ops;
  auto refuse = [&](const std::string &reason) {
    why = "its backward() compiles only as a whole, and " + reason;
    return std::nullopt;
  };
  // (Reads inside backward() are the eager Functions' own.)
  for (const DataRead &r : trace.data_reads)
    if (!r.in_backward)
      return refuse("it reads data with item()");

  // Each op's Function application (-1: none).
  std::vector<int64_t> call_of(trace.ops.size(), -1);
  for (size_t k = 0; k < trace.custom_calls.size(); ++k) {
    const CustomFunctionCall &c = trace.custom_calls[k];
    if (c.end_op > after_ops)
      return refuse(ember::detail::str_cat("the custom autograd::Function ",
                                           c.name, " runs after backward()"));
    if (!c.replay || c.outputs.empty())
      return refuse(ember::detail::str_cat(
          "the custom autograd::Function ", c.name,
          " cannot be run again on other tensors (",
          c.not_traceable.empty() ? std::string("its arguments do not copy")
                                  : c.not_traceable,
          ")"));
    for (int64_t i = c.first_op; i < c.end_op; ++i)
      call_of[static_cast<size_t>(i)] = static_cast<int64_t>(k);
  }
  for (int64_t i = 0; i < n; ++i)
    if (call_of[static_cast<size_t>(i)] < 0 &&
        !compilable[static_cast<size_t>(i)])
      return refuse(
          ember::detail::str_cat(op_where(trace.ops[i]), ": ", reasons[i]));

  // The pieces before backward(), then the ops after it.
  BackwardSplit plan;
  std::vector<std::vector<int64_t>> segment_ops;
  std::vector<int64_t> step_of_op(trace.ops.size(), -1);
  for (int64_t i = 0; i < after_ops;) {
    const int64_t k = call_of[static_cast<size_t>(i)];
    if (k >= 0) {
      plan.forward.emplace_back();
      plan.forward.back().kind = BackwardPiece::Kind::Function;
      plan.forward.back().call = k;
      segment_ops.emplace_back();
      const CustomFunctionCall &c = trace.custom_calls[static_cast<size_t>(k)];
      for (int64_t j = c.first_op; j < c.end_op; ++j)
        step_of_op[j] = static_cast<int64_t>(plan.forward.size()) - 1;
      i = c.end_op;
      continue;
    }
    if (plan.forward.empty() ||
        plan.forward.back().kind != BackwardPiece::Kind::Compiled) {
      plan.forward.emplace_back();
      segment_ops.emplace_back();
    }
    step_of_op[i] = static_cast<int64_t>(plan.forward.size()) - 1;
    segment_ops.back().push_back(i);
    ++i;
  }
  const auto after_step = static_cast<int64_t>(plan.forward.size());
  for (int64_t i = after_ops; i < n; ++i)
    step_of_op[i] = after_step;

  // A Function's forward is replayed as a whole: only its outputs may be
  // used outside it.
  auto inside_call = [&](int64_t id,
                         int64_t user_call) -> const CustomFunctionCall * {
    if (id < 0 || trace.values[id].producer < 0)
      return nullptr;
    const int64_t producer = trace.values[id].producer;
    const int64_t k = call_of[static_cast<size_t>(producer)];
    if (k < 0 || k == user_call)
      return nullptr;
    const CustomFunctionCall &c = trace.custom_calls[k];
    return std::find(c.outputs.begin(), c.outputs.end(), id) == c.outputs.end()
               ? &c
               : nullptr;
  };
  std::vector<int64_t> used(trace.outputs);
  used.push_back(trace.backward->root);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t id : trace.ops[i].inputs)
      if (const CustomFunctionCall *c = inside_call(id, call_of[i]))
        return refuse(
            ember::detail::str_cat(op_where(trace.ops[i]),
                                   " uses a tensor computed inside the custom "
                                   "autograd::Function ",
                                   c->name, " that it does not return"));
  for (int64_t id : used)
    if (const CustomFunctionCall *c = inside_call(id, -1))
      return refuse(ember::detail::str_cat(
          "the function returns a tensor computed inside the custom "
          "autograd::Function ",
          c->name, " that it does not return"));

  // Uses by step, for each segment's outputs.
  std::vector<int64_t> last_use(trace.values.size(), -1);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t id : trace.ops[i].inputs)
      if (id >= 0)
        last_use[id] = std::max(last_use[id], step_of_op[i]);
  for (size_t s = 0; s < plan.forward.size(); ++s)
    if (plan.forward[s].kind == BackwardPiece::Kind::Function)
      for (int64_t id :
           trace.custom_calls[static_cast<size_t>(plan.forward[s].call)].inputs)
        if (id >= 0)
          last_use[id] = std::max(last_use[id], static_cast<int64_t>(s));
  std::vector<bool> is_output(trace.values.size(), false);
  for (int64_t id : used)
    is_output[id] = true;

  // A piece hands on copies: memory written in place must not be seen
  // through a value that one piece made and another uses (the optimizer's
  // update of a weight whose transpose only its forward piece read is
  // fine: each piece's VJP runs before the update).
  std::map<int64_t, std::vector<int64_t>> group; // storage id -> values
  for (size_t id = 0; id < trace.values.size(); ++id)
    group[trace.values[id].storage_id].push_back(static_cast<int64_t>(id));
  for (int64_t i = 0; i < n; ++i) {
    const TracedOp &op = trace.ops[i];
    if (!has_flag(op_info(op.op).flags, OpFlag::Inplace) || op.inputs.empty() ||
        op.inputs[0] < 0)
      continue;
    for (int64_t id : group[trace.values[op.inputs[0]].storage_id]) {
      const TracedValue &v = trace.values[id];
      if (v.kind == ValueKind::Constant)
        return refuse(ember::detail::str_cat(
            op_where(op), " writes in place into a constant folded into the "
                          "trace"));
      if (v.producer < 0)
        continue;
      const int64_t made = step_of_op[v.producer];
      if (made != step_of_op[i] && (is_output[id] || last_use[id] > made))
        return refuse(ember::detail::str_cat(
            op_where(op), " writes in place into memory that another piece of "
                          "the split sees through a copy"));
    }
  }

  for (size_t s = 0; s < plan.forward.size(); ++s) {
    BackwardPiece &p = plan.forward[s];
    if (p.kind != BackwardPiece::Kind::Compiled)
      continue;
    build_segment(trace, p.step, segment_ops[s], static_cast<int64_t>(s),
                  last_use, is_output);
    std::set<int64_t> written_storage;
    for (int64_t i : segment_ops[s]) {
      const TracedOp &op = trace.ops[i];
      if (has_flag(op_info(op.op).flags, OpFlag::Inplace) &&
          !op.inputs.empty() && op.inputs[0] >= 0)
        written_storage.insert(trace.values[op.inputs[0]].storage_id);
    }
    for (size_t j = 0; j < p.step.inputs.size(); ++j)
      if (written_storage.count(trace.values[p.step.inputs[j]].storage_id))
        p.written.push_back(j);
    build_vjp(trace, p);
  }
  if (after_ops < n) {
    std::vector<int64_t> ops;
    for (int64_t i = after_ops; i < n; ++i)
      ops.push_back(i);
    plan.after.emplace();
    plan.after->kind = SplitStep::Kind::Compiled;
    build_segment(trace, *plan.after, ops, after_step, last_use, is_output);
  }
  return plan;
}

std::unique_ptr<Executable> make_backward_split_executable(const Trace &trace,
                                                           BackwardSplit plan) {
  for (const BackwardPiece &p : plan.forward)
    EMBER_CHECK(p.kind != BackwardPiece::Kind::Compiled ||
                    (p.step.exe && (p.cotangent_of.empty() || p.vjp_exe)),
                "jit::compile", "'", trace.name,
                "': a compiled piece has no executable");
  EMBER_CHECK(!plan.after || plan.after->exe, "jit::compile", "'", trace.name,
              "': the ops after backward() have no executable");
  return std::make_unique<BackwardSplitExecutable>(trace, std::move(plan));
}

} // namespace ember::jit::detail

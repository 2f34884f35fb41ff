// The tracer: a DispatchObserver that turns the ops a function runs into a
// jit::Trace (see ember/jit/trace.h).
#include "ember/jit/trace.h"

#include "ember/autograd/function.h"
#include "ember/autograd/grad_mode.h"
#include "ember/factory.h"
#include "ember/nn/module.h"
#include "ember/ops.h"
#include "ember/print.h"
#include "ember/random.h"
#include "ember/random_replay.h"

#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace ember::jit {

const char *to_string(ValueKind k) {
  switch (k) {
  case ValueKind::Input:
    return "input";
  case ValueKind::Parameter:
    return "parameter";
  case ValueKind::Buffer:
    return "buffer";
  case ValueKind::Constant:
    return "constant";
  case ValueKind::Lifted:
    return "lifted";
  case ValueKind::Result:
    return "result";
  case ValueKind::Grad:
    return "grad";
  case ValueKind::Gradient:
    return "gradient";
  case ValueKind::HostScalar:
    return "host_scalar";
  case ValueKind::Cotangent:
    return "cotangent";
  }
  return "?";
}

namespace {
// The innermost Tracer constructed on this thread (host_scalar & co.).
Tracer *&current_tracer() {
  thread_local Tracer *t = nullptr;
  return t;
}

// ember's own sources and its headers, in the tree or installed. The
// sources' root is taken from this file's own name, which the compiler
// spells as it spells every other frontend source (absolute, or relative
// when ccache's base_dir rewrites paths).
bool is_ember_source(std::string_view file) {
  static const std::string_view root = [] {
    std::string_view self = __FILE__;
    constexpr std::string_view tail = "src/jit/trace.cpp";
    return self.size() >= tail.size() &&
                   self.substr(self.size() - tail.size()) == tail
               ? self.substr(0, self.size() - tail.size())
               : std::string_view(EMBER_FRONTEND_SOURCE_DIR);
  }();
  return file.substr(0, root.size()) == root ||
         file.find("/include/ember/") != std::string_view::npos ||
         file.substr(0, 14) == "include/ember/";
}
} // namespace

struct Tracer::State {
  TraceOptions options;
  Trace trace;
  // The current value of each tensor the trace has seen. Holding the
  // tensors keeps their TensorImpls alive, so an address is never reused
  // for another tensor while tracing.
  std::unordered_map<const TensorImpl *, int64_t> value_of;
  std::vector<Tensor> keep_alive;
  std::vector<Tensor> keep_alive_extra; // aliases mapped onto a value
  std::map<const StorageImpl *, int64_t> storage_ids;
  // Named outside tensors: parameters and buffers of the given modules.
  std::unordered_map<const TensorImpl *, std::pair<ValueKind, std::string>>
      named;
  std::vector<int64_t> named_order; // argument order: module order
  std::unordered_map<const nn::Module *, std::string> module_paths;
  std::vector<int64_t> lifted;
  std::vector<std::string> custom_functions; // forwards running now
  // Custom Function applications (Trace::custom_calls): the one whose
  // forward runs now, the one whose forward just ended (its backward is
  // recorded next), the one whose backward is recorded now.
  int64_t open_call = -1, last_call = -1, recording = -1;
  int recording_engine = 0; // backward() inside a recorded backward
  int suspended = 0;        // the tracer's own ops (cotangents)
  int backward_depth = 0;   // inside the autograd engine
  // At backward() begin: each leaf argument's .grad (null: undefined).
  std::unordered_map<int64_t, const TensorImpl *> grad_before;
  // .grad tensors backward() accumulated into in place, with the argument
  // they belong to: a later read records the accumulation as an op.
  std::unordered_map<const TensorImpl *, int64_t> pending_accumulate;
  std::vector<int64_t> host_scalars;
  // The default generator's draws: the host scalars that give a compiled
  // call its first block and the seed (-1 before the first draw), the
  // trace-time offset and seed, and the blocks the call reserves in all.
  std::array<int64_t, 3> rng = {-1, -1, -1};
  uint64_t rng_base = 0, rng_seed = 0;
  std::shared_ptr<uint64_t> rng_total;
  // Parameters that had a .grad when the call began.
  std::unordered_set<const TensorImpl *> had_grad;
  int64_t placeholder_storage = int64_t{1} << 40;
  bool finished = false;
  Tracer *previous = nullptr; // the enclosing tracer of this thread

  // A draw from the default generator: compiled calls reserve the call's
  // blocks once (the host scalar "rng_offset" reads the first of them) and
  // draw at the same offsets relative to it as the traced call did, with
  // the generator's seed as it is then ("rng_seed_lo", "rng_seed_hi").
  void note_default_draw(TracedOp &op, uint64_t seed, uint64_t offset) {
    if (rng[0] < 0) {
      rng_base = offset;
      rng_seed = seed;
      rng_total = std::make_shared<uint64_t>(0);
      std::shared_ptr<uint64_t> total = rng_total;
      // Values standing for the traced call's; never operands of eager ops.
      auto add = [&](const char *name, double value,
                     std::function<double()> read) {
        int64_t id = add_value(scalar_to_tensor(value), ValueKind::HostScalar);
        trace.values[id].name = name;
        trace.values[id].read = std::move(read);
        host_scalars.push_back(id);
        return id;
      };
      rng[0] = add("rng_offset", static_cast<double>(offset), [total] {
        return static_cast<double>(default_generator().reserve(*total).second);
      });
      rng[1] = add("rng_seed_lo", static_cast<double>(seed & 0xffffffffu), [] {
        return static_cast<double>(default_generator().seed() & 0xffffffffu);
      });
      rng[2] = add("rng_seed_hi", static_cast<double>(seed >> 32), [] {
        return static_cast<double>(default_generator().seed() >> 32);
      });
    }
    if (seed != rng_seed) {
      if (trace.not_compilable.empty())
        trace.not_compilable = "it seeds the default generator again between "
                               "its random draws";
      return;
    }
    op.rng = rng;
    op.rng_offset = offset - rng_base;
    *rng_total = std::max(*rng_total, op.rng_offset + op.random_blocks);
  }

  // The application `k` stays eager, for the first reason found.
  void keep_eager(int64_t k, std::string why) {
    std::string &slot =
        trace.custom_calls[static_cast<size_t>(k)].not_traceable;
    if (slot.empty())
      slot = std::move(why);
  }

  // An application compiles only on its own values: its inputs, what its
  // forward computed, small constants (and, for the backward, its outputs,
  // the cotangents and what the backward computed). Anything else (a
  // tensor captured from outside) would escape ember-autodiff's view.
  void check_closed(int64_t k) {
    CustomFunctionCall &c = trace.custom_calls[static_cast<size_t>(k)];
    std::unordered_set<int64_t> known(c.inputs.begin(), c.inputs.end());
    auto uses_only_known = [&](const TracedOp &op) {
      for (int64_t in : op.inputs)
        if (in >= 0 && !known.count(in) &&
            trace.values[static_cast<size_t>(in)].kind != ValueKind::Constant)
          return false;
      known.insert(op.outputs.begin(), op.outputs.end());
      return true;
    };
    for (int64_t i = c.first_op; i < c.end_op; ++i)
      if (!uses_only_known(trace.ops[static_cast<size_t>(i)]))
        return keep_eager(k, "its forward uses a tensor that is not one of "
                             "its arguments (pass it to apply)");
    known.insert(c.cotangents.begin(), c.cotangents.end());
    for (const TracedOp &op : c.backward_ops)
      if (!uses_only_known(op))
        return keep_eager(k, "its backward uses a tensor that is neither a "
                             "saved tensor, an argument nor a gradient");
    for (int64_t g : c.input_grads)
      if (g >= 0 && !known.count(g) &&
          trace.values[static_cast<size_t>(g)].kind != ValueKind::Constant)
        return keep_eager(k, "its backward returns a tensor it did not "
                             "compute");
  }

  void refuse(std::string why) {
    if (trace.not_compilable.empty())
      trace.not_compilable = std::move(why);
  }

  int64_t storage_id(const Tensor &t) {
    const StorageImpl *s = t.unsafe_impl()->storage().get();
    auto [it, fresh] =
        storage_ids.emplace(s, static_cast<int64_t>(storage_ids.size()));
    (void)fresh;
    return it->second;
  }

  int64_t add_value(const Tensor &t, ValueKind kind) {
    TracedValue v;
    v.kind = kind;
    v.sizes = t.sizes().vec();
    v.strides = t.strides().vec();
    v.dtype = t.dtype();
    v.device = t.device();
    v.requires_grad = t.requires_grad();
    v.has_history = t.grad_fn() != nullptr;
    v.storage_id = storage_id(t);
    int64_t id = static_cast<int64_t>(trace.values.size());
    trace.values.push_back(std::move(v));
    value_of[t.unsafe_impl()] = id;
    keep_alive.push_back(t);
    return id;
  }

  // The gradient backward() computed for argument `arg`, as a placeholder
  // value the compiler fills.
  int64_t add_gradient(int64_t arg, const Tensor *like) {
    int64_t id;
    if (like) {
      id = add_value(*like, ValueKind::Gradient);
    } else {
      TracedValue v = trace.values[arg];
      v.kind = ValueKind::Gradient;
      v.storage_id = placeholder_storage++;
      v.name.clear();
      v.arg_index = -1;
      v.tensor = Tensor();
      id = static_cast<int64_t>(trace.values.size());
      trace.values.push_back(std::move(v));
      keep_alive.push_back(Tensor());
    }
    trace.values[id].requires_grad = false;
    trace.values[id].grad_of = arg;
    trace.values[id].name = trace.values[arg].name + ".grad";
    return id;
  }

  // A .grad that backward() accumulated into is read: record the
  // accumulation (its value before + the gradient) as the in-place op the
  // engine ran.
  void materialize_accumulation(const Tensor &t) {
    auto pending = pending_accumulate.find(t.unsafe_impl());
    if (pending == pending_accumulate.end())
      return;
    int64_t arg = pending->second;
    pending_accumulate.erase(pending);
    int64_t before = value_for_input(t);
    int64_t gradient = add_gradient(arg, nullptr);
    TracedOp op;
    op.op = OpId::add_;
    op.attrs = Attrs{{"alpha", Scalar(1)}};
    op.inputs = {before, gradient};
    int64_t id = add_value(t, ValueKind::Result);
    trace.values[id].producer = static_cast<int64_t>(trace.ops.size());
    trace.values[id].output_index = 0;
    op.outputs = {id};
    trace.ops.push_back(std::move(op));
    trace.backward->accumulated.push_back(arg);
  }

  // The value an op input refers to, classifying outside tensors.
  int64_t value_for_input(const Tensor &t) {
    materialize_accumulation(t);
    auto it = value_of.find(t.unsafe_impl());
    if (it != value_of.end())
      return it->second;
    if (auto n = named.find(t.unsafe_impl()); n != named.end()) {
      int64_t id = add_value(t, n->second.first);
      trace.values[id].name = n->second.second;
      return id;
    }
    // Another handle on memory the trace knows, made without an op
    // (detach()): the newest value over the same bytes, if any.
    if (auto known = storage_ids.find(t.unsafe_impl()->storage().get());
        known != storage_ids.end()) {
      for (size_t id = trace.values.size(); id-- > 0;) {
        const TracedValue &v = trace.values[id];
        const Tensor &u = keep_alive[id];
        if (v.storage_id != known->second || !u.defined() ||
            u.sizes() != t.sizes() || u.strides() != t.strides() ||
            u.storage_offset() != t.storage_offset() || u.dtype() != t.dtype())
          continue;
        value_of[t.unsafe_impl()] = static_cast<int64_t>(id);
        keep_alive_extra.push_back(t);
        return static_cast<int64_t>(id);
      }
    }
    if (t.numel() <= options.max_inline_constant) {
      int64_t id = add_value(t, ValueKind::Constant);
      NoGradGuard no_grad;
      trace.values[id].tensor = t.detach().clone();
      return id;
    }
    int64_t id = add_value(t, ValueKind::Lifted);
    trace.values[id].name = ember::detail::str_cat("lifted", lifted.size());
    trace.values[id].tensor = t;
    lifted.push_back(id);
    return id;
  }

  std::string module_path() const {
    const auto &stack = nn::module_call_stack();
    for (auto it = stack.rbegin(); it != stack.rend(); ++it)
      if (auto p = module_paths.find(it->module); p != module_paths.end())
        return p->second;
    return "";
  }

  // Where the user asked for the op: its own call site, unless that lies
  // inside ember (an nn module's forward, a composite), then the innermost
  // module call made from user code.
  // None when the call came through something that cannot take a location
  // (an operator such as a * b, called from user code outside any module):
  // better no location than one inside ember.
  static std::optional<std::source_location>
  user_location(const std::source_location &op) {
    if (!is_ember_source(op.file_name()))
      return op;
    const auto &stack = nn::module_call_stack();
    for (auto it = stack.rbegin(); it != stack.rend(); ++it)
      if (!is_ember_source(it->loc.file_name()))
        return it->loc;
    return std::nullopt;
  }
};

Tracer::Tracer(const TensorList &inputs, TraceOptions options)
    : s_(std::make_unique<State>()) {
  s_->options = std::move(options);
  s_->trace.name = s_->options.name;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Tensor &t = inputs[i];
    EMBER_CHECK(t.defined(), "jit::trace", "example input ", i,
                " is an undefined tensor");
    if (auto seen = s_->value_of.find(t.unsafe_impl());
        seen != s_->value_of.end())
      EMBER_FAIL("jit::trace", "example inputs ",
                 s_->trace.values[seen->second].arg_index, " and ", i,
                 " are the same tensor; pass it once and use it twice");
    int64_t id = s_->add_value(t, ValueKind::Input);
    s_->trace.values[id].name = ember::detail::str_cat("arg", i);
    s_->trace.values[id].arg_index = static_cast<int64_t>(i);
    s_->trace.arguments.push_back(id);
  }
  for (const auto &[prefix, module] : s_->options.modules) {
    EMBER_CHECK(module != nullptr, "jit::trace", "module '", prefix,
                "' is null");
    for (const auto &item : module->named_modules(prefix))
      s_->module_paths.emplace(item.value(), item.key());
    auto add = [&](const OrderedDict<Tensor> &d, ValueKind kind) {
      for (const auto &item : d)
        if (item.value().defined())
          s_->named.emplace(item.value().unsafe_impl(),
                            std::pair{kind, prefix.empty()
                                                ? item.key()
                                                : prefix + "." + item.key()});
    };
    add(module->named_parameters(), ValueKind::Parameter);
    add(module->named_buffers(), ValueKind::Buffer);
    // The parameters' .grad as the call finds them (an optimizer step
    // reads them; zero_grad() zeroes them in place).
    for (const auto &item : module->named_parameters())
      if (item.value().defined() && item.value().grad().defined() &&
          s_->had_grad.insert(item.value().unsafe_impl()).second &&
          // Held, so that no other tensor gets its address once
          // zero_grad() lets go of it.
          (s_->keep_alive_extra.push_back(item.value().grad()), true))
        s_->named.emplace(
            item.value().grad().unsafe_impl(),
            std::pair{
                ValueKind::Grad,
                (prefix.empty() ? item.key() : prefix + "." + item.key()) +
                    ".grad"});
  }
  s_->previous = current_tracer();
  current_tracer() = this;
}

Tracer::~Tracer() {
  if (current_tracer() == this)
    current_tracer() = s_->previous;
}

Tracer *Tracer::current() {
  Tracer *t = current_tracer();
  while (t && t->s_->finished)
    t = t->s_->previous;
  return t;
}

bool is_tracing() { return Tracer::current() != nullptr; }

} // namespace ember::jit

namespace ember::autograd::detail {

bool is_traced() { return jit::Tracer::current() != nullptr; }

bool begin_traced_backward(const std::vector<Tensor> &inputs,
                           const TensorList &outputs, TensorList &cotangents,
                           Replay replay) {
  jit::Tracer *t = jit::Tracer::current();
  return t && t->begin_custom_backward(inputs, outputs, cotangents,
                                       std::move(replay));
}

void end_traced_backward(const TensorList &grads, const std::string &error) {
  if (jit::Tracer *t = jit::Tracer::current())
    t->end_custom_backward(grads, error);
}

} // namespace ember::autograd::detail

namespace ember::jit {

Tensor Tracer::host_scalar(std::string name, std::function<double()> read) {
  State &s = *s_;
  Tensor t = scalar_to_tensor(read());
  int64_t id = s.add_value(t, ValueKind::HostScalar);
  s.trace.values[id].name = std::move(name);
  s.trace.values[id].read = std::move(read);
  s.host_scalars.push_back(id);
  return t;
}

void Tracer::not_compilable(std::string why, bool retry) {
  State &s = *s_;
  if (!s.trace.not_compilable.empty())
    return;
  s.trace.not_compilable = std::move(why);
  s.trace.retry = retry;
}

void Tracer::guard_host(std::string what, std::function<bool()> holds) {
  s_->trace.host_guards.push_back({std::move(what), std::move(holds)});
}

bool Tracer::is_named_argument(const Tensor &t) const {
  return t.defined() && s_->named.count(t.unsafe_impl()) > 0;
}

bool is_named_argument(const Tensor &t) {
  Tracer *tr = Tracer::current();
  return tr && tr->is_named_argument(t);
}

Tensor host_scalar(std::string name, std::function<double()> read) {
  EMBER_CHECK(static_cast<bool>(read), "jit::host_scalar", "'", name,
              "': the read function is empty");
  if (Tracer *t = Tracer::current())
    return t->host_scalar(std::move(name), std::move(read));
  return scalar_to_tensor(read());
}

void not_compilable(std::string why, bool retry) {
  if (Tracer *t = Tracer::current())
    t->not_compilable(std::move(why), retry);
}

void guard_host(std::string what, std::function<bool()> holds) {
  if (Tracer *t = Tracer::current())
    t->guard_host(std::move(what), std::move(holds));
}

void Tracer::on_op(const OpCall &call, const TensorList &outputs) {
  State &s = *s_;
  // The engine's ops are not the user's; the tracer's own are not either.
  if (s.finished || s.backward_depth > 0 || s.recording_engine > 0 ||
      s.suspended > 0)
    return;
  TracedOp op;
  op.op = call.op;
  op.attrs = call.attrs;
  for (const Tensor &t : call.inputs)
    op.inputs.push_back(t.defined() ? s.value_for_input(t) : -1);
  const auto flags = op_info(call.op).flags;
  if (s.recording >= 0) {
    // An op of a custom Function's backward: kept with its application.
    if (has_flag(flags, OpFlag::Inplace) || has_flag(flags, OpFlag::Random))
      s.keep_eager(s.recording, ember::detail::str_cat(
                                    "its backward runs ember.",
                                    op_name(call.op), " (in-place or random)"));
    for (size_t k = 0; k < outputs.size(); ++k) {
      int64_t id = s.add_value(outputs[k], ValueKind::Result);
      s.trace.values[id].output_index = static_cast<int64_t>(k);
      // Symbolic: never memory a compiled or split run shares.
      s.trace.values[id].storage_id = s.placeholder_storage++;
      op.outputs.push_back(id);
    }
    if (auto loc = State::user_location(call.loc)) {
      op.file = loc->file_name();
      op.line = loc->line();
      op.column = loc->column();
      op.function = loc->function_name();
    }
    op.module_path = s.module_path();
    s.trace.custom_calls[static_cast<size_t>(s.recording)]
        .backward_ops.push_back(std::move(op));
    return;
  }
  if (s.open_call >= 0 && has_flag(flags, OpFlag::Inplace))
    s.keep_eager(s.open_call,
                 ember::detail::str_cat("its forward runs ember.",
                                        op_name(call.op), " (in place)"));
  // A small outside tensor written in place (optimizer state of a bias)
  // cannot be a folded constant: the write must reach it on every call.
  if (has_flag(op_info(call.op).flags, OpFlag::Inplace) && !op.inputs.empty() &&
      op.inputs[0] >= 0 &&
      s.trace.values[op.inputs[0]].kind == ValueKind::Constant) {
    TracedValue &v = s.trace.values[op.inputs[0]];
    v.kind = ValueKind::Lifted;
    v.tensor = call.inputs[0];
    v.name = ember::detail::str_cat("lifted", s.lifted.size());
    s.lifted.push_back(op.inputs[0]);
  }
  int64_t index = static_cast<int64_t>(s.trace.ops.size());
  for (size_t k = 0; k < outputs.size(); ++k) {
    int64_t id = s.add_value(outputs[k], ValueKind::Result);
    s.trace.values[id].producer = index;
    s.trace.values[id].output_index = static_cast<int64_t>(k);
    op.outputs.push_back(id);
  }
  if (auto loc = State::user_location(call.loc)) {
    op.file = loc->file_name();
    op.line = loc->line();
    op.column = loc->column();
    op.function = loc->function_name();
  }
  op.module_path = s.module_path();
  if (!s.custom_functions.empty()) {
    op.custom_function = s.custom_functions.front();
    op.custom_call = s.open_call;
  }
  if (has_flag(op_info(call.op).flags, OpFlag::Random)) {
    op.random_blocks =
        ember::detail::random_op_blocks(call.op, call.inputs, outputs);
    // The default generator moved past exactly this draw, or another one
    // drew.
    const Generator &g = default_generator();
    const auto seed = static_cast<uint64_t>(call.attrs.get<int64_t>("seed"));
    const auto offset =
        static_cast<uint64_t>(call.attrs.get<int64_t>("offset"));
    op.own_generator =
        g.seed() != seed || g.offset() != offset + op.random_blocks;
    if (!op.own_generator)
      s.note_default_draw(op, seed, offset);
  }
  s.trace.ops.push_back(std::move(op));
}

void Tracer::on_data_read(const Tensor &t, Loc loc) {
  State &s = *s_;
  if (s.finished)
    return;
  if (s.recording >= 0) {
    // The backward depends on data: it cannot be one graph of ember ops.
    std::string at;
    if (auto l = State::user_location(loc))
      at = ember::detail::str_cat(" at ", l->file_name(), ":", l->line());
    return s.keep_eager(s.recording,
                        "its backward reads data with item()" + at);
  }
  DataRead read{s.value_for_input(t),
                "",
                0,
                0,
                Scalar(0),
                static_cast<int64_t>(s.trace.ops.size())};
  read.in_backward = s.backward_depth > 0;
  // Observers run nested, so this item() is not reported again.
  read.read = t.item();
  if (auto at = State::user_location(loc)) {
    read.file = at->file_name();
    read.line = at->line();
    read.column = at->column();
  }
  s.trace.data_reads.push_back(std::move(read));
}

void Tracer::on_custom_function(const std::string &name, bool begin) {
  State &s = *s_;
  if (s.finished)
    return;
  if (begin) {
    if (s.recording >= 0)
      s.keep_eager(s.recording,
                   "its backward applies the custom Function " + name);
    else if (s.custom_functions.empty() && s.backward_depth == 0) {
      CustomFunctionCall c;
      c.name = name;
      c.first_op = static_cast<int64_t>(s.trace.ops.size());
      s.open_call = static_cast<int64_t>(s.trace.custom_calls.size());
      s.trace.custom_calls.push_back(std::move(c));
    }
    s.custom_functions.push_back(name);
    return;
  }
  if (!s.custom_functions.empty())
    s.custom_functions.pop_back();
  if (s.custom_functions.empty() && s.open_call >= 0) {
    s.trace.custom_calls[static_cast<size_t>(s.open_call)].end_op =
        static_cast<int64_t>(s.trace.ops.size());
    s.last_call = s.open_call;
    s.open_call = -1;
  }
}

bool Tracer::begin_custom_backward(
    const std::vector<Tensor> &inputs, const TensorList &outputs,
    TensorList &cotangents,
    std::function<TensorList(const TensorList &)> replay) {
  State &s = *s_;
  if (s.finished || s.backward_depth > 0 || s.recording >= 0 ||
      !s.custom_functions.empty() || s.last_call < 0)
    return false;
  const int64_t k = s.last_call;
  s.last_call = -1;
  s.trace.custom_calls[static_cast<size_t>(k)].replay = std::move(replay);
  std::vector<int64_t> ins, outs;
  for (const Tensor &t : inputs)
    ins.push_back(t.defined() ? s.value_for_input(t) : -1);
  for (const Tensor &t : outputs) {
    if (!t.defined()) {
      s.keep_eager(k, "its forward returns an undefined tensor");
      return false;
    }
    int64_t id = s.value_for_input(t);
    const TracedValue &v = s.trace.values[static_cast<size_t>(id)];
    CustomFunctionCall &c = s.trace.custom_calls[static_cast<size_t>(k)];
    if (v.kind != ValueKind::Result || v.producer < c.first_op ||
        v.producer >= c.end_op) {
      s.keep_eager(k, "its forward returns a tensor it did not compute");
      return false;
    }
    // Recorded under the forward's no-grad mode: the output has the
    // Function's node now.
    s.trace.values[static_cast<size_t>(id)].requires_grad = t.requires_grad();
    s.trace.values[static_cast<size_t>(id)].has_history =
        t.grad_fn() != nullptr;
    outs.push_back(id);
  }
  CustomFunctionCall &c = s.trace.custom_calls[static_cast<size_t>(k)];
  c.inputs = std::move(ins);
  c.outputs = std::move(outs);
  {
    ++s.suspended;
    NoGradGuard no_grad;
    for (const Tensor &t : outputs)
      cotangents.push_back(ones_like(t));
    --s.suspended;
  }
  for (const Tensor &t : cotangents) {
    int64_t id = s.add_value(t, ValueKind::Cotangent);
    s.trace.values[static_cast<size_t>(id)].storage_id =
        s.placeholder_storage++;
    s.trace.custom_calls[static_cast<size_t>(k)].cotangents.push_back(id);
  }
  s.recording = k;
  return true;
}

void Tracer::end_custom_backward(const TensorList &grads,
                                 const std::string &error) {
  State &s = *s_;
  const int64_t k = s.recording;
  if (k < 0)
    return;
  s.recording = -1;
  if (!error.empty())
    return s.keep_eager(k, "its backward throws: " + error);
  CustomFunctionCall &c = s.trace.custom_calls[static_cast<size_t>(k)];
  if (grads.size() != c.inputs.size())
    return s.keep_eager(k, "its backward gives a gradient list of another "
                           "length than its tensor arguments");
  std::vector<int64_t> ids;
  for (size_t i = 0; i < grads.size(); ++i) {
    const Tensor &g = grads[i];
    if (!g.defined() || c.inputs[i] < 0) {
      ids.push_back(-1);
      continue;
    }
    const TracedValue &in = s.trace.values[static_cast<size_t>(c.inputs[i])];
    if (!(g.sizes() == IntArrayRef(in.sizes)) || g.dtype() != in.dtype)
      return s.keep_eager(
          k, ember::detail::str_cat("its backward gives input ", i,
                                    " a gradient of ", g.dtype(), g.sizes(),
                                    " (the input is ", in.dtype,
                                    IntArrayRef(in.sizes), ")"));
    ids.push_back(s.value_for_input(g));
  }
  s.trace.custom_calls[static_cast<size_t>(k)].input_grads = std::move(ids);
  s.trace.custom_calls[static_cast<size_t>(k)].recorded = true;
  s.check_closed(k);
}

void Tracer::on_backward(const TensorList &roots, const TensorList &grads,
                         bool accumulate, bool begin) {
  State &s = *s_;
  if (s.finished)
    return;
  if (s.recording >= 0 || s.recording_engine > 0) {
    // A recorded backward that backpropagates itself (double backward).
    if (begin) {
      ++s.recording_engine;
      if (s.recording >= 0)
        s.keep_eager(s.recording, "its backward calls backward() or "
                                  "autograd::grad");
    } else {
      --s.recording_engine;
    }
    return;
  }
  if (!begin) {
    if (--s.backward_depth > 0 || !s.trace.backward)
      return;
    // The leaves' .grad now hold the eager gradients: a new .grad is the
    // gradient itself; one accumulated in place is recorded when read.
    for (const auto &[arg, before] : s.grad_before) {
      Tensor leaf = s.keep_alive[static_cast<size_t>(arg)];
      Tensor after = leaf.grad(); // copies: add_value grows keep_alive
      if (!after.defined())
        continue;
      if (!before) {
        s.value_of[after.unsafe_impl()] = s.add_gradient(arg, &after);
        (s.had_grad.count(leaf.unsafe_impl()) ? s.trace.backward->reset
                                              : s.trace.backward->fresh)
            .push_back(arg);
      } else if (after.unsafe_impl() == before) {
        s.pending_accumulate[before] = arg;
      } else {
        s.refuse("its backward() replaced a .grad instead of accumulating "
                 "into it (create_graph)");
      }
    }
    return;
  }
  if (s.backward_depth++ > 0)
    return;
  if (!accumulate)
    return s.refuse("it calls autograd::grad (only backward() into .grad is "
                    "compiled)");
  if (s.trace.backward)
    return s.refuse("it calls backward() more than once");
  if (roots.size() != 1 || (!grads.empty() && grads[0].defined()))
    return s.refuse("its backward() has several roots or an explicit "
                    "gradient (only loss.backward() on one element is "
                    "compiled)");
  if (roots[0].dim() != 0)
    return s.refuse(ember::detail::str_cat(
        "its backward() starts from a tensor of shape ", roots[0].sizes(),
        " (only a 0-d loss is compiled; call backward() on loss.sum() or "
        "a reshape to [])"));
  auto it = s.value_of.find(roots[0].unsafe_impl());
  if (it == s.value_of.end() ||
      s.trace.values[it->second].kind != ValueKind::Result)
    return s.refuse("it calls backward() on a tensor it did not compute");
  for (const TracedValue &v : s.trace.values)
    if (v.kind == ValueKind::Constant && v.requires_grad)
      return s.refuse("a tensor of at most 16 elements that requires grad "
                      "was folded as a constant (pass it as an input or "
                      "register its module)");
  s.trace.backward = BackwardRequest{
      it->second, static_cast<int64_t>(s.trace.ops.size()), {}, {}, {}};
  // Which leaf arguments have a .grad now: backward() creates the others.
  for (size_t id = 0; id < s.trace.values.size(); ++id) {
    const TracedValue &v = s.trace.values[id];
    if (v.kind != ValueKind::Input && v.kind != ValueKind::Parameter &&
        v.kind != ValueKind::Buffer && v.kind != ValueKind::Lifted)
      continue;
    Tensor leaf = s.keep_alive[id];
    if (!leaf.requires_grad() || !leaf.is_leaf())
      continue;
    s.grad_before[static_cast<int64_t>(id)] =
        leaf.grad().defined() ? leaf.grad().unsafe_impl() : nullptr;
  }
}

Trace Tracer::finish(const TensorList &outputs) {
  State &s = *s_;
  EMBER_CHECK(!s.finished, "jit::Tracer", "finish() was already called");
  s.finished = true;
  for (const Tensor &t : outputs) {
    EMBER_CHECK(t.defined(), "jit::trace",
                "the traced function returned an undefined tensor");
    s.trace.outputs.push_back(s.value_for_input(t));
  }
  // Arguments: inputs (already there), named tensors in the order the
  // trace first used them, then lifted constants.
  for (size_t id = 0; id < s.trace.values.size(); ++id) {
    ValueKind k = s.trace.values[id].kind;
    if (k == ValueKind::Parameter || k == ValueKind::Buffer ||
        k == ValueKind::Grad)
      s.trace.arguments.push_back(static_cast<int64_t>(id));
  }
  for (int64_t id : s.lifted)
    s.trace.arguments.push_back(id);
  for (int64_t id : s.host_scalars)
    s.trace.arguments.push_back(id);
  s.keep_alive.clear();
  s.keep_alive_extra.clear();
  s.value_of.clear();
  return std::move(s.trace);
}

namespace {
// Runs fn under a Tracer; the observer is removed even when fn throws.
Trace run_traced(const TraceFn &fn, const TensorList &inputs,
                 TraceOptions options) {
  Tracer tracer(inputs, std::move(options));
  TensorList outs;
  {
    ObserverGuard guard(&tracer);
    outs = fn(inputs);
  }
  return tracer.finish(outs);
}
} // namespace

Trace trace(const TraceFn &fn, const TensorList &example_inputs,
            TraceOptions options) {
  EMBER_CHECK(static_cast<bool>(fn), "jit::trace", "the function is empty");
  return run_traced(fn, example_inputs, std::move(options));
}

Trace trace(nn::Module &module, const TensorList &example_inputs,
            TraceOptions options) {
  EMBER_CHECK(example_inputs.size() == 1, "jit::trace",
              "a module's forward takes one tensor, got ",
              example_inputs.size(),
              " example inputs; trace a function to pass several");
  options.modules.insert(options.modules.begin(), {"", &module});
  return run_traced(
      [&](const TensorList &in) { return TensorList{module(in[0])}; },
      example_inputs, std::move(options));
}

} // namespace ember::jit

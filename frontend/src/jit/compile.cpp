// jit::compile's front half: guard keys, entries, tracing on a miss, eager
// fallback with reasons, recompile limits, EMBER_JIT / EMBER_JIT_VERIFY /
// EMBER_LOG. The backend (detail::compile_trace) lives with the compiler.
#include "ember/jit/compile.h"
#include "ember/jit/split.h"

#include "ember/autograd/grad_mode.h"
#include "ember/nn/module.h"
#include "ember/ops.h"
#include "ember/random.h"
#include "ember/utils/log.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

namespace ember::jit {

namespace {

std::string where(const std::string &file, uint32_t line, uint32_t column) {
  if (file.empty())
    return "an unknown location (an operator such as a * b)";
  auto slash = file.rfind('/');
  return ember::detail::str_cat(
      slash == std::string::npos ? file : file.substr(slash + 1), ":", line,
      ":", column);
}
std::string where(const Loc &loc) {
  return where(loc.file_name(), loc.line(), loc.column());
}

// EMBER_LOG=recompiles,guards,splits (or "all").
struct LogFlags {
  bool recompiles = false, guards = false, splits = false;
  static LogFlags from_env() {
    LogFlags f;
    const char *env = std::getenv("EMBER_LOG");
    std::string s = env ? env : "";
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ',')) {
      bool all = item == "all";
      f.recompiles |= all || item == "recompiles";
      f.guards |= all || item == "guards";
      f.splits |= all || item == "splits";
    }
    return f;
  }
};

struct InputSig {
  std::vector<int64_t> sizes;
  DType dtype;
  Device device;
  bool requires_grad;
  bool operator==(const InputSig &) const = default;
};

struct GuardKey {
  std::vector<InputSig> inputs;
  bool grad_mode = true;
  std::vector<char> training; // one per module of the options, in order
  // requires_grad of every parameter of the modules, in order: freezing a
  // layer changes which gradients a backward() inside computes.
  std::vector<char> params_requiring_grad;
  bool operator==(const GuardKey &) const = default;
};

std::string sizes_str(const std::vector<int64_t> &v) {
  std::ostringstream os;
  os << "[";
  for (size_t i = 0; i < v.size(); ++i)
    os << (i ? ", " : "") << v[i];
  os << "]";
  return os.str();
}

const char *tf(bool b) { return b ? "true" : "false"; }

// What changed from `old` to `now`, for recompile messages.
std::string guard_diff(const GuardKey &old, const GuardKey &now,
                       const CompileOptions &opts) {
  std::vector<std::string> parts;
  if (old.inputs.size() != now.inputs.size())
    parts.push_back(ember::detail::str_cat(
        "number of inputs ", old.inputs.size(), " -> ", now.inputs.size()));
  for (size_t i = 0; i < std::min(old.inputs.size(), now.inputs.size()); ++i) {
    const InputSig &a = old.inputs[i], &b = now.inputs[i];
    if (a.sizes != b.sizes)
      parts.push_back(ember::detail::str_cat("input ", i, " sizes ",
                                             sizes_str(a.sizes), " -> ",
                                             sizes_str(b.sizes)));
    if (a.dtype != b.dtype)
      parts.push_back(ember::detail::str_cat("input ", i, " dtype ", a.dtype,
                                             " -> ", b.dtype));
    if (a.device != b.device)
      parts.push_back(ember::detail::str_cat("input ", i, " device ", a.device,
                                             " -> ", b.device));
    if (a.requires_grad != b.requires_grad)
      parts.push_back(ember::detail::str_cat("input ", i, " requires_grad ",
                                             tf(a.requires_grad), " -> ",
                                             tf(b.requires_grad)));
  }
  if (old.grad_mode != now.grad_mode)
    parts.push_back(ember::detail::str_cat("grad mode ", tf(old.grad_mode),
                                           " -> ", tf(now.grad_mode)));
  if (old.params_requiring_grad != now.params_requiring_grad) {
    std::vector<std::string> names; // the parameters, in key order
    for (const auto &[prefix, m] : opts.modules)
      for (const auto &item : m->named_parameters())
        names.push_back(prefix.empty() ? item.key()
                                       : prefix + "." + item.key());
    for (size_t p = 0;
         p < std::min({old.params_requiring_grad.size(),
                       now.params_requiring_grad.size(), names.size()});
         ++p)
      if (old.params_requiring_grad[p] != now.params_requiring_grad[p])
        parts.push_back(ember::detail::str_cat(
            "parameter '", names[p], "' requires_grad ",
            tf(old.params_requiring_grad[p] != 0), " -> ",
            tf(now.params_requiring_grad[p] != 0)));
  }
  for (size_t m = 0; m < std::min(old.training.size(), now.training.size());
       ++m)
    if (old.training[m] != now.training[m])
      parts.push_back(ember::detail::str_cat(
          "module '", opts.modules[m].first, "' training ",
          tf(old.training[m] != 0), " -> ", tf(now.training[m] != 0)));
  std::string out;
  for (const auto &p : parts)
    out += (out.empty() ? "" : ", ") + p;
  return out.empty() ? "no guard changed" : out;
}

// Whether any module below `m` (itself included) is in training mode, as a
// flag per module of the tree: a flipped dropout changes the trace.
char training_flags(const nn::Module &m) {
  for (const nn::Module *sub : m.modules())
    if (sub->is_training())
      return 1;
  return 0;
}

// Elementwise |a - b| <= atol + rtol * |b| in float64 (NaN equals NaN);
// exact for integers and bools.
bool outputs_match(const Tensor &a, const Tensor &b) {
  if (a.sizes() != b.sizes() || a.dtype() != b.dtype())
    return false;
  NoGradGuard no_grad;
  Tensor x = a.detach().to(kFloat64).contiguous().cpu();
  Tensor y = b.detach().to(kFloat64).contiguous().cpu();
  const double *p = x.data_ptr<double>(), *q = y.data_ptr<double>();
  const bool exact = !is_floating_point(a.dtype());
  const double rtol = 1e-4, atol = 1e-5; // float ops may reassociate
  for (int64_t i = 0; i < x.numel(); ++i) {
    if (std::isnan(p[i]) || std::isnan(q[i])) {
      if (std::isnan(p[i]) != std::isnan(q[i]))
        return false;
      continue;
    }
    if (exact ? p[i] != q[i]
              : std::abs(p[i] - q[i]) > atol + rtol * std::abs(q[i]))
      return false;
  }
  return true;
}

struct Entry {
  GuardKey key;
  Trace trace;
  std::unique_ptr<detail::Executable> exe; // null: runs eagerly
  std::string fallback_reason;
  TensorList fixed_args; // parameters/buffers/lifted, in argument order
  // Arguments read on every call: a parameter's current .grad (from the
  // parameter) or a host scalar (from its read function).
  struct Dynamic {
    size_t slot;
    Tensor parameter;
    std::function<double()> read;
  };
  std::vector<Dynamic> dynamic_args;
  // Which parameters had a .grad when traced, checked on each call when the
  // trace reads or replaces .grad (not when it only accumulates into it).
  std::vector<std::pair<Tensor, bool>> grad_presence;
  bool mutates_arguments = false;

  // The arguments after the inputs for this call; false (with `why`) when a
  // host guard fails. Host scalars are read here, once per call.
  bool arguments(const TensorList &inputs, TensorList &args,
                 std::string &why) const {
    for (const auto &[p, had] : grad_presence)
      if (p.grad().defined() != had) {
        why = ember::detail::str_cat("a parameter of shape ", p.sizes(),
                                     had ? " has no .grad now"
                                         : " has a .grad now",
                                     " (the trace saw the opposite)");
        return false;
      }
    for (const HostGuard &g : trace.host_guards)
      if (!g.holds()) {
        why = "host guard failed: " + g.what;
        return false;
      }
    args = inputs;
    size_t base = args.size();
    args.insert(args.end(), fixed_args.begin(), fixed_args.end());
    for (const Dynamic &d : dynamic_args)
      args[base + d.slot] =
          d.read ? scalar_to_tensor(d.read()) : d.parameter.grad();
    return true;
  }
};

} // namespace

struct CompiledFunction::State {
  TraceFn fn;
  CompileOptions options;
  detail::Backend backend = nullptr;
  CompileStats stats;
  std::vector<std::unique_ptr<Entry>> entries;
  LogFlags log = LogFlags::from_env();
  bool jit_enabled = true;
  int64_t verify_every = 0;
  bool limit_warned = false;
  int retries_in_a_row = 0;
  bool verify_skip_logged = false;

  GuardKey key_for(const TensorList &inputs) const {
    GuardKey k;
    for (const Tensor &t : inputs) {
      EMBER_CHECK(t.defined(), "jit::compile", "'", options.name,
                  "': an input is an undefined tensor");
      k.inputs.push_back(
          {t.sizes().vec(), t.dtype(), t.device(), t.requires_grad()});
    }
    k.grad_mode = autograd::GradMode::is_enabled();
    for (const auto &[prefix, m] : options.modules) {
      k.training.push_back(training_flags(*m));
      for (const Tensor &p : m->parameters())
        k.params_requiring_grad.push_back(p.requires_grad() ? 1 : 0);
    }
    return k;
  }

  // Why this trace cannot be compiled (empty: it can be tried).
  std::string eager_reason(const Trace &t, const GuardKey &key) const {
    if (!t.not_compilable.empty())
      return t.not_compilable;
    // A backward() inside is compiled (ember-autodiff); otherwise results
    // that require grad would lose their graph.
    if (key.grad_mode && !t.backward) {
      auto lost = [&](int64_t id) {
        return ember::detail::str_cat(
            "autograd through the function: its result %", id,
            " requires grad (compiled gradients come with a backward() "
            "inside the function; run it under NoGradGuard to compile "
            "inference)");
      };
      for (int64_t id : t.outputs)
        if (t.values[id].requires_grad)
          return lost(id);
      for (const TracedOp &op : t.ops)
        if (has_flag(op_info(op.op).flags, OpFlag::Inplace))
          for (int64_t id : op.outputs)
            if (t.values[id].has_history)
              return lost(id);
    }
    return "";
  }

  // The arguments besides the inputs, as the trace numbers them; those
  // read anew on every call go to `dynamic` (their slot holds nothing).
  static TensorList fixed_arguments(const Trace &t,
                                    const CompileOptions &options,
                                    std::vector<Entry::Dynamic> &dynamic) {
    std::map<std::string, Tensor> named;
    for (const auto &[prefix, m] : options.modules) {
      auto add = [&](const OrderedDict<Tensor> &d) {
        for (const auto &item : d)
          named[prefix.empty() ? item.key() : prefix + "." + item.key()] =
              item.value();
      };
      add(m->named_parameters());
      add(m->named_buffers());
    }
    TensorList out;
    for (int64_t id : t.arguments) {
      const TracedValue &v = t.values[id];
      if (v.kind == ValueKind::Input)
        continue;
      if (v.kind == ValueKind::Lifted) {
        out.push_back(v.tensor);
        continue;
      }
      if (v.kind == ValueKind::HostScalar) {
        dynamic.push_back({out.size(), Tensor(), v.read});
        out.push_back(Tensor());
        continue;
      }
      if (v.kind == ValueKind::Grad) {
        std::string param = v.name.substr(0, v.name.size() - 5); // ".grad"
        auto it = named.find(param);
        EMBER_CHECK(it != named.end(), "jit::compile", "parameter '", param,
                    "' of the trace is no longer in the modules");
        dynamic.push_back({out.size(), it->second, nullptr});
        out.push_back(Tensor());
        continue;
      }
      auto it = named.find(v.name);
      EMBER_CHECK(it != named.end(), "jit::compile", "parameter '", v.name,
                  "' of the trace is no longer in the modules");
      out.push_back(it->second);
    }
    return out;
  }

  // Whether the trace depends on which parameters have a .grad: it reads
  // or writes a .grad, or its backward() replaces one.
  static bool reads_grads(const Trace &t) {
    for (int64_t id : t.arguments)
      if (t.values[id].kind == ValueKind::Grad)
        return true;
    for (const TracedOp &op : t.ops)
      for (int64_t id : op.inputs)
        if (id >= 0 && t.values[id].kind == ValueKind::Gradient)
          return true;
    for (int64_t id : t.outputs)
      if (t.values[id].kind == ValueKind::Gradient)
        return true;
    return t.backward && !t.backward->reset.empty();
  }

  static bool writes_arguments(const Trace &t) {
    std::set<int64_t> arg_storage;
    for (int64_t id : t.arguments)
      arg_storage.insert(t.values[id].storage_id);
    for (const TracedOp &op : t.ops)
      if (has_flag(op_info(op.op).flags, OpFlag::Inplace) &&
          !op.inputs.empty() && op.inputs[0] >= 0 &&
          arg_storage.count(t.values[op.inputs[0]].storage_id))
        return true;
    return false;
  }

  void make_entry(const TensorList &inputs, GuardKey key, TensorList &out,
                  const Loc &loc) {
    ++stats.traces;
    TraceOptions topts;
    topts.name = options.name;
    topts.modules = options.modules;
    std::vector<std::pair<Tensor, bool>> presence;
    for (const auto &[prefix, m] : options.modules)
      for (const Tensor &p : m->parameters())
        presence.emplace_back(p, p.grad().defined());
    Tracer tracer(inputs, topts);
    {
      ObserverGuard guard(&tracer);
      out = fn(inputs);
    }
    auto e = std::make_unique<Entry>();
    e->key = std::move(key);
    e->trace = tracer.finish(out);
    // A passing obstacle (an optimizer creating its state): this call was
    // the eager run; the next one traces again. Three in a row stay eager.
    if (e->trace.retry && retries_in_a_row < 3) {
      ++retries_in_a_row;
      ++stats.retries;
      if (log.splits || log.recompiles)
        log::info("[jit:recompiles] '", options.name, "' (call at ", where(loc),
                  ") ran eagerly and traces again next call: ",
                  e->trace.not_compilable);
      return;
    }
    retries_in_a_row = 0;
    // A backward() accumulates into .grad: a verify rerun would do it twice.
    e->mutates_arguments = writes_arguments(e->trace) || e->trace.backward;
    std::string why = eager_reason(e->trace, e->key);
    if (why.empty()) {
      try {
        e->exe = backend(e->trace, why);
        if (e->exe) {
          e->fixed_args = fixed_arguments(e->trace, options, e->dynamic_args);
          if (reads_grads(e->trace))
            e->grad_presence = std::move(presence);
        }
      } catch (const std::exception &ex) {
        e->exe.reset();
        why = ember::detail::str_cat("the compiler failed: ", ex.what());
        log::warn("jit::compile: '", options.name, "' (call at ", where(loc),
                  ") runs eagerly: ", why,
                  " (EMBER_DUMP_IR=<dir> writes the IR stages)");
      }
    }
    if (e->exe) {
      ++stats.compiles;
      std::string split = e->exe->describe();
      if (!split.empty())
        ++stats.splits;
      if (log.recompiles)
        log::info("[jit:recompiles] compiled '", options.name, "' (call at ",
                  where(loc), ", ", e->trace.ops.size(), " ops)");
      if (log.splits && !split.empty())
        log::info("[jit:splits] '", options.name, "' (call at ", where(loc),
                  ") runs in pieces:", split);
    } else {
      ++stats.fallbacks;
      e->fallback_reason = why;
      if (log.splits)
        log::info("[jit:splits] '", options.name, "' (call at ", where(loc),
                  ") stays eager: ", why);
    }
    entries.push_back(std::move(e));
  }

  void verify(const Entry &e, const TensorList &inputs, const TensorList &got,
              uint64_t rng_before) {
    if (e.mutates_arguments) {
      if (!verify_skip_logged)
        log::warn("jit::compile: EMBER_JIT_VERIFY skips '", options.name,
                  "': it updates its arguments or their .grad in place "
                  "(running it twice would apply the update twice)");
      verify_skip_logged = true;
      return;
    }
    ++stats.verified;
    TensorList want;
    {
      // The eager run must not be traced or recorded by an outer tracer.
      // Random draws: it takes the blocks the compiled call took, and the
      // generator ends where the compiled call left it.
      const bool draws =
          std::any_of(e.trace.ops.begin(), e.trace.ops.end(),
                      [](const TracedOp &op) { return op.rng[0] >= 0; });
      const uint64_t rng_after = default_generator().offset();
      if (draws)
        default_generator().set_offset(rng_before);
      want = fn(inputs);
      if (draws)
        default_generator().set_offset(rng_after);
    }
    for (size_t k = 0; k < want.size() && k < got.size(); ++k) {
      const Tensor &a = got[k], &b = want[k];
      bool same_meta = a.sizes() == b.sizes() && a.dtype() == b.dtype();
      if (!outputs_match(a, b)) {
        const Trace &t = e.trace;
        int64_t id = t.outputs.at(k);
        std::string origin = "an input";
        if (t.values[id].producer >= 0) {
          const TracedOp &op = t.ops[t.values[id].producer];
          origin = ember::detail::str_cat("ember.", op_name(op.op), " at ",
                                          where(op.file, op.line, op.column));
        }
        EMBER_FAIL("jit::compile", "EMBER_JIT_VERIFY: output ", k, " of '",
                   options.name, "' differs from the eager result (compiled ",
                   a.sizes(), " ", a.dtype(), ", eager ", b.sizes(), " ",
                   b.dtype(), same_meta ? ", values differ" : "",
                   "); it is produced by ", origin);
      }
    }
  }
};

CompiledFunction::CompiledFunction(TraceFn fn, CompileOptions options,
                                   detail::Backend backend)
    : s_(std::make_unique<State>()) {
  EMBER_CHECK(backend != nullptr, "jit::compile", "the backend is null");
  s_->backend = backend;
  EMBER_CHECK(static_cast<bool>(fn), "jit::compile", "the function is empty");
  for (const auto &[prefix, m] : options.modules)
    EMBER_CHECK(m != nullptr, "jit::compile", "module '", prefix, "' is null");
  EMBER_CHECK(options.recompile_limit >= 1, "jit::compile",
              "recompile_limit must be at least 1, got ",
              options.recompile_limit);
  s_->fn = std::move(fn);
  s_->options = std::move(options);
  if (const char *env = std::getenv("EMBER_JIT"))
    s_->jit_enabled = std::string(env) != "0";
  if (const char *env = std::getenv("EMBER_JIT_VERIFY"))
    s_->verify_every = std::max<int64_t>(0, std::atoll(env));
}

CompiledFunction::~CompiledFunction() = default;
CompiledFunction::CompiledFunction(CompiledFunction &&) noexcept = default;
CompiledFunction &
CompiledFunction::operator=(CompiledFunction &&) noexcept = default;

const CompileStats &CompiledFunction::stats() const { return s_->stats; }

std::vector<const Trace *> CompiledFunction::traces() const {
  std::vector<const Trace *> out;
  for (const auto &e : s_->entries)
    out.push_back(&e->trace);
  return out;
}

TensorList CompiledFunction::operator()(const TensorList &inputs,
                                        Loc loc) const {
  State &s = *s_;
  ++s.stats.calls;
  if (!s.jit_enabled) {
    ++s.stats.eager_calls;
    return s.fn(inputs);
  }
  GuardKey key = s.key_for(inputs);
  // Entries of this key, oldest first; a split entry whose item() guard
  // sees a new value gives way to the next (its run had no effects).
  std::string read_change;
  for (auto &e : s.entries) {
    if (!(e->key == key))
      continue;
    if (s.log.guards)
      log::debug("[jit:guards] '", s.options.name, "' call at ", where(loc),
                 ": guards match entry ", e.get() - s.entries.front().get());
    if (!e->exe) {
      ++s.stats.eager_calls;
      return s.fn(inputs);
    }
    TensorList args;
    // Where the default generator stood before the call reserved its draws:
    // a verify rerun draws the same numbers from there.
    const uint64_t rng_before = default_generator().offset();
    if (!e->arguments(inputs, args, read_change)) {
      if (s.log.guards)
        log::debug("[jit:guards] '", s.options.name, "' call at ", where(loc),
                   ": ", read_change);
      continue;
    }
    TensorList out;
    try {
      out = e->exe->run(args);
    } catch (const detail::ReadGuardMismatch &m) {
      ++s.stats.read_misses;
      read_change = m.what();
      if (s.log.guards)
        log::debug("[jit:guards] '", s.options.name, "' call at ", where(loc),
                   ": ", read_change);
      continue;
    }
    ++s.stats.compiled_calls;
    if (s.verify_every > 0 && s.stats.compiled_calls % s.verify_every == 0)
      s.verify(*e, inputs, out, rng_before);
    return out;
  }
  if (static_cast<int>(s.entries.size()) >= s.options.recompile_limit) {
    std::string diff = read_change.empty()
                           ? guard_diff(s.entries.back()->key, key, s.options)
                           : read_change;
    if (s.options.on_recompile_limit == RecompilePolicy::Raise)
      EMBER_FAIL("jit::compile", "'", s.options.name,
                 "' reached its recompile limit (", s.options.recompile_limit,
                 ") at the call at ", where(loc), ": ", diff);
    if (!s.limit_warned)
      log::warn("jit::compile: '", s.options.name,
                "' reached its recompile limit (", s.options.recompile_limit,
                "); new guard keys run eagerly. Last change (call at ",
                where(loc), "): ", diff);
    s.limit_warned = true;
    ++s.stats.eager_calls;
    return s.fn(inputs);
  }
  if (!s.entries.empty() && (s.log.recompiles || s.log.guards))
    log::info("[jit:recompiles] '", s.options.name, "' traces again (call at ",
              where(loc), "): ",
              read_change.empty()
                  ? guard_diff(s.entries.back()->key, key, s.options)
                  : read_change);
  TensorList out;
  s.make_entry(inputs, std::move(key), out, loc);
  ++s.stats.eager_calls; // the tracing run is the eager run
  return out;
}

} // namespace ember::jit

// The Optimizer base: parameter groups, zero_grad, step with a closure, and
// state_dict()/load_state_dict() in PyTorch's layout.
#include "ember/optim/optimizer.h"

#include "common.h"
#include "ember/autograd/grad_mode.h"
#include "ember/factory.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <typeinfo>
#include <unordered_set>

namespace ember::optim {

// --- state values ------------------------------------------------------------

namespace {
const StateValue &state_value(const StateValueDict &dict,
                              const std::string &key, const char *who) {
  const StateValue *v = dict.find(key);
  EMBER_CHECK(v, who, "state dict has no entry '", key, "'");
  return *v;
}
[[noreturn]] void wrong_kind(const std::string &key, const char *who,
                             const char *want) {
  EMBER_FAIL(who, "state dict entry '", key, "' is not ", want);
}
} // namespace

double state_double(const StateValueDict &dict, const std::string &key,
                    const char *who) {
  const StateValue &v = state_value(dict, key, who);
  if (auto *d = std::get_if<double>(&v))
    return *d;
  if (auto *i = std::get_if<int64_t>(&v))
    return static_cast<double>(*i);
  wrong_kind(key, who, "a number");
}

int64_t state_int(const StateValueDict &dict, const std::string &key,
                  const char *who) {
  const StateValue &v = state_value(dict, key, who);
  if (auto *i = std::get_if<int64_t>(&v))
    return *i;
  wrong_kind(key, who, "an integer");
}

bool state_bool(const StateValueDict &dict, const std::string &key,
                const char *who) {
  const StateValue &v = state_value(dict, key, who);
  if (auto *b = std::get_if<bool>(&v))
    return *b;
  wrong_kind(key, who, "a bool");
}

std::string state_string(const StateValueDict &dict, const std::string &key,
                         const char *who) {
  const StateValue &v = state_value(dict, key, who);
  if (auto *s = std::get_if<std::string>(&v))
    return *s;
  wrong_kind(key, who, "a string");
}

std::vector<double> state_doubles(const StateValueDict &dict,
                                  const std::string &key, const char *who) {
  const StateValue &v = state_value(dict, key, who);
  if (auto *l = std::get_if<std::vector<double>>(&v))
    return *l;
  wrong_kind(key, who, "a list of numbers");
}

std::vector<int64_t> state_ints(const StateValueDict &dict,
                                const std::string &key, const char *who) {
  const StateValue &v = state_value(dict, key, who);
  if (auto *l = std::get_if<std::vector<int64_t>>(&v))
    return *l;
  wrong_kind(key, who, "a list of integers");
}

// --- options -----------------------------------------------------------------

double OptimizerOptions::get_momentum() const {
  EMBER_FAIL("optim", "these optimizer options have no momentum");
}
void OptimizerOptions::set_momentum(double) {
  EMBER_FAIL("optim", "these optimizer options have no momentum");
}
std::tuple<double, double> OptimizerOptions::get_betas() const {
  EMBER_FAIL("optim", "these optimizer options have no betas");
}
void OptimizerOptions::set_betas(std::tuple<double, double>) {
  EMBER_FAIL("optim", "these optimizer options have no betas");
}
double OptimizerOptions::initial_lr() const {
  EMBER_CHECK(initial_lr_set_, "optim",
              "initial_lr is not set (no scheduler has been attached)");
  return initial_lr_;
}
void OptimizerOptions::initial_lr_to_dict(StateValueDict &dict) const {
  if (initial_lr_set_)
    dict.insert("initial_lr", initial_lr_);
}
void OptimizerOptions::initial_lr_from_dict(const StateValueDict &dict,
                                            const char *who) {
  if (dict.contains("initial_lr"))
    set_initial_lr(state_double(dict, "initial_lr", who));
}

// --- parameter groups --------------------------------------------------------

OptimizerParamGroup::OptimizerParamGroup(const OptimizerParamGroup &other)
    : params_(other.params_),
      options_(other.options_ ? other.options_->clone() : nullptr) {}

OptimizerParamGroup &
OptimizerParamGroup::operator=(const OptimizerParamGroup &other) {
  if (this != &other) {
    params_ = other.params_;
    options_ = other.options_ ? other.options_->clone() : nullptr;
  }
  return *this;
}

OptimizerOptions &OptimizerParamGroup::options() {
  EMBER_CHECK(options_, "optim",
              "this parameter group has no options (it takes the optimizer's "
              "defaults once added)");
  return *options_;
}
const OptimizerOptions &OptimizerParamGroup::options() const {
  return const_cast<OptimizerParamGroup *>(this)->options();
}

// --- Optimizer ---------------------------------------------------------------

Optimizer::Optimizer(std::string name,
                     std::vector<OptimizerParamGroup> param_groups,
                     std::unique_ptr<OptimizerOptions> defaults)
    : name_(std::move(name)), who_("optim::" + name_),
      defaults_(std::move(defaults)) {
  defaults_->validate(who());
  size_t total = 0;
  for (const auto &g : param_groups)
    total += g.params().size();
  EMBER_CHECK(total > 0, who(), "optimizer got an empty parameter list");
  for (const auto &g : param_groups)
    add_param_group(g);
}

Optimizer::~Optimizer() = default;

void Optimizer::add_param_group(const OptimizerParamGroup &group) {
  std::unordered_set<const TensorImpl *> seen;
  for (const auto &g : param_groups_)
    for (const auto &p : g.params())
      seen.insert(p.unsafe_impl());
  std::unordered_set<const TensorImpl *> mine;
  for (size_t i = 0; i < group.params().size(); ++i) {
    const Tensor &p = group.params()[i];
    EMBER_CHECK(p.defined(), who(), "parameter ", i,
                " of the group is an undefined tensor");
    EMBER_CHECK(p.is_leaf() || p.retains_grad(), who(),
                "can't optimize a non-leaf Tensor (parameter ", i,
                " of the group)");
    EMBER_CHECK(mine.insert(p.unsafe_impl()).second, who(), "parameter ", i,
                " appears twice in the same parameter group");
    EMBER_CHECK(!seen.count(p.unsafe_impl()), who(),
                "some parameters appear in more than one parameter group");
  }
  OptimizerParamGroup added(group.params());
  if (group.has_options()) {
    group.options().validate(who());
    added.set_options(group.options().clone());
    // A group's options must be this optimizer's kind.
    EMBER_CHECK(typeid(added.options()) == typeid(*defaults_), who(),
                "a parameter group's options are not ", name_, "'s options");
  } else {
    added.set_options(defaults_->clone());
  }
  param_groups_.push_back(std::move(added));
}

Tensor Optimizer::step(LossClosure closure) {
  Tensor loss;
  if (closure) {
    AutoGradMode enable(true);
    loss = closure();
  }
  NoGradGuard no_grad;
  for (auto &group : param_groups_)
    update(group);
  if (jit::is_tracing())
    detail::guard_traced_step(*this, parameters());
  return loss;
}

void Optimizer::note_state_created() const {
  if (jit::is_tracing())
    jit::not_compilable(who_ + " creates its state on this (first) step",
                        /*retry=*/true);
}

void Optimizer::zero_grad(bool set_to_none) {
  NoGradGuard no_grad;
  for (auto &group : param_groups_)
    for (auto &p : group.params()) {
      if (!p.grad().defined())
        continue;
      Tensor &g = p.mutable_grad();
      if (set_to_none) {
        g = Tensor();
        continue;
      }
      if (g.grad_fn())
        g.detach_();
      else
        g.requires_grad_(false);
      g.zero_();
    }
}

std::vector<Tensor> Optimizer::parameters() const {
  std::vector<Tensor> out;
  for (const auto &g : param_groups_)
    out.insert(out.end(), g.params().begin(), g.params().end());
  return out;
}

size_t Optimizer::size() const {
  size_t n = 0;
  for (const auto &g : param_groups_)
    n += g.params().size();
  return n;
}

OptimizerParamState *Optimizer::state(const Tensor &param) {
  auto it = state_.find(param.unsafe_impl());
  return it == state_.end() ? nullptr : it->second.get();
}
const OptimizerParamState *Optimizer::state(const Tensor &param) const {
  return const_cast<Optimizer *>(this)->state(param);
}

std::vector<Tensor>
Optimizer::params_with_grad(const OptimizerParamGroup &group) const {
  std::vector<Tensor> out;
  for (const auto &p : group.params()) {
    if (!p.requires_grad())
      continue;
    Tensor g = p.grad();
    if (!g.defined())
      continue;
    EMBER_CHECK(g.sizes() == p.sizes() && g.dtype() == p.dtype() &&
                    g.device() == p.device(),
                who(), "a parameter of shape ", p.sizes(), " (", p.dtype(),
                ", ", p.device(), ") has a gradient of shape ", g.sizes(), " (",
                g.dtype(), ", ", g.device(), "); they must match");
    out.push_back(p);
  }
  return out;
}

OptimizerStateDict Optimizer::state_dict() const {
  OptimizerStateDict dict;
  int64_t index = 0;
  for (const auto &g : param_groups_) {
    OptimizerStateDict::Group packed;
    packed.options = g.options().to_dict();
    for (const auto &p : g.params()) {
      if (const OptimizerParamState *s = state(p))
        dict.state[index] = s->to_dict();
      packed.params.push_back(index++);
    }
    dict.param_groups.push_back(std::move(packed));
  }
  return dict;
}

void Optimizer::load_state_dict(const OptimizerStateDict &dict) {
  EMBER_CHECK(dict.param_groups.size() == param_groups_.size(), who(),
              "loaded state dict has a different number of parameter groups (",
              dict.param_groups.size(), " instead of ", param_groups_.size(),
              ")");
  std::map<int64_t, Tensor> by_index;
  for (size_t i = 0; i < param_groups_.size(); ++i) {
    const auto &saved = dict.param_groups[i];
    const auto &params = param_groups_[i].params();
    EMBER_CHECK(saved.params.size() == params.size(), who(),
                "loaded state dict contains a parameter group that doesn't "
                "match the size of optimizer's group (group ",
                i, ": ", saved.params.size(), " parameters instead of ",
                params.size(), ")");
    for (size_t j = 0; j < params.size(); ++j)
      by_index[saved.params[j]] = params[j];
  }
  for (const auto &[index, _] : dict.state)
    EMBER_CHECK(by_index.count(index), who(),
                "loaded state dict has state for "
                "parameter index ",
                index, ", which no group lists");

  // Build everything first, so a bad dict leaves the optimizer unchanged.
  std::vector<std::unique_ptr<OptimizerOptions>> options;
  for (size_t i = 0; i < param_groups_.size(); ++i) {
    auto o = param_groups_[i].options().clone();
    o->from_dict(dict.param_groups[i].options, who());
    o->validate(who());
    options.push_back(std::move(o));
  }
  std::unordered_map<const TensorImpl *, std::unique_ptr<OptimizerParamState>>
      state;
  for (const auto &[index, tensors] : dict.state) {
    const Tensor &p = by_index.at(index);
    OrderedDict<Tensor> cast;
    for (const auto &item : tensors) {
      Tensor v = item.value();
      if (v.defined() && item.key() != "step") {
        if (p.is_floating_point() && v.dtype() != p.dtype())
          v = v.to(p.dtype());
        if (v.device() != p.device())
          v = v.to(p.device());
      }
      cast.insert(item.key(), v.defined() ? v.clone() : v);
    }
    state[p.unsafe_impl()] = state_from_dict(cast);
  }
  for (size_t i = 0; i < param_groups_.size(); ++i)
    param_groups_[i].set_options(std::move(options[i]));
  state_ = std::move(state);
}

// --- helpers -----------------------------------------------------------------

namespace detail {

namespace {
// The options a traced step baked in: all but the learning rate, which
// the step reads as a host scalar.
std::string baked_options(const OptimizerOptions &o) {
  std::ostringstream os;
  for (const auto &item : o.to_dict()) {
    if (item.key() == "lr" || item.key() == "initial_lr")
      continue;
    os << item.key() << "=";
    std::visit(
        [&](const auto &v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::vector<double>> ||
                        std::is_same_v<V, std::vector<int64_t>>) {
            for (const auto &x : v)
              os << x << ",";
          } else {
            os << v;
          }
        },
        item.value());
    os << ";";
  }
  return os.str();
}
} // namespace

void guard_traced_step(Optimizer &opt, const std::vector<Tensor> &params) {
  std::vector<std::pair<Tensor, const OptimizerParamState *>> states;
  for (const Tensor &p : params) {
    if (!p.grad().defined())
      continue;
    if (!jit::is_named_argument(p)) {
      jit::not_compilable(ember::detail::str_cat(
          "optim::", opt.name(), " updates a parameter of shape ", p.sizes(),
          " that is not a parameter of the compiled "
          "function's modules (CompileOptions::"
          "modules)"));
      return;
    }
    states.emplace_back(p, opt.state(p));
  }
  std::vector<std::string> options;
  for (const auto &g : opt.param_groups())
    options.push_back(baked_options(g.options()));
  jit::guard_host(
      ember::detail::str_cat("optim::", opt.name(), "'s state objects"),
      [&opt, states = std::move(states)] {
        for (const auto &[p, s] : states)
          if (opt.state(p) != s)
            return false;
        return true;
      });
  jit::guard_host(
      ember::detail::str_cat("optim::", opt.name(),
                             "'s options other than the learning rate"),
      [&opt, options = std::move(options)] {
        if (opt.param_groups().size() != options.size())
          return false;
        for (size_t i = 0; i < options.size(); ++i)
          if (baked_options(opt.param_groups()[i].options()) != options[i])
            return false;
        return true;
      });
}

Tensor step_tensor(int64_t step, DType dtype) {
  return full(
      {},
      Scalar(is_floating_point(dtype) ? Scalar(double(step)) : Scalar(step)),
      TensorOptions().dtype(dtype));
}

int64_t step_from(const OrderedDict<Tensor> &dict, const char *who) {
  const Tensor *t = dict.find("step");
  EMBER_CHECK(t && t->defined() && t->numel() == 1, who,
              "a parameter's state has no one-element 'step' tensor");
  double s = t->item<double>();
  EMBER_CHECK(s >= 0 && s == std::floor(s), who, "state 'step' is ", s,
              "; expected a count");
  return static_cast<int64_t>(s);
}

Tensor state_tensor(const OrderedDict<Tensor> &dict, const std::string &key) {
  const Tensor *t = dict.find(key);
  return t ? *t : Tensor();
}

std::string py_float(double v) {
  if (std::isnan(v))
    return "nan";
  if (std::isinf(v))
    return v > 0 ? "inf" : "-inf";
  // Shortest round-trip digits, laid out as Python's repr: positional for
  // exponents in [-4, 16), else d.ddde±XX.
  char buf[64];
  auto r =
      std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string s(buf, r.ptr);
  size_t e = s.find('e');
  std::string mant = s.substr(0, e);
  int exp = std::stoi(s.substr(e + 1));
  bool neg = mant[0] == '-';
  if (neg)
    mant.erase(0, 1);
  std::string digits;
  for (char c : mant)
    if (c != '.')
      digits += c;
  std::string out;
  if (exp >= -4 && exp < 16) {
    if (exp < 0) {
      out = "0." + std::string(-exp - 1, '0') + digits;
    } else if (static_cast<int>(digits.size()) <= exp + 1) {
      out = digits + std::string(exp + 1 - digits.size(), '0') + ".0";
    } else {
      out = digits.substr(0, exp + 1) + "." + digits.substr(exp + 1);
    }
  } else {
    out = digits.substr(0, 1);
    if (digits.size() > 1)
      out += "." + digits.substr(1);
    char eb[16];
    std::snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+',
                  exp < 0 ? -exp : exp);
    out += eb;
  }
  return neg ? "-" + out : out;
}

} // namespace detail
} // namespace ember::optim

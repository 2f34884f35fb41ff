// nn::Module: registration, traversal, state, state_dict and printing.
//
// Forgotten registrations: every module is "unclaimed" from construction
// until some parent registers it. A module's construction window runs from
// its constructor to its first registration call (or first traversal).
// Member submodules are constructed inside that window at addresses just
// after the parent's, so an unclaimed module constructed in the window
// within the parent's object is a member somebody forgot to register.
#include "ember/nn/module.h"
#include "ember/autograd/grad_mode.h"

#include <atomic>
#include <cxxabi.h>
#include <map>
#include <mutex>
#include <sstream>

namespace ember::nn {

namespace {
thread_local std::vector<ModuleCall> t_call_stack;
} // namespace

ModuleCallGuard::ModuleCallGuard(const Module *module,
                                 std::source_location loc) {
  t_call_stack.push_back({module, loc});
}
ModuleCallGuard::~ModuleCallGuard() { t_call_stack.pop_back(); }
const std::vector<ModuleCall> &module_call_stack() { return t_call_stack; }

Tensor Module::operator()(const Tensor &input, std::source_location loc) {
  ModuleCallGuard in(this, loc);
  return forward(input);
}

namespace {
std::atomic<uint64_t> g_seq{0};
std::mutex g_mu;
std::map<uint64_t, const Module *> &unclaimed() {
  static std::map<uint64_t, const Module *> m;
  return m;
}
// Member submodules lie within the parent object; objects are never this
// large, so the bound only keeps unrelated heap modules out.
constexpr std::ptrdiff_t kMaxObjectSize = 1 << 20;

std::string demangle(const char *mangled) {
  int status = 0;
  char *d = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  std::string n = status == 0 && d ? d : mangled;
  std::free(d);
  if (auto lt = n.find('<'); lt != std::string::npos)
    n = n.substr(0, lt);
  if (auto c = n.rfind("::"); c != std::string::npos)
    n = n.substr(c + 2);
  return n;
}

std::string add_indent(const std::string &s, int spaces) {
  std::string out;
  std::string pad(spaces, ' ');
  for (char ch : s) {
    out.push_back(ch);
    if (ch == '\n')
      out += pad;
  }
  return out;
}
} // namespace

Module::Module() : construction_seq_(++g_seq) {
  std::lock_guard<std::mutex> lk(g_mu);
  unclaimed()[construction_seq_] = this;
}

Module::~Module() {
  std::lock_guard<std::mutex> lk(g_mu);
  unclaimed().erase(construction_seq_);
}

Module::Module(Module &&other) noexcept
    : params_(std::move(other.params_)), buffers_(std::move(other.buffers_)),
      children_(std::move(other.children_)), training_(other.training_),
      construction_seq_(++g_seq), window_end_(g_seq.load()),
      claimed_(other.claimed_) {
  // A moved module is complete; a member moved along with its parent was
  // registered already (the parent's registration moves by offset).
  if (claimed_)
    return;
  std::lock_guard<std::mutex> lk(g_mu);
  unclaimed()[construction_seq_] = this;
}

Module &Module::operator=(Module &&other) noexcept {
  params_ = std::move(other.params_);
  buffers_ = std::move(other.buffers_);
  children_ = std::move(other.children_);
  training_ = other.training_;
  return *this;
}

Tensor Module::forward(const Tensor &) {
  EMBER_FAIL(
      "forward", name(),
      " has no forward(const Tensor&); call its own forward(...) instead");
}

std::string Module::name() const { return demangle(typeid(*this).name()); }

void Module::close_window() {
  if (window_end_ == 0)
    window_end_ = g_seq.load();
}

void Module::check_name(const std::string &name, const char *what) const {
  EMBER_CHECK(!name.empty() && name.find('.') == std::string::npos, "register_",
              what, ": ", what, " name '", name,
              "' must be non-empty and must not contain '.'");
  auto taken = [&](const std::string &n) {
    for (const Slot &s : params_)
      if (s.name == n)
        return true;
    for (const Slot &s : buffers_)
      if (s.name == n)
        return true;
    for (const Child &c : children_)
      if (c.name == n)
        return true;
    return false;
  };
  EMBER_CHECK(!taken(name), "register_", what, ": '", name,
              "' is already registered in ", this->name());
}

Tensor Module::register_parameter(const std::string &name, Tensor tensor,
                                  bool requires_grad) {
  close_window();
  check_name(name, "parameter");
  EMBER_CHECK(tensor.defined(), "register_parameter", "parameter '", name,
              "' is an undefined tensor");
  if (requires_grad && !tensor.requires_grad())
    tensor.requires_grad_(true);
  params_.push_back({name, tensor});
  return tensor;
}

Tensor Module::register_buffer(const std::string &name, Tensor tensor) {
  close_window();
  check_name(name, "buffer");
  buffers_.push_back({name, tensor});
  return tensor;
}

void Module::replace_parameter(const std::string &name, Tensor tensor) {
  for (Slot &s : params_)
    if (s.name == name) {
      s.tensor = std::move(tensor);
      return;
    }
  for (Slot &s : buffers_)
    if (s.name == name) {
      s.tensor = std::move(tensor);
      return;
    }
  EMBER_FAIL("replace_parameter", "no parameter or buffer named '", name,
             "' in ", this->name());
}

void Module::add_child(const std::string &name, Module *child,
                       std::shared_ptr<Module> owned) {
  close_window();
  check_name(name, "module");
  EMBER_CHECK(child != nullptr, "register_module", "submodule '", name,
              "' is null");
  EMBER_CHECK(child != this, "register_module",
              "a module cannot contain itself");
  Child c;
  c.name = name;
  if (owned) {
    c.owned = std::move(owned);
  } else {
    c.offset = reinterpret_cast<const char *>(child) -
               reinterpret_cast<const char *>(this);
    // Not a member of this object: keep the pointer (it must outlive us).
    if (c.offset <= 0 || c.offset >= kMaxObjectSize) {
      c.external = true;
      c.external_ptr = child;
    }
  }
  children_.push_back(std::move(c));
  // The child is complete by the time its parent registers it.
  child->close_window();
  child->claimed_ = true;
  std::lock_guard<std::mutex> lk(g_mu);
  unclaimed().erase(child->construction_seq_);
}

Module *Module::child_ptr(const Child &c) const {
  if (c.owned)
    return c.owned.get();
  if (c.external)
    return c.external_ptr;
  return reinterpret_cast<Module *>(
      const_cast<char *>(reinterpret_cast<const char *>(this)) + c.offset);
}

std::shared_ptr<Module> Module::owned_child(const std::string &name) const {
  for (const Child &c : children_)
    if (c.name == name)
      return c.owned;
  return nullptr;
}

void Module::check_registration() const {
  const_cast<Module *>(this)->close_window();
  std::lock_guard<std::mutex> lk(g_mu);
  auto &u = unclaimed();
  for (auto it = u.upper_bound(construction_seq_);
       it != u.end() && it->first <= window_end_; ++it) {
    std::ptrdiff_t off = reinterpret_cast<const char *>(it->second) -
                         reinterpret_cast<const char *>(this);
    if (off > 0 && off < kMaxObjectSize)
      EMBER_FAIL("nn::Module", name(), " has a submodule of type ",
                 it->second->name(),
                 " that was never registered: call register_module(\"<name>\", "
                 "member) in ",
                 name(), "'s constructor");
  }
}

template <typename F>
void Module::walk(const std::string &prefix, F &&f) const {
  check_registration();
  f(prefix, *this);
  for (const Child &c : children_)
    child_ptr(c)->walk(prefix.empty() ? c.name : prefix + "." + c.name, f);
}

OrderedDict<Tensor> Module::named_slots(std::vector<Slot> Module::*slots,
                                        bool recurse) const {
  OrderedDict<Tensor> out;
  auto add = [&](const std::string &prefix, const Module &m) {
    for (const Slot &s : m.*slots)
      if (s.tensor.defined())
        out.insert(prefix.empty() ? s.name : prefix + "." + s.name, s.tensor);
  };
  if (recurse) {
    walk("", add);
  } else {
    check_registration();
    add("", *this);
  }
  return out;
}

OrderedDict<Tensor> Module::named_parameters(bool recurse) const {
  return named_slots(&Module::params_, recurse);
}

std::vector<Tensor> Module::parameters(bool recurse) const {
  return named_parameters(recurse).values();
}

OrderedDict<Tensor> Module::named_buffers(bool recurse) const {
  return named_slots(&Module::buffers_, recurse);
}

std::vector<Tensor> Module::buffers(bool recurse) const {
  return named_buffers(recurse).values();
}

OrderedDict<Module *> Module::named_children() const {
  check_registration();
  OrderedDict<Module *> out;
  for (const Child &c : children_)
    out.insert(c.name, child_ptr(c));
  return out;
}

std::vector<Module *> Module::children() const {
  return named_children().values();
}

OrderedDict<Module *> Module::named_modules(const std::string &prefix,
                                            bool include_self) const {
  OrderedDict<Module *> out;
  walk(prefix, [&](const std::string &p, const Module &m) {
    if (&m == this && !include_self)
      return;
    out.insert(p, const_cast<Module *>(&m));
  });
  return out;
}

std::vector<Module *> Module::modules(bool include_self) const {
  return named_modules("", include_self).values();
}

Module &Module::apply(const std::function<void(Module &)> &fn) {
  check_registration();
  for (const Child &c : children_)
    child_ptr(c)->apply(fn);
  fn(*this);
  return *this;
}

Module &
Module::apply(const std::function<void(const std::string &, Module &)> &fn,
              const std::string &prefix) {
  check_registration();
  for (const Child &c : children_)
    child_ptr(c)->apply(fn, prefix.empty() ? c.name : prefix + "." + c.name);
  fn(prefix, *this);
  return *this;
}

void Module::train(bool on) {
  check_registration();
  training_ = on;
  for (const Child &c : children_)
    child_ptr(c)->train(on);
}

namespace {
void convert(Tensor &t, const std::function<Tensor(const Tensor &)> &f) {
  if (!t.defined())
    return;
  NoGradGuard no_grad;
  t.set_data(f(t.detach()));
  if (t.grad().defined())
    t.mutable_grad().set_data(f(t.grad()));
}
} // namespace

void Module::to(Device device, bool non_blocking) {
  walk("", [&](const std::string &, const Module &cm) {
    auto &m = const_cast<Module &>(cm);
    for (Slot &s : m.params_)
      convert(s.tensor,
              [&](const Tensor &x) { return x.to(device, non_blocking); });
    for (Slot &s : m.buffers_)
      convert(s.tensor,
              [&](const Tensor &x) { return x.to(device, non_blocking); });
  });
}

void Module::to(DType dtype) {
  EMBER_CHECK(is_floating_point(dtype), "nn::Module::to",
              "expected a floating point dtype, got ", dtype);
  walk("", [&](const std::string &, const Module &cm) {
    auto &m = const_cast<Module &>(cm);
    auto cast = [&](const Tensor &x) {
      return x.is_floating_point() ? x.to(dtype) : x;
    };
    for (Slot &s : m.params_)
      convert(s.tensor, cast);
    for (Slot &s : m.buffers_)
      convert(s.tensor, cast);
  });
}

void Module::to(Device device, DType dtype) {
  to(device);
  to(dtype);
}

void Module::zero_grad(bool set_to_none) {
  for (Tensor &p : parameters()) {
    if (!p.grad().defined())
      continue;
    if (set_to_none) {
      p.mutable_grad() = Tensor();
    } else {
      NoGradGuard no_grad;
      p.mutable_grad().zero_();
    }
  }
}

OrderedDict<Tensor> Module::state_dict() const {
  OrderedDict<Tensor> out;
  walk("", [&](const std::string &prefix, const Module &m) {
    auto key = [&](const std::string &n) {
      return prefix.empty() ? n : prefix + "." + n;
    };
    for (const Slot &s : m.params_)
      if (s.tensor.defined())
        out.insert(key(s.name), s.tensor.detach());
    for (const Slot &s : m.buffers_)
      if (s.tensor.defined())
        out.insert(key(s.name), s.tensor.detach());
  });
  return out;
}

void Module::load_state_dict(const OrderedDict<Tensor> &dict, bool strict) {
  OrderedDict<Tensor> own = state_dict();
  std::vector<std::string> missing, unexpected, mismatched;
  for (const auto &item : own) {
    const Tensor *src = dict.find(item.key());
    if (!src) {
      missing.push_back(item.key());
      continue;
    }
    if (!(src->sizes() == item.value().sizes()))
      mismatched.push_back(detail::str_cat(
          "size mismatch for ", item.key(), ": copying a param with shape ",
          src->sizes(), " from checkpoint, the shape in current model is ",
          item.value().sizes(), "."));
  }
  for (const auto &item : dict)
    if (!own.contains(item.key()))
      unexpected.push_back(item.key());
  std::ostringstream err;
  auto list = [&](const char *what, const std::vector<std::string> &keys) {
    err << "\n\t" << what << " key(s) in state_dict: ";
    for (size_t i = 0; i < keys.size(); ++i)
      err << (i ? ", " : "") << '"' << keys[i] << '"';
    err << ".";
  };
  if (strict && !missing.empty())
    list("Missing", missing);
  if (strict && !unexpected.empty())
    list("Unexpected", unexpected);
  for (const auto &m : mismatched)
    err << "\n\t" << m;
  EMBER_CHECK(err.str().empty(), "load_state_dict",
              "Error(s) in loading state_dict for ", name(), ":", err.str());
  NoGradGuard no_grad;
  for (auto &item : own)
    if (const Tensor *src = dict.find(item.key()))
      item.value().copy_(*src);
}

std::string Module::repr() const {
  check_registration();
  std::vector<std::string> lines;
  std::string extra = extra_repr();
  size_t n_extra = 0;
  if (!extra.empty()) {
    std::stringstream ss(extra);
    for (std::string l; std::getline(ss, l);) {
      lines.push_back(l);
      ++n_extra;
    }
  }
  for (const Child &c : children_)
    lines.push_back("(" + c.name + "): " + add_indent(child_ptr(c)->repr(), 2));
  std::string s = name() + "(";
  if (!lines.empty()) {
    if (n_extra == 1 && children_.empty()) {
      s += lines[0];
    } else {
      s += "\n  ";
      for (size_t i = 0; i < lines.size(); ++i)
        s += (i ? "\n  " : "") + lines[i];
      s += "\n";
    }
  }
  return s + ")";
}

std::ostream &operator<<(std::ostream &os, const Module &m) {
  return os << m.repr();
}

} // namespace ember::nn

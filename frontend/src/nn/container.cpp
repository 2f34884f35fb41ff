// Sequential, ModuleList, ModuleDict: owned children registered under their
// names, so traversal, state_dict and printing see them as PyTorch does.
#include "ember/nn/container.h"

#include <cxxabi.h>

namespace ember::nn {

namespace detail {
void bad_child_type(const char *container, const std::string &key,
                    const Module &m, const char *wanted) {
  int status = 0;
  char *d = abi::__cxa_demangle(wanted, nullptr, nullptr, &status);
  std::string w = status == 0 && d ? d : wanted;
  std::free(d);
  EMBER_FAIL("nn", container, " child '", key, "' is a ", m.name(), ", not a ",
             w);
}
} // namespace detail

std::shared_ptr<Module> ModuleSequence::ptr(int64_t index) const {
  const int64_t n = static_cast<int64_t>(modules_.size());
  EMBER_CHECK(index >= -n && index < n, "nn", name(), ": index ", index,
              " is out of range (size ", n, ")");
  return modules_[static_cast<size_t>(index < 0 ? index + n : index)];
}

void ModuleSequence::append(const std::string &name,
                            std::shared_ptr<Module> module) {
  register_module(name, module);
  modules_.push_back(std::move(module));
}

Sequential::Sequential(std::initializer_list<NamedModule> modules) {
  for (const NamedModule &m : modules)
    append(m.name, m.module);
  check_registration();
}

Tensor Sequential::forward(const Tensor &input) {
  Tensor x = input;
  for (const auto &m : *this)
    x = (*m)(x);
  return x;
}

ModuleDict::ModuleDict(std::initializer_list<NamedModule> modules) {
  for (const NamedModule &m : modules)
    add(m.name, m.module);
  check_registration();
}

std::shared_ptr<Module> ModuleDict::ptr(const std::string &key) const {
  const std::shared_ptr<Module> *m = modules_.find(key);
  EMBER_CHECK(m != nullptr, "nn", "ModuleDict has no module named '", key, "'");
  return *m;
}

void ModuleDict::add(const std::string &key, std::shared_ptr<Module> module) {
  EMBER_CHECK(!modules_.contains(key), "nn",
              "ModuleDict already has a module "
              "named '",
              key, "'");
  register_module(key, module);
  modules_.insert(key, std::move(module));
}

} // namespace ember::nn

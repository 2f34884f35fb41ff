// Containers (torch.nn.Sequential, ModuleList, ModuleDict). They own their
// children: a module given by value is moved into a std::make_shared copy; a
// std::shared_ptr is shared as given. Children are named "0", "1", ... or by
// the names given, and print and appear in state_dict() under those names.
//
//   nn::Sequential seq(nn::Linear(4, 3), nn::ReLU(), nn::Linear(3, 1));
//   nn::Sequential named({{"fc", nn::Linear(4, 3)}, {"act", nn::ReLU()}});
//   seq(x);  seq.size();  seq[0];  seq.at<nn::Linear>(0).weight;
//
// Note: Sequential(Sequential(...)) with one argument is a move, not a
// nesting (C++ initialisation rules); nest a single Sequential with
// push_back.
#pragma once

#include "ember/nn/module.h"

#include <initializer_list>
#include <memory>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <vector>

namespace ember::nn {

namespace detail {
template <typename T> struct is_module_ptr : std::false_type {};
template <typename T>
struct is_module_ptr<std::shared_ptr<T>> : std::is_base_of<Module, T> {};

/// A module by value (moved in) or a std::shared_ptr to one.
template <typename M>
concept ModuleArg = std::is_base_of_v<Module, std::decay_t<M>> ||
    is_module_ptr<std::decay_t<M>>::value;

template <ModuleArg M> std::shared_ptr<Module> own_module(M &&m) {
  using T = std::decay_t<M>;
  if constexpr (is_module_ptr<T>::value) {
    EMBER_CHECK(m != nullptr, "nn", "a container was given a null module");
    return std::static_pointer_cast<Module>(std::forward<M>(m));
  } else {
    static_assert(!std::is_lvalue_reference_v<M>,
                  "containers own their modules: pass a temporary, "
                  "std::move(module), or a std::shared_ptr");
    return std::make_shared<T>(std::move(m));
  }
}

[[noreturn]] void bad_child_type(const char *container, const std::string &key,
                                 const Module &m, const char *wanted);
} // namespace detail

/// A module with a name, for the named constructors:
/// {{"fc", nn::Linear(4, 3)}, {"act", nn::ReLU()}}.
struct NamedModule {
  template <detail::ModuleArg M>
  NamedModule(std::string name, M &&module)
      : name(std::move(name)),
        module(detail::own_module(std::forward<M>(module))) {}
  std::string name;
  std::shared_ptr<Module> module;
};

/// The child list shared by Sequential and ModuleList.
class ModuleSequence : public Module {
public:
  using Iterator = std::vector<std::shared_ptr<Module>>::const_iterator;

  size_t size() const { return modules_.size(); }
  bool is_empty() const { return modules_.empty(); }
  /// The child at `index` (negative counts from the end).
  Module &operator[](int64_t index) const { return *ptr(index); }
  std::shared_ptr<Module> ptr(int64_t index) const;
  /// The child at `index` as its concrete type (throws if it is not an M).
  template <typename M> M &at(int64_t index) const {
    Module &m = (*this)[index];
    if (auto *p = dynamic_cast<M *>(&m))
      return *p;
    detail::bad_child_type(name().c_str(), std::to_string(index), m,
                           typeid(M).name());
  }
  /// Appends a child named by its position.
  template <detail::ModuleArg M> void push_back(M &&module) {
    push_back(std::to_string(modules_.size()), std::forward<M>(module));
  }
  /// Appends a named child.
  template <detail::ModuleArg M>
  void push_back(const std::string &name, M &&module) {
    append(name, detail::own_module(std::forward<M>(module)));
  }
  Iterator begin() const { return modules_.begin(); }
  Iterator end() const { return modules_.end(); }

protected:
  ModuleSequence() = default;
  void append(const std::string &name, std::shared_ptr<Module> module);

private:
  std::vector<std::shared_ptr<Module>> modules_;
};

/// Runs its children in order, each on the previous one's output.
class Sequential : public ModuleSequence {
public:
  Sequential() { check_registration(); }
  template <detail::ModuleArg... Ms>
  requires(sizeof...(Ms) > 0) explicit Sequential(Ms &&...modules) {
    (push_back(std::forward<Ms>(modules)), ...);
  }
  Sequential(std::initializer_list<NamedModule> modules);
  Sequential(Sequential &&) = default;
  Sequential &operator=(Sequential &&) = default;
  Tensor forward(const Tensor &input) override;
};

/// A list of modules without a forward of its own.
class ModuleList : public ModuleSequence {
public:
  ModuleList() { check_registration(); }
  template <detail::ModuleArg... Ms>
  requires(sizeof...(Ms) > 0) explicit ModuleList(Ms &&...modules) {
    (push_back(std::forward<Ms>(modules)), ...);
  }
};

/// Modules by name, in insertion order.
class ModuleDict : public Module {
public:
  ModuleDict() { check_registration(); }
  ModuleDict(std::initializer_list<NamedModule> modules);

  size_t size() const { return modules_.size(); }
  bool is_empty() const { return modules_.is_empty(); }
  bool contains(const std::string &key) const { return modules_.contains(key); }
  std::vector<std::string> keys() const { return modules_.keys(); }
  std::vector<std::shared_ptr<Module>> values() const {
    return modules_.values();
  }
  Module &operator[](const std::string &key) const { return *ptr(key); }
  std::shared_ptr<Module> ptr(const std::string &key) const;
  template <typename M> M &at(const std::string &key) const {
    Module &m = (*this)[key];
    if (auto *p = dynamic_cast<M *>(&m))
      return *p;
    detail::bad_child_type("ModuleDict", key, m, typeid(M).name());
  }
  /// Adds a child; the key must be new.
  template <detail::ModuleArg M>
  void insert(const std::string &key, M &&module) {
    add(key, detail::own_module(std::forward<M>(module)));
  }
  auto begin() const { return modules_.begin(); }
  auto end() const { return modules_.end(); }

private:
  void add(const std::string &key, std::shared_ptr<Module> module);
  OrderedDict<std::shared_ptr<Module>> modules_;
};

} // namespace ember::nn

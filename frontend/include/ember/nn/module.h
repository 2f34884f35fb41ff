// nn::Module: the base of every layer and model, with LibTorch's API and
// PyTorch's behaviour, without the Impl/holder split:
//
//   struct Net : nn::Module {
//     nn::Linear fc1{784, 256}, fc2{256, 10};
//     Net() {
//       register_module("fc1", fc1);
//       register_module("fc2", fc2);
//     }
//     Tensor forward(const Tensor &x) override {
//       return fc2(relu(fc1(x)));
//     }
//   };
//   Net net;  net(x);  net.parameters();  net.named_parameters() //
//   "fc1.weight", ...
//
// Submodules that are members are registered by reference (they move with
// their parent); containers own theirs (shared_ptr). A member module that
// was never registered is caught: the first call that walks the module tree
// (parameters(), state_dict(), to(), train(), printing, ...) throws an
// ember::Error naming the parent and the member's type.
#pragma once

#include "ember/nn/ordered_dict.h"
#include "ember/tensor.h"

#include <functional>
#include <memory>
#include <ostream>
#include <source_location>
#include <string>
#include <vector>

namespace ember::nn {

class Module {
public:
  Module();
  virtual ~Module();
  /// Copies are not meaningful (parameters are shared handles); modules
  /// move, and containers hold them by shared_ptr.
  Module(const Module &) = delete;
  Module &operator=(const Module &) = delete;
  Module(Module &&other) noexcept;
  Module &operator=(Module &&other) noexcept;

  /// The single-tensor forward most modules have; modules with other
  /// signatures declare their own forward (and call it directly).
  virtual Tensor forward(const Tensor &input);
  /// Runs forward(), with this module and the caller's location on the
  /// thread's call stack (the tracer names ops by it: "features.0", and
  /// places ops inside ember's own modules at the user's call).
  Tensor operator()(const Tensor &input,
                    std::source_location loc = std::source_location::current());

  /// The class name ("Linear"), used in printing.
  virtual std::string name() const;
  /// One line describing this module's options: "in_features=2, ...".
  virtual std::string extra_repr() const { return ""; }
  /// PyTorch's repr: "Net(\n  (fc1): Linear(...)\n)".
  std::string repr() const;

  // --- registration ---------------------------------------------------------
  /// Registers a parameter (requires_grad on by default) and returns the
  /// handle to keep in a member.
  Tensor register_parameter(const std::string &name, Tensor tensor,
                            bool requires_grad = true);
  /// Registers persistent state that is not trained (running statistics).
  Tensor register_buffer(const std::string &name, Tensor tensor);
  /// Registers a member submodule (by reference; it must be a member of this
  /// object, or outlive it).
  template <typename M> M &register_module(const std::string &name, M &module) {
    add_child(name, &module, nullptr);
    return module;
  }
  /// Registers a submodule this module owns.
  template <typename M>
  std::shared_ptr<M> register_module(const std::string &name,
                                     std::shared_ptr<M> module) {
    Module *raw = module.get();
    add_child(name, raw, std::static_pointer_cast<Module>(std::move(module)));
    return std::static_pointer_cast<M>(owned_child(name));
  }
  /// Replaces a registered parameter/buffer tensor (same name).
  void replace_parameter(const std::string &name, Tensor tensor);

  // --- traversal ------------------------------------------------------------
  std::vector<Tensor> parameters(bool recurse = true) const;
  OrderedDict<Tensor> named_parameters(bool recurse = true) const;
  std::vector<Tensor> buffers(bool recurse = true) const;
  OrderedDict<Tensor> named_buffers(bool recurse = true) const;
  std::vector<Module *> children() const;
  OrderedDict<Module *> named_children() const;
  /// This module and all below it, depth first.
  std::vector<Module *> modules(bool include_self = true) const;
  OrderedDict<Module *> named_modules(const std::string &prefix = "",
                                      bool include_self = true) const;
  /// Calls fn on every module (children first, as PyTorch's apply).
  Module &apply(const std::function<void(Module &)> &fn);
  Module &apply(const std::function<void(const std::string &, Module &)> &fn,
                const std::string &prefix = "");

  // --- state ----------------------------------------------------------------
  virtual void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }
  /// Moves/casts parameters and buffers in place (the handles stay valid).
  virtual void to(Device device, bool non_blocking = false);
  virtual void to(DType dtype);
  virtual void to(Device device, DType dtype);
  void zero_grad(bool set_to_none = true);

  /// Parameters and buffers by dotted name ("features.0.weight").
  OrderedDict<Tensor> state_dict() const;
  /// Copies values in (shapes must match). strict: every key must be
  /// present and no other key given.
  void load_state_dict(const OrderedDict<Tensor> &dict, bool strict = true);

  /// Throws if a member submodule was not registered (see file comment).
  void check_registration() const;

private:
  struct Child {
    std::string name;
    std::ptrdiff_t offset = 0;     // member: address relative to this
    std::shared_ptr<Module> owned; // container-owned
    bool external = false;         // registered by reference, not a member
    Module *external_ptr = nullptr;
  };
  struct Slot {
    std::string name;
    Tensor tensor;
  };
  void add_child(const std::string &name, Module *child,
                 std::shared_ptr<Module> owned);
  Module *child_ptr(const Child &c) const;
  std::shared_ptr<Module> owned_child(const std::string &name) const;
  void check_name(const std::string &name, const char *what) const;
  void close_window();
  template <typename F> void walk(const std::string &prefix, F &&f) const;
  /// Parameters or buffers (slots names the member) by dotted name.
  OrderedDict<Tensor> named_slots(std::vector<Slot> Module::*slots,
                                  bool recurse) const;

  std::vector<Slot> params_, buffers_;
  std::vector<Child> children_;
  bool training_ = true;
  uint64_t construction_seq_ = 0;
  uint64_t window_end_ = 0; // 0 while the construction window is open
  bool claimed_ = false;    // registered by a parent
};

std::ostream &operator<<(std::ostream &os, const Module &m);

/// Puts `module` on this thread's module call stack while alive; operator()
/// does it, and forwards with other signatures can too:
///   Tensor forward(const Tensor &x, const Tensor &y) {
///     nn::ModuleCallGuard in(this); ... }
class ModuleCallGuard {
public:
  explicit ModuleCallGuard(
      const Module *module,
      std::source_location loc = std::source_location::current());
  ~ModuleCallGuard();
  ModuleCallGuard(const ModuleCallGuard &) = delete;
  ModuleCallGuard &operator=(const ModuleCallGuard &) = delete;
};
struct ModuleCall {
  const Module *module;
  std::source_location loc; ///< where the module was called
};
/// The module calls running on this thread, outermost first.
const std::vector<ModuleCall> &module_call_stack();

} // namespace ember::nn

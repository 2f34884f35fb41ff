// ember::optim::Optimizer: the base of every optimizer, with LibTorch's
// names and PyTorch 1.13's behaviour.
//
//   optim::SGD opt(model.parameters(), optim::SGDOptions(0.1).momentum(0.9));
//   for (...) {
//     opt.zero_grad();
//     loss_fn(model(x), y).backward();
//     opt.step();
//   }
//
// Parameters are organised in groups (OptimizerParamGroup), each with its own
// options; a group built without options takes a copy of the optimizer's
// defaults. Group options are whole option structs (as in LibTorch): to
// change one value from the defaults, copy them, e.g.
//   auto base = optim::SGDOptions(0.1).momentum(0.9);
//   optim::SGD opt({optim::OptimizerParamGroup(body.parameters()),
//                   optim::OptimizerParamGroup(head.parameters(),
//                                              optim::SGDOptions(base).lr(0.01))},
//                  base);
//
// step() updates, under NoGradGuard and in place, every parameter that
// requires grad and has a gradient; others are skipped (no state is made for
// them). Per-parameter state (momentum buffers, moment estimates, step
// counts) is created lazily at the first update, as in PyTorch.
//
// state_dict() / load_state_dict() use PyTorch's layout: per-parameter state
// keyed by the parameter's index over all groups in order, with PyTorch's key
// names ("momentum_buffer", "exp_avg", "step", ...), and each group's options
// by PyTorch's param_group keys ("lr", "betas", ...).
#pragma once

#include "ember/nn/ordered_dict.h"
#include "ember/tensor.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <variant>
#include <vector>

namespace ember::optim {

/// A value in a state dict: an option (bool, number, betas as two doubles) or
/// a scheduler field (a mode name, a list of lrs, a list of milestones).
using StateValue = std::variant<bool, int64_t, double, std::string,
                                std::vector<double>, std::vector<int64_t>>;
using StateValueDict = OrderedDict<StateValue>;

/// Reads a number (int64 or double) from a state dict; throws naming `who`
/// when the key is missing or holds another kind of value.
double state_double(const StateValueDict &dict, const std::string &key,
                    const char *who);
int64_t state_int(const StateValueDict &dict, const std::string &key,
                  const char *who);
bool state_bool(const StateValueDict &dict, const std::string &key,
                const char *who);
std::string state_string(const StateValueDict &dict, const std::string &key,
                         const char *who);
std::vector<double> state_doubles(const StateValueDict &dict,
                                  const std::string &key, const char *who);
std::vector<int64_t> state_ints(const StateValueDict &dict,
                                const std::string &key, const char *who);

/// The options of one parameter group. Every optimizer's options struct
/// derives from this; the virtual accessors are what schedulers use.
class OptimizerOptions {
public:
  virtual ~OptimizerOptions() = default;
  virtual std::unique_ptr<OptimizerOptions> clone() const = 0;

  virtual double get_lr() const = 0;
  virtual void set_lr(double lr) = 0;
  /// SGD/RMSprop momentum (what OneCycleLR cycles when there are no betas).
  virtual bool has_momentum() const { return false; }
  virtual double get_momentum() const;
  virtual void set_momentum(double momentum);
  /// Adam/AdamW betas (OneCycleLR cycles beta1).
  virtual bool has_betas() const { return false; }
  virtual std::tuple<double, double> get_betas() const;
  virtual void set_betas(std::tuple<double, double> betas);

  /// The lr a schedule starts from (PyTorch's group['initial_lr']), set by
  /// the first scheduler attached to the optimizer.
  bool has_initial_lr() const { return initial_lr_set_; }
  double initial_lr() const;
  void set_initial_lr(double lr) {
    initial_lr_ = lr;
    initial_lr_set_ = true;
  }

  /// Checks every value; throws ember::Error "ember::<who>: Invalid learning
  /// rate: -0.1" (PyTorch's wording) for a bad one.
  virtual void validate(const char *who) const = 0;
  /// The options under PyTorch's param_group keys (plus initial_lr when set).
  virtual StateValueDict to_dict() const = 0;
  /// Sets the options from to_dict()'s layout (keys not given keep their
  /// value).
  virtual void from_dict(const StateValueDict &dict, const char *who) = 0;

protected:
  void initial_lr_to_dict(StateValueDict &dict) const;
  void initial_lr_from_dict(const StateValueDict &dict, const char *who);

private:
  double initial_lr_ = 0;
  bool initial_lr_set_ = false;
};

/// The state an optimizer keeps for one parameter.
class OptimizerParamState {
public:
  virtual ~OptimizerParamState() = default;
  virtual std::unique_ptr<OptimizerParamState> clone() const = 0;
  /// The state tensors under PyTorch's keys (a 0-dim "step" included),
  /// cloned.
  virtual OrderedDict<Tensor> to_dict() const = 0;
  /// The state tensors themselves (not copies; "step" counts excluded),
  /// e.g. to name them when a traced step is saved (jit::PackageOptions).
  virtual OrderedDict<Tensor> tensors() const { return {}; }
};

/// A list of parameters with their options.
class OptimizerParamGroup {
public:
  /// A group that takes the optimizer's defaults.
  OptimizerParamGroup(std::vector<Tensor> params)
      : params_(std::move(params)) {}
  OptimizerParamGroup(std::vector<Tensor> params,
                      std::unique_ptr<OptimizerOptions> options)
      : params_(std::move(params)), options_(std::move(options)) {}
  /// A group with its own options: OptimizerParamGroup(ps, SGDOptions(0.01)).
  template <typename O>
  requires std::is_base_of_v<OptimizerOptions, O>
  OptimizerParamGroup(std::vector<Tensor> params, const O &options)
      : params_(std::move(params)), options_(options.clone()) {}
  OptimizerParamGroup(const OptimizerParamGroup &other);
  OptimizerParamGroup &operator=(const OptimizerParamGroup &other);
  OptimizerParamGroup(OptimizerParamGroup &&) = default;
  OptimizerParamGroup &operator=(OptimizerParamGroup &&) = default;

  bool has_options() const { return options_ != nullptr; }
  OptimizerOptions &options();
  const OptimizerOptions &options() const;
  void set_options(std::unique_ptr<OptimizerOptions> options) {
    options_ = std::move(options);
  }
  std::vector<Tensor> &params() { return params_; }
  const std::vector<Tensor> &params() const { return params_; }

private:
  std::vector<Tensor> params_;
  std::unique_ptr<OptimizerOptions> options_;
};

/// Optimizer::state_dict(): PyTorch's {'state': ..., 'param_groups': ...}.
struct OptimizerStateDict {
  struct Group {
    /// Indices of the group's parameters over all groups, in order.
    std::vector<int64_t> params;
    StateValueDict options;
  };
  /// Parameter index -> its state tensors (only parameters that have state).
  std::map<int64_t, OrderedDict<Tensor>> state;
  std::vector<Group> param_groups;
};

/// Re-evaluates the model and returns the loss (run with grad mode on).
using LossClosure = std::function<Tensor()>;

class Optimizer {
public:
  virtual ~Optimizer();
  Optimizer(const Optimizer &) = delete;
  Optimizer &operator=(const Optimizer &) = delete;

  /// Adds a group (fine-tuning: unfreezing layers as training goes on). Its
  /// parameters must be leaves and in no other group; its options (or a copy
  /// of the defaults) are validated.
  void add_param_group(const OptimizerParamGroup &group);

  /// One update of every group. With a closure, calls it first with grad
  /// mode on and returns its loss (else an undefined tensor).
  virtual Tensor step(LossClosure closure = nullptr);

  /// Resets the gradients of all parameters: to undefined (set_to_none, the
  /// default as in PyTorch 2 / LibTorch), or to zeros (detached).
  void zero_grad(bool set_to_none = true);

  std::vector<OptimizerParamGroup> &param_groups() { return param_groups_; }
  const std::vector<OptimizerParamGroup> &param_groups() const {
    return param_groups_;
  }
  const OptimizerOptions &defaults() const { return *defaults_; }
  OptimizerOptions &defaults() { return *defaults_; }
  /// All parameters, group by group.
  std::vector<Tensor> parameters() const;
  /// The number of parameters over all groups.
  size_t size() const;
  /// The state of `param` (null before its first update).
  OptimizerParamState *state(const Tensor &param);
  const OptimizerParamState *state(const Tensor &param) const;

  /// The state and group options, with state tensors cloned (later steps do
  /// not change a saved dict).
  OptimizerStateDict state_dict() const;
  /// Restores what state_dict() gave (from this optimizer class, with the
  /// same group sizes). State tensors are copied and cast to each
  /// parameter's dtype and device ("step" keeps its own).
  void load_state_dict(const OptimizerStateDict &dict);

  /// "SGD", "Adam", ... (used in error messages: "ember::optim::SGD: ...").
  const std::string &name() const { return name_; }

protected:
  Optimizer(std::string name, std::vector<OptimizerParamGroup> param_groups,
            std::unique_ptr<OptimizerOptions> defaults);

  /// Updates the parameters of one group (called under NoGradGuard).
  virtual void update(OptimizerParamGroup &group) = 0;
  /// Builds a parameter's state from state_dict() tensors (already cast).
  virtual std::unique_ptr<OptimizerParamState>
  state_from_dict(const OrderedDict<Tensor> &dict) const = 0;

  /// The parameters of `group` to update now: requiring grad, with a
  /// gradient of the parameter's shape (checked).
  std::vector<Tensor> params_with_grad(const OptimizerParamGroup &group) const;
  /// The state of `param`, made by `init` at first use.
  template <typename S, typename Init>
  S &state_for(const Tensor &param, Init init) {
    auto &slot = state_[param.unsafe_impl()];
    if (!slot) {
      note_state_created();
      slot = init();
    }
    return static_cast<S &>(*slot);
  }
  /// The position of `group` in param_groups().
  size_t group_index(const OptimizerParamGroup &group) const {
    return static_cast<size_t>(&group - param_groups_.data());
  }
  /// Under jit tracing: this step creates state, so it runs eagerly and
  /// the next call traces again (compiled code cannot create state).
  void note_state_created() const;
  /// "optim::<name>" as a C string for EMBER_CHECK.
  const char *who() const { return who_.c_str(); }

private:
  std::string name_, who_;
  std::vector<OptimizerParamGroup> param_groups_;
  std::unique_ptr<OptimizerOptions> defaults_;
  std::unordered_map<const TensorImpl *, std::unique_ptr<OptimizerParamState>>
      state_;
};

} // namespace ember::optim

// Custom autograd functions, as in LibTorch:
//
//   struct XNorSign : ember::autograd::Function<XNorSign> {
//     static Tensor forward(AutogradContext *ctx, const Tensor &x) {
//       ctx->save_for_backward({x});
//       return x.sign();
//     }
//     static tensor_list backward(AutogradContext *ctx, tensor_list grads) {
//       Tensor x = ctx->get_saved_variables()[0];
//       return {grads[0] * (x.abs() <= 1)};  // straight-through estimator
//     }
//   };
//   Tensor y = XNorSign::apply(x);
//
// forward runs without recording; its outputs get a node that calls
// backward. backward returns one gradient per forward argument (undefined
// for arguments that are not tensors or need none).
#pragma once

#include "ember/autograd/grad_mode.h"
#include "ember/autograd/node.h"
#include "ember/tensor.h"

#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

namespace ember::autograd {

using tensor_list = TensorList;
using variable_list = TensorList;

/// A value kept in AutogradContext::saved_data (a small IValue).
class SavedValue {
public:
  SavedValue() = default;
  SavedValue(bool v) : v_(v) {}
  SavedValue(int v) : v_(static_cast<int64_t>(v)) {}
  SavedValue(int64_t v) : v_(v) {}
  SavedValue(double v) : v_(v) {}
  SavedValue(std::string v) : v_(std::move(v)) {}
  SavedValue(const char *v) : v_(std::string(v)) {}
  SavedValue(Tensor v) : v_(std::move(v)) {}
  SavedValue(std::vector<int64_t> v) : v_(std::move(v)) {}

  bool isBool() const { return std::holds_alternative<bool>(v_); }
  bool isInt() const { return std::holds_alternative<int64_t>(v_); }
  bool isDouble() const { return std::holds_alternative<double>(v_); }
  bool isString() const { return std::holds_alternative<std::string>(v_); }
  bool isTensor() const { return std::holds_alternative<Tensor>(v_); }
  bool toBool() const { return get<bool>("bool"); }
  int64_t toInt() const { return get<int64_t>("int"); }
  double toDouble() const {
    return isInt() ? static_cast<double>(toInt()) : get<double>("double");
  }
  const std::string &toStringRef() const { return get<std::string>("string"); }
  Tensor toTensor() const { return get<Tensor>("Tensor"); }
  const std::vector<int64_t> &toIntVector() const {
    return get<std::vector<int64_t>>("int list");
  }

private:
  template <typename T> const T &get(const char *what) const {
    if (!std::holds_alternative<T>(v_))
      EMBER_FAIL("saved_data", "the saved value is not a ", what);
    return std::get<T>(v_);
  }
  std::variant<std::monostate, bool, int64_t, double, std::string, Tensor,
               std::vector<int64_t>>
      v_;
};

class AutogradContext {
public:
  /// Tensors backward needs (inputs or outputs); version-checked on use.
  void save_for_backward(TensorList to_save);
  /// The saved tensors (raises if one was modified in place since).
  TensorList get_saved_variables() const;
  /// Non-tensor state for backward.
  std::unordered_map<std::string, SavedValue> saved_data;
  /// These outputs get no gradient (e.g. indices).
  void mark_non_differentiable(const TensorList &outputs);
  bool needs_input_grad(size_t arg_index) const;

  // --- used by Function<T>::apply and its node ----------------------------
  void set_owner(Node *owner) { owner_ = owner; }
  void set_needs_input_grad(std::vector<bool> v) {
    needs_input_grad_ = std::move(v);
  }
  /// Packs save_for_backward's tensors once the outputs are known.
  void pack_saved(const TensorList &outputs);
  bool is_non_differentiable(const Tensor &t) const;
  void release() {
    saved_.clear();
    released_ = true;
  }

private:
  TensorList to_save_;
  std::vector<SavedVariable> saved_;
  std::unordered_set<const TensorImpl *> non_differentiable_;
  std::vector<bool> needs_input_grad_;
  Node *owner_ = nullptr;
  bool released_ = false;
};

namespace detail {
/// The node of a custom function: calls `backward` and maps its results
/// back to the forward's tensor arguments.
class CppNodeBase : public Node {
public:
  CppNodeBase(std::string name, std::vector<int> tensor_arg_index,
              size_t num_args)
      : name_(std::move(name)), tensor_arg_index_(std::move(tensor_arg_index)),
        num_args_(num_args) {}
  std::string name() const override { return name_; }
  void release_variables() override { ctx_.release(); }
  AutogradContext ctx_;

protected:
  TensorList map_gradients(TensorList grads_per_arg) const;
  friend TensorList finish_apply(const std::shared_ptr<CppNodeBase> &,
                                 const std::vector<Tensor> &, TensorList, bool);
  void add_input_meta(const Tensor &t) {
    input_meta_.push_back(
        t.defined() ? TensorMeta{t.sizes().vec(), t.dtype(), t.device()}
                    : TensorMeta{});
  }
  std::vector<TensorMeta> input_meta_;
  std::string name_;
  std::vector<int> tensor_arg_index_; // tensor input k is forward arg [k]
  size_t num_args_;
};

template <class T> class CppNode final : public CppNodeBase {
public:
  using CppNodeBase::CppNodeBase;
  /// Gradients of outputs that took no part in the loss arrive as zeros.
  TensorList apply(TensorList &&grads) override {
    return map_gradients(T::backward(&ctx_, std::move(grads)));
  }
};

std::string function_name(const char *mangled);
void collect(std::vector<Tensor> &out, std::vector<int> &index, int arg,
             const Tensor &t);
void collect(std::vector<Tensor> &out, std::vector<int> &index, int arg,
             const TensorList &t);
template <typename A>
void collect(std::vector<Tensor> &, std::vector<int> &, int, const A &) {}
/// Connects the forward's outputs to `node` (or leaves them without
/// history when nothing requires grad). Returns the outputs to hand back.
TensorList finish_apply(const std::shared_ptr<CppNodeBase> &node,
                        const std::vector<Tensor> &inputs, TensorList outputs,
                        bool is_executable);
/// Applies the Function again on other tensor arguments (the non-tensor
/// arguments as traced): how a compiled step whose Function cannot be
/// compiled runs it eagerly, with a node that calls the user's backward.
using Replay = std::function<TensorList(const TensorList &)>;

/// Whether a jit tracer records this thread's ops (jit/trace.cpp).
bool is_traced();
/// Under jit tracing: the cotangents to record the user's backward with
/// (one per output), or false when no tracer records it (jit/trace.cpp).
/// `replay` is kept with the application.
bool begin_traced_backward(const std::vector<Tensor> &inputs,
                           const TensorList &outputs, TensorList &cotangents,
                           Replay replay);
/// The backward's gradients per tensor input, or why it failed.
void end_traced_backward(const TensorList &grads, const std::string &error);

/// Records the user's backward for the compiler: runs it once at trace
/// time on symbolic cotangents, so ember-autodiff can use the user's rule
/// (the eager tape keeps its own node and runs backward again as usual).
template <class N>
void trace_backward(N &node, const std::vector<Tensor> &inputs,
                    const TensorList &outputs, Replay replay) {
  TensorList cotangents;
  if (!begin_traced_backward(inputs, outputs, cotangents, std::move(replay)))
    return;
  TensorList grads;
  std::string error;
  try {
    AutoGradMode no_record(false);
    grads = node.apply(std::move(cotangents));
  } catch (const std::exception &e) {
    error = e.what();
    if (error.empty())
      error = "an exception";
  }
  end_traced_backward(grads, error);
}

// Tensor arguments of a replay: taken from `in` in collect()'s order (the
// traced tensors are dropped, so the replay keeps no trace-time memory).
inline void substitute(Tensor &a, const TensorList *in, size_t &pos) {
  a = in ? in->at(pos++) : Tensor();
}
inline void substitute(TensorList &a, const TensorList *in, size_t &pos) {
  for (Tensor &t : a)
    t = in ? in->at(pos++) : Tensor();
}
template <typename A> void substitute(A &, const TensorList *, size_t &) {}

inline TensorList as_list(Tensor t) { return {std::move(t)}; }
inline TensorList as_list(TensorList t) { return t; }

/// The replay of F::apply(args...) (empty when an argument cannot be
/// copied: such an application has no replay and its step stays eager).
template <class F, typename... Args> Replay make_replay(const Args &...args) {
  if constexpr ((std::is_copy_constructible_v<std::decay_t<Args>> && ...)) {
    auto saved = std::make_tuple(std::decay_t<Args>(args)...);
    size_t none = 0;
    std::apply([&](auto &...a) { (substitute(a, nullptr, none), ...); }, saved);
    return [saved](const TensorList &in) {
      auto args = saved;
      size_t pos = 0;
      std::apply([&](auto &...a) { (substitute(a, &in, pos), ...); }, args);
      EMBER_CHECK(pos == in.size(), "autograd::Function", "a replay takes ",
                  pos, " tensors, got ", in.size());
      return std::apply([](auto &...a) { return as_list(F::apply(a...)); },
                        args);
    };
  } else {
    return {};
  }
}

/// Notifies observers of a forward's begin and end (also when it throws).
class CustomFunctionScope {
public:
  explicit CustomFunctionScope(std::string name) : name_(std::move(name)) {
    ::ember::detail::notify_custom_function(name_, true);
  }
  ~CustomFunctionScope() {
    ::ember::detail::notify_custom_function(name_, false);
  }
  CustomFunctionScope(const CustomFunctionScope &) = delete;
  CustomFunctionScope &operator=(const CustomFunctionScope &) = delete;

private:
  std::string name_;
};
} // namespace detail

template <class T> struct Function {
  template <typename... Args> static auto apply(Args &&...args) {
    std::vector<Tensor> inputs;
    std::vector<int> index;
    int arg = 0;
    (detail::collect(inputs, index, arg++, args), ...);
    bool executable = GradMode::is_enabled();
    bool any = false;
    for (const Tensor &t : inputs)
      any = any || (t.defined() && t.requires_grad());
    executable = executable && any;
    auto node = std::make_shared<detail::CppNode<T>>(
        detail::function_name(typeid(T).name()), index, sizeof...(Args));
    std::vector<bool> needs;
    for (const Tensor &t : inputs)
      needs.push_back(executable && t.defined() && t.requires_grad());
    std::vector<bool> per_arg(sizeof...(Args), false);
    for (size_t k = 0; k < index.size(); ++k)
      per_arg[index[k]] = needs[k];
    // Copied before forward may move from them.
    detail::Replay replay;
    if (detail::is_traced())
      replay = detail::make_replay<T>(args...);
    node->ctx_.set_needs_input_grad(per_arg);
    node->ctx_.set_owner(node.get());
    using Out = decltype(T::forward(&node->ctx_, std::forward<Args>(args)...));
    TensorList outs;
    {
      // Observers (the tracer) see where the forward starts and ends, and
      // record its backward below, so compiled gradients are the user's.
      detail::CustomFunctionScope scope(
          detail::function_name(typeid(T).name()));
      AutoGradMode no_record(false);
      if constexpr (std::is_same_v<std::decay_t<Out>, Tensor>)
        outs.push_back(T::forward(&node->ctx_, std::forward<Args>(args)...));
      else
        outs = T::forward(&node->ctx_, std::forward<Args>(args)...);
    }
    outs = detail::finish_apply(node, inputs, std::move(outs), executable);
    detail::trace_backward(*node, inputs, outs, std::move(replay));
    if constexpr (std::is_same_v<std::decay_t<Out>, Tensor>)
      return outs[0];
    else
      return outs;
  }
};

} // namespace ember::autograd

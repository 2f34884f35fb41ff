// The dispatcher: the single path every eager op takes (ARCHITECTURE.md).
//
//   ember::add(a, b)  ->  dispatch(OpId::add, {a, b}, {{"alpha", 1}}, loc)
//     1. the op's implementation checks its arguments (ember::Error naming
//        the op, the shapes/dtypes/devices and what was expected), allocates
//        or views its outputs and runs the device kernel;
//     2. in-place ops bump their output's version counter;
//     3. autograd records a node (grad mode on, an input requiring grad;
//        autograd/record.cpp);
//     4. every active DispatchObserver (the tracer) sees the call: op,
//        attributes, inputs, outputs and the user's source location.
// Hooks fire for the outermost op only: an op implemented with other ops
// shows up once, as itself.
#pragma once

#include "ember/runtime/scalar.h"
#include "ember/tensor.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ember {

enum class OpFlag : uint32_t {
  None = 0,
  Differentiable = 1u << 0,
  View = 1u << 1,      // outputs alias the first input's storage
  Inplace = 1u << 2,   // writes into the first input
  EagerOnly = 1u << 3, // the compiler splits the trace here
  Random = 1u << 4,    // consumes the generator (records seed/offset)
  Composite = 1u << 5, // defined in terms of other ops
};
constexpr OpFlag operator|(OpFlag a, OpFlag b) {
  return static_cast<OpFlag>(static_cast<uint32_t>(a) |
                             static_cast<uint32_t>(b));
}
constexpr bool has_flag(OpFlag set, OpFlag f) {
  return (static_cast<uint32_t>(set) & static_cast<uint32_t>(f)) != 0;
}

enum class OpFamily : uint8_t {
  Unary,
  Binary,
  Compare,
  Ternary,
  Reduce,
  Softmax,
  Linalg,
  Conv,
  Pool,
  View,
  Shape,
  Copy,
  Index,
  Factory,
  Random,
};

enum class OpId : uint16_t {
#define EMBER_OP(name, family, flags) name,
#include "ember/ops.def"
#undef EMBER_OP
};

struct OpInfo {
  std::string_view name;
  OpFamily family;
  OpFlag flags;
};
const OpInfo &op_info(OpId op);
/// Every op of ops.def, in declaration order.
std::span<const OpInfo> all_ops();
std::string_view op_name(OpId op);

/// An attribute value: what an op takes besides tensors.
using AttrValue = std::variant<int64_t, double, bool, Scalar, DType, Device,
                               std::vector<int64_t>, std::string>;
struct Attr {
  const char *name;
  AttrValue value;
};

/// A small named list of attributes (ops have at most a handful).
class Attrs {
public:
  Attrs() = default;
  Attrs(std::initializer_list<Attr> l) : items_(l) {}
  void set(const char *name, AttrValue v);
  const AttrValue *find(std::string_view name) const;
  bool has(std::string_view name) const { return find(name) != nullptr; }
  /// Throws ember::Error when missing or of another type (an ember bug).
  template <typename T> const T &get(std::string_view name) const {
    const AttrValue *v = find(name);
    if (!v || !std::holds_alternative<T>(*v))
      missing(name);
    return std::get<T>(*v);
  }
  template <typename T> T get_or(std::string_view name, T dflt) const {
    const AttrValue *v = find(name);
    return v && std::holds_alternative<T>(*v) ? std::get<T>(*v) : dflt;
  }
  const std::vector<Attr> &items() const { return items_; }

private:
  [[noreturn]] void missing(std::string_view name) const;
  std::vector<Attr> items_;
};

/// One op invocation as the dispatcher, autograd and the tracer see it.
struct OpCall {
  OpId op;
  std::span<const Tensor> inputs;
  const Attrs &attrs;
  Loc loc;
  const char *name() const { return op_info(op).name.data(); }
};

/// Runs `op`: checks, kernel, version bump, autograd hook, observers.
TensorList dispatch(OpId op, std::span<const Tensor> inputs, const Attrs &attrs,
                    Loc loc);
inline TensorList dispatch(OpId op, std::initializer_list<Tensor> inputs,
                           const Attrs &attrs, Loc loc) {
  return dispatch(op, std::span<const Tensor>(inputs.begin(), inputs.size()),
                  attrs, loc);
}
/// For single-output ops.
Tensor dispatch1(OpId op, std::initializer_list<Tensor> inputs,
                 const Attrs &attrs, Loc loc);

/// Something that watches every outermost op on this thread (the tracer).
class DispatchObserver {
public:
  virtual ~DispatchObserver() = default;
  virtual void on_op(const OpCall &call, const TensorList &outputs) = 0;
  /// A tensor's values were read into C++ (item()): what follows may depend
  /// on the data.
  virtual void on_data_read(const Tensor &t, Loc loc) {
    (void)t;
    (void)loc;
  }
  /// A custom autograd::Function's forward starts (begin) or ends: the ops
  /// between are its own.
  virtual void on_custom_function(const std::string &name, bool begin) {
    (void)name;
    (void)begin;
  }
  /// Backpropagation from `roots` starts (begin) or ends: autograd::backward
  /// (`accumulate`: into the leaves' .grad) or autograd::grad. The ops
  /// between are the engine's.
  virtual void on_backward(const TensorList &roots, const TensorList &grads,
                           bool accumulate, bool begin) {
    (void)roots;
    (void)grads;
    (void)accumulate;
    (void)begin;
  }
};
/// Registers `obs` for the current thread while alive (RAII).
class ObserverGuard {
public:
  explicit ObserverGuard(DispatchObserver *obs);
  ~ObserverGuard();
  ObserverGuard(const ObserverGuard &) = delete;
  ObserverGuard &operator=(const ObserverGuard &) = delete;

private:
  DispatchObserver *obs_;
};

namespace detail {
/// Tells this thread's observers that a custom Function's forward begins
/// or ends (autograd::Function::apply).
void notify_custom_function(const std::string &name, bool begin);
/// Tells this thread's observers that backpropagation begins or ends.
void notify_backward(const TensorList &roots, const TensorList &grads,
                     bool accumulate, bool begin);
/// The implementation table, generated from ops.def (ops/registry.cpp).
using OpImpl = TensorList (*)(const OpCall &call);
OpImpl op_impl(OpId op);
} // namespace detail

} // namespace ember

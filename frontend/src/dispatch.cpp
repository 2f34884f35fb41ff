#include "ember/dispatch.h"
#include "autograd/record.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>

namespace ember {

namespace {

using enum OpFlag;
constexpr OpInfo kOps[] = {
#define EMBER_OP(name, family, flags) {#name, OpFamily::family, None | flags},
#include "ember/ops.def"
#undef EMBER_OP
};

thread_local int t_depth = 0;
thread_local std::vector<DispatchObserver *> t_observers;

struct DepthGuard {
  DepthGuard() { ++t_depth; }
  ~DepthGuard() { --t_depth; }
};

} // namespace

const OpInfo &op_info(OpId op) { return kOps[static_cast<size_t>(op)]; }
std::span<const OpInfo> all_ops() { return kOps; }
std::string_view op_name(OpId op) { return op_info(op).name; }

void Attrs::set(const char *name, AttrValue v) {
  for (auto &a : items_)
    if (std::strcmp(a.name, name) == 0) {
      a.value = std::move(v);
      return;
    }
  items_.push_back({name, std::move(v)});
}

const AttrValue *Attrs::find(std::string_view name) const {
  for (const auto &a : items_)
    if (name == a.name)
      return &a.value;
  return nullptr;
}

void Attrs::missing(std::string_view name) const {
  EMBER_FAIL("dispatch", "internal error: attribute '", name,
             "' missing or of the wrong type");
}

ObserverGuard::ObserverGuard(DispatchObserver *obs) : obs_(obs) {
  t_observers.push_back(obs);
}
ObserverGuard::~ObserverGuard() {
  auto it = std::find(t_observers.rbegin(), t_observers.rend(), obs_);
  if (it != t_observers.rend())
    t_observers.erase(std::next(it).base());
}

void detail::notify_data_read(const Tensor &t, Loc loc) {
  if (t_observers.empty() || t_depth != 0)
    return;
  DepthGuard in_observers;
  for (DispatchObserver *obs : t_observers)
    obs->on_data_read(t, loc);
}

void detail::notify_custom_function(const std::string &name, bool begin) {
  if (t_observers.empty() || t_depth != 0)
    return;
  DepthGuard in_observers;
  for (DispatchObserver *obs : t_observers)
    obs->on_custom_function(name, begin);
}

void detail::notify_backward(const TensorList &roots, const TensorList &grads,
                             bool accumulate, bool begin) {
  if (t_observers.empty() || t_depth != 0)
    return;
  DepthGuard in_observers;
  for (DispatchObserver *obs : t_observers)
    obs->on_backward(roots, grads, accumulate, begin);
}

TensorList dispatch(OpId op, std::span<const Tensor> inputs, const Attrs &attrs,
                    Loc loc) {
  OpCall call{op, inputs, attrs, loc};
  const bool outermost = t_depth == 0;
  autograd::PreRecord pre;
  TensorList outs;
  {
    // Ops run by pre_record (the copy of an in-place op's input) are nested:
    // neither recorded by autograd nor seen by observers.
    DepthGuard depth;
    if (outermost)
      pre = autograd::pre_record(call);
    outs = detail::op_impl(op)(call);
  }
  const OpInfo &info = op_info(op);
  if (has_flag(info.flags, OpFlag::Inplace) && !outs.empty())
    outs[0].unsafe_impl()->storage()->bump_version();
  if (outermost) {
    autograd::record(call, outs, pre);
    // Ops an observer runs (the tracer copying a constant) are nested:
    // no observer sees them.
    DepthGuard in_observers;
    for (DispatchObserver *obs : t_observers)
      obs->on_op(call, outs);
  }
  return outs;
}

Tensor dispatch1(OpId op, std::initializer_list<Tensor> inputs,
                 const Attrs &attrs, Loc loc) {
  TensorList outs = dispatch(op, inputs, attrs, loc);
  return std::move(outs[0]);
}

} // namespace ember

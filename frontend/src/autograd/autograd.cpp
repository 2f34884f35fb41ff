// Grad mode, per-tensor autograd state, Nodes, SavedVariable and
// AccumulateGrad.
#include "meta.h"

#include "ember/autograd/grad_mode.h"
#include "ember/ops.h"

#include <atomic>

namespace ember::autograd {

namespace {
thread_local bool t_grad_enabled = true;
std::atomic<uint64_t> g_sequence_nr{0};
} // namespace

bool GradMode::is_enabled() { return t_grad_enabled; }
void GradMode::set_enabled(bool enabled) { t_grad_enabled = enabled; }

AutogradMeta &materialize_meta(const Tensor &t) {
  TensorImpl *impl = t.unsafe_impl();
  EMBER_CHECK(impl, "autograd", "the tensor is undefined");
  if (!impl->autograd_meta())
    impl->set_autograd_meta(std::make_unique<AutogradMeta>());
  return *static_cast<AutogradMeta *>(impl->autograd_meta());
}

void set_history(const Tensor &t, const std::shared_ptr<Node> &fn,
                 uint32_t output_nr) {
  AutogradMeta &m = materialize_meta(t);
  m.grad_fn = fn;
  m.output_nr = output_nr;
  m.requires_grad = false; // a non-leaf: requires grad through grad_fn
}

Tensor alias_detached(const Tensor &t) {
  const TensorImpl &i = *t.unsafe_impl();
  auto impl =
      std::make_shared<TensorImpl>(i.storage(), i.dtype(), i.sizes().vec(),
                                   i.strides().vec(), i.storage_offset());
  impl->set_wrapped_number(i.is_wrapped_number());
  return Tensor(std::move(impl));
}

SavedVariable::SavedVariable(const Tensor &t, bool is_output)
    : is_output_(is_output) {
  if (!t.defined())
    return;
  saved_ = is_output ? alias_detached(t) : t;
  version_ = t._version();
}

Tensor SavedVariable::unpack(const Node &owner) const {
  EMBER_CHECK(!was_released_, "backward",
              "trying to backward through the graph a second time (or directly "
              "access saved tensors after they have already been freed). Saved "
              "intermediate values of the graph are freed when you call "
              "backward(); specify retain_graph=true if you need to backward "
              "through the graph a second time (in ",
              owner.name(), ")");
  if (!saved_.defined())
    return saved_;
  uint64_t now = saved_._version();
  EMBER_CHECK(now == version_, "backward",
              "one of the variables needed for gradient computation has been "
              "modified by an inplace operation: [",
              saved_.dtype(), " tensor of shape ", saved_.sizes(),
              "], which is ", is_output_ ? "an output" : "an input", " of ",
              owner.name(), ", is at version ", now, "; expected version ",
              version_, " instead");
  return saved_;
}

Node::Node() : sequence_nr_(g_sequence_nr.fetch_add(1)) {}

void Node::add_output_meta(const Tensor &t) {
  output_meta_.push_back({t.sizes().vec(), t.dtype(), t.device()});
  pre_hooks_.emplace_back();
}

size_t Node::add_pre_hook(size_t output_nr, Hook hook) {
  if (pre_hooks_.size() <= output_nr)
    pre_hooks_.resize(output_nr + 1);
  size_t id = next_hook_id_++;
  pre_hooks_[output_nr].emplace_back(id, std::move(hook));
  return id;
}

void Node::remove_pre_hook(size_t output_nr, size_t handle) {
  if (output_nr >= pre_hooks_.size())
    return;
  auto &v = pre_hooks_[output_nr];
  std::erase_if(v, [&](const auto &p) { return p.first == handle; });
}

TensorList Node::run_pre_hooks(TensorList grads) {
  for (size_t i = 0; i < pre_hooks_.size() && i < grads.size(); ++i)
    for (auto &[id, hook] : pre_hooks_[i]) {
      (void)id;
      Tensor r = hook(grads[i]);
      if (r.defined())
        grads[i] = r;
    }
  return grads;
}

AccumulateGrad::AccumulateGrad(const Tensor &leaf) : leaf_(leaf.impl_ptr()) {
  add_output_meta(leaf);
}

TensorList AccumulateGrad::apply(TensorList &&grads) {
  auto impl = leaf_.lock();
  if (!impl || !grads[0].defined())
    return {};
  Tensor leaf(impl);
  AutogradMeta &m = materialize_meta(leaf);
  Tensor g = std::move(grads[0]);
  for (auto &[id, hook] : m.hooks) {
    (void)id;
    Tensor r = hook(g);
    if (r.defined())
      g = r;
  }
  if (!GradMode::is_enabled())
    g = alias_detached(g);
  if (!m.grad.defined()) {
    // Own the buffer: the incoming gradient may alias another tensor; when
    // nothing else refers to its memory it is taken as is (no copy).
    bool sole = g.impl_ptr().use_count() == 1 &&
                g.unsafe_impl()->storage().use_count() == 1 &&
                g.is_contiguous();
    if (GradMode::is_enabled())
      m.grad = sole ? g : g.clone();
    else
      m.grad = sole ? g : alias_detached(g.clone());
  } else if (GradMode::is_enabled()) {
    m.grad = m.grad + g; // create_graph: keep the history, out of place
  } else {
    m.grad.add_(g);
  }
  return {};
}

TensorList NotDifferentiable::apply(TensorList &&) {
  EMBER_FAIL("backward", "the derivative of '", op_, "' is not implemented");
}

Edge gradient_edge(const Tensor &t) {
  AutogradMeta *m = meta_of(t);
  if (!m)
    return {};
  if (m->grad_fn)
    return {m->grad_fn, m->output_nr};
  if (!m->requires_grad)
    return {};
  std::shared_ptr<Node> acc = m->grad_accumulator.lock();
  if (!acc) {
    acc = std::make_shared<AccumulateGrad>(t);
    m->grad_accumulator = acc;
  }
  return {acc, 0};
}

} // namespace ember::autograd

// Tensor's autograd member functions.
#include "meta.h"

#include "ember/autograd/grad_mode.h"
#include "ember/tensor.h"

namespace ember {

using autograd::AutogradMeta;
using autograd::materialize_meta;
using autograd::meta_of;

bool Tensor::requires_grad() const { return autograd::requires_grad(*this); }

Tensor &Tensor::requires_grad_(bool requires_grad) {
  AutogradMeta *m = meta_of(*this);
  EMBER_CHECK(!(m && m->grad_fn) || requires_grad, "requires_grad_",
              "you can only change requires_grad flags of leaf variables (use "
              "detach() to get a leaf that does not require grad)");
  if (m && m->grad_fn)
    return *this;
  EMBER_CHECK(
      !requires_grad || is_floating_point(), "requires_grad_",
      "only tensors of floating point dtype can require gradients (got ",
      dtype(), ")");
  materialize_meta(*this).requires_grad = requires_grad;
  return *this;
}

Tensor Tensor::grad() const {
  const AutogradMeta *m = meta_of(*this);
  return m ? m->grad : Tensor();
}

Tensor &Tensor::mutable_grad() { return materialize_meta(*this).grad; }

void Tensor::backward(const Tensor &gradient, std::optional<bool> retain_graph,
                      bool create_graph) const {
  autograd::backward({*this}, {gradient}, retain_graph, create_graph);
}

bool Tensor::is_leaf() const {
  const AutogradMeta *m = meta_of(*this);
  return !m || !m->grad_fn;
}

std::shared_ptr<autograd::Node> Tensor::grad_fn() const {
  const AutogradMeta *m = meta_of(*this);
  return m ? m->grad_fn : nullptr;
}

uint32_t Tensor::output_nr() const {
  const AutogradMeta *m = meta_of(*this);
  return m ? m->output_nr : 0;
}

void Tensor::retain_grad() const {
  AutogradMeta &m = materialize_meta(*this);
  EMBER_CHECK(m.requires_grad || m.grad_fn, "retain_grad",
              "can't retain_grad on a tensor that has requires_grad=False");
  if (!m.grad_fn || m.retains_grad)
    return; // leaves keep their gradient anyway
  m.retains_grad = true;
  std::weak_ptr<TensorImpl> weak = impl_ptr();
  m.grad_fn->add_pre_hook(m.output_nr, [weak](const Tensor &g) {
    if (auto impl = weak.lock()) {
      Tensor self(impl);
      AutogradMeta &sm = materialize_meta(self);
      if (!sm.grad.defined())
        sm.grad = autograd::alias_detached(g).clone();
      else
        sm.grad = sm.grad + g;
    }
    return Tensor();
  });
}

bool Tensor::retains_grad() const {
  const AutogradMeta *m = meta_of(*this);
  return m && m->retains_grad;
}

void Tensor::set_data(const Tensor &new_data) const {
  EMBER_CHECK(new_data.defined(), "set_data", "the new data is undefined");
  impl().set_data(*new_data.unsafe_impl());
}

Tensor Tensor::detach() const { return autograd::alias_detached(*this); }

Tensor &Tensor::detach_() {
  AutogradMeta *m = meta_of(*this);
  if (m) {
    EMBER_CHECK(!m->is_view || !m->base.requires_grad(), "detach_",
                "can't detach views in-place; use detach() instead");
    m->grad_fn.reset();
    m->requires_grad = false;
  }
  return *this;
}

size_t
Tensor::register_hook_impl(std::function<Tensor(const Tensor &)> hook) const {
  AutogradMeta &m = materialize_meta(*this);
  EMBER_CHECK(
      m.requires_grad || m.grad_fn, "register_hook",
      "cannot register a hook on a tensor that doesn't require gradient");
  if (m.grad_fn)
    return m.grad_fn->add_pre_hook(m.output_nr, std::move(hook));
  size_t id = m.next_hook_id++;
  m.hooks.emplace_back(id, std::move(hook));
  return id;
}

void Tensor::remove_hook(size_t handle) const {
  AutogradMeta *m = meta_of(*this);
  if (!m)
    return;
  if (m->grad_fn) {
    m->grad_fn->remove_pre_hook(m->output_nr, handle);
    return;
  }
  std::erase_if(m->hooks, [&](const auto &p) { return p.first == handle; });
}

} // namespace ember

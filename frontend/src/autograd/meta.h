// Per-tensor autograd state, kept in TensorImpl's opaque slot (runtime/ does
// not know autograd). Internal to frontend/.
#pragma once

#include "ember/autograd/node.h"
#include "ember/tensor.h"

#include <memory>
#include <vector>

namespace ember::autograd {

struct AutogradMeta final : AutogradMetaBase {
  bool requires_grad = false; // for leaves; non-leaves have grad_fn
  Tensor grad;
  std::shared_ptr<Node> grad_fn;
  std::weak_ptr<Node> grad_accumulator;
  uint32_t output_nr = 0;
  bool retains_grad = false;
  std::vector<std::pair<size_t, Hook>> hooks; // leaf hooks
  size_t next_hook_id = 0;
  // A view of another tensor (in-place ops on it rewrite the base's history).
  bool is_view = false;
  Tensor base;
};

/// The tensor's meta, or null.
inline AutogradMeta *meta_of(const Tensor &t) {
  return t.defined()
             ? static_cast<AutogradMeta *>(t.unsafe_impl()->autograd_meta())
             : nullptr;
}
/// The tensor's meta, created on first use.
AutogradMeta &materialize_meta(const Tensor &t);

inline bool requires_grad(const Tensor &t) {
  const AutogradMeta *m = meta_of(t);
  return m && (m->requires_grad || m->grad_fn);
}

/// Makes `t` the output `output_nr` of `fn` (a non-leaf).
void set_history(const Tensor &t, const std::shared_ptr<Node> &fn,
                 uint32_t output_nr);

/// A new handle on t's data without autograd state (shares storage and the
/// version counter).
Tensor alias_detached(const Tensor &t);

} // namespace ember::autograd

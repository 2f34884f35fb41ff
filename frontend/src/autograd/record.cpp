// Recording: the dispatcher calls pre_record() before and record() after the
// kernel of every outermost op. When grad mode is on and an input requires
// grad, record() creates an OpNode (the op, its attributes and the saved
// inputs/outputs) whose gradient comes from the op's rule (rules_*.cpp).
//
// In-place ops rebase history: the written tensor becomes the op's output.
// When it is a view, the base's history is rewritten through CopySlices
// (PyTorch's algorithm): the base's gradient is copied, the slice the view
// covers is replaced by the op's gradient for its input, and the view itself
// gets an AsStrided node pointing at the base.
#include "record.h"
#include "meta.h"
#include "rules.h"

#include "ember/autograd/grad_mode.h"
#include "ember/factory.h"
#include "ember/ops.h"

#include <cctype>

namespace ember::autograd {

namespace {
std::string camel(std::string_view op) {
  std::string out;
  bool up = true;
  for (char c : op) {
    if (c == '_') {
      up = true;
      continue;
    }
    out.push_back(up ? static_cast<char>(std::toupper(c)) : c);
    up = false;
  }
  return out;
}

// Geometry of a tensor inside its storage.
struct Geometry {
  DimVector sizes, strides;
  int64_t offset;
  explicit Geometry(const Tensor &t)
      : sizes(t.sizes().vec()), strides(t.strides().vec()),
        offset(t.storage_offset()) {}
  Tensor on(const Tensor &flat) const {
    return flat.as_strided(sizes, strides, offset);
  }
};

int64_t storage_numel(const Tensor &t) {
  return static_cast<int64_t>(t.unsafe_impl()->storage()->nbytes() /
                              t.element_size());
}

// Gradient of a view with respect to its base, for views made stale by an
// in-place write (PyTorch's AsStridedBackward0).
class AsStridedBackward : public Node {
public:
  AsStridedBackward(const Tensor &base, const Tensor &view)
      : base_geom_(base), view_geom_(view), storage_numel_(storage_numel(base)),
        dtype_(base.dtype()) {}
  TensorList apply(TensorList &&grads) override {
    Tensor flat = zeros({storage_numel_}, dtype(dtype_));
    view_geom_.on(flat).copy_(grads[0]);
    return {base_geom_.on(flat).clone()};
  }
  std::string name() const override { return "AsStridedBackward0"; }

private:
  Geometry base_geom_, view_geom_;
  int64_t storage_numel_;
  DType dtype_;
};

class CopySlices : public Node {
public:
  CopySlices(const Tensor &base, const Tensor &view, std::shared_ptr<Node> fn)
      : base_geom_(base), view_geom_(view), storage_numel_(storage_numel(base)),
        dtype_(base.dtype()), fn_(std::move(fn)) {}
  TensorList apply(TensorList &&grads) override {
    Tensor flat = zeros({storage_numel_}, dtype(dtype_));
    Tensor result = base_geom_.on(flat);
    result.copy_(grads[0]);
    Tensor slice = view_geom_.on(flat);
    TensorList res = fn_->apply({slice.clone()});
    if (res[0].defined())
      slice.copy_(res[0]);
    else
      slice.zero_();
    TensorList out(next_edges_.size());
    out[0] = result.clone();
    for (size_t i = 1; i < res.size() && i < out.size(); ++i)
      out[i] = res[i];
    return out;
  }
  std::string name() const override { return "CopySlices"; }
  void release_variables() override { fn_->release_variables(); }

private:
  Geometry base_geom_, view_geom_;
  int64_t storage_numel_;
  DType dtype_;
  std::shared_ptr<Node> fn_;
};

// Stands in for an in-place op's first input inside CopySlices; never run.
const std::shared_ptr<Node> &copy_slices_placeholder() {
  static const std::shared_ptr<Node> p =
      std::make_shared<NotDifferentiable>("CopySlicesInput");
  return p;
}

bool any_requires_grad(std::span<const Tensor> ts) {
  for (const Tensor &t : ts)
    if (requires_grad(t))
      return true;
  return false;
}

} // namespace

// --- OpNode ------------------------------------------------------------------
OpNode::OpNode(const OpCall &call, const Tensor &original_self)
    : op_(call.op), attrs_(call.attrs) {
  const bool inplace = has_flag(op_info(op_).flags, OpFlag::Inplace);
  inputs_.reserve(call.inputs.size());
  for (size_t i = 0; i < call.inputs.size(); ++i) {
    // In-place ops read their first operand before writing it; an operand
    // that is the written tensor itself (x.mul_(x)) is that old value too,
    // and saving the tensor would make the node own itself.
    const bool is_self =
        inplace && (i == 0 || call.inputs[i].is_same(call.inputs[0]));
    const Tensor &t = is_self ? original_self : call.inputs[i];
    inputs_.emplace_back(t, /*is_output=*/false);
    input_sizes_.push_back(t.defined() ? t.sizes().vec() : DimVector{});
    input_dtypes_.push_back(t.defined() ? t.dtype() : kFloat32);
    next_edges_.push_back(gradient_edge(call.inputs[i]));
  }
}

void OpNode::save_outputs(const TensorList &outs) {
  for (const Tensor &o : outs) {
    outputs_.emplace_back(o, /*is_output=*/true);
    add_output_meta(o);
  }
}

TensorList OpNode::apply(TensorList &&grads) {
  GradRule rule = grad_rule(op_);
  EMBER_CHECK(rule, "backward", "the derivative of '", op_name(op_),
              "' is not implemented");
  TensorList in = rule(GradCtx(*this), grads);
  in.resize(next_edges_.size());
  for (size_t i = 0; i < in.size(); ++i)
    if (!next_edges_[i].is_valid())
      in[i] = Tensor();
  return in;
}

std::string OpNode::name() const { return camel(op_name(op_)) + "Backward0"; }

void OpNode::release_variables() {
  for (auto &s : inputs_)
    s.reset();
  for (auto &s : outputs_)
    s.reset();
}

// --- GradCtx
// -------------------------------------------------------------------
OpId GradCtx::op() const { return node_.op_; }
const Attrs &GradCtx::attrs() const { return node_.attrs_; }
size_t GradCtx::num_inputs() const { return node_.inputs_.size(); }
Tensor GradCtx::input(size_t i) const {
  return node_.inputs_.at(i).unpack(node_);
}
Tensor GradCtx::output(size_t i) const {
  return node_.outputs_.at(i).unpack(node_);
}
bool GradCtx::needs_grad(size_t i) const {
  return i < node_.next_edges().size() && node_.next_edges()[i].is_valid();
}
IntArrayRef GradCtx::input_sizes(size_t i) const {
  return node_.input_sizes_.at(i);
}
DType GradCtx::input_dtype(size_t i) const { return node_.input_dtypes_.at(i); }

// --- the dispatcher's entry points
// --------------------------------------------
PreRecord pre_record(const OpCall &call) {
  PreRecord pre;
  if (!GradMode::is_enabled() ||
      !has_flag(op_info(call.op).flags, OpFlag::Inplace) || call.inputs.empty())
    return pre;
  const Tensor &self = call.inputs[0];
  const AutogradMeta *m = meta_of(self);
  bool self_leaf_rg = m && m->requires_grad && !m->grad_fn;
  EMBER_CHECK(!self_leaf_rg, call.name(),
              "a leaf tensor that requires grad is being used in an in-place "
              "operation (use it under NoGradGuard, or clone it first)");
  if (m && m->is_view) {
    const AutogradMeta *bm = meta_of(m->base);
    EMBER_CHECK(
        !(bm && bm->requires_grad && !bm->grad_fn), call.name(),
        "a view of a leaf tensor that requires grad is being used in an "
        "in-place operation");
  }
  if (any_requires_grad(call.inputs) &&
      has_flag(op_info(call.op).flags, OpFlag::Differentiable)) {
    pre.active = true;
    // The rule may need self's value from before the write.
    pre.original_self = self.clone();
  }
  return pre;
}

void record(const OpCall &call, TensorList &outs, PreRecord &pre) {
  if (!GradMode::is_enabled())
    return;
  const OpFlag flags = op_info(call.op).flags;
  const bool is_view_op = has_flag(flags, OpFlag::View);
  const bool inplace = has_flag(flags, OpFlag::Inplace);
  if (!inplace && !outs.empty() && !call.inputs.empty()) {
    // Views remember their base so in-place writes can rewrite its history.
    // Composite ops (reshape, flatten) return views only when the layout
    // allows it: an output sharing the input's storage is one.
    const Tensor &src = call.inputs[0];
    for (Tensor &o : outs) {
      bool aliases = src.defined() && o.defined() && !o.is_same(src) &&
                     o.unsafe_impl()->storage() == src.unsafe_impl()->storage();
      if (!(is_view_op || aliases))
        continue;
      const AutogradMeta *sm = meta_of(src);
      AutogradMeta &om = materialize_meta(o);
      om.is_view = true;
      om.base = sm && sm->is_view ? sm->base : src;
    }
  }
  if (inplace ? !pre.active : !any_requires_grad(call.inputs))
    return;
  if (!has_flag(flags, OpFlag::Differentiable))
    return; // outputs (indices, masks, random draws) do not require grad
  auto node = std::make_shared<OpNode>(call, pre.original_self);
  node->save_outputs(outs);
  for (size_t i = 0; i < outs.size(); ++i) {
    const Tensor &o = outs[i];
    if (!o.defined() || !is_floating_point(o.dtype()))
      continue;
    if (inplace && i == 0) {
      AutogradMeta &m = materialize_meta(o);
      if (m.is_view) {
        Tensor base = m.base;
        auto cs = std::make_shared<CopySlices>(base, o, node);
        cs->mutable_next_edges().push_back(gradient_edge(base));
        for (size_t k = 1; k < node->next_edges().size(); ++k)
          cs->mutable_next_edges().push_back(node->next_edges()[k]);
        // The view's old history is replaced by the base's edge above. The
        // op's node keeps a placeholder there (so its rule still computes
        // the gradient for the view's old value) instead of the old view
        // node, which holds the base and would close a reference cycle.
        node->mutable_next_edges()[0] = {copy_slices_placeholder(), 0};
        cs->add_output_meta(base);
        set_history(base, cs, 0);
        auto view_fn = std::make_shared<AsStridedBackward>(base, o);
        view_fn->mutable_next_edges().push_back({cs, 0});
        view_fn->add_output_meta(o);
        set_history(o, view_fn, 0);
        continue;
      }
    }
    set_history(o, node, static_cast<uint32_t>(i));
  }
}

} // namespace ember::autograd

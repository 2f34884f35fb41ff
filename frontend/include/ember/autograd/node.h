// The autograd graph: Nodes (one per recorded op, plus AccumulateGrad for
// leaves) linked by Edges to the nodes that produced their inputs. Graphs
// are built per forward pass, so C++ control flow just works; a graph is
// freed when the last tensor referring to it goes away.
#pragma once

#include "ember/dispatch.h"
#include "ember/tensor.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ember::autograd {

class Node;

/// Where a gradient goes: input `input_nr` of `function`.
struct Edge {
  std::shared_ptr<Node> function;
  uint32_t input_nr = 0;
  bool is_valid() const { return function != nullptr; }
};

/// Shape, dtype and device of one forward output, to make zero gradients
/// for outputs that did not take part in the loss.
struct TensorMeta {
  DimVector sizes;
  DType dtype = kFloat32;
  Device device;
};

/// A tensor kept for backward, with the version it had when saved; unpacking
/// a tensor that was modified in place since then raises a clear error.
class SavedVariable {
public:
  SavedVariable() = default;
  /// Outputs are saved as detached aliases so that a node does not keep
  /// itself alive through its own output.
  SavedVariable(const Tensor &t, bool is_output);
  Tensor unpack(const Node &owner) const;
  bool defined() const { return saved_.defined(); }
  void reset() {
    saved_ = Tensor();
    was_released_ = true;
  }
  bool was_released() const { return was_released_; }

private:
  Tensor saved_;
  uint64_t version_ = 0;
  bool is_output_ = false;
  bool was_released_ = false;
};

using Hook = std::function<Tensor(const Tensor &)>;

class Node : public std::enable_shared_from_this<Node> {
public:
  Node();
  virtual ~Node() = default;
  Node(const Node &) = delete;
  Node &operator=(const Node &) = delete;

  /// Gradients of the forward inputs from gradients of the forward outputs
  /// (one per next edge; undefined = no gradient).
  virtual TensorList apply(TensorList &&grad_outputs) = 0;
  /// PyTorch-style readable name, e.g. "MulBackward0".
  virtual std::string name() const = 0;
  /// Frees saved tensors after a backward without retain_graph.
  virtual void release_variables() {}

  const std::vector<Edge> &next_edges() const { return next_edges_; }
  std::vector<Edge> &mutable_next_edges() { return next_edges_; }
  const Edge &next_edge(size_t i) const { return next_edges_[i]; }
  size_t num_inputs() const { return output_meta_.size(); }
  /// Creation order; the engine runs later nodes first.
  uint64_t sequence_nr() const { return sequence_nr_; }
  const TensorMeta &output_meta(size_t i) const { return output_meta_[i]; }
  void add_output_meta(const Tensor &t);

  /// Hooks on the gradient of forward output `i` (Tensor::register_hook on
  /// a non-leaf), run before apply; a defined return value replaces it.
  /// Returns a handle for remove_pre_hook.
  size_t add_pre_hook(size_t output_nr, Hook hook);
  void remove_pre_hook(size_t output_nr, size_t handle);
  TensorList run_pre_hooks(TensorList grads);

protected:
  std::vector<Edge> next_edges_;
  std::vector<TensorMeta> output_meta_;
  std::vector<std::vector<std::pair<size_t, Hook>>> pre_hooks_;
  uint64_t sequence_nr_;
  size_t next_hook_id_ = 0;
};

/// Accumulates into a leaf's .grad() (after the leaf's hooks).
class AccumulateGrad : public Node {
public:
  explicit AccumulateGrad(const Tensor &leaf);
  TensorList apply(TensorList &&grads) override;
  std::string name() const override { return "AccumulateGrad"; }
  Tensor variable() const { return Tensor(leaf_.lock()); }

private:
  std::weak_ptr<TensorImpl> leaf_;
};

/// A node that only raises: the graph reached something that cannot be
/// differentiated (kept so that the error names the op).
class NotDifferentiable : public Node {
public:
  explicit NotDifferentiable(std::string op) : op_(std::move(op)) {}
  TensorList apply(TensorList &&) override;
  std::string name() const override { return op_ + "Backward0"; }

private:
  std::string op_;
};

/// The edge a gradient for `t` should flow into (its grad_fn, or its
/// AccumulateGrad when it is a leaf that requires grad); invalid otherwise.
Edge gradient_edge(const Tensor &t);

/// Whether the op has a gradient rule (every op flagged Differentiable in
/// ops.def must; a test checks it).
bool has_gradient_rule(OpId op);

/// Runs backward from `roots` (torch.autograd.backward). `grad_roots` may
/// hold undefined tensors for scalar roots (ones are used).
void backward(const TensorList &roots, const TensorList &grad_roots = {},
              std::optional<bool> retain_graph = std::nullopt,
              bool create_graph = false);

/// Gradients of `outputs` with respect to `inputs` without touching .grad()
/// (torch.autograd.grad). allow_unused=false raises for an input that the
/// outputs do not depend on.
TensorList grad(const TensorList &outputs, const TensorList &inputs,
                const TensorList &grad_outputs = {},
                std::optional<bool> retain_graph = std::nullopt,
                bool create_graph = false, bool allow_unused = false);

} // namespace ember::autograd

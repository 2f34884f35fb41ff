// Gradient rules, one per differentiable op of ops.def (tinygrad's
// gradient.py, in C++): given the saved inputs/outputs/attributes of a
// recorded op and the gradients of its outputs, return one gradient per
// input (undefined where the input needs none). Rules are written with
// ember ops, so with create_graph they are themselves differentiable.
#pragma once

#include "ember/autograd/node.h"
#include "ember/dispatch.h"

#include <array>

namespace ember::autograd {

class OpNode;

/// What a rule may look at.
class GradCtx {
public:
  GradCtx(const OpNode &node) : node_(node) {}
  OpId op() const;
  const Attrs &attrs() const;
  size_t num_inputs() const;
  /// Saved forward input i (version-checked); undefined when it was not a
  /// tensor.
  Tensor input(size_t i) const;
  /// Saved forward output i (version-checked).
  Tensor output(size_t i) const;
  /// Whether input i needs a gradient (skip the work when not).
  bool needs_grad(size_t i) const;
  IntArrayRef input_sizes(size_t i) const;
  DType input_dtype(size_t i) const;

private:
  const OpNode &node_;
};

using GradRule = TensorList (*)(const GradCtx &ctx, const TensorList &grads);

/// The rule table, indexed by OpId; null for ops without a rule.
struct RuleTable {
  std::array<GradRule, 256> rules{};
  void set(OpId op, GradRule r) { rules[static_cast<size_t>(op)] = r; }
};
const RuleTable &rule_table();
GradRule grad_rule(OpId op);

// Each family registers its rules (rules_*.cpp); rule_table() calls them all.
void register_elementwise_rules(RuleTable &t);
void register_reduce_rules(RuleTable &t);
void register_view_rules(RuleTable &t);
void register_linalg_rules(RuleTable &t);
void register_index_rules(RuleTable &t);

// Helpers for rules.
/// Sums `g` down to `shape` (undoing broadcasting).
Tensor sum_to(const Tensor &g, IntArrayRef shape);
/// g cast to dtype when it differs (gradients take their input's dtype).
Tensor to_dtype(const Tensor &g, DType dtype);
/// Output i of a (not in-place) op for use in a rule. Saved outputs are
/// detached aliases, so while a gradient graph is being built
/// (create_graph) the op is run again on its saved inputs to get an output
/// connected to the graph; otherwise this is c.output(i).
Tensor output_for_grad(const GradCtx &c, size_t i = 0);

} // namespace ember::autograd

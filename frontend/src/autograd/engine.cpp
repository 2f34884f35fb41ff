// The backward engine. Counts, for every node reachable from the roots, how
// many edges lead into it; then runs nodes whose gradients are complete,
// latest-created first (a topological order that matches PyTorch's), summing
// gradients that arrive at the same input. Single-threaded and
// deterministic.
#include "meta.h"

#include "ember/autograd/grad_mode.h"
#include "ember/factory.h"

#include <queue>
#include <unordered_map>
#include <unordered_set>

namespace ember::autograd {

namespace {

struct Capture {
  uint32_t input_nr;
  size_t index;
};

struct GraphTask {
  bool retain_graph = false;
  bool create_graph = false;
  bool accumulate = true; // false for grad(): leaves' .grad() stays untouched
  std::unordered_map<Node *, int> deps;
  std::unordered_map<Node *, TensorList> buffers;
  std::unordered_map<Node *, std::vector<Capture>> captures;
  TensorList captured;
};

struct Later {
  bool operator()(const std::shared_ptr<Node> &a,
                  const std::shared_ptr<Node> &b) const {
    return a->sequence_nr() < b->sequence_nr();
  }
};

void add_grad(TensorList &buf, size_t i, const Tensor &g) {
  if (buf.size() <= i)
    buf.resize(i + 1);
  if (!buf[i].defined())
    buf[i] = g;
  else
    buf[i] = buf[i] + g;
}

void count_dependencies(GraphTask &task,
                        const std::vector<std::shared_ptr<Node>> &roots) {
  std::unordered_set<Node *> seen;
  std::vector<Node *> stack;
  for (auto &r : roots)
    if (seen.insert(r.get()).second)
      stack.push_back(r.get());
  while (!stack.empty()) {
    Node *n = stack.back();
    stack.pop_back();
    for (const Edge &e : n->next_edges()) {
      if (!e.is_valid())
        continue;
      task.deps[e.function.get()]++;
      if (seen.insert(e.function.get()).second)
        stack.push_back(e.function.get());
    }
  }
}

void execute(GraphTask &task, const TensorList &roots,
             const TensorList &grad_roots) {
  std::vector<std::shared_ptr<Node>> root_nodes;
  std::vector<std::pair<Edge, Tensor>> root_grads;
  for (size_t i = 0; i < roots.size(); ++i) {
    const Tensor &r = roots[i];
    Edge e = gradient_edge(r);
    EMBER_CHECK(
        e.is_valid(), "backward", "element ", i,
        " of tensors does not require grad and does not have a grad_fn");
    Tensor g = i < grad_roots.size() ? grad_roots[i] : Tensor();
    if (!g.defined()) {
      EMBER_CHECK(r.numel() == 1, "backward",
                  "grad can be implicitly created only for scalar outputs (got "
                  "a tensor of shape ",
                  r.sizes(), ")");
      g = ones_like(r);
    } else {
      EMBER_CHECK(g.sizes() == r.sizes(), "backward",
                  "mismatch in shape: grad_output[", i, "] has a shape of ",
                  g.sizes(), " and output[", i, "] has a shape of ", r.sizes());
      if (g.dtype() !=
          r.dtype()) // as PyTorch: the gradient takes the output's dtype
        g = g.to(r.dtype());
    }
    root_nodes.push_back(e.function);
    root_grads.emplace_back(e, g);
  }
  count_dependencies(task, root_nodes);
  for (auto &[e, g] : root_grads)
    add_grad(task.buffers[e.function.get()], e.input_nr, g);

  std::priority_queue<std::shared_ptr<Node>, std::vector<std::shared_ptr<Node>>,
                      Later>
      ready;
  std::unordered_set<Node *> queued;
  for (auto &n : root_nodes)
    if (task.deps[n.get()] == 0 && queued.insert(n.get()).second)
      ready.push(n);

  AutoGradMode mode(task.create_graph);
  while (!ready.empty()) {
    std::shared_ptr<Node> node = ready.top();
    ready.pop();
    TensorList grads = std::move(task.buffers[node.get()]);
    task.buffers.erase(node.get());
    grads.resize(node->num_inputs());
    for (size_t i = 0; i < grads.size(); ++i)
      if (!grads[i].defined()) {
        const TensorMeta &m = node->output_meta(i);
        grads[i] = zeros(m.sizes, dtype(m.dtype).device(m.device));
      }
    grads = node->run_pre_hooks(std::move(grads));
    if (auto it = task.captures.find(node.get()); it != task.captures.end())
      for (const Capture &c : it->second)
        task.captured[c.index] = grads[c.input_nr];
    TensorList outs;
    bool is_acc = dynamic_cast<AccumulateGrad *>(node.get()) != nullptr;
    if (!is_acc || task.accumulate) {
      outs = node->apply(std::move(grads));
      if (!task.retain_graph)
        node->release_variables();
    }
    const auto &edges = node->next_edges();
    for (size_t i = 0; i < edges.size(); ++i) {
      const Edge &e = edges[i];
      if (!e.is_valid())
        continue;
      if (i < outs.size() && outs[i].defined())
        add_grad(task.buffers[e.function.get()], e.input_nr, outs[i]);
      if (--task.deps[e.function.get()] == 0 &&
          queued.insert(e.function.get()).second)
        ready.push(e.function);
    }
  }
}

} // namespace

namespace {
// Observers (the tracer) see where the engine's work starts and ends.
struct BackwardScope {
  const TensorList &roots, &grads;
  bool accumulate;
  BackwardScope(const TensorList &r, const TensorList &g, bool acc)
      : roots(r), grads(g), accumulate(acc) {
    ::ember::detail::notify_backward(roots, grads, accumulate, true);
  }
  ~BackwardScope() {
    ::ember::detail::notify_backward(roots, grads, accumulate, false);
  }
};
} // namespace

void backward(const TensorList &roots, const TensorList &grad_roots,
              std::optional<bool> retain_graph, bool create_graph) {
  BackwardScope scope(roots, grad_roots, true);
  GraphTask task;
  task.create_graph = create_graph;
  task.retain_graph = retain_graph.value_or(create_graph);
  execute(task, roots, grad_roots);
}

TensorList grad(const TensorList &outputs, const TensorList &inputs,
                const TensorList &grad_outputs,
                std::optional<bool> retain_graph, bool create_graph,
                bool allow_unused) {
  BackwardScope scope(outputs, grad_outputs, false);
  GraphTask task;
  task.create_graph = create_graph;
  task.retain_graph = retain_graph.value_or(create_graph);
  task.accumulate = false;
  task.captured.resize(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    Edge e = gradient_edge(inputs[i]);
    EMBER_CHECK(e.is_valid(), "grad", "input ", i,
                " does not require grad (and so has no gradient)");
    task.captures[e.function.get()].push_back({e.input_nr, i});
  }
  // Keep leaf accumulators alive for the captures above.
  std::vector<Edge> keep;
  for (const Tensor &t : inputs)
    keep.push_back(gradient_edge(t));
  execute(task, outputs, grad_outputs);
  for (size_t i = 0; i < inputs.size(); ++i)
    EMBER_CHECK(allow_unused || task.captured[i].defined(), "grad", "input ", i,
                " is not used in the graph of the outputs (pass "
                "allow_unused=true to get an undefined gradient instead)");
  return task.captured;
}

} // namespace ember::autograd

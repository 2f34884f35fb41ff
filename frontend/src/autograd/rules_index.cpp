// Gradient rules of the shape-copying and index families: cat, stack,
// gather, scatter_add, index_select, advanced indexing (index_tensor) and
// index_put_. Formulas follow PyTorch's derivatives.yaml:
//   cat/stack      each input gets its slice of the gradient
//   gather         scatter_add of the gradient into zeros
//   scatter_add    self: the gradient; src: the gradient gathered
//   index_select   index_put_(accumulate) of the gradient into zeros
//   index_tensor   index_put_(accumulate) of the gradient into zeros, so
//                  duplicate indices sum
//   index_put_     self: the gradient with the written positions zeroed
//                  (kept whole when accumulating); values: the gradient at
//                  the indexed positions, summed down to the values' shape
// Operands (ops/index.cpp): index_tensor {self, idx...}, index_put_ {self,
// values, idx...}; an undefined index means the whole dim.
#include "rules.h"

#include "ember/factory.h"
#include "ember/indexing.h"
#include "ember/ops.h"

#include <optional>

namespace ember::autograd {

namespace {

#define RULE(NAME) TensorList NAME(const GradCtx &c, const TensorList &grads)
#define G grads[0]

Tensor fit(const GradCtx &c, size_t i, const Tensor &g) {
  return c.needs_grad(i) ? to_dtype(g, c.input_dtype(i)) : Tensor();
}

Tensor zeros_for(const GradCtx &c, size_t i, const Tensor &g) {
  return zeros(c.input_sizes(i), dtype(g.dtype()).device(g.device()));
}

bool legacy_empty(IntArrayRef s) { return s.size() == 1 && s[0] == 0; }

RULE(cat) {
  const size_t n = c.num_inputs();
  TensorList r(n);
  // The cat dim, wrapped against the first input that is not a legacy 1-D
  // empty tensor (those are skipped by the forward).
  int64_t nd = -1;
  for (size_t i = 0; i < n && nd < 0; ++i)
    if (!legacy_empty(c.input_sizes(i)))
      nd = static_cast<int64_t>(c.input_sizes(i).size());
  if (nd < 0) { // all inputs were [0]
    for (size_t i = 0; i < n; ++i)
      r[i] = c.needs_grad(i) ? zeros({0}, dtype(c.input_dtype(i))) : Tensor();
    return r;
  }
  const int64_t d = wrap_dim("cat", c.attrs().get<int64_t>("dim"), nd);
  int64_t pos = 0;
  for (size_t i = 0; i < n; ++i) {
    IntArrayRef s = c.input_sizes(i);
    if (legacy_empty(s)) {
      r[i] = c.needs_grad(i) ? zeros({0}, dtype(c.input_dtype(i))) : Tensor();
      continue;
    }
    if (c.needs_grad(i))
      r[i] = fit(c, i, G.narrow(d, pos, s[d]));
    pos += s[d];
  }
  return r;
}

RULE(stack) {
  const size_t n = c.num_inputs();
  const int64_t d = wrap_dim("stack", c.attrs().get<int64_t>("dim"), G.dim());
  TensorList r(n);
  for (size_t i = 0; i < n; ++i)
    if (c.needs_grad(i))
      r[i] = fit(c, i, G.select(d, static_cast<int64_t>(i)));
  return r;
}

RULE(gather) {
  if (!c.needs_grad(0))
    return {Tensor(), Tensor()};
  const int64_t dim = c.attrs().get<int64_t>("dim");
  return {zeros_for(c, 0, G).scatter_add(dim, c.input(1), G), Tensor()};
}

RULE(scatter_add) {
  const int64_t dim = c.attrs().get<int64_t>("dim");
  Tensor gsrc;
  if (c.needs_grad(2)) {
    const Tensor index = c.input(1);
    gsrc = G.gather(dim, index);
    // src may be larger than index: its other elements were never read.
    if (gsrc.sizes() != c.input_sizes(2)) {
      Tensor full = zeros_for(c, 2, G);
      Tensor part = full;
      for (int64_t k = 0; k < gsrc.dim(); ++k)
        part = part.narrow(k, 0, gsrc.size(k));
      part.copy_(gsrc);
      gsrc = full;
    }
  }
  return {fit(c, 0, G), Tensor(), gsrc};
}

RULE(index_select) {
  if (!c.needs_grad(0))
    return {Tensor(), Tensor()};
  const Tensor index = c.input(1);
  IntArrayRef s = c.input_sizes(0);
  if (s.empty()) // a 0-dim input: the one selected element
    return {G.reshape({})};
  const int64_t d = wrap_dim("index_select", c.attrs().get<int64_t>("dim"),
                             static_cast<int64_t>(s.size()));
  std::vector<std::optional<Tensor>> idx(static_cast<size_t>(d));
  idx.emplace_back(index.reshape({-1}));
  Tensor r = zeros_for(c, 0, G);
  ember::index_put_(r, idx, G, /*accumulate=*/true);
  return {r};
}

// The index operands of index_tensor / index_put_ from input `first` on.
std::vector<std::optional<Tensor>> indices_of(const GradCtx &c, size_t first) {
  std::vector<std::optional<Tensor>> idx;
  for (size_t i = first; i < c.num_inputs(); ++i) {
    Tensor t = c.input(i);
    if (t.defined())
      idx.emplace_back(t);
    else
      idx.emplace_back(std::nullopt);
  }
  return idx;
}

RULE(index_tensor) {
  if (!c.needs_grad(0))
    return {};
  Tensor r = zeros_for(c, 0, G);
  ember::index_put_(r, indices_of(c, 1), G, /*accumulate=*/true);
  return {r};
}

RULE(index_put_) {
  const auto idx = indices_of(c, 2);
  Tensor gself, gvalues;
  if (c.needs_grad(0)) {
    if (c.attrs().get_or<bool>("accumulate", false)) {
      gself = G;
    } else {
      gself = G.clone();
      ember::index_put_(gself, idx, zeros({}, dtype(G.dtype())), false);
    }
  }
  if (c.needs_grad(1))
    gvalues = sum_to(ember::index(G, idx), c.input_sizes(1));
  return {fit(c, 0, gself), fit(c, 1, gvalues)};
}

#undef RULE
#undef G

} // namespace

void register_index_rules(RuleTable &t) {
  t.set(OpId::cat, cat);
  t.set(OpId::stack, stack);
  t.set(OpId::gather, gather);
  t.set(OpId::scatter_add, scatter_add);
  t.set(OpId::index_select, index_select);
  t.set(OpId::index_tensor, index_tensor);
  t.set(OpId::index_put_, index_put_);
}

} // namespace ember::autograd

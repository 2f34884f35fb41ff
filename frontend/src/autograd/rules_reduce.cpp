// Gradient rules of the reduction and softmax families. Formulas follow
// PyTorch 1.13's derivatives.yaml / FunctionsManual.cpp:
//   sum, mean      the gradient broadcast back (divided by the count);
//   prod           out / x without zeros, else the product of the others
//                  (never a division by zero);
//   amax, amin     split evenly between tied extrema;
//   max/min(dim)   to the index taken (the indices get no gradient);
//   var, std       2 (x - mean) / (N - correction), std's scaled by
//                  1 / (2 std) and 0 where std is 0;
//   logsumexp      exp(x - out);
//   norm           per p (2, 1, +-inf, 0, p < 1, p < 2, else), subgradient 0
//                  at 0;
//   softmax        y (g - sum(g y)); log_softmax g - exp(y) sum(g).
// Every rule first restores the reduced dims of the output gradient (and of
// saved outputs) so that it broadcasts against the input.
#include "rules.h"

#include "ember/factory.h"
#include "ember/ops.h"

#include <cmath>

namespace ember::autograd {

namespace {

int64_t wrap(int64_t d, int64_t nd) { return d < 0 ? d + nd : d; }

// The reduced dims of a reduction (wrapped, in order; all dims when the
// attribute is empty) and whether they were kept.
struct Reduced {
  DimVector dims;
  bool keepdim = false;
  bool all = false; // no dims given: every dim is reduced
};

Reduced reduced_of(const GradCtx &c) {
  Reduced r;
  const int64_t nd = static_cast<int64_t>(c.input_sizes(0).size());
  r.keepdim = c.attrs().get_or<bool>("keepdim", false);
  std::vector<int64_t> given;
  if (const AttrValue *d = c.attrs().find("dim"))
    given.push_back(std::get<int64_t>(*d));
  else
    given = c.attrs().get_or<std::vector<int64_t>>("dims", {});
  r.all = given.empty();
  if (nd == 0)
    return r; // a 0-dim input reduces nothing
  std::vector<bool> red(static_cast<size_t>(nd), r.all);
  for (int64_t d : given)
    red[static_cast<size_t>(wrap(d, nd))] = true;
  for (int64_t d = 0; d < nd; ++d)
    if (red[static_cast<size_t>(d)])
      r.dims.push_back(d);
  return r;
}

// t (shaped like the reduction's output) with the reduced dims put back as
// size 1, so it broadcasts against the input.
Tensor restore(const Tensor &t, const Reduced &r, IntArrayRef in_sizes) {
  if (r.keepdim || in_sizes.empty() || !t.defined())
    return t;
  DimVector shape(in_sizes.begin(), in_sizes.end());
  for (int64_t d : r.dims)
    shape[static_cast<size_t>(d)] = 1;
  return t.reshape(shape);
}

// Sum over the reduced dims, kept (bool inputs count).
Tensor sum_kept(const Tensor &t, const Reduced &r) {
  return r.dims.empty() ? t : t.sum(r.dims, /*keepdim=*/true);
}

// Number of elements each output element reduces.
int64_t reduced_count(const Reduced &r, IntArrayRef in_sizes) {
  int64_t n = 1;
  for (int64_t d : r.dims)
    n *= in_sizes[static_cast<size_t>(d)];
  return n;
}

// The gradient for input 0, in the input's shape and dtype.
Tensor fit0(const GradCtx &c, const Tensor &g) {
  Tensor r = g.sizes() == c.input_sizes(0) ? g : g.expand(c.input_sizes(0));
  return to_dtype(r, c.input_dtype(0));
}

#define RULE(NAME) TensorList NAME(const GradCtx &c, const TensorList &grads)

RULE(sum) {
  const Reduced r = reduced_of(c);
  Tensor g = restore(grads[0], r, c.input_sizes(0));
  return {fit0(c, g).contiguous()};
}

RULE(mean) {
  const Reduced r = reduced_of(c);
  Tensor g = restore(grads[0], r, c.input_sizes(0));
  const int64_t n = reduced_count(r, c.input_sizes(0));
  return {fit0(c, g / static_cast<double>(n)).contiguous()};
}

// The product over the reduced dims, kept.
Tensor prod_kept(Tensor t, const Reduced &r) {
  for (int64_t d : r.dims)
    t = prod(t, d, /*keepdim=*/true);
  return t;
}

RULE(prod) {
  const Reduced r = reduced_of(c);
  Tensor x = c.input(0);
  Tensor g = restore(grads[0], r, c.input_sizes(0));
  Tensor zero = x == 0;
  if (zero.sum().item<int64_t>() == 0)
    return {fit0(c, g * restore(output_for_grad(c), r, c.input_sizes(0)) / x)};
  // With zeros: the product of the other elements, computed without
  // dividing by a zero. A slice with one zero sends its whole gradient to
  // that zero; a slice with several zeros gets none. `z` (the sum of the
  // zeros' values) is 0 but carries their gradient, so that the result
  // also differentiates correctly (create_graph).
  Tensor safe = where(zero, 1.0, x);
  Tensor others = prod_kept(safe, r); // product of the non-zero elements
  Tensor count = sum_kept(zero, r);
  Tensor z = sum_kept(where(zero, x, 0.0), r);
  Tensor at_nonzero = where(count == 0, others / safe,
                            where(count == 1, z * others / safe, 0.0));
  Tensor at_zero =
      where(count == 1, others, where(count == 2, (z - x) * others, 0.0));
  Tensor d = where(zero, at_zero, at_nonzero);
  return {fit0(c, g * d)};
}

// amax/amin: the gradient is split evenly between the elements equal to
// the result. A full reduction (max()/min()) sends it to the NaNs when the
// result is NaN, as PyTorch's evenly_distribute_backward.
TensorList extremum(const GradCtx &c, const TensorList &grads) {
  const Reduced r = reduced_of(c);
  Tensor x = c.input(0);
  Tensor out = restore(c.output(0), r, c.input_sizes(0));
  Tensor mask = x == out;
  if (r.all)
    mask = logical_or(mask, logical_and(x != x, out != out));
  Tensor g = restore(grads[0], r, c.input_sizes(0));
  return {fit0(c, (g / sum_kept(mask, r)) * mask)};
}

// max_dim/min_dim: the gradient goes to the element the index names.
RULE(value_at_index) {
  const Reduced r = reduced_of(c);
  IntArrayRef in = c.input_sizes(0);
  if (in.empty())
    return {fit0(c, grads[0]), Tensor()};
  const int64_t d = r.dims[0];
  Tensor g = restore(grads[0], r, in);
  Tensor idx = restore(c.output(1), r, in);
  DimVector shape(in.size(), 1);
  shape[static_cast<size_t>(d)] = in[static_cast<size_t>(d)];
  Tensor pos = arange(in[static_cast<size_t>(d)], dtype(kInt64)).reshape(shape);
  return {fit0(c, where(pos == idx, g, 0.0))};
}

// var's gradient given the gradient of var (already restored).
Tensor var_backward(const GradCtx &c, const Reduced &r, const Tensor &g) {
  Tensor x = c.input(0);
  const int64_t correction = c.attrs().get_or<int64_t>("correction", 1);
  const int64_t dof = reduced_count(r, c.input_sizes(0)) - correction;
  Tensor centered = x - mean(x, r.dims, /*keepdim=*/true);
  return g * centered * (2.0 / static_cast<double>(dof));
}

RULE(var) {
  const Reduced r = reduced_of(c);
  return {fit0(c, var_backward(c, r, restore(grads[0], r, c.input_sizes(0))))};
}

RULE(std) {
  const Reduced r = reduced_of(c);
  Tensor out = restore(output_for_grad(c), r, c.input_sizes(0));
  Tensor g = restore(grads[0], r, c.input_sizes(0));
  Tensor g_var = (g / (out * 2)).masked_fill(out == 0, 0);
  return {fit0(c, var_backward(c, r, g_var))};
}

RULE(logsumexp) {
  const Reduced r = reduced_of(c);
  Tensor out = restore(output_for_grad(c), r, c.input_sizes(0));
  Tensor g = restore(grads[0], r, c.input_sizes(0));
  return {fit0(c, g * exp(c.input(0) - out))};
}

RULE(norm) {
  const Reduced r = reduced_of(c);
  const double p = c.attrs().get<Scalar>("p").to_double();
  Tensor x = c.input(0);
  Tensor n = restore(output_for_grad(c), r, c.input_sizes(0));
  Tensor g = restore(grads[0], r, c.input_sizes(0));
  if (p == 0.0)
    return {fit0(c, zeros_like(x))};
  if (p == 1.0)
    return {fit0(c, sign(x) * g)};
  if (p == 2.0)
    return {fit0(c, g * (x / n).masked_fill(n == 0, 0))};
  if (std::isinf(p)) {
    // As amax(abs(x)), with NaNs counted as the extremum.
    Tensor ax = x.abs();
    Tensor mask = logical_or(ax == n, ax != ax);
    return {fit0(c, sign(x) * ((g / sum_kept(mask, r)) * mask))};
  }
  if (p < 1.0) {
    Tensor scaled = sign(x) * pow(x.abs(), p - 1).masked_fill(x == 0, 0);
    return {fit0(c, scaled * g * pow(n, 1 - p))};
  }
  Tensor scaled =
      p < 2.0 ? sign(x) * pow(x.abs(), p - 1) : x * pow(x.abs(), p - 2);
  Tensor scale = (g / pow(n, p - 1)).masked_fill(n == 0, 0);
  return {fit0(c, scaled * scale)};
}

int64_t softmax_dim(const GradCtx &c) {
  return wrap(c.attrs().get<int64_t>("dim"),
              static_cast<int64_t>(c.input_sizes(0).size()));
}

RULE(softmax) {
  Tensor y = output_for_grad(c);
  const Tensor &g = grads[0];
  const int64_t d = softmax_dim(c);
  Tensor gy = g * y;
  return {fit0(c, gy - y * gy.sum({d}, /*keepdim=*/true))};
}

RULE(log_softmax) {
  Tensor y = output_for_grad(c);
  const Tensor &g = grads[0];
  const int64_t d = softmax_dim(c);
  return {fit0(c, g - exp(y) * g.sum({d}, /*keepdim=*/true))};
}

#undef RULE

} // namespace

void register_reduce_rules(RuleTable &t) {
  t.set(OpId::sum, sum);
  t.set(OpId::mean, mean);
  t.set(OpId::prod, prod);
  t.set(OpId::amax, extremum);
  t.set(OpId::amin, extremum);
  t.set(OpId::max_dim, value_at_index);
  t.set(OpId::min_dim, value_at_index);
  t.set(OpId::var, var);
  t.set(OpId::std, std);
  t.set(OpId::logsumexp, logsumexp);
  t.set(OpId::norm, norm);
  t.set(OpId::softmax, softmax);
  t.set(OpId::log_softmax, log_softmax);
}

} // namespace ember::autograd

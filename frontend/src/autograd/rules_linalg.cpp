// Gradient rules of the linalg, conv and pool families: mm, bmm, matmul (all
// of torch.matmul's shape cases), conv2d and the pools, and the gradient
// ops of conv2d and the pools themselves (double backward).
//
// matmul: 1-D operands are first made matrices as the forward does (a row
// on the left, a column on the right), the gradients are the matrix ones,
//   dA = dOut @ B^T,  dB = A^T @ dOut,
// and sum_to folds broadcast batch dims back onto each operand's shape.
// conv2d and the pools call the *_backward ops (kernels/conv_backward.h);
// those ops are linear in grad_output, so their own rules are the forward
// op (the adjoint of an adjoint) and the other gradient op; for
// max_pool2d_backward that forward needs the argmax positions, gathered
// from the windows of the saved input.
#include "rules.h"

#include "ember/factory.h"
#include "ember/ops.h"

#include <algorithm>
#include <limits>

namespace ember::autograd {

namespace {

#define RULE(NAME) TensorList NAME(const GradCtx &c, const TensorList &grads)
#define G grads[0]

using Ints = std::vector<int64_t>;

Tensor fit(const GradCtx &c, size_t i, const Tensor &g) {
  return c.needs_grad(i) ? to_dtype(g, c.input_dtype(i)) : Tensor();
}

// l @ r laid out like `like` (PyTorch's mm_mat*_backward): the gradient of a
// transposed matrix (a weight used as w.t()) is computed transposed, so the
// transpose rule hands back a contiguous gradient that AccumulateGrad takes
// without copying.
Tensor mm_like(const Tensor &l, const Tensor &r, const Tensor &like) {
  bool column_major = like.dim() == 2 && like.size(0) > 1 && like.size(1) > 1 &&
                      like.stride(0) == 1 && like.stride(1) == like.size(0);
  return column_major ? ember::mm(r.t(), l.t()).t() : ember::mm(l, r);
}

RULE(mm) {
  const Tensor a = c.input(0), b = c.input(1);
  return {c.needs_grad(0) ? fit(c, 0, mm_like(G, b.t(), a)) : Tensor(),
          c.needs_grad(1) ? fit(c, 1, mm_like(a.t(), G, b)) : Tensor()};
}

RULE(bmm) {
  return {c.needs_grad(0) ? fit(c, 0, ember::bmm(G, c.input(1).transpose(1, 2)))
                          : Tensor(),
          c.needs_grad(1) ? fit(c, 1, ember::bmm(c.input(0).transpose(1, 2), G))
                          : Tensor()};
}

RULE(matmul) {
  const Tensor a = c.input(0), b = c.input(1);
  const int64_t da = a.dim(), db = b.dim();
  if (da == 1 && db == 1) // dot product: a 0-dim result
    return {c.needs_grad(0) ? fit(c, 0, G * b) : Tensor(),
            c.needs_grad(1) ? fit(c, 1, G * a) : Tensor()};
  // Matrices [..., M, K] @ [..., K, N] and the gradient as [..., M, N].
  const Tensor a2 = da == 1 ? a.unsqueeze(0) : a;
  const Tensor b2 = db == 1 ? b.unsqueeze(1) : b;
  const Tensor g2 = da == 1 ? G.unsqueeze(-2) : db == 1 ? G.unsqueeze(-1) : G;
  Tensor ga, gb;
  if (c.needs_grad(0)) {
    ga = ember::matmul(g2, b2.transpose(-1, -2));
    ga = sum_to(ga, a2.sizes()).reshape(a.sizes());
  }
  if (c.needs_grad(1)) {
    const int64_t K = a2.size(-1), N = g2.size(-1);
    if (b2.dim() == 2) // one GEMM (over the folded batch when a is batched)
      gb = mm_like(a2.reshape({-1, K}).t(), g2.reshape({-1, N}), b2);
    else
      gb = sum_to(matmul(a2.transpose(-1, -2), g2), b2.sizes());
    gb = gb.reshape(b.sizes());
  }
  return {fit(c, 0, ga), fit(c, 1, gb)};
}

// conv2d's attributes, passed on unchanged.
struct ConvArgs {
  Ints stride, padding, dilation;
  int64_t groups;
  explicit ConvArgs(const Attrs &a)
      : stride(a.get<Ints>("stride")), padding(a.get<Ints>("padding")),
        dilation(a.get<Ints>("dilation")), groups(a.get<int64_t>("groups")) {}
};

RULE(conv2d) {
  const ConvArgs p(c.attrs());
  Tensor gx, gw, gb;
  if (c.needs_grad(0))
    gx = ember::conv2d_backward_input(G, c.input(1), c.input_sizes(0), p.stride,
                                      p.padding, p.dilation, p.groups);
  if (c.needs_grad(1))
    gw =
        ember::conv2d_backward_weight(G, c.input(0), c.input_sizes(1), p.stride,
                                      p.padding, p.dilation, p.groups);
  if (c.num_inputs() > 2 && c.needs_grad(2))
    gb = G.dim() == 4 ? G.sum({0, 2, 3}) : G.sum({1, 2});
  TensorList r{fit(c, 0, gx), fit(c, 1, gw)};
  if (c.num_inputs() > 2)
    r.push_back(fit(c, 2, gb));
  return r;
}

// conv2d_backward_input(go, w) is linear in each operand:
// <dx, u> = <go, conv2d(u, w)>, so d/dgo = conv2d(gg, w) and
// d/dw = conv2d_backward_weight(go, gg).
RULE(conv2d_backward_input) {
  const ConvArgs p(c.attrs());
  Tensor ggo, gw;
  if (c.needs_grad(0))
    ggo = ember::conv2d(G, c.input(1), Tensor(), p.stride, p.padding,
                        p.dilation, p.groups);
  if (c.needs_grad(1))
    gw =
        ember::conv2d_backward_weight(c.input(0), G, c.input_sizes(1), p.stride,
                                      p.padding, p.dilation, p.groups);
  return {fit(c, 0, ggo), fit(c, 1, gw)};
}

// <dw, v> = <go, conv2d(x, v)>: d/dgo = conv2d(x, gg), d/dx =
// conv2d_backward_input(go, gg).
RULE(conv2d_backward_weight) {
  const ConvArgs p(c.attrs());
  Tensor ggo, gx;
  if (c.needs_grad(0))
    ggo = ember::conv2d(c.input(1), G, Tensor(), p.stride, p.padding,
                        p.dilation, p.groups);
  if (c.needs_grad(1))
    gx = ember::conv2d_backward_input(c.input(0), G, c.input_sizes(1), p.stride,
                                      p.padding, p.dilation, p.groups);
  return {fit(c, 0, ggo), fit(c, 1, gx)};
}

RULE(max_pool2d) {
  const Attrs &a = c.attrs();
  return {fit(c, 0,
              ember::max_pool2d_backward(
                  G, c.input(0), a.get<Ints>("kernel_size"),
                  a.get<Ints>("stride"), a.get<Ints>("padding"),
                  a.get<Ints>("dilation"), a.get<bool>("ceil_mode")))};
}

RULE(avg_pool2d) {
  const Attrs &a = c.attrs();
  return {fit(c, 0,
              ember::avg_pool2d_backward(
                  G, c.input_sizes(0), a.get<Ints>("kernel_size"),
                  a.get<Ints>("stride"), a.get<Ints>("padding"),
                  a.get<bool>("ceil_mode"), a.get<bool>("count_include_pad")))};
}

// avg_pool2d_backward is avg_pool2d's adjoint, so its own gradient is
// avg_pool2d.
RULE(avg_pool2d_backward) {
  const Attrs &a = c.attrs();
  return {fit(c, 0,
              ember::avg_pool2d(G, a.get<Ints>("kernel_size"),
                                a.get<Ints>("stride"), a.get<Ints>("padding"),
                                a.get<bool>("ceil_mode"),
                                a.get<bool>("count_include_pad")))};
}

// `t` padded along spatial dim `dim` with `before` and `after` elements of
// value `v` (ember has no pad op: a cat with full tensors).
Tensor pad_dim(const Tensor &t, int64_t dim, int64_t before, int64_t after,
               double v) {
  if (before == 0 && after == 0)
    return t;
  TensorList parts;
  auto filler = [&](int64_t n) {
    std::vector<int64_t> shape(t.sizes().begin(), t.sizes().end());
    shape[static_cast<size_t>(dim)] = n;
    return full(shape, v, dtype(t.dtype()).device(t.device()));
  };
  if (before > 0)
    parts.push_back(filler(before));
  parts.push_back(t);
  if (after > 0)
    parts.push_back(filler(after));
  return cat(parts, dim);
}

// The kH * kW window elements of `t` (the pool's spatial dims last, padded
// with `pad_value`), stacked on a new last dim in the order the pool scans
// a window: [..., OH, OW, kH * kW].
Tensor pool_windows(const Tensor &t, const Ints &k, const Ints &s,
                    const Ints &p, const Ints &d, IntArrayRef out,
                    double pad_value) {
  const int64_t nd = t.dim();
  Tensor padded = t;
  for (size_t a = 0; a < 2; ++a) {
    const int64_t dim = nd - 2 + static_cast<int64_t>(a);
    const int64_t o = out[static_cast<size_t>(dim)];
    // The last window ends here in padded coordinates; with ceil_mode it
    // may run past the right padding.
    const int64_t reach = (k[a] - 1) * d[a] + s[a] * (o - 1) + 1;
    const int64_t n = t.size(dim) + 2 * p[a];
    padded = pad_dim(padded, dim, p[a], p[a] + std::max<int64_t>(0, reach - n),
                     pad_value);
  }
  TensorList taps;
  const int64_t oh = out[static_cast<size_t>(nd - 2)];
  const int64_t ow = out[static_cast<size_t>(nd - 1)];
  for (int64_t i = 0; i < k[0]; ++i)
    for (int64_t j = 0; j < k[1]; ++j)
      taps.push_back(
          padded.slice(nd - 2, i * d[0], i * d[0] + s[0] * (oh - 1) + 1, s[0])
              .slice(nd - 1, j * d[1], j * d[1] + s[1] * (ow - 1) + 1, s[1]));
  return stack(taps, nd);
}

// max_pool2d_backward(go, x) routes go to each window's argmax of x: it is
// linear in go, and its adjoint reads the double gradient gg at the same
// argmax positions, what max_pool2d's forward with saved indices would
// gather. Implemented with ember ops (padding with -inf so padded elements
// never win, the windows stacked, argmax, gather), so it is differentiable
// itself and the IR rule (ir/lib/IR/Gradients/NNRules.cpp) builds the same
// ops. Ties go to the first maximum in scan order, as the kernel's. The op
// is piecewise constant in x: no gradient there.
RULE(max_pool2d_backward) {
  Tensor ggo;
  if (c.needs_grad(0)) {
    const Attrs &a = c.attrs();
    const Ints k = a.get<Ints>("kernel_size"), s = a.get<Ints>("stride"),
               p = a.get<Ints>("padding"), d = a.get<Ints>("dilation");
    const IntArrayRef out = c.input_sizes(0);
    const Tensor x = c.input(1);
    const int64_t last = x.dim();
    Tensor idx = pool_windows(x, k, s, p, d, out,
                              -std::numeric_limits<double>::infinity())
                     .argmax(last, /*keepdim=*/true);
    ggo = pool_windows(G, k, s, p, d, out, 0.0).gather(last, idx).squeeze(last);
  }
  return {fit(c, 0, ggo), Tensor()};
}

#undef RULE
#undef G

} // namespace

void register_linalg_rules(RuleTable &t) {
  t.set(OpId::mm, mm);
  t.set(OpId::bmm, bmm);
  t.set(OpId::matmul, matmul);
  t.set(OpId::conv2d, conv2d);
  t.set(OpId::conv2d_backward_input, conv2d_backward_input);
  t.set(OpId::conv2d_backward_weight, conv2d_backward_weight);
  t.set(OpId::max_pool2d, max_pool2d);
  t.set(OpId::avg_pool2d, avg_pool2d);
  t.set(OpId::max_pool2d_backward, max_pool2d_backward);
  t.set(OpId::avg_pool2d_backward, avg_pool2d_backward);
}

} // namespace ember::autograd

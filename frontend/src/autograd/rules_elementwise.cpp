// Gradient rules of the elementwise family: unary math, binary arithmetic
// with broadcasting and promotion, where/clamp/masked_fill, their in-place
// forms, and the copy ops. Formulas follow PyTorch's derivatives.yaml.
#include "rules.h"

#include "ember/factory.h"
#include "ember/ops.h"

#include <cmath>

namespace ember::autograd {

namespace {

// The gradient for input i: broadcasting undone, in the input's dtype.
Tensor fit(const GradCtx &c, size_t i, const Tensor &g) {
  if (!c.needs_grad(i))
    return Tensor();
  return to_dtype(sum_to(g, c.input_sizes(i)), c.input_dtype(i));
}

Tensor alpha_of(const GradCtx &c, const Tensor &g) {
  Scalar a = c.attrs().get_or<Scalar>("alpha", Scalar(1));
  return a.to_double() == 1.0 ? g : g * a;
}

#define RULE(NAME) TensorList NAME(const GradCtx &c, const TensorList &grads)
#define G grads[0]

RULE(neg) { return {fit(c, 0, -G)}; }
RULE(abs) { return {fit(c, 0, G * sign(c.input(0)))}; }
RULE(exp) { return {fit(c, 0, G * output_for_grad(c))}; }
RULE(log) { return {fit(c, 0, G / c.input(0))}; }
RULE(log1p) { return {fit(c, 0, G / (c.input(0) + 1))}; }
RULE(sqrt) { return {fit(c, 0, G / (output_for_grad(c) * 2))}; }
RULE(rsqrt) {
  Tensor o = output_for_grad(c);
  return {fit(c, 0, G * o * o * o * -0.5)};
}
RULE(sin) { return {fit(c, 0, G * cos(c.input(0)))}; }
RULE(cos) { return {fit(c, 0, -G * sin(c.input(0)))}; }
RULE(tanh) {
  Tensor o = output_for_grad(c);
  return {fit(c, 0, G * (1 - o * o))};
}
RULE(sigmoid) {
  Tensor o = output_for_grad(c);
  return {fit(c, 0, G * o * (1 - o))};
}
RULE(relu) { return {fit(c, 0, G * (c.output(0) > 0))}; }
RULE(gelu) {
  Tensor x = c.input(0);
  if (c.attrs().get<std::string>("approximate") == "tanh") {
    const double k = std::sqrt(2.0 / M_PI), b = 0.044715;
    Tensor x2 = x * x;
    Tensor t = tanh((x + x2 * x * b) * k);
    Tensor d =
        (1 + t) * 0.5 + x * (1 - t * t) * ((x2 * (3 * b) + 1) * (0.5 * k));
    return {fit(c, 0, G * d)};
  }
  // out = x * cdf(x), so cdf = out / x (0.5 at x = 0).
  Tensor cdf = where(x == 0, 0.5, output_for_grad(c) / x);
  Tensor pdf = exp(x * x * -0.5) * (1.0 / std::sqrt(2.0 * M_PI));
  return {fit(c, 0, G * (cdf + x * pdf))};
}
RULE(zero_grad) { return {fit(c, 0, zeros_like(G))}; }

RULE(add) { return {fit(c, 0, G), fit(c, 1, alpha_of(c, G))}; }
RULE(sub) { return {fit(c, 0, G), fit(c, 1, -alpha_of(c, G))}; }
RULE(mul) {
  return {c.needs_grad(0) ? fit(c, 0, G * c.input(1)) : Tensor(),
          c.needs_grad(1) ? fit(c, 1, G * c.input(0)) : Tensor()};
}
RULE(div) {
  Tensor b = c.input(1);
  return {c.needs_grad(0) ? fit(c, 0, G / b) : Tensor(),
          c.needs_grad(1) ? fit(c, 1, -G * c.input(0) / (b * b)) : Tensor()};
}
RULE(pow) {
  Tensor a = c.input(0), b = c.input(1);
  Tensor ga, gb;
  if (c.needs_grad(0))
    ga = fit(c, 0, where(b == 0, 0.0, G * b * pow(a, b - 1)));
  if (c.needs_grad(1)) {
    // d/db a^b = a^b log a, taken as 0 where a == 0 and b >= 0.
    Tensor v = G * pow(a, b) * log(a);
    gb = fit(c, 1, where(logical_and(a == 0, b >= 0), 0.0, v));
  }
  return {ga, gb};
}
// PyTorch splits the gradient evenly between equal operands.
TensorList extremum(const GradCtx &c, const Tensor &g, bool is_max) {
  Tensor a = c.input(0), b = c.input(1);
  Tensor shared = where(a == b, g / 2, g);
  Tensor a_wins = is_max ? a > b : a < b, b_wins = is_max ? b > a : b < a;
  return {fit(c, 0, shared.masked_fill(b_wins, 0)),
          fit(c, 1, shared.masked_fill(a_wins, 0))};
}
RULE(maximum) { return extremum(c, G, true); }
RULE(minimum) { return extremum(c, G, false); }

RULE(where) {
  Tensor cond = c.input(0);
  return {Tensor(), c.needs_grad(1) ? fit(c, 1, where(cond, G, 0.0)) : Tensor(),
          c.needs_grad(2) ? fit(c, 2, where(cond, 0.0, G)) : Tensor()};
}
RULE(clamp) {
  Tensor x = c.input(0);
  Tensor keep = ones_like(x, dtype(kBool));
  if (const AttrValue *lo = c.attrs().find("min"))
    keep = logical_and(keep, x >= std::get<Scalar>(*lo));
  if (const AttrValue *hi = c.attrs().find("max"))
    keep = logical_and(keep, x <= std::get<Scalar>(*hi));
  return {fit(c, 0, G * keep)};
}
RULE(masked_fill) {
  return {fit(c, 0, G.masked_fill(c.input(1), 0)), Tensor()};
}
RULE(identity) { return {fit(c, 0, G)}; }
RULE(to_device) {
  return {c.needs_grad(0)
              ? to_dtype(G, c.input_dtype(0)).to(c.input(0).device())
              : Tensor()};
}
RULE(fill) { return {fit(c, 0, zeros_like(G)), Tensor()}; }
RULE(copy) { return {fit(c, 0, zeros_like(G)), fit(c, 1, G)}; }

#undef RULE
#undef G

} // namespace

void register_elementwise_rules(RuleTable &t) {
  t.set(OpId::neg, neg);
  t.set(OpId::abs, abs);
  t.set(OpId::exp, exp);
  t.set(OpId::log, log);
  t.set(OpId::log1p, log1p);
  t.set(OpId::sqrt, sqrt);
  t.set(OpId::rsqrt, rsqrt);
  t.set(OpId::sin, sin);
  t.set(OpId::cos, cos);
  t.set(OpId::tanh, tanh);
  t.set(OpId::sigmoid, sigmoid);
  t.set(OpId::relu, relu);
  t.set(OpId::gelu, gelu);
  for (OpId op : {OpId::sign, OpId::floor, OpId::ceil, OpId::round})
    t.set(op, zero_grad);
  t.set(OpId::add, add);
  t.set(OpId::add_, add);
  t.set(OpId::sub, sub);
  t.set(OpId::sub_, sub);
  t.set(OpId::mul, mul);
  t.set(OpId::mul_, mul);
  t.set(OpId::div, div);
  t.set(OpId::div_, div);
  t.set(OpId::pow, pow);
  t.set(OpId::maximum, maximum);
  t.set(OpId::minimum, minimum);
  t.set(OpId::where, where);
  t.set(OpId::clamp, clamp);
  t.set(OpId::clamp_, clamp);
  t.set(OpId::masked_fill, masked_fill);
  t.set(OpId::masked_fill_, masked_fill);
  t.set(OpId::contiguous, identity);
  t.set(OpId::clone, identity);
  t.set(OpId::to_dtype, identity);
  t.set(OpId::to_device, to_device);
  t.set(OpId::fill_, fill);
  t.set(OpId::zero_, fill);
  t.set(OpId::copy_, copy);
}

} // namespace ember::autograd

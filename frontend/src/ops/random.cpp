// Random ops: uniform_, normal_, randint, randperm, bernoulli.
//
// Every random op carries the Philox position it draws from as attributes
// {"seed", int64 (the uint64 seed's bits)} and {"offset", int64 (block
// index)}; the public functions (frontend/src/random.cpp) reserve the blocks
// from a Generator and pass them in. An implementation never touches a
// Generator, so replaying an op with the same attributes (the compiler does)
// gives the same numbers. The draw runs where the output lives (CPU or
// CUDA) and gives the same numbers on both: the generator stays on the host.
#include "ember/runtime/kernels/random.h"
#include "common.h"

#include <cmath>
#include <limits>

namespace ember::impl {

namespace {
uint64_t seed_attr(const OpCall &call) {
  return static_cast<uint64_t>(call.attrs.get<int64_t>("seed"));
}
uint64_t offset_attr(const OpCall &call) {
  return static_cast<uint64_t>(call.attrs.get<int64_t>("offset"));
}
void require_floating(const OpCall &call, DType dt) {
  EMBER_CHECK(is_floating_point(dt), call.name(),
              "expected a floating point dtype (float32 or float64), got ", dt);
}
/// Runs `draw` into `self` directly when contiguous, else into a fresh
/// tensor that is then copied into the view.
template <typename Draw> void draw_into(const Tensor &self, Draw &&draw) {
  if (self.is_contiguous()) {
    draw(I(self));
    return;
  }
  Tensor tmp = make_output(self.sizes(), self.dtype(), self.device());
  draw(I(tmp));
  kernels::copy(I(self), I(tmp));
}
/// The integers a dtype holds exactly: [lo, hi].
std::pair<double, double> exact_int_range(DType dt) {
  switch (dt) {
  case DType::Bool:
    return {0, 1};
  case DType::UInt8:
    return {0, 255};
  case DType::Int32:
    return {-2147483648.0, 2147483647.0};
  case DType::Float32:
    return {-16777216.0, 16777216.0};
  case DType::Float64:
    return {-9007199254740992.0, 9007199254740992.0};
  default: // int64
    return {-9.3e18, 9.3e18};
  }
}
/// Throws unless every p lies in [0, 1] (NaN does not), naming the first
/// one that does not. On CUDA the check counts the bad values on the device
/// (one small copy back) and reads p on the host only to report one.
void check_probabilities(const OpCall &call, const Tensor &pc) {
  Tensor host = pc;
  if (pc.device().is_cuda()) {
    auto scalar = [&](double v) {
      Tensor t = make_output({}, pc.dtype(), pc.device());
      kernels::fill(I(t), Scalar(v));
      return t;
    };
    Tensor ge0 = make_output(pc.sizes(), kBool, pc.device());
    Tensor le1 = make_output(pc.sizes(), kBool, pc.device());
    Tensor ok = make_output(pc.sizes(), kBool, pc.device());
    Tensor bad = make_output(pc.sizes(), kBool, pc.device());
    Tensor zero = scalar(0.0), one = scalar(1.0);
    using kernels::BinaryOp;
    kernels::binary(BinaryOp::Ge, I(ge0), I(pc),
                    I(expand_view(zero, pc.sizes())));
    kernels::binary(BinaryOp::Le, I(le1), I(pc),
                    I(expand_view(one, pc.sizes())));
    kernels::binary(BinaryOp::LogicalAnd, I(ok), I(ge0), I(le1));
    kernels::unary(kernels::UnaryOp::LogicalNot, I(bad), I(ok));
    if (kernels::count_nonzero(I(bad)) == 0)
      return;
    host = copy_to_device(pc, Device(kCPU), /*non_blocking=*/false);
  }
  visit_floating(host.dtype(), call.name(), [&]<typename T>() {
    const T *q = host.data_ptr<T>();
    for (int64_t i = 0; i < host.numel(); ++i)
      EMBER_CHECK(q[i] >= T(0) && q[i] <= T(1), call.name(),
                  "expects all probabilities p to be in [0, 1], got p=", q[i]);
  });
}
} // namespace

TensorList uniform_(const OpCall &call) {
  const Tensor &self = call.inputs[0];
  require_floating(call, self.dtype());
  double from = call.attrs.get<double>("from"),
         to = call.attrs.get<double>("to");
  EMBER_CHECK(from <= to, call.name(),
              "expects to return a [from, to) range, but found from=", from,
              " > to=", to);
  if (self.dtype() == kFloat32) {
    double fmax = std::numeric_limits<float>::max();
    EMBER_CHECK(from >= -fmax && to <= fmax && to - from <= fmax, call.name(),
                "expects from and to - from within float32's range, got from=",
                from, " to=", to);
  }
  EMBER_CHECK(std::isfinite(to - from), call.name(),
              "expects to - from to be finite, got from=", from, " to=", to);
  draw_into(self, [&](const TensorImpl &out) {
    kernels::uniform(out, seed_attr(call), offset_attr(call), from, to);
  });
  return out1(self);
}

TensorList normal_(const OpCall &call) {
  const Tensor &self = call.inputs[0];
  require_floating(call, self.dtype());
  double mean = call.attrs.get<double>("mean"),
         std = call.attrs.get<double>("std");
  EMBER_CHECK(std >= 0.0, call.name(), "expects std >= 0.0, but found std ",
              std);
  draw_into(self, [&](const TensorImpl &out) {
    kernels::normal(out, seed_attr(call), offset_attr(call), mean, std);
  });
  return out1(self);
}

TensorList randint(const OpCall &call) {
  int64_t low = call.attrs.get<int64_t>("low"),
          high = call.attrs.get<int64_t>("high");
  DType dt = call.attrs.get<DType>("dtype");
  EMBER_CHECK(low < high, call.name(),
              "expects 'low' to be less than 'high', but got low=", low,
              " >= high=", high);
  auto [lo, hi] = exact_int_range(dt);
  EMBER_CHECK(static_cast<double>(low) >= lo, call.name(), "low=", low,
              " is out of bounds for ", dt);
  EMBER_CHECK(static_cast<double>(high - 1) <= hi, call.name(),
              "high - 1 = ", high - 1, " is out of bounds for ", dt);
  Tensor out = make_output(factory_size(call), dt, factory_device(call));
  kernels::randint(I(out), seed_attr(call), offset_attr(call), low, high);
  return out1(out);
}

TensorList randperm(const OpCall &call) {
  int64_t n = call.attrs.get<int64_t>("n");
  DType dt = call.attrs.get<DType>("dtype");
  EMBER_CHECK(n >= 0, call.name(), "n must be non-negative, got n=", n);
  EMBER_CHECK(dt != kBool, call.name(), "not implemented for dtype bool");
  EMBER_CHECK(n == 0 ||
                  static_cast<double>(n - 1) <= exact_int_range(dt).second,
              call.name(), "n=", n, " is too large for dtype ", dt,
              " (the values 0..n-1 must be exactly representable)");
  Tensor out = make_output({n}, dt, factory_device(call));
  kernels::randperm(I(out), seed_attr(call), offset_attr(call));
  return out1(out);
}

TensorList bernoulli(const OpCall &call) {
  const Tensor &p = call.inputs[0];
  EMBER_CHECK(p.is_floating_point(), call.name(),
              "expected a floating point tensor of probabilities, got ",
              describe(p));
  Tensor pc = p.contiguous();
  check_probabilities(call, pc);
  Tensor out = make_output(p.sizes(), p.dtype(), p.device());
  kernels::bernoulli(I(out), I(pc), seed_attr(call), offset_attr(call));
  return out1(out);
}

} // namespace ember::impl

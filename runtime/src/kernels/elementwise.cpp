// Unary, binary, where, clamp, copy and fill on the CPU.
#include "ember/runtime/error.h"
#include "ember/runtime/kernels/cpu.h"
#include "ember/runtime/kernels/loops.h"

#include <cmath>
#include <type_traits>

namespace ember::kernels::cpu {

namespace {

template <typename T> T unary_value(UnaryOp op, T x) {
  using F = std::conditional_t<std::is_floating_point_v<T>, T, double>;
  switch (op) {
  case UnaryOp::Neg:
    return static_cast<T>(-x);
  case UnaryOp::Abs:
    if constexpr (std::is_unsigned_v<T> || std::is_same_v<T, bool>)
      return x;
    else if constexpr (std::is_floating_point_v<T>)
      return std::fabs(x); // abs(-0.0) is +0.0, as torch.abs
    else
      return x < 0 ? static_cast<T>(-x) : x;
  case UnaryOp::Exp:
    return static_cast<T>(std::exp(static_cast<F>(x)));
  case UnaryOp::Log:
    return static_cast<T>(std::log(static_cast<F>(x)));
  case UnaryOp::Log1p:
    return static_cast<T>(std::log1p(static_cast<F>(x)));
  case UnaryOp::Sqrt:
    return static_cast<T>(std::sqrt(static_cast<F>(x)));
  case UnaryOp::Rsqrt:
    return static_cast<T>(F(1) / std::sqrt(static_cast<F>(x)));
  case UnaryOp::Sin:
    return static_cast<T>(std::sin(static_cast<F>(x)));
  case UnaryOp::Cos:
    return static_cast<T>(std::cos(static_cast<F>(x)));
  case UnaryOp::Tanh:
    return static_cast<T>(std::tanh(static_cast<F>(x)));
  case UnaryOp::Sigmoid:
    return static_cast<T>(F(1) / (F(1) + std::exp(-static_cast<F>(x))));
  case UnaryOp::Relu:
    // torch.relu: NaN and -0.0 pass through (x < 0 is false for both).
    return x < T(0) ? T(0) : x;
  case UnaryOp::Gelu: {
    F v = static_cast<F>(x);
    return static_cast<T>(F(0.5) * v * (F(1) + std::erf(v * F(M_SQRT1_2))));
  }
  case UnaryOp::GeluTanh: {
    F v = static_cast<F>(x);
    F k = F(M_2_SQRTPI * M_SQRT1_2); // sqrt(2/pi)
    return static_cast<T>(
        F(0.5) * v * (F(1) + std::tanh(k * (v + F(0.044715) * v * v * v))));
  }
  case UnaryOp::Sign:
    return static_cast<T>((T(0) < x) - (x < T(0)));
  case UnaryOp::Floor:
    return static_cast<T>(std::floor(static_cast<F>(x)));
  case UnaryOp::Ceil:
    return static_cast<T>(std::ceil(static_cast<F>(x)));
  case UnaryOp::Round:
    // Round half to even, as torch.round.
    return static_cast<T>(std::nearbyint(static_cast<F>(x)));
  case UnaryOp::LogicalNot:
    break;
  }
  return x;
}

template <typename T, typename F>
void map2(const TensorImpl &out, const TensorImpl &a, const TensorImpl &b,
          F f) {
  map<T, T, T>(out, {&a, &b}, f);
}

} // namespace

void unary(UnaryOp op, const TensorImpl &out, const TensorImpl &in) {
  if (op == UnaryOp::LogicalNot) {
    visit_dtype(in.dtype(), "logical_not", [&]<typename T>() {
      map<bool, T>(out, {&in}, [](T x) { return !static_cast<bool>(x); });
    });
    return;
  }
  visit_dtype(in.dtype(), "unary", [&]<typename T>() {
    // One switch per call, not per element: each case instantiates its own
    // loop so the compiler can vectorize it.
    switch (op) {
#define EMBER_UNARY_CASE(OP)                                                   \
  case UnaryOp::OP:                                                            \
    map<T, T>(out, {&in}, [](T x) { return unary_value<T>(UnaryOp::OP, x); }); \
    break;
      EMBER_UNARY_CASE(Neg)
      EMBER_UNARY_CASE(Abs)
      EMBER_UNARY_CASE(Exp)
      EMBER_UNARY_CASE(Log)
      EMBER_UNARY_CASE(Log1p)
      EMBER_UNARY_CASE(Sqrt)
      EMBER_UNARY_CASE(Rsqrt)
      EMBER_UNARY_CASE(Sin)
      EMBER_UNARY_CASE(Cos)
      EMBER_UNARY_CASE(Tanh)
      EMBER_UNARY_CASE(Sigmoid)
      EMBER_UNARY_CASE(Relu)
      EMBER_UNARY_CASE(Gelu)
      EMBER_UNARY_CASE(GeluTanh)
      EMBER_UNARY_CASE(Sign)
      EMBER_UNARY_CASE(Floor)
      EMBER_UNARY_CASE(Ceil)
      EMBER_UNARY_CASE(Round)
#undef EMBER_UNARY_CASE
    case UnaryOp::LogicalNot:
      break;
    }
  });
}

bool binary_returns_bool(BinaryOp op) { return op >= BinaryOp::LogicalAnd; }

void binary(BinaryOp op, const TensorImpl &out, const TensorImpl &a,
            const TensorImpl &b, const Scalar &alpha) {
  visit_dtype(a.dtype(), "binary", [&]<typename T>() {
    auto cmp = [&](auto f) { map<bool, T, T>(out, {&a, &b}, f); };
    switch (op) {
    case BinaryOp::Add:
      if (alpha.to<double>() == 1.0)
        map2<T>(out, a, b, [](T x, T y) { return static_cast<T>(x + y); });
      else {
        T al = alpha.to<T>();
        map2<T>(out, a, b,
                [al](T x, T y) { return static_cast<T>(x + al * y); });
      }
      break;
    case BinaryOp::Sub:
      if (alpha.to<double>() == 1.0)
        map2<T>(out, a, b, [](T x, T y) { return static_cast<T>(x - y); });
      else {
        T al = alpha.to<T>();
        map2<T>(out, a, b,
                [al](T x, T y) { return static_cast<T>(x - al * y); });
      }
      break;
    case BinaryOp::Mul:
      if constexpr (std::is_same_v<T, bool>)
        map2<T>(out, a, b, [](T x, T y) { return static_cast<T>(x && y); });
      else
        map2<T>(out, a, b, [](T x, T y) { return static_cast<T>(x * y); });
      break;
    case BinaryOp::Div:
      if constexpr (std::is_floating_point_v<T>)
        map2<T>(out, a, b, [](T x, T y) { return x / y; });
      else
        EMBER_FAIL("div", "integer kernels are not used for true division "
                          "(inputs are promoted to a float type first)");
      break;
    case BinaryOp::Pow:
      if constexpr (std::is_floating_point_v<T>)
        map2<T>(out, a, b,
                [](T x, T y) { return static_cast<T>(std::pow(x, y)); });
      else
        map2<T>(out, a, b, [](T x, T y) {
          // Integer power by squaring; negative exponents only make sense
          // for bases 1 and -1 (PyTorch raises for the rest; callers check).
          if constexpr (std::is_same_v<T, bool>)
            return static_cast<T>(x || !y);
          else {
            if (y < 0)
              return static_cast<T>(
                  x == 1 ? 1 : (x == -1 ? ((y & 1) ? -1 : 1) : 0));
            T r = 1, base = x;
            for (auto e = y; e > 0; e >>= 1) {
              if (e & 1)
                r = static_cast<T>(r * base);
              base = static_cast<T>(base * base);
            }
            return r;
          }
        });
      break;
    case BinaryOp::Maximum:
      map2<T>(out, a, b, [](T x, T y) {
        if constexpr (std::is_floating_point_v<T>)
          if (std::isnan(x) || std::isnan(y))
            return std::numeric_limits<T>::quiet_NaN();
        return x > y ? x : y;
      });
      break;
    case BinaryOp::Minimum:
      map2<T>(out, a, b, [](T x, T y) {
        if constexpr (std::is_floating_point_v<T>)
          if (std::isnan(x) || std::isnan(y))
            return std::numeric_limits<T>::quiet_NaN();
        return x < y ? x : y;
      });
      break;
    case BinaryOp::LogicalAnd:
      cmp([](T x, T y) {
        return static_cast<bool>(x) && static_cast<bool>(y);
      });
      break;
    case BinaryOp::LogicalOr:
      cmp([](T x, T y) {
        return static_cast<bool>(x) || static_cast<bool>(y);
      });
      break;
    case BinaryOp::LogicalXor:
      cmp([](T x, T y) {
        return static_cast<bool>(x) != static_cast<bool>(y);
      });
      break;
    case BinaryOp::Eq:
      cmp([](T x, T y) { return x == y; });
      break;
    case BinaryOp::Ne:
      cmp([](T x, T y) { return x != y; });
      break;
    case BinaryOp::Lt:
      cmp([](T x, T y) { return x < y; });
      break;
    case BinaryOp::Le:
      cmp([](T x, T y) { return x <= y; });
      break;
    case BinaryOp::Gt:
      cmp([](T x, T y) { return x > y; });
      break;
    case BinaryOp::Ge:
      cmp([](T x, T y) { return x >= y; });
      break;
    }
  });
}

void where(const TensorImpl &out, const TensorImpl &cond, const TensorImpl &a,
           const TensorImpl &b) {
  visit_dtype(out.dtype(), "where", [&]<typename T>() {
    map<T, bool, T, T>(out, {&cond, &a, &b},
                       [](bool c, T x, T y) { return c ? x : y; });
  });
}

void clamp(const TensorImpl &out, const TensorImpl &in,
           std::optional<Scalar> lo, std::optional<Scalar> hi) {
  visit_dtype(in.dtype(), "clamp", [&]<typename T>() {
    if constexpr (std::is_same_v<T, bool>) {
      EMBER_FAIL("clamp", "not supported for bool tensors");
    } else {
      // PyTorch: NaN inputs stay NaN; min is applied before max, so
      // min > max gives max everywhere.
      bool has_lo = lo.has_value(), has_hi = hi.has_value();
      T l = has_lo ? lo->to<T>() : T(0), h = has_hi ? hi->to<T>() : T(0);
      map<T, T>(out, {&in}, [=](T x) {
        if constexpr (std::is_floating_point_v<T>)
          if (std::isnan(x))
            return x;
        if (has_lo && x < l)
          x = l;
        if (has_hi && x > h)
          x = h;
        return x;
      });
    }
  });
}

void copy(const TensorImpl &dst, const TensorImpl &src) {
  visit_dtype(dst.dtype(), "copy_", [&]<typename D>() {
    visit_dtype(src.dtype(), "copy_", [&]<typename S>() {
      map<D, S>(dst, {&src}, [](S x) { return convert<D>(x); });
    });
  });
}

void fill(const TensorImpl &dst, const Scalar &value) {
  visit_dtype(dst.dtype(), "fill_", [&]<typename T>() {
    T v = value.to<T>();
    std::array<const TensorImpl *, 1> ops{&dst};
    ElementwiseIter it(ops);
    it.run([v](char **p, const int64_t *s, int64_t n) {
      if (s[0] == sizeof(T)) {
        T *o = reinterpret_cast<T *>(p[0]);
        for (int64_t i = 0; i < n; ++i)
          o[i] = v;
        return;
      }
      char *o = p[0];
      for (int64_t i = 0; i < n; ++i, o += s[0])
        *reinterpret_cast<T *>(o) = v;
    });
  });
}

} // namespace ember::kernels::cpu

// Elementwise iteration over strided operands (a small TensorIterator).
//
// All operands have the same sizes (the caller expands broadcast inputs to
// the output's shape, giving them 0 strides) but any strides. The iterator
// drops size-1 dims, merges dims that are contiguous with their inner
// neighbour in every operand, and hands the innermost run to a loop body
//   body(char **ptrs, const int64_t *byte_strides, int64_t n)
// possibly from several threads, each over a disjoint part of the output.
// Typed helpers (cpu_map) give the body a fast path for the common
// contiguous / scalar-broadcast case, which the compiler vectorizes.
#pragma once

#include "ember/runtime/parallel.h"
#include "ember/runtime/tensor_impl.h"

#include <array>
#include <cstdint>
#include <span>
#include <tuple>
#include <utility>
#include <vector>

namespace ember::kernels {

inline constexpr int kMaxOperands = 4;

class ElementwiseIter {
public:
  /// ops[0] is the output; every operand must have ops[0]'s sizes.
  explicit ElementwiseIter(std::span<const TensorImpl *const> ops);

  int64_t numel() const { return numel_; }
  int num_operands() const { return nops_; }

  /// Runs body over [begin, end) of the linearised (coalesced) index space.
  template <typename Body>
  void run_range(int64_t begin, int64_t end, Body &&body) const;

  /// Runs body over everything, in parallel when large enough.
  template <typename Body> void run(Body &&body, bool parallel = true) const {
    if (!parallel || numel_ < kGrainSize) {
      run_range(0, numel_, body);
      return;
    }
    parallel_for(0, numel_, kGrainSize,
                 [&](int64_t b, int64_t e) { run_range(b, e, body); });
  }

private:
  int nops_ = 0;
  int64_t numel_ = 1;
  std::array<char *, kMaxOperands> base_{};
  // Coalesced dims, outermost first; byte strides per operand per dim.
  std::vector<int64_t> sizes_;
  std::vector<std::array<int64_t, kMaxOperands>> strides_;
};

template <typename Body>
void ElementwiseIter::run_range(int64_t begin, int64_t end, Body &&body) const {
  if (begin >= end)
    return;
  const int nd = static_cast<int>(sizes_.size());
  if (nd == 0) { // a single element
    std::array<char *, kMaxOperands> p = base_;
    std::array<int64_t, kMaxOperands> s{};
    body(p.data(), s.data(), int64_t{1});
    return;
  }
  const int64_t inner = sizes_[nd - 1];
  std::array<int64_t, kMaxOperands> inner_strides = strides_[nd - 1];
  // Multi-index of `begin` over the outer dims.
  std::vector<int64_t> idx(nd, 0);
  int64_t rest = begin / inner;
  for (int d = nd - 2; d >= 0; --d) {
    idx[d] = rest % sizes_[d];
    rest /= sizes_[d];
  }
  int64_t col = begin % inner;
  int64_t pos = begin;
  std::array<char *, kMaxOperands> p{};
  while (pos < end) {
    for (int k = 0; k < nops_; ++k) {
      int64_t off = col * inner_strides[k];
      for (int d = 0; d < nd - 1; ++d)
        off += idx[d] * strides_[d][k];
      p[k] = base_[k] + off;
    }
    int64_t n = std::min(inner - col, end - pos);
    body(p.data(), inner_strides.data(), n);
    pos += n;
    col = 0;
    for (int d = nd - 2; d >= 0; --d) {
      if (++idx[d] < sizes_[d])
        break;
      idx[d] = 0;
    }
  }
}

namespace detail {
template <typename Out, typename... In, typename F, size_t... I>
inline void map_body(char **p, const int64_t *s, int64_t n, F &f,
                     std::index_sequence<I...>) {
  constexpr size_t N = sizeof...(In);
  bool contiguous = s[0] == sizeof(Out) && ((s[I + 1] == sizeof(In)) && ...);
  if (contiguous) {
    Out *o = reinterpret_cast<Out *>(p[0]);
    std::tuple<const In *...> ins{reinterpret_cast<const In *>(p[I + 1])...};
    for (int64_t i = 0; i < n; ++i)
      o[i] = f(std::get<I>(ins)[i]...);
    return;
  }
  if constexpr (N == 2) {
    // One operand broadcast (stride 0): keep its value in a register.
    if (s[0] == sizeof(Out) &&
        s[1] == sizeof(std::tuple_element_t<0, std::tuple<In...>>) &&
        s[2] == 0) {
      using A = std::tuple_element_t<0, std::tuple<In...>>;
      using B = std::tuple_element_t<1, std::tuple<In...>>;
      Out *o = reinterpret_cast<Out *>(p[0]);
      const A *a = reinterpret_cast<const A *>(p[1]);
      const B b = *reinterpret_cast<const B *>(p[2]);
      for (int64_t i = 0; i < n; ++i)
        o[i] = f(a[i], b);
      return;
    }
  }
  char *o = p[0];
  std::array<char *, N> ip{p[I + 1]...};
  for (int64_t i = 0; i < n; ++i) {
    *reinterpret_cast<Out *>(o) = f(*reinterpret_cast<const In *>(ip[I])...);
    o += s[0];
    ((ip[I] += s[I + 1]), ...);
  }
}
} // namespace detail

/// Applies f elementwise: out = f(ins...). All operands have out's sizes.
template <typename Out, typename... In, typename F>
void map(const TensorImpl &out,
         std::array<const TensorImpl *, sizeof...(In)> ins, F f) {
  std::array<const TensorImpl *, sizeof...(In) + 1> ops{};
  ops[0] = &out;
  for (size_t i = 0; i < ins.size(); ++i)
    ops[i + 1] = ins[i];
  ElementwiseIter it(ops);
  it.run([&](char **p, const int64_t *s, int64_t n) {
    detail::map_body<Out, In...>(p, s, n, f, std::index_sequence_for<In...>{});
  });
}

} // namespace ember::kernels

// Reductions (sum, prod, mean, max/min, var/std, logsumexp, norms, and the
// index-returning max/min) and softmax on the CPU.
//
// One engine drives every reduction. make_plan() splits the input's dims
// into kept dims (one output per index, row-major) and reduced dims (the
// "row" of each output), drops size-1 dims and merges dims that are
// contiguous with their inner neighbour. An op is a small struct of
//   identity(), step(acc, x, r, o), combine(a, b), write(o, acc)
// where r is the element's position in its row and o the output index.
// run_reduce() picks one of three loop shapes from the plan alone (never
// from the thread count, so results are the same with any number of
// threads):
//   split      few outputs with long rows: every (output, block) pair is a
//              task; block partials are combined in block order;
//   tile       the innermost kept dim is contiguous and the reduced dims are
//              not: 16 neighbouring outputs advance together through their
//              rows (vectorizes sum over dim 0 of a matrix);
//   per-output everything else: outputs are spread over the threads and each
//              row is reduced block by block, exactly as `split` does.
// Within a block, contiguous runs feed 8 accumulator lanes (element i of a
// run goes to lane i % 8) combined as a balanced tree (see reduce.h).
#include "ember/runtime/kernels/reduce.h"

#include "ember/runtime/error.h"
#include "ember/runtime/parallel.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace ember::kernels::cpu {

namespace {

constexpr int kLanes = 8;
constexpr int kTile = 16;
constexpr int64_t kMaxDims = 64;
// Below this many outputs, long rows are split into blocks across threads.
constexpr int64_t kSplitOutputs = 64;

// --- the plan ----------------------------------------------------------------

struct Plan {
  DimVector ksize, kstride; // kept dims, logical order (element strides)
  DimVector rsize, rstride; // reduced dims, outer to inner
  int64_t nout = 1;         // number of outputs
  int64_t R = 1;            // elements per output
};

// Merges dim i into its outer neighbour when the two walk memory as one.
void coalesce(DimVector &size, DimVector &stride) {
  if (size.empty())
    return;
  size_t w = 0;
  for (size_t i = 1; i < size.size(); ++i) {
    if (stride[w] == size[i] * stride[i]) {
      size[w] *= size[i];
      stride[w] = stride[i];
    } else {
      ++w;
      size[w] = size[i];
      stride[w] = stride[i];
    }
  }
  size.resize(w + 1);
  stride.resize(w + 1);
}

// keep_order: reduced dims stay in logical order (arg-reductions need the
// row-major position); otherwise they are sorted by decreasing stride so the
// innermost loop walks the smallest stride.
Plan make_plan(const char *op, const TensorImpl &in, IntArrayRef dims,
               bool keep_order) {
  EMBER_CHECK(in.dim() <= kMaxDims, op, "reductions support at most ", kMaxDims,
              " dims, got a tensor with ", in.dim());
  Plan p;
  std::array<bool, kMaxDims> reduced{};
  for (int64_t d : dims)
    reduced[d] = true;
  std::vector<std::pair<int64_t, int64_t>> r;
  for (int64_t d = 0; d < in.dim(); ++d) {
    const int64_t n = in.size(d), s = in.stride(d);
    if (reduced[d]) {
      p.R *= n;
      if (n != 1)
        r.emplace_back(n, s);
    } else {
      p.nout *= n;
      if (n != 1) {
        p.ksize.push_back(n);
        p.kstride.push_back(s);
      }
    }
  }
  if (!keep_order)
    std::stable_sort(r.begin(), r.end(), [](const auto &a, const auto &b) {
      return a.second > b.second;
    });
  for (auto [n, s] : r) {
    p.rsize.push_back(n);
    p.rstride.push_back(s);
  }
  coalesce(p.ksize, p.kstride);
  coalesce(p.rsize, p.rstride);
  return p;
}

// Input offset (elements) of output o's row.
int64_t kept_offset(const Plan &p, int64_t o) {
  int64_t off = 0;
  for (int64_t d = static_cast<int64_t>(p.ksize.size()) - 1; d >= 0; --d) {
    off += (o % p.ksize[d]) * p.kstride[d];
    o /= p.ksize[d];
  }
  return off;
}

// Walks the kept dims in output order without divisions.
struct KeptCounter {
  const Plan &p;
  std::array<int64_t, kMaxDims> idx{};
  int64_t off = 0;
  KeptCounter(const Plan &plan, int64_t o) : p(plan) {
    for (int64_t d = static_cast<int64_t>(p.ksize.size()) - 1; d >= 0; --d) {
      idx[d] = o % p.ksize[d];
      off += idx[d] * p.kstride[d];
      o /= p.ksize[d];
    }
  }
  void next() {
    for (int64_t d = static_cast<int64_t>(p.ksize.size()) - 1; d >= 0; --d) {
      off += p.kstride[d];
      if (++idx[d] < p.ksize[d])
        return;
      off -= p.ksize[d] * p.kstride[d];
      idx[d] = 0;
    }
  }
};

// --- loops -------------------------------------------------------------------

template <typename Ops> using acc_t = typename Ops::acc_t;

// One contiguous (Unit) or strided run of n elements into the lanes.
template <bool Unit, typename Ops, typename T>
inline void run_lanes(const Ops &ops, acc_t<Ops> *lane, const T *q, int64_t s,
                      int64_t n, int64_t r0, int64_t o) {
  const int64_t st = Unit ? 1 : s;
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int k = 0; k < kLanes; ++k)
      ops.step(lane[k], q[(i + k) * st], r0 + i + k, o);
  for (int k = 0; i < n; ++i, ++k)
    ops.step(lane[k], q[i * st], r0 + i, o);
}

// Reduces positions [rb, re) of the row starting at `base`.
template <typename Ops, typename T>
acc_t<Ops> reduce_range(const Ops &ops, const T *base, const Plan &p,
                        int64_t rb, int64_t re, int64_t o) {
  using A = acc_t<Ops>;
  A lane[kLanes];
  for (auto &l : lane)
    l = ops.identity();
  const int64_t nd = static_cast<int64_t>(p.rsize.size());
  if (nd == 0) { // a row of one element
    if (rb < re)
      ops.step(lane[0], base[0], 0, o);
    return lane[0];
  }
  const int64_t n_in = p.rsize[nd - 1], s_in = p.rstride[nd - 1];
  std::array<int64_t, kMaxDims> idx{};
  int64_t rest = rb / n_in, col = rb % n_in, off = 0;
  for (int64_t d = nd - 2; d >= 0; --d) {
    idx[d] = rest % p.rsize[d];
    rest /= p.rsize[d];
    off += idx[d] * p.rstride[d];
  }
  for (int64_t pos = rb; pos < re;) {
    const int64_t n = std::min(n_in - col, re - pos);
    const T *q = base + off + col * s_in;
    if (s_in == 1)
      run_lanes<true>(ops, lane, q, 1, n, pos, o);
    else
      run_lanes<false>(ops, lane, q, s_in, n, pos, o);
    pos += n;
    col = 0;
    for (int64_t d = nd - 2; d >= 0; --d) {
      off += p.rstride[d];
      if (++idx[d] < p.rsize[d])
        break;
      off -= p.rsize[d] * p.rstride[d];
      idx[d] = 0;
    }
  }
  for (int w = kLanes / 2; w >= 1; w /= 2)
    for (int k = 0; k < w; ++k)
      lane[k] = ops.combine(lane[k], lane[k + w]);
  return lane[0];
}

// A whole row, block by block, partials combined left to right.
template <typename Ops, typename T>
acc_t<Ops> reduce_row(const Ops &ops, const T *base, const Plan &p, int64_t o) {
  acc_t<Ops> acc = ops.identity();
  for (int64_t rb = 0; rb < p.R; rb += kReduceBlock)
    acc = ops.combine(acc, reduce_range(ops, base, p, rb,
                                        std::min(p.R, rb + kReduceBlock), o));
  return acc;
}

// W neighbouring outputs (consecutive along the contiguous innermost kept
// dim) reduced together, each left to right along its row.
template <int W, typename Ops, typename T>
void reduce_tile(const Ops &ops, const T *base, const Plan &p, int64_t o0,
                 int w_dyn) {
  using A = acc_t<Ops>;
  const int width = W > 0 ? W : w_dyn;
  A acc[kTile];
  for (auto &a : acc)
    a = ops.identity();
  const int64_t nd = static_cast<int64_t>(p.rsize.size());
  const int64_t n_in = p.rsize[nd - 1], s_in = p.rstride[nd - 1];
  std::array<int64_t, kMaxDims> idx{};
  int64_t off = 0;
  for (int64_t r = 0; r < p.R; r += n_in) {
    for (int64_t j = 0; j < n_in; ++j) {
      const T *q = base + off + j * s_in;
      for (int w = 0; w < width; ++w)
        ops.step(acc[w], q[w], r + j, o0 + w);
    }
    for (int64_t d = nd - 2; d >= 0; --d) {
      off += p.rstride[d];
      if (++idx[d] < p.rsize[d])
        break;
      off -= p.rsize[d] * p.rstride[d];
      idx[d] = 0;
    }
  }
  for (int w = 0; w < width; ++w)
    ops.write(o0 + w, acc[w]);
}

template <typename T, typename Ops>
void run_reduce(const Ops &ops, const TensorImpl &in, const Plan &p) {
  using A = acc_t<Ops>;
  if (p.nout == 0)
    return;
  if (p.R == 0) {
    for (int64_t o = 0; o < p.nout; ++o)
      ops.write(o, ops.identity());
    return;
  }
  const T *data = in.data_as<T>();
  const int64_t nblocks = (p.R + kReduceBlock - 1) / kReduceBlock;

  if (nblocks > 1 && p.nout < kSplitOutputs) {
    const int64_t tasks = p.nout * nblocks;
    std::unique_ptr<A[]> part(new A[tasks]);
    parallel_for(0, tasks, 1, [&](int64_t b, int64_t e) {
      for (int64_t t = b; t < e; ++t) {
        const int64_t o = t / nblocks, rb = (t % nblocks) * kReduceBlock;
        part[t] = reduce_range(ops, data + kept_offset(p, o), p, rb,
                               std::min(p.R, rb + kReduceBlock), o);
      }
    });
    for (int64_t o = 0; o < p.nout; ++o) {
      A acc = ops.identity();
      for (int64_t blk = 0; blk < nblocks; ++blk)
        acc = ops.combine(acc, part[o * nblocks + blk]);
      ops.write(o, acc);
    }
    return;
  }

  const bool tile = !p.ksize.empty() && p.kstride.back() == 1 &&
                    p.ksize.back() >= 2 && !p.rsize.empty() &&
                    p.rstride.back() != 1;
  if (tile) {
    const int64_t line = p.ksize.back();
    const int64_t per_line = (line + kTile - 1) / kTile;
    const int64_t tiles = (p.nout / line) * per_line;
    const int64_t grain = std::max<int64_t>(1, kGrainSize / (p.R * kTile));
    parallel_for(0, tiles, grain, [&](int64_t b, int64_t e) {
      for (int64_t t = b; t < e; ++t) {
        const int64_t j0 = (t % per_line) * kTile;
        const int64_t o0 = (t / per_line) * line + j0;
        const int width = static_cast<int>(std::min<int64_t>(kTile, line - j0));
        const T *base = data + kept_offset(p, o0);
        if (width == kTile)
          reduce_tile<kTile>(ops, base, p, o0, width);
        else
          reduce_tile<0>(ops, base, p, o0, width);
      }
    });
    return;
  }

  const int64_t grain = std::max<int64_t>(1, kGrainSize / p.R);
  parallel_for(0, p.nout, grain, [&](int64_t b, int64_t e) {
    KeptCounter c(p, b);
    for (int64_t o = b; o < e; ++o, c.next())
      ops.write(o, reduce_row(ops, data + c.off, p, o));
  });
}

// --- ops ---------------------------------------------------------------------

template <typename T> inline bool is_nan(T x) {
  if constexpr (std::is_floating_point_v<T>)
    return std::isnan(x);
  else
    return false;
}

// float types accumulate in double, integers and bool in int64.
template <typename T>
using sum_acc =
    std::conditional_t<std::is_floating_point_v<T>, double, int64_t>;

// Integer accumulation wraps around (two's complement) like PyTorch's,
// without signed-overflow UB.
template <typename A> inline A acc_add(A a, A b) {
  if constexpr (std::is_integral_v<A>)
    return static_cast<A>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
  else
    return a + b;
}
template <typename A> inline A acc_mul(A a, A b) {
  if constexpr (std::is_integral_v<A>)
    return static_cast<A>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
  else
    return a * b;
}

template <typename T> struct SumOps {
  using acc_t = sum_acc<T>;
  T *out;
  acc_t identity() const { return 0; }
  void step(acc_t &a, T x, int64_t, int64_t) const {
    a = acc_add(a, static_cast<acc_t>(x));
  }
  acc_t combine(acc_t a, acc_t b) const { return acc_add(a, b); }
  void write(int64_t o, acc_t a) const { out[o] = convert<T>(a); }
};

template <typename T> struct ProdOps {
  using acc_t = sum_acc<T>;
  T *out;
  acc_t identity() const { return 1; }
  void step(acc_t &a, T x, int64_t, int64_t) const {
    a = acc_mul(a, static_cast<acc_t>(x));
  }
  acc_t combine(acc_t a, acc_t b) const { return acc_mul(a, b); }
  void write(int64_t o, acc_t a) const { out[o] = convert<T>(a); }
};

// Mean into `Out` (the output, or a double buffer for var's first pass).
template <typename T, typename Out> struct MeanOps {
  using acc_t = double;
  Out *out;
  double n;
  acc_t identity() const { return 0; }
  void step(acc_t &a, T x, int64_t, int64_t) const {
    a += static_cast<double>(x);
  }
  acc_t combine(acc_t a, acc_t b) const { return a + b; }
  void write(int64_t o, acc_t a) const { out[o] = static_cast<Out>(a / n); }
};

// NaN-propagating max (IsMax) or min.
template <bool IsMax, typename T> inline T pick(T a, T x) {
  if (is_nan(a))
    return a;
  if (is_nan(x) || (IsMax ? x > a : x < a))
    return x;
  return a;
}

template <bool IsMax, typename T> T extreme_identity() {
  if constexpr (std::is_same_v<T, bool>)
    return !IsMax;
  else if constexpr (std::is_floating_point_v<T>)
    return IsMax ? -std::numeric_limits<T>::infinity()
                 : std::numeric_limits<T>::infinity();
  else
    return IsMax ? std::numeric_limits<T>::lowest()
                 : std::numeric_limits<T>::max();
}

template <bool IsMax, typename T, typename Out> struct ExtremeOps {
  using acc_t = T;
  Out *out;
  acc_t identity() const { return extreme_identity<IsMax, T>(); }
  void step(acc_t &a, T x, int64_t, int64_t) const { a = pick<IsMax>(a, x); }
  acc_t combine(acc_t a, acc_t b) const { return pick<IsMax>(a, b); }
  void write(int64_t o, acc_t a) const { out[o] = static_cast<Out>(a); }
};

template <typename T> struct ValueIndex {
  T v;
  int64_t i; // -1: nothing seen
};

// Max/min with the position of its first occurrence (NaN beats numbers, the
// first NaN wins). combine() compares positions, so lanes may see the row
// in any interleaving.
template <bool IsMax, typename T> struct ArgOps {
  using acc_t = ValueIndex<T>;
  T *values; // may be null
  int64_t *indices;
  acc_t identity() const { return {T{}, -1}; }
  acc_t combine(acc_t a, acc_t b) const {
    if (a.i < 0)
      return b;
    if (b.i < 0)
      return a;
    const bool an = is_nan(a.v), bn = is_nan(b.v);
    if (an || bn) {
      if (an && bn)
        return a.i <= b.i ? a : b;
      return an ? a : b;
    }
    if (IsMax ? b.v > a.v : b.v < a.v)
      return b;
    if (b.v == a.v && b.i < a.i)
      return b;
    return a;
  }
  void step(acc_t &a, T x, int64_t r, int64_t) const { a = combine(a, {x, r}); }
  void write(int64_t o, acc_t a) const {
    if (values)
      values[o] = a.v;
    indices[o] = a.i;
  }
};

enum class NormKind { L0, L1, L2, Inf, NegInf, P };

template <NormKind K, typename T> struct NormOps {
  using acc_t = double;
  T *out;
  double p;
  int64_t n;
  acc_t identity() const {
    return K == NormKind::NegInf ? std::numeric_limits<double>::infinity()
                                 : 0.0;
  }
  void step(acc_t &a, T x, int64_t, int64_t) const {
    const double v = std::abs(static_cast<double>(x));
    if constexpr (K == NormKind::L0)
      a += v != 0 ? 1.0 : 0.0;
    else if constexpr (K == NormKind::L1)
      a += v;
    else if constexpr (K == NormKind::L2)
      a += v * v;
    else if constexpr (K == NormKind::Inf)
      a = pick<true>(a, v);
    else if constexpr (K == NormKind::NegInf)
      a = pick<false>(a, v);
    else
      a += std::pow(v, p);
  }
  acc_t combine(acc_t a, acc_t b) const {
    if constexpr (K == NormKind::Inf)
      return pick<true>(a, b);
    else if constexpr (K == NormKind::NegInf)
      return pick<false>(a, b);
    else
      return a + b;
  }
  void write(int64_t o, acc_t a) const {
    double r = a;
    if constexpr (K == NormKind::L2)
      r = std::sqrt(a);
    else if constexpr (K == NormKind::P)
      r = std::pow(a, 1.0 / p);
    // PyTorch 1.13: every norm of nothing is 0 (even p = -inf or p < 0).
    out[o] = static_cast<T>(n == 0 ? 0.0 : r);
  }
};

// Second pass of var/std: squared deviations from the first pass's means.
template <typename T> struct SqDevOps {
  using acc_t = double;
  T *out;
  const double *mean;
  double divisor;
  bool take_sqrt;
  acc_t identity() const { return 0; }
  void step(acc_t &a, T x, int64_t, int64_t o) const {
    const double d = static_cast<double>(x) - mean[o];
    a += d * d;
  }
  acc_t combine(acc_t a, acc_t b) const { return a + b; }
  void write(int64_t o, acc_t a) const {
    const double v = a / divisor;
    out[o] = static_cast<T>(take_sqrt ? std::sqrt(v) : v);
  }
};

// Second pass of logsumexp: sum of exp(x - shift) where shift is the row's
// max, or 0 when that max is infinite (as PyTorch).
template <typename T> struct SumExpOps {
  using acc_t = double;
  T *out;
  const double *shift;
  acc_t identity() const { return 0; }
  void step(acc_t &a, T x, int64_t, int64_t o) const {
    a += std::exp(static_cast<double>(x) - shift[o]);
  }
  acc_t combine(acc_t a, acc_t b) const { return a + b; }
  void write(int64_t o, acc_t a) const {
    out[o] = static_cast<T>(std::log(a) + shift[o]);
  }
};

template <typename T>
void run_norm(const TensorImpl &out, const TensorImpl &in, const Plan &p,
              double ord) {
  T *o = out.data_as<T>();
  const double inf = std::numeric_limits<double>::infinity();
  if (ord == 0)
    run_reduce<T>(NormOps<NormKind::L0, T>{o, ord, p.R}, in, p);
  else if (ord == 1)
    run_reduce<T>(NormOps<NormKind::L1, T>{o, ord, p.R}, in, p);
  else if (ord == 2)
    run_reduce<T>(NormOps<NormKind::L2, T>{o, ord, p.R}, in, p);
  else if (ord == inf)
    run_reduce<T>(NormOps<NormKind::Inf, T>{o, ord, p.R}, in, p);
  else if (ord == -inf)
    run_reduce<T>(NormOps<NormKind::NegInf, T>{o, ord, p.R}, in, p);
  else
    run_reduce<T>(NormOps<NormKind::P, T>{o, ord, p.R}, in, p);
}

} // namespace

void reduce(ReduceOp op, const TensorImpl &out, const TensorImpl &in,
            IntArrayRef dims, const ReduceArgs &args) {
  const Plan p = make_plan("reduce", in, dims, /*keep_order=*/false);
  switch (op) {
  case ReduceOp::Sum:
    visit_dtype(in.dtype(), "sum", [&]<typename T>() {
      run_reduce<T>(SumOps<T>{out.data_as<T>()}, in, p);
    });
    return;
  case ReduceOp::Prod:
    visit_dtype(in.dtype(), "prod", [&]<typename T>() {
      run_reduce<T>(ProdOps<T>{out.data_as<T>()}, in, p);
    });
    return;
  case ReduceOp::Mean:
    visit_floating(in.dtype(), "mean", [&]<typename T>() {
      run_reduce<T>(MeanOps<T, T>{out.data_as<T>(), static_cast<double>(p.R)},
                    in, p);
    });
    return;
  case ReduceOp::Max:
    visit_dtype(in.dtype(), "amax", [&]<typename T>() {
      run_reduce<T>(ExtremeOps<true, T, T>{out.data_as<T>()}, in, p);
    });
    return;
  case ReduceOp::Min:
    visit_dtype(in.dtype(), "amin", [&]<typename T>() {
      run_reduce<T>(ExtremeOps<false, T, T>{out.data_as<T>()}, in, p);
    });
    return;
  case ReduceOp::Var:
  case ReduceOp::Std:
    // Two passes (mean, then squared deviations), both in double: more
    // accurate than one-pass formulas and as deterministic as the rest.
    visit_floating(in.dtype(), "var", [&]<typename T>() {
      std::vector<double> mean(static_cast<size_t>(p.nout));
      run_reduce<T>(MeanOps<T, double>{mean.data(), static_cast<double>(p.R)},
                    in, p);
      const double divisor =
          std::max<double>(0.0, static_cast<double>(p.R - args.correction));
      run_reduce<T>(SqDevOps<T>{out.data_as<T>(), mean.data(), divisor,
                                op == ReduceOp::Std},
                    in, p);
    });
    return;
  case ReduceOp::LogSumExp:
    visit_floating(in.dtype(), "logsumexp", [&]<typename T>() {
      std::vector<double> shift(static_cast<size_t>(p.nout));
      run_reduce<T>(ExtremeOps<true, T, double>{shift.data()}, in, p);
      for (double &s : shift)
        if (std::isinf(s))
          s = 0;
      run_reduce<T>(SumExpOps<T>{out.data_as<T>(), shift.data()}, in, p);
    });
    return;
  case ReduceOp::Norm:
    visit_floating(in.dtype(), "norm",
                   [&]<typename T>() { run_norm<T>(out, in, p, args.p); });
    return;
  }
}

void reduce_with_indices(bool is_max, const TensorImpl *values,
                         const TensorImpl &indices, const TensorImpl &in,
                         IntArrayRef dims) {
  const Plan p = make_plan(is_max ? "argmax" : "argmin", in, dims,
                           /*keep_order=*/true);
  int64_t *idx = indices.data_as<int64_t>();
  visit_dtype(in.dtype(), is_max ? "argmax" : "argmin", [&]<typename T>() {
    T *v = values ? values->data_as<T>() : nullptr;
    if (is_max)
      run_reduce<T>(ArgOps<true, T>{v, idx}, in, p);
    else
      run_reduce<T>(ArgOps<false, T>{v, idx}, in, p);
  });
}

// --- softmax -----------------------------------------------------------------

namespace {

// Rows of n contiguous elements: max, then sum of exp(x - max) in double,
// then the normalised (or log) values.
template <typename T>
void softmax_rows(T *out, const T *in, int64_t rows, int64_t n, bool log) {
  const int64_t grain = std::max<int64_t>(1, kGrainSize / n);
  parallel_for(0, rows, grain, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      const T *x = in + r * n;
      T *y = out + r * n;
      T m = x[0];
      for (int64_t i = 1; i < n; ++i)
        m = pick<true>(m, x[i]);
      double sum = 0;
      if (log) {
        for (int64_t i = 0; i < n; ++i)
          sum += static_cast<double>(std::exp(x[i] - m));
        const double ls = std::log(sum);
        for (int64_t i = 0; i < n; ++i)
          y[i] = static_cast<T>(static_cast<double>(x[i] - m) - ls);
      } else {
        for (int64_t i = 0; i < n; ++i) {
          y[i] = std::exp(x[i] - m);
          sum += static_cast<double>(y[i]);
        }
        const double inv = 1.0 / sum;
        for (int64_t i = 0; i < n; ++i)
          y[i] = static_cast<T>(static_cast<double>(y[i]) * inv);
      }
    }
  });
}

// [outer, n, inner] with inner > 1: columns of n elements at stride inner,
// kTile neighbouring columns at a time so memory is read in rows.
template <typename T>
void softmax_cols(T *out, const T *in, int64_t outer, int64_t n, int64_t inner,
                  bool log) {
  const int64_t per = (inner + kTile - 1) / kTile;
  const int64_t grain = std::max<int64_t>(1, kGrainSize / (n * kTile));
  parallel_for(0, outer * per, grain, [&](int64_t b, int64_t e) {
    for (int64_t t = b; t < e; ++t) {
      const int64_t j0 = (t % per) * kTile;
      const int w = static_cast<int>(std::min<int64_t>(kTile, inner - j0));
      const T *x = in + (t / per) * n * inner + j0;
      T *y = out + (t / per) * n * inner + j0;
      T m[kTile];
      double sum[kTile] = {};
      for (int k = 0; k < w; ++k)
        m[k] = x[k];
      for (int64_t i = 1; i < n; ++i)
        for (int k = 0; k < w; ++k)
          m[k] = pick<true>(m[k], x[i * inner + k]);
      for (int64_t i = 0; i < n; ++i)
        for (int k = 0; k < w; ++k)
          sum[k] += static_cast<double>(std::exp(x[i * inner + k] - m[k]));
      for (int k = 0; k < w; ++k)
        sum[k] = log ? std::log(sum[k]) : 1.0 / sum[k];
      for (int64_t i = 0; i < n; ++i)
        for (int k = 0; k < w; ++k) {
          const T z = x[i * inner + k] - m[k];
          y[i * inner + k] =
              static_cast<T>(log ? static_cast<double>(z) - sum[k]
                                 : static_cast<double>(std::exp(z)) * sum[k]);
        }
    }
  });
}

} // namespace

void softmax(const TensorImpl &out, const TensorImpl &in, int64_t dim,
             bool log) {
  if (in.numel() == 0)
    return;
  const int64_t n = in.dim() == 0 ? 1 : in.size(dim);
  int64_t inner = 1;
  for (int64_t d = dim + 1; d < in.dim(); ++d)
    inner *= in.size(d);
  const int64_t outer = in.numel() / (n * inner);
  visit_floating(
      in.dtype(), log ? "log_softmax" : "softmax", [&]<typename T>() {
        if (inner == 1)
          softmax_rows<T>(out.data_as<T>(), in.data_as<T>(), outer, n, log);
        else
          softmax_cols<T>(out.data_as<T>(), in.data_as<T>(), outer, n, inner,
                          log);
      });
}

} // namespace ember::kernels::cpu

// Offset-based gather/scatter, nonzero and one_hot on the CPU (see
// kernels/index.h for how the frontend maps gather, index_select, advanced
// indexing, index_put_ and scatter_add onto these).
#include "ember/runtime/kernels/index.h"
#include "ember/runtime/error.h"
#include "ember/runtime/kernels/loops.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace ember::kernels::cpu {

namespace {

[[noreturn]] void out_of_bounds(const char *op, int64_t index, int64_t dim,
                                int64_t size) {
  EMBER_FAIL(op, "index ", index, " is out of bounds for dimension ", dim,
             " with size ", size);
}

template <typename I>
void add_offsets(const ElementwiseIter &it, int64_t size, int64_t stride,
                 bool wrap_negative, const char *op, int64_t dim) {
  it.run([&](char **p, const int64_t *s, int64_t n) {
    char *o = p[0];
    const char *x = p[1];
    for (int64_t i = 0; i < n; ++i, o += s[0], x += s[1]) {
      int64_t v = static_cast<int64_t>(*reinterpret_cast<const I *>(x));
      int64_t w = v < 0 && wrap_negative ? v + size : v;
      if (w < 0 || w >= size) [[unlikely]]
        out_of_bounds(op, v, dim, size);
      *reinterpret_cast<int64_t *>(o) += w * stride;
    }
  });
}

} // namespace

void index_offsets(const TensorImpl &offsets, const TensorImpl &index,
                   int64_t size, int64_t stride, bool wrap_negative,
                   const char *op, int64_t dim) {
  EMBER_CHECK(offsets.dtype() == kInt64, "index_offsets",
              "offsets must be int64, got ", offsets.dtype());
  const TensorImpl *ops[] = {&offsets, &index};
  ElementwiseIter it(ops);
  switch (index.dtype()) {
  case kInt64:
    add_offsets<int64_t>(it, size, stride, wrap_negative, op, dim);
    break;
  case kInt32:
    add_offsets<int32_t>(it, size, stride, wrap_negative, op, dim);
    break;
  default:
    EMBER_FAIL(op, "expected an int64 or int32 index, got ", index.dtype());
  }
}

void gather_offsets(const TensorImpl &out, const TensorImpl &src,
                    const TensorImpl &offsets) {
  const TensorImpl *ops[] = {&out, &src, &offsets};
  ElementwiseIter it(ops);
  visit_dtype(out.dtype(), "gather", [&]<typename T>() {
    it.run([&](char **p, const int64_t *s, int64_t n) {
      char *o = p[0];
      const char *x = p[1], *f = p[2];
      for (int64_t i = 0; i < n; ++i, o += s[0], x += s[1], f += s[2])
        *reinterpret_cast<T *>(o) = reinterpret_cast<const T *>(
            x)[*reinterpret_cast<const int64_t *>(f)];
    });
  });
}

void scatter_offsets(const TensorImpl &dst, const TensorImpl &values,
                     const TensorImpl &offsets, bool accumulate) {
  const TensorImpl *ops[] = {&dst, &values, &offsets};
  ElementwiseIter it(ops);
  visit_dtype(dst.dtype(), "scatter", [&]<typename T>() {
    auto body = [&](char **p, const int64_t *s, int64_t n) {
      char *d = p[0];
      const char *v = p[1], *f = p[2];
      for (int64_t i = 0; i < n; ++i, d += s[0], v += s[1], f += s[2]) {
        T &slot =
            reinterpret_cast<T *>(d)[*reinterpret_cast<const int64_t *>(f)];
        T val = *reinterpret_cast<const T *>(v);
        if (accumulate)
          slot = static_cast<T>(slot + val);
        else
          slot = val;
      }
    };
    // Duplicates may hit one slot: accumulation stays serial (deterministic).
    it.run(body, /*parallel=*/!accumulate);
  });
}

namespace {
// Calls fn(coords, element_ptr) for every element of x in row-major order.
template <typename Fn> void for_each_coord(const TensorImpl &x, Fn &&fn) {
  const int64_t nd = x.dim(), n = x.numel();
  if (n == 0)
    return;
  std::vector<int64_t> idx(nd, 0);
  const char *p = static_cast<const char *>(x.data());
  const int64_t item = static_cast<int64_t>(x.itemsize());
  for (int64_t k = 0; k < n; ++k) {
    fn(idx, p);
    for (int64_t d = nd - 1; d >= 0; --d) {
      p += x.stride(d) * item;
      if (++idx[d] < x.size(d))
        break;
      p -= x.stride(d) * item * x.size(d);
      idx[d] = 0;
    }
  }
}
} // namespace

int64_t count_nonzero(const TensorImpl &mask) {
  int64_t count = 0;
  visit_dtype(mask.dtype(), "nonzero", [&]<typename T>() {
    for_each_coord(mask, [&](const std::vector<int64_t> &, const char *p) {
      count += *reinterpret_cast<const T *>(p) != T(0);
    });
  });
  return count;
}

void nonzero(const TensorImpl &out, const TensorImpl &mask) {
  EMBER_CHECK(out.dtype() == kInt64 && out.is_contiguous() && out.dim() == 2 &&
                  out.size(1) == mask.dim(),
              "nonzero", "expected a contiguous int64 output of shape [n, ",
              mask.dim(), "], got ", out.sizes());
  int64_t *o = out.data_as<int64_t>();
  const int64_t rows = out.size(0);
  int64_t row = 0;
  visit_dtype(mask.dtype(), "nonzero", [&]<typename T>() {
    for_each_coord(mask, [&](const std::vector<int64_t> &c, const char *p) {
      if (*reinterpret_cast<const T *>(p) == T(0))
        return;
      EMBER_CHECK(row < rows, "nonzero", "more nonzero elements than the ",
                  rows, " the output has room for");
      std::copy(c.begin(), c.end(), o + row * mask.dim());
      ++row;
    });
  });
}

void int_range(const TensorImpl &x, int64_t &lo, int64_t &hi) {
  EMBER_CHECK(x.dtype() == kInt64 && x.numel() > 0, "int_range",
              "expected a non-empty int64 tensor");
  lo = hi = *x.data_as<int64_t>();
  for_each_coord(x, [&](const std::vector<int64_t> &, const char *p) {
    int64_t v = *reinterpret_cast<const int64_t *>(p);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  });
}

void one_hot(const TensorImpl &out, const TensorImpl &x, int64_t num_classes) {
  EMBER_CHECK(out.dtype() == kInt64 && out.is_contiguous() &&
                  x.dtype() == kInt64 && x.is_contiguous() &&
                  out.numel() == x.numel() * num_classes,
              "one_hot", "expected contiguous int64 operands");
  int64_t *o = out.data_as<int64_t>();
  const int64_t *in = x.data_as<int64_t>();
  std::memset(o, 0, static_cast<size_t>(out.numel()) * sizeof(int64_t));
  parallel_for(0, x.numel(), kGrainSize, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      int64_t c = in[i];
      EMBER_CHECK(c >= 0 && c < num_classes, "one_hot", "class value ", c,
                  " is out of range [0, ", num_classes, ")");
      o[i * num_classes + c] = 1;
    }
  });
}

} // namespace ember::kernels::cpu

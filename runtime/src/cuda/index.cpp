// Host side of the CUDA index kernels (kernels/index.cuh): launch geometry,
// the bounds check of index_offsets (the index's min and max computed on
// the device, one small copy back), and the two passes of nonzero.
#include "ember/runtime/cuda.h"
#include "ember/runtime/error.h"
#include "ember/runtime/kernels/cuda.h"
#include "index_geom.h"
#include "module.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace ember::cuda::detail {

Chunks chunk_grid(int64_t n, int64_t max_blocks) {
  Chunks c;
  int64_t want = std::min(max_blocks, (n + kIndexBlock - 1) / kIndexBlock);
  want = std::max<int64_t>(want, 1);
  c.chunk = (n + want - 1) / want;
  c.blocks = (n + c.chunk - 1) / c.chunk;
  return c;
}

Lines scatter_lines(const TensorImpl &dst, const TensorImpl &values,
                    const TensorImpl &offsets) {
  Lines l;
  l.g = make_geom("scatter_add", {&dst, &values, &offsets});
  if (l.g.ndim == 0) { // every operand contiguous: one dim of stride 1
    l.g.ndim = 1;
    l.g.sizes[0] = dst.numel();
    for (int k = 0; k < 3; ++k)
      l.g.strides[k][0] = 1;
  }
  for (int d = 0; d < l.g.ndim; ++d) {
    if (l.g.strides[0][d] == 0) {
      l.zmask |= 1 << d;
      l.nz *= l.g.sizes[d];
    } else {
      l.nlines *= l.g.sizes[d];
    }
  }
  return l;
}

Geom shape_geom(const char *op, const TensorImpl &t) {
  EMBER_CHECK(t.dim() <= kMaxDims, op, "CUDA kernels take at most ", kMaxDims,
              " dims, got a tensor of shape ", t.sizes());
  Geom g{};
  g.ndim = static_cast<int32_t>(t.dim());
  for (int64_t d = 0; d < t.dim(); ++d)
    g.sizes[d] = t.size(d);
  return g;
}

} // namespace ember::cuda::detail

namespace ember::kernels::cuda {

using namespace ember::cuda::detail;

namespace {

// Blocks of the block-level kernels: enough to keep an H100's 132 SMs busy
// while the per-block partials stay a few KB.
constexpr int64_t kMaxIndexBlocks = 256;

void *index_kernel(DType t, const char *name) {
  return get_kernel("index",
                    std::string("typedef ") + c_type(t) + " scalar_t;\n", name);
}

std::shared_ptr<TensorImpl> scratch(int64_t n, const TensorImpl &like) {
  return make_tensor_impl({n}, kInt64, like.device());
}

std::vector<int64_t> to_host(const TensorImpl &t) {
  std::vector<int64_t> v(static_cast<size_t>(t.numel()));
  ember::cuda::copy_bytes(v.data(), false, t.data(), true,
                          v.size() * sizeof(int64_t), t.device().index());
  return v;
}

// min and max of an int32 or int64 tensor (non-empty), on the device.
void range_of(const TensorImpl &x, int64_t &lo, int64_t &hi) {
  const int64_t n = x.numel();
  Chunks c = chunk_grid(n, kMaxIndexBlocks);
  auto part = scratch(2 * c.blocks, x);
  Geom g = make_geom("int_range", {&x});
  const void *px = x.data();
  int64_t *plo = part->data_as<int64_t>(), *phi = plo + c.blocks;
  int64_t nn = n, chunk = c.chunk;
  void *args[] = {&px, &g, &nn, &chunk, &plo, &phi};
  launch(index_kernel(x.dtype(), "ember_int_range"),
         static_cast<unsigned>(c.blocks), kIndexBlock, args);
  std::vector<int64_t> v = to_host(*part);
  lo = *std::min_element(v.begin(), v.begin() + c.blocks);
  hi = *std::max_element(v.begin() + c.blocks, v.end());
}

// Per-chunk nonzero counts, on the device.
std::shared_ptr<TensorImpl> chunk_counts(const TensorImpl &mask,
                                         const Chunks &c) {
  auto counts = scratch(c.blocks, mask);
  Geom g = make_geom("nonzero", {&mask});
  const void *px = mask.data();
  int64_t *pc = counts->data_as<int64_t>();
  int64_t n = mask.numel(), chunk = c.chunk;
  void *args[] = {&px, &g, &n, &chunk, &pc};
  launch(index_kernel(mask.dtype(), "ember_count_nonzero"),
         static_cast<unsigned>(c.blocks), kIndexBlock, args);
  return counts;
}

} // namespace

void index_offsets(const TensorImpl &offsets, const TensorImpl &index,
                   int64_t size, int64_t stride, bool wrap_negative,
                   const char *op, int64_t dim) {
  EMBER_CHECK(offsets.dtype() == kInt64, "index_offsets",
              "offsets must be int64, got ", offsets.dtype());
  EMBER_CHECK(index.dtype() == kInt64 || index.dtype() == kInt32, op,
              "expected an int64 or int32 index, got ", index.dtype());
  EMBER_CHECK(index.sizes() == offsets.sizes(), "index_offsets", "index ",
              index.sizes(), " and offsets ", offsets.sizes(),
              " must have one shape");
  if (offsets.numel() == 0)
    return;
  // The kernel cannot throw: check the bounds first, with cpu's message.
  int64_t lo = 0, hi = 0;
  range_of(index, lo, hi);
  const int64_t min_ok = wrap_negative ? -size : 0;
  if (lo < min_ok || lo >= size)
    EMBER_FAIL(op, "index ", lo, " is out of bounds for dimension ", dim,
               " with size ", size);
  if (hi >= size)
    EMBER_FAIL(op, "index ", hi, " is out of bounds for dimension ", dim,
               " with size ", size);
  Geom g = make_geom("index_offsets", {&offsets, &index});
  void *po = offsets.data(), *pi = index.data();
  int wrap = wrap_negative ? 1 : 0;
  int64_t n = offsets.numel();
  void *args[] = {&po, &pi, &size, &stride, &wrap, &g, &n};
  launch_elementwise(index_kernel(index.dtype(), "ember_index_offsets"), n,
                     args);
}

void gather_offsets(const TensorImpl &out, const TensorImpl &src,
                    const TensorImpl &offsets) {
  EMBER_CHECK(src.dtype() == out.dtype() && offsets.dtype() == kInt64, "gather",
              "expected src of the output's dtype and int64 offsets");
  Geom g = make_geom("gather", {&out, &src, &offsets});
  void *po = out.data(), *ps = src.data(), *pf = offsets.data();
  int64_t n = out.numel();
  void *args[] = {&po, &ps, &pf, &g, &n};
  launch_elementwise(index_kernel(out.dtype(), "ember_gather_offsets"), n,
                     args);
}

void scatter_offsets(const TensorImpl &dst, const TensorImpl &values,
                     const TensorImpl &offsets, bool accumulate) {
  EMBER_CHECK(values.dtype() == dst.dtype() && offsets.dtype() == kInt64,
              "scatter", "expected values of dst's dtype and int64 offsets");
  if (dst.numel() == 0)
    return;
  void *pd = dst.data(), *pv = values.data(), *pf = offsets.data();
  if (!accumulate) {
    Geom g = make_geom("scatter", {&dst, &values, &offsets});
    int64_t n = dst.numel();
    void *args[] = {&pd, &pv, &pf, &g, &n};
    launch_elementwise(index_kernel(dst.dtype(), "ember_scatter_offsets"), n,
                       args);
    return;
  }
  Lines l = scatter_lines(dst, values, offsets);
  void *args[] = {&pd, &pv, &pf, &l.g, &l.zmask, &l.nlines, &l.nz};
  launch_elementwise(index_kernel(dst.dtype(), "ember_scatter_add_lines"),
                     l.nlines, args);
}

int64_t count_nonzero(const TensorImpl &mask) {
  if (mask.numel() == 0)
    return 0;
  Chunks c = chunk_grid(mask.numel(), kMaxIndexBlocks);
  std::vector<int64_t> v = to_host(*chunk_counts(mask, c));
  int64_t total = 0;
  for (int64_t x : v)
    total += x;
  return total;
}

void nonzero(const TensorImpl &out, const TensorImpl &mask) {
  EMBER_CHECK(out.dtype() == kInt64 && out.is_contiguous() && out.dim() == 2 &&
                  out.size(1) == mask.dim(),
              "nonzero", "expected a contiguous int64 output of shape [n, ",
              mask.dim(), "], got ", out.sizes());
  if (mask.numel() == 0 || out.numel() == 0)
    return;
  Chunks c = chunk_grid(mask.numel(), kMaxIndexBlocks);
  auto counts = chunk_counts(mask, c);
  Geom g = make_geom("nonzero", {&mask});
  Geom shape = shape_geom("nonzero", mask);
  void *po = out.data();
  const void *px = mask.data();
  const int64_t *pc = counts->data_as<int64_t>();
  int64_t n = mask.numel(), chunk = c.chunk, rows = out.size(0);
  void *args[] = {&po, &px, &g, &shape, &n, &chunk, &pc, &rows};
  launch(index_kernel(mask.dtype(), "ember_nonzero"),
         static_cast<unsigned>(c.blocks), kIndexBlock, args);
}

void int_range(const TensorImpl &x, int64_t &lo, int64_t &hi) {
  EMBER_CHECK(x.dtype() == kInt64 && x.numel() > 0, "int_range",
              "expected a non-empty int64 tensor");
  range_of(x, lo, hi);
}

void one_hot(const TensorImpl &out, const TensorImpl &x, int64_t num_classes) {
  EMBER_CHECK(out.dtype() == kInt64 && out.is_contiguous() &&
                  x.dtype() == kInt64 && x.is_contiguous() &&
                  out.numel() == x.numel() * num_classes,
              "one_hot", "expected contiguous int64 operands");
  void *po = out.data();
  const void *px = x.data();
  int64_t classes = num_classes, n = out.numel();
  void *args[] = {&po, &px, &classes, &n};
  launch_elementwise(index_kernel(kInt64, "ember_one_hot"), n, args);
}

} // namespace ember::kernels::cuda

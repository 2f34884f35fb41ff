// Host side of the CUDA reductions and softmax (kernels/reduce.cuh,
// kernels/softmax.cuh): the geometry (as the CPU kernel's plan: kept and
// reduced dims, size-1 dims dropped, neighbours merged), the launch shape,
// the launch on the current stream.
#include "reduce_plan.h"

#include "ember/runtime/error.h"
#include "ember/runtime/kernels/cuda.h"
#include "module.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace ember::cuda::detail {

namespace {

using Dims = std::vector<std::pair<int64_t, int64_t>>; // (size, stride)

// Merges a dim into its outer neighbour when the two walk memory as one.
Dims coalesce(const Dims &in) {
  Dims out;
  for (auto [n, s] : in) {
    if (!out.empty() && out.back().second == n * s) {
      out.back().first *= n;
      out.back().second = s;
    } else {
      out.emplace_back(n, s);
    }
  }
  return out;
}

void store(const char *op, const char *what, const Dims &d, int64_t *size,
           int64_t *stride, int32_t &nd) {
  EMBER_CHECK(d.size() <= static_cast<size_t>(kReduceMaxDims), op,
              "the CUDA reduction supports at most ", kReduceMaxDims, " ", what,
              " dims after merging contiguous ones, got ", d.size());
  nd = static_cast<int32_t>(d.size());
  for (size_t i = 0; i < d.size(); ++i) {
    size[i] = d[i].first;
    stride[i] = d[i].second;
  }
}

unsigned pow2_threads(int64_t n) {
  unsigned b = 32;
  while (b < static_cast<unsigned>(kReduceMaxThreads) && b < n)
    b *= 2;
  return b;
}

} // namespace

ReduceGeom make_reduce_geom(const char *op, const TensorImpl &in,
                            IntArrayRef dims, bool keep_order) {
  ReduceGeom g{};
  g.nout = 1;
  g.R = 1;
  std::vector<bool> reduced(static_cast<size_t>(in.dim()), false);
  for (int64_t d : dims)
    reduced[static_cast<size_t>(d)] = true;
  Dims kept, red;
  for (int64_t d = 0; d < in.dim(); ++d) {
    const int64_t n = in.size(d), s = in.stride(d);
    (reduced[static_cast<size_t>(d)] ? g.R : g.nout) *= n;
    if (n != 1)
      (reduced[static_cast<size_t>(d)] ? red : kept).emplace_back(n, s);
  }
  if (!keep_order)
    std::stable_sort(red.begin(), red.end(), [](const auto &a, const auto &b) {
      return a.second > b.second;
    });
  store(op, "kept", coalesce(kept), g.ksize, g.kstride, g.nk);
  store(op, "reduced", coalesce(red), g.rsize, g.rstride, g.nr);
  return g;
}

// One thread per output when rows are short, or when neighbouring outputs
// are neighbours in memory while the row is not (sum over dim 0 of a
// matrix: the threads of a warp then read consecutive elements) and there
// are enough outputs to fill the GPU. Otherwise one block per output,
// sized to the row (32..256 threads).
ReduceLaunch reduce_launch(const ReduceGeom &g) {
  const bool outputs_contiguous = g.nk > 0 && g.kstride[g.nk - 1] == 1;
  const bool row_contiguous = g.nr > 0 && g.rstride[g.nr - 1] == 1;
  if (g.R <= 32 || (g.nout >= 2048 && outputs_contiguous && !row_contiguous))
    return {false, 0};
  return {true, pow2_threads(g.R)};
}

// Columns of at least 128 elements get a block each when they are rows
// (inner == 1) or too few to fill the GPU with one thread each.
ReduceLaunch softmax_launch(int64_t outer, int64_t n, int64_t inner) {
  if (n >= 128 && (inner == 1 || outer * inner < 4096))
    return {true, pow2_threads(n)};
  return {false, 0};
}

} // namespace ember::cuda::detail

namespace ember::kernels::cuda {

using namespace ember::cuda::detail;

namespace {

std::string prelude_for(DType t) {
  return std::string("typedef ") + c_type(t) + " scalar_t;\n";
}

const char *op_name(ReduceOp op) {
  static const char *const names[] = {"Sum", "Prod", "Mean",      "Max", "Min",
                                      "Var", "Std",  "LogSumExp", "Norm"};
  static_assert(sizeof(names) / sizeof(names[0]) ==
                static_cast<size_t>(ReduceOp::Norm) + 1);
  return names[static_cast<int>(op)];
}

void check_same_device(const char *op, const TensorImpl &out,
                       const TensorImpl &in) {
  EMBER_CHECK(in.device().is_cuda() && out.device() == in.device(), op,
              "the CUDA kernel takes tensors on one CUDA device, got ",
              in.device(), " and ", out.device());
}

// Launches `kernel` in the shape `l` over `nout` outputs.
void launch_reduce(void *kernel, const ReduceLaunch &l, int64_t nout,
                   void **args) {
  if (l.per_block)
    launch(kernel, static_cast<unsigned>(std::min<int64_t>(nout, 65535)),
           l.block, args);
  else
    launch_elementwise(kernel, nout, args);
}

} // namespace

void reduce(ReduceOp op, const TensorImpl &out, const TensorImpl &in,
            IntArrayRef dims, const ReduceArgs &args) {
  const char *name = op_name(op);
  check_same_device(name, out, in);
  EMBER_CHECK(out.dtype() == in.dtype(), name, "output dtype ", out.dtype(),
              " differs from the input's ", in.dtype());
  const bool any_dtype = op == ReduceOp::Sum || op == ReduceOp::Prod ||
                         op == ReduceOp::Max || op == ReduceOp::Min;
  EMBER_CHECK(any_dtype || is_floating_point(in.dtype()), name,
              "expected a floating point input, got ", in.dtype());
  ReduceGeom g = make_reduce_geom(name, in, dims, /*keep_order=*/false);
  if (g.nout == 0)
    return;
  const ReduceLaunch l = reduce_launch(g);
  const std::string kernel = std::string("ember_reduce_") + name +
                             (l.per_block ? "_block" : "_thread");
  void *o = out.data(), *i = in.data();
  double p = args.p;
  int64_t correction = args.correction;
  void *a[] = {&o, &i, &g, &p, &correction};
  launch_reduce(get_kernel("reduce", prelude_for(in.dtype()), kernel.c_str()),
                l, g.nout, a);
}

void reduce_with_indices(bool is_max, const TensorImpl *values,
                         const TensorImpl &indices, const TensorImpl &in,
                         IntArrayRef dims) {
  const char *name = is_max ? "argmax" : "argmin";
  check_same_device(name, indices, in);
  EMBER_CHECK(indices.dtype() == kInt64, name, "indices must be int64, got ",
              indices.dtype());
  if (values) {
    check_same_device(name, *values, in);
    EMBER_CHECK(values->dtype() == in.dtype(), name, "values dtype ",
                values->dtype(), " differs from the input's ", in.dtype());
  }
  ReduceGeom g = make_reduce_geom(name, in, dims, /*keep_order=*/true);
  if (g.nout == 0)
    return;
  EMBER_CHECK(g.R > 0, name, "the reduction must not be empty");
  const ReduceLaunch l = reduce_launch(g);
  const std::string kernel = std::string("ember_argreduce_") +
                             (is_max ? "Max" : "Min") +
                             (l.per_block ? "_block" : "_thread");
  void *v = values ? values->data() : nullptr, *ix = indices.data(),
       *i = in.data();
  void *a[] = {&v, &ix, &i, &g};
  launch_reduce(get_kernel("reduce", prelude_for(in.dtype()), kernel.c_str()),
                l, g.nout, a);
}

void softmax(const TensorImpl &out, const TensorImpl &in, int64_t dim,
             bool log) {
  const char *name = log ? "log_softmax" : "softmax";
  check_same_device(name, out, in);
  EMBER_CHECK(is_floating_point(in.dtype()) && out.dtype() == in.dtype(), name,
              "expected floating point tensors of one dtype, got ", in.dtype(),
              " and ", out.dtype());
  EMBER_CHECK(in.is_contiguous() && out.is_contiguous(), name,
              "the CUDA kernel takes contiguous tensors");
  if (in.numel() == 0)
    return;
  int64_t n = in.dim() == 0 ? 1 : in.size(dim);
  int64_t inner = 1;
  for (int64_t d = dim + 1; d < in.dim(); ++d)
    inner *= in.size(d);
  int64_t outer = in.numel() / (n * inner);
  const ReduceLaunch l = softmax_launch(outer, n, inner);
  void *o = out.data(), *i = in.data();
  int log_ = log ? 1 : 0;
  void *a[] = {&o, &i, &outer, &n, &inner, &log_};
  void *k =
      get_kernel("softmax", prelude_for(in.dtype()),
                 l.per_block ? "ember_softmax_block" : "ember_softmax_thread");
  launch_reduce(k, l, outer * inner, a);
}

} // namespace ember::kernels::cuda

// Reductions (sum, mean, prod, amax/amin, max/min with indices,
// argmax/argmin, var/std, logsumexp, norm) and their public entry points.
//
// Every reduction takes a list of dims (empty: all dims; negative dims wrap;
// a dim listed twice is an error) and keepdim. The implementation decides the
// result dtype as PyTorch 1.13 does, casts the input to the compute dtype and
// hands a fresh contiguous output to kernels::reduce (the CPU or the CUDA
// kernel, by the tensor's device); the kernel's output layout (row-major over
// the kept dims) is both the keepdim and the squeezed layout, so no reshape is
// needed.
#include "common.h"
#include "ember/ops.h"
#include "ember/runtime/kernels/kernels.h"

#include <algorithm>
#include <cmath>

namespace ember {

using kernels::ReduceArgs;
using kernels::ReduceOp;

namespace impl {

namespace {

// The dims of `x` that `dims` names (empty: all), wrapped and sorted. A 0-dim
// tensor accepts 0 and -1 and has nothing to reduce.
DimVector reduce_dims(const OpCall &call, const Tensor &x, IntArrayRef dims) {
  const int64_t nd = x.dim();
  DimVector out;
  if (dims.empty()) {
    for (int64_t d = 0; d < nd; ++d)
      out.push_back(d);
    return out;
  }
  std::vector<bool> seen(static_cast<size_t>(std::max<int64_t>(nd, 1)), false);
  for (int64_t d : dims) {
    const int64_t w = wrap_dim(call.name(), d, nd);
    EMBER_CHECK(!seen[w], call.name(), "dim ", w,
                " appears multiple times in the list of dims ", dims);
    seen[w] = true;
    if (nd > 0)
      out.push_back(w);
  }
  std::sort(out.begin(), out.end());
  return out;
}

DimVector result_shape(const Tensor &x, IntArrayRef rdims, bool keepdim) {
  DimVector shape;
  for (int64_t d = 0; d < x.dim(); ++d) {
    const bool reduced =
        std::find(rdims.begin(), rdims.end(), d) != rdims.end();
    if (!reduced)
      shape.push_back(x.size(d));
    else if (keepdim)
      shape.push_back(1);
  }
  return shape;
}

std::vector<int64_t> dims_attr(const OpCall &call) {
  return call.attrs.get_or<std::vector<int64_t>>("dims", {});
}
bool keepdim_attr(const OpCall &call) {
  return call.attrs.get_or<bool>("keepdim", false);
}

// Max/min-like ops have no identity: an empty reduction is an error.
void check_nonempty(const OpCall &call, const Tensor &x, IntArrayRef rdims,
                    bool dim_given) {
  if (x.numel() != 0)
    return;
  EMBER_CHECK(dim_given, call.name(),
              "expected reduction dim to be specified for input.numel() == 0 "
              "(got a ",
              describe(x),
              "); specify the reduction dim with the 'dim' argument");
  for (int64_t d : rdims)
    EMBER_CHECK(x.size(d) != 0, call.name(), "expected reduction dim ", d,
                " to have non-zero size, got input of shape ", x.sizes());
}

void check_floating(const OpCall &call, const Tensor &x, const char *what) {
  EMBER_CHECK(x.is_floating_point(), call.name(), what, x.dtype(),
              " (input: ", describe(x), ")");
}

// Runs one kernel reduction of x (already in the compute dtype).
Tensor run_reduce(const OpCall &call, ReduceOp op, const Tensor &x,
                  const ReduceArgs &args = {}) {
  const DimVector dims = reduce_dims(call, x, dims_attr(call));
  Tensor out = make_output(result_shape(x, dims, keepdim_attr(call)), x.dtype(),
                           x.device());
  kernels::reduce(op, I(out), I(x), dims, args);
  return out;
}

// sum and prod: bool and integer inputs accumulate in (and return) int64.
DType widened(DType t) {
  return is_integral(t, /*include_bool=*/true) ? kInt64 : t;
}

} // namespace

TensorList sum(const OpCall &call) {
  const Tensor &x = call.inputs[0];
  DType dt = call.attrs.has("dtype") ? call.attrs.get<DType>("dtype")
                                     : widened(x.dtype());
  EMBER_CHECK(has_kernels(dt), call.name(), "dtype ", dt,
              " is reserved and has no kernels yet");
  return out1(run_reduce(call, ReduceOp::Sum, cast(x, dt)));
}

TensorList prod(const OpCall &call) {
  const Tensor &x = call.inputs[0];
  return out1(run_reduce(call, ReduceOp::Prod, cast(x, widened(x.dtype()))));
}

TensorList mean(const OpCall &call) {
  const Tensor &x = call.inputs[0];
  check_floating(call, x,
                 "could not infer output dtype. Input dtype must be either a "
                 "floating point or complex dtype. Got: ");
  return out1(run_reduce(call, ReduceOp::Mean, x));
}

namespace {
TensorList extreme(const OpCall &call, ReduceOp op) {
  const Tensor &x = call.inputs[0];
  const std::vector<int64_t> given = dims_attr(call);
  check_nonempty(call, x, reduce_dims(call, x, given), !given.empty());
  return out1(run_reduce(call, op, x));
}

// max_dim/min_dim (values and indices) and argmax/argmin (indices only).
TensorList with_indices(const OpCall &call, bool is_max, bool values) {
  const Tensor &x = call.inputs[0];
  EMBER_CHECK(values || x.dtype() != kBool, call.name(),
              "not implemented for bool tensors (input: ", describe(x), ")");
  const AttrValue *dim_v = call.attrs.find("dim");
  const bool keepdim = keepdim_attr(call);
  DimVector dims, shape;
  if (dim_v) {
    const int64_t d = std::get<int64_t>(*dim_v);
    dims = reduce_dims(call, x, IntArrayRef(d));
    shape = result_shape(x, dims, keepdim);
  } else { // the index into the flattened tensor
    dims = reduce_dims(call, x, {});
    if (keepdim)
      shape.assign(static_cast<size_t>(x.dim()), 1);
  }
  check_nonempty(call, x, dims, dim_v != nullptr);
  Tensor idx = make_output(shape, kInt64, x.device());
  if (!values) {
    kernels::reduce_with_indices(is_max, nullptr, I(idx), I(x), dims);
    return out1(idx);
  }
  Tensor val = make_output(shape, x.dtype(), x.device());
  kernels::reduce_with_indices(is_max, &I(val), I(idx), I(x), dims);
  return {val, idx};
}
} // namespace

TensorList amax(const OpCall &call) { return extreme(call, ReduceOp::Max); }
TensorList amin(const OpCall &call) { return extreme(call, ReduceOp::Min); }
TensorList max_dim(const OpCall &call) {
  return with_indices(call, true, true);
}
TensorList min_dim(const OpCall &call) {
  return with_indices(call, false, true);
}
TensorList argmax(const OpCall &call) {
  return with_indices(call, true, false);
}
TensorList argmin(const OpCall &call) {
  return with_indices(call, false, false);
}

namespace {
TensorList var_std(const OpCall &call, ReduceOp op) {
  const Tensor &x = call.inputs[0];
  check_floating(call, x,
                 "std and var only support floating point and complex dtypes, "
                 "got ");
  ReduceArgs args;
  args.correction = call.attrs.get_or<int64_t>("correction", 1);
  return out1(run_reduce(call, op, x, args));
}
} // namespace

TensorList var(const OpCall &call) { return var_std(call, ReduceOp::Var); }
TensorList std(const OpCall &call) { return var_std(call, ReduceOp::Std); }

TensorList logsumexp(const OpCall &call) {
  const Tensor &x = call.inputs[0];
  // As PyTorch 1.13: integer and bool inputs give the default float type.
  const DType dt = x.is_floating_point() ? x.dtype() : default_dtype();
  return out1(run_reduce(call, ReduceOp::LogSumExp, cast(x, dt)));
}

TensorList norm(const OpCall &call) {
  const Tensor &x = call.inputs[0];
  check_floating(call, x,
                 "input dtype should be either floating point or complex. "
                 "Got ");
  ReduceArgs args;
  args.p = call.attrs.get<Scalar>("p").to_double();
  return out1(run_reduce(call, ReduceOp::Norm, x, args));
}

} // namespace impl

// --- public API
// ----------------------------------------------------------------

namespace {
Attrs reduce_attrs(IntArrayRef dims, bool keepdim) {
  return {{"dims", dims.vec()}, {"keepdim", keepdim}};
}
void check_not_empty(const char *op, const Tensor &x) {
  EMBER_CHECK(x.numel() != 0, op,
              "expected reduction dim to be specified for input.numel() == 0 "
              "(got a ",
              impl::describe(x),
              "); specify the reduction dim with the 'dim' argument");
}
} // namespace

Tensor sum(const Tensor &x, Loc loc) {
  return sum(x, {}, false, std::nullopt, loc);
}
Tensor sum(const Tensor &x, IntArrayRef dims, bool keepdim,
           std::optional<DType> dtype, Loc loc) {
  Attrs a = reduce_attrs(dims, keepdim);
  if (dtype)
    a.set("dtype", *dtype);
  return dispatch1(OpId::sum, {x}, a, loc);
}

Tensor mean(const Tensor &x, Loc loc) { return mean(x, {}, false, loc); }
Tensor mean(const Tensor &x, IntArrayRef dims, bool keepdim, Loc loc) {
  return dispatch1(OpId::mean, {x}, reduce_attrs(dims, keepdim), loc);
}

Tensor prod(const Tensor &x, Loc loc) {
  return dispatch1(OpId::prod, {x}, reduce_attrs({}, false), loc);
}
Tensor prod(const Tensor &x, int64_t dim, bool keepdim, Loc loc) {
  return dispatch1(OpId::prod, {x}, reduce_attrs(dim, keepdim), loc);
}

Tensor max(const Tensor &x, Loc loc) {
  if (x.defined())
    check_not_empty("max", x);
  return dispatch1(OpId::amax, {x}, reduce_attrs({}, false), loc);
}
Tensor min(const Tensor &x, Loc loc) {
  if (x.defined())
    check_not_empty("min", x);
  return dispatch1(OpId::amin, {x}, reduce_attrs({}, false), loc);
}

std::tuple<Tensor, Tensor> max(const Tensor &x, int64_t dim, bool keepdim,
                               Loc loc) {
  TensorList r =
      dispatch(OpId::max_dim, {x}, {{"dim", dim}, {"keepdim", keepdim}}, loc);
  return {std::move(r[0]), std::move(r[1])};
}
std::tuple<Tensor, Tensor> min(const Tensor &x, int64_t dim, bool keepdim,
                               Loc loc) {
  TensorList r =
      dispatch(OpId::min_dim, {x}, {{"dim", dim}, {"keepdim", keepdim}}, loc);
  return {std::move(r[0]), std::move(r[1])};
}

Tensor amax(const Tensor &x, IntArrayRef dims, bool keepdim, Loc loc) {
  return dispatch1(OpId::amax, {x}, reduce_attrs(dims, keepdim), loc);
}
Tensor amin(const Tensor &x, IntArrayRef dims, bool keepdim, Loc loc) {
  return dispatch1(OpId::amin, {x}, reduce_attrs(dims, keepdim), loc);
}

namespace {
Attrs arg_attrs(std::optional<int64_t> dim, bool keepdim) {
  Attrs a{{"keepdim", keepdim}};
  if (dim)
    a.set("dim", *dim);
  return a;
}
} // namespace

Tensor argmax(const Tensor &x, std::optional<int64_t> dim, bool keepdim,
              Loc loc) {
  return dispatch1(OpId::argmax, {x}, arg_attrs(dim, keepdim), loc);
}
Tensor argmin(const Tensor &x, std::optional<int64_t> dim, bool keepdim,
              Loc loc) {
  return dispatch1(OpId::argmin, {x}, arg_attrs(dim, keepdim), loc);
}

Tensor var(const Tensor &x, Loc loc) { return var(x, {}, 1, false, loc); }
Tensor var(const Tensor &x, IntArrayRef dims, int64_t correction, bool keepdim,
           Loc loc) {
  Attrs a = reduce_attrs(dims, keepdim);
  a.set("correction", correction);
  return dispatch1(OpId::var, {x}, a, loc);
}
Tensor std(const Tensor &x, Loc loc) { return std(x, {}, 1, false, loc); }
Tensor std(const Tensor &x, IntArrayRef dims, int64_t correction, bool keepdim,
           Loc loc) {
  Attrs a = reduce_attrs(dims, keepdim);
  a.set("correction", correction);
  return dispatch1(OpId::std, {x}, a, loc);
}

Tensor logsumexp(const Tensor &x, IntArrayRef dims, bool keepdim, Loc loc) {
  return dispatch1(OpId::logsumexp, {x}, reduce_attrs(dims, keepdim), loc);
}

// all/any count the zeros (eq, then an integer sum): ops the tracer and the
// compiler already take, and NaN != 0 as PyTorch has it.
Tensor all(const Tensor &x, Loc loc) {
  return eq(sum(eq(x, 0, loc), loc), 0, loc);
}
Tensor all(const Tensor &x, int64_t dim, bool keepdim, Loc loc) {
  return eq(sum(eq(x, 0, loc), {dim}, keepdim, std::nullopt, loc), 0, loc);
}
Tensor any(const Tensor &x, Loc loc) {
  return gt(sum(ne(x, 0, loc), loc), 0, loc);
}
Tensor any(const Tensor &x, int64_t dim, bool keepdim, Loc loc) {
  return gt(sum(ne(x, 0, loc), {dim}, keepdim, std::nullopt, loc), 0, loc);
}

Tensor norm(const Tensor &x, const Scalar &p, Loc loc) {
  return norm(x, p, {}, false, loc);
}
Tensor norm(const Tensor &x, const Scalar &p, IntArrayRef dims, bool keepdim,
            Loc loc) {
  Attrs a = reduce_attrs(dims, keepdim);
  a.set("p", p);
  return dispatch1(OpId::norm, {x}, a, loc);
}

} // namespace ember

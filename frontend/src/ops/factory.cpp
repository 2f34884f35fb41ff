// Factories: empty, full, arange, linspace, eye, and the public factory API
// (zeros/ones/*_like/from_blob/tensor(...)).
#include "ember/factory.h"
#include "common.h"

#include <cmath>

namespace ember {
namespace impl {

TensorList empty(const OpCall &call) {
  return out1(make_output(factory_size(call), call.attrs.get<DType>("dtype"),
                          factory_device(call)));
}

TensorList full(const OpCall &call) {
  Tensor t = make_output(factory_size(call), call.attrs.get<DType>("dtype"),
                         factory_device(call));
  kernels::fill(I(t), call.attrs.get<Scalar>("value"));
  return out1(t);
}

TensorList arange(const OpCall &call) {
  double start = call.attrs.get<Scalar>("start").to_double();
  double end = call.attrs.get<Scalar>("end").to_double();
  double step = call.attrs.get<Scalar>("step").to_double();
  DType dt = call.attrs.get<DType>("dtype");
  EMBER_CHECK(step != 0, call.name(), "step must be nonzero");
  EMBER_CHECK(std::isfinite(start) && std::isfinite(end), call.name(),
              "unsupported range: ", start, " -> ", end);
  EMBER_CHECK((step > 0 && end >= start) || (step < 0 && end <= start),
              call.name(),
              "upper bound and larger bound inconsistent with step sign");
  auto n = static_cast<int64_t>(std::ceil((end - start) / step));
  // Built on the host, then moved: n scalar writes are no kernel's job.
  Device dev = factory_device(call);
  Tensor t = make_output({n}, dt, kCPU);
  visit_dtype(dt, call.name(), [&]<typename T>() {
    T *p = t.data_ptr<T>();
    for (int64_t i = 0; i < n; ++i)
      p[i] = convert<T>(start + static_cast<double>(i) * step);
  });
  return out1(copy_to_device(t, dev, false));
}

TensorList linspace(const OpCall &call) {
  double start = call.attrs.get<Scalar>("start").to_double();
  double end = call.attrs.get<Scalar>("end").to_double();
  int64_t steps = call.attrs.get<int64_t>("steps");
  EMBER_CHECK(steps >= 0, call.name(),
              "number of steps must be non-negative, got ", steps);
  DType dt = call.attrs.get<DType>("dtype");
  Device dev = factory_device(call);
  Tensor t = make_output({steps}, dt, kCPU);
  visit_dtype(dt, call.name(), [&]<typename T>() {
    T *p = t.data_ptr<T>();
    if (steps == 1) {
      p[0] = convert<T>(start);
      return;
    }
    // Symmetric evaluation as in PyTorch: the first half counts up from
    // start, the second half down from end, so both ends are exact.
    double step = (end - start) / static_cast<double>(steps - 1);
    int64_t half = steps / 2;
    for (int64_t i = 0; i < steps; ++i)
      p[i] = convert<T>(i < half
                            ? start + step * static_cast<double>(i)
                            : end - step * static_cast<double>(steps - i - 1));
  });
  return out1(copy_to_device(t, dev, false));
}

TensorList eye(const OpCall &call) {
  int64_t n = call.attrs.get<int64_t>("n"), m = call.attrs.get<int64_t>("m");
  EMBER_CHECK(n >= 0 && m >= 0, call.name(),
              "n and m must be non-negative, got ", n, " and ", m);
  DType dt = call.attrs.get<DType>("dtype");
  Device dev = factory_device(call);
  Tensor t = make_output({n, m}, dt, kCPU);
  kernels::fill(I(t), Scalar(0));
  visit_dtype(dt, call.name(), [&]<typename T>() {
    T *p = t.data_ptr<T>();
    for (int64_t i = 0; i < std::min(n, m); ++i)
      p[i * m + i] = T(1);
  });
  return out1(copy_to_device(t, dev, false));
}

} // namespace impl

namespace {
Tensor finish(Tensor t, const TensorOptions &opts) {
  if (opts.requires_grad())
    t.requires_grad_(true);
  return t;
}
Attrs factory_attrs(IntArrayRef size, DType dt, Device dev) {
  return {{"size", size.vec()}, {"dtype", dt}, {"device", dev}};
}
} // namespace

Tensor empty(IntArrayRef size, TensorOptions opts, Loc loc) {
  return finish(dispatch1(OpId::empty, {},
                          factory_attrs(size, opts.dtype(), opts.device()),
                          loc),
                opts);
}

Tensor full(IntArrayRef size, const Scalar &value, TensorOptions opts,
            Loc loc) {
  DType dt = opts.dtype_opt().value_or(value.dtype());
  Attrs a = factory_attrs(size, dt, opts.device());
  a.set("value", value);
  return finish(dispatch1(OpId::full, {}, a, loc), opts);
}

Tensor zeros(IntArrayRef size, TensorOptions opts, Loc loc) {
  return full(size, Scalar(0), opts.dtype(opts.dtype()), loc);
}
Tensor ones(IntArrayRef size, TensorOptions opts, Loc loc) {
  return full(size, Scalar(1), opts.dtype(opts.dtype()), loc);
}

Tensor arange(const Scalar &end, TensorOptions opts, Loc loc) {
  return arange(Scalar(0), end, Scalar(1), opts, loc);
}

Tensor arange(const Scalar &start, const Scalar &end, const Scalar &step,
              TensorOptions opts, Loc loc) {
  bool all_int = !start.is_floating_point() && !end.is_floating_point() &&
                 !step.is_floating_point();
  DType dt = opts.dtype_opt().value_or(all_int ? kInt64 : default_dtype());
  Attrs a{{"start", start},
          {"end", end},
          {"step", step},
          {"dtype", dt},
          {"device", opts.device()}};
  return finish(dispatch1(OpId::arange, {}, a, loc), opts);
}

Tensor linspace(const Scalar &start, const Scalar &end, int64_t steps,
                TensorOptions opts, Loc loc) {
  Attrs a{{"start", start},
          {"end", end},
          {"steps", steps},
          {"dtype", opts.dtype()},
          {"device", opts.device()}};
  return finish(dispatch1(OpId::linspace, {}, a, loc), opts);
}

Tensor eye(int64_t n, TensorOptions opts, Loc loc) {
  return eye(n, n, opts, loc);
}
Tensor eye(int64_t n, int64_t m, TensorOptions opts, Loc loc) {
  Attrs a{
      {"n", n}, {"m", m}, {"dtype", opts.dtype()}, {"device", opts.device()}};
  return finish(dispatch1(OpId::eye, {}, a, loc), opts);
}

namespace {
TensorOptions like(const Tensor &t, const std::optional<TensorOptions> &o) {
  if (!o)
    return t.options();
  return TensorOptions()
      .dtype(o->dtype_opt().value_or(t.dtype()))
      .device(o->device())
      .requires_grad(o->requires_grad());
}
} // namespace

Tensor empty_like(const Tensor &t, std::optional<TensorOptions> o, Loc loc) {
  return empty(t.sizes(), like(t, o), loc);
}
Tensor zeros_like(const Tensor &t, std::optional<TensorOptions> o, Loc loc) {
  return zeros(t.sizes(), like(t, o), loc);
}
Tensor ones_like(const Tensor &t, std::optional<TensorOptions> o, Loc loc) {
  return ones(t.sizes(), like(t, o), loc);
}
Tensor full_like(const Tensor &t, const Scalar &v,
                 std::optional<TensorOptions> o, Loc loc) {
  return full(t.sizes(), v, like(t, o), loc);
}

Tensor from_blob(void *data, IntArrayRef sizes, TensorOptions opts) {
  return from_blob(data, sizes, contiguous_strides(sizes), opts);
}

namespace {
Tensor blob(void *data, IntArrayRef sizes, IntArrayRef strides,
            std::function<void(void *)> deleter, const TensorOptions &opts) {
  EMBER_CHECK(sizes.size() == strides.size(), "from_blob", "got ", sizes.size(),
              " sizes but ", strides.size(), " strides");
  int64_t extent = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    EMBER_CHECK(sizes[i] >= 0 && strides[i] >= 0, "from_blob",
                "negative size or stride (sizes ", sizes, ", strides ", strides,
                ")");
    if (sizes[i] == 0) {
      extent = -1;
      break;
    }
    extent += (sizes[i] - 1) * strides[i];
  }
  EMBER_CHECK(data != nullptr || extent < 0, "from_blob",
              "data pointer is null");
  size_t nbytes = static_cast<size_t>(extent + 1) * element_size(opts.dtype());
  auto storage = std::make_shared<StorageImpl>(data, nbytes, opts.device(),
                                               std::move(deleter));
  return Tensor(std::make_shared<TensorImpl>(std::move(storage), opts.dtype(),
                                             sizes.vec(), strides.vec(), 0));
}
} // namespace

Tensor from_blob(void *data, IntArrayRef sizes, IntArrayRef strides,
                 TensorOptions opts) {
  return blob(data, sizes, strides, nullptr, opts);
}

Tensor from_blob(void *data, IntArrayRef sizes,
                 std::function<void(void *)> deleter, TensorOptions opts) {
  return blob(data, sizes, contiguous_strides(sizes), std::move(deleter), opts);
}

TensorInit::TensorInit(double v) : kind_(Kind::Double), value_(v) {}
TensorInit::TensorInit(float v) : kind_(Kind::Float), value_(v) {}
TensorInit::TensorInit(int v) : kind_(Kind::Int), value_(v) {}
TensorInit::TensorInit(int64_t v)
    : kind_(Kind::Int), value_(static_cast<double>(v)) {}
TensorInit::TensorInit(bool v) : kind_(Kind::Bool), value_(v) {}
TensorInit::TensorInit(std::initializer_list<TensorInit> l)
    : kind_(Kind::List), children_(l) {}

detail::NestedValues TensorInit::flatten() const {
  detail::NestedValues nv;
  int rank = -1; // 0 = bool, 1 = int, 2 = float
  std::function<void(const TensorInit &, size_t)> walk =
      [&](const TensorInit &n, size_t depth) {
        if (n.kind_ != Kind::List) {
          EMBER_CHECK(depth == nv.shape.size(), "tensor",
                      "nested lists are not rectangular (a scalar at depth ",
                      depth, ", expected depth ", nv.shape.size(), ")");
          nv.values.push_back(n.value_);
          int r = n.kind_ == Kind::Bool ? 0 : n.kind_ == Kind::Int ? 1 : 2;
          rank = std::max(rank, r);
          return;
        }
        int64_t len = static_cast<int64_t>(n.children_.size());
        if (depth == nv.shape.size() && nv.values.empty())
          nv.shape.push_back(len);
        EMBER_CHECK(depth < nv.shape.size() && nv.shape[depth] == len, "tensor",
                    "nested lists are not rectangular (expected length ",
                    depth < nv.shape.size() ? nv.shape[depth] : -1,
                    " at depth ", depth, ", got ", len, ")");
        for (const auto &c : n.children_)
          walk(c, depth + 1);
      };
  walk(*this, 0);
  nv.dtype = rank == 0 ? kBool : rank == 1 ? kInt64 : default_dtype();
  return nv;
}

Tensor tensor(TensorInit values, TensorOptions opts) {
  detail::NestedValues nv = values.flatten();
  DType dt = opts.dtype_opt().value_or(nv.dtype);
  Tensor t = impl::make_output(nv.shape, dt, Device(kCPU));
  visit_dtype(dt, "tensor", [&]<typename T>() {
    T *p = t.data_ptr<T>();
    for (size_t i = 0; i < nv.values.size(); ++i)
      p[i] = convert<T>(nv.values[i]);
  });
  if (!opts.device().is_cpu())
    t = t.to(opts.device());
  return finish(t, opts);
}

} // namespace ember

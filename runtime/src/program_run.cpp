// program::run (program.h): executes a verified Program's steps over
// shared_ptr<TensorImpl> slots on the inputs' device. Views share their
// operand's storage; each slot is dropped after its last use (outputs live
// to the end), so the device's caching allocator reuses the memory of
// dead values in the next steps. Constants are uploaded once per device
// into the Program's cache; a slot that shares a cached constant's
// storage is never written and is copied before it is returned.
#include "ember/runtime/cuda.h"
#include "ember/runtime/error.h"
#include "ember/runtime/kernels/kernels.h"
#include "ember/runtime/program.h"

#include <cstring>

namespace ember::program {

namespace {

using Impl = std::shared_ptr<TensorImpl>;
constexpr const char *kOp = "program::run";

Impl contiguous_copy(const Impl &t) {
  Impl c = make_tensor_impl(t->sizes(), t->dtype(), t->device());
  kernels::copy(*c, *t);
  return c;
}

Impl contiguous(const Impl &t) {
  return t->is_contiguous() ? t : contiguous_copy(t);
}

Impl view(const TensorImpl &t, DimVector sizes, DimVector strides,
          int64_t offset) {
  return std::make_shared<TensorImpl>(t.storage(), t.dtype(), std::move(sizes),
                                      std::move(strides), offset);
}

// The view t[offsets : offsets + sizes * steps : steps] (ints = offsets,
// steps), as Slice and InsertSlice define it.
Impl window(const TensorImpl &t, const std::vector<int64_t> &ints,
            IntArrayRef sizes) {
  const size_t r = sizes.size();
  DimVector strides(r);
  int64_t offset = t.storage_offset();
  bool empty = false;
  for (size_t d = 0; d < r; ++d) {
    offset += ints[d] * t.stride(static_cast<int64_t>(d));
    strides[d] = ints[r + d] * t.stride(static_cast<int64_t>(d));
    empty = empty || sizes[d] == 0;
  }
  // An empty window may start past the storage's end: keep it in bounds.
  return view(t, sizes.vec(), std::move(strides),
              empty ? t.storage_offset() : offset);
}

std::pair<int, int> device_key(Device d) {
  return {static_cast<int>(d.type()),
          d.is_cuda() && d.index() < 0 ? cuda::current_device() : d.index()};
}

// The constants of `p` on `device`, uploaded on first use.
const std::vector<Impl> &constants_on(const Program &p, Device device) {
  detail::ConstantCache &cache = p.constant_cache;
  std::lock_guard<std::mutex> lock(cache.mu);
  auto [it, fresh] = cache.by_device.try_emplace(device_key(device));
  if (!fresh)
    return it->second;
  std::vector<Impl> &out = it->second;
  out.resize(p.constants.size());
  try {
    // Slot types, not the bytes, give each constant its shape: find a
    // Constant step per entry (verify() checked the byte counts).
    for (const Step &s : p.steps) {
      if (s.kind != StepKind::Constant || out[s.constant])
        continue;
      const SlotType &t = p.slots[s.out];
      const std::string &bytes = p.constants[s.constant];
      Impl c = make_tensor_impl(t.sizes, t.dtype, device);
      if (bytes.empty())
        ; // nothing to copy (an empty tensor)
      else if (device.is_cuda())
        cuda::copy_bytes(c->data(), true, bytes.data(), false, bytes.size(),
                         c->device().index());
      else
        std::memcpy(c->data(), bytes.data(), bytes.size());
      out[s.constant] = std::move(c);
    }
  } catch (...) {
    cache.by_device.erase(it);
    throw;
  }
  return out;
}

// Checks and binds the inputs: count, dtype, sizes, device.
std::vector<Impl> bind_inputs(const Program &p, const std::vector<Impl> &in,
                              Device device) {
  EMBER_CHECK(in.size() == p.inputs.size(), kOp, "program '", p.name,
              "' takes ", p.inputs.size(), " inputs, got ", in.size());
  std::vector<Impl> bound(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const SlotType &want = p.slots[p.inputs[i]];
    EMBER_CHECK(in[i] != nullptr, kOp, "program '", p.name, "' input ", i,
                " is null");
    const TensorImpl &t = *in[i];
    EMBER_CHECK(t.dtype() == want.dtype && t.sizes() == IntArrayRef(want.sizes),
                kOp, "program '", p.name, "' input ", i, ": expected ",
                dtype_name(want.dtype), " of shape ", IntArrayRef(want.sizes),
                ", got ", dtype_name(t.dtype()), " of shape ", t.sizes());
    EMBER_CHECK(t.device() == device, kOp, "program '", p.name, "' input ", i,
                " is on ", t.device(), ", expected ", device,
                " (all inputs on one device)");
    bound[i] = contiguous(in[i]);
  }
  return bound;
}

class Runner {
public:
  Runner(const Program &p, KernelLauncher &launcher, Device device)
      : p_(p), launcher_(launcher), device_(device), slots_(p.slots.size()),
        from_constant_(p.slots.size()) {}

  std::vector<Impl> run(const std::vector<Impl> &inputs) {
    std::vector<Impl> bound = bind_inputs(p_, inputs, device_);
    for (size_t i = 0; i < bound.size(); ++i)
      slots_[p_.inputs[i]] = std::move(bound[i]);
    plan_lifetimes();
    for (size_t i = 0; i < p_.steps.size(); ++i) {
      step_ = i;
      execute(p_.steps[i]);
      for (int32_t s : dead_after_[i])
        slots_[s].reset();
    }
    std::vector<Impl> out;
    out.reserve(p_.outputs.size());
    for (int32_t s : p_.outputs)
      // Returning a cached constant would let the caller change it.
      out.push_back(from_constant_[s] ? contiguous_copy(slots_[s]) : slots_[s]);
    return out;
  }

private:
  template <typename... A> [[noreturn]] void fail(A &&...msg) {
    EMBER_FAIL(kOp, "program '", p_.name, "' step ", step_, ": ",
               std::forward<A>(msg)...);
  }

  // dead_after_[i]: the slots whose last use is step i (or that step i
  // defines and nothing uses), outputs excepted.
  void plan_lifetimes() {
    const int64_t n = static_cast<int64_t>(p_.steps.size());
    std::vector<int64_t> last(p_.slots.size(), -1);
    for (int64_t i = 0; i < n; ++i) {
      const Step &st = p_.steps[i];
      for (int32_t s : st.in)
        last[s] = i;
      if (st.out >= 0)
        last[st.out] = std::max(last[st.out], i);
    }
    for (int32_t s : p_.inputs)
      last[s] = std::max<int64_t>(last[s], 0);
    for (int32_t s : p_.outputs)
      last[s] = -1;
    dead_after_.assign(n, {});
    for (size_t s = 0; s < last.size(); ++s)
      if (last[s] >= 0 && last[s] < n)
        dead_after_[last[s]].push_back(static_cast<int32_t>(s));
  }

  const Impl &get(int32_t s) const { return slots_[s]; }

  void define(const Step &st, Impl t, bool from_constant = false) {
    slots_[st.out] = std::move(t);
    from_constant_[st.out] = from_constant;
  }

  Impl fresh(int32_t s) const {
    const SlotType &t = p_.slots[s];
    return make_tensor_impl(t.sizes, t.dtype, device_);
  }

  void execute(const Step &st) {
    switch (st.kind) {
    case StepKind::Empty:
      return define(st, fresh(st.out));
    case StepKind::Clone: {
      Impl c = fresh(st.out);
      kernels::copy(*c, *get(st.in[0]));
      return define(st, std::move(c));
    }
    case StepKind::Constant: {
      const Impl &c = constants_on(p_, device_)[st.constant];
      const SlotType &t = p_.slots[st.out];
      if (c->dtype() == t.dtype && c->sizes() == IntArrayRef(t.sizes))
        return define(st, c, true);
      // Another Constant step gave the shared bytes their cached type:
      // the same bytes (verify() checked the count) seen as this one.
      return define(st,
                    std::make_shared<TensorImpl>(c->storage(), t.dtype, t.sizes,
                                                 contiguous_strides(t.sizes),
                                                 0),
                    true);
    }
    case StepKind::Reshape: {
      const TensorImpl &t = *get(st.in[0]);
      if (!t.is_contiguous())
        fail("reshapes a non-contiguous tensor of shape ", t.sizes(),
             " strides ", t.strides(), " (the builder must clone it first)");
      const auto &sizes = p_.slots[st.out].sizes;
      return define(
          st, view(t, sizes, contiguous_strides(sizes), t.storage_offset()),
          from_constant_[st.in[0]]);
    }
    case StepKind::Transpose: {
      const TensorImpl &t = *get(st.in[0]);
      DimVector sizes(st.ints.size()), strides(st.ints.size());
      for (size_t i = 0; i < st.ints.size(); ++i) {
        sizes[i] = t.size(st.ints[i]);
        strides[i] = t.stride(st.ints[i]);
      }
      return define(
          st, view(t, std::move(sizes), std::move(strides), t.storage_offset()),
          from_constant_[st.in[0]]);
    }
    case StepKind::Slice:
      return define(st, window(*get(st.in[0]), st.ints, p_.slots[st.out].sizes),
                    from_constant_[st.in[0]]);
    case StepKind::InsertSlice: {
      if (from_constant_[st.in[0]])
        fail("writes into a constant (the builder must clone it first)");
      const Impl &dst = get(st.in[0]);
      const TensorImpl &src = *get(st.in[1]);
      kernels::copy(*window(*dst, st.ints, src.sizes()), src);
      return define(st, dst);
    }
    case StepKind::Launch:
      return launch(st);
    case StepKind::Matmul: {
      Impl out = fresh(st.out);
      // kernels::matmul takes strided operands (transposed views stay
      // views); the output must be contiguous and not overlap them.
      kernels::matmul(*out, *get(st.in[0]), *get(st.in[1]));
      if (st.in.size() == 3)
        kernels::binary(kernels::BinaryOp::Add, *out, *get(st.in[2]), *out);
      return define(st, std::move(out));
    }
    case StepKind::Conv2d: {
      Impl out = fresh(st.out);
      kernels::Conv2dParams cp;
      cp.stride[0] = st.ints[0];
      cp.stride[1] = st.ints[1];
      cp.dilation[0] = st.ints[2];
      cp.dilation[1] = st.ints[3];
      // The conv kernels want contiguous operands.
      kernels::conv2d(*out, *contiguous(get(st.in[0])),
                      *contiguous(get(st.in[1])), nullptr, cp);
      if (st.in.size() == 3)
        kernels::binary(kernels::BinaryOp::Add, *out, *get(st.in[2]), *out);
      return define(st, std::move(out));
    }
    case StepKind::MaxPool2d: {
      Impl out = fresh(st.out);
      kernels::Pool2dParams pp;
      for (int d = 0; d < 2; ++d) {
        pp.kernel[d] = st.ints[d];
        pp.stride[d] = st.ints[2 + d];
        pp.dilation[d] = st.ints[4 + d];
      }
      kernels::max_pool2d(*out, *contiguous(get(st.in[0])), pp);
      // arith.maximumf: NaN in either operand gives NaN, as Maximum does.
      if (st.in.size() == 2)
        kernels::binary(kernels::BinaryOp::Maximum, *out, *get(st.in[1]), *out);
      return define(st, std::move(out));
    }
    }
  }

  void launch(const Step &st) {
    std::vector<bool> written(st.in.size());
    for (int32_t w : st.written)
      written[w] = true;
    // Temporaries made contiguous for this launch only: a view slot stays
    // a view (its base may be written later).
    std::vector<Impl> keep(st.in.size());
    std::vector<void *> ptrs(st.in.size());
    std::vector<void *> args(st.in.size());
    for (size_t i = 0; i < st.in.size(); ++i) {
      const Impl &t = get(st.in[i]);
      if (written[i]) {
        if (from_constant_[st.in[i]])
          fail("kernel ", p_.kernels[st.kernel], " writes operand ", i, " (%",
               st.in[i], "), a constant");
        if (!t->is_contiguous())
          fail("kernel ", p_.kernels[st.kernel], " writes operand ", i, " (%",
               st.in[i], "), which is not contiguous (shape ", t->sizes(),
               " strides ", t->strides(), ")");
      }
      keep[i] = contiguous(t);
      ptrs[i] = keep[i]->data();
      args[i] = &ptrs[i];
    }
    if (st.threads > 0)
      launcher_.launch(static_cast<size_t>(st.kernel), st.threads, args.data());
  }

  const Program &p_;
  KernelLauncher &launcher_;
  Device device_;
  std::vector<Impl> slots_;
  std::vector<bool> from_constant_;
  std::vector<std::vector<int32_t>> dead_after_;
  size_t step_ = 0;
};

} // namespace

std::vector<std::shared_ptr<TensorImpl>>
run(const Program &program,
    const std::vector<std::shared_ptr<TensorImpl>> &inputs,
    KernelLauncher &launcher, Device device) {
  {
    std::lock_guard<std::mutex> lock(program.constant_cache.mu);
    if (!program.constant_cache.verified) {
      program.verify();
      program.constant_cache.verified = true;
    }
  }
  return Runner(program, launcher, device).run(inputs);
}

std::vector<std::shared_ptr<TensorImpl>>
run(const Program &program,
    const std::vector<std::shared_ptr<TensorImpl>> &inputs,
    KernelLauncher &launcher) {
  Device device = !inputs.empty() && inputs[0] ? inputs[0]->device() : Device();
  return run(program, inputs, launcher, device);
}

} // namespace ember::program

// Program::verify and Program::describe (program.h). verify() checks
// everything the runner and the kernels it calls rely on (slot indices,
// single definition before use, arities, the shapes each step implies),
// so that a malformed or corrupt program is an ember::Error, never a
// kernel reading out of bounds. describe() never assumes a verified
// program: it prints "?" for what is out of range.
#include "ember/runtime/program.h"

#include "ember/runtime/error.h"

#include <limits>
#include <sstream>

namespace ember::program {

namespace {

const char *kind_name(StepKind k) {
  switch (k) {
  case StepKind::Empty:
    return "empty";
  case StepKind::Clone:
    return "clone";
  case StepKind::Constant:
    return "constant";
  case StepKind::Reshape:
    return "reshape";
  case StepKind::Transpose:
    return "transpose";
  case StepKind::Slice:
    return "slice";
  case StepKind::InsertSlice:
    return "insert_slice";
  case StepKind::Launch:
    return "launch";
  case StepKind::Matmul:
    return "matmul";
  case StepKind::Conv2d:
    return "conv2d";
  case StepKind::MaxPool2d:
    return "max_pool2d";
  }
  return "?";
}

const char *short_dtype(DType t) {
  switch (t) {
  case DType::Bool:
    return "i1";
  case DType::UInt8:
    return "u8";
  case DType::Int32:
    return "i32";
  case DType::Int64:
    return "i64";
  case DType::Float32:
    return "f32";
  case DType::Float64:
    return "f64";
  case DType::Float16:
    return "f16";
  case DType::BFloat16:
    return "bf16";
  }
  return "?";
}

// (ostringstream: GCC 12 warns falsely on string + to_string chains.)
std::string list(const std::vector<int64_t> &v, const char *sep = ", ") {
  std::ostringstream os;
  os << "[";
  for (size_t i = 0; i < v.size(); ++i)
    os << (i ? sep : "") << v[i];
  os << "]";
  return os.str();
}

std::string type_str(const SlotType &t) {
  return short_dtype(t.dtype) + list(t.sizes, ",");
}

// Sizes above this are rejected: products of a few of them cannot
// overflow int64 before the numel check catches them.
constexpr int64_t kMaxSize = int64_t(1) << 40;

// The checks of one program, with its name in every message.
class Verifier {
public:
  explicit Verifier(const Program &p) : p_(p), defined_(p.slots.size()) {}

  void run() {
    for (size_t s = 0; s < p_.slots.size(); ++s)
      check_type(static_cast<int32_t>(s));
    for (size_t i = 0; i < p_.inputs.size(); ++i) {
      int32_t s = p_.inputs[i];
      expect(in_range(s), "input ", i, " is slot %", s, ", out of range (",
             p_.slots.size(), " slots)");
      expect(!defined_[s], "input ", i, " binds slot %", s,
             ", already bound to an earlier input");
      defined_[s] = true;
    }
    for (size_t i = 0; i < p_.steps.size(); ++i) {
      step_ = static_cast<int64_t>(i);
      check_step(p_.steps[i]);
    }
    step_ = -1;
    for (size_t i = 0; i < p_.outputs.size(); ++i) {
      int32_t s = p_.outputs[i];
      expect(in_range(s), "output ", i, " is slot %", s, ", out of range (",
             p_.slots.size(), " slots)");
      expect(defined_[s], "output ", i, " is slot %", s,
             ", which no input or step defines");
    }
  }

private:
  template <typename... A> void expect(bool ok, A &&...msg) {
    if (ok) [[likely]]
      return;
    std::string where = "program '" + p_.name + "'";
    if (step_ >= 0)
      where += " step " + std::to_string(step_) + " (" +
               kind_name(p_.steps[step_].kind) + ")";
    EMBER_FAIL("program", where, ": ", std::forward<A>(msg)...);
  }

  bool in_range(int64_t s) const {
    return s >= 0 && s < static_cast<int64_t>(p_.slots.size());
  }
  const SlotType &type(int32_t s) const { return p_.slots[s]; }
  size_t rank(int32_t s) const { return type(s).sizes.size(); }

  void check_type(int32_t s) {
    const SlotType &t = type(s);
    auto d = static_cast<int>(t.dtype);
    expect(d >= 0 && d < kNumDTypes, "slot %", s, " has an unknown dtype ", d);
    expect(t.sizes.size() <= 16, "slot %", s, " has rank ", t.sizes.size(),
           " (at most 16)");
    int64_t bytes = static_cast<int64_t>(element_size(t.dtype));
    for (int64_t n : t.sizes) {
      expect(n >= 0 && n <= kMaxSize, "slot %", s, " has a bad size ", n);
      bool over = __builtin_mul_overflow(bytes, n, &bytes);
      expect(!over && bytes < (int64_t(1) << 50), "slot %", s, " of type ",
             type_str(t), " is too large");
    }
  }

  void use(int32_t s, size_t i) {
    expect(in_range(s), "operand ", i, " is slot %", s, ", out of range (",
           p_.slots.size(), " slots)");
    expect(defined_[s], "operand ", i, " is slot %", s,
           ", used before it is defined");
  }

  void operands(const Step &st, size_t lo, size_t hi) {
    expect(st.in.size() >= lo && st.in.size() <= hi, "takes ", lo,
           lo == hi ? std::string() : " to " + std::to_string(hi),
           " operands, got ", st.in.size());
  }
  void attributes(const Step &st, size_t n) {
    expect(st.ints.size() == n, "takes ", n, " integer attributes, got ",
           st.ints.size());
  }
  void arity(const Step &st, size_t lo, size_t hi, size_t ints) {
    operands(st, lo, hi);
    attributes(st, ints);
  }

  void same_type(int32_t a, int32_t b, const char *what) {
    expect(type(a).dtype == type(b).dtype && type(a).sizes == type(b).sizes,
           what, " %", a, " is ", type_str(type(a)), ", expected ",
           type_str(type(b)), " (as %", b, ")");
  }
  void same_dtype(int32_t a, int32_t b) {
    expect(type(a).dtype == type(b).dtype, "%", a, " is ",
           dtype_name(type(a).dtype), " and %", b, " is ",
           dtype_name(type(b).dtype), ": one dtype expected");
  }

  // The dtypes the GEMM and convolution kernels have.
  void gemm_dtype(int32_t s) {
    DType t = type(s).dtype;
    expect(has_kernels(t) && t != DType::Bool, "no kernel for dtype ",
           dtype_name(t));
  }

  // offsets + (sizes - 1) * strides stays inside `whole` on every dim.
  void check_window(const std::vector<int64_t> &ints, const SlotType &whole,
                    const std::vector<int64_t> &sizes) {
    size_t r = whole.sizes.size();
    for (size_t d = 0; d < r; ++d) {
      int64_t off = ints[d], str = ints[r + d], n = sizes[d];
      expect(off >= 0 && off <= whole.sizes[d], "offset ", off, " of dim ", d,
             " is outside [0, ", whole.sizes[d], "]");
      expect(str >= 1 && str <= kMaxSize, "stride ", str, " of dim ", d,
             " must be positive");
      int64_t last = 0;
      bool over = n > 0 && (__builtin_mul_overflow(n - 1, str, &last) ||
                            __builtin_add_overflow(last, off, &last));
      expect(!over && (n == 0 || last < whole.sizes[d]), "window of ", n,
             " at offset ", off, " stride ", str, " leaves dim ", d,
             " of size ", whole.sizes[d]);
    }
  }

  // (in - dilation * (k - 1) - 1) / stride + 1, the unpadded window count.
  int64_t windows(int64_t in, int64_t k, int64_t stride, int64_t dilation) {
    expect(k >= 1 && k <= kMaxSize && stride >= 1 && stride <= kMaxSize &&
               dilation >= 1 && dilation <= kMaxSize,
           "window ", k, ", stride ", stride, ", dilation ", dilation,
           " must be positive");
    int64_t span = dilation * (k - 1) + 1;
    expect(in >= span, "input size ", in, " is smaller than the window span ",
           span);
    return (in - span) / stride + 1;
  }

  void check_step(const Step &st) {
    auto k = static_cast<int>(st.kind);
    expect(k >= 0 && k <= static_cast<int>(StepKind::MaxPool2d),
           "unknown step kind ", k);
    for (size_t i = 0; i < st.in.size(); ++i)
      use(st.in[i], i);
    if (st.kind == StepKind::Launch) {
      check_launch(st);
      return;
    }
    expect(in_range(st.out), "result slot %", st.out, " is out of range (",
           p_.slots.size(), " slots)");
    expect(!defined_[st.out], "redefines slot %", st.out);
    expect(st.written.empty() && st.kernel == -1 && st.threads == 0,
           "has Launch fields set");
    expect(st.kind == StepKind::Constant || st.constant == -1,
           "has a constant index set");
    const int32_t out = st.out;
    const SlotType &ot = type(out);
    switch (st.kind) {
    case StepKind::Empty:
      arity(st, 0, 0, 0);
      break;
    case StepKind::Clone:
      arity(st, 1, 1, 0);
      same_type(st.in[0], out, "the source");
      break;
    case StepKind::Constant: {
      arity(st, 0, 0, 0);
      expect(st.constant >= 0 &&
                 st.constant < static_cast<int64_t>(p_.constants.size()),
             "constant ", st.constant, " is out of range (",
             p_.constants.size(), " constants)");
      int64_t n = static_cast<int64_t>(element_size(ot.dtype));
      for (int64_t s : ot.sizes)
        n *= s;
      expect(static_cast<int64_t>(p_.constants[st.constant].size()) == n,
             "constant ", st.constant, " has ",
             p_.constants[st.constant].size(), " bytes, ", type_str(ot),
             " needs ", n);
      break;
    }
    case StepKind::Reshape: {
      arity(st, 1, 1, 0);
      same_dtype(st.in[0], out);
      int64_t a = 1, b = 1;
      for (int64_t s : type(st.in[0]).sizes)
        a *= s;
      for (int64_t s : ot.sizes)
        b *= s;
      expect(a == b, "reshapes ", type_str(type(st.in[0])), " (", a,
             " elements) to ", type_str(ot), " (", b, ")");
      break;
    }
    case StepKind::Transpose: {
      operands(st, 1, 1);
      const SlotType &it = type(st.in[0]);
      attributes(st, it.sizes.size());
      same_dtype(st.in[0], out);
      expect(ot.sizes.size() == it.sizes.size(), "result rank ",
             ot.sizes.size(), " differs from the operand's ", it.sizes.size());
      std::vector<bool> seen(it.sizes.size());
      for (size_t i = 0; i < st.ints.size(); ++i) {
        int64_t d = st.ints[i];
        expect(d >= 0 && d < static_cast<int64_t>(seen.size()) && !seen[d],
               "permutation ", list(st.ints), " is not one of rank ",
               seen.size());
        seen[d] = true;
        expect(ot.sizes[i] == it.sizes[d], "result ", type_str(ot), " is not ",
               type_str(it), " permuted by ", list(st.ints));
      }
      break;
    }
    case StepKind::Slice: {
      operands(st, 1, 1);
      const SlotType &it = type(st.in[0]);
      attributes(st, 2 * it.sizes.size());
      same_dtype(st.in[0], out);
      expect(ot.sizes.size() == it.sizes.size(), "result rank ",
             ot.sizes.size(), " differs from the operand's ", it.sizes.size(),
             " (rank-reducing slices are not supported)");
      check_window(st.ints, it, ot.sizes);
      break;
    }
    case StepKind::InsertSlice: {
      operands(st, 2, 2);
      const SlotType &dt = type(st.in[0]);
      attributes(st, 2 * dt.sizes.size());
      same_type(st.in[0], out, "the destination");
      same_dtype(st.in[1], out);
      const SlotType &src = type(st.in[1]);
      expect(src.sizes.size() == dt.sizes.size(), "source rank ",
             src.sizes.size(), " differs from the destination's ",
             dt.sizes.size());
      check_window(st.ints, dt, src.sizes);
      break;
    }
    case StepKind::Matmul:
      check_matmul(st);
      break;
    case StepKind::Conv2d:
      check_conv(st);
      break;
    case StepKind::MaxPool2d:
      check_pool(st);
      break;
    case StepKind::Launch:
      break;
    }
    defined_[out] = true;
  }

  void check_launch(const Step &st) {
    expect(st.out == -1, "a launch defines no slot, but out is %", st.out);
    expect(st.ints.empty() && st.constant == -1,
           "has attributes a launch does not take");
    expect(st.kernel >= 0 &&
               st.kernel < static_cast<int64_t>(p_.kernels.size()),
           "kernel ", st.kernel, " is out of range (", p_.kernels.size(),
           " kernels)");
    expect(st.threads >= 0, "thread count ", st.threads, " is negative");
    std::vector<bool> seen(st.in.size());
    for (int32_t w : st.written) {
      expect(w >= 0 && w < static_cast<int64_t>(st.in.size()), "written index ",
             w, " is not an operand (", st.in.size(), " operands)");
      expect(!seen[w], "written index ", w, " is listed twice");
      seen[w] = true;
    }
  }

  void check_matmul(const Step &st) {
    arity(st, 2, 3, 0);
    const int32_t a = st.in[0], b = st.in[1], o = st.out;
    const size_t r = rank(o);
    expect(r == 2 || r == 3, "result rank ", r, " is not 2 or 3");
    expect(rank(a) == r && rank(b) == r, "operands ", type_str(type(a)),
           " and ", type_str(type(b)), " do not have the result's rank ", r);
    same_dtype(a, o);
    same_dtype(b, o);
    gemm_dtype(o);
    const auto &as = type(a).sizes, &bs = type(b).sizes, &os = type(o).sizes;
    bool ok = as[r - 2] == os[r - 2] && bs[r - 1] == os[r - 1] &&
              as[r - 1] == bs[r - 2] &&
              (r == 2 || (as[0] == os[0] && bs[0] == os[0]));
    expect(ok, type_str(type(a)), " @ ", type_str(type(b)), " is not ",
           type_str(type(o)));
    if (st.in.size() == 3)
      same_type(st.in[2], o, "the accumulator");
  }

  void check_conv(const Step &st) {
    arity(st, 2, 3, 4);
    const int32_t x = st.in[0], w = st.in[1], o = st.out;
    expect(rank(x) == 4 && rank(w) == 4 && rank(o) == 4,
           "input, weight and result must be 4-D (NCHW, FCHW), got ",
           type_str(type(x)), ", ", type_str(type(w)), ", ", type_str(type(o)));
    same_dtype(x, o);
    same_dtype(w, o);
    gemm_dtype(o);
    const auto &xs = type(x).sizes, &ws = type(w).sizes, &os = type(o).sizes;
    expect(xs[1] == ws[1] && os[0] == xs[0] && os[1] == ws[0], "input ",
           type_str(type(x)), " and weight ", type_str(type(w)),
           " do not give ", type_str(type(o)));
    for (int d = 0; d < 2; ++d) {
      int64_t n = windows(xs[2 + d], ws[2 + d], st.ints[d], st.ints[2 + d]);
      expect(os[2 + d] == n, "result ", type_str(type(o)), " has ", os[2 + d],
             " positions on spatial dim ", d, ", expected ", n);
    }
    if (st.in.size() == 3)
      same_type(st.in[2], o, "the accumulator");
  }

  void check_pool(const Step &st) {
    arity(st, 1, 2, 6);
    const int32_t x = st.in[0], o = st.out;
    expect(rank(x) == 4 && rank(o) == 4,
           "input and result must be 4-D (NCHW), got ", type_str(type(x)), ", ",
           type_str(type(o)));
    same_dtype(x, o);
    expect(type(o).dtype == DType::Float32 || type(o).dtype == DType::Float64,
           "max-pooling takes float32 or float64, got ",
           dtype_name(type(o).dtype));
    const auto &xs = type(x).sizes, &os = type(o).sizes;
    expect(os[0] == xs[0] && os[1] == xs[1], "result ", type_str(type(o)),
           " does not keep the input's ", type_str(type(x)),
           " batch and channels");
    for (int d = 0; d < 2; ++d) {
      int64_t n =
          windows(xs[2 + d], st.ints[d], st.ints[2 + d], st.ints[4 + d]);
      expect(os[2 + d] == n, "result ", type_str(type(o)), " has ", os[2 + d],
             " positions on spatial dim ", d, ", expected ", n);
    }
    if (st.in.size() == 2)
      same_type(st.in[1], o, "the accumulator");
  }

  const Program &p_;
  std::vector<bool> defined_;
  int64_t step_ = -1;
};

} // namespace

void Program::verify() const { Verifier(*this).run(); }

std::string Program::describe() const {
  auto slot = [&](int64_t s) {
    return std::string("%").append(std::to_string(s));
  };
  auto type_of = [&](int64_t s) {
    return s >= 0 && s < static_cast<int64_t>(slots.size()) ? type_str(slots[s])
                                                            : std::string("?");
  };
  std::ostringstream os;
  os << "program " << name << "(";
  for (size_t i = 0; i < inputs.size(); ++i)
    os << (i ? ", " : "") << slot(inputs[i]) << ": " << type_of(inputs[i]);
  os << ") -> (";
  for (size_t i = 0; i < outputs.size(); ++i)
    os << (i ? ", " : "") << slot(outputs[i]);
  os << ")\n";
  for (const Step &st : steps) {
    os << "  ";
    if (st.kind != StepKind::Launch)
      os << slot(st.out) << " = ";
    os << kind_name(st.kind);
    if (st.kind == StepKind::Launch) {
      os << " k" << st.kernel;
      if (st.kernel >= 0 && st.kernel < static_cast<int64_t>(kernels.size()))
        os << " " << kernels[st.kernel];
      os << " (" << st.threads << " threads)";
    }
    if (st.kind == StepKind::Constant)
      os << " #" << st.constant;
    for (size_t i = 0; i < st.in.size(); ++i)
      os << (i ? ", " : " ") << slot(st.in[i]);
    switch (st.kind) {
    case StepKind::Transpose:
      os << " perm " << list(st.ints);
      break;
    case StepKind::Slice:
    case StepKind::InsertSlice: {
      size_t r = st.ints.size() / 2;
      os << " offsets "
         << list({st.ints.begin(), st.ints.begin() + static_cast<long>(r)})
         << " strides "
         << list({st.ints.begin() + static_cast<long>(r), st.ints.end()});
      break;
    }
    case StepKind::Conv2d:
    case StepKind::MaxPool2d:
      os << " " << list(st.ints);
      break;
    default:
      if (!st.ints.empty())
        os << " " << list(st.ints);
    }
    if (st.kind == StepKind::Launch) {
      os << " -> writes";
      for (size_t i = 0; i < st.written.size(); ++i) {
        int32_t w = st.written[i];
        os << (i ? ", " : " ")
           << (w >= 0 && w < static_cast<int32_t>(st.in.size()) ? slot(st.in[w])
                                                                : "?");
      }
    } else {
      os << " : " << type_of(st.out);
    }
    os << "\n";
  }
  return os.str();
}

} // namespace ember::program

// Printing tensors exactly as PyTorch 1.13's repr() does
// (torch/_tensor_str.py), with "ember." in place of "torch." in dtypes.
//
// The algorithm, step for step as _tensor_str.py:
//  1. summarize = numel > threshold: then every dim longer than
//     2 * edgeitems shows its first and last edgeitems entries around "...".
//  2. A _Formatter looks at the shown values. Integer and bool tensors pad
//     every value to the widest str(value). Floating tensors look at the
//     finite nonzero values: "int mode" when all are integers (printed
//     "3."), scientific when max/min > 1000 or max > 1e8 (or, outside int
//     mode, min < 1e-4), fixed with `precision` digits otherwise; every
//     value is right-aligned to the widest.
//  3. 1-D rows are wrapped to fit linewidth - indent; higher dims nest with
//     dim - 1 blank lines between slices.
//  4. Suffixes (device, size of empty tensors, dtype when it is not the
//     default float type, int64 or bool) go after ", " or on a new line when
//     the last line would pass linewidth.
#include "ember/print.h"

#include "ember/dispatch.h"

#include <cmath>
#include <cstdio>
#include <functional>

namespace ember {

namespace {

PrintOptions &options() {
  static PrintOptions opts;
  return opts;
}

// Python's str.format for one double: "nan", "inf" and "-inf" for the
// non-finite values (printf would write "-nan"), printf otherwise (both
// round the exact binary value correctly).
std::string py_format(double v, char conv, int precision) {
  if (std::isnan(v))
    return "nan";
  if (std::isinf(v))
    return v > 0 ? "inf" : "-inf";
  char fmt[8] = {'%', '.', '*', conv, 0};
  int n = std::snprintf(nullptr, 0, fmt, precision, v);
  std::string s(static_cast<size_t>(n), '\0');
  std::snprintf(s.data(), s.size() + 1, fmt, precision, v);
  return s;
}

std::string pad_left(std::string s, size_t width) {
  if (s.size() < width)
    s.insert(0, width - s.size(), ' ');
  return s;
}

/// One element, as Python's .item() would give it.
struct Value {
  double f = 0;  // floating tensors
  int64_t i = 0; // integer and bool tensors
};

class Printer {
public:
  Printer(const Tensor &t, const PrintOptions &o) : t_(t), o_(o) {
    floating_ = is_floating_point(t.dtype());
    summarize_ = t.numel() > o.threshold;
    base_ = static_cast<const char *>(t.raw_data_ptr());
    item_ = static_cast<int64_t>(t.element_size());
  }

  std::string str(int64_t indent) {
    build_formatter();
    return tensor_str(0, 0, indent);
  }

private:
  Value read(int64_t off) const {
    Value v;
    const char *p = base_ + off * item_;
    visit_dtype(t_.dtype(), "to_string", [&]<typename T>() {
      T x = *reinterpret_cast<const T *>(p);
      if constexpr (std::is_floating_point_v<T>)
        v.f = static_cast<double>(x);
      else
        v.i = static_cast<int64_t>(x);
    });
    return v;
  }

  bool summarized(int64_t d) const {
    return summarize_ && t_.size(d) > 2 * o_.edgeitems;
  }

  /// Calls fn(element offset) for every shown element, in order.
  void for_each_shown(int64_t d, int64_t off,
                      const std::function<void(int64_t)> &fn) const {
    if (d == t_.dim()) {
      fn(off);
      return;
    }
    const int64_t n = t_.size(d), st = t_.stride(d);
    auto range = [&](int64_t b, int64_t e) {
      for (int64_t k = b; k < e; ++k)
        for_each_shown(d + 1, off + k * st, fn);
    };
    if (summarized(d)) {
      range(0, o_.edgeitems);
      // self[-0:] is the whole row in Python (only reachable for 1-D).
      range(o_.edgeitems == 0 && d + 1 == t_.dim() ? 0 : n - o_.edgeitems, n);
    } else {
      range(0, n);
    }
  }

  // _Formatter.__init__
  void build_formatter() {
    if (!floating_) {
      for_each_shown(0, 0, [&](int64_t off) {
        width_ = std::max(width_, int_str(read(off).i).size());
      });
      return;
    }
    std::vector<double> nz;
    for_each_shown(0, 0, [&](int64_t off) {
      double v = read(off).f;
      if (std::isfinite(v) && v != 0)
        nz.push_back(v);
    });
    if (nz.empty())
      return;
    double lo = INFINITY, hi = 0;
    for (double v : nz) {
      lo = std::min(lo, std::abs(v));
      hi = std::max(hi, std::abs(v));
      if (v != std::ceil(v))
        int_mode_ = false;
    }
    const int prec = o_.precision;
    auto widest = [&](auto &&fmt) {
      for (double v : nz)
        width_ = std::max(width_, fmt(v).size());
    };
    if (int_mode_) {
      if (hi / lo > 1000.0 || hi > 1.0e8) {
        sci_ = true;
        widest([&](double v) { return py_format(v, 'e', prec); });
      } else {
        // One more for the "." that marks a floating tensor.
        for (double v : nz)
          width_ = std::max(width_, py_format(v, 'f', 0).size() + 1);
      }
    } else if (hi / lo > 1000.0 || hi > 1.0e8 || lo < 1.0e-4) {
      sci_ = true;
      widest([&](double v) { return py_format(v, 'e', prec); });
    } else {
      widest([&](double v) { return py_format(v, 'f', prec); });
    }
    if (o_.sci_mode)
      sci_ = *o_.sci_mode;
  }

  std::string int_str(int64_t v) const {
    if (t_.dtype() == kBool)
      return v ? "True" : "False";
    return std::to_string(v);
  }

  // _Formatter.format
  std::string format(int64_t off) const {
    Value v = read(off);
    std::string s;
    if (!floating_) {
      s = int_str(v.i);
    } else if (sci_) {
      s = py_format(v.f, 'e', o_.precision);
    } else if (int_mode_) {
      s = py_format(v.f, 'f', 0);
      if (std::isfinite(v.f))
        s += ".";
    } else {
      s = py_format(v.f, 'f', o_.precision);
    }
    return pad_left(std::move(s), width_);
  }

  // _vector_str
  std::string vector_str(int64_t off, int64_t indent) const {
    const int64_t element_length = static_cast<int64_t>(width_) + 2;
    const auto per_line =
        std::max<int64_t>(1, static_cast<int64_t>(std::floor(
                                 static_cast<double>(o_.linewidth - indent) /
                                 static_cast<double>(element_length))));
    std::vector<std::string> data;
    const int64_t d = t_.dim() - 1, n = t_.size(d), st = t_.stride(d);
    if (summarized(d)) {
      for (int64_t k = 0; k < o_.edgeitems; ++k)
        data.push_back(format(off + k * st));
      data.emplace_back(" ...");
      for (int64_t k = o_.edgeitems == 0 ? 0 : n - o_.edgeitems; k < n; ++k)
        data.push_back(format(off + k * st));
    } else {
      for (int64_t k = 0; k < n; ++k)
        data.push_back(format(off + k * st));
    }
    std::string out = "[";
    std::string line_sep = ",\n";
    line_sep.append(static_cast<size_t>(indent + 1), ' ');
    for (size_t i = 0; i < data.size(); ++i) {
      if (i > 0)
        out += i % static_cast<size_t>(per_line) == 0 ? line_sep : ", ";
      out += data[i];
    }
    out += ']';
    return out;
  }

  // _tensor_str_with_formatter
  std::string tensor_str(int64_t d, int64_t off, int64_t indent) const {
    const int64_t dims = t_.dim() - d;
    if (dims == 0)
      return format(off);
    if (dims == 1)
      return vector_str(off, indent);
    const int64_t n = t_.size(d), st = t_.stride(d);
    std::vector<std::string> slices;
    auto add = [&](int64_t b, int64_t e) {
      for (int64_t k = b; k < e; ++k)
        slices.push_back(tensor_str(d + 1, off + k * st, indent + 1));
    };
    if (summarized(d)) {
      add(0, o_.edgeitems);
      slices.emplace_back("...");
      add(n - o_.edgeitems, n);
    } else {
      add(0, n);
    }
    std::string sep = ",";
    sep.append(static_cast<size_t>(dims - 1), '\n');
    sep.append(static_cast<size_t>(indent + 1), ' ');
    std::string out = "[";
    for (size_t i = 0; i < slices.size(); ++i) {
      if (i > 0)
        out += sep;
      out += slices[i];
    }
    out += ']';
    return out;
  }

  const Tensor &t_;
  const PrintOptions &o_;
  const char *base_;
  int64_t item_;
  bool floating_, summarize_;
  bool int_mode_ = true, sci_ = false;
  size_t width_ = 1;
};

// _add_suffixes
std::string add_suffixes(const std::string &tensor_str,
                         const std::vector<std::string> &suffixes,
                         int64_t indent, int64_t linewidth) {
  std::string out = tensor_str;
  size_t nl = tensor_str.rfind('\n');
  // len - rfind + 1, with rfind = -1 when there is no newline (as Python).
  int64_t last_line_len =
      static_cast<int64_t>(tensor_str.size()) -
      (nl == std::string::npos ? -1 : static_cast<int64_t>(nl)) + 1;
  for (const std::string &s : suffixes) {
    const auto len = static_cast<int64_t>(s.size());
    if (last_line_len + len + 2 > linewidth) {
      out += ",\n";
      out.append(static_cast<size_t>(indent), ' ');
      out += s;
      last_line_len = indent + len;
    } else {
      out += ", ";
      out += s;
      last_line_len += len + 2;
    }
  }
  out += ')';
  return out;
}

std::string dtype_str(DType t) { return "ember." + std::string(dtype_name(t)); }

} // namespace

void set_printoptions(const PrintOptions &opts) {
  EMBER_CHECK(opts.precision >= 0, "set_printoptions",
              "precision must be non-negative, got ", opts.precision);
  EMBER_CHECK(opts.edgeitems >= 0, "set_printoptions",
              "edgeitems must be non-negative, got ", opts.edgeitems);
  options() = opts;
}

const PrintOptions &get_printoptions() { return options(); }

std::string to_string(const Tensor &t) {
  if (!t.defined())
    return "tensor(undefined)";
  const PrintOptions &o = options();
  const std::string prefix = "tensor(";
  const auto indent = static_cast<int64_t>(prefix.size());
  std::vector<std::string> suffixes;
  Tensor c = t;
  if (!t.device().is_cpu()) {
    suffixes.push_back(
        "device='" + std::string(t.device().is_cuda() ? "cuda" : "cpu") + ":" +
        std::to_string(std::max(t.device().index(), 0)) + "'");
    c = t.cpu();
  }
  std::string body;
  if (t.numel() == 0) {
    // The shape is shown unless it is (0,); the dtype unless it is the
    // default float type (an empty int64 tensor does say so).
    if (t.dim() != 1) {
      std::string s = "size=(";
      for (int64_t d = 0; d < t.dim(); ++d) {
        if (d > 0)
          s += ", ";
        s += std::to_string(t.size(d));
      }
      s += ')';
      suffixes.push_back(s);
    }
    if (t.dtype() != default_dtype())
      suffixes.push_back("dtype=" + dtype_str(t.dtype()));
    body = "[]";
  } else {
    DType dt = t.dtype();
    if (dt != default_dtype() && dt != kInt64 && dt != kBool)
      suffixes.push_back("dtype=" + dtype_str(dt));
    body = Printer(c, o).str(indent);
  }
  // TODO(autograd): grad_fn=<...> for non-leaf tensors.
  if (t.requires_grad())
    suffixes.emplace_back("requires_grad=True");
  return add_suffixes(prefix + body, suffixes, indent, o.linewidth);
}

} // namespace ember

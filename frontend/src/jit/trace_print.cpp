// Trace::str(): a trace as a readable listing, one line per op with its
// location and module, then its custom Function applications and its
// item() reads (kept apart from the tracer, which records).
#include "ember/jit/trace.h"

#include "ember/ops.h"
#include "ember/print.h"

#include <ostream>
#include <sstream>
#include <string>
#include <type_traits>
#include <variant>

namespace ember::jit {

namespace {
std::string type_str(const TracedValue &v) {
  std::ostringstream os;
  os << v.dtype << "[";
  for (size_t i = 0; i < v.sizes.size(); ++i)
    os << (i ? ", " : "") << v.sizes[i];
  os << "]";
  return os.str();
}

void print_attr(std::ostream &os, const AttrValue &a) {
  std::visit(
      [&](const auto &x) {
        using X = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<X, std::vector<int64_t>>) {
          os << "[";
          for (size_t i = 0; i < x.size(); ++i)
            os << (i ? ", " : "") << x[i];
          os << "]";
        } else if constexpr (std::is_same_v<X, bool>) {
          os << (x ? "true" : "false");
        } else if constexpr (std::is_same_v<X, std::string>) {
          os << '"' << x << '"';
        } else {
          os << x;
        }
      },
      a);
}

std::string base_name(const std::string &path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}
} // namespace

std::string Trace::str() const {
  std::ostringstream os;
  os << name << "(";
  for (size_t i = 0; i < arguments.size(); ++i) {
    const TracedValue &v = values[arguments[i]];
    os << (i ? ", " : "") << "%" << arguments[i] << " " << v.name << ": "
       << type_str(v);
    if (v.kind != ValueKind::Input)
      os << " " << to_string(v.kind);
  }
  os << ") {\n";
  for (size_t id = 0; id < values.size(); ++id)
    if (values[id].kind == ValueKind::Constant)
      os << "  %" << id << " = constant " << type_str(values[id]) << "\n";
  for (const TracedOp &op : ops) {
    os << "  ";
    for (size_t k = 0; k < op.outputs.size(); ++k)
      os << (k ? ", " : "") << "%" << op.outputs[k];
    os << " = " << op_name(op.op) << "(";
    for (size_t k = 0; k < op.inputs.size(); ++k) {
      os << (k ? ", " : "");
      if (op.inputs[k] < 0)
        os << "None";
      else
        os << "%" << op.inputs[k];
    }
    for (const Attr &a : op.attrs.items()) {
      os << ", " << a.name << "=";
      print_attr(os, a.value);
    }
    os << ") : ";
    for (size_t k = 0; k < op.outputs.size(); ++k)
      os << (k ? ", " : "") << type_str(values[op.outputs[k]]);
    if (op.file.empty())
      os << "  # <unknown location>";
    else
      os << "  # " << base_name(op.file) << ":" << op.line << ":" << op.column;
    if (!op.module_path.empty())
      os << " " << op.module_path;
    if (!op.custom_function.empty())
      os << " in " << op.custom_function << ".forward";
    os << "\n";
  }
  for (const CustomFunctionCall &c : custom_calls) {
    os << "  # " << c.name << ": forward ops " << c.first_op << ".." << c.end_op
       << ", backward " << c.backward_ops.size() << " ops";
    if (c.traceable())
      os << " (backward recorded)";
    else
      os << " (eager: "
         << (c.not_traceable.empty() ? "not recorded" : c.not_traceable) << ")";
    os << "\n";
  }
  for (const DataRead &r : data_reads) {
    os << "  # item(%" << r.value << ") = " << r.read << " after op "
       << r.after_ops;
    if (!r.file.empty())
      os << " at " << base_name(r.file) << ":" << r.line << ":" << r.column;
    os << "\n";
  }
  os << "  return ";
  for (size_t k = 0; k < outputs.size(); ++k)
    os << (k ? ", " : "") << "%" << outputs[k];
  os << "\n}\n";
  return os.str();
}

std::ostream &operator<<(std::ostream &os, const Trace &t) {
  return os << t.str();
}

} // namespace ember::jit

// Python's text of values, for extra_repr strings that equal PyTorch's.
#pragma once

#include "ember/runtime/int_array.h"

#include <optional>
#include <string>

namespace ember::nn::detail {

/// repr(float): the shortest round-trip digits, "0.1", "1.0", "1e-05",
/// "1e+16" (exponent form when the exponent is < -4 or >= 16).
std::string py_float(double v);
/// "True" / "False".
inline std::string py_bool(bool b) { return b ? "True" : "False"; }
/// A tuple of ints: "(4,)", "(3, 4)".
std::string py_tuple(IntArrayRef v);
/// An optional float: "None" or py_float.
inline std::string py_opt_float(std::optional<double> v) {
  return v ? py_float(*v) : "None";
}

} // namespace ember::nn::detail

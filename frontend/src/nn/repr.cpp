// Python float repr (float_repr_style 'short'): shortest round-trip digits
// from std::to_chars, laid out as Python's repr does.
#include "repr.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace ember::nn::detail {

std::string py_float(double v) {
  if (std::isnan(v))
    return "nan";
  if (std::isinf(v))
    return v > 0 ? "inf" : "-inf";
  char buf[64];
  auto res =
      std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  // sci = [-]d[.ddd]e[+-]xx
  std::string sign;
  if (sci[0] == '-') {
    sign = "-";
    sci.erase(0, 1);
  }
  const size_t e = sci.find('e');
  std::string digits = sci.substr(0, e);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  const int exp10 = std::atoi(sci.c_str() + e + 1);
  const int decpt = exp10 + 1; // digits are 0.d1d2... x 10^decpt
  const int nd = static_cast<int>(digits.size());
  if (v == 0)
    return sign + "0.0";
  if (decpt <= -4 || decpt > 16) {
    std::string m = digits.substr(0, 1);
    if (nd > 1)
      m += "." + digits.substr(1);
    std::string ex = std::to_string(std::abs(exp10));
    if (ex.size() < 2)
      ex = "0" + ex;
    return sign + m + "e" + (exp10 < 0 ? "-" : "+") + ex;
  }
  std::string out;
  if (decpt <= 0)
    out = "0." + std::string(static_cast<size_t>(-decpt), '0') + digits;
  else if (decpt >= nd)
    out = digits + std::string(static_cast<size_t>(decpt - nd), '0') + ".0";
  else
    out = digits.substr(0, decpt) + "." + digits.substr(decpt);
  return sign + out;
}

std::string py_tuple(IntArrayRef v) {
  std::string s = "(";
  for (size_t i = 0; i < v.size(); ++i)
    s += (i ? ", " : "") + std::to_string(v[i]);
  return s + (v.size() == 1 ? ",)" : ")");
}

} // namespace ember::nn::detail

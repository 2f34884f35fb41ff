#include "ember/runtime/int_array.h"
#include "ember/runtime/error.h"

#include <algorithm>
#include <sstream>

namespace ember {

bool IntArrayRef::operator==(IntArrayRef o) const {
  return std::equal(begin(), end(), o.begin(), o.end());
}

std::string shape_str(IntArrayRef s) {
  std::ostringstream os;
  os << s;
  return os.str();
}

std::ostream &operator<<(std::ostream &os, IntArrayRef s) {
  os << '[';
  for (size_t i = 0; i < s.size(); ++i)
    os << (i ? ", " : "") << s[i];
  return os << ']';
}

int64_t product(IntArrayRef s) {
  int64_t p = 1;
  for (int64_t v : s)
    p *= v;
  return p;
}

DimVector contiguous_strides(IntArrayRef sizes) {
  DimVector st(sizes.size());
  int64_t acc = 1;
  for (size_t i = sizes.size(); i-- > 0;) {
    st[i] = acc;
    acc *= std::max<int64_t>(sizes[i], 1);
  }
  return st;
}

int64_t wrap_dim(const char *op, int64_t dim, int64_t ndim) {
  int64_t n = std::max<int64_t>(ndim, 1);
  EMBER_CHECK(dim >= -n && dim < n, op,
              "dimension out of range (expected to be in range of [", -n, ", ",
              n - 1, "], but got ", dim, ")");
  return dim < 0 ? dim + n : dim;
}

DimVector broadcast_shapes(const char *op, IntArrayRef a, IntArrayRef b) {
  size_t n = std::max(a.size(), b.size());
  DimVector out(n);
  for (size_t i = 0; i < n; ++i) {
    int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    EMBER_CHECK(da == db || da == 1 || db == 1, op, "shapes ", a, " and ", b,
                " are not broadcastable (size ", da, " vs ", db,
                " at dimension ", i, "; expected equal sizes or 1)");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

} // namespace ember

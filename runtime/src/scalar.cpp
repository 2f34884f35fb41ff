#include "ember/runtime/scalar.h"

namespace ember {

DType Scalar::dtype() const {
  switch (kind_) {
  case Kind::Bool:
    return DType::Bool;
  case Kind::Int:
    return DType::Int64;
  case Kind::Float:
    break;
  }
  return default_dtype();
}

std::ostream &operator<<(std::ostream &os, const Scalar &s) {
  switch (s.kind()) {
  case Scalar::Kind::Bool:
    return os << (s.to<bool>() ? "True" : "False");
  case Scalar::Kind::Int:
    return os << s.to<int64_t>();
  case Scalar::Kind::Float:
    break;
  }
  return os << s.to<double>();
}

} // namespace ember

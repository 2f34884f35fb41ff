#include "ember/runtime/dtype.h"
#include "ember/runtime/error.h"

#include <atomic>

namespace ember {

size_t element_size(DType t) {
  switch (t) {
  case DType::Bool:
  case DType::UInt8:
    return 1;
  case DType::Float16:
  case DType::BFloat16:
    return 2;
  case DType::Int32:
  case DType::Float32:
    return 4;
  case DType::Int64:
  case DType::Float64:
    return 8;
  }
  return 0;
}

std::string_view dtype_name(DType t) {
  switch (t) {
  case DType::Bool:
    return "bool";
  case DType::UInt8:
    return "uint8";
  case DType::Int32:
    return "int32";
  case DType::Int64:
    return "int64";
  case DType::Float32:
    return "float32";
  case DType::Float64:
    return "float64";
  case DType::Float16:
    return "float16";
  case DType::BFloat16:
    return "bfloat16";
  }
  return "?";
}

bool has_kernels(DType t) {
  return t != DType::Float16 && t != DType::BFloat16;
}

DType promote_types(DType a, DType b) {
  if (a == b)
    return a;
  // The half types: f16 with bf16 meets at f32; either with an integer or
  // bool stays half; with f32/f64 the wider float wins.
  auto is_half = [](DType t) {
    return t == DType::Float16 || t == DType::BFloat16;
  };
  if (is_half(a) || is_half(b)) {
    if (is_half(a) && is_half(b))
      return DType::Float32;
    DType h = is_half(a) ? a : b, o = is_half(a) ? b : a;
    return is_floating_point(o) ? o : h;
  }
  // Bool < UInt8 < Int32 < Int64 < Float32 < Float64 is a chain for the
  // types ember has (no int8/int16, whose mix with uint8 would widen).
  return static_cast<uint8_t>(a) > static_cast<uint8_t>(b) ? a : b;
}

namespace {
std::atomic<DType> g_default_dtype{DType::Float32};
}

DType default_dtype() { return g_default_dtype.load(); }
void set_default_dtype(DType t) {
  EMBER_CHECK(t == DType::Float32 || t == DType::Float64, "set_default_dtype",
              "expected float32 or float64, got ", t);
  g_default_dtype.store(t);
}

std::ostream &operator<<(std::ostream &os, DType t) {
  return os << dtype_name(t);
}

namespace detail {
void unsupported_dtype(const char *op, DType t) {
  throw_error(op, str_cat("dtype ", t, " is not supported"));
}
} // namespace detail

} // namespace ember

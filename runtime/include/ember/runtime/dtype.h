// Element types and PyTorch's type-promotion lattice.
#pragma once

#include <cstdint>
#include <limits>
#include <ostream>
#include <string_view>
#include <type_traits>

namespace ember {

// Order matters only for the tables in dtype.cpp. Float16/BFloat16 are
// reserved so their addition later does not reshuffle anything.
enum class DType : uint8_t {
  Bool,
  UInt8,
  Int32,
  Int64,
  Float32,
  Float64,
  Float16,  // reserved: no kernels yet
  BFloat16, // reserved: no kernels yet
};
inline constexpr int kNumDTypes = 8;

inline constexpr DType kBool = DType::Bool;
inline constexpr DType kUInt8 = DType::UInt8;
inline constexpr DType kInt32 = DType::Int32;
inline constexpr DType kInt64 = DType::Int64;
inline constexpr DType kFloat32 = DType::Float32;
inline constexpr DType kFloat64 = DType::Float64;
inline constexpr DType kFloat = DType::Float32;
inline constexpr DType kDouble = DType::Float64;
inline constexpr DType kInt = DType::Int32;
inline constexpr DType kLong = DType::Int64;
inline constexpr DType kByte = DType::UInt8;

size_t element_size(DType t);
/// "float32", "int64", ... (PyTorch's names without the "torch." prefix).
std::string_view dtype_name(DType t);
inline bool is_floating_point(DType t) {
  return t == DType::Float32 || t == DType::Float64 || t == DType::Float16 ||
         t == DType::BFloat16;
}
inline bool is_integral(DType t, bool include_bool = false) {
  return t == DType::UInt8 || t == DType::Int32 || t == DType::Int64 ||
         (include_bool && t == DType::Bool);
}
/// True for the dtypes that have eager kernels (everything but the reserved
/// half-precision types).
bool has_kernels(DType t);
/// The smallest type both `a` and `b` convert to (torch.promote_types).
DType promote_types(DType a, DType b);
/// The default floating type (torch.get_default_dtype()).
DType default_dtype();
void set_default_dtype(DType t);

std::ostream &operator<<(std::ostream &os, DType t);

template <typename T> struct CppTypeToDType;
template <> struct CppTypeToDType<bool> {
  static constexpr DType value = DType::Bool;
};
template <> struct CppTypeToDType<uint8_t> {
  static constexpr DType value = DType::UInt8;
};
template <> struct CppTypeToDType<int32_t> {
  static constexpr DType value = DType::Int32;
};
template <> struct CppTypeToDType<int64_t> {
  static constexpr DType value = DType::Int64;
};
template <> struct CppTypeToDType<float> {
  static constexpr DType value = DType::Float32;
};
template <> struct CppTypeToDType<double> {
  static constexpr DType value = DType::Float64;
};
template <typename T>
inline constexpr DType dtype_of = CppTypeToDType<std::remove_cv_t<T>>::value;

/// Converts one element between ember's C++ element types the way PyTorch
/// does on x86, without the undefined behaviour of out-of-range float to
/// integer casts (NaN and overflow give INT64_MIN truncated to D).
template <typename D, typename S> inline D convert(S x) {
  if constexpr (std::is_same_v<D, bool>) {
    return x != S(0);
  } else if constexpr (std::is_floating_point_v<S> && std::is_integral_v<D>) {
    if (!(x >= S(-9.2e18) && x <= S(9.2e18)))
      return static_cast<D>(std::numeric_limits<int64_t>::min());
    return static_cast<D>(static_cast<int64_t>(x));
  } else {
    return static_cast<D>(x);
  }
}

/// a + b for ember's element types; integer sums wrap on overflow, as
/// PyTorch's do, computed in the unsigned type so that nothing is undefined.
template <typename T> inline T wrapping_add(T a, T b) {
  if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
  } else {
    return static_cast<T>(a + b);
  }
}

namespace detail {
[[noreturn]] void unsupported_dtype(const char *op, DType t);
}

/// Calls `fn.template operator()<T>()` with the C++ type of `t`:
///   visit_dtype(t, "add", [&]<typename T>() { ... });
template <typename Fn>
decltype(auto) visit_dtype(DType t, const char *op, Fn &&fn) {
  switch (t) {
  case DType::Bool:
    return fn.template operator()<bool>();
  case DType::UInt8:
    return fn.template operator()<uint8_t>();
  case DType::Int32:
    return fn.template operator()<int32_t>();
  case DType::Int64:
    return fn.template operator()<int64_t>();
  case DType::Float32:
    return fn.template operator()<float>();
  case DType::Float64:
    return fn.template operator()<double>();
  default:
    detail::unsupported_dtype(op, t);
  }
}

/// As visit_dtype, for the floating types only.
template <typename Fn>
decltype(auto) visit_floating(DType t, const char *op, Fn &&fn) {
  switch (t) {
  case DType::Float32:
    return fn.template operator()<float>();
  case DType::Float64:
    return fn.template operator()<double>();
  default:
    detail::unsupported_dtype(op, t);
  }
}

} // namespace ember

// Scalar: a number given by the user (`x + 2`, `fill_(0.5)`), kept as
// bool, int64 or double so that type promotion can tell them apart.
#pragma once

#include "ember/runtime/dtype.h"

#include <cstdint>
#include <ostream>
#include <type_traits>

namespace ember {

class Scalar {
public:
  enum class Kind : uint8_t { Bool, Int, Float };

  Scalar() : kind_(Kind::Int), i_(0) {}
  Scalar(bool v) : kind_(Kind::Bool), i_(v) {}
  template <typename T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool>) Scalar(T v)
      : kind_(Kind::Int), i_(static_cast<int64_t>(v)) {}
  template <typename T>
  requires std::is_floating_point_v<T> Scalar(T v)
      : kind_(Kind::Float), d_(static_cast<double>(v)) {}

  Kind kind() const { return kind_; }
  bool is_floating_point() const { return kind_ == Kind::Float; }
  bool is_integral() const { return kind_ == Kind::Int; }
  bool is_bool() const { return kind_ == Kind::Bool; }

  template <typename T> T to() const {
    return kind_ == Kind::Float ? convert<T>(d_) : convert<T>(i_);
  }
  double to_double() const { return to<double>(); }
  int64_t to_long() const { return to<int64_t>(); }
  /// The dtype a 0-dim tensor made from this scalar gets in promotion
  /// (bool, int64 or the default float type).
  DType dtype() const;

private:
  Kind kind_;
  union {
    int64_t i_;
    double d_;
  };
};

std::ostream &operator<<(std::ostream &os, const Scalar &s);

} // namespace ember

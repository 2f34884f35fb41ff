// Size parameters of layers (kernel_size, stride, padding, ...): one int or
// D ints, as PyTorch takes `2` or `(2, 3)`. The array remembers which form it
// was given, because PyTorch prints pooling layers as given
// ("MaxPool2d(kernel_size=2, ...)" vs "kernel_size=(2, 3)").
#pragma once

#include "ember/runtime/error.h"
#include "ember/runtime/int_array.h"

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace ember::nn {

template <size_t D> class ExpandingArray {
public:
  ExpandingArray(int value) : ExpandingArray(static_cast<int64_t>(value)) {}
  ExpandingArray(int64_t value) : scalar_(true) { values_.fill(value); }
  ExpandingArray(std::initializer_list<int64_t> values)
      : ExpandingArray(std::vector<int64_t>(values)) {}
  ExpandingArray(const std::vector<int64_t> &values) {
    EMBER_CHECK(values.size() == D, "nn", "expected ", D,
                D == 1 ? " value" : " values", " (or a single int), but got ",
                IntArrayRef(values));
    for (size_t i = 0; i < D; ++i)
      values_[i] = values[i];
  }

  /// Whether it was given as one int.
  bool is_scalar() const { return scalar_; }
  int64_t operator[](size_t i) const { return values_[i]; }
  IntArrayRef ref() const { return IntArrayRef(values_.data(), D); }
  std::vector<int64_t> vec() const { return {values_.begin(), values_.end()}; }
  bool all_equal(int64_t v) const {
    for (int64_t x : values_)
      if (x != v)
        return false;
    return true;
  }
  /// Python's text of the tuple: "(2, 3)", "(3,)".
  std::string tuple_str() const {
    std::string s = "(";
    for (size_t i = 0; i < D; ++i)
      s += (i ? ", " : "") + std::to_string(values_[i]);
    return s + (D == 1 ? ",)" : ")");
  }
  /// As given: "2" or "(2, 3)".
  std::string str() const {
    return scalar_ ? std::to_string(values_[0]) : tuple_str();
  }
  friend bool operator==(const ExpandingArray &a, const ExpandingArray &b) {
    return a.values_ == b.values_;
  }

private:
  std::array<int64_t, D> values_{};
  bool scalar_ = false;
};

/// An output size whose entries may be None (keep the input's size), as
/// AdaptiveAvgPool2d((None, 7)).
template <size_t D> class ExpandingArrayWithOptional {
public:
  ExpandingArrayWithOptional(int value)
      : ExpandingArrayWithOptional(static_cast<int64_t>(value)) {}
  ExpandingArrayWithOptional(int64_t value) : scalar_(true) {
    values_.fill(value);
  }
  ExpandingArrayWithOptional(
      std::initializer_list<std::optional<int64_t>> values) {
    EMBER_CHECK(values.size() == D, "nn", "expected ", D,
                " output sizes (or a single int), but got ", values.size());
    size_t i = 0;
    for (const auto &v : values)
      values_[i++] = v;
  }
  bool is_scalar() const { return scalar_; }
  const std::optional<int64_t> &operator[](size_t i) const {
    return values_[i];
  }
  std::string str() const {
    if (scalar_)
      return std::to_string(*values_[0]);
    std::string s = "(";
    for (size_t i = 0; i < D; ++i)
      s += (i ? ", " : "") +
           (values_[i] ? std::to_string(*values_[i]) : std::string("None"));
    return s + (D == 1 ? ",)" : ")");
  }

private:
  std::array<std::optional<int64_t>, D> values_{};
  bool scalar_ = false;
};

/// A convolution's padding: sizes, or "valid" / "same" as in PyTorch.
template <size_t D> class ConvPadding {
public:
  ConvPadding(int value) : sizes_(value) {}
  ConvPadding(int64_t value) : sizes_(value) {}
  ConvPadding(std::initializer_list<int64_t> values) : sizes_(values) {}
  ConvPadding(const std::vector<int64_t> &values) : sizes_(values) {}
  ConvPadding(ExpandingArray<D> sizes) : sizes_(sizes) {}
  ConvPadding(const char *mode) : ConvPadding(std::string(mode)) {}
  ConvPadding(const std::string &mode) : sizes_(0), mode_(mode) {
    EMBER_CHECK(mode == "valid" || mode == "same", "nn",
                "Invalid padding string '", mode,
                "', should be one of {'valid', 'same'}");
  }
  /// "" for numeric padding, else "valid" or "same".
  const std::string &mode() const { return mode_; }
  const ExpandingArray<D> &sizes() const { return sizes_; }

private:
  ExpandingArray<D> sizes_;
  std::string mode_;
};

} // namespace ember::nn

// Tensor factories (torch.empty, zeros, ones, full, arange, linspace, eye,
// the *_like forms, from_blob and tensor(...) from C++ values).
#pragma once

#include "ember/tensor.h"

#include <functional>
#include <initializer_list>
#include <vector>

namespace ember {

Tensor empty(IntArrayRef size, TensorOptions opts = {},
             Loc loc = Loc::current());
Tensor zeros(IntArrayRef size, TensorOptions opts = {},
             Loc loc = Loc::current());
Tensor ones(IntArrayRef size, TensorOptions opts = {},
            Loc loc = Loc::current());
/// dtype defaults from the fill value as in PyTorch (int -> int64,
/// bool -> bool, float -> the default float type).
Tensor full(IntArrayRef size, const Scalar &value, TensorOptions opts = {},
            Loc loc = Loc::current());
/// [0, end) with step 1; int64 unless a dtype is given.
Tensor arange(const Scalar &end, TensorOptions opts = {},
              Loc loc = Loc::current());
/// [start, end) by step; int64 when all three are integers, else the default
/// float type.
Tensor arange(const Scalar &start, const Scalar &end, const Scalar &step = 1,
              TensorOptions opts = {}, Loc loc = Loc::current());
Tensor linspace(const Scalar &start, const Scalar &end, int64_t steps,
                TensorOptions opts = {}, Loc loc = Loc::current());
Tensor eye(int64_t n, TensorOptions opts = {}, Loc loc = Loc::current());
Tensor eye(int64_t n, int64_t m, TensorOptions opts = {},
           Loc loc = Loc::current());

Tensor empty_like(const Tensor &t,
                  std::optional<TensorOptions> opts = std::nullopt,
                  Loc loc = Loc::current());
Tensor zeros_like(const Tensor &t,
                  std::optional<TensorOptions> opts = std::nullopt,
                  Loc loc = Loc::current());
Tensor ones_like(const Tensor &t,
                 std::optional<TensorOptions> opts = std::nullopt,
                 Loc loc = Loc::current());
Tensor full_like(const Tensor &t, const Scalar &value,
                 std::optional<TensorOptions> opts = std::nullopt,
                 Loc loc = Loc::current());

/// Wraps memory the caller owns (no copy). `deleter` runs when the last
/// tensor viewing it goes away. Strides default to row-major.
Tensor from_blob(void *data, IntArrayRef sizes, TensorOptions opts = {});
Tensor from_blob(void *data, IntArrayRef sizes, IntArrayRef strides,
                 TensorOptions opts = {});
Tensor from_blob(void *data, IntArrayRef sizes,
                 std::function<void(void *)> deleter, TensorOptions opts = {});

/// A tensor holding a copy of C++ values: tensor({1.f, 2.f}),
/// tensor({{1, 2}, {3, 4}}), tensor(std::vector<double>{...}). As in PyTorch,
/// floating values give the default float type, integers int64 and bools
/// bool, unless opts gives a dtype.
namespace detail {
struct NestedValues {
  std::vector<double> values;
  std::vector<int64_t> shape;
  DType dtype;
};
} // namespace detail

class TensorInit {
public:
  TensorInit(double v);
  TensorInit(float v);
  TensorInit(int v);
  TensorInit(int64_t v);
  TensorInit(bool v);
  TensorInit(std::initializer_list<TensorInit> l);
  /// Flattens, checking that the nesting is rectangular.
  detail::NestedValues flatten() const;

private:
  enum class Kind { Float, Double, Int, Bool, List } kind_;
  double value_ = 0;
  std::vector<TensorInit> children_;
};

Tensor tensor(TensorInit values, TensorOptions opts = {});
template <typename T>
Tensor tensor(const std::vector<T> &values, TensorOptions opts = {}) {
  DType dt = opts.dtype_opt().value_or(dtype_of<T>);
  Tensor t = empty({static_cast<int64_t>(values.size())},
                   TensorOptions().dtype(dtype_of<T>));
  T *p = t.data_ptr<T>();
  for (size_t i = 0; i < values.size(); ++i)
    p[i] = values[i];
  return dt == dtype_of<T> ? t.to(opts.device()) : t.to(opts.device(), dt);
}

} // namespace ember

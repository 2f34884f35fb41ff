// LibTorch-style indexing: x.index({Slice(0, 2), 1, None, Ellipsis, mask}).
#pragma once

#include "ember/tensor.h"

#include <optional>
#include <variant>

namespace ember::indexing {

struct NoneIndex {
  /// Lets Slice(None, None, 2) read as in LibTorch.
  constexpr operator std::optional<int64_t>() const { return std::nullopt; }
};
struct EllipsisIndex {};
inline constexpr NoneIndex None{};
inline constexpr EllipsisIndex Ellipsis{};

/// Python's start:stop:step; absent bounds mean "from the start/to the end".
class Slice {
public:
  Slice(std::optional<int64_t> start = std::nullopt,
        std::optional<int64_t> stop = std::nullopt, int64_t step = 1)
      : start_(start), stop_(stop), step_(step) {}
  std::optional<int64_t> start() const { return start_; }
  std::optional<int64_t> stop() const { return stop_; }
  int64_t step() const { return step_; }

private:
  std::optional<int64_t> start_, stop_;
  int64_t step_;
};

class TensorIndex {
public:
  TensorIndex(NoneIndex) : v_(NoneIndex{}) {}
  TensorIndex(EllipsisIndex) : v_(EllipsisIndex{}) {}
  TensorIndex(int64_t i) : v_(i) {}
  TensorIndex(int i) : v_(static_cast<int64_t>(i)) {}
  TensorIndex(bool b) : v_(b) {}
  TensorIndex(Slice s) : v_(s) {}
  TensorIndex(Tensor t) : v_(std::move(t)) {}

  bool is_none() const { return std::holds_alternative<NoneIndex>(v_); }
  bool is_ellipsis() const { return std::holds_alternative<EllipsisIndex>(v_); }
  bool is_integer() const { return std::holds_alternative<int64_t>(v_); }
  bool is_boolean() const { return std::holds_alternative<bool>(v_); }
  bool is_slice() const { return std::holds_alternative<Slice>(v_); }
  bool is_tensor() const { return std::holds_alternative<Tensor>(v_); }
  int64_t integer() const { return std::get<int64_t>(v_); }
  bool boolean() const { return std::get<bool>(v_); }
  const Slice &slice() const { return std::get<Slice>(v_); }
  const Tensor &tensor() const { return std::get<Tensor>(v_); }

private:
  std::variant<NoneIndex, EllipsisIndex, int64_t, bool, Slice, Tensor> v_;
};

} // namespace ember::indexing

namespace ember {
using indexing::Slice;
/// Advanced indexing with index tensors (one per leading dim; null entries
/// mean "all"), as torch.Tensor.__getitem__ with tensors.
Tensor index(const Tensor &x, const std::vector<std::optional<Tensor>> &indices,
             Loc loc = Loc::current());
Tensor &index_put_(Tensor &x, const std::vector<std::optional<Tensor>> &indices,
                   const Tensor &values, bool accumulate = false,
                   Loc loc = Loc::current());
} // namespace ember

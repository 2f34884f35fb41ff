// IntArrayRef: a non-owning view of int64 sizes/strides/dims that accepts
// `{2, 3}`, a std::vector, or a single integer (as LibTorch's IntArrayRef).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <span>
#include <string>
#include <vector>

namespace ember {

class IntArrayRef {
public:
  IntArrayRef() = default;
  IntArrayRef(const std::vector<int64_t> &v)
      : data_(v.data()), size_(v.size()) {}
  // Like c10::ArrayRef: the list outlives the full expression it appears in,
  // which is how IntArrayRef parameters are used.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"
  IntArrayRef(std::initializer_list<int64_t> l)
      : data_(l.begin()), size_(l.size()) {}
#pragma GCC diagnostic pop
  IntArrayRef(const int64_t &single) : data_(&single), size_(1) {}
  IntArrayRef(const int64_t *data, size_t n) : data_(data), size_(n) {}
  IntArrayRef(std::span<const int64_t> s) : data_(s.data()), size_(s.size()) {}

  const int64_t *begin() const { return data_; }
  const int64_t *end() const { return data_ + size_; }
  const int64_t *data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  int64_t operator[](size_t i) const { return data_[i]; }
  int64_t back() const { return data_[size_ - 1]; }
  std::vector<int64_t> vec() const { return {begin(), end()}; }
  bool operator==(IntArrayRef o) const;

private:
  const int64_t *data_ = nullptr;
  size_t size_ = 0;
};

using DimVector = std::vector<int64_t>;

/// "[2, 3]"
std::string shape_str(IntArrayRef s);
std::ostream &operator<<(std::ostream &os, IntArrayRef s);
int64_t product(IntArrayRef s);
/// Row-major strides for a shape.
DimVector contiguous_strides(IntArrayRef sizes);
/// Wraps a possibly negative dim into [0, ndim); throws ember::Error naming
/// `op` when out of range. Scalars (ndim 0) accept -1 and 0 like PyTorch.
int64_t wrap_dim(const char *op, int64_t dim, int64_t ndim);
/// The broadcast of two shapes (numpy rules); throws naming `op`.
DimVector broadcast_shapes(const char *op, IntArrayRef a, IntArrayRef b);

} // namespace ember

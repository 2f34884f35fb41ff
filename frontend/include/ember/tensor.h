// ember::Tensor: a handle to a TensorImpl (shared: copying a Tensor aliases
// it, as in PyTorch). Member functions mirror PyTorch's Tensor methods; each
// forwards to the free function in ops.h, which goes through the dispatcher.
#pragma once

#include "ember/runtime/error.h"
#include "ember/runtime/scalar.h"
#include "ember/runtime/tensor_impl.h"
#include "ember/tensor_options.h"

#include <functional>
#include <memory>
#include <optional>
#include <source_location>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

namespace ember {

/// The caller's location, captured where the user calls the public API.
using Loc = std::source_location;

class Tensor;
using TensorList = std::vector<Tensor>;

namespace indexing {
class TensorIndex;
}
namespace autograd {
class Node;
}

class Tensor {
public:
  /// An undefined tensor (defined() is false).
  Tensor() = default;
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  bool defined() const { return impl_ != nullptr; }
  TensorImpl *unsafe_impl() const { return impl_.get(); }
  const std::shared_ptr<TensorImpl> &impl_ptr() const { return impl_; }
  /// True when both handles refer to the same TensorImpl.
  bool is_same(const Tensor &o) const { return impl_ == o.impl_; }

  // --- metadata -----------------------------------------------------------
  IntArrayRef sizes() const { return impl().sizes(); }
  IntArrayRef strides() const { return impl().strides(); }
  int64_t size(int64_t dim) const;
  int64_t stride(int64_t dim) const;
  int64_t dim() const { return impl().dim(); }
  int64_t ndimension() const { return dim(); }
  int64_t numel() const { return impl().numel(); }
  int64_t storage_offset() const { return impl().storage_offset(); }
  DType dtype() const { return impl().dtype(); }
  DType scalar_type() const { return dtype(); }
  Device device() const { return impl().device(); }
  TensorOptions options() const {
    return TensorOptions().dtype(dtype()).device(device());
  }
  size_t element_size() const { return impl().itemsize(); }
  size_t nbytes() const { return numel() * element_size(); }
  bool is_contiguous() const { return impl().is_contiguous(); }
  bool is_floating_point() const { return ember::is_floating_point(dtype()); }
  bool is_cuda() const { return device().is_cuda(); }
  bool is_cpu() const { return device().is_cpu(); }
  uint64_t _version() const { return impl().storage()->version(); }
  std::string toString() const;

  /// Pointer to the first element; throws when T does not match dtype().
  template <typename T> T *data_ptr() const;
  void *raw_data_ptr() const { return impl().data(); }
  /// The single element as T; throws unless numel() == 1.
  /// Reading a value is a data-dependent step: the tracer records where
  /// (jit::compile stays eager for such traces).
  template <typename T> T item(Loc loc = Loc::current()) const;
  Scalar item(Loc loc = Loc::current()) const;

  // --- autograd -------------------------------------------------------------
  /// Whether gradients flow to this tensor (a leaf that requires grad, or
  /// the result of an op on one).
  bool requires_grad() const;
  /// Makes a leaf record gradients (floating point dtypes only).
  Tensor &requires_grad_(bool requires_grad = true);
  /// The accumulated gradient (undefined before the first backward).
  Tensor grad() const;
  /// The gradient slot itself, to assign or reset it.
  Tensor &mutable_grad();
  /// Backpropagates from this tensor: `gradient` may be omitted for a
  /// one-element tensor; retain_graph defaults to create_graph.
  void backward(const Tensor &gradient = {},
                std::optional<bool> retain_graph = std::nullopt,
                bool create_graph = false) const;
  /// True for tensors not produced by a recorded op (user-created).
  bool is_leaf() const;
  /// The node that produced this tensor, or null for leaves.
  std::shared_ptr<autograd::Node> grad_fn() const;
  /// Which output of grad_fn() this tensor is.
  uint32_t output_nr() const;
  /// Keeps .grad() for a non-leaf after backward.
  void retain_grad() const;
  bool retains_grad() const;
  /// A tensor sharing this one's data, cut from the graph.
  Tensor detach() const;
  Tensor &detach_();
  /// Makes this tensor use new_data's data (same handle, same autograd
  /// identity), as PyTorch's `param.data = new_data`.
  void set_data(const Tensor &new_data) const;
  /// The data without autograd state (LibTorch's variable_data()).
  Tensor variable_data() const { return detach(); }
  /// Calls hook(grad) when this tensor's gradient is computed; a defined
  /// return value replaces the gradient. Returns a handle for remove_hook.
  template <typename F> size_t register_hook(F &&hook) const {
    if constexpr (std::is_void_v<std::invoke_result_t<F &, const Tensor &>>)
      return register_hook_impl([h = std::forward<F>(hook)](const Tensor &g) {
        h(g);
        return Tensor();
      });
    else
      return register_hook_impl(std::forward<F>(hook));
  }
  void remove_hook(size_t handle) const;

  // --- views --------------------------------------------------------------
  Tensor view(IntArrayRef shape, Loc loc = Loc::current()) const;
  Tensor reshape(IntArrayRef shape, Loc loc = Loc::current()) const;
  Tensor permute(IntArrayRef dims, Loc loc = Loc::current()) const;
  Tensor transpose(int64_t d0, int64_t d1, Loc loc = Loc::current()) const;
  Tensor t(Loc loc = Loc::current()) const;
  Tensor expand(IntArrayRef shape, Loc loc = Loc::current()) const;
  Tensor expand_as(const Tensor &other, Loc loc = Loc::current()) const;
  Tensor squeeze(Loc loc = Loc::current()) const;
  Tensor squeeze(int64_t dim, Loc loc = Loc::current()) const;
  Tensor unsqueeze(int64_t dim, Loc loc = Loc::current()) const;
  Tensor flatten(int64_t start_dim = 0, int64_t end_dim = -1,
                 Loc loc = Loc::current()) const;
  Tensor narrow(int64_t dim, int64_t start, int64_t length,
                Loc loc = Loc::current()) const;
  Tensor slice(int64_t dim = 0, std::optional<int64_t> start = std::nullopt,
               std::optional<int64_t> end = std::nullopt, int64_t step = 1,
               Loc loc = Loc::current()) const;
  Tensor select(int64_t dim, int64_t index, Loc loc = Loc::current()) const;
  Tensor index(std::initializer_list<indexing::TensorIndex> indices,
               Loc loc = Loc::current()) const;
  Tensor index(const std::vector<indexing::TensorIndex> &indices,
               Loc loc = Loc::current()) const;
  Tensor &index_put_(std::initializer_list<indexing::TensorIndex> indices,
                     const Tensor &value, Loc loc = Loc::current());
  Tensor &index_put_(std::initializer_list<indexing::TensorIndex> indices,
                     const Scalar &value, Loc loc = Loc::current());
  Tensor operator[](int64_t index) const;
  Tensor as_strided(IntArrayRef size, IntArrayRef stride,
                    std::optional<int64_t> storage_offset = std::nullopt,
                    Loc loc = Loc::current()) const;
  Tensor contiguous(Loc loc = Loc::current()) const;
  Tensor clone(Loc loc = Loc::current()) const;
  Tensor to(DType dtype, Loc loc = Loc::current()) const;
  Tensor to(Device device, Loc loc = Loc::current()) const;
  /// With non_blocking, a copy from page-locked host memory (pin_memory)
  /// or to it runs asynchronously on the current CUDA stream.
  Tensor to(Device device, bool non_blocking, Loc loc = Loc::current()) const;
  Tensor to(Device device, DType dtype, Loc loc = Loc::current()) const;
  Tensor cpu(Loc loc = Loc::current()) const;
  Tensor cuda(Loc loc = Loc::current()) const;
  /// A copy in page-locked host memory (this tensor when already pinned);
  /// CPU tensors only; throws ember::Error when no CUDA device is available,
  /// as PyTorch does.
  Tensor pin_memory() const;
  /// Whether the data lies in page-locked host memory.
  bool is_pinned() const;
  std::vector<Tensor> split(int64_t split_size, int64_t dim = 0,
                            Loc loc = Loc::current()) const;
  std::vector<Tensor> chunk(int64_t chunks, int64_t dim = 0,
                            Loc loc = Loc::current()) const;

  // --- elementwise --------------------------------------------------------
  Tensor add(const Tensor &o, const Scalar &alpha = 1,
             Loc loc = Loc::current()) const;
  Tensor add(const Scalar &o, const Scalar &alpha = 1,
             Loc loc = Loc::current()) const;
  Tensor sub(const Tensor &o, const Scalar &alpha = 1,
             Loc loc = Loc::current()) const;
  Tensor sub(const Scalar &o, const Scalar &alpha = 1,
             Loc loc = Loc::current()) const;
  Tensor mul(const Tensor &o, Loc loc = Loc::current()) const;
  Tensor mul(const Scalar &o, Loc loc = Loc::current()) const;
  Tensor div(const Tensor &o, Loc loc = Loc::current()) const;
  Tensor div(const Scalar &o, Loc loc = Loc::current()) const;
  Tensor pow(const Tensor &e, Loc loc = Loc::current()) const;
  Tensor pow(const Scalar &e, Loc loc = Loc::current()) const;
  Tensor neg(Loc loc = Loc::current()) const;
  Tensor abs(Loc loc = Loc::current()) const;
  Tensor exp(Loc loc = Loc::current()) const;
  Tensor log(Loc loc = Loc::current()) const;
  Tensor log1p(Loc loc = Loc::current()) const;
  Tensor sqrt(Loc loc = Loc::current()) const;
  Tensor rsqrt(Loc loc = Loc::current()) const;
  Tensor sin(Loc loc = Loc::current()) const;
  Tensor cos(Loc loc = Loc::current()) const;
  Tensor tanh(Loc loc = Loc::current()) const;
  Tensor sigmoid(Loc loc = Loc::current()) const;
  Tensor relu(Loc loc = Loc::current()) const;
  Tensor sign(Loc loc = Loc::current()) const;
  Tensor floor(Loc loc = Loc::current()) const;
  Tensor ceil(Loc loc = Loc::current()) const;
  Tensor round(Loc loc = Loc::current()) const;
  Tensor logical_not(Loc loc = Loc::current()) const;
  Tensor clamp(std::optional<Scalar> min,
               std::optional<Scalar> max = std::nullopt,
               Loc loc = Loc::current()) const;
  Tensor eq(const Tensor &o, Loc loc = Loc::current()) const;
  Tensor eq(const Scalar &o, Loc loc = Loc::current()) const;
  Tensor ne(const Tensor &o, Loc loc = Loc::current()) const;
  Tensor ne(const Scalar &o, Loc loc = Loc::current()) const;
  Tensor lt(const Tensor &o, Loc loc = Loc::current()) const;
  Tensor lt(const Scalar &o, Loc loc = Loc::current()) const;
  Tensor le(const Tensor &o, Loc loc = Loc::current()) const;
  Tensor le(const Scalar &o, Loc loc = Loc::current()) const;
  Tensor gt(const Tensor &o, Loc loc = Loc::current()) const;
  Tensor gt(const Scalar &o, Loc loc = Loc::current()) const;
  Tensor ge(const Tensor &o, Loc loc = Loc::current()) const;
  Tensor ge(const Scalar &o, Loc loc = Loc::current()) const;
  Tensor masked_fill(const Tensor &mask, const Scalar &value,
                     Loc loc = Loc::current()) const;

  // --- in place -----------------------------------------------------------
  Tensor &add_(const Tensor &o, const Scalar &alpha = 1,
               Loc loc = Loc::current());
  Tensor &add_(const Scalar &o, const Scalar &alpha = 1,
               Loc loc = Loc::current());
  Tensor &sub_(const Tensor &o, const Scalar &alpha = 1,
               Loc loc = Loc::current());
  Tensor &sub_(const Scalar &o, const Scalar &alpha = 1,
               Loc loc = Loc::current());
  Tensor &mul_(const Tensor &o, Loc loc = Loc::current());
  Tensor &mul_(const Scalar &o, Loc loc = Loc::current());
  Tensor &div_(const Tensor &o, Loc loc = Loc::current());
  Tensor &div_(const Scalar &o, Loc loc = Loc::current());
  Tensor &clamp_(std::optional<Scalar> min,
                 std::optional<Scalar> max = std::nullopt,
                 Loc loc = Loc::current());
  Tensor &masked_fill_(const Tensor &mask, const Scalar &value,
                       Loc loc = Loc::current());
  Tensor &fill_(const Scalar &value, Loc loc = Loc::current());
  Tensor &zero_(Loc loc = Loc::current());
  Tensor &copy_(const Tensor &src, Loc loc = Loc::current());
  Tensor &uniform_(double from = 0, double to = 1, Loc loc = Loc::current());
  Tensor &normal_(double mean = 0, double std = 1, Loc loc = Loc::current());

  // --- reductions ---------------------------------------------------------
  Tensor sum(Loc loc = Loc::current()) const;
  Tensor sum(IntArrayRef dims, bool keepdim = false,
             Loc loc = Loc::current()) const;
  Tensor mean(Loc loc = Loc::current()) const;
  Tensor mean(IntArrayRef dims, bool keepdim = false,
              Loc loc = Loc::current()) const;
  Tensor prod(Loc loc = Loc::current()) const;
  Tensor prod(int64_t dim, bool keepdim = false,
              Loc loc = Loc::current()) const;
  Tensor max(Loc loc = Loc::current()) const;
  std::tuple<Tensor, Tensor> max(int64_t dim, bool keepdim = false,
                                 Loc loc = Loc::current()) const;
  Tensor min(Loc loc = Loc::current()) const;
  std::tuple<Tensor, Tensor> min(int64_t dim, bool keepdim = false,
                                 Loc loc = Loc::current()) const;
  Tensor all(Loc loc = Loc::current()) const;
  Tensor all(int64_t dim, bool keepdim = false, Loc loc = Loc::current()) const;
  Tensor any(Loc loc = Loc::current()) const;
  Tensor any(int64_t dim, bool keepdim = false, Loc loc = Loc::current()) const;
  Tensor argmax(std::optional<int64_t> dim = std::nullopt, bool keepdim = false,
                Loc loc = Loc::current()) const;
  Tensor argmin(std::optional<int64_t> dim = std::nullopt, bool keepdim = false,
                Loc loc = Loc::current()) const;
  Tensor var(Loc loc = Loc::current()) const;
  Tensor var(IntArrayRef dims, int64_t correction = 1, bool keepdim = false,
             Loc loc = Loc::current()) const;
  Tensor std(Loc loc = Loc::current()) const;
  Tensor std(IntArrayRef dims, int64_t correction = 1, bool keepdim = false,
             Loc loc = Loc::current()) const;
  Tensor logsumexp(IntArrayRef dims, bool keepdim = false,
                   Loc loc = Loc::current()) const;
  Tensor norm(const Scalar &p = 2, Loc loc = Loc::current()) const;
  Tensor norm(const Scalar &p, IntArrayRef dims, bool keepdim = false,
              Loc loc = Loc::current()) const;
  Tensor softmax(int64_t dim, Loc loc = Loc::current()) const;
  Tensor log_softmax(int64_t dim, Loc loc = Loc::current()) const;

  // --- linear algebra -----------------------------------------------------
  Tensor matmul(const Tensor &o, Loc loc = Loc::current()) const;
  Tensor mm(const Tensor &o, Loc loc = Loc::current()) const;
  Tensor bmm(const Tensor &o, Loc loc = Loc::current()) const;

  // --- indexing -----------------------------------------------------------
  Tensor gather(int64_t dim, const Tensor &index,
                Loc loc = Loc::current()) const;
  Tensor scatter_add(int64_t dim, const Tensor &index, const Tensor &src,
                     Loc loc = Loc::current()) const;
  Tensor index_select(int64_t dim, const Tensor &index,
                      Loc loc = Loc::current()) const;

private:
  size_t register_hook_impl(std::function<Tensor(const Tensor &)> hook) const;
  TensorImpl &impl() const;
  std::shared_ptr<TensorImpl> impl_;
};

std::ostream &operator<<(std::ostream &os, const Tensor &t);

// Arithmetic operators (broadcasting, type promotion as in PyTorch).
Tensor operator+(const Tensor &a, const Tensor &b);
Tensor operator+(const Tensor &a, const Scalar &b);
Tensor operator+(const Scalar &a, const Tensor &b);
Tensor operator-(const Tensor &a, const Tensor &b);
Tensor operator-(const Tensor &a, const Scalar &b);
Tensor operator-(const Scalar &a, const Tensor &b);
Tensor operator*(const Tensor &a, const Tensor &b);
Tensor operator*(const Tensor &a, const Scalar &b);
Tensor operator*(const Scalar &a, const Tensor &b);
Tensor operator/(const Tensor &a, const Tensor &b);
Tensor operator/(const Tensor &a, const Scalar &b);
Tensor operator/(const Scalar &a, const Tensor &b);
Tensor operator-(const Tensor &a);
Tensor operator==(const Tensor &a, const Tensor &b);
Tensor operator==(const Tensor &a, const Scalar &b);
Tensor operator!=(const Tensor &a, const Tensor &b);
Tensor operator!=(const Tensor &a, const Scalar &b);
Tensor operator<(const Tensor &a, const Tensor &b);
Tensor operator<(const Tensor &a, const Scalar &b);
Tensor operator<=(const Tensor &a, const Tensor &b);
Tensor operator<=(const Tensor &a, const Scalar &b);
Tensor operator>(const Tensor &a, const Tensor &b);
Tensor operator>(const Tensor &a, const Scalar &b);
Tensor operator>=(const Tensor &a, const Tensor &b);
Tensor operator>=(const Tensor &a, const Scalar &b);
Tensor operator&&(const Tensor &a, const Tensor &b);
Tensor operator||(const Tensor &a, const Tensor &b);
Tensor operator!(const Tensor &a);
Tensor &operator+=(Tensor &a, const Tensor &b);
Tensor &operator+=(Tensor &a, const Scalar &b);
Tensor &operator-=(Tensor &a, const Tensor &b);
Tensor &operator-=(Tensor &a, const Scalar &b);
Tensor &operator*=(Tensor &a, const Tensor &b);
Tensor &operator*=(Tensor &a, const Scalar &b);
Tensor &operator/=(Tensor &a, const Tensor &b);
Tensor &operator/=(Tensor &a, const Scalar &b);

// --- template definitions ---------------------------------------------------
namespace detail {
[[noreturn]] void data_ptr_mismatch(DType want, DType have);
[[noreturn]] void item_numel_mismatch(int64_t numel);
[[noreturn]] void item_device(Device d);
/// Tells this thread's dispatch observers that `t`'s data was read.
void notify_data_read(const Tensor &t, Loc loc);
} // namespace detail

template <typename T> T *Tensor::data_ptr() const {
  if (dtype_of<T> != dtype())
    detail::data_ptr_mismatch(dtype_of<T>, dtype());
  return impl().template data_as<T>();
}

template <typename T> T Tensor::item(Loc loc) const {
  if (numel() != 1)
    detail::item_numel_mismatch(numel());
  detail::notify_data_read(*this, loc);
  if (!device().is_cpu())
    return cpu().template item<T>(loc);
  return visit_dtype(dtype(), "item", [&]<typename S>() {
    return static_cast<T>(*impl().template data_as<S>());
  });
}

} // namespace ember

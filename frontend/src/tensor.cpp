// Tensor's member functions: thin forwards to the dispatcher / ops.h.
#include "ember/tensor.h"
#include "ember/autograd/grad_mode.h"
#include "ember/dispatch.h"
#include "ember/factory.h"
#include "ember/ops.h"
#include "ember/print.h"
#include "ember/random.h"
#include "ember/runtime/cuda.h"

namespace ember {

namespace detail {
void data_ptr_mismatch(DType want, DType have) {
  EMBER_FAIL("data_ptr", "expected a tensor of dtype ", want,
             ", but it has dtype ", have);
}
void item_numel_mismatch(int64_t numel) {
  EMBER_FAIL("item", "a Tensor with ", numel,
             " elements cannot be converted to Scalar");
}
void item_device(Device d) {
  EMBER_FAIL("item", "cannot read a value from a tensor on ", d);
}
} // namespace detail

TensorImpl &Tensor::impl() const {
  EMBER_CHECK(impl_ != nullptr, "Tensor",
              "the tensor is undefined (default-constructed)");
  return *impl_;
}

int64_t Tensor::size(int64_t dim) const {
  return impl().size(wrap_dim("size", dim, this->dim()));
}
int64_t Tensor::stride(int64_t dim) const {
  return impl().stride(wrap_dim("stride", dim, this->dim()));
}

Scalar Tensor::item(Loc loc) const {
  if (numel() != 1)
    detail::item_numel_mismatch(numel());
  return visit_dtype(dtype(), "item", [&]<typename T>() -> Scalar {
    T v = item<T>(loc);
    if constexpr (std::is_same_v<T, bool>)
      return Scalar(v);
    else if constexpr (std::is_floating_point_v<T>)
      return Scalar(static_cast<double>(v));
    else
      return Scalar(static_cast<int64_t>(v));
  });
}

std::string Tensor::toString() const { return ember::to_string(*this); }

// --- views
// ---------------------------------------------------------------------
Tensor Tensor::view(IntArrayRef shape, Loc loc) const {
  return dispatch1(OpId::view, {*this}, {{"shape", shape.vec()}}, loc);
}
Tensor Tensor::reshape(IntArrayRef shape, Loc loc) const {
  return dispatch1(OpId::reshape, {*this}, {{"shape", shape.vec()}}, loc);
}
Tensor Tensor::permute(IntArrayRef dims, Loc loc) const {
  return dispatch1(OpId::permute, {*this}, {{"dims", dims.vec()}}, loc);
}
Tensor Tensor::transpose(int64_t d0, int64_t d1, Loc loc) const {
  return dispatch1(OpId::transpose, {*this}, {{"dim0", d0}, {"dim1", d1}}, loc);
}
Tensor Tensor::t(Loc loc) const {
  EMBER_CHECK(dim() <= 2, "t",
              "expects a tensor with <= 2 dimensions, but self is ", dim(),
              "D");
  return dim() < 2 ? *this : transpose(0, 1, loc);
}
Tensor Tensor::expand(IntArrayRef shape, Loc loc) const {
  return dispatch1(OpId::expand, {*this}, {{"shape", shape.vec()}}, loc);
}
Tensor Tensor::expand_as(const Tensor &other, Loc loc) const {
  return expand(other.sizes(), loc);
}
Tensor Tensor::squeeze(Loc loc) const {
  return dispatch1(OpId::squeeze, {*this}, {}, loc);
}
Tensor Tensor::squeeze(int64_t dim, Loc loc) const {
  return dispatch1(OpId::squeeze, {*this}, {{"dim", dim}}, loc);
}
Tensor Tensor::unsqueeze(int64_t dim, Loc loc) const {
  return dispatch1(OpId::unsqueeze, {*this}, {{"dim", dim}}, loc);
}
Tensor Tensor::flatten(int64_t start_dim, int64_t end_dim, Loc loc) const {
  return dispatch1(OpId::flatten, {*this},
                   {{"start_dim", start_dim}, {"end_dim", end_dim}}, loc);
}
Tensor Tensor::narrow(int64_t dim, int64_t start, int64_t length,
                      Loc loc) const {
  return dispatch1(OpId::narrow, {*this},
                   {{"dim", dim}, {"start", start}, {"length", length}}, loc);
}
Tensor Tensor::slice(int64_t dim, std::optional<int64_t> start,
                     std::optional<int64_t> end, int64_t step, Loc loc) const {
  Attrs a{{"dim", dim}, {"step", step}};
  if (start)
    a.set("start", *start);
  if (end)
    a.set("end", *end);
  return dispatch1(OpId::slice, {*this}, a, loc);
}
Tensor Tensor::select(int64_t dim, int64_t index, Loc loc) const {
  return dispatch1(OpId::select, {*this}, {{"dim", dim}, {"index", index}},
                   loc);
}
Tensor Tensor::as_strided(IntArrayRef size, IntArrayRef stride,
                          std::optional<int64_t> storage_offset,
                          Loc loc) const {
  Attrs a{{"size", size.vec()}, {"stride", stride.vec()}};
  if (storage_offset)
    a.set("storage_offset", *storage_offset);
  return dispatch1(OpId::as_strided, {*this}, a, loc);
}
Tensor Tensor::operator[](int64_t index) const { return select(0, index); }
Tensor Tensor::contiguous(Loc loc) const {
  if (is_contiguous())
    return *this; // no op recorded: nothing happens
  return dispatch1(OpId::contiguous, {*this}, {}, loc);
}
Tensor Tensor::clone(Loc loc) const {
  return dispatch1(OpId::clone, {*this}, {}, loc);
}
Tensor Tensor::to(DType dtype, Loc loc) const {
  if (dtype == this->dtype())
    return *this;
  return dispatch1(OpId::to_dtype, {*this}, {{"dtype", dtype}}, loc);
}
Tensor Tensor::to(Device device, Loc loc) const {
  if (device == this->device())
    return *this;
  return dispatch1(OpId::to_device, {*this}, {{"device", device}}, loc);
}
Tensor Tensor::to(Device device, bool non_blocking, Loc loc) const {
  if (device == this->device())
    return *this;
  Attrs a{{"device", device}};
  if (non_blocking)
    a.set("non_blocking", true);
  return dispatch1(OpId::to_device, {*this}, a, loc);
}
Tensor Tensor::to(Device device, DType dtype, Loc loc) const {
  return to(device, loc).to(dtype, loc);
}
Tensor Tensor::cpu(Loc loc) const { return to(Device(kCPU), loc); }
Tensor Tensor::cuda(Loc loc) const {
  return to(Device(kCUDA, cuda::current_device()), loc);
}
Tensor Tensor::pin_memory() const {
  EMBER_CHECK(device().is_cpu(), "pin_memory",
              "only CPU tensors can be pinned, got a tensor on ", device());
  if (is_pinned())
    return *this;
  void *ptr = cuda::host_alloc_pinned(nbytes());
  Tensor out = from_blob(ptr, sizes(), cuda::host_free_pinned,
                         TensorOptions().dtype(dtype()));
  // A data-loading copy: like DataLoader's pinning, not part of the graph.
  NoGradGuard no_grad;
  out.copy_(*this);
  return out;
}
bool Tensor::is_pinned() const {
  return device().is_cpu() && cuda::is_pinned(raw_data_ptr());
}
std::vector<Tensor> Tensor::split(int64_t split_size, int64_t dim,
                                  Loc loc) const {
  return ember::split(*this, split_size, dim, loc);
}
std::vector<Tensor> Tensor::chunk(int64_t chunks, int64_t dim, Loc loc) const {
  return ember::chunk(*this, chunks, dim, loc);
}

// --- elementwise
// ------------------------------------------------------------------
Tensor Tensor::add(const Tensor &o, const Scalar &alpha, Loc loc) const {
  return ember::add(*this, o, alpha, loc);
}
Tensor Tensor::add(const Scalar &o, const Scalar &alpha, Loc loc) const {
  return ember::add(*this, o, alpha, loc);
}
Tensor Tensor::sub(const Tensor &o, const Scalar &alpha, Loc loc) const {
  return ember::sub(*this, o, alpha, loc);
}
Tensor Tensor::sub(const Scalar &o, const Scalar &alpha, Loc loc) const {
  return ember::sub(*this, o, alpha, loc);
}
Tensor Tensor::mul(const Tensor &o, Loc loc) const {
  return ember::mul(*this, o, loc);
}
Tensor Tensor::mul(const Scalar &o, Loc loc) const {
  return ember::mul(*this, o, loc);
}
Tensor Tensor::div(const Tensor &o, Loc loc) const {
  return ember::div(*this, o, loc);
}
Tensor Tensor::div(const Scalar &o, Loc loc) const {
  return ember::div(*this, o, loc);
}
Tensor Tensor::pow(const Tensor &e, Loc loc) const {
  return ember::pow(*this, e, loc);
}
Tensor Tensor::pow(const Scalar &e, Loc loc) const {
  return ember::pow(*this, e, loc);
}
Tensor Tensor::neg(Loc loc) const { return ember::neg(*this, loc); }
Tensor Tensor::abs(Loc loc) const { return ember::abs(*this, loc); }
Tensor Tensor::exp(Loc loc) const { return ember::exp(*this, loc); }
Tensor Tensor::log(Loc loc) const { return ember::log(*this, loc); }
Tensor Tensor::log1p(Loc loc) const { return ember::log1p(*this, loc); }
Tensor Tensor::sqrt(Loc loc) const { return ember::sqrt(*this, loc); }
Tensor Tensor::rsqrt(Loc loc) const { return ember::rsqrt(*this, loc); }
Tensor Tensor::sin(Loc loc) const { return ember::sin(*this, loc); }
Tensor Tensor::cos(Loc loc) const { return ember::cos(*this, loc); }
Tensor Tensor::tanh(Loc loc) const { return ember::tanh(*this, loc); }
Tensor Tensor::sigmoid(Loc loc) const { return ember::sigmoid(*this, loc); }
Tensor Tensor::relu(Loc loc) const { return ember::relu(*this, loc); }
Tensor Tensor::sign(Loc loc) const { return ember::sign(*this, loc); }
Tensor Tensor::floor(Loc loc) const { return ember::floor(*this, loc); }
Tensor Tensor::ceil(Loc loc) const { return ember::ceil(*this, loc); }
Tensor Tensor::round(Loc loc) const { return ember::round(*this, loc); }
Tensor Tensor::logical_not(Loc loc) const {
  return ember::logical_not(*this, loc);
}
Tensor Tensor::clamp(std::optional<Scalar> min, std::optional<Scalar> max,
                     Loc loc) const {
  return ember::clamp(*this, min, max, loc);
}
Tensor Tensor::eq(const Tensor &o, Loc loc) const {
  return ember::eq(*this, o, loc);
}
Tensor Tensor::eq(const Scalar &o, Loc loc) const {
  return ember::eq(*this, o, loc);
}
Tensor Tensor::ne(const Tensor &o, Loc loc) const {
  return ember::ne(*this, o, loc);
}
Tensor Tensor::ne(const Scalar &o, Loc loc) const {
  return ember::ne(*this, o, loc);
}
Tensor Tensor::lt(const Tensor &o, Loc loc) const {
  return ember::lt(*this, o, loc);
}
Tensor Tensor::lt(const Scalar &o, Loc loc) const {
  return ember::lt(*this, o, loc);
}
Tensor Tensor::le(const Tensor &o, Loc loc) const {
  return ember::le(*this, o, loc);
}
Tensor Tensor::le(const Scalar &o, Loc loc) const {
  return ember::le(*this, o, loc);
}
Tensor Tensor::gt(const Tensor &o, Loc loc) const {
  return ember::gt(*this, o, loc);
}
Tensor Tensor::gt(const Scalar &o, Loc loc) const {
  return ember::gt(*this, o, loc);
}
Tensor Tensor::ge(const Tensor &o, Loc loc) const {
  return ember::ge(*this, o, loc);
}
Tensor Tensor::ge(const Scalar &o, Loc loc) const {
  return ember::ge(*this, o, loc);
}
Tensor Tensor::masked_fill(const Tensor &mask, const Scalar &value,
                           Loc loc) const {
  return ember::masked_fill(*this, mask, value, loc);
}

// --- in place
// ---------------------------------------------------------------------
Tensor &Tensor::add_(const Tensor &o, const Scalar &alpha, Loc loc) {
  dispatch(OpId::add_, {*this, o}, {{"alpha", alpha}}, loc);
  return *this;
}
Tensor &Tensor::add_(const Scalar &o, const Scalar &alpha, Loc loc) {
  return add_(scalar_to_tensor(o), alpha, loc);
}
Tensor &Tensor::sub_(const Tensor &o, const Scalar &alpha, Loc loc) {
  dispatch(OpId::sub_, {*this, o}, {{"alpha", alpha}}, loc);
  return *this;
}
Tensor &Tensor::sub_(const Scalar &o, const Scalar &alpha, Loc loc) {
  return sub_(scalar_to_tensor(o), alpha, loc);
}
Tensor &Tensor::mul_(const Tensor &o, Loc loc) {
  dispatch(OpId::mul_, {*this, o}, {}, loc);
  return *this;
}
Tensor &Tensor::mul_(const Scalar &o, Loc loc) {
  return mul_(scalar_to_tensor(o), loc);
}
Tensor &Tensor::div_(const Tensor &o, Loc loc) {
  dispatch(OpId::div_, {*this, o}, {}, loc);
  return *this;
}
Tensor &Tensor::div_(const Scalar &o, Loc loc) {
  return div_(scalar_to_tensor(o), loc);
}
Tensor &Tensor::clamp_(std::optional<Scalar> min, std::optional<Scalar> max,
                       Loc loc) {
  return ember::clamp_(*this, min, max, loc);
}
Tensor &Tensor::masked_fill_(const Tensor &mask, const Scalar &value, Loc loc) {
  dispatch(OpId::masked_fill_, {*this, mask}, {{"value", value}}, loc);
  return *this;
}
Tensor &Tensor::fill_(const Scalar &value, Loc loc) {
  dispatch(OpId::fill_, {*this}, {{"value", value}}, loc);
  return *this;
}
Tensor &Tensor::zero_(Loc loc) {
  dispatch(OpId::zero_, {*this}, {}, loc);
  return *this;
}
Tensor &Tensor::copy_(const Tensor &src, Loc loc) {
  dispatch(OpId::copy_, {*this, src}, {}, loc);
  return *this;
}

// --- reductions and the rest
// --------------------------------------------------------
Tensor Tensor::sum(Loc loc) const { return ember::sum(*this, loc); }
Tensor Tensor::sum(IntArrayRef dims, bool keepdim, Loc loc) const {
  return ember::sum(*this, dims, keepdim, std::nullopt, loc);
}
Tensor Tensor::mean(Loc loc) const { return ember::mean(*this, loc); }
Tensor Tensor::mean(IntArrayRef dims, bool keepdim, Loc loc) const {
  return ember::mean(*this, dims, keepdim, loc);
}
Tensor Tensor::prod(Loc loc) const { return ember::prod(*this, loc); }
Tensor Tensor::prod(int64_t dim, bool keepdim, Loc loc) const {
  return ember::prod(*this, dim, keepdim, loc);
}
Tensor Tensor::max(Loc loc) const { return ember::max(*this, loc); }
std::tuple<Tensor, Tensor> Tensor::max(int64_t dim, bool keepdim,
                                       Loc loc) const {
  return ember::max(*this, dim, keepdim, loc);
}
Tensor Tensor::min(Loc loc) const { return ember::min(*this, loc); }
std::tuple<Tensor, Tensor> Tensor::min(int64_t dim, bool keepdim,
                                       Loc loc) const {
  return ember::min(*this, dim, keepdim, loc);
}
Tensor Tensor::all(Loc loc) const { return ember::all(*this, loc); }
Tensor Tensor::all(int64_t dim, bool keepdim, Loc loc) const {
  return ember::all(*this, dim, keepdim, loc);
}
Tensor Tensor::any(Loc loc) const { return ember::any(*this, loc); }
Tensor Tensor::any(int64_t dim, bool keepdim, Loc loc) const {
  return ember::any(*this, dim, keepdim, loc);
}
Tensor Tensor::argmax(std::optional<int64_t> dim, bool keepdim, Loc loc) const {
  return ember::argmax(*this, dim, keepdim, loc);
}
Tensor Tensor::argmin(std::optional<int64_t> dim, bool keepdim, Loc loc) const {
  return ember::argmin(*this, dim, keepdim, loc);
}
Tensor Tensor::var(Loc loc) const { return ember::var(*this, loc); }
Tensor Tensor::var(IntArrayRef dims, int64_t correction, bool keepdim,
                   Loc loc) const {
  return ember::var(*this, dims, correction, keepdim, loc);
}
Tensor Tensor::std(Loc loc) const { return ember::std(*this, loc); }
Tensor Tensor::std(IntArrayRef dims, int64_t correction, bool keepdim,
                   Loc loc) const {
  return ember::std(*this, dims, correction, keepdim, loc);
}
Tensor Tensor::logsumexp(IntArrayRef dims, bool keepdim, Loc loc) const {
  return ember::logsumexp(*this, dims, keepdim, loc);
}
Tensor Tensor::norm(const Scalar &p, Loc loc) const {
  return ember::norm(*this, p, loc);
}
Tensor Tensor::norm(const Scalar &p, IntArrayRef dims, bool keepdim,
                    Loc loc) const {
  return ember::norm(*this, p, dims, keepdim, loc);
}
Tensor Tensor::softmax(int64_t dim, Loc loc) const {
  return ember::softmax(*this, dim, loc);
}
Tensor Tensor::log_softmax(int64_t dim, Loc loc) const {
  return ember::log_softmax(*this, dim, loc);
}
Tensor Tensor::matmul(const Tensor &o, Loc loc) const {
  return ember::matmul(*this, o, loc);
}
Tensor Tensor::mm(const Tensor &o, Loc loc) const {
  return ember::mm(*this, o, loc);
}
Tensor Tensor::bmm(const Tensor &o, Loc loc) const {
  return ember::bmm(*this, o, loc);
}
Tensor Tensor::gather(int64_t dim, const Tensor &index, Loc loc) const {
  return ember::gather(*this, dim, index, loc);
}
Tensor Tensor::scatter_add(int64_t dim, const Tensor &index, const Tensor &src,
                           Loc loc) const {
  return ember::scatter_add(*this, dim, index, src, loc);
}
Tensor Tensor::index_select(int64_t dim, const Tensor &index, Loc loc) const {
  return ember::index_select(*this, dim, index, loc);
}
// --- operators
// ----------------------------------------------------------------------
Tensor operator+(const Tensor &a, const Tensor &b) { return add(a, b); }
Tensor operator+(const Tensor &a, const Scalar &b) { return add(a, b); }
Tensor operator+(const Scalar &a, const Tensor &b) { return add(b, a); }
Tensor operator-(const Tensor &a, const Tensor &b) { return sub(a, b); }
Tensor operator-(const Tensor &a, const Scalar &b) { return sub(a, b); }
Tensor operator-(const Scalar &a, const Tensor &b) {
  return sub(scalar_to_tensor(a), b);
}
Tensor operator*(const Tensor &a, const Tensor &b) { return mul(a, b); }
Tensor operator*(const Tensor &a, const Scalar &b) { return mul(a, b); }
Tensor operator*(const Scalar &a, const Tensor &b) { return mul(b, a); }
Tensor operator/(const Tensor &a, const Tensor &b) { return div(a, b); }
Tensor operator/(const Tensor &a, const Scalar &b) { return div(a, b); }
Tensor operator/(const Scalar &a, const Tensor &b) {
  return div(scalar_to_tensor(a), b);
}
Tensor operator-(const Tensor &a) { return neg(a); }
Tensor operator==(const Tensor &a, const Tensor &b) { return eq(a, b); }
Tensor operator==(const Tensor &a, const Scalar &b) { return eq(a, b); }
Tensor operator!=(const Tensor &a, const Tensor &b) { return ne(a, b); }
Tensor operator!=(const Tensor &a, const Scalar &b) { return ne(a, b); }
Tensor operator<(const Tensor &a, const Tensor &b) { return lt(a, b); }
Tensor operator<(const Tensor &a, const Scalar &b) { return lt(a, b); }
Tensor operator<=(const Tensor &a, const Tensor &b) { return le(a, b); }
Tensor operator<=(const Tensor &a, const Scalar &b) { return le(a, b); }
Tensor operator>(const Tensor &a, const Tensor &b) { return gt(a, b); }
Tensor operator>(const Tensor &a, const Scalar &b) { return gt(a, b); }
Tensor operator>=(const Tensor &a, const Tensor &b) { return ge(a, b); }
Tensor operator>=(const Tensor &a, const Scalar &b) { return ge(a, b); }
Tensor operator&&(const Tensor &a, const Tensor &b) {
  return logical_and(a, b);
}
Tensor operator||(const Tensor &a, const Tensor &b) { return logical_or(a, b); }
Tensor operator!(const Tensor &a) { return logical_not(a); }
Tensor &operator+=(Tensor &a, const Tensor &b) { return a.add_(b); }
Tensor &operator+=(Tensor &a, const Scalar &b) { return a.add_(b); }
Tensor &operator-=(Tensor &a, const Tensor &b) { return a.sub_(b); }
Tensor &operator-=(Tensor &a, const Scalar &b) { return a.sub_(b); }
Tensor &operator*=(Tensor &a, const Tensor &b) { return a.mul_(b); }
Tensor &operator*=(Tensor &a, const Scalar &b) { return a.mul_(b); }
Tensor &operator/=(Tensor &a, const Tensor &b) { return a.div_(b); }
Tensor &operator/=(Tensor &a, const Scalar &b) { return a.div_(b); }

std::ostream &operator<<(std::ostream &os, const Tensor &t) {
  return os << to_string(t);
}

} // namespace ember

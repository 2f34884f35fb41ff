// The eager op API: free functions with PyTorch's names and defaults. Each
// captures the caller's source location and goes through the dispatcher.
#pragma once

#include "ember/tensor.h"

#include <optional>
#include <tuple>
#include <vector>

namespace ember {

// --- unary elementwise -------------------------------------------------------
Tensor neg(const Tensor &x, Loc loc = Loc::current());
Tensor abs(const Tensor &x, Loc loc = Loc::current());
Tensor exp(const Tensor &x, Loc loc = Loc::current());
Tensor log(const Tensor &x, Loc loc = Loc::current());
Tensor log1p(const Tensor &x, Loc loc = Loc::current());
Tensor sqrt(const Tensor &x, Loc loc = Loc::current());
Tensor rsqrt(const Tensor &x, Loc loc = Loc::current());
Tensor sin(const Tensor &x, Loc loc = Loc::current());
Tensor cos(const Tensor &x, Loc loc = Loc::current());
Tensor tanh(const Tensor &x, Loc loc = Loc::current());
Tensor sigmoid(const Tensor &x, Loc loc = Loc::current());
Tensor relu(const Tensor &x, Loc loc = Loc::current());
/// approximate: "none" (erf) or "tanh", as torch.nn.functional.gelu.
Tensor gelu(const Tensor &x, const std::string &approximate = "none",
            Loc loc = Loc::current());
Tensor sign(const Tensor &x, Loc loc = Loc::current());
Tensor floor(const Tensor &x, Loc loc = Loc::current());
Tensor ceil(const Tensor &x, Loc loc = Loc::current());
Tensor round(const Tensor &x, Loc loc = Loc::current());
Tensor logical_not(const Tensor &x, Loc loc = Loc::current());
Tensor clamp(const Tensor &x, std::optional<Scalar> min,
             std::optional<Scalar> max = std::nullopt,
             Loc loc = Loc::current());
Tensor &clamp_(Tensor &x, std::optional<Scalar> min,
               std::optional<Scalar> max = std::nullopt,
               Loc loc = Loc::current());

// --- binary elementwise ------------------------------------------------------
Tensor add(const Tensor &a, const Tensor &b, const Scalar &alpha = 1,
           Loc loc = Loc::current());
Tensor add(const Tensor &a, const Scalar &b, const Scalar &alpha = 1,
           Loc loc = Loc::current());
Tensor sub(const Tensor &a, const Tensor &b, const Scalar &alpha = 1,
           Loc loc = Loc::current());
Tensor sub(const Tensor &a, const Scalar &b, const Scalar &alpha = 1,
           Loc loc = Loc::current());
Tensor mul(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor mul(const Tensor &a, const Scalar &b, Loc loc = Loc::current());
Tensor div(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor div(const Tensor &a, const Scalar &b, Loc loc = Loc::current());
Tensor pow(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor pow(const Tensor &a, const Scalar &b, Loc loc = Loc::current());
Tensor pow(const Scalar &a, const Tensor &b, Loc loc = Loc::current());
Tensor maximum(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor minimum(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor logical_and(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor logical_or(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor logical_xor(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor eq(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor eq(const Tensor &a, const Scalar &b, Loc loc = Loc::current());
Tensor ne(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor ne(const Tensor &a, const Scalar &b, Loc loc = Loc::current());
Tensor lt(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor lt(const Tensor &a, const Scalar &b, Loc loc = Loc::current());
Tensor le(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor le(const Tensor &a, const Scalar &b, Loc loc = Loc::current());
Tensor gt(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor gt(const Tensor &a, const Scalar &b, Loc loc = Loc::current());
Tensor ge(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor ge(const Tensor &a, const Scalar &b, Loc loc = Loc::current());
Tensor where(const Tensor &cond, const Tensor &a, const Tensor &b,
             Loc loc = Loc::current());
Tensor where(const Tensor &cond, const Tensor &a, const Scalar &b,
             Loc loc = Loc::current());
Tensor where(const Tensor &cond, const Scalar &a, const Tensor &b,
             Loc loc = Loc::current());
Tensor masked_fill(const Tensor &x, const Tensor &mask, const Scalar &value,
                   Loc loc = Loc::current());
/// A 0-dim tensor holding `s` that loses to real tensors in type promotion
/// (what PyTorch does with a Python number).
Tensor scalar_to_tensor(const Scalar &s, Device device = Device(kCPU));
/// The dtype PyTorch's result_type gives for these operands.
DType result_type(const Tensor &a, const Tensor &b);
DType result_type(const Tensor &a, const Scalar &b);

// --- reductions --------------------------------------------------------------
Tensor sum(const Tensor &x, Loc loc = Loc::current());
Tensor sum(const Tensor &x, IntArrayRef dims, bool keepdim = false,
           std::optional<DType> dtype = std::nullopt, Loc loc = Loc::current());
Tensor mean(const Tensor &x, Loc loc = Loc::current());
Tensor mean(const Tensor &x, IntArrayRef dims, bool keepdim = false,
            Loc loc = Loc::current());
Tensor prod(const Tensor &x, Loc loc = Loc::current());
Tensor prod(const Tensor &x, int64_t dim, bool keepdim = false,
            Loc loc = Loc::current());
/// The maximum over all elements (torch.max(x)).
Tensor max(const Tensor &x, Loc loc = Loc::current());
/// (values, indices) along `dim` (torch.max(x, dim)).
std::tuple<Tensor, Tensor> max(const Tensor &x, int64_t dim,
                               bool keepdim = false, Loc loc = Loc::current());
Tensor min(const Tensor &x, Loc loc = Loc::current());
std::tuple<Tensor, Tensor> min(const Tensor &x, int64_t dim,
                               bool keepdim = false, Loc loc = Loc::current());
Tensor amax(const Tensor &x, IntArrayRef dims, bool keepdim = false,
            Loc loc = Loc::current());
Tensor amin(const Tensor &x, IntArrayRef dims, bool keepdim = false,
            Loc loc = Loc::current());
Tensor argmax(const Tensor &x, std::optional<int64_t> dim = std::nullopt,
              bool keepdim = false, Loc loc = Loc::current());
Tensor argmin(const Tensor &x, std::optional<int64_t> dim = std::nullopt,
              bool keepdim = false, Loc loc = Loc::current());
/// Variance with Bessel's correction by default (correction = 1).
Tensor var(const Tensor &x, Loc loc = Loc::current());
Tensor var(const Tensor &x, IntArrayRef dims, int64_t correction = 1,
           bool keepdim = false, Loc loc = Loc::current());
Tensor std(const Tensor &x, Loc loc = Loc::current());
Tensor std(const Tensor &x, IntArrayRef dims, int64_t correction = 1,
           bool keepdim = false, Loc loc = Loc::current());
Tensor logsumexp(const Tensor &x, IntArrayRef dims, bool keepdim = false,
                 Loc loc = Loc::current());
/// Whether every element is nonzero (torch.all): a 0-d bool tensor; NaN
/// counts as nonzero, an empty tensor gives true.
Tensor all(const Tensor &x, Loc loc = Loc::current());
/// The same along `dim` (a bool tensor, `dim` removed unless keepdim).
Tensor all(const Tensor &x, int64_t dim, bool keepdim = false,
           Loc loc = Loc::current());
/// Whether any element is nonzero (torch.any); an empty tensor gives false.
Tensor any(const Tensor &x, Loc loc = Loc::current());
Tensor any(const Tensor &x, int64_t dim, bool keepdim = false,
           Loc loc = Loc::current());
/// The p-norm over all elements (p = 2, 1, inf, ... as torch.norm).
Tensor norm(const Tensor &x, const Scalar &p = 2, Loc loc = Loc::current());
Tensor norm(const Tensor &x, const Scalar &p, IntArrayRef dims,
            bool keepdim = false, Loc loc = Loc::current());
Tensor softmax(const Tensor &x, int64_t dim, Loc loc = Loc::current());
Tensor log_softmax(const Tensor &x, int64_t dim, Loc loc = Loc::current());

// --- linear algebra, convolution, pooling -----------------------------------
Tensor mm(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor bmm(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
/// numpy/torch.matmul semantics (1-D, 2-D, batched with broadcasting).
Tensor matmul(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
/// NCHW input, (C_out, C_in/groups, kH, kW) weight, optional bias (C_out).
Tensor conv2d(const Tensor &input, const Tensor &weight,
              const Tensor &bias = {}, IntArrayRef stride = {1, 1},
              IntArrayRef padding = {0, 0}, IntArrayRef dilation = {1, 1},
              int64_t groups = 1, Loc loc = Loc::current());
/// stride defaults to kernel_size (an empty stride means that).
Tensor max_pool2d(const Tensor &input, IntArrayRef kernel_size,
                  IntArrayRef stride = {}, IntArrayRef padding = {0, 0},
                  IntArrayRef dilation = {1, 1}, bool ceil_mode = false,
                  Loc loc = Loc::current());
Tensor avg_pool2d(const Tensor &input, IntArrayRef kernel_size,
                  IntArrayRef stride = {}, IntArrayRef padding = {0, 0},
                  bool ceil_mode = false, bool count_include_pad = true,
                  Loc loc = Loc::current());

// Gradients of conv2d and the pools (the ops their autograd rules call);
// the parameters are those of the forward call, complete (2 values each).
/// d conv2d / d input, of shape input_size (3-D or 4-D).
Tensor conv2d_backward_input(const Tensor &grad_output, const Tensor &weight,
                             IntArrayRef input_size, IntArrayRef stride,
                             IntArrayRef padding, IntArrayRef dilation,
                             int64_t groups, Loc loc = Loc::current());
/// d conv2d / d weight, of shape weight_size.
Tensor conv2d_backward_weight(const Tensor &grad_output, const Tensor &input,
                              IntArrayRef weight_size, IntArrayRef stride,
                              IntArrayRef padding, IntArrayRef dilation,
                              int64_t groups, Loc loc = Loc::current());
/// d max_pool2d / d input: grad_output routed to each window's maximum.
Tensor max_pool2d_backward(const Tensor &grad_output, const Tensor &input,
                           IntArrayRef kernel_size, IntArrayRef stride,
                           IntArrayRef padding, IntArrayRef dilation,
                           bool ceil_mode, Loc loc = Loc::current());
/// d avg_pool2d / d input, of shape input_size.
Tensor avg_pool2d_backward(const Tensor &grad_output, IntArrayRef input_size,
                           IntArrayRef kernel_size, IntArrayRef stride,
                           IntArrayRef padding, bool ceil_mode,
                           bool count_include_pad, Loc loc = Loc::current());

// --- shape -------------------------------------------------------------------
Tensor cat(const TensorList &tensors, int64_t dim = 0,
           Loc loc = Loc::current());
Tensor stack(const TensorList &tensors, int64_t dim = 0,
             Loc loc = Loc::current());
TensorList split(const Tensor &x, int64_t split_size, int64_t dim = 0,
                 Loc loc = Loc::current());
TensorList split(const Tensor &x, IntArrayRef split_sizes, int64_t dim = 0,
                 Loc loc = Loc::current());
TensorList chunk(const Tensor &x, int64_t chunks, int64_t dim = 0,
                 Loc loc = Loc::current());

// --- indexing ----------------------------------------------------------------
Tensor gather(const Tensor &x, int64_t dim, const Tensor &index,
              Loc loc = Loc::current());
Tensor scatter_add(const Tensor &x, int64_t dim, const Tensor &index,
                   const Tensor &src, Loc loc = Loc::current());
Tensor index_select(const Tensor &x, int64_t dim, const Tensor &index,
                    Loc loc = Loc::current());
/// int64 class indices -> int64 one-hot rows; num_classes = -1 infers max+1.
Tensor one_hot(const Tensor &x, int64_t num_classes = -1,
               Loc loc = Loc::current());

} // namespace ember

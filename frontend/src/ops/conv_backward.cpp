// The gradient ops of conv2d and the pools, and their public entry points:
//   conv2d_backward_input:  {grad_output, weight}; input_size, stride,
//                           padding, dilation (2 ints each), groups
//   conv2d_backward_weight: {grad_output, input}; weight_size, stride,
//                           padding, dilation, groups
//   max_pool2d_backward:    {grad_output, input}; max_pool2d's attributes
//   avg_pool2d_backward:    {grad_output}; input_size and avg_pool2d's
//                           attributes
// Each checks that grad_output has the shape the forward would produce for
// these sizes and parameters, then runs kernels/conv_backward.h. Batched
// (4-D) and unbatched (3-D) shapes are accepted as in the forward.
#include "ember/runtime/kernels/conv_backward.h"
#include "common.h"
#include "conv_common.h"
#include "ember/ops.h"

namespace ember {
namespace impl {

namespace {

void check_float_pair(const OpCall &call, const Tensor &a, const Tensor &b) {
  common_device(call);
  EMBER_CHECK(a.dtype() == b.dtype(), call.name(), "expected grad_output and ",
              call.op == OpId::conv2d_backward_input ? "weight" : "input",
              " to have the same dtype, but got ", a.dtype(), " and ",
              b.dtype());
  EMBER_CHECK(is_floating_point(a.dtype()) && has_kernels(a.dtype()),
              call.name(), "expected a float32 or float64 grad_output, got ",
              describe(a));
}

void check_grad_shape(const OpCall &call, const Tensor &grad_output,
                      IntArrayRef expected) {
  EMBER_CHECK(grad_output.sizes() == expected, call.name(),
              "expected grad_output of shape ", expected,
              " (the forward's output shape), but got ", grad_output.sizes());
}

// conv2d's parameters checked as the forward does, and its output shape.
kernels::cpu::Conv2dParams conv_params(const OpCall &call,
                                       IntArrayRef input_size,
                                       IntArrayRef weight_size,
                                       DimVector &out_shape) {
  const char *op = call.name();
  kernels::cpu::Conv2dParams p;
  const Ints stride = pair_attr(call, "stride"),
             padding = pair_attr(call, "padding"),
             dilation = pair_attr(call, "dilation");
  p.groups = call.attrs.get<int64_t>("groups");
  for (int i = 0; i < 2; ++i) {
    EMBER_CHECK(stride[i] > 0 && padding[i] >= 0 && dilation[i] > 0, op,
                "expected positive stride and dilation and non-negative "
                "padding, but got stride ",
                IntArrayRef(stride), ", padding ", IntArrayRef(padding),
                ", dilation ", IntArrayRef(dilation));
    p.stride[i] = stride[i];
    p.padding[i] = padding[i];
    p.dilation[i] = dilation[i];
  }
  EMBER_CHECK(input_size.size() == 3 || input_size.size() == 4, op,
              "expected a 3-D or 4-D input size, but got ", input_size);
  EMBER_CHECK(weight_size.size() == 4, op,
              "expected a 4-D weight size [C_out, C_in/groups, kH, kW], but "
              "got ",
              weight_size);
  const int64_t G = p.groups, nd = static_cast<int64_t>(input_size.size());
  EMBER_CHECK(G > 0 && weight_size[0] % G == 0 &&
                  input_size[nd - 3] == weight_size[1] * G,
              op, "input size ", input_size, " and weight size ", weight_size,
              " do not fit groups=", G);
  out_shape.assign(input_size.begin(), input_size.end() - 3);
  out_shape.push_back(weight_size[0]);
  for (int i = 0; i < 2; ++i) {
    const int64_t k = (weight_size[2 + i] - 1) * p.dilation[i] + 1;
    const int64_t padded = input_size[nd - 2 + i] + 2 * p.padding[i];
    EMBER_CHECK(padded >= k, op, "kernel size ", k,
                " can't be greater than the padded input size ", padded);
    out_shape.push_back((padded - k) / p.stride[i] + 1);
  }
  return p;
}

kernels::cpu::Pool2dParams pool_params(const OpCall &call, IntArrayRef in,
                                       bool with_dilation,
                                       DimVector &out_shape) {
  const char *op = call.name();
  kernels::cpu::Pool2dParams p;
  const Ints k = pair_attr(call, "kernel_size"), s = pair_attr(call, "stride"),
             pad = pair_attr(call, "padding");
  const Ints d = with_dilation ? pair_attr(call, "dilation") : Ints{1, 1};
  const bool ceil_mode = call.attrs.get<bool>("ceil_mode");
  EMBER_CHECK(in.size() == 3 || in.size() == 4, op,
              "expected a 3-D or 4-D input size, but got ", in);
  out_shape.assign(in.begin(), in.end() - 2);
  for (int i = 0; i < 2; ++i) {
    EMBER_CHECK(k[i] > 0 && s[i] > 0 && d[i] > 0 && pad[i] >= 0 &&
                    pad[i] <= k[i] / 2,
                op, "invalid pooling parameters: kernel_size ", IntArrayRef(k),
                ", stride ", IntArrayRef(s), ", padding ", IntArrayRef(pad),
                ", dilation ", IntArrayRef(d));
    p.kernel[i] = k[i];
    p.stride[i] = s[i];
    p.padding[i] = pad[i];
    p.dilation[i] = d[i];
    out_shape.push_back(kernels::cpu::pool_output_size(
        in[in.size() - 2 + i], k[i], pad[i], s[i], d[i], ceil_mode));
  }
  return p;
}

} // namespace

TensorList conv2d_backward_input(const OpCall &call) {
  const Tensor &go = call.inputs[0], &weight = call.inputs[1];
  check_float_pair(call, go, weight);
  const Ints &input_size = call.attrs.get<Ints>("input_size");
  DimVector out_shape;
  auto p = conv_params(call, input_size, weight.sizes(), out_shape);
  check_grad_shape(call, go, out_shape);
  Tensor gi = make_output(input_size, go.dtype(), go.device());
  kernels::conv2d_backward_input(I(as_batched(gi)),
                                 I(as_batched(contiguous_copy(go))),
                                 I(contiguous_copy(weight)), p);
  return out1(gi);
}

TensorList conv2d_backward_weight(const OpCall &call) {
  const Tensor &go = call.inputs[0], &input = call.inputs[1];
  check_float_pair(call, go, input);
  const Ints &weight_size = call.attrs.get<Ints>("weight_size");
  DimVector out_shape;
  auto p = conv_params(call, input.sizes(), weight_size, out_shape);
  check_grad_shape(call, go, out_shape);
  Tensor gw = make_output(weight_size, go.dtype(), go.device());
  kernels::conv2d_backward_weight(I(gw), I(as_batched(contiguous_copy(go))),
                                  I(as_batched(contiguous_copy(input))), p);
  return out1(gw);
}

TensorList max_pool2d_backward(const OpCall &call) {
  const Tensor &go = call.inputs[0], &input = call.inputs[1];
  check_float_pair(call, go, input);
  DimVector out_shape;
  auto p = pool_params(call, input.sizes(), true, out_shape);
  check_grad_shape(call, go, out_shape);
  Tensor gi = make_output(input.sizes(), go.dtype(), go.device());
  kernels::max_pool2d_backward(I(gi), I(contiguous_copy(go)),
                               I(contiguous_copy(input)), p);
  return out1(gi);
}

TensorList avg_pool2d_backward(const OpCall &call) {
  const Tensor &go = call.inputs[0];
  EMBER_CHECK(is_floating_point(go.dtype()) && has_kernels(go.dtype()),
              call.name(), "expected a float32 or float64 grad_output, got ",
              describe(go));
  const Ints &input_size = call.attrs.get<Ints>("input_size");
  DimVector out_shape;
  auto p = pool_params(call, input_size, false, out_shape);
  p.count_include_pad = call.attrs.get<bool>("count_include_pad");
  check_grad_shape(call, go, out_shape);
  Tensor gi = make_output(input_size, go.dtype(), go.device());
  kernels::avg_pool2d_backward(I(gi), I(contiguous_copy(go)), p);
  return out1(gi);
}

} // namespace impl

namespace {
std::vector<int64_t> pair_param(const char *op, const char *what,
                                IntArrayRef v) {
  return impl::pair_param(op, what, v);
}
} // namespace

Tensor conv2d_backward_input(const Tensor &grad_output, const Tensor &weight,
                             IntArrayRef input_size, IntArrayRef stride,
                             IntArrayRef padding, IntArrayRef dilation,
                             int64_t groups, Loc loc) {
  const char *op = "conv2d_backward_input";
  return dispatch1(OpId::conv2d_backward_input, {grad_output, weight},
                   {{"input_size", input_size.vec()},
                    {"stride", pair_param(op, "stride", stride)},
                    {"padding", pair_param(op, "padding", padding)},
                    {"dilation", pair_param(op, "dilation", dilation)},
                    {"groups", groups}},
                   loc);
}

Tensor conv2d_backward_weight(const Tensor &grad_output, const Tensor &input,
                              IntArrayRef weight_size, IntArrayRef stride,
                              IntArrayRef padding, IntArrayRef dilation,
                              int64_t groups, Loc loc) {
  const char *op = "conv2d_backward_weight";
  return dispatch1(OpId::conv2d_backward_weight, {grad_output, input},
                   {{"weight_size", weight_size.vec()},
                    {"stride", pair_param(op, "stride", stride)},
                    {"padding", pair_param(op, "padding", padding)},
                    {"dilation", pair_param(op, "dilation", dilation)},
                    {"groups", groups}},
                   loc);
}

Tensor max_pool2d_backward(const Tensor &grad_output, const Tensor &input,
                           IntArrayRef kernel_size, IntArrayRef stride,
                           IntArrayRef padding, IntArrayRef dilation,
                           bool ceil_mode, Loc loc) {
  const char *op = "max_pool2d_backward";
  std::vector<int64_t> k = pair_param(op, "kernel_size", kernel_size);
  return dispatch1(
      OpId::max_pool2d_backward, {grad_output, input},
      {{"kernel_size", k},
       {"stride", stride.empty() ? k : pair_param(op, "stride", stride)},
       {"padding", pair_param(op, "padding", padding)},
       {"dilation", pair_param(op, "dilation", dilation)},
       {"ceil_mode", ceil_mode}},
      loc);
}

Tensor avg_pool2d_backward(const Tensor &grad_output, IntArrayRef input_size,
                           IntArrayRef kernel_size, IntArrayRef stride,
                           IntArrayRef padding, bool ceil_mode,
                           bool count_include_pad, Loc loc) {
  const char *op = "avg_pool2d_backward";
  std::vector<int64_t> k = pair_param(op, "kernel_size", kernel_size);
  return dispatch1(
      OpId::avg_pool2d_backward, {grad_output},
      {{"input_size", input_size.vec()},
       {"kernel_size", k},
       {"stride", stride.empty() ? k : pair_param(op, "stride", stride)},
       {"padding", pair_param(op, "padding", padding)},
       {"ceil_mode", ceil_mode},
       {"count_include_pad", count_include_pad}},
      loc);
}

} // namespace ember

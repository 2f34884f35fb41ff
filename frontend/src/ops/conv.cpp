// conv2d, max_pool2d, avg_pool2d (NCHW, or unbatched CHW as in PyTorch) and
// their public entry points. The public functions normalise every size
// parameter to two values (stride of max/avg pool defaults to kernel_size),
// so the attributes the dispatcher and the tracer see are complete:
//   conv2d:     inputs {input, weight[, bias]}; stride, padding, dilation
//               (2 ints each), groups
//   max_pool2d: kernel_size, stride, padding, dilation (2 ints), ceil_mode
//   avg_pool2d: kernel_size, stride, padding (2 ints), ceil_mode,
//               count_include_pad
#include "ember/runtime/kernels/conv.h"
#include "common.h"
#include "conv_common.h"
#include "ember/ops.h"

namespace ember {
namespace impl {

TensorList conv2d(const OpCall &call) {
  const char *op = call.name();
  const Tensor &input = call.inputs[0], &weight = call.inputs[1];
  const Tensor bias = call.inputs.size() > 2 ? call.inputs[2] : Tensor();
  common_device(call);
  EMBER_CHECK(input.dim() == 3 || input.dim() == 4, op,
              "expected 3-D (unbatched) or 4-D (batched) input to conv2d, but "
              "got input of size: ",
              input.sizes());
  EMBER_CHECK(weight.dim() == 4, op,
              "expected a 4-D weight [C_out, C_in/groups, kH, kW], but got "
              "weight of size: ",
              weight.sizes());
  EMBER_CHECK(
      input.dtype() == weight.dtype() &&
          (!bias.defined() || bias.dtype() == input.dtype()),
      op, "expected input, weight and bias to have the same dtype, but got ",
      input.dtype(), ", ", weight.dtype(), ", ",
      bias.defined() ? dtype_name(bias.dtype()) : std::string_view("no bias"));
  EMBER_CHECK(input.dtype() != kBool && has_kernels(input.dtype()), op,
              "no CPU kernel for dtype ", input.dtype());
  kernels::cpu::Conv2dParams p;
  const Ints stride = pair_attr(call, "stride"),
             padding = pair_attr(call, "padding"),
             dilation = pair_attr(call, "dilation");
  p.groups = call.attrs.get<int64_t>("groups");
  for (int i = 0; i < 2; ++i) {
    p.stride[i] = stride[i];
    p.padding[i] = padding[i];
    p.dilation[i] = dilation[i];
  }
  EMBER_CHECK(stride[0] > 0 && stride[1] > 0, op,
              "non-positive stride is not supported (got stride ",
              IntArrayRef(stride), ")");
  EMBER_CHECK(padding[0] >= 0 && padding[1] >= 0, op,
              "negative padding is not supported (got padding ",
              IntArrayRef(padding), ")");
  EMBER_CHECK(dilation[0] > 0 && dilation[1] > 0, op,
              "dilation should be greater than zero (got dilation ",
              IntArrayRef(dilation), ")");
  const int64_t G = p.groups;
  EMBER_CHECK(G > 0, op, "non-positive groups is not supported (got groups=", G,
              ")");
  const int64_t CO = weight.size(0);
  EMBER_CHECK(CO >= G && CO % G == 0, op, "Given groups=", G,
              ", expected weight to be divisible by ", G,
              " at dimension 0, but got weight of size ", weight.sizes(),
              " instead");
  Tensor x = as_batched(input);
  const int64_t C = x.size(1), H = x.size(2), W = x.size(3);
  EMBER_CHECK(C == weight.size(1) * G, op, "Given groups=", G,
              ", weight of size ", weight.sizes(), ", expected input",
              input.sizes(), " to have ", weight.size(1) * G,
              " channels, but got ", C, " channels instead");
  if (bias.defined())
    EMBER_CHECK(bias.dim() == 1 && bias.size(0) == CO, op,
                "Given weight of size ", weight.sizes(),
                ", expected bias to be 1-dimensional with ", CO,
                " elements, but got bias of size ", bias.sizes(), " instead");
  const int64_t kh = (weight.size(2) - 1) * dilation[0] + 1,
                kw = (weight.size(3) - 1) * dilation[1] + 1;
  const int64_t Hp = H + 2 * padding[0], Wp = W + 2 * padding[1];
  EMBER_CHECK(Hp >= kh && Wp >= kw, op,
              "Calculated padded input size per channel: (", Hp, " x ", Wp,
              "). Kernel size: (", kh, " x ", kw,
              "). Kernel size can't be greater than actual input size");
  const int64_t OH = (Hp - kh) / stride[0] + 1, OW = (Wp - kw) / stride[1] + 1;
  Tensor out =
      make_output({x.size(0), CO, OH, OW}, input.dtype(), input.device());
  Tensor xc = contiguous_copy(x), wc = contiguous_copy(weight);
  Tensor bc = bias.defined() ? contiguous_copy(bias) : Tensor();
  kernels::conv2d(I(out), I(xc), I(wc), bc.defined() ? &I(bc) : nullptr, p);
  return out1(unbatched(out, input.dim() == 4));
}

namespace {

// Checks shared by both pools; fills the output shape.
DimVector pool_shape(const OpCall &call, const Tensor &x,
                     const kernels::cpu::Pool2dParams &p, bool ceil_mode) {
  const char *op = call.name();
  const int64_t nd = x.dim();
  bool ok = nd == 3 || nd == 4;
  for (int64_t d = nd - 3; ok && d < nd; ++d)
    ok = x.size(d) != 0;
  EMBER_CHECK(ok, op,
              "expected a 3-D or 4-D (batch mode) input with non-zero channel, "
              "height and width (optional 0 batch size), but got: ",
              x.sizes());
  EMBER_CHECK(p.kernel[0] > 0 && p.kernel[1] > 0, op,
              "kernel_size must be greater than zero, but got ",
              IntArrayRef(p.kernel, 2));
  EMBER_CHECK(p.stride[0] > 0 && p.stride[1] > 0, op,
              "stride must be greater than zero, but got ",
              IntArrayRef(p.stride, 2));
  EMBER_CHECK(p.dilation[0] > 0 && p.dilation[1] > 0, op,
              "dilation must be greater than zero, but got ",
              IntArrayRef(p.dilation, 2));
  EMBER_CHECK(
      p.padding[0] >= 0 && p.padding[1] >= 0 &&
          p.padding[0] <= p.kernel[0] / 2 && p.padding[1] <= p.kernel[1] / 2,
      op, "pad should be at most half of kernel size, but got pad=",
      IntArrayRef(p.padding, 2), " and kernel_size=", IntArrayRef(p.kernel, 2));
  const int64_t H = x.size(nd - 2), W = x.size(nd - 1);
  const int64_t OH = kernels::cpu::pool_output_size(
      H, p.kernel[0], p.padding[0], p.stride[0], p.dilation[0], ceil_mode);
  const int64_t OW = kernels::cpu::pool_output_size(
      W, p.kernel[1], p.padding[1], p.stride[1], p.dilation[1], ceil_mode);
  const int64_t C = x.size(nd - 3);
  EMBER_CHECK(OH >= 1 && OW >= 1, op, "Given input size: (", C, "x", H, "x", W,
              "). Calculated output size: (", C, "x", OH, "x", OW,
              "). Output size is too small");
  DimVector shape(x.sizes().begin(), x.sizes().end() - 2);
  shape.insert(shape.end(), {OH, OW});
  return shape;
}

kernels::cpu::Pool2dParams pool_params(const OpCall &call, bool with_dilation) {
  kernels::cpu::Pool2dParams p;
  const Ints k = pair_attr(call, "kernel_size"), s = pair_attr(call, "stride"),
             pad = pair_attr(call, "padding");
  const Ints d = with_dilation ? pair_attr(call, "dilation") : Ints{1, 1};
  for (int i = 0; i < 2; ++i) {
    p.kernel[i] = k[i];
    p.stride[i] = s[i];
    p.padding[i] = pad[i];
    p.dilation[i] = d[i];
  }
  return p;
}

} // namespace

TensorList max_pool2d(const OpCall &call) {
  const Tensor &x = call.inputs[0];
  EMBER_CHECK(is_floating_point(x.dtype()) && has_kernels(x.dtype()),
              call.name(), "expected a float32 or float64 input, but got ",
              describe(x));
  kernels::cpu::Pool2dParams p = pool_params(call, true);
  DimVector shape = pool_shape(call, x, p, call.attrs.get<bool>("ceil_mode"));
  Tensor out = make_output(shape, x.dtype(), x.device());
  kernels::max_pool2d(I(out), I(contiguous_copy(x)), p);
  return out1(out);
}

TensorList avg_pool2d(const OpCall &call) {
  const Tensor &x = call.inputs[0];
  EMBER_CHECK((is_floating_point(x.dtype()) && has_kernels(x.dtype())) ||
                  x.dtype() == kInt64,
              call.name(),
              "expected a float32, float64 or int64 input, but got ",
              describe(x));
  kernels::cpu::Pool2dParams p = pool_params(call, false);
  p.count_include_pad = call.attrs.get<bool>("count_include_pad");
  DimVector shape = pool_shape(call, x, p, call.attrs.get<bool>("ceil_mode"));
  Tensor out = make_output(shape, x.dtype(), x.device());
  kernels::avg_pool2d(I(out), I(contiguous_copy(x)), p);
  return out1(out);
}

} // namespace impl

Tensor conv2d(const Tensor &input, const Tensor &weight, const Tensor &bias,
              IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation,
              int64_t groups, Loc loc) {
  using impl::pair_param;
  Attrs attrs{{"stride", pair_param("conv2d", "stride", stride)},
              {"padding", pair_param("conv2d", "padding", padding)},
              {"dilation", pair_param("conv2d", "dilation", dilation)},
              {"groups", groups}};
  if (bias.defined())
    return dispatch1(OpId::conv2d, {input, weight, bias}, attrs, loc);
  return dispatch1(OpId::conv2d, {input, weight}, attrs, loc);
}

Tensor max_pool2d(const Tensor &input, IntArrayRef kernel_size,
                  IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation,
                  bool ceil_mode, Loc loc) {
  using impl::pair_param;
  impl::Ints k = pair_param("max_pool2d", "kernel_size", kernel_size);
  impl::Ints s =
      stride.empty() ? k : pair_param("max_pool2d", "stride", stride);
  return dispatch1(
      OpId::max_pool2d, {input},
      {{"kernel_size", k},
       {"stride", s},
       {"padding", pair_param("max_pool2d", "padding", padding)},
       {"dilation", pair_param("max_pool2d", "dilation", dilation)},
       {"ceil_mode", ceil_mode}},
      loc);
}

Tensor avg_pool2d(const Tensor &input, IntArrayRef kernel_size,
                  IntArrayRef stride, IntArrayRef padding, bool ceil_mode,
                  bool count_include_pad, Loc loc) {
  using impl::pair_param;
  impl::Ints k = pair_param("avg_pool2d", "kernel_size", kernel_size);
  impl::Ints s =
      stride.empty() ? k : pair_param("avg_pool2d", "stride", stride);
  return dispatch1(OpId::avg_pool2d, {input},
                   {{"kernel_size", k},
                    {"stride", s},
                    {"padding", pair_param("avg_pool2d", "padding", padding)},
                    {"ceil_mode", ceil_mode},
                    {"count_include_pad", count_include_pad}},
                   loc);
}

} // namespace ember

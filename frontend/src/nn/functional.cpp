// nn::functional, linear/convolution/pooling part: each is composed from
// ember ops (conv1d is conv2d on an input with a unit height; "same" padding
// pads the larger side on both ends and narrows the extra output away;
// adaptive average pooling is avg_pool2d when the sizes divide, else a mean
// per window along each axis), so autograd goes through them.
#include "ember/nn/functional.h"

#include "ember/factory.h"
#include "ember/ops.h"

#include <string>
#include <vector>

namespace ember::nn::functional {

namespace {

std::string mat_str(int64_t rows, int64_t cols) {
  return std::to_string(rows) + "x" + std::to_string(cols);
}

// Total padding of "same" along one dim, split as PyTorch does: the extra
// element of an odd total goes to the right/bottom.
struct SamePad {
  int64_t left, right;
};
SamePad same_pad(int64_t kernel, int64_t dilation) {
  const int64_t total = dilation * (kernel - 1);
  return {total / 2, total - total / 2};
}

void check_groups(const char *op, const Tensor &input, const Tensor &weight,
                  int64_t groups, int64_t channel_dim) {
  EMBER_CHECK(groups > 0, op, "non-positive groups is not supported (got ",
              "groups=", groups, ")");
  const int64_t want = weight.size(1) * groups;
  EMBER_CHECK(input.size(channel_dim) == want, op, "Given groups=", groups,
              ", weight of size ", weight.sizes(), ", expected input",
              input.sizes(), " to have ", want, " channels, but got ",
              input.size(channel_dim), " channels instead");
}

} // namespace

Tensor linear(const Tensor &input, const Tensor &weight, const Tensor &bias) {
  const char *op = "nn::functional::linear";
  EMBER_CHECK(input.defined() && weight.defined(), op,
              "expected defined input and weight");
  EMBER_CHECK(weight.dim() == 2, op,
              "expected a 2-D weight [out_features, in_features], but got "
              "weight of size ",
              weight.sizes());
  EMBER_CHECK(input.dim() >= 1, op,
              "expected an input with at least 1 dim, but got a 0-dim tensor");
  const int64_t in = input.size(-1);
  if (in != weight.size(1)) {
    const int64_t rows = input.dim() == 1 ? 1 : input.numel() / in;
    EMBER_FAIL(op, "mat1 and mat2 shapes cannot be multiplied (",
               mat_str(rows, in), " and ",
               mat_str(weight.size(1), weight.size(0)), ")");
  }
  Tensor out = matmul(input, weight.t());
  return bias.defined() ? out + bias : out;
}

Tensor conv1d(const Tensor &input, const Tensor &weight, const Tensor &bias,
              ExpandingArray<1> stride, ConvPadding<1> padding,
              ExpandingArray<1> dilation, int64_t groups) {
  const char *op = "nn::functional::conv1d";
  EMBER_CHECK(input.dim() == 2 || input.dim() == 3, op,
              "Expected 2D (unbatched) or 3D (batched) input to conv1d, but "
              "got input of size: ",
              input.sizes());
  EMBER_CHECK(weight.dim() == 3, op,
              "expected a 3-D weight [C_out, C_in/groups, kernel_size], but "
              "got weight of size: ",
              weight.sizes());
  check_groups(op, input, weight, groups, input.dim() - 2);
  // (.., C, L) -> (.., C, 1, L) and the weight likewise.
  Tensor x = input.unsqueeze(-2), w = weight.unsqueeze(-2);
  ConvPadding<2> pad2 = padding.mode().empty()
                            ? ConvPadding<2>({0, padding.sizes()[0]})
                            : ConvPadding<2>(padding.mode());
  Tensor y = conv2d(x, w, bias, {1, stride[0]}, pad2, {1, dilation[0]}, groups);
  return y.squeeze(-2);
}

Tensor conv2d(const Tensor &input, const Tensor &weight, const Tensor &bias,
              ExpandingArray<2> stride, ConvPadding<2> padding,
              ExpandingArray<2> dilation, int64_t groups) {
  const char *op = "nn::functional::conv2d";
  if (padding.mode().empty())
    return ember::conv2d(input, weight, bias, stride.ref(),
                         padding.sizes().ref(), dilation.ref(), groups);
  if (padding.mode() == "valid")
    return ember::conv2d(input, weight, bias, stride.ref(), {0, 0},
                         dilation.ref(), groups);
  EMBER_CHECK(stride.all_equal(1), op,
              "padding='same' is not supported for strided convolutions");
  EMBER_CHECK(weight.dim() == 4, op,
              "expected a 4-D weight [C_out, C_in/groups, kH, kW], but got "
              "weight of size: ",
              weight.sizes());
  SamePad ph = same_pad(weight.size(2), dilation[0]),
          pw = same_pad(weight.size(3), dilation[1]);
  Tensor y = ember::conv2d(input, weight, bias, stride.ref(),
                           {ph.right, pw.right}, dilation.ref(), groups);
  const int64_t nd = y.dim();
  if (ph.right != ph.left)
    y = y.narrow(nd - 2, ph.right - ph.left, input.size(-2));
  if (pw.right != pw.left)
    y = y.narrow(nd - 1, pw.right - pw.left, input.size(-1));
  return y;
}

Tensor max_pool2d(const Tensor &input, ExpandingArray<2> kernel_size,
                  std::optional<ExpandingArray<2>> stride,
                  ExpandingArray<2> padding, ExpandingArray<2> dilation,
                  bool ceil_mode) {
  const ExpandingArray<2> s = stride.value_or(kernel_size);
  return ember::max_pool2d(input, kernel_size.ref(), s.ref(), padding.ref(),
                           dilation.ref(), ceil_mode);
}

Tensor avg_pool2d(const Tensor &input, ExpandingArray<2> kernel_size,
                  std::optional<ExpandingArray<2>> stride,
                  ExpandingArray<2> padding, bool ceil_mode,
                  bool count_include_pad) {
  const ExpandingArray<2> s = stride.value_or(kernel_size);
  return ember::avg_pool2d(input, kernel_size.ref(), s.ref(), padding.ref(),
                           ceil_mode, count_include_pad);
}

namespace {
// Mean over each adaptive window of dim `d` (sizes in -> out), concatenated.
Tensor adaptive_mean(const Tensor &x, int64_t d, int64_t out) {
  const int64_t in = x.size(d);
  TensorList parts;
  parts.reserve(static_cast<size_t>(out));
  for (int64_t i = 0; i < out; ++i) {
    const int64_t start = (i * in) / out;
    const int64_t end = ((i + 1) * in + out - 1) / out;
    parts.push_back(x.narrow(d, start, end - start).mean({d}, true));
  }
  return cat(parts, d);
}
} // namespace

Tensor adaptive_avg_pool2d(const Tensor &input,
                           ExpandingArrayWithOptional<2> output_size) {
  const char *op = "nn::functional::adaptive_avg_pool2d";
  EMBER_CHECK(input.dim() == 3 || input.dim() == 4, op,
              "Expected 3D or 4D tensor, but got ", input.sizes());
  const int64_t nd = input.dim();
  for (int64_t d = 1; d < nd; ++d)
    EMBER_CHECK(input.size(d) > 0, op,
                "Expected input to have non-zero size for non-batch "
                "dimensions, but input has sizes ",
                input.sizes(), " with dimension ", d, " being empty");
  EMBER_CHECK(input.is_floating_point(), op,
              "expected a floating point input, but got ", input.dtype());
  int64_t out[2];
  for (int i = 0; i < 2; ++i) {
    out[i] = output_size[i].value_or(input.size(nd - 2 + i));
    EMBER_CHECK(out[i] >= 0, op,
                "output_size must be non-negative, but got output_size=",
                output_size.str());
  }
  const int64_t H = input.size(nd - 2), W = input.size(nd - 1);
  if (out[0] == 0 || out[1] == 0) {
    DimVector shape(input.sizes().begin(), input.sizes().end() - 2);
    shape.insert(shape.end(), {out[0], out[1]});
    return zeros(shape, input.options());
  }
  if (H % out[0] == 0 && out[1] > 0 && H % out[0] == 0 && W % out[1] == 0)
    return ember::avg_pool2d(input, {H / out[0], W / out[1]},
                             {H / out[0], W / out[1]});
  return adaptive_mean(adaptive_mean(input, nd - 2, out[0]), nd - 1, out[1]);
}

Tensor flatten(const Tensor &input, int64_t start_dim, int64_t end_dim) {
  return input.flatten(start_dim, end_dim);
}

} // namespace ember::nn::functional

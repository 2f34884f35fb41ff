// softmax and log_softmax along one dim, and their public entry points. The
// kernel subtracts each row's maximum before exponentiating, so large inputs
// do not overflow (a row holding +inf or NaN gives NaN, as in PyTorch).
#include "common.h"
#include "ember/ops.h"
#include "ember/runtime/kernels/kernels.h"

namespace ember {
namespace impl {

namespace {
TensorList softmax_op(const OpCall &call, bool log) {
  const Tensor &x = call.inputs[0];
  EMBER_CHECK(x.is_floating_point(), call.name(),
              "expected a floating point input, got ", describe(x),
              " (not implemented for ", x.dtype(), ")");
  const int64_t dim =
      wrap_dim(call.name(), call.attrs.get<int64_t>("dim"), x.dim());
  Tensor in = x.contiguous();
  Tensor out = make_output(x.sizes(), x.dtype(), x.device());
  kernels::softmax(I(out), I(in), dim, log);
  return out1(out);
}
} // namespace

TensorList softmax(const OpCall &call) { return softmax_op(call, false); }
TensorList log_softmax(const OpCall &call) { return softmax_op(call, true); }

} // namespace impl

Tensor softmax(const Tensor &x, int64_t dim, Loc loc) {
  return dispatch1(OpId::softmax, {x}, {{"dim", dim}}, loc);
}
Tensor log_softmax(const Tensor &x, int64_t dim, Loc loc) {
  return dispatch1(OpId::log_softmax, {x}, {{"dim", dim}}, loc);
}

} // namespace ember

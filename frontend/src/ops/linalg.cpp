// Matrix products: mm, bmm, matmul (torch.matmul semantics) and their public
// entry points. All three end in kernels::matmul (CPU: OpenBLAS, CUDA:
// cuBLAS), which takes strided
// and broadcast (0-stride) operands as they are, so transposed inputs and
// broadcast batch dims are never copied here.
#include "common.h"
#include "ember/ops.h"
#include "ember/runtime/kernels/kernels.h"

#include <sstream>

namespace ember {
namespace impl {

namespace {

// "2x3" (PyTorch's way of naming a matrix in these messages).
std::string mat_str(IntArrayRef s) {
  std::ostringstream os;
  for (size_t i = 0; i < s.size(); ++i)
    os << (i ? "x" : "") << s[i];
  return os.str();
}

void check_operands(const OpCall &call, const Tensor &a, const Tensor &b) {
  common_device(call);
  EMBER_CHECK(a.dtype() == b.dtype(), call.name(),
              "expected m1 and m2 to have the same dtype, but got: ", a.dtype(),
              " != ", b.dtype());
  EMBER_CHECK(a.dtype() != kBool, call.name(),
              "not implemented for bool tensors (got ", describe(a), " and ",
              describe(b), ")");
  EMBER_CHECK(has_kernels(a.dtype()), call.name(), "no CPU kernel for dtype ",
              a.dtype());
}

// Runs the kernel into a fresh tensor of `shape` (whose contiguous layout is
// the kernel's [batch..., M, N]).
Tensor run_matmul(const Tensor &a, const Tensor &b, IntArrayRef kernel_shape,
                  IntArrayRef shape) {
  Tensor out = make_output(shape, a.dtype(), a.device());
  Tensor kout =
      make_view(out, kernel_shape.vec(), contiguous_strides(kernel_shape), 0);
  kernels::matmul(I(kout), I(a), I(b));
  return out;
}

} // namespace

TensorList mm(const OpCall &call) {
  const Tensor &a = call.inputs[0], &b = call.inputs[1];
  EMBER_CHECK(a.dim() == 2 && b.dim() == 2, call.name(),
              "expected 2-D tensors, but got ", a.dim(), "-D and ", b.dim(),
              "-D (shapes ", a.sizes(), " and ", b.sizes(), ")");
  check_operands(call, a, b);
  EMBER_CHECK(a.size(1) == b.size(0), call.name(),
              "mat1 and mat2 shapes cannot be multiplied (", mat_str(a.sizes()),
              " and ", mat_str(b.sizes()), ")");
  DimVector shape{a.size(0), b.size(1)};
  return out1(run_matmul(a, b, shape, shape));
}

TensorList bmm(const OpCall &call) {
  const Tensor &a = call.inputs[0], &b = call.inputs[1];
  EMBER_CHECK(a.dim() == 3 && b.dim() == 3, call.name(),
              "expected 3-D tensors, but got ", a.dim(), "-D and ", b.dim(),
              "-D (shapes ", a.sizes(), " and ", b.sizes(), ")");
  check_operands(call, a, b);
  EMBER_CHECK(a.size(0) == b.size(0) && a.size(2) == b.size(1), call.name(),
              "batch1 and batch2 shapes cannot be multiplied (", a.sizes(),
              " and ", b.sizes(), "): expected batch2 to have size [",
              a.size(0), ", ", a.size(2), ", *]");
  DimVector shape{a.size(0), a.size(1), b.size(2)};
  return out1(run_matmul(a, b, shape, shape));
}

// torch.matmul: 1-D operands become a row (left) or a column (right) that is
// dropped from the result; leading dims are batch dims and broadcast.
TensorList matmul(const OpCall &call) {
  const Tensor &a = call.inputs[0], &b = call.inputs[1];
  const int64_t da = a.dim(), db = b.dim();
  EMBER_CHECK(da >= 1 && db >= 1, call.name(),
              "both arguments to matmul need to be at least 1-D, but they are ",
              da, "-D and ", db, "-D");
  check_operands(call, a, b);
  const int64_t K = a.size(da - 1);
  const int64_t Kb = db == 1 ? b.size(0) : b.size(db - 2);
  if (da <= 2 && db <= 2)
    EMBER_CHECK(K == Kb, call.name(),
                "mat1 and mat2 shapes cannot be multiplied (",
                da == 1 ? "1x" : "", mat_str(a.sizes()), " and ",
                mat_str(b.sizes()), db == 1 ? "x1" : "", ")");
  else
    EMBER_CHECK(K == Kb, call.name(), "shapes ", a.sizes(), " and ", b.sizes(),
                " cannot be multiplied (", K, " columns vs ", Kb, " rows)");
  // Matrix views: [..., M, K] and [..., K, N].
  Tensor a2 = da == 1 ? make_view(a, {1, K}, {K * a.stride(0), a.stride(0)},
                                  a.storage_offset())
                      : a;
  Tensor b2 =
      db == 1 ? make_view(b, {K, 1}, {b.stride(0), 1}, b.storage_offset()) : b;
  const int64_t M = a2.size(a2.dim() - 2), N = b2.size(b2.dim() - 1);
  IntArrayRef ba(a.sizes().data(),
                 static_cast<size_t>(std::max<int64_t>(da - 2, 0)));
  IntArrayRef bb(b.sizes().data(),
                 static_cast<size_t>(std::max<int64_t>(db - 2, 0)));
  const size_t nb = std::max(ba.size(), bb.size());
  for (size_t i = 0; i < nb; ++i) {
    int64_t x = i < nb - ba.size() ? 1 : ba[i - (nb - ba.size())];
    int64_t y = i < nb - bb.size() ? 1 : bb[i - (nb - bb.size())];
    EMBER_CHECK(x == y || x == 1 || y == 1, call.name(), "batch dimensions ",
                ba, " and ", bb, " of shapes ", a.sizes(), " and ", b.sizes(),
                " are not broadcastable (", x, " vs ", y, ")");
  }
  DimVector batch = broadcast_shapes(call.name(), ba, bb);
  DimVector kshape = batch, shape = batch;
  kshape.insert(kshape.end(), {M, N});
  if (da > 1)
    shape.push_back(M);
  if (db > 1)
    shape.push_back(N);
  DimVector ashape = batch, bshape = batch;
  ashape.insert(ashape.end(), {M, K});
  bshape.insert(bshape.end(), {K, N});
  return out1(run_matmul(expand_view(a2, ashape), expand_view(b2, bshape),
                         kshape, shape));
}

} // namespace impl

Tensor mm(const Tensor &a, const Tensor &b, Loc loc) {
  return dispatch1(OpId::mm, {a, b}, {}, loc);
}
Tensor bmm(const Tensor &a, const Tensor &b, Loc loc) {
  return dispatch1(OpId::bmm, {a, b}, {}, loc);
}
Tensor matmul(const Tensor &a, const Tensor &b, Loc loc) {
  return dispatch1(OpId::matmul, {a, b}, {}, loc);
}

} // namespace ember

// Matrix products on the CPU: float32/float64 through OpenBLAS
// (cblas_sgemm/cblas_dgemm), int32/int64/uint8 through a plain loop that
// wraps on overflow like PyTorch. The frontend has checked shapes and dtypes.
#pragma once

#include "ember/runtime/tensor_impl.h"

namespace ember::kernels::cpu {

/// out[..., M, N] = a[..., M, K] @ b[..., K, N].
///
/// `a` and `b` have the same leading (batch) sizes as `out` and any strides,
/// including 0 strides from broadcasting: a matrix whose rows or columns are
/// unit-stride goes to BLAS as it is (transposed via CblasTrans and the
/// leading dimension when that fits); only a matrix with no unit stride in
/// either dimension is copied. `out` is contiguous and must not overlap the
/// inputs. When `b` is the same matrix for every batch (0 batch strides) and
/// `a`'s batch folds into its rows, one GEMM does the whole batch. Otherwise
/// batches run one after another, each GEMM split over ember's pool
/// (never from inside a parallel_for region of ember's pool).
void matmul(const TensorImpl &out, const TensorImpl &a, const TensorImpl &b);

} // namespace ember::kernels::cpu

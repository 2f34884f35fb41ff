// Internal to runtime/src/cuda: how a row-major, strided, batched matrix
// product out[..., M, N] = a[..., M, K] @ b[..., K, N] becomes cuBLAS calls.
// Pure functions without CUDA types, so the host tests check them (with a
// column-major reference GEMM that takes exactly these parameters) against
// the CPU kernel.
//
// cuBLAS is column-major. A row-major matrix X with leading dimension ld is
// the column-major X^T with the same ld, so the row-major C = A @ B is the
// column-major C^T = B^T @ A^T: cuBLAS's first operand is b, its second a,
// m = N, n = M, k = K, ldc = N (out is contiguous). A row-major (rows x
// cols) operand with strides (rs, cs) is read as it is (CUBLAS_OP_N,
// ld = rs) when its columns are unit-stride, or as a transpose
// (CUBLAS_OP_T, ld = cs) when its rows are; a size-1 dimension's stride is
// irrelevant. Anything else (a view stepping 2 in both dims, a 0 row
// stride) is packed contiguous first.
#pragma once

#include <algorithm>
#include <climits>
#include <cstdint>
#include <optional>
#include <vector>

namespace ember::cuda::detail {

struct MatLayout {
  bool trans; ///< CUBLAS_OP_T (else CUBLAS_OP_N)
  int64_t ld;
};

/// How cuBLAS reads a row-major (rows x cols) matrix with element strides
/// (rs, cs) without a copy, if it can (as the CPU's blas_view).
inline std::optional<MatLayout> gemm_layout(int64_t rows, int64_t cols,
                                            int64_t rs, int64_t cs) {
  if ((cs == 1 || cols == 1) &&
      (rows == 1 || rs >= std::max<int64_t>(1, cols))) {
    MatLayout l{false, rows == 1 ? std::max<int64_t>(1, cols) : rs};
    if (l.ld <= INT_MAX)
      return l;
  }
  if ((rs == 1 || rows == 1) &&
      (cols == 1 || cs >= std::max<int64_t>(1, rows))) {
    MatLayout l{true, cols == 1 ? std::max<int64_t>(1, rows) : cs};
    if (l.ld <= INT_MAX)
      return l;
  }
  return std::nullopt;
}

/// The parameters of one cublas<t>gemm (or its strided-batched form) in
/// cuBLAS's order: C(m x n) = op(A) @ op(B), A = b's data, B = a's data.
struct CublasGemm {
  bool transa, transb;
  int64_t m, n, k, lda, ldb, ldc;
};

/// The cuBLAS call for a row-major C[M, N] (leading dimension ldc) =
/// A[M, K] @ B[K, N] with A and B read through `la` and `lb`.
inline CublasGemm cublas_gemm_for(int64_t M, int64_t N, int64_t K,
                                  const MatLayout &la, const MatLayout &lb,
                                  int64_t ldc) {
  return {lb.trans, la.trans, N, M, K, lb.ld, la.ld, ldc};
}

/// A batched product as cuBLAS calls: `outer` offsets (into a, b, out) for
/// one strided-batched call each, of `count` GEMMs stepping `sa`, `sb`,
/// `sc` elements. Batch dims of size 1 are dropped and adjacent dims merge
/// when both operands step through them as one dim; the innermost merged
/// dim is the strided batch, the others are looped over.
struct BatchPlan {
  int64_t count = 1, sa = 0, sb = 0, sc = 0;
  std::vector<int64_t> outer_a, outer_b, outer_c;
};

/// `sizes`: out's batch sizes; `stra`/`strb`: a's and b's strides of those
/// dims (0 where broadcast); `mat`: M*N (out is contiguous).
inline BatchPlan plan_batches(const std::vector<int64_t> &sizes,
                              const std::vector<int64_t> &stra,
                              const std::vector<int64_t> &strb, int64_t mat) {
  // Out's contiguous batch strides.
  const size_t nb = sizes.size();
  std::vector<int64_t> strc(nb);
  int64_t acc = mat;
  for (size_t d = nb; d-- > 0;) {
    strc[d] = acc;
    acc *= sizes[d];
  }
  // Collapse, innermost first: (size, sa, sb, sc) per merged dim.
  struct Dim {
    int64_t size, sa, sb, sc;
  };
  std::vector<Dim> dims; // innermost first
  for (size_t d = nb; d-- > 0;) {
    if (sizes[d] == 1)
      continue;
    if (!dims.empty()) {
      Dim &in = dims.back();
      if (stra[d] == in.sa * in.size && strb[d] == in.sb * in.size &&
          strc[d] == in.sc * in.size) {
        in.size *= sizes[d];
        continue;
      }
    }
    dims.push_back({sizes[d], stra[d], strb[d], strc[d]});
  }
  BatchPlan p;
  if (!dims.empty()) {
    p.count = dims[0].size;
    p.sa = dims[0].sa;
    p.sb = dims[0].sb;
    p.sc = dims[0].sc;
  }
  // Offsets of every index of the outer dims, row-major.
  p.outer_a = {0};
  p.outer_b = {0};
  p.outer_c = {0};
  for (size_t i = dims.size(); i-- > 1;) {
    const Dim &d = dims[i];
    std::vector<int64_t> na, nb2, nc;
    for (size_t j = 0; j < p.outer_a.size(); ++j)
      for (int64_t x = 0; x < d.size; ++x) {
        na.push_back(p.outer_a[j] + x * d.sa);
        nb2.push_back(p.outer_b[j] + x * d.sb);
        nc.push_back(p.outer_c[j] + x * d.sc);
      }
    p.outer_a = std::move(na);
    p.outer_b = std::move(nb2);
    p.outer_c = std::move(nc);
  }
  return p;
}

} // namespace ember::cuda::detail

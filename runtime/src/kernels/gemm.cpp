// Batched matrix products (see gemm.h).
//
// Every operand matrix is described by (rows, cols, row stride, col stride)
// in elements. BLAS takes a row-major matrix either as it is (NoTrans: unit
// column stride, leading dimension = row stride) or as the transpose of a
// row-major matrix (Trans: unit row stride, leading dimension = column
// stride); a size-1 dimension makes its stride irrelevant. A matrix that fits
// neither (say a view stepping 2 elements in both dimensions, or an expanded
// one with a 0 row stride) is copied into a contiguous buffer first.
#include "ember/runtime/kernels/gemm.h"
#include "blas.h"
#include "ember/runtime/error.h"
#include "ember/runtime/parallel.h"

#include <cblas.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <type_traits>
#include <vector>

namespace ember::kernels::cpu {

namespace {

constexpr const char *kOp = "matmul";

struct Mat {
  int64_t rows, cols, rs, cs;
};

struct BlasView {
  CBLAS_TRANSPOSE trans;
  int64_t ld;
};

// How BLAS can read `m` without a copy, if it can.
bool blas_view(const Mat &m, BlasView &v) {
  const int64_t max_ld = INT_MAX;
  if ((m.cs == 1 || m.cols == 1) &&
      (m.rows == 1 || m.rs >= std::max<int64_t>(1, m.cols))) {
    v = {CblasNoTrans, m.rows == 1 ? std::max<int64_t>(1, m.cols) : m.rs};
    return v.ld <= max_ld;
  }
  if ((m.rs == 1 || m.rows == 1) &&
      (m.cols == 1 || m.cs >= std::max<int64_t>(1, m.rows))) {
    v = {CblasTrans, m.cols == 1 ? std::max<int64_t>(1, m.rows) : m.cs};
    return v.ld <= max_ld;
  }
  return false;
}

// A matrix operand for one GEMM: either the caller's memory read through a
// BlasView, or a contiguous copy of it.
template <typename T> class Operand {
public:
  explicit Operand(const Mat &m) : m_(m) { direct_ = blas_view(m, view_); }

  // Pointer and view for the matrix starting at `p`.
  const T *get(const T *p, BlasView &v) {
    if (direct_) {
      v = view_;
      return p;
    }
    v = {CblasNoTrans, std::max<int64_t>(1, m_.cols)};
    if (p != copied_from_ || buf_.empty()) { // batches may share a matrix
      buf_.resize(static_cast<size_t>(m_.rows * m_.cols));
      for (int64_t i = 0; i < m_.rows; ++i)
        for (int64_t j = 0; j < m_.cols; ++j)
          buf_[i * m_.cols + j] = p[i * m_.rs + j * m_.cs];
      copied_from_ = p;
    }
    return buf_.data();
  }

private:
  Mat m_;
  BlasView view_{};
  bool direct_ = false;
  std::vector<T> buf_;
  const T *copied_from_ = nullptr;
};

template <typename T>
void blas_gemm(const BlasView &va, const BlasView &vb, int64_t M, int64_t N,
               int64_t K, const T *a, const T *b, T *c) {
  blas::gemm(va.trans == CblasTrans, vb.trans == CblasTrans, M, N, K, T(1), a,
             va.ld, b, vb.ld, T(0), c, std::max<int64_t>(1, N));
}

// Walks the batch index space of `out`, giving each batch's element offsets
// into a and b.
struct BatchWalker {
  int64_t nb = 0;
  const int64_t *sizes, *sa, *sb;
  std::vector<int64_t> idx;
  int64_t oa = 0, ob = 0;
  BatchWalker(const TensorImpl &out, const TensorImpl &a, const TensorImpl &b)
      : nb(out.dim() - 2), sizes(out.sizes().data()), sa(a.strides().data()),
        sb(b.strides().data()),
        idx(static_cast<size_t>(std::max<int64_t>(nb, 0))) {}
  // Positions the walker at linear batch index `i`.
  void seek(int64_t i) {
    oa = ob = 0;
    for (int64_t d = nb - 1; d >= 0; --d) {
      idx[d] = i % sizes[d];
      i /= sizes[d];
      oa += idx[d] * sa[d];
      ob += idx[d] * sb[d];
    }
  }
  void next() {
    for (int64_t d = nb - 1; d >= 0; --d) {
      oa += sa[d];
      ob += sb[d];
      if (++idx[d] < sizes[d])
        return;
      oa -= idx[d] * sa[d];
      ob -= idx[d] * sb[d];
      idx[d] = 0;
    }
  }
};

// When b is one matrix for the whole batch and a's batch dims fold into its
// rows (a row-major stack of matrices), returns a as one (B*M, K) matrix.
bool fold_batch(const TensorImpl &a, const TensorImpl &b, int64_t nb,
                Mat &out) {
  if (nb == 0)
    return false;
  for (int64_t d = 0; d < nb; ++d)
    if (b.size(d) != 1 && b.stride(d) != 0)
      return false;
  // Dims 0..nb (batch dims and M) of a must collapse into one strided dim.
  int64_t rows = 1, inner_stride = -1, expect = -1;
  for (int64_t d = nb; d >= 0; --d) {
    if (a.size(d) == 1)
      continue;
    if (inner_stride < 0)
      inner_stride = a.stride(d);
    else if (a.stride(d) != expect)
      return false;
    rows *= a.size(d);
    expect = a.stride(d) * a.size(d);
  }
  const int64_t K = a.size(nb + 1);
  out = {rows, K, inner_stride < 0 ? K : inner_stride, a.stride(nb + 1)};
  BlasView v;
  return blas_view(out, v) && v.trans == CblasNoTrans;
}

template <typename T>
void float_matmul(const TensorImpl &out, const TensorImpl &a,
                  const TensorImpl &b) {
  const int64_t nd = out.dim(), nb = nd - 2;
  const int64_t M = out.size(nd - 2), N = out.size(nd - 1), K = a.size(nd - 1);
  EMBER_CHECK(M <= INT_MAX && N <= INT_MAX && K <= INT_MAX, kOp,
              "matrix dimensions too large for BLAS (", M, ", ", N, ", ", K,
              ")");
  const T *pa = a.data_as<T>(), *pb = b.data_as<T>();
  T *pc = out.data_as<T>();
  const Mat mb{K, N, b.stride(nd - 2), b.stride(nd - 1)};

  Mat folded;
  if (fold_batch(a, b, nb, folded) && folded.rows <= INT_MAX) {
    Operand<T> oa(folded), ob(mb);
    BlasView va, vb;
    const T *xa = oa.get(pa, va), *xb = ob.get(pb, vb);
    blas_gemm(va, vb, folded.rows, N, K, xa, xb, pc);
    return;
  }
  Operand<T> oa(Mat{M, K, a.stride(nd - 2), a.stride(nd - 1)}), ob(mb);
  const int64_t batches =
      product(IntArrayRef(out.sizes().data(), static_cast<size_t>(nb)));
  BatchWalker w(out, a, b);
  w.seek(0);
  for (int64_t i = 0; i < batches; ++i, w.next()) {
    BlasView va, vb;
    const T *xa = oa.get(pa + w.oa, va), *xb = ob.get(pb + w.ob, vb);
    blas_gemm(va, vb, M, N, K, xa, xb, pc + i * M * N);
  }
}

// Integer products wrap on overflow, as PyTorch's do; the arithmetic runs in
// the unsigned type of the same width so that wrapping is defined.
template <typename T>
void int_matmul(const TensorImpl &out, const TensorImpl &a,
                const TensorImpl &b) {
  using U = std::make_unsigned_t<T>;
  const int64_t nd = out.dim();
  const int64_t M = out.size(nd - 2), N = out.size(nd - 1), K = a.size(nd - 1);
  const int64_t ars = a.stride(nd - 2), acs = a.stride(nd - 1);
  const int64_t brs = b.stride(nd - 2), bcs = b.stride(nd - 1);
  const T *pa = a.data_as<T>(), *pb = b.data_as<T>();
  T *pc = out.data_as<T>();
  const int64_t rows = out.numel() / std::max<int64_t>(1, N);
  const int64_t grain =
      std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, N * K));
  parallel_for(0, rows, grain, [&](int64_t begin, int64_t end) {
    BatchWalker w(out, a, b);
    std::vector<U> acc(static_cast<size_t>(N));
    for (int64_t r = begin; r < end; ++r) {
      const int64_t batch = r / M, i = r % M;
      w.seek(batch);
      const T *ar = pa + w.oa + i * ars;
      const T *bm = pb + w.ob;
      std::fill(acc.begin(), acc.end(), U(0));
      for (int64_t k = 0; k < K; ++k) {
        const U av = static_cast<U>(ar[k * acs]);
        const T *br = bm + k * brs;
        if (bcs == 1) {
          for (int64_t j = 0; j < N; ++j)
            acc[j] = static_cast<U>(acc[j] +
                                    static_cast<U>(av * static_cast<U>(br[j])));
        } else {
          for (int64_t j = 0; j < N; ++j)
            acc[j] = static_cast<U>(
                acc[j] + static_cast<U>(av * static_cast<U>(br[j * bcs])));
        }
      }
      T *cr = pc + r * N;
      for (int64_t j = 0; j < N; ++j)
        cr[j] = static_cast<T>(acc[j]);
    }
  });
}

} // namespace

void matmul(const TensorImpl &out, const TensorImpl &a, const TensorImpl &b) {
  const int64_t nd = out.dim();
  EMBER_CHECK(nd >= 2 && a.dim() == nd && b.dim() == nd, kOp,
              "internal error: operands must have the output's rank");
  EMBER_CHECK(out.is_contiguous(), kOp,
              "internal error: output must be contiguous");
  EMBER_CHECK(a.dtype() == out.dtype() && b.dtype() == out.dtype(), kOp,
              "internal error: operands must have the output's dtype");
  if (out.numel() == 0)
    return;
  if (a.size(nd - 1) == 0) { // empty contraction: zeros
    std::memset(out.data(), 0,
                static_cast<size_t>(out.numel()) * out.itemsize());
    return;
  }
  switch (out.dtype()) {
  case DType::Float32:
    return float_matmul<float>(out, a, b);
  case DType::Float64:
    return float_matmul<double>(out, a, b);
  case DType::Int32:
    return int_matmul<int32_t>(out, a, b);
  case DType::Int64:
    return int_matmul<int64_t>(out, a, b);
  case DType::UInt8:
    return int_matmul<uint8_t>(out, a, b);
  default:
    EMBER_FAIL(kOp, "no kernel for dtype ", out.dtype());
  }
}

} // namespace ember::kernels::cpu

// The C entry points of compiled_abi.h: thin adapters from MLIR's memref
// descriptors to ember's pool and GEMM kernels (conv2d: im2col + one GEMM
// per image, as the eager forward, or per input channel for weight-gradient
// shapes, as the eager conv2d_backward_weight). A GEMM operand goes to BLAS
// as it is when one of its dims is unit-stride (row-major, or transposed via
// the trans flag); otherwise (a strided view with no unit stride, or a
// degenerate leading dimension BLAS rejects) it is copied to a contiguous
// scratch matrix first. A C that is not row-major is computed into scratch
// and copied back.
#include "ember/runtime/compiled_abi.h"

#include "ember/runtime/allocator.h"
#include "ember/runtime/parallel.h"

#include "kernels/blas.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace {

template <typename T> struct Matrix {
  const T *data;
  int64_t rows, cols, s0, s1;
};

// A BLAS view of m: (pointer, transposed, leading dimension), copying into
// `scratch` when no dim is unit-stride.
template <typename T>
const T *blasView(const Matrix<T> &m, std::vector<T> &scratch, bool &trans,
                  int64_t &ld) {
  if (m.s1 == 1 && m.s0 >= std::max<int64_t>(1, m.cols)) {
    trans = false;
    ld = m.s0;
    return m.data;
  }
  if (m.s0 == 1 && m.s1 >= std::max<int64_t>(1, m.rows)) {
    trans = true;
    ld = m.s1;
    return m.data;
  }
  scratch.resize(static_cast<size_t>(m.rows * m.cols));
  for (int64_t i = 0; i < m.rows; ++i)
    for (int64_t j = 0; j < m.cols; ++j)
      scratch[static_cast<size_t>(i * m.cols + j)] =
          m.data[i * m.s0 + j * m.s1];
  trans = false;
  ld = std::max<int64_t>(1, m.cols);
  return scratch.data();
}

template <typename T>
void matmul(const Matrix<T> &a, const Matrix<T> &b, T *c, int64_t cS0,
            int64_t cS1, bool accumulate) {
  int64_t M = a.rows, K = a.cols, N = b.cols;
  if (M == 0 || N == 0)
    return;
  T beta = accumulate ? T(1) : T(0);
  if (K == 0) { // BLAS would still scale C by beta; do it here.
    if (!accumulate)
      for (int64_t i = 0; i < M; ++i)
        for (int64_t j = 0; j < N; ++j)
          c[i * cS0 + j * cS1] = T(0);
    return;
  }
  std::vector<T> sa, sb, sc;
  bool ta, tb;
  int64_t lda, ldb;
  const T *pa = blasView(a, sa, ta, lda);
  const T *pb = blasView(b, sb, tb, ldb);
  if (cS1 == 1 && cS0 >= N) {
    ember::kernels::cpu::blas::gemm(ta, tb, M, N, K, T(1), pa, lda, pb, ldb,
                                    beta, c, cS0);
    return;
  }
  sc.assign(static_cast<size_t>(M * N), T(0));
  if (accumulate)
    for (int64_t i = 0; i < M; ++i)
      for (int64_t j = 0; j < N; ++j)
        sc[static_cast<size_t>(i * N + j)] = c[i * cS0 + j * cS1];
  ember::kernels::cpu::blas::gemm(ta, tb, M, N, K, T(1), pa, lda, pb, ldb, beta,
                                  sc.data(), N);
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j)
      c[i * cS0 + j * cS1] = sc[static_cast<size_t>(i * N + j)];
}

template <typename T>
void batchMatmul(const T *a, int64_t batch, int64_t m, int64_t k, int64_t aS0,
                 int64_t aS1, int64_t aS2, const T *b, int64_t n, int64_t bS0,
                 int64_t bS1, int64_t bS2, T *c, int64_t cS0, int64_t cS1,
                 int64_t cS2, bool accumulate) {
  for (int64_t i = 0; i < batch; ++i)
    matmul<T>({a + i * aS0, m, k, aS1, aS2}, {b + i * bS0, k, n, bS1, bS2},
              c + i * cS0, cS1, cS2, accumulate);
}

struct Conv {
  int64_t n, c, h, w, f, kh, kw, oh, ow, sh, sw, dh, dw;
  int64_t in[4], wt[4], out[4]; // strides
};

// An uninitialized buffer from ember's CPU allocator: its cache hands a
// step's im2col matrix back without fresh pages faulting in on every call
// (a std::vector would also zero it first).
template <typename T> class Scratch {
public:
  explicit Scratch(int64_t count)
      : bytes_(static_cast<size_t>(std::max<int64_t>(count, 1)) * sizeof(T)),
        data_(static_cast<T *>(ember::cpu_allocator()->allocate(bytes_))) {}
  ~Scratch() { ember::cpu_allocator()->deallocate(data_, bytes_); }
  Scratch(const Scratch &) = delete;
  Scratch &operator=(const Scratch &) = delete;
  T *data() const { return data_; }

private:
  size_t bytes_;
  T *data_;
};

// dst[0, n) = src[0, n) for the short runs of im2col (3 to 28 elements):
// fixed-size memcpys the compiler inlines as vector moves, where std::copy
// (or a plain loop, which GCC turns back into one) calls memmove once per
// run: ~600k calls per CNN step, a tenth of its time.
template <typename T> inline void copyRun(const T *src, int64_t n, T *dst) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    std::memcpy(dst + i, src + i, 8 * sizeof(T));
  if (n - i >= 4) {
    std::memcpy(dst + i, src + i, 4 * sizeof(T));
    i += 4;
  }
  if (n - i >= 2) {
    std::memcpy(dst + i, src + i, 2 * sizeof(T));
    i += 2;
  }
  if (i < n)
    dst[i] = src[i];
}

// o[n, f, y, x] (+)= acc[f, (n, y, x)] (acc row-major [F, N*OH*OW]).
template <typename T>
void scatterOut(const T *acc, T *out, const Conv &p, bool accumulate) {
  int64_t R = p.n * p.oh * p.ow;
  for (int64_t f = 0; f < p.f; ++f)
    for (int64_t n = 0; n < p.n; ++n)
      for (int64_t y = 0; y < p.oh; ++y) {
        const T *src = acc + f * R + (n * p.oh + y) * p.ow;
        T *dst = out + n * p.out[0] + f * p.out[1] + y * p.out[2];
        for (int64_t x = 0; x < p.ow; ++x)
          dst[x * p.out[3]] = accumulate ? dst[x * p.out[3]] + src[x] : src[x];
      }
}

// The filter-major form, for filters larger than the output (the shape of
// a weight gradient, conv of the input by grad_out: the output is
// [.., kH, kW] and the filter [.., OH, OW]). The image-major form would
// build a [C*kH*kW, OH*OW] = [N*28*28, 3*3] matrix from runs of 3 elements
// and run one GEMM of inner size N*28*28 and width 9. Here, per input
// channel c (the forward's batch), the taps of every output position form
// col[(n, y, x), (i, j)] = in[n, c, y*sh + i*dh, x*sw + j*dw], copied in
// runs of kW (contiguous when dw * inS3 == 1), and
//   acc[F, N*OH*OW] += W[:, c] [F, kH*kW] @ col^T
// as eager's conv2d_backward_weight (one GEMM per image of the forward).
template <typename T>
void conv2dFilterMajor(const T *in, const T *wt, T *out, const Conv &p,
                       bool accumulate) {
  int64_t KK = p.kh * p.kw, R = p.n * p.oh * p.ow;
  Scratch<T> col(R * KK), acc(p.f * R);
  // W[:, c] as a row-major [F, kH*kW] matrix: in place when its taps are
  // contiguous (a transposed grad_out view is), else packed.
  bool direct = p.wt[3] == 1 && p.wt[2] == p.kw && p.wt[0] >= KK;
  Scratch<T> packed(direct ? 0 : p.f * KK);
  for (int64_t c = 0; c < p.c; ++c) {
    T *row = col.data();
    for (int64_t n = 0; n < p.n; ++n)
      for (int64_t y = 0; y < p.oh; ++y)
        for (int64_t x = 0; x < p.ow; ++x)
          for (int64_t i = 0; i < p.kh; ++i) {
            const T *src = in + n * p.in[0] + c * p.in[1] +
                           (y * p.sh + i * p.dh) * p.in[2] + x * p.sw * p.in[3];
            int64_t step = p.dw * p.in[3];
            if (step == 1) {
              copyRun(src, p.kw, row);
              row += p.kw;
            } else {
              for (int64_t j = 0; j < p.kw; ++j)
                *row++ = src[j * step];
            }
          }
    const T *w = wt + c * p.wt[1];
    int64_t ldw = p.wt[0];
    if (!direct) {
      for (int64_t f = 0; f < p.f; ++f)
        for (int64_t i = 0; i < p.kh; ++i)
          for (int64_t j = 0; j < p.kw; ++j)
            packed.data()[(f * p.kh + i) * p.kw + j] =
                w[f * p.wt[0] + i * p.wt[2] + j * p.wt[3]];
      w = packed.data();
      ldw = KK;
    }
    ember::kernels::cpu::blas::gemm(false, true, p.f, R, KK, T(1), w, ldw,
                                    col.data(), KK, c == 0 ? T(0) : T(1),
                                    acc.data(), R);
  }
  scatterOut(acc.data(), out, p, accumulate);
}

// The image-major form (im2col per image into a [C*KH*KW, OH*OW] matrix,
// then out_n[F, OH*OW] (+)= W[F, C*KH*KW] @ col), as the eager forward.
template <typename T>
void conv2dImageMajor(const T *in, const T *wt, T *out, const Conv &p,
                      bool accumulate) {
  int64_t K = p.c * p.kh * p.kw, P = p.oh * p.ow;
  Scratch<T> w(p.f * K);
  for (int64_t f = 0; f < p.f; ++f)
    for (int64_t c = 0; c < p.c; ++c)
      for (int64_t i = 0; i < p.kh; ++i)
        for (int64_t j = 0; j < p.kw; ++j)
          w.data()[((f * p.c + c) * p.kh + i) * p.kw + j] =
              wt[f * p.wt[0] + c * p.wt[1] + i * p.wt[2] + j * p.wt[3]];
  Scratch<T> col(K * P);
  bool contiguousOut = p.out[3] == 1 && p.out[2] == p.ow && p.out[1] == P;
  Scratch<T> scratch(contiguousOut ? 0 : p.f * P);
  for (int64_t n = 0; n < p.n; ++n) {
    const T *img = in + n * p.in[0];
    T *col_row = col.data();
    for (int64_t c = 0; c < p.c; ++c)
      for (int64_t i = 0; i < p.kh; ++i)
        for (int64_t j = 0; j < p.kw; ++j)
          for (int64_t y = 0; y < p.oh; ++y) {
            const T *src = img + c * p.in[1] + (y * p.sh + i * p.dh) * p.in[2] +
                           j * p.dw * p.in[3];
            int64_t step = p.sw * p.in[3];
            if (step == 1) { // unit stride: a contiguous run (vectorizes)
              copyRun(src, p.ow, col_row);
              col_row += p.ow;
            } else {
              for (int64_t x = 0; x < p.ow; ++x)
                *col_row++ = src[x * step];
            }
          }
    T *o = out + n * p.out[0];
    T *dst = contiguousOut ? o : scratch.data();
    if (!contiguousOut && accumulate)
      for (int64_t f = 0; f < p.f; ++f)
        for (int64_t y = 0; y < p.oh; ++y)
          for (int64_t x = 0; x < p.ow; ++x)
            dst[(f * p.oh + y) * p.ow + x] =
                o[f * p.out[1] + y * p.out[2] + x * p.out[3]];
    ember::kernels::cpu::blas::gemm(false, false, p.f, P, K, T(1), w.data(), K,
                                    col.data(), P, accumulate ? T(1) : T(0),
                                    dst, P);
    if (!contiguousOut)
      for (int64_t f = 0; f < p.f; ++f)
        for (int64_t y = 0; y < p.oh; ++y)
          for (int64_t x = 0; x < p.ow; ++x)
            o[f * p.out[1] + y * p.out[2] + x * p.out[3]] =
                dst[(f * p.oh + y) * p.ow + x];
  }
}

template <typename T>
void conv2d(const T *in, const T *wt, T *out, const Conv &p, bool accumulate) {
  if (p.n == 0 || p.f == 0 || p.oh * p.ow == 0)
    return;
  if (p.c * p.kh * p.kw == 0) { // an empty sum
    if (!accumulate)
      for (int64_t n = 0; n < p.n; ++n)
        for (int64_t f = 0; f < p.f; ++f)
          for (int64_t y = 0; y < p.oh; ++y)
            for (int64_t x = 0; x < p.ow; ++x)
              out[n * p.out[0] + f * p.out[1] + y * p.out[2] + x * p.out[3]] =
                  T(0);
    return;
  }
  // Both forms copy the same N*C*kH*kW*OH*OW elements; the one whose copy
  // runs (and GEMM inner size) are the longer wins: kW vs OW.
  if (p.kh * p.kw > p.oh * p.ow)
    conv2dFilterMajor(in, wt, out, p, accumulate);
  else
    conv2dImageMajor(in, wt, out, p, accumulate);
}

} // namespace

extern "C" {

void ember_rt_parallel_for(ember_rt_loop_body body, void *ctx, int64_t begin,
                           int64_t end, int64_t grain) {
  ember::parallel_for(begin, end, grain,
                      [&](int64_t b, int64_t e) { body(ctx, b, e); });
}

void ember_rt_matmul_f32(float *, float *a, int64_t aOff, int64_t m, int64_t k,
                         int64_t aS0, int64_t aS1, float *, float *b,
                         int64_t bOff, int64_t, int64_t n, int64_t bS0,
                         int64_t bS1, float *, float *c, int64_t cOff, int64_t,
                         int64_t, int64_t cS0, int64_t cS1,
                         int64_t accumulate) {
  matmul<float>({a + aOff, m, k, aS0, aS1}, {b + bOff, k, n, bS0, bS1},
                c + cOff, cS0, cS1, accumulate != 0);
}

void ember_rt_matmul_f64(double *, double *a, int64_t aOff, int64_t m,
                         int64_t k, int64_t aS0, int64_t aS1, double *,
                         double *b, int64_t bOff, int64_t, int64_t n,
                         int64_t bS0, int64_t bS1, double *, double *c,
                         int64_t cOff, int64_t, int64_t, int64_t cS0,
                         int64_t cS1, int64_t accumulate) {
  matmul<double>({a + aOff, m, k, aS0, aS1}, {b + bOff, k, n, bS0, bS1},
                 c + cOff, cS0, cS1, accumulate != 0);
}

void ember_rt_batch_matmul_f32(float *, float *a, int64_t aOff, int64_t ab,
                               int64_t m, int64_t k, int64_t aS0, int64_t aS1,
                               int64_t aS2, float *, float *b, int64_t bOff,
                               int64_t, int64_t, int64_t n, int64_t bS0,
                               int64_t bS1, int64_t bS2, float *, float *c,
                               int64_t cOff, int64_t, int64_t, int64_t,
                               int64_t cS0, int64_t cS1, int64_t cS2,
                               int64_t accumulate) {
  batchMatmul<float>(a + aOff, ab, m, k, aS0, aS1, aS2, b + bOff, n, bS0, bS1,
                     bS2, c + cOff, cS0, cS1, cS2, accumulate != 0);
}

void ember_rt_batch_matmul_f64(double *, double *a, int64_t aOff, int64_t ab,
                               int64_t m, int64_t k, int64_t aS0, int64_t aS1,
                               int64_t aS2, double *, double *b, int64_t bOff,
                               int64_t, int64_t, int64_t n, int64_t bS0,
                               int64_t bS1, int64_t bS2, double *, double *c,
                               int64_t cOff, int64_t, int64_t, int64_t,
                               int64_t cS0, int64_t cS1, int64_t cS2,
                               int64_t accumulate) {
  batchMatmul<double>(a + aOff, ab, m, k, aS0, aS1, aS2, b + bOff, n, bS0, bS1,
                      bS2, c + cOff, cS0, cS1, cS2, accumulate != 0);
}

void ember_rt_conv2d_nchw_f32(float *, float *in, int64_t inOff, int64_t n,
                              int64_t c, int64_t h, int64_t w, int64_t inS0,
                              int64_t inS1, int64_t inS2, int64_t inS3, float *,
                              float *wt, int64_t wOff, int64_t f, int64_t,
                              int64_t kh, int64_t kw, int64_t wS0, int64_t wS1,
                              int64_t wS2, int64_t wS3, float *, float *out,
                              int64_t outOff, int64_t, int64_t, int64_t oh,
                              int64_t ow, int64_t oS0, int64_t oS1, int64_t oS2,
                              int64_t oS3, int64_t sh, int64_t sw, int64_t dh,
                              int64_t dw, int64_t accumulate) {
  conv2d<float>(in + inOff, wt + wOff, out + outOff,
                {n,
                 c,
                 h,
                 w,
                 f,
                 kh,
                 kw,
                 oh,
                 ow,
                 sh,
                 sw,
                 dh,
                 dw,
                 {inS0, inS1, inS2, inS3},
                 {wS0, wS1, wS2, wS3},
                 {oS0, oS1, oS2, oS3}},
                accumulate != 0);
}

void ember_rt_conv2d_nchw_f64(double *, double *in, int64_t inOff, int64_t n,
                              int64_t c, int64_t h, int64_t w, int64_t inS0,
                              int64_t inS1, int64_t inS2, int64_t inS3,
                              double *, double *wt, int64_t wOff, int64_t f,
                              int64_t, int64_t kh, int64_t kw, int64_t wS0,
                              int64_t wS1, int64_t wS2, int64_t wS3, double *,
                              double *out, int64_t outOff, int64_t, int64_t,
                              int64_t oh, int64_t ow, int64_t oS0, int64_t oS1,
                              int64_t oS2, int64_t oS3, int64_t sh, int64_t sw,
                              int64_t dh, int64_t dw, int64_t accumulate) {
  conv2d<double>(in + inOff, wt + wOff, out + outOff,
                 {n,
                  c,
                  h,
                  w,
                  f,
                  kh,
                  kw,
                  oh,
                  ow,
                  sh,
                  sw,
                  dh,
                  dw,
                  {inS0, inS1, inS2, inS3},
                  {wS0, wS1, wS2, wS3},
                  {oS0, oS1, oS2, oS3}},
                 accumulate != 0);
}

} // extern "C"

// --- allocation -------------------------------------------------------------

extern "C" void *ember_rt_malloc(size_t nbytes) {
  static_assert(ember::kCpuAlignment >= sizeof(size_t));
  const size_t total = nbytes + ember::kCpuAlignment;
  void *base;
  try {
    base = ember::cpu_allocator()->allocate(total);
  } catch (...) { // out of memory: malloc's contract is null
    return nullptr;
  }
  *static_cast<size_t *>(base) = total;
  return static_cast<char *>(base) + ember::kCpuAlignment;
}

extern "C" void ember_rt_free(void *ptr) {
  if (!ptr)
    return;
  char *base = static_cast<char *>(ptr) - ember::kCpuAlignment;
  ember::cpu_allocator()->deallocate(base, *reinterpret_cast<size_t *>(base));
}

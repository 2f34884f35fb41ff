// The C ABI that code compiled by ember's JIT calls into (codegen/lib/JIT
// resolves these symbols to this library when it links an object). Plain C
// types only, so the generated LLVM IR can declare them: memrefs arrive as
// MLIR's expanded descriptors (allocated pointer, aligned pointer, offset,
// sizes..., strides...), one scalar per argument.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {

/// malloc/free for the buffers compiled code allocates inside a call (the
/// JIT links its malloc/free to these): ember's CPU allocator, whose cache
/// of large blocks keeps a training step's big temporaries from going back
/// to the OS and faulting in again on every call. The block size sits in a
/// 64-byte header before the returned pointer (64-byte aligned).
void *ember_rt_malloc(size_t nbytes);
void ember_rt_free(void *ptr);

/// The body of an outlined parallel loop: runs iterations [begin, end) of its
/// outermost parallel dimension with the values captured in `ctx`.
typedef void (*ember_rt_loop_body)(void *ctx, int64_t begin, int64_t end);

/// ember::parallel_for(begin, end, grain, ...) on ember's pool (inline when
/// nested in a parallel region, under a SerialRegionGuard, or with one
/// thread): calls body(ctx, b, e) on chunks that partition [begin, end).
void ember_rt_parallel_for(ember_rt_loop_body body, void *ctx, int64_t begin,
                           int64_t end, int64_t grain);

/// C[M, N] (+)= A[M, K] @ B[K, N] on strided 2-D memrefs (any strides, e.g.
/// transposed views): C is overwritten when `accumulate` is 0 (a preceding
/// fill with 0 folded away) and added to otherwise, as linalg.matmul. Runs
/// blas.h's GEMM (OpenBLAS, split over ember's pool).
void ember_rt_matmul_f32(float *aAlloc, float *a, int64_t aOff, int64_t m,
                         int64_t k, int64_t aS0, int64_t aS1, float *bAlloc,
                         float *b, int64_t bOff, int64_t bK, int64_t n,
                         int64_t bS0, int64_t bS1, float *cAlloc, float *c,
                         int64_t cOff, int64_t cM, int64_t cN, int64_t cS0,
                         int64_t cS1, int64_t accumulate);
void ember_rt_matmul_f64(double *aAlloc, double *a, int64_t aOff, int64_t m,
                         int64_t k, int64_t aS0, int64_t aS1, double *bAlloc,
                         double *b, int64_t bOff, int64_t bK, int64_t n,
                         int64_t bS0, int64_t bS1, double *cAlloc, double *c,
                         int64_t cOff, int64_t cM, int64_t cN, int64_t cS0,
                         int64_t cS1, int64_t accumulate);

/// C[B, M, N] (+)= A[B, M, K] @ B[B, K, N], as linalg.batch_matmul: one
/// ember_rt_matmul per batch.
void ember_rt_batch_matmul_f32(float *aAlloc, float *a, int64_t aOff,
                               int64_t ab, int64_t m, int64_t k, int64_t aS0,
                               int64_t aS1, int64_t aS2, float *bAlloc,
                               float *b, int64_t bOff, int64_t bb, int64_t bK,
                               int64_t n, int64_t bS0, int64_t bS1, int64_t bS2,
                               float *cAlloc, float *c, int64_t cOff,
                               int64_t cb, int64_t cM, int64_t cN, int64_t cS0,
                               int64_t cS1, int64_t cS2, int64_t accumulate);
void ember_rt_batch_matmul_f64(double *aAlloc, double *a, int64_t aOff,
                               int64_t ab, int64_t m, int64_t k, int64_t aS0,
                               int64_t aS1, int64_t aS2, double *bAlloc,
                               double *b, int64_t bOff, int64_t bb, int64_t bK,
                               int64_t n, int64_t bS0, int64_t bS1, int64_t bS2,
                               double *cAlloc, double *c, int64_t cOff,
                               int64_t cb, int64_t cM, int64_t cN, int64_t cS0,
                               int64_t cS1, int64_t cS2, int64_t accumulate);

/// out[N, F, OH, OW] (+)= sum over c, kh, kw of
///   in[n, c, oh * sh + kh * dh, ow * sw + kw * dw] * w[f, c, kh, kw],
/// as linalg.conv_2d_nchw_fchw (padding is already in `in`): im2col per
/// image and one GEMM (blas.h) per image; when the filter window is larger
/// than the output plane (a weight gradient: input by grad_out), im2col per
/// input channel and one accumulating GEMM per channel instead, as eager's
/// conv2d_backward_weight. Any strides (transposed views included).
void ember_rt_conv2d_nchw_f32(
    float *inAlloc, float *in, int64_t inOff, int64_t n, int64_t c, int64_t h,
    int64_t w, int64_t inS0, int64_t inS1, int64_t inS2, int64_t inS3,
    float *wAlloc, float *wt, int64_t wOff, int64_t f, int64_t wc, int64_t kh,
    int64_t kw, int64_t wS0, int64_t wS1, int64_t wS2, int64_t wS3,
    float *outAlloc, float *out, int64_t outOff, int64_t on, int64_t of,
    int64_t oh, int64_t ow, int64_t oS0, int64_t oS1, int64_t oS2, int64_t oS3,
    int64_t sh, int64_t sw, int64_t dh, int64_t dw, int64_t accumulate);
void ember_rt_conv2d_nchw_f64(
    double *inAlloc, double *in, int64_t inOff, int64_t n, int64_t c, int64_t h,
    int64_t w, int64_t inS0, int64_t inS1, int64_t inS2, int64_t inS3,
    double *wAlloc, double *wt, int64_t wOff, int64_t f, int64_t wc, int64_t kh,
    int64_t kw, int64_t wS0, int64_t wS1, int64_t wS2, int64_t wS3,
    double *outAlloc, double *out, int64_t outOff, int64_t on, int64_t of,
    int64_t oh, int64_t ow, int64_t oS0, int64_t oS1, int64_t oS2, int64_t oS3,
    int64_t sh, int64_t sw, int64_t dh, int64_t dw, int64_t accumulate);

/// out[N, C, OH, OW] = the maximum over the window of
///   in[n, c, oh * sh + kh * dh, ow * sw + kw * dw], folded into out's
/// current values (NaN wins; eager's rule, which agrees with linalg's
/// maximumf but for the sign of a zero), as linalg.pooling_nchw_max with a [kH,
/// kW] window (padding is already in `in`). One (n, c) plane per pool task.
void ember_rt_max_pool2d_nchw_f32(
    float *inAlloc, float *in, int64_t inOff, int64_t n, int64_t c, int64_t h,
    int64_t w, int64_t inS0, int64_t inS1, int64_t inS2, int64_t inS3,
    float *outAlloc, float *out, int64_t outOff, int64_t on, int64_t oc,
    int64_t oh, int64_t ow, int64_t oS0, int64_t oS1, int64_t oS2, int64_t oS3,
    int64_t kh, int64_t kw, int64_t sh, int64_t sw, int64_t dh, int64_t dw);
void ember_rt_max_pool2d_nchw_f64(
    double *inAlloc, double *in, int64_t inOff, int64_t n, int64_t c, int64_t h,
    int64_t w, int64_t inS0, int64_t inS1, int64_t inS2, int64_t inS3,
    double *outAlloc, double *out, int64_t outOff, int64_t on, int64_t oc,
    int64_t oh, int64_t ow, int64_t oS0, int64_t oS1, int64_t oS2, int64_t oS3,
    int64_t kh, int64_t kw, int64_t sh, int64_t sw, int64_t dh, int64_t dw);

/// max_pool2d's gradient for windows that tile the input exactly (kernel ==
/// stride, no padding or dilation, H = OH * kH, W = OW * kW): out[N, C, H,
/// W] gets each window's grad[n, c, oh, ow] at its first maximum of `in`
/// (row-major, `v > m || isnan(v)`, as eager) and 0 elsewhere.
void ember_rt_max_pool2d_backward_f32(
    float *gAlloc, float *grad, int64_t gOff, int64_t gn, int64_t gc,
    int64_t gh, int64_t gw, int64_t gS0, int64_t gS1, int64_t gS2, int64_t gS3,
    float *inAlloc, float *in, int64_t inOff, int64_t in0, int64_t in1,
    int64_t in2, int64_t in3, int64_t inS0, int64_t inS1, int64_t inS2,
    int64_t inS3, float *outAlloc, float *out, int64_t outOff, int64_t n,
    int64_t c, int64_t h, int64_t w, int64_t oS0, int64_t oS1, int64_t oS2,
    int64_t oS3, int64_t kh, int64_t kw);
void ember_rt_max_pool2d_backward_f64(
    double *gAlloc, double *grad, int64_t gOff, int64_t gn, int64_t gc,
    int64_t gh, int64_t gw, int64_t gS0, int64_t gS1, int64_t gS2, int64_t gS3,
    double *inAlloc, double *in, int64_t inOff, int64_t in0, int64_t in1,
    int64_t in2, int64_t in3, int64_t inS0, int64_t inS1, int64_t inS2,
    int64_t inS3, double *outAlloc, double *out, int64_t outOff, int64_t n,
    int64_t c, int64_t h, int64_t w, int64_t oS0, int64_t oS1, int64_t oS2,
    int64_t oS3, int64_t kh, int64_t kw);

} // extern "C"

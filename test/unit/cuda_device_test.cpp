// Eager CUDA tensors against their CPU twins. Every test that needs a GPU
// skips cleanly without one (cuda::is_available() false); the last group
// checks the clean errors of a machine without CUDA.
#include "ember/ember.h"
#include "ember/runtime/cuda.h"
#include "test_util.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

namespace {

using namespace ember;

#define REQUIRE_GPU()                                                          \
  if (!cuda::is_available())                                                   \
  GTEST_SKIP() << "no CUDA device"

Tensor sample(IntArrayRef shape, DType dt, uint64_t seed) {
  manual_seed(seed);
  Tensor t = randn(shape).mul(3.0);
  if (is_floating_point(dt))
    return t.to(dt);
  if (dt == kBool)
    return t.gt(0.0);
  return t.round().to(dt);
}

// CUDA vs CPU: integer and bool results exactly, float math within a few
// ulps (CUDA's libdevice and glibc differ in the last bits; no fma
// contraction on either side).
void expect_close(const Tensor &cpu_result, const Tensor &cuda_result,
                  const std::string &what) {
  ASSERT_TRUE(cuda_result.device().is_cuda()) << what;
  Tensor got = cuda_result.cpu();
  ASSERT_EQ(got.dtype(), cpu_result.dtype()) << what;
  ASSERT_EQ(got.sizes(), cpu_result.sizes()) << what;
  if (is_floating_point(got.dtype())) {
    double rtol = got.dtype() == kFloat32 ? 2e-6 : 1e-14;
    EXPECT_TRUE(ember::testing::allclose(got, cpu_result, rtol, rtol))
        << what << "\ncuda: " << got << "\ncpu: " << cpu_result;
  } else {
    EXPECT_TRUE(ember::testing::tensors_equal(got, cpu_result)) << what;
  }
}

TEST(CudaDevice, RoundTripKeepsValuesDtypeAndShape) {
  REQUIRE_GPU();
  for (DType dt : {kBool, kUInt8, kInt32, kInt64, kFloat32, kFloat64}) {
    Tensor x = sample({3, 4, 5}, dt, 1);
    Tensor d = x.cuda();
    EXPECT_TRUE(d.device().is_cuda());
    EXPECT_EQ(d.dtype(), dt);
    EXPECT_TRUE(ember::testing::tensors_equal(d.cpu(), x)) << dt;
    // A strided view packs before it moves.
    Tensor v = x.transpose(0, 2).cuda();
    EXPECT_TRUE(ember::testing::tensors_equal(v.cpu(), x.transpose(0, 2)))
        << dt;
  }
}

TEST(CudaDevice, UnaryOpsMatchCpu) {
  REQUIRE_GPU();
  using Fn = std::function<Tensor(const Tensor &)>;
  std::vector<std::pair<std::string, Fn>> ops = {
      {"neg", [](const Tensor &t) { return neg(t); }},
      {"abs", [](const Tensor &t) { return abs(t); }},
      {"exp", [](const Tensor &t) { return exp(t); }},
      {"log", [](const Tensor &t) { return log(t); }},
      {"log1p", [](const Tensor &t) { return log1p(t); }},
      {"sqrt", [](const Tensor &t) { return sqrt(t); }},
      {"rsqrt", [](const Tensor &t) { return rsqrt(t); }},
      {"sin", [](const Tensor &t) { return sin(t); }},
      {"cos", [](const Tensor &t) { return cos(t); }},
      {"tanh", [](const Tensor &t) { return tanh(t); }},
      {"sigmoid", [](const Tensor &t) { return sigmoid(t); }},
      {"relu", [](const Tensor &t) { return relu(t); }},
      {"gelu", [](const Tensor &t) { return gelu(t); }},
      {"gelu_tanh", [](const Tensor &t) { return gelu(t, "tanh"); }},
      {"sign", [](const Tensor &t) { return sign(t); }},
      {"floor", [](const Tensor &t) { return floor(t); }},
      {"ceil", [](const Tensor &t) { return ceil(t); }},
      {"round", [](const Tensor &t) { return round(t); }},
      {"clamp", [](const Tensor &t) { return clamp(t, -1.0, 2.0); }},
  };
  for (DType dt : {kFloat32, kFloat64, kInt64}) {
    Tensor x = sample({4, 33}, dt, 2);
    for (auto &[name, f] : ops) {
      if (!is_floating_point(dt) && name.rfind("gelu", 0) == 0)
        continue;
      expect_close(f(x), f(x.cuda()), name + " " + std::string(dtype_name(dt)));
      expect_close(f(x.t()), f(x.cuda().t()), name + " transposed");
    }
  }
  Tensor b = sample({7}, kBool, 3);
  expect_close(logical_not(b), logical_not(b.cuda()), "logical_not");
}

TEST(CudaDevice, BinaryOpsBroadcastAndPromoteLikeCpu) {
  REQUIRE_GPU();
  using Fn = std::function<Tensor(const Tensor &, const Tensor &)>;
  std::vector<std::pair<std::string, Fn>> ops = {
      {"add", [](const Tensor &a, const Tensor &b) { return add(a, b, 2); }},
      {"sub", [](const Tensor &a, const Tensor &b) { return sub(a, b); }},
      {"mul", [](const Tensor &a, const Tensor &b) { return mul(a, b); }},
      {"div", [](const Tensor &a, const Tensor &b) { return div(a, b); }},
      {"pow", [](const Tensor &a, const Tensor &b) { return pow(a, b); }},
      {"maximum",
       [](const Tensor &a, const Tensor &b) { return maximum(a, b); }},
      {"minimum",
       [](const Tensor &a, const Tensor &b) { return minimum(a, b); }},
      {"eq", [](const Tensor &a, const Tensor &b) { return eq(a, b); }},
      {"lt", [](const Tensor &a, const Tensor &b) { return lt(a, b); }},
      {"ge", [](const Tensor &a, const Tensor &b) { return ge(a, b); }},
      {"logical_xor",
       [](const Tensor &a, const Tensor &b) { return logical_xor(a, b); }},
  };
  for (auto [da, db] : {std::pair{kFloat32, kFloat32},
                        {kFloat64, kInt32},
                        {kInt64, kInt64},
                        {kInt32, kFloat32}}) {
    Tensor a = sample({4, 1, 5}, da, 4), b = sample({3, 1}, db, 5);
    for (auto &[name, f] : ops)
      expect_close(f(a, b), f(a.cuda(), b.cuda()),
                   name + " " + std::string(dtype_name(da)) + "," +
                       std::string(dtype_name(db)));
  }
  // A wrapped number beside a CUDA tensor stays legal, as in PyTorch.
  Tensor x = sample({6}, kFloat32, 6);
  expect_close(x * 2.5 + 1, x.cuda() * 2.5 + 1, "scalar operands");
  Tensor y = x.clone(), yd = x.cuda();
  y.add_(x, 3);
  yd.add_(x.cuda(), 3);
  expect_close(y, yd, "add_");
}

TEST(CudaDevice, WhereMaskedFillFactoriesAndCopies) {
  REQUIRE_GPU();
  Tensor c = sample({4, 5}, kBool, 7), a = sample({4, 5}, kFloat32, 8);
  Tensor b = sample({5}, kFloat32, 9);
  expect_close(where(c, a, b), where(c.cuda(), a.cuda(), b.cuda()), "where");
  expect_close(a.masked_fill(c, -7), a.cuda().masked_fill(c.cuda(), -7),
               "masked_fill");
  Device dev("cuda");
  expect_close(full({2, 3}, 1.5), full({2, 3}, 1.5, device(dev)), "full");
  expect_close(arange(0, 10, 3), arange(0, 10, 3, device(dev)), "arange");
  expect_close(eye(3), eye(3, device(dev)), "eye");
  // copy_ across devices and dtypes, into a strided destination.
  Tensor dst = zeros({5, 4}, device(dev).dtype(kFloat64));
  dst.t().copy_(a);
  expect_close(a.t().to(kFloat64), dst, "copy_ cpu -> cuda strided");
  Tensor back = zeros({4, 5}, dtype(kInt64));
  back.copy_(a.cuda());
  expect_close(a.to(kInt64), back.cuda(), "copy_ cuda -> cpu");
  expect_close(cat({a, b.view({1, 5})}), cat({a.cuda(), b.view({1, 5}).cuda()}),
               "cat");
}

TEST(CudaDevice, MixingDevicesIsAClearError) {
  REQUIRE_GPU();
  Tensor a = ones({3}), b = ones({3}).cuda();
  EXPECT_EMBER_ERROR(add(a, b), "expected all tensors on the same device");
}

TEST(CudaDevice, AutogradThroughDeviceCopies) {
  REQUIRE_GPU();
  Tensor w = sample({3, 4}, kFloat64, 10).requires_grad_();
  Tensor y = (w.cuda() * w.cuda()).sigmoid().cpu().sum();
  y.backward();
  Tensor w2 = w.detach().clone().requires_grad_();
  (w2 * w2).sigmoid().sum().backward();
  EXPECT_TRUE(w.grad().device().is_cpu());
  EXPECT_TRUE(ember::testing::allclose(w.grad(), w2.grad(), 1e-12, 1e-12));
}

TEST(CudaDevice, CachingAllocatorReusesAndReports) {
  REQUIRE_GPU();
  cuda::synchronize();
  cuda::empty_cache();
  cuda::MemoryStats before = cuda::memory_stats();
  {
    Tensor t = empty({1 << 20}, device(Device("cuda")));
    EXPECT_GE(cuda::memory_allocated(), before.allocated_bytes + (4u << 20));
  }
  cuda::MemoryStats mid = cuda::memory_stats();
  EXPECT_EQ(mid.allocated_bytes, before.allocated_bytes);
  EXPECT_GE(mid.reserved_bytes, 4u << 20) << "the freed block stays cached";
  { Tensor t = empty({1 << 20}, device(Device("cuda"))); }
  EXPECT_EQ(cuda::memory_stats().cache_hits, mid.cache_hits + 1);
  cuda::empty_cache();
  EXPECT_LT(cuda::memory_reserved(), mid.reserved_bytes);
}

TEST(CudaDevice, StreamsEventsAndPinnedAsyncCopies) {
  REQUIRE_GPU();
  cuda::Stream s = cuda::Stream::create();
  Tensor host = arange(0, 1 << 16, 1, dtype(kFloat32)).pin_memory();
  Tensor d;
  cuda::Event start, end;
  {
    cuda::StreamGuard g(s);
    EXPECT_EQ(cuda::current_stream(), s);
    start.record();
    d = host.to(Device("cuda"), /*non_blocking=*/true);
    d = d * 2;
    end.record();
  }
  EXPECT_EQ(cuda::current_stream(), cuda::Stream());
  end.synchronize();
  EXPECT_TRUE(end.query());
  EXPECT_GE(start.elapsed_time(end), 0.0f);
  s.synchronize();
  EXPECT_TRUE(ember::testing::tensors_equal(d.cpu(), host * 2));
}

TEST(CudaDevice, PinnedBlocksAreCachedAfterTheirCopies) {
  REQUIRE_GPU();
  void *first = nullptr;
  {
    Tensor a = ones({1000}).pin_memory();
    first = a.raw_data_ptr();
    Tensor d = a.to(Device("cuda"), /*non_blocking=*/true);
    cuda::synchronize();
  }
  Tensor b = zeros({1000}).pin_memory();
  EXPECT_EQ(b.raw_data_ptr(), first) << "the freed block is reused";
  EXPECT_TRUE(b.is_pinned());
  EXPECT_TRUE(ember::testing::tensors_equal(b, zeros({1000})));
}

TEST(CudaDevice, DeviceGuardAndIndices) {
  REQUIRE_GPU();
  EXPECT_EQ(cuda::current_device(), 0);
  {
    cuda::DeviceGuard g(cuda::device_count() - 1);
    EXPECT_EQ(cuda::current_device(), cuda::device_count() - 1);
    Tensor t = ones({2}, device(Device("cuda")));
    EXPECT_EQ(t.device().index(), cuda::device_count() - 1);
  }
  EXPECT_EQ(cuda::current_device(), 0);
  EXPECT_EMBER_ERROR(cuda::set_device(cuda::device_count()), "out of range");
  EXPECT_GE(cuda::get_device_capability().major, 3);
  EXPECT_NE(std::string(cuda::get_device_name()), "");
}

// --- reductions and softmax (kernels/reduce.cuh, softmax.cuh) -------------
// CUDA sums in another order than the CPU (both accumulate in double), so
// floating results are compared within rtol 1e-6 (float32) / 1e-12
// (float64) on positive inputs (no cancellation); integer sums and
// products (wrapping), max/min and indices exactly.

// |x| + 0.5 of a sample: positive, so relative tolerances hold for sums.
Tensor positive(IntArrayRef shape, DType dt, uint64_t seed) {
  return sample(shape, kFloat64, seed).abs().add(0.5).to(dt);
}

void expect_near(const Tensor &cpu_result, const Tensor &cuda_result,
                 double rtol, double atol, const std::string &what) {
  ASSERT_TRUE(cuda_result.device().is_cuda()) << what;
  Tensor got = cuda_result.cpu();
  ASSERT_EQ(got.dtype(), cpu_result.dtype()) << what;
  ASSERT_EQ(got.sizes(), cpu_result.sizes()) << what;
  if (is_floating_point(got.dtype()))
    EXPECT_TRUE(ember::testing::allclose(got, cpu_result, rtol, atol)) << what;
  else
    EXPECT_TRUE(ember::testing::tensors_equal(got, cpu_result)) << what;
}

struct ReduceShape {
  DimVector sizes;
  std::vector<DimVector> dims; // {}: every dim
};
// Short rows (a thread per output), long rows (a block per output, rows
// longer than a block), column sums over many outputs.
const std::vector<ReduceShape> &reduce_shapes() {
  static const std::vector<ReduceShape> v = {
      {{64, 33, 17}, {{}, {0}, {1}, {2}, {0, 2}}},
      {{3, 100000}, {{1}, {0}}},
      {{5000, 70}, {{0}, {1}}},
  };
  return v;
}

TEST(CudaDevice, FloatReductionsMatchCpu) {
  REQUIRE_GPU();
  uint64_t seed = 40;
  for (DType dt : {kFloat32, kFloat64}) {
    const double rtol = dt == kFloat32 ? 1e-6 : 1e-12;
    for (const ReduceShape &s : reduce_shapes()) {
      Tensor x = positive(s.sizes, dt, ++seed), xc = x.cuda();
      for (const DimVector &d : s.dims) {
        for (bool keep : {false, true}) {
          std::string w = std::string(dtype_name(dt)) + " " +
                          std::to_string(s.sizes.size()) + "-d dims " +
                          std::to_string(d.size()) + " keepdim " +
                          std::to_string(keep) + ": ";
          expect_near(sum(x, d, keep), sum(xc, d, keep), rtol, 0, w + "sum");
          expect_near(mean(x, d, keep), mean(xc, d, keep), rtol, 0, w + "mean");
          expect_near(amax(x, d, keep), amax(xc, d, keep), 0, 0, w + "amax");
          expect_near(amin(x, d, keep), amin(xc, d, keep), 0, 0, w + "amin");
          expect_near(var(x, d, 1, keep), var(xc, d, 1, keep), rtol, 0,
                      w + "var");
          expect_near(ember::std(x, d, 0, keep), ember::std(xc, d, 0, keep),
                      rtol, 0, w + "std");
          expect_near(logsumexp(x, d, keep), logsumexp(xc, d, keep), rtol, 0,
                      w + "logsumexp");
          expect_near(norm(x, 2, d, keep), norm(xc, 2, d, keep), rtol, 0,
                      w + "norm 2");
          expect_near(norm(x, 3, d, keep), norm(xc, 3, d, keep), rtol, 0,
                      w + "norm 3");
        }
      }
      expect_near(prod(x.mul(0.01).add(1.0), 0), prod(xc.mul(0.01).add(1.0), 0),
                  rtol, 0, "prod");
    }
  }
}

TEST(CudaDevice, ArgAndIntegerReductionsMatchCpu) {
  REQUIRE_GPU();
  uint64_t seed = 60;
  for (DType dt : {kFloat32, kFloat64, kInt64, kInt32, kUInt8, kBool}) {
    for (const ReduceShape &s : reduce_shapes()) {
      // Rounded samples: integer dtypes have many ties (first index wins).
      Tensor x = sample(s.sizes, dt, ++seed), xc = x.cuda();
      const std::string w = std::string(dtype_name(dt)) + " " +
                            std::to_string(s.sizes.size()) + "-d: ";
      if (dt != kBool) {
        expect_near(argmax(x), argmax(xc), 0, 0, w + "argmax");
        expect_near(argmin(x, 0, true), argmin(xc, 0, true), 0, 0,
                    w + "argmin 0");
      }
      for (int64_t d = 0; d < x.dim(); ++d) {
        auto [v, i] = max(x, d);
        auto [vc, ic] = max(xc, d);
        expect_near(v, vc, 0, 0, w + "max values " + std::to_string(d));
        expect_near(i, ic, 0, 0, w + "max indices " + std::to_string(d));
        auto [mv, mi] = min(x, d, true);
        auto [mvc, mic] = min(xc, d, true);
        expect_near(mv, mvc, 0, 0, w + "min values " + std::to_string(d));
        expect_near(mi, mic, 0, 0, w + "min indices " + std::to_string(d));
      }
      if (!is_floating_point(dt)) { // int64 results, exact (wrapping)
        for (const DimVector &d : s.dims)
          expect_near(sum(x, d), sum(xc, d), 0, 0, w + "sum");
        expect_near(prod(x, 0), prod(xc, 0), 0, 0, w + "prod");
        expect_near(amax(x, {}), amax(xc, {}), 0, 0, w + "amax");
      }
    }
  }
}

TEST(CudaDevice, SoftmaxAndLogSoftmaxMatchCpu) {
  REQUIRE_GPU();
  // Rows of a block each, short rows, long strided columns, short columns.
  const std::vector<std::pair<DimVector, int64_t>> cases = {
      {{128, 1000}, 1}, {{64, 10}, 1}, {{8, 300, 16}, 1}, {{4, 5, 4096}, 1}};
  uint64_t seed = 80;
  for (DType dt : {kFloat32, kFloat64}) {
    // log_softmax near 0 (a dominant element) is a difference: absolute
    // tolerance of the log of a sum >= 1.
    const double rtol = dt == kFloat32 ? 1e-6 : 1e-12;
    const double atol = dt == kFloat32 ? 1e-6 : 1e-14;
    for (const auto &[shape, dim] : cases) {
      Tensor x = sample(shape, dt, ++seed), xc = x.cuda();
      const std::string w = std::string(dtype_name(dt)) + " dim " +
                            std::to_string(dim) + " of " +
                            std::to_string(shape.size()) + "-d: ";
      expect_near(softmax(x, dim), softmax(xc, dim), rtol, 0, w + "softmax");
      expect_near(log_softmax(x, dim), log_softmax(xc, dim), rtol, atol,
                  w + "log_softmax");
      expect_near(softmax(x, 0), softmax(xc, 0), rtol, 0, w + "softmax 0");
    }
  }
}

TEST(CudaDevice, ReductionGradientsMatchCpu) {
  REQUIRE_GPU();
  // sum's and mean's gradients (the output gradient broadcast back) and
  // log_softmax's (a sum over the dim) through CUDA, against the CPU.
  auto loss = [](const Tensor &w) {
    return (log_softmax(w, 1) * w).sum({1}).mean() + w.sum({0}).sum();
  };
  Tensor w = sample({16, 40}, kFloat64, 90).requires_grad_();
  loss(w.cuda()).backward();
  Tensor w2 = w.detach().clone().requires_grad_();
  loss(w2).backward();
  ASSERT_TRUE(w.grad().defined());
  EXPECT_TRUE(ember::testing::allclose(w.grad(), w2.grad(), 1e-12, 1e-12));
}

// --- GEMM, convolution, pooling (kernels::cuda::matmul, conv2d, pools) ------

// cuBLAS sums in another order than OpenBLAS: float results agree within
// rtol 1e-5 (float32) / 1e-12 (float64), with atol = rtol * max |CPU
// result| (cancellation can leave an element near 0); integer results
// exactly.
void expect_gemm_close(const Tensor &cpu_result, const Tensor &cuda_result,
                       const std::string &what) {
  ASSERT_TRUE(cuda_result.device().is_cuda()) << what;
  Tensor got = cuda_result.cpu();
  ASSERT_EQ(got.dtype(), cpu_result.dtype()) << what;
  ASSERT_EQ(got.sizes(), cpu_result.sizes()) << what;
  if (!is_floating_point(got.dtype())) {
    EXPECT_TRUE(ember::testing::tensors_equal(got, cpu_result)) << what;
    return;
  }
  const double rtol = got.dtype() == kFloat32 ? 1e-5 : 1e-12;
  double scale = 1;
  Tensor c = cpu_result.contiguous().to(kFloat64);
  for (int64_t i = 0; i < c.numel(); ++i)
    scale = std::max(scale, std::fabs(c.data_ptr<double>()[i]));
  EXPECT_TRUE(ember::testing::allclose(got, cpu_result, rtol, rtol * scale))
      << what;
}

TEST(CudaDevice, MatmulShapesMatchCpu) {
  REQUIRE_GPU();
  for (DType dt : {kFloat32, kFloat64, kInt32, kInt64, kUInt8}) {
    std::string d = std::string(dtype_name(dt));
    auto check = [&](const Tensor &a, const Tensor &b, const std::string &w) {
      expect_gemm_close(matmul(a, b), matmul(a.cuda(), b.cuda()), d + " " + w);
    };
    Tensor a = sample({7, 5}, dt, 1), b = sample({5, 9}, dt, 2);
    Tensor at = sample({5, 7}, dt, 3), bt = sample({9, 5}, dt, 4);
    check(a, b, "mm");
    check(at.t(), b, "transposed a");
    check(a, bt.t(), "transposed b");
    check(at.t(), bt.t(), "both transposed");
    // Views that fit no cuBLAS layout are packed first.
    Tensor big = sample({14, 10}, dt, 5);
    check(big.slice(0, 0, 14, 2).slice(1, 0, 10, 2), b, "stepped view");
    check(sample({1, 5}, dt, 6).expand({7, 5}), b, "expanded rows");
    Tensor ba = sample({3, 4, 6}, dt, 7), bb = sample({3, 6, 2}, dt, 8);
    expect_gemm_close(bmm(ba, bb), bmm(ba.cuda(), bb.cuda()), d + " bmm");
    check(ba, bb.transpose(1, 2).contiguous().transpose(1, 2),
          "bmm transposed b");
    check(sample({2, 1, 4, 6}, dt, 9), sample({3, 6, 5}, dt, 10),
          "batch broadcast");
    check(sample({2, 3, 4, 6}, dt, 11), sample({6, 5}, dt, 12),
          "shared b (one strided batch)");
    check(sample({6}, dt, 13), sample({2, 6, 5}, dt, 14), "1-D @ batched");
    check(sample({4, 6}, dt, 15), sample({6}, dt, 16), "2-D @ 1-D");
    check(sample({6}, dt, 17), sample({6}, dt, 18), "dot");
    check(sample({3, 0}, dt, 19), sample({0, 4}, dt, 20), "empty K: zeros");
    check(sample({0, 4}, dt, 21), sample({4, 3}, dt, 22), "empty M");
    check(sample({96, 130}, dt, 23), sample({130, 70}, dt, 24), "larger");
  }
}

TEST(CudaDevice, LinearLayerAndMatmulAutogradMatchCpu) {
  REQUIRE_GPU();
  for (DType dt : {kFloat32, kFloat64}) {
    Tensor x = sample({8, 20}, dt, 30), w = sample({12, 20}, dt, 31),
           b = sample({12}, dt, 32);
    expect_gemm_close(nn::functional::linear(x, w, b),
                      nn::functional::linear(x.cuda(), w.cuda(), b.cuda()),
                      "linear");
    // Gradients of x @ w^T and of a bmm (no broadcast: no reductions).
    Tensor gy = sample({8, 12}, dt, 33);
    Tensor xc = x.clone().requires_grad_(), wc = w.clone().requires_grad_();
    nn::functional::linear(xc, wc).backward(gy);
    Tensor xg = x.cuda().requires_grad_(), wg = w.cuda().requires_grad_();
    nn::functional::linear(xg, wg).backward(gy.cuda());
    expect_gemm_close(xc.grad(), xg.grad(), "linear d x");
    expect_gemm_close(wc.grad(), wg.grad(), "linear d w");
    Tensor p = sample({3, 4, 6}, dt, 34), q = sample({3, 6, 5}, dt, 35);
    Tensor g = sample({3, 4, 5}, dt, 36);
    Tensor pc = p.clone().requires_grad_(), qc = q.clone().requires_grad_();
    bmm(pc, qc).backward(g);
    Tensor pg = p.cuda().requires_grad_(), qg = q.cuda().requires_grad_();
    bmm(pg, qg).backward(g.cuda());
    expect_gemm_close(pc.grad(), pg.grad(), "bmm d a");
    expect_gemm_close(qc.grad(), qg.grad(), "bmm d b");
  }
}

struct ConvSetting {
  std::vector<int64_t> stride, padding, dilation;
  int64_t groups;
  std::string name;
};
std::vector<ConvSetting> conv_settings() {
  return {{{1, 1}, {0, 0}, {1, 1}, 1, "plain"},
          {{2, 1}, {1, 2}, {1, 1}, 1, "stride+padding"},
          {{1, 2}, {2, 1}, {2, 3}, 1, "dilation"},
          {{1, 1}, {1, 1}, {1, 1}, 2, "groups 2"},
          {{1, 1}, {0, 0}, {1, 1}, 4, "depthwise"}};
}

TEST(CudaDevice, Conv2dMatchesCpu) {
  REQUIRE_GPU();
  for (DType dt : {kFloat32, kFloat64, kInt64}) {
    for (const ConvSetting &s : conv_settings()) {
      Tensor x = sample({2, 4, 9, 8}, dt, 40);
      Tensor w = sample({8, 4 / s.groups, 3, 2}, dt, 41);
      Tensor b = sample({8}, dt, 42);
      std::string what = std::string(dtype_name(dt)) + " " + s.name;
      expect_gemm_close(
          conv2d(x, w, b, s.stride, s.padding, s.dilation, s.groups),
          conv2d(x.cuda(), w.cuda(), b.cuda(), s.stride, s.padding, s.dilation,
                 s.groups),
          what + " with bias");
      expect_gemm_close(
          conv2d(x, w, {}, s.stride, s.padding, s.dilation, s.groups),
          conv2d(x.cuda(), w.cuda(), {}, s.stride, s.padding, s.dilation,
                 s.groups),
          what);
    }
    // A 1x1 kernel reads the input directly; an unbatched (3-D) input.
    Tensor x = sample({2, 4, 5, 6}, dt, 43), w1 = sample({3, 4, 1, 1}, dt, 44);
    expect_gemm_close(conv2d(x, w1), conv2d(x.cuda(), w1.cuda()), "1x1");
    Tensor x3 = sample({4, 5, 6}, dt, 45), w3 = sample({3, 4, 3, 3}, dt, 46);
    expect_gemm_close(conv2d(x3, w3, {}, {1, 1}, {1, 1}),
                      conv2d(x3.cuda(), w3.cuda(), {}, {1, 1}, {1, 1}),
                      "unbatched");
  }
}

TEST(CudaDevice, Conv2dGradientsMatchCpu) {
  REQUIRE_GPU();
  for (DType dt : {kFloat32, kFloat64}) {
    for (const ConvSetting &s : conv_settings()) {
      std::string what = std::string(dtype_name(dt)) + " " + s.name;
      Tensor x = sample({2, 4, 9, 8}, dt, 50);
      Tensor w = sample({8, 4 / s.groups, 3, 2}, dt, 51);
      Tensor y = conv2d(x, w, {}, s.stride, s.padding, s.dilation, s.groups);
      Tensor gy = sample(y.sizes(), dt, 52);
      // Through autograd (no bias: its gradient is a reduction).
      Tensor xc = x.clone().requires_grad_(), wc = w.clone().requires_grad_();
      conv2d(xc, wc, {}, s.stride, s.padding, s.dilation, s.groups)
          .backward(gy);
      Tensor xg = x.cuda().requires_grad_(), wg = w.cuda().requires_grad_();
      conv2d(xg, wg, {}, s.stride, s.padding, s.dilation, s.groups)
          .backward(gy.cuda());
      expect_gemm_close(xc.grad(), xg.grad(), what + " d input");
      expect_gemm_close(wc.grad(), wg.grad(), what + " d weight");
    }
    // The 1x1 direct path of both gradients.
    Tensor x = sample({2, 4, 5, 6}, dt, 53), w = sample({3, 4, 1, 1}, dt, 54);
    Tensor gy = sample({2, 3, 5, 6}, dt, 55);
    expect_gemm_close(
        conv2d_backward_input(gy, w, x.sizes(), {1, 1}, {0, 0}, {1, 1}, 1),
        conv2d_backward_input(gy.cuda(), w.cuda(), x.sizes(), {1, 1}, {0, 0},
                              {1, 1}, 1),
        "1x1 d input");
    expect_gemm_close(
        conv2d_backward_weight(gy, x, w.sizes(), {1, 1}, {0, 0}, {1, 1}, 1),
        conv2d_backward_weight(gy.cuda(), x.cuda(), w.sizes(), {1, 1}, {0, 0},
                               {1, 1}, 1),
        "1x1 d weight");
  }
}

// The pools and their gradients do the CPU's operations in the CPU's order
// (--fmad=false): equal bit for bit.
TEST(CudaDevice, PoolsAndGradientsEqualCpu) {
  REQUIRE_GPU();
  struct P {
    std::vector<int64_t> k, s, pad, dil;
    bool ceil, cip;
  };
  const std::vector<P> settings = {{{2, 2}, {2, 2}, {0, 0}, {1, 1}, 0, 1},
                                   {{3, 3}, {2, 2}, {1, 1}, {1, 1}, 1, 1},
                                   {{3, 2}, {1, 3}, {1, 0}, {2, 2}, 1, 0},
                                   {{3, 3}, {1, 1}, {1, 1}, {1, 1}, 0, 0}};
  for (DType dt : {kFloat32, kFloat64}) {
    Tensor x = sample({2, 3, 9, 10}, dt, 60);
    x.select(3, 4).select(2, 2).fill_(-INFINITY); // -inf inside windows
    for (const P &p : settings) {
      std::string what = std::string(dtype_name(dt)) + " k" +
                         std::to_string(p.k[0]) + " s" + std::to_string(p.s[0]);
      Tensor ym = max_pool2d(x, p.k, p.s, p.pad, p.dil, p.ceil);
      Tensor ymg = max_pool2d(x.cuda(), p.k, p.s, p.pad, p.dil, p.ceil);
      EXPECT_TRUE(ember::testing::tensors_equal(ymg.cpu(), ym))
          << "max_pool2d " << what;
      Tensor gy = sample(ym.sizes(), dt, 61);
      Tensor xc = x.clone().requires_grad_();
      max_pool2d(xc, p.k, p.s, p.pad, p.dil, p.ceil).backward(gy);
      Tensor xg = x.cuda().requires_grad_();
      max_pool2d(xg, p.k, p.s, p.pad, p.dil, p.ceil).backward(gy.cuda());
      EXPECT_TRUE(ember::testing::tensors_equal(xg.grad().cpu(), xc.grad()))
          << "max_pool2d backward " << what;

      Tensor ya = avg_pool2d(x, p.k, p.s, p.pad, p.ceil, p.cip);
      Tensor yag = avg_pool2d(x.cuda(), p.k, p.s, p.pad, p.ceil, p.cip);
      EXPECT_TRUE(ember::testing::tensors_equal(yag.cpu(), ya))
          << "avg_pool2d " << what;
      Tensor ga = sample(ya.sizes(), dt, 62);
      Tensor xa = x.clone().requires_grad_();
      avg_pool2d(xa, p.k, p.s, p.pad, p.ceil, p.cip).backward(ga);
      Tensor xag = x.cuda().requires_grad_();
      avg_pool2d(xag, p.k, p.s, p.pad, p.ceil, p.cip).backward(ga.cuda());
      EXPECT_TRUE(ember::testing::tensors_equal(xag.grad().cpu(), xa.grad()))
          << "avg_pool2d backward " << what;
    }
  }
  // avg_pool2d of int64 truncates as the CPU; an unbatched input.
  Tensor xi = sample({3, 7, 7}, kInt64, 63);
  EXPECT_TRUE(ember::testing::tensors_equal(
      avg_pool2d(xi.cuda(), {3, 3}, {2, 2}, {1, 1}).cpu(),
      avg_pool2d(xi, {3, 3}, {2, 2}, {1, 1})));
}

TEST(CudaAbsent, ErrorsAreClean) {
  if (cuda::is_available())
    GTEST_SKIP() << "a CUDA device is present";
  EXPECT_EQ(cuda::device_count(), 0);
  EXPECT_EMBER_ERROR(ones({2}).cuda(), "no CUDA device is available");
  EXPECT_EMBER_ERROR(zeros({2}, device(Device("cuda"))),
                     "no CUDA device is available");
  EXPECT_EMBER_ERROR(cuda::synchronize(), "cuda::synchronize");
  EXPECT_EMBER_ERROR(cuda::Stream::create(), "cuda::Stream::create");
  EXPECT_EMBER_ERROR(cuda::set_device(0), "cuda::set_device");
  EXPECT_EQ(cuda::memory_allocated(), 0u);
  cuda::empty_cache(); // a no-op, not an error
  EXPECT_EQ(cuda::current_stream(), cuda::Stream());
}

// --- index and random families -------------------------------------------
// Index ops equal the CPU exactly (they move values; scatter_add and
// index_put_(accumulate) add duplicates in the CPU's order, so even float
// sums are bitwise equal). Random ops with one seed give the CPU's numbers:
// exactly for rand / randint / randperm / bernoulli / dropout masks; randn
// within 1 float32 ulp (rtol 2^-23) and, in float64, 1e-14 absolute plus
// 1e-14 relative (the Box-Muller log / sin / cos of CUDA and glibc may
// differ in the last ulps of the double result).

void expect_equal(const Tensor &cpu_result, const Tensor &cuda_result,
                  const std::string &what) {
  ASSERT_TRUE(cuda_result.device().is_cuda()) << what;
  EXPECT_TRUE(ember::testing::tensors_equal(cuda_result.cpu(), cpu_result))
      << what;
}

TEST(CudaDevice, GatherScatterAddIndexSelectMatchCpuExactly) {
  REQUIRE_GPU();
  for (DType dt : {kFloat32, kFloat64, kInt64, kInt32}) {
    std::string n(dtype_name(dt));
    Tensor x = sample({5, 7}, dt, 20);
    Tensor i0 = randint(0, 5, {9, 7}), i1 = randint(0, 7, {5, 12});
    expect_equal(gather(x, 0, i0), gather(x.cuda(), 0, i0.cuda()),
                 "gather 0 " + n);
    Tensor it = i0.narrow(0, 0, 7).narrow(1, 0, 5); // values < 5
    expect_equal(gather(x.t(), 1, it), gather(x.cuda().t(), 1, it.cuda()),
                 "gather transposed " + n);
    // Many duplicates, values of mixed magnitude: the sums' order matters.
    Tensor src = sample({9, 7}, dt, 21);
    if (is_floating_point(dt))
      src = src * pow(full({9, 1}, 10.0, dtype(dt)),
                      arange(0, 9, 1, dtype(dt)).view({9, 1}));
    expect_equal(scatter_add(x, 0, i0, src),
                 scatter_add(x.cuda(), 0, i0.cuda(), src.cuda()),
                 "scatter_add 0 " + n);
    Tensor src1 = sample({5, 12}, dt, 22);
    expect_equal(scatter_add(x, 1, i1, src1),
                 scatter_add(x.cuda(), 1, i1.cuda(), src1.cuda()),
                 "scatter_add 1 " + n);
    for (DType index_type : {kInt64, kInt32}) {
      Tensor idx = tensor({4, 0, 4, 2}).to(index_type);
      expect_equal(index_select(x, 0, idx),
                   index_select(x.cuda(), 0, idx.cuda()),
                   "index_select 0 " + n);
      expect_equal(index_select(x, 1, idx),
                   index_select(x.cuda(), 1, idx.cuda()),
                   "index_select 1 " + n);
    }
  }
  // A large 1-D scatter_add (a histogram: one serial line) stays exact.
  Tensor vals = randn({20000}), bins = randint(0, 17, {20000});
  expect_equal(scatter_add(zeros({17}), 0, bins, vals),
               scatter_add(zeros({17}).cuda(), 0, bins.cuda(), vals.cuda()),
               "histogram");
}

TEST(CudaDevice, AdvancedIndexingMasksAndOneHotMatchCpu) {
  REQUIRE_GPU();
  using namespace ember::indexing;
  Tensor x = sample({6, 5, 4}, kFloat32, 23), xd = x.cuda();
  Tensor i = tensor({5, 0, -1, 2}), j = tensor({1, 1, 3, 0});
  expect_equal(x.index({i}), xd.index({i.cuda()}), "x[i]");
  expect_equal(x.index({i, Slice(), j}),
               xd.index({i.cuda(), Slice(), j.cuda()}),
               "x[i, :, j] (separated index dims)");
  // Boolean masks go through count_nonzero + nonzero (row-major order).
  for (DType mt : {kBool, kUInt8}) {
    Tensor m = sample({6, 5}, kFloat32, 24).gt(0.0).to(mt);
    expect_equal(x.index({m}), xd.index({m.cuda()}), "x[mask]");
    Tensor big = sample({300, 77}, kFloat32, 25);
    Tensor bm = big.gt(0.5).to(mt);
    expect_equal(big.index({bm}), big.cuda().index({bm.cuda()}),
                 "big[mask] (several blocks)");
    expect_equal(big.t().index({bm.t()}), big.cuda().t().index({bm.cuda().t()}),
                 "transposed mask");
  }
  Tensor empty_mask = zeros({6, 5}, dtype(kBool));
  expect_equal(x.index({empty_mask}), xd.index({empty_mask.cuda()}),
               "all-false mask");
  // index_put_ with and without accumulation (duplicates in i2).
  Tensor i2 = tensor({3, 1, 3, 3, 0});
  Tensor v = sample({5, 5, 4}, kFloat32, 26);
  Tensor a = x.clone(), ad = xd.clone();
  index_put_(a, {i2}, v, /*accumulate=*/true);
  index_put_(ad, {i2.cuda()}, v.cuda(), /*accumulate=*/true);
  expect_equal(a, ad, "index_put_ accumulate");
  Tensor i3 = tensor({4, 1, 0});
  Tensor b = x.clone(), bd = xd.clone();
  b.index_put_({i3}, v.narrow(0, 0, 3));
  bd.index_put_({i3.cuda()}, v.narrow(0, 0, 3).cuda());
  expect_equal(b, bd, "index_put_");
  Tensor m = x.gt(0.0);
  expect_equal(x.masked_fill(m, 2.5), xd.masked_fill(m.cuda(), 2.5),
               "masked_fill");
  Tensor c = tensor({3, 0, 4, 4, 1});
  expect_equal(one_hot(c), one_hot(c.cuda()), "one_hot inferred");
  expect_equal(one_hot(c.view({5, 1}), 7), one_hot(c.view({5, 1}).cuda(), 7),
               "one_hot 7");
}

TEST(CudaDevice, IndexErrorsAreTheCpuErrors) {
  REQUIRE_GPU();
  Tensor x = ones({4, 3}).cuda();
  EXPECT_EMBER_ERROR(index_select(x, 0, tensor({1, 9}).cuda()),
                     "index 9 is out of bounds for dimension 0 with size 4");
  EXPECT_EMBER_ERROR(gather(x, 1, tensor({{0}, {-1}}).cuda()),
                     "index -1 is out of bounds for dimension 1 with size 3");
  EXPECT_EMBER_ERROR(x.index({tensor({-5}).cuda()}),
                     "index -5 is out of bounds for dimension 0 with size 4");
  EXPECT_EMBER_ERROR(one_hot(tensor({0, 5}).cuda(), 3),
                     "class values must be smaller than num_classes (3)");
  EXPECT_EMBER_ERROR(bernoulli(full({3}, 1.5).cuda()),
                     "expects all probabilities p to be in [0, 1], got p=1.5");
}

TEST(CudaDevice, ManualSeedGivesTheCpuNumbers) {
  REQUIRE_GPU();
  Device dev("cuda");
  auto both = [&](const std::function<Tensor(Device)> &draw) {
    manual_seed(1234);
    Tensor c = draw(Device(kCPU));
    uint64_t off = default_generator().offset();
    cuda::manual_seed(1234);
    Tensor d = draw(dev);
    EXPECT_EQ(default_generator().offset(), off) << "offsets advance alike";
    EXPECT_TRUE(d.device().is_cuda());
    return std::pair{c, d.cpu()};
  };
  for (DType dt : {kFloat32, kFloat64}) {
    std::string n(dtype_name(dt));
    for (int64_t numel : {1, 7, 100003}) {
      auto [u, ud] =
          both([&](Device d) { return rand({numel}, device(d).dtype(dt)); });
      EXPECT_TRUE(ember::testing::tensors_equal(ud, u)) << "rand " << n;
      auto [g, gd] = both([&](Device d) {
        (void)randn({3}, device(d).dtype(dt)); // moves the offset
        return randn({numel}, device(d).dtype(dt));
      });
      // float32: 1 ulp (2^-23 relative); float64: 1e-14 (+ 1e-14 relative).
      EXPECT_TRUE(dt == kFloat32
                      ? ember::testing::allclose(gd, g, 1.1920929e-7, 0)
                      : ember::testing::allclose(gd, g, 1e-14, 1e-14))
          << "randn " << n;
    }
    auto [s, sd] = both([&](Device d) {
      Tensor t = zeros({6, 4}, device(d).dtype(dt));
      t.t().uniform_(-3, 5); // a strided view: drawn, then copied
      return t;
    });
    EXPECT_TRUE(ember::testing::tensors_equal(sd, s)) << "uniform_ view " << n;
    auto [b, bd] = both([&](Device d) {
      return bernoulli(full({1001}, 0.3, device(d).dtype(dt)));
    });
    EXPECT_TRUE(ember::testing::tensors_equal(bd, b)) << "bernoulli " << n;
    auto [k, kd] = both([&](Device d) {
      return nn::functional::dropout(ones({37, 11}, device(d).dtype(dt)), 0.4);
    });
    EXPECT_TRUE(ember::testing::tensors_equal(kd, k)) << "dropout mask " << n;
  }
  for (DType dt : {kInt64, kInt32, kFloat64, kFloat32}) {
    auto [r, rd] = both(
        [&](Device d) { return randint(-3, 100, {999}, device(d).dtype(dt)); });
    EXPECT_TRUE(ember::testing::tensors_equal(rd, r)) << "randint " << dt;
  }
  auto [p, pd] = both([&](Device d) { return randperm(1000, device(d)); });
  EXPECT_TRUE(ember::testing::tensors_equal(pd, p)) << "randperm";
  cuda::manual_seed_all(7);
  Tensor r1 = rand({5}, device(dev));
  manual_seed(7);
  EXPECT_TRUE(ember::testing::tensors_equal(r1.cpu(), rand({5})))
      << "manual_seed_all seeds the one default generator";
}

// Runs without a GPU: cuda::manual_seed(_all) seed the one default
// generator (seed set, offset reset), as ember::manual_seed.
TEST(CudaSeed, SeedsTheOneDefaultGenerator) {
  manual_seed(99);
  Tensor want = rand({6});
  (void)rand({3});
  cuda::manual_seed(99);
  EXPECT_EQ(default_generator().offset(), 0u);
  EXPECT_TRUE(ember::testing::tensors_equal(rand({6}), want));
  cuda::manual_seed_all(99);
  EXPECT_EQ(default_generator().seed(), 99u);
  EXPECT_TRUE(ember::testing::tensors_equal(rand({6}), want));
}

} // namespace

// --- compiled programs (program.h) ---------------------------------------
// A program with generated kernels, a GEMM and views: launched through
// cuda_launcher (NVRTC, then an image compiled ahead of time) on CUDA
// tensors against the same kernels run on the host (program_test_kernels.h).
#include "program_test_kernels.h"

namespace {

TEST(CudaProgram, LaunchMatchesHostRun) {
  REQUIRE_GPU();
  using namespace ember::program;
  const Program p = ember::program::testing::mixed_program();
  std::vector<Tensor> in = {sample({3, 4}, kFloat32, 1),
                            sample({4, 4}, kFloat32, 2),
                            sample({4}, kFloat32, 3)};
  std::vector<std::shared_ptr<TensorImpl>> cpu_in, cuda_in;
  for (const Tensor &t : in) {
    cpu_in.push_back(t.impl_ptr());
    cuda_in.push_back(t.to(Device("cuda")).impl_ptr());
  }
  ember::program::testing::HostLauncher host;
  Tensor want(run(p, cpu_in, host)[0]);

  auto jit = cuda_launcher(p);
  expect_close(want, Tensor(run(p, cuda_in, *jit)[0]), "cuda_launcher");
  // PTX for sm_90 runs on any newer device too (the driver compiles it).
  auto aot = cuda_launcher(p, nvrtc_compile(p.source, "mixed.cu", 90, true));
  expect_close(want, Tensor(run(p, cuda_in, *aot)[0]), "ahead-of-time PTX");
  // A cubin for the device's own architecture (sm_90 on an H100/H200).
  cuda::Capability cap = cuda::get_device_capability(0);
  auto cubin =
      cuda_launcher(p, nvrtc_compile(p.source, "mixed.cu",
                                     cap.major * 10 + cap.minor, false));
  expect_close(want, Tensor(run(p, cuda_in, *cubin)[0]), "cubin");
}

} // namespace

// DType promotion, Device parsing, Storage/views, the dispatcher's hooks,
// the thread pool, .npy files and error messages.
#include "test_util.h"

#include "ember/runtime/file_io.h"

#include <atomic>
#include <cstdio>
#include <fstream>
#include <unistd.h>

using namespace ember;
using ember::testing::tensors_equal;

TEST(DType, PromotionTable) {
  EXPECT_EQ(promote_types(kBool, kUInt8), kUInt8);
  EXPECT_EQ(promote_types(kUInt8, kInt32), kInt32);
  EXPECT_EQ(promote_types(kInt32, kInt64), kInt64);
  EXPECT_EQ(promote_types(kInt64, kFloat32), kFloat32);
  EXPECT_EQ(promote_types(kFloat32, kFloat64), kFloat64);
  EXPECT_EQ(promote_types(DType::Float16, DType::BFloat16), kFloat32);
  EXPECT_EQ(promote_types(DType::Float16, kInt64), DType::Float16);
  EXPECT_EQ(element_size(kFloat64), 8u);
  EXPECT_EQ(dtype_name(kUInt8), "uint8");
}

TEST(DType, ResultTypeTiers) {
  Tensor i32 = ones({2}, dtype(kInt32));
  EXPECT_EQ(result_type(i32, Scalar(2)), kInt32); // wrapped int loses
  EXPECT_EQ(result_type(i32, Scalar(2.5)),
            kFloat32); // wrapped float: default dtype
  EXPECT_EQ(result_type(i32, tensor(2, dtype(kInt64))),
            kInt32); // 0-dim int loses
  EXPECT_EQ(result_type(i32, tensor(2.0, dtype(kFloat64))), kFloat64);
  EXPECT_EQ(result_type(ones({2}, dtype(kBool)), Scalar(3)), kInt64);
  EXPECT_EQ(result_type(ones({2}, dtype(kFloat32)), ones({2}, dtype(kFloat64))),
            kFloat64);
}

TEST(Device, Parsing) {
  EXPECT_TRUE(Device("cpu").is_cpu());
  EXPECT_EQ(Device("cuda:1").index(), 1);
  EXPECT_EQ(Device("cuda").str(), "cuda");
  EXPECT_EQ(Device("cuda"), Device("cuda:0"));
  EXPECT_EMBER_ERROR(Device("tpu"), "cannot parse device 'tpu'");
  EXPECT_EMBER_ERROR(Device("cuda:x"), "cannot parse device 'cuda:x'");
  EXPECT_EMBER_ERROR(Device("cuda:"), "cannot parse device");
}

TEST(Device, CudaAbsentIsClean) {
  if (cuda::is_available())
    GTEST_SKIP() << "a CUDA device is present";
  EXPECT_EQ(cuda::device_count(), 0);
  EXPECT_EMBER_ERROR(ones({2}).to(Device("cuda:0")), "to_device");
  EXPECT_EMBER_ERROR(empty({2}, device(Device("cuda"))),
                     "no CUDA device is available");
}

TEST(Storage, AlignmentAndSharing) {
  Tensor t = empty({3, 5});
  EXPECT_EQ(reinterpret_cast<uintptr_t>(t.raw_data_ptr()) % kCpuAlignment, 0u);
  Tensor v = t.view({15});
  v.fill_(2.0);
  EXPECT_EQ(t.data_ptr<float>()[14], 2.0f);
  EXPECT_EQ(v.unsafe_impl()->storage(), t.unsafe_impl()->storage());
}

TEST(Storage, ViewsShareMemoryAndVersions) {
  Tensor t = zeros({2, 3});
  Tensor row = t.select(0, 1);
  uint64_t v0 = t._version();
  row.fill_(5.0);
  EXPECT_EQ(t.data_ptr<float>()[3], 5.0f);
  EXPECT_EQ(t.data_ptr<float>()[0], 0.0f);
  EXPECT_GT(t._version(), v0);
  Tensor tt = t.t();
  EXPECT_FALSE(tt.is_contiguous());
  EXPECT_EQ(tt.stride(0), 1);
  EXPECT_EMBER_ERROR(tt.view({6}), "use reshape instead");
  EXPECT_EQ(tt.reshape({6}).numel(), 6);
}

TEST(Tensor, ItemAndDataPtr) {
  Tensor t = tensor({{1, 2}, {3, 4}});
  EXPECT_EQ(t.dtype(), kInt64);
  EXPECT_EQ(t.sizes(), IntArrayRef({2, 2}));
  EXPECT_EQ(t.select(1, 1).select(0, 1).item<int64_t>(), 4);
  EXPECT_EMBER_ERROR(t.item<int64_t>(),
                     "a Tensor with 4 elements cannot be converted to Scalar");
  EXPECT_EMBER_ERROR(
      t.data_ptr<float>(),
      "expected a tensor of dtype float32, but it has dtype int64");
  EXPECT_EMBER_ERROR(Tensor().dim(), "undefined");
  EXPECT_EQ(tensor(true).dtype(), kBool);
  EXPECT_EQ(tensor({1.5, 2.5}).dtype(), kFloat32);
  EXPECT_EMBER_ERROR(tensor({{1, 2}, {3}}), "not rectangular");
}

TEST(Tensor, FromBlobBorrowsMemory) {
  float buf[6] = {1, 2, 3, 4, 5, 6};
  Tensor t = from_blob(buf, {2, 3});
  t.mul_(2);
  EXPECT_EQ(buf[5], 12.0f);
  bool freed = false;
  {
    float *heap = new float[2]{1, 2};
    Tensor h = from_blob(heap, {2}, [&](void *p) {
      delete[] static_cast<float *>(p);
      freed = true;
    });
    EXPECT_EQ(h.data_ptr<float>()[1], 2.0f);
    EXPECT_FALSE(freed);
  }
  EXPECT_TRUE(freed);
}

namespace {
struct Recorder : DispatchObserver {
  std::vector<std::string> ops;
  std::vector<int> lines;
  void on_op(const OpCall &call, const TensorList &outs) override {
    ops.emplace_back(op_name(call.op));
    lines.push_back(static_cast<int>(call.loc.line()));
    EXPECT_FALSE(outs.empty());
  }
};
} // namespace

TEST(Dispatch, ObserversSeeOutermostOpsWithCallerLocation) {
  Recorder rec;
  Tensor a = ones({2, 3});
  int line;
  {
    ObserverGuard guard(&rec);
    line = __LINE__ + 1;
    Tensor b = a.flatten(); // implemented with reshape: recorded once
    Tensor c = relu(b);
  }
  Tensor d = a + 1; // after the guard: not recorded
  ASSERT_EQ(rec.ops.size(), 2u);
  EXPECT_EQ(rec.ops[0], "flatten");
  EXPECT_EQ(rec.ops[1], "relu");
  EXPECT_EQ(rec.lines[0], line);
  EXPECT_EQ(rec.lines[1], line + 1);
}

TEST(Dispatch, OpTableFromOpsDef) {
  EXPECT_GT(all_ops().size(), 90u);
  EXPECT_EQ(op_name(OpId::add), "add");
  EXPECT_TRUE(has_flag(op_info(OpId::add_).flags, OpFlag::Inplace));
  EXPECT_TRUE(has_flag(op_info(OpId::view).flags, OpFlag::View));
  EXPECT_EQ(op_info(OpId::matmul).family, OpFamily::Linalg);
}

TEST(Errors, NameOpShapesAndExpectation) {
  Tensor a = ones({2, 3}), b = ones({4});
  EXPECT_EMBER_ERROR(a + b,
                     "ember::add: shapes [2, 3] and [4] are not broadcastable");
  EXPECT_EMBER_ERROR(a.view({4, 2}),
                     "shape [4, 2] is invalid for input of size 6");
  EXPECT_EMBER_ERROR(a.view({-1, -1}), "only one dimension can be inferred");
  EXPECT_EMBER_ERROR(a.permute({0, 0}), "repeated dim");
  EXPECT_EMBER_ERROR(
      a.transpose(0, 2),
      "dimension out of range (expected to be in range of [-2, 1], but got 2)");
  EXPECT_EMBER_ERROR(
      a.expand({3, 3}),
      "the expanded size of the tensor (3) must match the existing size (2)");
  EXPECT_EMBER_ERROR(a.narrow(1, 2, 2), "exceeds dimension size (3)");
  EXPECT_EMBER_ERROR(a.select(0, 2), "index 2 out of range");
  Tensor i = ones({2}, dtype(kInt64));
  EXPECT_EMBER_ERROR(
      i.add_(1.5),
      "result type float32 can't be cast to the desired output type int64");
  EXPECT_EMBER_ERROR(i.add_(ones({3, 2}, dtype(kInt64))),
                     "doesn't match the broadcast shape");
  EXPECT_EMBER_ERROR(ones({2}, dtype(kBool)) - ones({2}, dtype(kBool)),
                     "subtraction with two bool tensors");
  EXPECT_EMBER_ERROR(-ones({2}, dtype(kBool)), "negation of a bool tensor");
  EXPECT_EMBER_ERROR(pow(i, -1),
                     "integers to negative integer powers are not allowed");
  EXPECT_EMBER_ERROR(where(a, a, a), "expected condition to be a bool tensor");
  EXPECT_EMBER_ERROR(clamp(a, std::nullopt, std::nullopt),
                     "at least one of 'min' or 'max'");
  EXPECT_EMBER_ERROR(i.masked_fill(i > 0, 0.5),
                     "cannot be converted to type int64");
  EXPECT_EMBER_ERROR(arange(0, 5, 0), "step must be nonzero");
  EXPECT_EMBER_ERROR(arange(5, 0, 1), "inconsistent with step sign");
  EXPECT_EMBER_ERROR(empty({2, -1}), "negative dimension");
  EXPECT_EMBER_ERROR(empty({2}, dtype(DType::Float16)), "reserved");
  EXPECT_EMBER_ERROR(set_default_dtype(kInt32), "expected float32 or float64");
}

TEST(Parallel, ThreadsAndLargeOpsAgree) {
  int saved = get_num_threads();
  Tensor x = arange(200000, dtype(kFloat64)) * 0.5;
  set_num_threads(1);
  Tensor one = exp(x * 1e-5) + x;
  set_num_threads(2);
  EXPECT_EQ(get_num_threads(), 2);
  Tensor two = exp(x * 1e-5) + x;
  EXPECT_TRUE(tensors_equal(one, two));
  std::atomic<int64_t> covered{0};
  parallel_for(0, 100000, 1000,
               [&](int64_t b, int64_t e) { covered += e - b; });
  EXPECT_EQ(covered.load(), 100000);
  EXPECT_THROW(parallel_for(0, 100000, 10,
                            [](int64_t b, int64_t) {
                              if (b > 0)
                                throw std::runtime_error("boom");
                            }),
               std::runtime_error);
  EXPECT_EMBER_ERROR(set_num_threads(0), "expected a positive thread count");
  set_num_threads(saved);
}

TEST(Npy, RoundTripAndNumpyFiles) {
  std::string dir = ::testing::TempDir();
  Tensor t = arange(12, dtype(kFloat64)).reshape({3, 4}).t(); // non-contiguous
  save_npy(t, dir + "/t.npy");
  Tensor back = load_npy(dir + "/t.npy");
  EXPECT_TRUE(tensors_equal(back, t.contiguous()));
  for (DType dt : {kFloat32, kInt32, kInt64, kUInt8, kBool}) {
    Tensor x = arange(6).reshape({2, 3}).to(dt);
    save_npy(x, dir + "/x.npy");
    EXPECT_TRUE(tensors_equal(load_npy(dir + "/x.npy"), x)) << dt;
  }
  Tensor s = tensor(3.5, dtype(kFloat64));
  save_npy(s, dir + "/s.npy");
  EXPECT_EQ(load_npy(dir + "/s.npy").dim(), 0);
  // Written by numpy (Fortran order) in the golden folder.
  Tensor f = ember::testing::golden("npy", "fortran_2x3");
  EXPECT_TRUE(tensors_equal(f, arange(6, dtype(kFloat64)).reshape({2, 3})));
}

TEST(Npy, BadFilesGiveClearErrors) {
  std::string dir = ::testing::TempDir();
  EXPECT_EMBER_ERROR(load_npy(dir + "/missing.npy"),
                     "cannot open '" + dir + "/missing.npy'");
  { std::ofstream(dir + "/junk.npy") << "hello world, not numpy"; }
  EXPECT_EMBER_ERROR(load_npy(dir + "/junk.npy"),
                     "missing the \\x93NUMPY magic");
  save_npy(arange(100, dtype(kFloat32)), dir + "/trunc.npy");
  std::string data = read_file("test", dir + "/trunc.npy");
  {
    std::ofstream(dir + "/trunc.npy", std::ios::binary)
        << data.substr(0, data.size() - 8);
  }
  EXPECT_EMBER_ERROR(load_npy(dir + "/trunc.npy"), "truncated data");
  EXPECT_EMBER_ERROR(
      load_npy(std::string(EMBER_GOLDEN_DIR) + "/npy/big_endian.npy"),
      "big-endian");
  EXPECT_EMBER_ERROR(
      load_npy(std::string(EMBER_GOLDEN_DIR) + "/npy/complex.npy"),
      "unsupported dtype '<c8'");
  EXPECT_EMBER_ERROR(save_npy(ones({2}), "/nonexistent-dir/x.npy"),
                     "cannot create a temporary file");
}

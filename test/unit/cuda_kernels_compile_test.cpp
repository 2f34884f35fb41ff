// Every eager CUDA kernel module (runtime/src/cuda/kernels, one module per
// family and dtype prelude, exactly the text the runtime hands NVRTC)
// compiles with NVRTC to a cubin for sm_90, and its PTX assembles with
// ptxas. Runs on every machine with the CUDA toolkit; needs no GPU.
#include "../../runtime/src/cuda/module.h"
#include "ember/runtime/error.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

using namespace ember;
using cuda::detail::c_type;

struct Module {
  std::string family, prelude;
};

std::vector<DType> all_dtypes() {
  return {kBool, kUInt8, kInt32, kInt64, kFloat32, kFloat64};
}

// The modules the runtime builds: keep in step with the host files of
// runtime/src/cuda (which family, which typedefs).
std::vector<Module> all_modules() {
  std::vector<Module> m;
  for (DType t : all_dtypes()) {
    m.push_back(
        {"elementwise", std::string("typedef ") + c_type(t) + " scalar_t;\n"});
    m.push_back({"copy", std::string("typedef ") + c_type(t) + " dst_t;\n"});
  }
  // index.cpp and random.cpp: one module per dtype each (random's uniform,
  // normal and bernoulli run for floats only, randint for every dtype).
  for (DType t : all_dtypes()) {
    m.push_back(
        {"index", std::string("typedef ") + c_type(t) + " scalar_t;\n"});
    m.push_back(
        {"random", std::string("typedef ") + c_type(t) + " scalar_t;\n"});
  }
  // Reductions for every dtype, softmax for the floating ones
  // (cuda/reduce.cpp).
  for (DType t : all_dtypes())
    m.push_back(
        {"reduce", std::string("typedef ") + c_type(t) + " scalar_t;\n"});
  for (DType t : {kFloat32, kFloat64})
    m.push_back(
        {"softmax", std::string("typedef ") + c_type(t) + " scalar_t;\n"});
  // GEMM / conv / pool (runtime/src/cuda/{gemm,conv,pool}.cpp): the integer
  // GEMM for int32/int64/uint8, conv for every conv2d dtype, the pools for
  // float32/float64 (max, avg) and int64 (avg).
  auto scalar = [](DType t) {
    return std::string("typedef ") + c_type(t) + " scalar_t;\n";
  };
  for (DType t : {kInt32, kInt64, kUInt8})
    m.push_back({"gemm", scalar(t)});
  for (DType t : {kFloat32, kFloat64, kInt32, kInt64, kUInt8})
    m.push_back({"conv", scalar(t)});
  for (DType t : {kFloat32, kFloat64, kInt64})
    m.push_back({"pool", scalar(t)});
  return m;
}

class CudaKernelsCompile : public ::testing::TestWithParam<Module> {};

// NVRTC -> PTX -> ptxas per module (ptxas also makes the cubin the loader
// would take); one module also goes through NVRTC's own cubin path.
TEST_P(CudaKernelsCompile, CompilesForSm90AndPtxAssembles) {
  if (!cuda::detail::nvrtc_available())
    GTEST_SKIP() << "libnvrtc is not installed";
  const Module &mod = GetParam();
  namespace fs = std::filesystem;
  std::string src = cuda::detail::module_source(mod.family, mod.prelude);
  std::string what = mod.family + " with " + mod.prelude;
  std::vector<char> ptx;
  ASSERT_NO_THROW(ptx = cuda::detail::nvrtc_compile(src, mod.family + ".cu", 90,
                                                    /*ptx=*/true))
      << what;
  fs::path dir = fs::temp_directory_path() /
                 ("ember_cuda_kernels_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path p = dir / (mod.family + ".ptx");
  // NVRTC's PTX ends in a NUL, which ptxas reads as a stray character.
  size_t len = ptx.size();
  while (len > 0 && ptx[len - 1] == '\0')
    --len;
  std::ofstream(p, std::ios::binary).write(ptx.data(), len);
  std::string cmd = std::string(EMBER_PTXAS) + " -arch=sm_90 -o " +
                    (dir / "out.cubin").string() + " " + p.string();
  EXPECT_EQ(std::system(cmd.c_str()), 0) << "ptxas rejects " << what;
  fs::remove_all(dir);
  if (mod.family == "elementwise" &&
      mod.prelude.find("float ") != std::string::npos) {
    std::vector<char> cubin =
        cuda::detail::nvrtc_compile(src, mod.family + ".cu", 90, false);
    ASSERT_GT(cubin.size(), 4u) << what;
    EXPECT_EQ(std::string(cubin.data() + 1, 3), "ELF") << what;
  }
}

std::string module_name(const ::testing::TestParamInfo<Module> &info) {
  std::string p = info.param.prelude;
  // "typedef unsigned char scalar_t;" -> "unsigned_char"
  p = p.substr(8, p.rfind(' ') - 8);
  for (char &c : p)
    if (c == ' ')
      c = '_';
  return info.param.family + "_" + p;
}

INSTANTIATE_TEST_SUITE_P(EveryModule, CudaKernelsCompile,
                         ::testing::ValuesIn(all_modules()), module_name);

TEST(CudaKernelsCompileModules, CountsEveryModule) {
  // elementwise + copy: 12; index + random: 12; reduce 6 + softmax 2;
  // gemm 3 + conv 5 + pool 3.
  EXPECT_EQ(all_modules().size(), 43u);
}

TEST(CudaKernelsCompileErrors, CarryNvrtcLog) {
  if (!cuda::detail::nvrtc_available())
    GTEST_SKIP() << "libnvrtc is not installed";
  try {
    cuda::detail::nvrtc_compile("extern \"C\" __global__ void k() { oops; }",
                                "bad.cu", 90, false);
    FAIL() << "expected ember::Error";
  } catch (const Error &e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("bad.cu"), std::string::npos) << msg;
    EXPECT_NE(msg.find("oops"), std::string::npos) << msg;
  }
  EXPECT_THROW(cuda::detail::module_source("no_such_family", ""), Error);
}

} // namespace

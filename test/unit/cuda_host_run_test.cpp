// The CUDA C the emitter writes (ember/Codegen/CUDA.h) computes what the
// CPU JIT computes, checked without a GPU: every op example of the dialect
// (test/lit/IR/ops.mlir, lowered and fused) is emitted, the CUDA C is
// compiled as host C++ by the system compiler behind a small shim
// (__global__ and __device__ empty, blockIdx a global, CUDA's bit-cast
// intrinsics and rsqrt written out), and each kernel runs once per thread
// index, in the function's order, on buffers of random inputs. The results
// must equal the CPU JIT's on the same inputs: integers and booleans
// exactly, floats within rtol 1e-5 / atol 1e-6 (the JIT approximates exp,
// tanh, erf, ... with polynomials; the host libm is exact to an ulp), NaN
// where the JIT has NaN. What the device's own math library does is left
// to the GPU run. Built only with EMBER_ENABLE_COMPILER; needs a C++
// compiler at run time (skips without one).
#include "ember/Codegen/CUDA.h"
#include "ember/Codegen/JIT.h"
#include "ember/Codegen/Passes.h"
#include "ember/IR/EmberDialect.h"
#include "ember/ember.h"
#include "op_examples.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/ADT/DenseMap.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <dlfcn.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

constexpr const char *kShim = R"(// Host shim for ember's CUDA C.
#include <cmath>
#include <cstring>
using std::signbit;
struct ember_dim3 { unsigned x, y, z; };
static ember_dim3 blockIdx, threadIdx;
static const ember_dim3 blockDim = {1, 1, 1};
#define __global__
#define __device__
static inline float __int_as_float(int v) { float f; std::memcpy(&f, &v, 4); return f; }
static inline double __longlong_as_double(long long v) { double d; std::memcpy(&d, &v, 8); return d; }
static inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }
static inline double rsqrt(double x) { return 1.0 / std::sqrt(x); }
)";

std::string cType(mlir::Type t) {
  if (t.isF32())
    return "float";
  if (t.isF64())
    return "double";
  if (t.isIndex() || t.isInteger(64))
    return "long long";
  if (t.isInteger(32))
    return "int";
  if (t.isInteger(16))
    return "short";
  if (t.isInteger(8))
    return "signed char";
  if (t.isInteger(1))
    return "bool";
  return "";
}

ember::DType dtypeOf(mlir::Type t) {
  if (t.isF32())
    return ember::kFloat32;
  if (t.isF64())
    return ember::kFloat64;
  if (t.isInteger(64))
    return ember::kInt64;
  if (t.isInteger(32))
    return ember::kInt32;
  if (t.isInteger(1))
    return ember::kBool;
  return ember::kUInt8;
}

// A loop over the thread indices calling the kernel with its parameters
// unpacked from `args` (pointers to buffers, or to scalar values).
std::string hostWrapper(const mlir::ember::CudaKernel &k) {
  std::string call = k.name + "(";
  unsigned i = 0;
  for (mlir::OpOperand &o : k.op->getOpOperands()) {
    auto shaped = llvm::dyn_cast<mlir::RankedTensorType>(o.get().getType());
    if (!shaped)
      continue; // a constant scalar: a literal in the kernel
    call += (i ? ", " : "");
    call += "(" + cType(shaped.getElementType()) + " *)args[" +
            std::to_string(i) + "]";
    ++i;
  }
  for (mlir::Value v : k.captures) {
    auto shaped = llvm::cast<mlir::RankedTensorType>(v.getType());
    call += (i ? ", " : "");
    call += "(const " + cType(shaped.getElementType()) + " *)args[" +
            std::to_string(i) + "]";
    ++i;
  }
  call += ")";
  return "extern \"C\" void host_" + k.name +
         "(void **args, long long threads) {\n"
         "  for (long long t = 0; t < threads; ++t) {\n"
         "    blockIdx.x = (unsigned)t;\n    " +
         call + ";\n  }\n}\n";
}

using Buffer = std::shared_ptr<std::vector<unsigned char>>;

Buffer bufferOf(const ember::Tensor &t) {
  ember::Tensor c = t.contiguous();
  auto b = std::make_shared<std::vector<unsigned char>>(
      static_cast<size_t>(c.nbytes()) + 1);
  std::memcpy(b->data(), c.raw_data_ptr(), static_cast<size_t>(c.nbytes()));
  return b;
}

// Random inputs of `type`: normal floats, small non-negative integers (valid
// indices for the examples' gathers), random booleans.
ember::Tensor randomInput(mlir::RankedTensorType type) {
  std::vector<int64_t> sizes(type.getShape().begin(), type.getShape().end());
  mlir::Type e = type.getElementType();
  if (e.isF32() || e.isF64())
    return ember::randn(sizes, ember::TensorOptions().dtype(dtypeOf(e)));
  if (e.isInteger(1))
    return ember::randn(sizes) > 0;
  return ember::randint(0, 3, sizes, ember::TensorOptions().dtype(dtypeOf(e)));
}

// Whether every op of `func` is one the host runner understands.
bool runnable(mlir::func::FuncOp func) {
  for (mlir::Operation &op : func.getBody().front()) {
    if (llvm::isa<mlir::linalg::GenericOp, mlir::linalg::FillOp,
                  mlir::tensor::EmptyOp, mlir::tensor::ExpandShapeOp,
                  mlir::tensor::CollapseShapeOp, mlir::func::ReturnOp>(op))
      continue;
    if (auto c = llvm::dyn_cast<mlir::arith::ConstantOp>(op))
      if (!llvm::isa<mlir::RankedTensorType>(c.getType()))
        continue;
    return false;
  }
  for (mlir::Type t : func.getFunctionType().getInputs()) {
    auto shaped = llvm::dyn_cast<mlir::RankedTensorType>(t);
    if (!shaped || !shaped.hasStaticShape() ||
        cType(shaped.getElementType()).empty())
      return false;
  }
  return true;
}

bool sameValues(const ember::Tensor &jit, const unsigned char *got,
                std::string &why) {
  ember::Tensor want = jit.contiguous();
  int64_t n = want.numel();
  auto check = [&]<typename T>(const T *w, bool exact) {
    const T *g = reinterpret_cast<const T *>(got);
    for (int64_t i = 0; i < n; ++i) {
      double a = static_cast<double>(g[i]), b = static_cast<double>(w[i]);
      bool ok = exact ? a == b
                      : (std::isnan(a) && std::isnan(b)) ||
                            (std::isinf(b) && a == b) ||
                            std::fabs(a - b) <= 1e-6 + 1e-5 * std::fabs(b);
      if (!ok) {
        why = "element " + std::to_string(i) + ": cuda-c " + std::to_string(a) +
              ", jit " + std::to_string(b);
        return false;
      }
    }
    return true;
  };
  switch (want.dtype()) {
  case ember::DType::Float32:
    return check(static_cast<const float *>(want.raw_data_ptr()), false);
  case ember::DType::Float64:
    return check(static_cast<const double *>(want.raw_data_ptr()), false);
  case ember::DType::Int64:
    return check(static_cast<const int64_t *>(want.raw_data_ptr()), true);
  case ember::DType::Int32:
    return check(static_cast<const int32_t *>(want.raw_data_ptr()), true);
  case ember::DType::Bool:
    return check(static_cast<const bool *>(want.raw_data_ptr()), true);
  default:
    why = "unexpected dtype";
    return false;
  }
}

TEST(CudaHostRun, EmittedKernelsMatchTheCpuJit) {
  if (std::system("c++ --version > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "no C++ compiler to build the host shim";
  ::setenv("EMBER_CACHE_DIR", "0", 1);
  mlir::DialectRegistry registry;
  mlir::ember::registerJitDialects(registry);
  mlir::MLIRContext context(registry);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      ember::testing::loweredOpExamples(context);
  ASSERT_TRUE(module);

  // Emit every runnable function, then build one shared object.
  std::vector<mlir::func::FuncOp> funcs;
  std::string source = kShim;
  std::string kernelsSource;
  std::vector<mlir::ember::CudaKernel> kernels;
  for (auto func : module->getOps<mlir::func::FuncOp>()) {
    if (!runnable(func))
      continue;
    size_t before = kernels.size();
    ASSERT_TRUE(mlir::succeeded(
        mlir::ember::emitCudaKernels(func, kernelsSource, kernels)))
        << func.getSymName().str();
    if (kernels.size() > before)
      funcs.push_back(func);
  }
  source += kernelsSource;
  for (const auto &k : kernels)
    source += hostWrapper(k);
  fs::path dir = fs::temp_directory_path() /
                 ("ember_cuda_host_" + std::to_string(getpid()));
  fs::create_directories(dir);
  {
    std::ofstream f(dir / "kernels.cpp");
    f << source;
  }
  std::string cmd = "c++ -std=c++17 -O1 -shared -fPIC -w -o " +
                    (dir / "kernels.so").string() + " " +
                    (dir / "kernels.cpp").string() + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  void *lib = dlopen((dir / "kernels.so").c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_TRUE(lib) << dlerror();

  llvm::DenseMap<mlir::Operation *, const mlir::ember::CudaKernel *> kernelOf;
  for (const auto &k : kernels)
    kernelOf[k.op] = &k;
  int ran = 0, outputs = 0;
  ember::manual_seed(0);
  for (mlir::func::FuncOp func : funcs) {
    std::string name = func.getSymName().str();
    std::unique_ptr<mlir::ember::JitFunction> jit;
    try {
      // The JIT lowers a whole module: give it this function alone.
      mlir::OpBuilder b(&context);
      mlir::OwningOpRef<mlir::ModuleOp> one =
          mlir::ModuleOp::create(b.getUnknownLoc());
      one->push_back(func->clone());
      jit = mlir::ember::JitFunction::compile(*one, name);
    } catch (const ember::Error &e) {
      ADD_FAILURE() << "@" << name << ": the CPU JIT fails: " << e.what();
      continue;
    }
    std::vector<ember::Tensor> inputs;
    llvm::DenseMap<mlir::Value, Buffer> buffers;
    for (mlir::BlockArgument arg : func.getArguments()) {
      inputs.push_back(
          randomInput(llvm::cast<mlir::RankedTensorType>(arg.getType())));
      buffers[arg] = bufferOf(inputs.back());
    }
    std::vector<ember::Tensor> want = (*jit)(inputs);
    // Scalars fed by value (fill values, scalar generic inputs).
    for (mlir::Operation &op : func.getBody().front()) {
      if (auto e = llvm::dyn_cast<mlir::tensor::EmptyOp>(op)) {
        auto t = llvm::cast<mlir::RankedTensorType>(e.getType());
        size_t bytes = static_cast<size_t>(t.getNumElements()) *
                       ember::element_size(dtypeOf(t.getElementType()));
        buffers[e.getResult()] =
            std::make_shared<std::vector<unsigned char>>(bytes + 1);
      } else if (llvm::isa<mlir::tensor::ExpandShapeOp,
                           mlir::tensor::CollapseShapeOp>(op)) {
        buffers[op.getResult(0)] = buffers.lookup(op.getOperand(0));
      } else if (auto l = llvm::dyn_cast<mlir::linalg::LinalgOp>(op)) {
        const mlir::ember::CudaKernel *k = kernelOf.lookup(&op);
        ASSERT_TRUE(k) << "@" << name;
        std::vector<void *> args;
        std::vector<Buffer> outs;
        for (mlir::OpOperand &o : op.getOpOperands()) {
          if (!llvm::isa<mlir::RankedTensorType>(o.get().getType())) {
            // A scalar operand is a literal in the kernel; it must be a
            // constant.
            ASSERT_TRUE(o.get().getDefiningOp<mlir::arith::ConstantOp>())
                << "@" << name << ": a non-constant scalar operand";
            continue;
          }
          Buffer b = buffers.lookup(o.get());
          ASSERT_TRUE(b) << "@" << name << ": an operand without a buffer";
          if (l.isDpsInit(&o)) {
            // The op's result is a new tensor starting from the init.
            b = std::make_shared<std::vector<unsigned char>>(*b);
            outs.push_back(b);
          }
          args.push_back(b->data());
        }
        for (mlir::Value v : k->captures)
          args.push_back(buffers.lookup(v)->data());
        auto fn = reinterpret_cast<void (*)(void **, long long)>(
            dlsym(lib, ("host_" + k->name).c_str()));
        ASSERT_TRUE(fn) << k->name;
        fn(args.data(), k->threads);
        for (size_t j = 0; j < outs.size(); ++j)
          buffers[op.getResult(static_cast<unsigned>(j))] = outs[j];
      } else if (auto ret = llvm::dyn_cast<mlir::func::ReturnOp>(op)) {
        ASSERT_EQ(ret.getNumOperands(), want.size()) << "@" << name;
        for (unsigned j = 0; j < ret.getNumOperands(); ++j) {
          Buffer b = buffers.lookup(ret.getOperand(j));
          ASSERT_TRUE(b) << "@" << name << ": result " << j;
          std::string why;
          bool same = sameValues(want[j], b->data(), why);
          EXPECT_TRUE(same) << "@" << name << " result " << j << ": " << why;
          outputs += same;
        }
      }
    }
    ++ran;
  }
  dlclose(lib);
  fs::remove_all(dir);
  EXPECT_GT(ran, 70);
  std::printf("cuda host run: %d functions (%zu kernels), %d results equal "
              "the CPU JIT's\n",
              ran, kernels.size(), outputs);
}

} // namespace

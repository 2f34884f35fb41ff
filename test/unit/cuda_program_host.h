// Runs a device program's generated CUDA C (ember/runtime/program.h) as
// host C++, so the CUDA target is tested end to end without a GPU: the
// source is compiled by the system C++ compiler behind a small shim
// (__global__ and __device__ empty, blockIdx a global, CUDA's bit-cast
// intrinsics and rsqrt written out) into a shared library, and each launch
// runs the kernel once per thread index, in order. The program runner and
// its steps (GEMMs, convolutions, views) are the real ones, on CPU tensors.
// What the device's own math library does is left to the GPU run.
#pragma once

#include "ember/runtime/error.h"
#include "ember/runtime/program.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <dlfcn.h>
#include <unistd.h>

namespace ember::testing {

inline constexpr const char *kCudaHostShim = R"(// Host shim for ember's CUDA C.
#include <cmath>
#include <cstring>
#include <utility>
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
// A kernel called with packed arguments (args[i] points at the i-th
// pointer, as cudaLaunchKernel takes them), once per thread index.
template <typename... P, std::size_t... I>
static void ember_call(void (*f)(P...), void **a, std::index_sequence<I...>) {
  f(static_cast<P>(*static_cast<void **>(a[I]))...);
}
template <typename... P>
static void ember_run(void (*f)(P...), void **a, long long threads) {
  for (long long t = 0; t < threads; ++t) {
    blockIdx.x = (unsigned)t;
    ember_call(f, a, std::index_sequence_for<P...>{});
  }
}
)";

/// Whether the system C++ compiler is there (the host launcher needs it).
inline bool have_host_compiler() {
  static const bool ok = std::system("c++ --version > /dev/null 2>&1") == 0;
  return ok;
}

/// A shared library built from `source` by the system C++ compiler, loaded;
/// one per distinct source per process.
inline void *host_library(const std::string &source) {
  static std::mutex mutex;
  static std::map<std::string, void *> libraries;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = libraries.find(source);
  if (it != libraries.end())
    return it->second;
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() /
                 ("ember_program_host_" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::string stem = "k"; // (not "k" + to_string: GCC 12's -Wrestrict)
  stem += std::to_string(libraries.size());
  fs::path cpp = dir / (stem + ".cpp"), so = dir / (stem + ".so");
  {
    std::ofstream f(cpp);
    f << source;
  }
  std::string cmd =
      "c++ -std=c++17 -O1 -ffp-contract=off -shared -fPIC -w -o " +
      so.string() + " " + cpp.string() + " 2>&1";
  EMBER_CHECK(std::system(cmd.c_str()) == 0, "host launcher",
              "the host compiler rejects the program's CUDA C: ", cmd);
  void *lib = dlopen(so.c_str(), RTLD_NOW | RTLD_LOCAL);
  EMBER_CHECK(lib, "host launcher", "dlopen: ", dlerror());
  fs::remove(cpp);
  fs::remove(so); // the loaded library stays mapped
  libraries[source] = lib;
  return lib;
}

/// Launches a program's kernels as host C++ (see the top of this file).
class HostLauncher : public program::KernelLauncher {
public:
  explicit HostLauncher(const program::Program &p) {
    std::string source = std::string(kCudaHostShim) + p.source;
    for (const std::string &k : p.kernels)
      source += "extern \"C\" void host_" + k +
                "(void **a, long long threads) { ember_run(" + k +
                ", a, threads); }\n";
    void *lib = host_library(source);
    for (const std::string &k : p.kernels) {
      auto fn = reinterpret_cast<void (*)(void **, long long)>(
          dlsym(lib, ("host_" + k).c_str()));
      EMBER_CHECK(fn, "host launcher", "no kernel ", k);
      kernels_.push_back(fn);
    }
  }
  void launch(size_t index, int64_t threads, void **args) override {
    EMBER_CHECK(index < kernels_.size(), "host launcher", "kernel ", index,
                " of ", kernels_.size());
    ++launches;
    kernels_[index](args, threads);
  }
  int64_t launches = 0;

private:
  std::vector<void (*)(void **, long long)> kernels_;
};

} // namespace ember::testing

// The CUDA KernelLauncher of compiled programs (program.h): the Program's
// generated source goes through the eager kernels' NVRTC path (compile
// for the device, disk cache keyed by the source text, cudaLibrary load),
// or an image compiled ahead of time is loaded as it is. Every kernel is
// looked up once; launches use the 1-D geometry codegen assumes (block
// 256, grid ceil(threads / 256); threads past `threads` return at once).
#include "ember/runtime/program.h"
#include "check.h"
#include "ember/runtime/cuda.h"
#include "module.h"

#include <limits>

namespace ember::program {

namespace {

constexpr int64_t kBlock = 256;

class CudaLauncher final : public KernelLauncher {
public:
  CudaLauncher(const Program &p, std::vector<void *> kernels,
               cudaLibrary_t owned)
      : name_(p.name), kernel_names_(p.kernels), kernels_(std::move(kernels)),
        owned_(owned) {}
  ~CudaLauncher() override {
    if (owned_)
      cudaLibraryUnload(owned_);
  }
  CudaLauncher(const CudaLauncher &) = delete;
  CudaLauncher &operator=(const CudaLauncher &) = delete;

  void launch(size_t index, int64_t threads, void **args) override {
    EMBER_CHECK(index < kernels_.size(), "program::launch", "program '", name_,
                "' has ", kernels_.size(), " kernels, asked for kernel ",
                index);
    EMBER_CHECK(
        threads >= 0 && threads / kBlock < std::numeric_limits<int32_t>::max(),
        "program::launch", "program '", name_, "' kernel ",
        kernel_names_[index], ": ", threads, " threads do not fit a 1-D grid");
    if (threads == 0)
      return;
    auto grid = static_cast<unsigned>((threads + kBlock - 1) / kBlock);
    cuda::detail::launch(kernels_[index], grid, kBlock, args);
  }

private:
  std::string name_;
  std::vector<std::string> kernel_names_;
  std::vector<void *> kernels_;
  cudaLibrary_t owned_;
};

} // namespace

std::unique_ptr<KernelLauncher> cuda_launcher(const Program &program) {
  std::vector<void *> kernels;
  kernels.reserve(program.kernels.size());
  for (const std::string &k : program.kernels)
    kernels.push_back(
        cuda::detail::get_source_kernel(program.source, "program", k.c_str()));
  return std::make_unique<CudaLauncher>(program, std::move(kernels), nullptr);
}

std::unique_ptr<KernelLauncher> cuda_launcher(const Program &program,
                                              const std::string &image) {
  cuda::detail::require_device("program::cuda_launcher");
  // std::string keeps a NUL after its bytes, which PTX text needs.
  cudaLibrary_t lib = nullptr;
  EMBER_CUDA_CHECK(cudaLibraryLoadData(&lib, image.c_str(), nullptr, nullptr, 0,
                                       nullptr, nullptr, 0),
                   "program::cuda_launcher");
  std::vector<void *> kernels;
  try {
    for (const std::string &k : program.kernels) {
      cudaKernel_t f = nullptr;
      EMBER_CUDA_CHECK(cudaLibraryGetKernel(&f, lib, k.c_str()),
                       "program::cuda_launcher");
      kernels.push_back(reinterpret_cast<void *>(f));
    }
  } catch (...) {
    cudaLibraryUnload(lib);
    throw;
  }
  return std::make_unique<CudaLauncher>(program, std::move(kernels), lib);
}

std::string nvrtc_compile(const std::string &source, const std::string &name,
                          int arch, bool ptx) {
  std::vector<char> out = cuda::detail::nvrtc_compile(source, name, arch, ptx);
  // PTX comes back with its terminating NUL; the text is without it.
  if (ptx && !out.empty() && out.back() == '\0')
    out.pop_back();
  return std::string(out.begin(), out.end());
}

} // namespace ember::program

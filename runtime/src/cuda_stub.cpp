// Built when EMBER_ENABLE_CUDA is OFF: the CUDA API exists, reports no
// device, and raises ember::Error where a device is needed.
#include "ember/runtime/cuda.h"
#include "ember/runtime/error.h"
#include "ember/runtime/kernels/kernels.h"

namespace ember::cuda {

namespace {
[[noreturn]] void no_cuda(const char *op) {
  EMBER_FAIL(op, "this build of ember has no CUDA support (configure with "
                 "-DEMBER_ENABLE_CUDA=ON and the CUDA toolkit)");
}
} // namespace

bool is_built() { return false; }
bool is_available() { return false; }
int device_count() { return 0; }
int current_device() { return 0; }
void set_device(int) { no_cuda("cuda::set_device"); }
Capability get_device_capability(int) {
  no_cuda("cuda::get_device_capability");
}
const char *get_device_name(int) { no_cuda("cuda::get_device_name"); }
DeviceGuard::DeviceGuard(int) {}
DeviceGuard::~DeviceGuard() = default;
Stream Stream::create(int) { no_cuda("cuda::Stream::create"); }
void Stream::synchronize() const { no_cuda("cuda::Stream::synchronize"); }
bool Stream::query() const { no_cuda("cuda::Stream::query"); }
Stream current_stream(int) { return Stream(); }
void set_current_stream(const Stream &) { no_cuda("cuda::set_current_stream"); }
StreamGuard::StreamGuard(const Stream &s) : device_(-1) {
  (void)s;
  no_cuda("cuda::StreamGuard");
}
StreamGuard::~StreamGuard() = default;
Event::Event() { no_cuda("cuda::Event"); }
Event::~Event() = default;
void Event::record(const Stream &) { no_cuda("cuda::Event::record"); }
void Event::wait(const Stream &) const { no_cuda("cuda::Event::wait"); }
void Event::synchronize() const { no_cuda("cuda::Event::synchronize"); }
bool Event::query() const { no_cuda("cuda::Event::query"); }
float Event::elapsed_time(const Event &) const {
  no_cuda("cuda::Event::elapsed_time");
}
void synchronize(int) { no_cuda("cuda::synchronize"); }
MemoryStats memory_stats(int) { return {}; }
void reset_peak_memory_stats(int) {}
size_t memory_allocated(int) { return 0; }
size_t memory_reserved(int) { return 0; }
void empty_cache() {}
Allocator *default_allocator() { return nullptr; }
void *host_alloc_pinned(size_t nbytes) {
  EMBER_FAIL("pin_memory", "cannot allocate ", nbytes,
             " bytes of page-locked memory: this build of ember has no CUDA");
}
void host_free_pinned(void *) noexcept {}
bool is_pinned(const void *) { return false; }
void copy_bytes(void *, bool, const void *, bool, size_t, int, bool) {
  no_cuda("to");
}

} // namespace ember::cuda

namespace ember::kernels::detail {
void no_cuda_kernels() { ember::cuda::no_cuda("cuda kernels"); }
} // namespace ember::kernels::detail

// Compiled programs: the runner works on the CPU; only launching generated
// CUDA kernels needs CUDA.
#include "ember/runtime/program.h"

namespace ember::program {
std::unique_ptr<KernelLauncher> cuda_launcher(const Program &) {
  ember::cuda::no_cuda("program::cuda_launcher");
}
std::unique_ptr<KernelLauncher> cuda_launcher(const Program &,
                                              const std::string &) {
  ember::cuda::no_cuda("program::cuda_launcher");
}
std::string nvrtc_compile(const std::string &, const std::string &, int, bool) {
  ember::cuda::no_cuda("program::nvrtc_compile");
}
} // namespace ember::program

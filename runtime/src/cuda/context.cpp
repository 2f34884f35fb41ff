// Devices, streams, events, pinned memory and host/device copies. Built when
// EMBER_ENABLE_CUDA is ON. Without a driver cudaGetDeviceCount fails (error
// 35) and leaves the count untouched, so it starts at 0 and any error means
// "no GPU" (TOOLCHAIN.md).
#include "check.h"
#include "ember/runtime/cuda.h"

#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace ember::cuda {

bool is_built() { return true; }
int device_count() {
  static const int n = [] {
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess) {
      cudaGetLastError();
      return 0;
    }
    return count;
  }();
  return n;
}
bool is_available() { return device_count() > 0; }

namespace detail {
void require_device(const char *op) {
  EMBER_CHECK(is_available(), op,
              "no CUDA device is available (cuda::is_available() is false: no "
              "driver or no GPU on this machine)");
}
int resolve(int index) { return index < 0 ? current_device() : index; }
} // namespace detail

namespace {
// cudaSetDevice is per thread already; mirroring it avoids a driver call
// per op to ask which device is current.
thread_local int tl_device = 0;
// Per thread and device: the current stream (null: the legacy default).
thread_local std::vector<void *> tl_streams;
} // namespace

int current_device() { return tl_device; }

void set_device(int index) {
  detail::require_device("cuda::set_device");
  EMBER_CHECK(index >= 0 && index < device_count(), "cuda::set_device",
              "device index ", index, " is out of range: this machine has ",
              device_count(), " CUDA device(s)");
  if (index == tl_device)
    return;
  EMBER_CUDA_CHECK(cudaSetDevice(index), "cuda::set_device");
  tl_device = index;
}

namespace {
struct DeviceInfo {
  Capability cap;
  std::string name;
};
const DeviceInfo &device_info(int index) {
  static std::mutex mu;
  static std::vector<DeviceInfo> infos;
  std::lock_guard<std::mutex> lock(mu);
  detail::require_device("cuda::get_device_properties");
  if (infos.empty()) {
    for (int i = 0; i < device_count(); ++i) {
      cudaDeviceProp p{};
      EMBER_CUDA_CHECK(cudaGetDeviceProperties(&p, i),
                       "cuda::get_device_properties");
      infos.push_back({{p.major, p.minor}, p.name});
    }
  }
  EMBER_CHECK(index >= 0 && index < static_cast<int>(infos.size()),
              "cuda::get_device_properties", "device index ", index,
              " is out of range: this machine has ", infos.size(),
              " CUDA device(s)");
  return infos[index];
}
} // namespace

Capability get_device_capability(int index) {
  return device_info(detail::resolve(index)).cap;
}
const char *get_device_name(int index) {
  return device_info(detail::resolve(index)).name.c_str();
}

DeviceGuard::DeviceGuard(int index) {
  if (index < 0 || !is_available())
    return;
  prev_ = current_device();
  set_device(index);
}
DeviceGuard::~DeviceGuard() {
  if (prev_ >= 0 && prev_ != tl_device && cudaSetDevice(prev_) == cudaSuccess)
    tl_device = prev_;
}

Stream Stream::create(int device) {
  detail::require_device("cuda::Stream::create");
  int d = detail::resolve(device);
  DeviceGuard g(d);
  cudaStream_t s = nullptr;
  EMBER_CUDA_CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking),
                   "cuda::Stream::create");
  // Streams live as long as the process, as PyTorch's pooled streams do:
  // a Stream is a plain value that tensors and allocator blocks refer to.
  return Stream(s, d);
}
void Stream::synchronize() const {
  DeviceGuard g(device_);
  EMBER_CUDA_CHECK(cudaStreamSynchronize(static_cast<cudaStream_t>(handle_)),
                   "cuda::Stream::synchronize");
}
bool Stream::query() const {
  cudaError_t e = cudaStreamQuery(static_cast<cudaStream_t>(handle_));
  if (e == cudaErrorNotReady) {
    cudaGetLastError();
    return false;
  }
  EMBER_CUDA_CHECK(e, "cuda::Stream::query");
  return true;
}

Stream current_stream(int device) {
  int d = detail::resolve(device);
  void *h = d < static_cast<int>(tl_streams.size()) ? tl_streams[d] : nullptr;
  return Stream::wrap(h, d);
}
void set_current_stream(const Stream &s) {
  if (static_cast<int>(tl_streams.size()) <= s.device())
    tl_streams.resize(s.device() + 1, nullptr);
  tl_streams[s.device()] = s.handle();
}

StreamGuard::StreamGuard(const Stream &s)
    : prev_(current_stream(s.device())), device_(s.device()) {
  set_current_stream(s);
}
StreamGuard::~StreamGuard() { set_current_stream(prev_); }

Event::Event() {
  detail::require_device("cuda::Event");
  device_ = current_device();
  cudaEvent_t e = nullptr;
  EMBER_CUDA_CHECK(cudaEventCreate(&e), "cuda::Event");
  handle_ = e;
}
Event::~Event() {
  if (handle_)
    cudaEventDestroy(static_cast<cudaEvent_t>(handle_));
}
void Event::record(const Stream &s) {
  EMBER_CUDA_CHECK(cudaEventRecord(static_cast<cudaEvent_t>(handle_),
                                   static_cast<cudaStream_t>(s.handle())),
                   "cuda::Event::record");
}
void Event::wait(const Stream &s) const {
  EMBER_CUDA_CHECK(cudaStreamWaitEvent(static_cast<cudaStream_t>(s.handle()),
                                       static_cast<cudaEvent_t>(handle_), 0),
                   "cuda::Event::wait");
}
void Event::synchronize() const {
  EMBER_CUDA_CHECK(cudaEventSynchronize(static_cast<cudaEvent_t>(handle_)),
                   "cuda::Event::synchronize");
}
bool Event::query() const {
  cudaError_t e = cudaEventQuery(static_cast<cudaEvent_t>(handle_));
  if (e == cudaErrorNotReady) {
    cudaGetLastError();
    return false;
  }
  EMBER_CUDA_CHECK(e, "cuda::Event::query");
  return true;
}
float Event::elapsed_time(const Event &end) const {
  float ms = 0;
  EMBER_CUDA_CHECK(cudaEventElapsedTime(&ms, static_cast<cudaEvent_t>(handle_),
                                        static_cast<cudaEvent_t>(end.handle_)),
                   "cuda::Event::elapsed_time");
  return ms;
}

void synchronize(int device) {
  detail::require_device("cuda::synchronize");
  DeviceGuard g(detail::resolve(device));
  EMBER_CUDA_CHECK(cudaDeviceSynchronize(), "cuda::synchronize");
}

namespace {
// Page-locked blocks are expensive to get (cudaHostAlloc pins and maps the
// pages) and cudaFreeHost synchronizes the device, so freed blocks are
// cached by size class (powers of two), as PyTorch's CachingHostAllocator
// does. A freed block may still be the source or target of an
// asynchronous copy: an event recorded on the current stream when it is
// freed must have completed before it is handed out again.
struct PinnedPool {
  std::mutex mu;
  std::unordered_map<void *, size_t> live; // block -> its size class
  std::multimap<size_t, std::pair<void *, cudaEvent_t>> free;
};
PinnedPool &pinned_pool() {
  static PinnedPool *p = new PinnedPool(); // outlives static tensors
  return *p;
}
size_t pinned_class(size_t n) {
  size_t c = 4096;
  while (c < n)
    c <<= 1;
  return c;
}
} // namespace

void *host_alloc_pinned(size_t nbytes) {
  EMBER_CHECK(is_available(), "pin_memory", "cannot allocate ", nbytes,
              " bytes of page-locked memory: no CUDA device is available");
  const size_t sz = pinned_class(nbytes);
  PinnedPool &pool = pinned_pool();
  std::lock_guard<std::mutex> lock(pool.mu);
  auto [lo, hi] = pool.free.equal_range(sz);
  for (auto it = lo; it != hi; ++it) {
    auto [ptr, ev] = it->second;
    cudaError_t q = cudaEventQuery(ev);
    if (q == cudaErrorNotReady) {
      cudaGetLastError();
      continue; // a copy may still read or write it
    }
    cudaEventDestroy(ev);
    pool.free.erase(it);
    pool.live[ptr] = sz;
    return ptr;
  }
  void *ptr = nullptr;
  cudaError_t err = cudaHostAlloc(&ptr, sz, cudaHostAllocDefault);
  if (err != cudaSuccess) {
    cudaGetLastError();
    EMBER_FAIL("pin_memory", "cudaHostAlloc of ", sz,
               " bytes failed: ", cudaGetErrorString(err));
  }
  pool.live[ptr] = sz;
  return ptr;
}

void host_free_pinned(void *ptr) noexcept {
  if (!ptr)
    return;
  PinnedPool &pool = pinned_pool();
  std::lock_guard<std::mutex> lock(pool.mu);
  auto it = pool.live.find(ptr);
  if (it == pool.live.end())
    return;
  size_t sz = it->second;
  pool.live.erase(it);
  cudaEvent_t ev = nullptr;
  if (cudaEventCreateWithFlags(&ev, cudaEventDisableTiming) != cudaSuccess ||
      cudaEventRecord(ev, static_cast<cudaStream_t>(
                              current_stream().handle())) != cudaSuccess) {
    // Without an event the block cannot be proven idle: give it back.
    cudaGetLastError();
    if (ev)
      cudaEventDestroy(ev);
    cudaFreeHost(ptr);
    return;
  }
  pool.free.emplace(sz, std::make_pair(ptr, ev));
}

namespace detail {
void release_pinned_cache() {
  PinnedPool &pool = pinned_pool();
  std::lock_guard<std::mutex> lock(pool.mu);
  for (auto &[sz, block] : pool.free) {
    cudaEventSynchronize(block.second);
    cudaEventDestroy(block.second);
    cudaFreeHost(block.first);
  }
  pool.free.clear();
}
} // namespace detail

bool is_pinned(const void *ptr) {
  if (!ptr || !is_available())
    return false;
  cudaPointerAttributes attr{};
  if (cudaPointerGetAttributes(&attr, ptr) != cudaSuccess) {
    cudaGetLastError(); // clear the sticky-free error of a failed query
    return false;
  }
  return attr.type == cudaMemoryTypeHost;
}

void copy_bytes(void *dst, bool dst_is_cuda, const void *src, bool src_is_cuda,
                size_t nbytes, int device, bool non_blocking) {
  detail::require_device("to");
  if (nbytes == 0)
    return;
  DeviceGuard g(device);
  cudaStream_t s = static_cast<cudaStream_t>(current_stream(device).handle());
  cudaMemcpyKind kind =
      dst_is_cuda
          ? (src_is_cuda ? cudaMemcpyDeviceToDevice : cudaMemcpyHostToDevice)
          : (src_is_cuda ? cudaMemcpyDeviceToHost : cudaMemcpyHostToHost);
  EMBER_CUDA_CHECK(cudaMemcpyAsync(dst, src, nbytes, kind, s), "to");
  // Only page-locked host memory makes an asynchronous copy safe to leave
  // running; a device-to-device copy is ordered on the stream anyway.
  const void *host = dst_is_cuda ? src : dst;
  bool async_ok = (dst_is_cuda && src_is_cuda) || is_pinned(host);
  if (!(non_blocking && async_ok) && !(dst_is_cuda && src_is_cuda))
    EMBER_CUDA_CHECK(cudaStreamSynchronize(s), "to");
}

} // namespace ember::cuda

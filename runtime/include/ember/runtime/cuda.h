// CUDA as the runtime sees it: devices, streams, events, the caching device
// allocator and its statistics, page-locked host memory. Only runtime/
// talks to the CUDA SDK. In a build without CUDA, or on a machine without a
// driver or GPU, is_available() is false, nothing throws at load time, and
// the calls that need a device raise ember::Error saying so.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ember {
class Allocator;
}

namespace ember::cuda {

bool is_available();
int device_count();
/// Whether this build of ember was compiled with CUDA support.
bool is_built();

/// The calling thread's current device (0 until set_device) and setting it;
/// set_device checks the index against device_count().
int current_device();
void set_device(int index);
/// Compute capability of a device, e.g. {9, 0} for an H100.
struct Capability {
  int major = 0, minor = 0;
};
Capability get_device_capability(int index = -1);
/// "NVIDIA H100 80GB HBM3" (index -1: the current device).
const char *get_device_name(int index = -1);

/// Sets the current device for a scope and restores the previous one
/// (index < 0: leaves it unchanged). A no-op without CUDA.
class DeviceGuard {
public:
  explicit DeviceGuard(int index);
  ~DeviceGuard();
  DeviceGuard(const DeviceGuard &) = delete;
  DeviceGuard &operator=(const DeviceGuard &) = delete;

private:
  int prev_ = -1;
};

/// A CUDA stream of one device. The default-constructed stream is the
/// device's legacy default stream, on which every op runs unless a
/// StreamGuard selects another.
class Stream {
public:
  Stream() = default;
  /// A new non-blocking stream on `device` (-1: the current device).
  static Stream create(int device = -1);
  void *handle() const { return handle_; } ///< the cudaStream_t
  int device() const { return device_; }
  /// Blocks the host until the work queued on this stream is done.
  void synchronize() const;
  /// Whether all queued work is done (cudaStreamQuery).
  bool query() const;
  /// Wraps a cudaStream_t made elsewhere (torch.cuda.ExternalStream).
  static Stream wrap(void *handle, int device) {
    return Stream(handle, device);
  }
  bool operator==(const Stream &o) const {
    return handle_ == o.handle_ && device_ == o.device_;
  }

private:
  Stream(void *h, int d) : handle_(h), device_(d) {}
  void *handle_ = nullptr;
  int device_ = 0;
};
/// The calling thread's current stream on `device` (-1: current device).
Stream current_stream(int device = -1);
/// Makes `s` current on its device for the calling thread.
void set_current_stream(const Stream &s);
/// Makes a stream current for a scope (and its device), then restores.
class StreamGuard {
public:
  explicit StreamGuard(const Stream &s);
  ~StreamGuard();
  StreamGuard(const StreamGuard &) = delete;
  StreamGuard &operator=(const StreamGuard &) = delete;

private:
  Stream prev_;
  DeviceGuard device_;
};

/// A CUDA event (timing enabled), for ordering streams and measuring time.
class Event {
public:
  Event();
  ~Event();
  Event(const Event &) = delete;
  Event &operator=(const Event &) = delete;
  /// Records the event on `s` (default: the current stream).
  void record(const Stream &s = current_stream());
  /// Makes `s` wait for the recorded work without blocking the host.
  void wait(const Stream &s = current_stream()) const;
  void synchronize() const;
  bool query() const;
  /// Milliseconds between this event and `end` (both recorded, completed).
  float elapsed_time(const Event &end) const;

private:
  void *handle_ = nullptr;
  int device_ = 0;
};

/// Waits for all work on the current (or given) device, as
/// torch.cuda.synchronize; raises the first asynchronous kernel error.
void synchronize(int device = -1);

/// The caching allocator's figures for a device (-1: current), as
/// torch.cuda.memory_stats: bytes in live tensors, bytes held from the
/// driver (live + cached), their peaks, and how often the cache served.
struct MemoryStats {
  size_t allocated_bytes = 0;
  size_t reserved_bytes = 0;
  size_t peak_allocated_bytes = 0;
  size_t peak_reserved_bytes = 0;
  uint64_t num_allocs = 0;    ///< allocate() calls
  uint64_t cache_hits = 0;    ///< served from a cached block
  uint64_t driver_allocs = 0; ///< cudaMalloc calls
  uint64_t oom_retries = 0;   ///< cudaMalloc failures retried after a flush
};
MemoryStats memory_stats(int device = -1);
void reset_peak_memory_stats(int device = -1);
size_t memory_allocated(int device = -1);
size_t memory_reserved(int device = -1);
/// Returns every cached, unused device block to the driver, and the cached
/// page-locked host blocks to the system (blocks in use stay).
void empty_cache();
/// The caching allocator get_allocator(kCUDA) returns unless another one
/// was set; null in a build without CUDA.
Allocator *default_allocator();

/// Page-locked host memory (cudaHostAlloc), which CUDA copies can DMA from
/// without staging; freed blocks are cached for reuse once the copies
/// queued before their release are done. Throws ember::Error when no CUDA
/// device is available.
void *host_alloc_pinned(size_t nbytes);
void host_free_pinned(void *ptr) noexcept;
/// Whether `ptr` points into page-locked memory CUDA knows (false without a
/// device).
bool is_pinned(const void *ptr);

/// Copies `nbytes` between host and device memory (or device to device) on
/// the current stream of the device side. Synchronous unless
/// `non_blocking` and the host side is page-locked (then the caller orders
/// later host reads with a stream or event synchronize, as in PyTorch).
void copy_bytes(void *dst, bool dst_is_cuda, const void *src, bool src_is_cuda,
                size_t nbytes, int device, bool non_blocking = false);

} // namespace ember::cuda

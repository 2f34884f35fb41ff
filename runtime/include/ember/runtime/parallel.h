// Intra-op parallelism: one process-wide pool that ember owns. OpenBLAS runs
// single-threaded inside it (large GEMMs are split over the pool), and
// parallel regions never nest, so nothing fights over the cores; see
// TOOLCHAIN.md.
#pragma once

#include <cstdint>
#include <functional>

namespace ember {

void set_num_threads(int n);
int get_num_threads();
/// True while the calling thread runs inside parallel_for.
bool in_parallel_region();

/// While alive, parallel_for on this thread runs inline, as inside a
/// parallel region. DataLoader workers use it: each loads on one core, as
/// PyTorch's workers run with one intra-op thread.
class SerialRegionGuard {
public:
  SerialRegionGuard();
  ~SerialRegionGuard();
  SerialRegionGuard(const SerialRegionGuard &) = delete;
  SerialRegionGuard &operator=(const SerialRegionGuard &) = delete;

private:
  bool prev_;
};

/// Below this many elements an op runs on the calling thread.
inline constexpr int64_t kGrainSize = 32768;

/// Splits [begin, end) into chunks of at least `grain` and runs
/// fn(chunk_begin, chunk_end) on the pool; the calling thread takes a chunk.
/// Runs inline when the range is small, one thread is set, or when already
/// inside a parallel region. The first exception thrown by a chunk is
/// rethrown on the caller.
void parallel_for(int64_t begin, int64_t end, int64_t grain,
                  const std::function<void(int64_t, int64_t)> &fn);

} // namespace ember

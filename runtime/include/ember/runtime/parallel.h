// Intra-op parallelism: one process-wide pool that ember owns (OpenBLAS is
// told the same thread count, and parallel regions never nest, so the two
// never fight over the cores; see TOOLCHAIN.md).
#pragma once

#include <cstdint>
#include <functional>

namespace ember {

void set_num_threads(int n);
int get_num_threads();
/// True while the calling thread runs inside parallel_for.
bool in_parallel_region();

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

// Internal to runtime/src/cuda: the launch geometry of the index kernels
// (kernels/index.cuh), shared with the host-shim test so that it runs the
// kernels exactly as the runtime does.
#pragma once

#include "module.h"

#include <cstdint>

namespace ember::cuda::detail {

/// Threads per block of the block-level index kernels (EMBER_INDEX_BLOCK).
constexpr int64_t kIndexBlock = 256;

/// Splits [0, n) (n > 0) into `blocks` contiguous chunks of `chunk`
/// elements, at most `max_blocks` of them, none empty.
struct Chunks {
  int64_t blocks = 0, chunk = 0;
};
Chunks chunk_grid(int64_t n, int64_t max_blocks);

/// The geometry of the scatter-add kernel over (dst, values, offsets):
/// the collapsed dims (ndim >= 1), the mask of the dims where dst has
/// stride 0 (elements that may share a slot), the number of lines (one per
/// choice of the other coordinates) and of elements per line.
struct Lines {
  Geom g{};
  int zmask = 0;
  int64_t nlines = 1, nz = 1;
};
Lines scatter_lines(const TensorImpl &dst, const TensorImpl &values,
                    const TensorImpl &offsets);

/// A Geom holding only `t`'s sizes (the row-major coordinates nonzero
/// writes); throws when t has more than kMaxDims dims.
Geom shape_geom(const char *op, const TensorImpl &t);

} // namespace ember::cuda::detail

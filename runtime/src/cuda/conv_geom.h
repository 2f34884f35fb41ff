// Internal to runtime/src/cuda: the host mirrors of the geometry structs
// kernels/conv.cuh and kernels/pool.cuh take by value (layouts must match;
// the host tests check the sizes).
#pragma once

#include <cstdint>

namespace ember::cuda::detail {

struct ConvGeom {
  int64_t C, H, W, kH, kW, OH, OW;
  int64_t sh, sw, ph, pw, dh, dw;
};

struct PoolGeom {
  int64_t H, W, OH, OW;
  int64_t kh, kw, sh, sw, ph, pw, dh, dw;
  int32_t count_include_pad;
};

} // namespace ember::cuda::detail

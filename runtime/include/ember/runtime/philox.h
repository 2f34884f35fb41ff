// Philox4x32-10, the counter-based random number generator of Salmon et al.,
// "Parallel Random Numbers: As Easy as 1, 2, 3" (SC'11, Random123).
//
// A block is a pure function of a 128-bit counter and a 64-bit key: no state
// is carried from one number to the next, so any thread (or CUDA thread) can
// compute any part of a stream directly. ember keys the generator with the
// seed and counts in blocks:
//   counter = {offset_lo, offset_hi, 0, 0}, key = {seed_lo, seed_hi}
// and the stream of 32-bit words of a draw is word k = lane k % 4 of block
// (offset + k / 4).
//
// Header-only and free of std:: containers, so the same code compiles for
// the host and (under nvcc/NVRTC) for the device.
#pragma once

#include <cstdint>

#if defined(__CUDACC__)
#define EMBER_HOST_DEVICE __host__ __device__
#else
#define EMBER_HOST_DEVICE
#endif

namespace ember::philox {

struct Counter {
  uint32_t v[4];
};
struct Key {
  uint32_t v[2];
};

// Multipliers and Weyl constants from Random123 (philox.h).
inline constexpr uint32_t kM0 = 0xD2511F53u;
inline constexpr uint32_t kM1 = 0xCD9E8D57u;
inline constexpr uint32_t kW0 = 0x9E3779B9u; // golden ratio
inline constexpr uint32_t kW1 = 0xBB67AE85u; // sqrt(3) - 1

EMBER_HOST_DEVICE inline void mulhilo(uint32_t a, uint32_t b, uint32_t &hi,
                                      uint32_t &lo) {
  uint64_t p = static_cast<uint64_t>(a) * static_cast<uint64_t>(b);
  hi = static_cast<uint32_t>(p >> 32);
  lo = static_cast<uint32_t>(p);
}

EMBER_HOST_DEVICE inline Counter single_round(Counter c, Key k) {
  uint32_t hi0, lo0, hi1, lo1;
  mulhilo(kM0, c.v[0], hi0, lo0);
  mulhilo(kM1, c.v[2], hi1, lo1);
  Counter r;
  r.v[0] = hi1 ^ c.v[1] ^ k.v[0];
  r.v[1] = lo1;
  r.v[2] = hi0 ^ c.v[3] ^ k.v[1];
  r.v[3] = lo0;
  return r;
}

/// The ten-round Philox4x32 bijection (philox4x32_R(10, ctr, key)).
EMBER_HOST_DEVICE inline Counter philox4x32_10(Counter c, Key k) {
  c = single_round(c, k);
  for (int i = 1; i < 10; ++i) {
    k.v[0] += kW0;
    k.v[1] += kW1;
    c = single_round(c, k);
  }
  return c;
}

/// Block `block` of the stream keyed by `seed`.
EMBER_HOST_DEVICE inline Counter block(uint64_t seed, uint64_t block) {
  Counter c = {{static_cast<uint32_t>(block),
                static_cast<uint32_t>(block >> 32), 0u, 0u}};
  Key k = {{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)}};
  return philox4x32_10(c, k);
}

/// Word `word` of the stream that starts at block `offset`: lane word % 4 of
/// block offset + word / 4.
EMBER_HOST_DEVICE inline uint32_t word(uint64_t seed, uint64_t offset,
                                       uint64_t word) {
  return block(seed, offset + word / 4).v[word % 4];
}

// --- turning random bits into numbers ------------------------------------

/// A float in [0, 1) from the top 24 bits of x (every value a multiple of
/// 2^-24, so 1 is never reached).
EMBER_HOST_DEVICE inline float uniform_float(uint32_t x) {
  return static_cast<float>(x >> 8) * (1.0f / 16777216.0f);
}
/// A double in [0, 1) from the top 53 bits of (hi, lo).
EMBER_HOST_DEVICE inline double uniform_double(uint32_t hi, uint32_t lo) {
  uint64_t x = (static_cast<uint64_t>(hi) << 32) | lo;
  return static_cast<double>(x >> 11) * (1.0 / 9007199254740992.0);
}
EMBER_HOST_DEVICE inline uint64_t u64(uint32_t hi, uint32_t lo) {
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

} // namespace ember::philox

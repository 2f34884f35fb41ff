// Random draws on the CPU from the Philox stream (ember/runtime/philox.h).
//
// A draw is a pure function of (seed, offset, element index), so results do
// not depend on the number of threads, and replaying a draw with the same
// seed and offset gives the same numbers. Element i of a draw of 32-bit
// elements (float32 uniform, float32 bernoulli) uses word i of the stream
// starting at block `offset`, i.e. lane i % 4 of block offset + i / 4.
// Elements that need more bits take consecutive words:
//   uniform / bernoulli  float32: 1 word (24 bits used), float64: 2 words
//                        (53 bits used);
//   normal               Box-Muller over pairs (2j, 2j+1): two uniforms,
//                        so 2 words per pair for float32, 4 for float64;
//   randint              2 words (a 64-bit integer) per element for every
//                        dtype, reduced modulo (high - low): the bias is at
//                        most range / 2^64, negligible for any real range;
//   randperm             Fisher-Yates, 2 words per swap (n - 1 swaps).
// The *_blocks functions say how many 128-bit blocks a draw consumes; the
// caller reserves that many from its Generator.
//
// Every output here must be contiguous (the frontend draws into a fresh
// tensor and copies into strided views).
#pragma once

#include "ember/runtime/tensor_impl.h"

#include <cstdint>

namespace ember::kernels::cpu {

uint64_t uniform_blocks(DType dtype, int64_t numel);
uint64_t normal_blocks(DType dtype, int64_t numel);
uint64_t randint_blocks(int64_t numel);
uint64_t randperm_blocks(int64_t n);
inline uint64_t bernoulli_blocks(DType dtype, int64_t numel) {
  return uniform_blocks(dtype, numel);
}

/// out (floating) = from + (to - from) * U[0, 1), kept below `to`.
void uniform(const TensorImpl &out, uint64_t seed, uint64_t offset, double from,
             double to);
/// out (floating) = mean + std * N(0, 1) (Box-Muller).
void normal(const TensorImpl &out, uint64_t seed, uint64_t offset, double mean,
            double std);
/// out (any dtype; the caller checks that [low, high) fits it) = integers
/// in [low, high).
void randint(const TensorImpl &out, uint64_t seed, uint64_t offset, int64_t low,
             int64_t high);
/// out (1-D, numel n) = a permutation of 0..n-1.
void randperm(const TensorImpl &out, uint64_t seed, uint64_t offset);
/// out = U[0, 1) < p elementwise; p contiguous, p and out of one floating
/// dtype and one shape.
void bernoulli(const TensorImpl &out, const TensorImpl &p, uint64_t seed,
               uint64_t offset);

} // namespace ember::kernels::cpu

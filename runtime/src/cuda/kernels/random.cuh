// Random draws on CUDA with the numbers of the CPU kernels
// (kernels/random.h): the same Philox4x32-10 stream, the same element to
// (block, lane) assignment, the same bit-to-float conversion and the same
// Box-Muller, in the same order of float operations (the module is built
// with --fmad=false). One thread computes one Philox block and writes the
// elements it feeds, as the CPU loop body does. scalar_t is the output
// dtype (floating for uniform, normal and bernoulli).
//
// NVRTC gets no includes, so Philox is restated here from
// ember/runtime/philox.h; the host-shim test checks the two against each
// other block for block.

typedef unsigned int em_u32;
typedef unsigned long long em_u64;

struct EmPhilox {
  em_u32 v[4];
};

__device__ __forceinline__ EmPhilox em_philox_round(EmPhilox c, em_u32 k0,
                                                    em_u32 k1) {
  em_u64 p0 = (em_u64)0xD2511F53u * c.v[0];
  em_u64 p1 = (em_u64)0xCD9E8D57u * c.v[2];
  EmPhilox r;
  r.v[0] = (em_u32)(p1 >> 32) ^ c.v[1] ^ k0;
  r.v[1] = (em_u32)p1;
  r.v[2] = (em_u32)(p0 >> 32) ^ c.v[3] ^ k1;
  r.v[3] = (em_u32)p0;
  return r;
}

// philox::block(seed, block): counter {block_lo, block_hi, 0, 0}, key
// {seed_lo, seed_hi}, ten rounds.
__device__ __forceinline__ EmPhilox em_philox_block(em_u64 seed, em_u64 block) {
  EmPhilox c;
  c.v[0] = (em_u32)block;
  c.v[1] = (em_u32)(block >> 32);
  c.v[2] = 0u;
  c.v[3] = 0u;
  em_u32 k0 = (em_u32)seed, k1 = (em_u32)(seed >> 32);
  c = em_philox_round(c, k0, k1);
  for (int i = 1; i < 10; ++i) {
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
    c = em_philox_round(c, k0, k1);
  }
  return c;
}

// philox::uniform_float / uniform_double.
__device__ __forceinline__ float em_uniform_float(em_u32 x) {
  return (float)(x >> 8) * (1.0f / 16777216.0f);
}
__device__ __forceinline__ double em_uniform_double(em_u32 hi, em_u32 lo) {
  em_u64 x = ((em_u64)hi << 32) | lo;
  return (double)(x >> 11) * (1.0 / 9007199254740992.0);
}

// The k-th uniform of a block: lane k (float), lanes 2k, 2k+1 (double).
template <typename T>
__device__ __forceinline__ T em_block_uniform(const EmPhilox &c, int k) {
  if constexpr (em_same<T, float>::value)
    return em_uniform_float(c.v[k]);
  else
    return (T)em_uniform_double(c.v[2 * k], c.v[2 * k + 1]);
}

// Uniforms per block: 4 for float32, 2 for float64 (and 2 for the 64-bit
// randint words).
#define EMBER_PER_BLOCK (em_same<scalar_t, float>::value ? 4 : 2)

// The raw blocks [offset, offset + nblocks), which the host-shim test
// compares with philox.h's.
EMBER_KERNEL(ember_philox_blocks)
(em_u32 *out, em_u64 seed, em_u64 offset, i64 nblocks) {
  EMBER_GRID_LOOP(q, nblocks) {
    EmPhilox c = em_philox_block(seed, offset + (em_u64)q);
    for (int k = 0; k < 4; ++k)
      out[q * 4 + k] = c.v[k];
  }
}

// out = lo + span * U[0, 1), replaced by `below` (the float just under hi)
// where rounding reaches hi and lo < hi.
EMBER_KERNEL(ember_uniform)
(scalar_t *out, em_u64 seed, em_u64 offset, scalar_t lo, scalar_t span,
 scalar_t hi, scalar_t below, i64 n, i64 nblocks) {
  const int E = EMBER_PER_BLOCK;
  EMBER_GRID_LOOP(q, nblocks) {
    EmPhilox c = em_philox_block(seed, offset + (em_u64)q);
    for (int k = 0; k < E; ++k) {
      i64 i = q * E + k;
      if (i >= n)
        break;
      scalar_t v = lo + span * em_block_uniform<scalar_t>(c, k);
      out[i] = (v >= hi && lo < hi) ? below : v;
    }
  }
}

// out = mean + std * N(0, 1) by Box-Muller over pairs (2j, 2j+1), in double
// as the CPU (glibc's log/cos/sin and CUDA's may differ in the last ulp).
EMBER_KERNEL(ember_normal)
(scalar_t *out, em_u64 seed, em_u64 offset, double mean, double std, i64 n,
 i64 nblocks) {
  const int pairs = EMBER_PER_BLOCK / 2;
  EMBER_GRID_LOOP(q, nblocks) {
    EmPhilox c = em_philox_block(seed, offset + (em_u64)q);
    for (int k = 0; k < pairs; ++k) {
      i64 i = (q * pairs + k) * 2;
      if (i >= n)
        break;
      double u1 = 1.0 - (double)em_block_uniform<scalar_t>(c, 2 * k);
      double u2 = (double)em_block_uniform<scalar_t>(c, 2 * k + 1);
      double r = sqrt(-2.0 * log(u1));
      double theta = 2.0 * 3.141592653589793 * u2;
      out[i] = (scalar_t)(mean + std * r * cos(theta));
      if (i + 1 < n)
        out[i + 1] = (scalar_t)(mean + std * r * sin(theta));
    }
  }
}

// out = low + (64-bit word % range), two elements per block.
EMBER_KERNEL(ember_randint)
(scalar_t *out, em_u64 seed, em_u64 offset, i64 low, em_u64 range, i64 n,
 i64 nblocks) {
  EMBER_GRID_LOOP(q, nblocks) {
    EmPhilox c = em_philox_block(seed, offset + (em_u64)q);
    for (int k = 0; k < 2; ++k) {
      i64 i = q * 2 + k;
      if (i >= n)
        break;
      em_u64 w = (((em_u64)c.v[2 * k] << 32) | c.v[2 * k + 1]) % range;
      i64 v = (i64)((em_u64)low + w);
      out[i] = (scalar_t)v;
    }
  }
}

// out = U[0, 1) < p ? 1 : 0 elementwise (p contiguous, of scalar_t).
EMBER_KERNEL(ember_bernoulli)
(scalar_t *out, const scalar_t *p, em_u64 seed, em_u64 offset, i64 n,
 i64 nblocks) {
  const int E = EMBER_PER_BLOCK;
  EMBER_GRID_LOOP(q, nblocks) {
    EmPhilox c = em_philox_block(seed, offset + (em_u64)q);
    for (int k = 0; k < E; ++k) {
      i64 i = q * E + k;
      if (i >= n)
        break;
      out[i] =
          em_block_uniform<scalar_t>(c, k) < p[i] ? (scalar_t)1 : (scalar_t)0;
    }
  }
}

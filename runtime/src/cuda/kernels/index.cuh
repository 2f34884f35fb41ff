// The index family on CUDA (kernels/index.h has the CPU contracts): offset
// accumulation, gather/scatter through element offsets, deterministic
// scatter-add, count_nonzero / nonzero, the min/max of an integer tensor
// and one_hot. The module's prelude sets scalar_t: the data dtype for
// gather/scatter, the index dtype for index_offsets, the mask dtype for
// nonzero, the integer dtype for int_range.
//
// Block-level kernels (count, nonzero, int_range) need blockDim.x to be a
// power of two no larger than EMBER_INDEX_BLOCK: their shared buffers have
// that many slots. Block b of those owns the contiguous chunk
// [b * chunk, (b + 1) * chunk) of the row-major index space.

#define EMBER_INDEX_BLOCK 256

// offsets += w * stride, w the index wrapped by size when negative and
// `wrap` (the host checked every index against the bounds first).
EMBER_KERNEL(ember_index_offsets)
(i64 *off, const scalar_t *index, i64 size, i64 stride, int wrap, Geom g,
 i64 n) {
  EMBER_GRID_LOOP(i, n) {
    i64 o[2];
    ember_offsets<2>(g, i, o);
    i64 v = (i64)index[o[1]];
    if (v < 0 && wrap)
      v += size;
    off[o[0]] += v * stride;
  }
}

// out_i = src_i[offsets_i] (operands: out, src, offsets).
EMBER_KERNEL(ember_gather_offsets)
(scalar_t *out, const scalar_t *src, const i64 *off, Geom g, i64 n) {
  EMBER_GRID_LOOP(i, n) {
    i64 o[3];
    ember_offsets<3>(g, i, o);
    out[o[0]] = src[o[1] + off[o[2]]];
  }
}

// dst_i[offsets_i] = values_i (operands: dst, values, offsets). Duplicate
// targets race, as the CPU's parallel loop does: one of them wins.
EMBER_KERNEL(ember_scatter_offsets)
(scalar_t *dst, const scalar_t *val, const i64 *off, Geom g, i64 n) {
  EMBER_GRID_LOOP(i, n) {
    i64 o[3];
    ember_offsets<3>(g, i, o);
    dst[o[0] + off[o[2]]] = val[o[1]];
  }
}

// dst_i[offsets_i] += values_i without atomics, bit for bit as the CPU's
// serial loop. Two elements can only hit one slot when they differ only in
// the dims where dst has stride 0 (the "z" dims, bit d of zmask): the
// other coordinates are part of the slot's address. So one thread owns a
// "line" (a choice of the non-z coordinates) and walks its z coordinates
// in row-major order, the CPU's order; lines never share a slot. g has
// ndim >= 1 (the host expands the flat case).
EMBER_KERNEL(ember_scatter_add_lines)
(scalar_t *dst, const scalar_t *val, const i64 *off, Geom g, int zmask,
 i64 nlines, i64 nz) {
  EMBER_GRID_LOOP(t, nlines) {
    i64 base[3] = {0, 0, 0};
    i64 r = t;
    for (int d = g.ndim - 1; d >= 0; --d) {
      if (zmask & (1 << d))
        continue;
      i64 c = r % g.sizes[d];
      r /= g.sizes[d];
      for (int k = 0; k < 3; ++k)
        base[k] += c * g.strides[k][d];
    }
    for (i64 j = 0; j < nz; ++j) {
      i64 o[3] = {base[0], base[1], base[2]};
      i64 q = j;
      for (int d = g.ndim - 1; d >= 0; --d) {
        if (!(zmask & (1 << d)))
          continue;
        i64 c = q % g.sizes[d];
        q /= g.sizes[d];
        for (int k = 0; k < 3; ++k)
          o[k] += c * g.strides[k][d];
      }
      scalar_t *slot = dst + o[0] + off[o[2]];
      *slot = (scalar_t)(*slot + val[o[1]]);
    }
  }
}

// Sums v over the block; every thread gets the total. buf has blockDim.x
// slots.
__device__ __forceinline__ i64 ember_block_sum(i64 *buf, i64 v) {
  buf[threadIdx.x] = v;
  __syncthreads();
  for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s)
      buf[threadIdx.x] += buf[threadIdx.x + s];
    __syncthreads();
  }
  i64 total = buf[0];
  __syncthreads();
  return total;
}

// counts[b] = the number of nonzero elements in block b's chunk.
EMBER_KERNEL(ember_count_nonzero)
(const scalar_t *x, Geom g, i64 n, i64 chunk, i64 *counts) {
  __shared__ i64 buf[EMBER_INDEX_BLOCK];
  i64 begin = (i64)blockIdx.x * chunk;
  i64 end = begin + chunk < n ? begin + chunk : n;
  i64 c = 0;
  for (i64 i = begin + threadIdx.x; i < end; i += blockDim.x) {
    i64 o[1];
    ember_offsets<1>(g, i, o);
    c += x[o[0]] != (scalar_t)0;
  }
  i64 total = ember_block_sum(buf, c);
  if (threadIdx.x == 0)
    counts[blockIdx.x] = total;
}

// out ([rows, shape.ndim], contiguous) = the coordinates (over shape's
// sizes) of the nonzero elements, in row-major order. Block b starts at
// row counts[0] + ... + counts[b-1] and walks its chunk in tiles of
// blockDim.x elements; an inclusive scan (Hillis-Steele) of the tile's
// flags gives each nonzero element its row.
EMBER_KERNEL(ember_nonzero)
(i64 *out, const scalar_t *x, Geom g, Geom shape, i64 n, i64 chunk,
 const i64 *counts, i64 rows) {
  __shared__ i64 scan[EMBER_INDEX_BLOCK];
  __shared__ i64 start;
  if (threadIdx.x == 0) {
    i64 s = 0;
    for (unsigned b = 0; b < blockIdx.x; ++b)
      s += counts[b];
    start = s;
  }
  __syncthreads();
  i64 row0 = start;
  i64 begin = (i64)blockIdx.x * chunk;
  i64 end = begin + chunk < n ? begin + chunk : n;
  for (i64 tile = begin; tile < end; tile += blockDim.x) {
    i64 i = tile + threadIdx.x;
    int flag = 0;
    if (i < end) {
      i64 o[1];
      ember_offsets<1>(g, i, o);
      flag = x[o[0]] != (scalar_t)0;
    }
    scan[threadIdx.x] = flag;
    __syncthreads();
    for (unsigned s = 1; s < blockDim.x; s <<= 1) {
      i64 add = threadIdx.x >= s ? scan[threadIdx.x - s] : 0;
      __syncthreads();
      scan[threadIdx.x] += add;
      __syncthreads();
    }
    i64 row = row0 + scan[threadIdx.x] - 1;
    if (flag && row < rows) {
      i64 r = i;
      for (int d = shape.ndim - 1; d >= 0; --d) {
        out[row * shape.ndim + d] = r % shape.sizes[d];
        r /= shape.sizes[d];
      }
    }
    row0 += scan[blockDim.x - 1];
    __syncthreads();
  }
}

// lo[b], hi[b] = the min and max of block b's chunk (chunks are never
// empty: the host sizes the grid so).
EMBER_KERNEL(ember_int_range)
(const scalar_t *x, Geom g, i64 n, i64 chunk, i64 *lo, i64 *hi) {
  __shared__ i64 mn[EMBER_INDEX_BLOCK];
  __shared__ i64 mx[EMBER_INDEX_BLOCK];
  i64 begin = (i64)blockIdx.x * chunk;
  i64 end = begin + chunk < n ? begin + chunk : n;
  i64 o[1];
  ember_offsets<1>(g, begin, o);
  i64 a = (i64)x[o[0]], b = a;
  for (i64 i = begin + threadIdx.x; i < end; i += blockDim.x) {
    ember_offsets<1>(g, i, o);
    i64 v = (i64)x[o[0]];
    a = v < a ? v : a;
    b = v > b ? v : b;
  }
  mn[threadIdx.x] = a;
  mx[threadIdx.x] = b;
  __syncthreads();
  for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) {
      i64 a2 = mn[threadIdx.x + s], b2 = mx[threadIdx.x + s];
      mn[threadIdx.x] = a2 < mn[threadIdx.x] ? a2 : mn[threadIdx.x];
      mx[threadIdx.x] = b2 > mx[threadIdx.x] ? b2 : mx[threadIdx.x];
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    lo[blockIdx.x] = mn[0];
    hi[blockIdx.x] = mx[0];
  }
}

// out ([n / classes, classes], contiguous int64) = one_hot(x); x is
// contiguous int64 with values in [0, classes) (the caller checked).
EMBER_KERNEL(ember_one_hot)(i64 *out, const i64 *x, i64 classes, i64 n) {
  EMBER_GRID_LOOP(i, n) { out[i] = x[i / classes] == i % classes ? 1 : 0; }
}

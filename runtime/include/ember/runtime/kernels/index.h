// CPU kernels for the index family (gather, scatter_add, index_select,
// advanced indexing, index_put_, one_hot) and the mask -> indices step of
// advanced indexing.
//
// Every gather/scatter here is expressed with element *offsets*: the
// frontend restrides the data operand so that the indexed dims have stride 0
// and builds an int64 tensor of per-element offsets (in elements) with
// index_offsets; the kernels then read or write *(data_i + offsets_i). One
// pair of kernels thus serves gather, index_select, x[idx...] and
// index_put_/scatter_add, whatever the number of index tensors.
#pragma once

#include "ember/runtime/tensor_impl.h"

#include <cstdint>

namespace ember::kernels::cpu {

/// offsets += index * stride, elementwise; offsets is int64, index is int64
/// or int32, both of one shape. Each index must lie in [0, size) or, when
/// `wrap_negative`, in [-size, size) (negative values count from the end).
/// Throws ember::Error "ember::<op>: index 5 is out of bounds for dimension
/// <dim> with size <size>" otherwise.
void index_offsets(const TensorImpl &offsets, const TensorImpl &index,
                   int64_t size, int64_t stride, bool wrap_negative,
                   const char *op, int64_t dim);

/// out_i = src_i[offsets_i]: out, src (same dtype) and offsets (int64)
/// all have out's sizes; src is a restrided view whose indexed dims have
/// stride 0.
void gather_offsets(const TensorImpl &out, const TensorImpl &src,
                    const TensorImpl &offsets);

/// dst_i[offsets_i] = values_i, or += when `accumulate`. dst, values (same
/// dtype) and offsets (int64) have one shape. Accumulation runs serially in
/// index order, so duplicates sum deterministically.
void scatter_offsets(const TensorImpl &dst, const TensorImpl &values,
                     const TensorImpl &offsets, bool accumulate);

/// The number of nonzero elements of `mask` (any dtype).
int64_t count_nonzero(const TensorImpl &mask);
/// out (int64, [count_nonzero(mask), mask.dim()]) = the coordinates of the
/// nonzero elements of mask in row-major order (torch.nonzero).
void nonzero(const TensorImpl &out, const TensorImpl &mask);

/// The minimum and maximum of an int64 tensor with at least one element.
void int_range(const TensorImpl &x, int64_t &lo, int64_t &hi);

/// out (int64, contiguous, x's sizes + [num_classes]) = one_hot(x); x is
/// int64 with values in [0, num_classes) (checked by the caller).
void one_hot(const TensorImpl &out, const TensorImpl &x, int64_t num_classes);

} // namespace ember::kernels::cpu

// memrefCopy, the one piece of MLIR's c_runner_utils that compiled code
// calls (Debian does not put c_runner_utils in libMLIR.so): memref.copy
// between strided memrefs (cat and stack bufferize to copies into
// subviews) becomes memrefCopy(elementSize, src, dst) on unranked
// descriptors. Header-only and free of the rest of ember, so both the JIT
// (which binds the symbol to it) and emberc's standalone executables
// (which define memrefCopy with it) use this one definition.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

namespace ember::rt {

struct UnrankedDescriptor {
  int64_t rank;
  void *descriptor; // {allocated, aligned, offset, sizes[rank], strides[rank]}
};

namespace detail {
struct StridedView {
  char *data;
  const int64_t *sizes, *strides;
};
inline StridedView view(const UnrankedDescriptor *m, int64_t elemSize) {
  auto *fields = static_cast<char *>(m->descriptor);
  char *aligned;
  std::memcpy(&aligned, fields + sizeof(void *), sizeof(void *));
  int64_t offset;
  std::memcpy(&offset, fields + 2 * sizeof(void *), sizeof(int64_t));
  auto *sizes =
      reinterpret_cast<const int64_t *>(fields + 2 * sizeof(void *) + 8);
  return {aligned + offset * elemSize, sizes, sizes + m->rank};
}
} // namespace detail

inline void memref_copy(int64_t elemSize, UnrankedDescriptor *src,
                        UnrankedDescriptor *dst) {
  int64_t rank = src->rank;
  detail::StridedView s = detail::view(src, elemSize),
                      d = detail::view(dst, elemSize);
  int64_t total = 1;
  for (int64_t i = 0; i < rank; ++i)
    total *= s.sizes[i];
  if (total == 0)
    return;
  // Rows along a unit-stride innermost dim (both sides) are one memcpy each:
  // tensor.pad (conv2d's padding) copies whole image rows into a subview.
  int64_t row = 1;
  if (rank > 0 && s.strides[rank - 1] == 1 && d.strides[rank - 1] == 1)
    row = s.sizes[rank - 1];
  int64_t outer = rank > 0 && row > 1 ? rank - 1 : rank;
  std::vector<int64_t> index(static_cast<size_t>(rank), 0);
  for (int64_t n = 0; n < total; n += row) {
    int64_t so = 0, dof = 0;
    for (int64_t i = 0; i < outer; ++i) {
      so += index[i] * s.strides[i];
      dof += index[i] * d.strides[i];
    }
    std::memcpy(d.data + dof * elemSize, s.data + so * elemSize,
                static_cast<size_t>(elemSize * row));
    for (int64_t i = outer - 1; i >= 0; --i) {
      if (++index[i] < s.sizes[i])
        break;
      index[i] = 0;
    }
  }
}

} // namespace ember::rt

#include "ember/runtime/kernels/loops.h"
#include "ember/runtime/error.h"

namespace ember::kernels {

ElementwiseIter::ElementwiseIter(std::span<const TensorImpl *const> ops) {
  EMBER_CHECK(!ops.empty() && ops.size() <= kMaxOperands, "ElementwiseIter",
              "expected 1..", kMaxOperands, " operands, got ", ops.size());
  nops_ = static_cast<int>(ops.size());
  const TensorImpl &out = *ops[0];
  numel_ = out.numel();
  for (int k = 0; k < nops_; ++k) {
    EMBER_CHECK(ops[k]->sizes() == out.sizes(), "ElementwiseIter", "operand ",
                k, " has shape ", ops[k]->sizes(), ", expected ", out.sizes());
    base_[k] = static_cast<char *>(ops[k]->data());
  }
  // Keep dims of size > 1, with byte strides.
  for (int64_t d = 0; d < out.dim(); ++d) {
    if (out.size(d) == 1)
      continue;
    std::array<int64_t, kMaxOperands> st{};
    for (int k = 0; k < nops_; ++k)
      st[k] = ops[k]->stride(d) * static_cast<int64_t>(ops[k]->itemsize());
    // Merge with the previous (outer) dim when it steps exactly over this one.
    if (!sizes_.empty()) {
      bool merge = true;
      auto &prev = strides_.back();
      for (int k = 0; k < nops_; ++k)
        merge = merge && prev[k] == st[k] * out.size(d);
      if (merge) {
        sizes_.back() *= out.size(d);
        prev = st;
        continue;
      }
    }
    sizes_.push_back(out.size(d));
    strides_.push_back(st);
  }
  if (numel_ == 0) {
    sizes_.assign(1, 0);
    strides_.assign(1, {});
  }
}

} // namespace ember::kernels

// PENDING: public entry points whose families have not landed yet.
#include "ember/ember.h"

namespace ember {
namespace {
[[noreturn]] void pending(const char *op) { EMBER_FAIL(op, "not implemented yet"); }
} // namespace
Tensor sum(const Tensor &, Loc) { pending("sum"); }
Tensor sum(const Tensor &, IntArrayRef, bool, std::optional<DType>, Loc) { pending("sum"); }
Tensor mean(const Tensor &, Loc) { pending("mean"); }
Tensor mean(const Tensor &, IntArrayRef, bool, Loc) { pending("mean"); }
Tensor prod(const Tensor &, Loc) { pending("prod"); }
Tensor prod(const Tensor &, int64_t, bool, Loc) { pending("prod"); }
Tensor max(const Tensor &, Loc) { pending("max"); }
std::tuple<Tensor, Tensor> max(const Tensor &, int64_t, bool, Loc) { pending("max"); }
Tensor min(const Tensor &, Loc) { pending("min"); }
std::tuple<Tensor, Tensor> min(const Tensor &, int64_t, bool, Loc) { pending("min"); }
Tensor amax(const Tensor &, IntArrayRef, bool, Loc) { pending("amax"); }
Tensor amin(const Tensor &, IntArrayRef, bool, Loc) { pending("amin"); }
Tensor argmax(const Tensor &, std::optional<int64_t>, bool, Loc) { pending("argmax"); }
Tensor argmin(const Tensor &, std::optional<int64_t>, bool, Loc) { pending("argmin"); }
Tensor var(const Tensor &, Loc) { pending("var"); }
Tensor var(const Tensor &, IntArrayRef, int64_t, bool, Loc) { pending("var"); }
Tensor std(const Tensor &, Loc) { pending("std"); }
Tensor std(const Tensor &, IntArrayRef, int64_t, bool, Loc) { pending("std"); }
Tensor logsumexp(const Tensor &, IntArrayRef, bool, Loc) { pending("logsumexp"); }
Tensor norm(const Tensor &, const Scalar &, Loc) { pending("norm"); }
Tensor norm(const Tensor &, const Scalar &, IntArrayRef, bool, Loc) { pending("norm"); }
Tensor softmax(const Tensor &, int64_t, Loc) { pending("softmax"); }
Tensor log_softmax(const Tensor &, int64_t, Loc) { pending("log_softmax"); }
Tensor cat(const TensorList &, int64_t, Loc) { pending("cat"); }
Tensor stack(const TensorList &, int64_t, Loc) { pending("stack"); }
TensorList split(const Tensor &, int64_t, int64_t, Loc) { pending("split"); }
TensorList split(const Tensor &, IntArrayRef, int64_t, Loc) { pending("split"); }
TensorList chunk(const Tensor &, int64_t, int64_t, Loc) { pending("chunk"); }
Tensor gather(const Tensor &, int64_t, const Tensor &, Loc) { pending("gather"); }
Tensor scatter_add(const Tensor &, int64_t, const Tensor &, const Tensor &, Loc) {
  pending("scatter_add");
}
Tensor index_select(const Tensor &, int64_t, const Tensor &, Loc) { pending("index_select"); }
Tensor one_hot(const Tensor &, int64_t, Loc) { pending("one_hot"); }
Tensor index(const Tensor &, const std::vector<std::optional<Tensor>> &, Loc) {
  pending("index");
}
Tensor &index_put_(Tensor &, const std::vector<std::optional<Tensor>> &, const Tensor &,
                   bool, Loc) { pending("index_put_"); }
Tensor Tensor::index(std::initializer_list<indexing::TensorIndex>, Loc) const {
  pending("index");
}
Tensor Tensor::index(const std::vector<indexing::TensorIndex> &, Loc) const {
  pending("index");
}
Tensor &Tensor::index_put_(std::initializer_list<indexing::TensorIndex>, const Tensor &,
                           Loc) { pending("index_put_"); }
Tensor &Tensor::index_put_(std::initializer_list<indexing::TensorIndex>, const Scalar &,
                           Loc) { pending("index_put_"); }
} // namespace ember

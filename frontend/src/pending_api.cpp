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
} // namespace ember

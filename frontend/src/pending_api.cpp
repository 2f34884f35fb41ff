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
Tensor mm(const Tensor &, const Tensor &, Loc) { pending("mm"); }
Tensor bmm(const Tensor &, const Tensor &, Loc) { pending("bmm"); }
Tensor matmul(const Tensor &, const Tensor &, Loc) { pending("matmul"); }
Tensor conv2d(const Tensor &, const Tensor &, const Tensor &, IntArrayRef, IntArrayRef,
              IntArrayRef, int64_t, Loc) { pending("conv2d"); }
Tensor max_pool2d(const Tensor &, IntArrayRef, IntArrayRef, IntArrayRef, IntArrayRef,
                  bool, Loc) { pending("max_pool2d"); }
Tensor avg_pool2d(const Tensor &, IntArrayRef, IntArrayRef, IntArrayRef, bool, bool,
                  Loc) { pending("avg_pool2d"); }
// random
Generator::Generator(uint64_t seed) : seed_(seed) {}
Generator &default_generator() {
  static Generator g;
  return g;
}
void manual_seed(uint64_t) { pending("manual_seed"); }
Tensor rand(IntArrayRef, TensorOptions, Generator *, Loc) { pending("rand"); }
Tensor randn(IntArrayRef, TensorOptions, Generator *, Loc) { pending("randn"); }
Tensor randint(int64_t, int64_t, IntArrayRef, TensorOptions, Generator *, Loc) {
  pending("randint");
}
Tensor randint(int64_t, IntArrayRef, TensorOptions, Generator *, Loc) { pending("randint"); }
Tensor randperm(int64_t, TensorOptions, Generator *, Loc) { pending("randperm"); }
Tensor bernoulli(const Tensor &, Generator *, Loc) { pending("bernoulli"); }
// print / npy
std::string to_string(const Tensor &t) {
  return "tensor(<" + std::string(dtype_name(t.dtype())) + " " + shape_str(t.sizes()) + ">)";
}
} // namespace ember

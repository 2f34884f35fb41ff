// Generators and the public random functions (torch.rand, randn, randint,
// randperm, bernoulli, Tensor.uniform_ / normal_).
//
// A public function reserves the Philox blocks its draw needs from the
// generator (the default one unless given) and dispatches the op with
// {"seed", "offset"} attributes; see ops/random.cpp.
#include "ember/random.h"
#include "ember/random_replay.h"

#include "ember/dispatch.h"
#include "ember/factory.h"
#include "ember/runtime/kernels/random.h"

namespace ember {

Generator::Generator(uint64_t seed) : seed_(seed) {}

void Generator::manual_seed(uint64_t seed) {
  std::lock_guard<std::mutex> lock(mu_);
  seed_ = seed;
  offset_ = 0;
}
uint64_t Generator::seed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return seed_;
}
uint64_t Generator::offset() const {
  std::lock_guard<std::mutex> lock(mu_);
  return offset_;
}
void Generator::set_offset(uint64_t offset) {
  std::lock_guard<std::mutex> lock(mu_);
  offset_ = offset;
}
std::pair<uint64_t, uint64_t> Generator::reserve(uint64_t blocks) {
  std::lock_guard<std::mutex> lock(mu_);
  std::pair<uint64_t, uint64_t> r{seed_, offset_};
  offset_ += blocks;
  return r;
}
std::pair<uint64_t, uint64_t> Generator::get_state() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {seed_, offset_};
}
void Generator::set_state(std::pair<uint64_t, uint64_t> st) {
  std::lock_guard<std::mutex> lock(mu_);
  seed_ = st.first;
  offset_ = st.second;
}

namespace {
thread_local Generator *t_default_override = nullptr;
} // namespace

Generator &default_generator() {
  if (t_default_override)
    return *t_default_override;
  static Generator g;
  return g;
}

DefaultGeneratorGuard::DefaultGeneratorGuard(Generator &gen)
    : prev_(t_default_override) {
  t_default_override = &gen;
}
DefaultGeneratorGuard::~DefaultGeneratorGuard() { t_default_override = prev_; }

void manual_seed(uint64_t seed) { default_generator().manual_seed(seed); }
void cuda::manual_seed(uint64_t seed) { ember::manual_seed(seed); }
void cuda::manual_seed_all(uint64_t seed) { ember::manual_seed(seed); }

namespace {
/// Reserves `blocks` and adds the {"seed", "offset"} attributes.
void reserve_into(Attrs &a, Generator *gen, uint64_t blocks) {
  auto [seed, offset] = (gen ? *gen : default_generator()).reserve(blocks);
  a.set("seed", static_cast<int64_t>(seed));
  a.set("offset", static_cast<int64_t>(offset));
}
void check_floating(const char *op, DType dt) {
  EMBER_CHECK(is_floating_point(dt), op,
              "expected a floating point dtype (float32 or float64), got ", dt);
}
Tensor &uniform_impl(Tensor &t, double from, double to, Generator *gen,
                     Loc loc) {
  EMBER_CHECK(from <= to, "uniform_",
              "expects to return a [from, to) range, but found from=", from,
              " > to=", to);
  Attrs a{{"from", from}, {"to", to}};
  reserve_into(a, gen, kernels::cpu::uniform_blocks(t.dtype(), t.numel()));
  dispatch(OpId::uniform_, {t}, a, loc);
  return t;
}
Tensor &normal_impl(Tensor &t, double mean, double std, Generator *gen,
                    Loc loc) {
  EMBER_CHECK(std >= 0, "normal_", "expects std >= 0.0, but found std ", std);
  Attrs a{{"mean", mean}, {"std", std}};
  reserve_into(a, gen, kernels::cpu::normal_blocks(t.dtype(), t.numel()));
  dispatch(OpId::normal_, {t}, a, loc);
  return t;
}
} // namespace

Tensor &Tensor::uniform_(double from, double to, Loc loc) {
  return uniform_impl(*this, from, to, nullptr, loc);
}
Tensor &Tensor::normal_(double mean, double std, Loc loc) {
  return normal_impl(*this, mean, std, nullptr, loc);
}

Tensor rand(IntArrayRef size, TensorOptions opts, Generator *gen, Loc loc) {
  check_floating("rand", opts.dtype());
  Tensor t = empty(size, opts.requires_grad(false), loc);
  uniform_impl(t, 0.0, 1.0, gen, loc);
  return t.requires_grad_(opts.requires_grad());
}

Tensor randn(IntArrayRef size, TensorOptions opts, Generator *gen, Loc loc) {
  check_floating("randn", opts.dtype());
  Tensor t = empty(size, opts.requires_grad(false), loc);
  normal_impl(t, 0.0, 1.0, gen, loc);
  return t.requires_grad_(opts.requires_grad());
}

Tensor rand_like(const Tensor &t, Generator *gen, Loc loc) {
  return rand(t.sizes(), t.options(), gen, loc);
}
Tensor randn_like(const Tensor &t, Generator *gen, Loc loc) {
  return randn(t.sizes(), t.options(), gen, loc);
}

Tensor randint(int64_t low, int64_t high, IntArrayRef size, TensorOptions opts,
               Generator *gen, Loc loc) {
  EMBER_CHECK(low < high, "randint",
              "expects 'low' to be less than 'high', but got low=", low,
              " >= high=", high);
  int64_t numel = 1;
  for (int64_t s : size) {
    EMBER_CHECK(s >= 0, "randint", "negative dimension ", s, " in size ", size);
    numel *= s;
  }
  Attrs a{{"low", low},
          {"high", high},
          {"size", size.vec()},
          {"dtype", opts.dtype_opt().value_or(kInt64)},
          {"device", opts.device()}};
  reserve_into(a, gen, kernels::cpu::randint_blocks(numel));
  return dispatch1(OpId::randint, {}, a, loc);
}

Tensor randint(int64_t high, IntArrayRef size, TensorOptions opts,
               Generator *gen, Loc loc) {
  return randint(0, high, size, opts, gen, loc);
}

Tensor randperm(int64_t n, TensorOptions opts, Generator *gen, Loc loc) {
  EMBER_CHECK(n >= 0, "randperm", "n must be non-negative, got n=", n);
  Attrs a{{"n", n},
          {"dtype", opts.dtype_opt().value_or(kInt64)},
          {"device", opts.device()}};
  reserve_into(a, gen, kernels::cpu::randperm_blocks(n));
  return dispatch1(OpId::randperm, {}, a, loc);
}

Tensor bernoulli(const Tensor &p, Generator *gen, Loc loc) {
  Attrs a;
  reserve_into(a, gen, kernels::cpu::bernoulli_blocks(p.dtype(), p.numel()));
  return dispatch1(OpId::bernoulli, {p}, a, loc);
}

uint64_t detail::random_op_blocks(OpId op, std::span<const Tensor> inputs,
                                  const TensorList &outputs) {
  switch (op) {
  case OpId::uniform_:
    return kernels::cpu::uniform_blocks(inputs[0].dtype(), inputs[0].numel());
  case OpId::normal_:
    return kernels::cpu::normal_blocks(inputs[0].dtype(), inputs[0].numel());
  case OpId::bernoulli:
    return kernels::cpu::bernoulli_blocks(inputs[0].dtype(), inputs[0].numel());
  case OpId::randint:
    return kernels::cpu::randint_blocks(outputs.at(0).numel());
  case OpId::randperm:
    return kernels::cpu::randperm_blocks(outputs.at(0).numel());
  default:
    EMBER_FAIL("random_op_blocks", op_name(op), " is not a random op");
  }
}

Attrs detail::redraw_from_default_generator(OpId op, const Attrs &recorded,
                                            uint64_t blocks) {
  EMBER_CHECK(has_flag(op_info(op).flags, OpFlag::Random),
              "redraw_from_default_generator", op_name(op),
              " is not a random op");
  Attrs a;
  for (const Attr &item : recorded.items())
    if (std::string_view(item.name) != "seed" &&
        std::string_view(item.name) != "offset")
      a.set(item.name, item.value);
  reserve_into(a, nullptr, blocks);
  return a;
}

} // namespace ember

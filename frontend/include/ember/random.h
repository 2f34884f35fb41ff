// Random numbers: counter-based Philox4x32-10 (the same algorithm runs on
// CUDA, so a seed gives the same numbers on every device). A Generator
// holds (seed, offset); every draw advances the offset.
#pragma once

#include "ember/tensor.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

namespace ember {

class Generator {
public:
  explicit Generator(uint64_t seed = 67280421310721ull);
  void manual_seed(uint64_t seed);
  uint64_t seed() const;
  /// Counter position in units of 128-bit Philox blocks.
  uint64_t offset() const;
  void set_offset(uint64_t offset);
  /// Reserves `blocks` Philox blocks and returns (seed, first offset).
  std::pair<uint64_t, uint64_t> reserve(uint64_t blocks);
  /// Serialized state (seed, offset) for checkpoints.
  std::pair<uint64_t, uint64_t> get_state() const;
  void set_state(std::pair<uint64_t, uint64_t> st);

private:
  mutable std::mutex mu_;
  uint64_t seed_;
  uint64_t offset_ = 0;
};

/// The CPU generator that draws without an explicit Generator: the
/// process-wide one (torch.default_generator), unless a
/// DefaultGeneratorGuard on this thread substitutes another.
Generator &default_generator();

/// Makes `gen` this thread's default generator while the guard lives
/// (guards nest). The DataLoader uses it to give each batch its own
/// generator, so random transforms give the same batches however many
/// worker threads load them.
class DefaultGeneratorGuard {
public:
  explicit DefaultGeneratorGuard(Generator &gen);
  ~DefaultGeneratorGuard();
  DefaultGeneratorGuard(const DefaultGeneratorGuard &) = delete;
  DefaultGeneratorGuard &operator=(const DefaultGeneratorGuard &) = delete;

private:
  Generator *prev_;
};
/// Seeds the default generator (torch.manual_seed).
void manual_seed(uint64_t seed);

namespace cuda {
/// ember has one default generator for every device: the Philox stream is
/// a pure function of (seed, offset), drawn on the host's counter and
/// computed wherever the output lives, so `manual_seed(s); randn(shape,
/// device)` gives the same numbers on the CPU and on CUDA. These seed that
/// generator (torch.cuda.manual_seed / manual_seed_all, for code written
/// against PyTorch); they work without a GPU.
void manual_seed(uint64_t seed);
void manual_seed_all(uint64_t seed);
} // namespace cuda

Tensor rand(IntArrayRef size, TensorOptions opts = {}, Generator *gen = nullptr,
            Loc loc = Loc::current());
Tensor randn(IntArrayRef size, TensorOptions opts = {},
             Generator *gen = nullptr, Loc loc = Loc::current());
/// Integers in [low, high); int64 unless a dtype is given.
Tensor randint(int64_t low, int64_t high, IntArrayRef size,
               TensorOptions opts = {}, Generator *gen = nullptr,
               Loc loc = Loc::current());
Tensor randint(int64_t high, IntArrayRef size, TensorOptions opts = {},
               Generator *gen = nullptr, Loc loc = Loc::current());
/// A random permutation of [0, n) (int64).
Tensor randperm(int64_t n, TensorOptions opts = {}, Generator *gen = nullptr,
                Loc loc = Loc::current());
/// 1 with probability p (elementwise), as torch.bernoulli(p).
Tensor bernoulli(const Tensor &p, Generator *gen = nullptr,
                 Loc loc = Loc::current());
Tensor rand_like(const Tensor &t, Generator *gen = nullptr,
                 Loc loc = Loc::current());
Tensor randn_like(const Tensor &t, Generator *gen = nullptr,
                  Loc loc = Loc::current());

} // namespace ember

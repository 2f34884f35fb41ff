// Samplers (torch.utils.data.*Sampler): which dataset indices an epoch
// visits, and in what order.
//
// Interface: indices() returns the whole epoch's index sequence at once;
// every call is a new epoch (random samplers draw afresh from their
// Generator, so a seeded Generator gives a reproducible sequence of epochs).
// size() is the length of one epoch. A DataLoader calls indices() once per
// epoch, or BatchSampler::batches() to get them grouped.
//
//   Generator g(0);
//   data::BatchSampler bs(std::make_shared<data::RandomSampler>(100, false,
//                         std::nullopt, &g), /*batch_size=*/32,
//                         /*drop_last=*/true);
//   for (const auto &batch : bs.batches()) ...   // 3 batches of 32 indices
#pragma once

#include "ember/random.h"

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

namespace ember::data {

class Sampler {
public:
  virtual ~Sampler() = default;
  /// One epoch's indices (a fresh draw on every call for random samplers).
  virtual std::vector<size_t> indices() = 0;
  /// How many indices one epoch has.
  virtual size_t size() const = 0;
};

/// 0, 1, ..., n-1.
class SequentialSampler : public Sampler {
public:
  explicit SequentialSampler(size_t n) : n_(n) {}
  std::vector<size_t> indices() override;
  size_t size() const override { return n_; }

private:
  size_t n_;
};

/// Indices of [0, n) in random order. Without replacement: a randperm of n
/// per epoch (num_samples > n concatenates further permutations, as
/// PyTorch). With replacement: num_samples independent uniform draws.
/// num_samples defaults to n. `gen` is not owned; null means the default
/// generator.
class RandomSampler : public Sampler {
public:
  explicit RandomSampler(size_t n, bool replacement = false,
                         std::optional<size_t> num_samples = std::nullopt,
                         Generator *gen = nullptr);
  std::vector<size_t> indices() override;
  size_t size() const override { return num_samples_; }

private:
  size_t n_;
  bool replacement_;
  size_t num_samples_;
  Generator *gen_;
};

/// The given indices in random order (a fresh permutation each epoch).
class SubsetRandomSampler : public Sampler {
public:
  explicit SubsetRandomSampler(std::vector<size_t> indices,
                               Generator *gen = nullptr)
      : indices_(std::move(indices)), gen_(gen) {}
  std::vector<size_t> indices() override;
  size_t size() const override { return indices_.size(); }

private:
  std::vector<size_t> indices_;
  Generator *gen_;
};

/// num_samples indices in [0, weights.size()), index i drawn with
/// probability proportional to weights[i] (torch.multinomial). Without
/// replacement every index appears at most once, so num_samples may not
/// exceed the number of positive weights. Weights must be finite, >= 0 and
/// not all zero.
class WeightedRandomSampler : public Sampler {
public:
  WeightedRandomSampler(std::vector<double> weights, size_t num_samples,
                        bool replacement = true, Generator *gen = nullptr);
  std::vector<size_t> indices() override;
  size_t size() const override { return num_samples_; }

private:
  std::vector<double> weights_;
  size_t num_samples_;
  bool replacement_;
  Generator *gen_;
};

/// Groups another sampler's indices into batches of batch_size; the last
/// batch is shorter, or dropped when drop_last.
class BatchSampler {
public:
  BatchSampler(std::shared_ptr<Sampler> sampler, size_t batch_size,
               bool drop_last);
  /// One epoch's batches (calls sampler->indices() once).
  std::vector<std::vector<size_t>> batches();
  /// The number of batches per epoch.
  size_t size() const;
  size_t batch_size() const { return batch_size_; }
  bool drop_last() const { return drop_last_; }

private:
  std::shared_ptr<Sampler> sampler_;
  size_t batch_size_;
  bool drop_last_;
};

} // namespace ember::data

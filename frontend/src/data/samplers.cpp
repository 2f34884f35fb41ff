// Samplers. Random draws go through ember's Philox generator (randperm,
// randint, rand), so a seeded Generator reproduces every epoch.
// WeightedRandomSampler samples like torch.multinomial: with replacement by
// inverse CDF of uniform draws; without replacement by exponential keys
// (Efraimidis-Spirakis: the k largest u^(1/w) are a sequential weighted
// sample without replacement).
#include "ember/data/samplers.h"

#include "ember/data/dataset.h"
#include "ember/factory.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ember::data {

namespace {
std::vector<double> uniform_draws(size_t n, Generator *gen) {
  std::vector<double> out(n);
  if (n == 0)
    return out;
  Tensor u =
      rand({static_cast<int64_t>(n)}, TensorOptions().dtype(kFloat64), gen);
  const double *d = u.data_ptr<double>();
  std::copy(d, d + n, out.begin());
  return out;
}
} // namespace

std::vector<size_t> SequentialSampler::indices() {
  std::vector<size_t> out(n_);
  std::iota(out.begin(), out.end(), size_t{0});
  return out;
}

RandomSampler::RandomSampler(size_t n, bool replacement,
                             std::optional<size_t> num_samples, Generator *gen)
    : n_(n), replacement_(replacement), num_samples_(num_samples.value_or(n)),
      gen_(gen) {
  EMBER_CHECK(num_samples_ > 0, "data::RandomSampler",
              "num_samples should be a positive integer value, but got "
              "num_samples=",
              num_samples_);
  EMBER_CHECK(n_ > 0, "data::RandomSampler",
              "cannot sample from an empty dataset");
}

std::vector<size_t> RandomSampler::indices() {
  std::vector<size_t> out;
  out.reserve(num_samples_);
  if (replacement_) {
    Tensor r = randint(static_cast<int64_t>(n_),
                       {static_cast<int64_t>(num_samples_)}, {}, gen_);
    const int64_t *d = r.data_ptr<int64_t>();
    for (size_t i = 0; i < num_samples_; ++i)
      out.push_back(static_cast<size_t>(d[i]));
    return out;
  }
  while (out.size() < num_samples_) {
    std::vector<size_t> p = random_permutation(n_, gen_);
    size_t take = std::min(p.size(), num_samples_ - out.size());
    out.insert(out.end(), p.begin(), p.begin() + static_cast<ptrdiff_t>(take));
  }
  return out;
}

std::vector<size_t> SubsetRandomSampler::indices() {
  std::vector<size_t> p = random_permutation(indices_.size(), gen_);
  for (size_t &i : p)
    i = indices_[i];
  return p;
}

WeightedRandomSampler::WeightedRandomSampler(std::vector<double> weights,
                                             size_t num_samples,
                                             bool replacement, Generator *gen)
    : weights_(std::move(weights)), num_samples_(num_samples),
      replacement_(replacement), gen_(gen) {
  const char *op = "data::WeightedRandomSampler";
  EMBER_CHECK(num_samples_ > 0, op,
              "num_samples should be a positive integer value, but got "
              "num_samples=",
              num_samples_);
  EMBER_CHECK(!weights_.empty(), op, "weights must not be empty");
  double total = 0;
  size_t positive = 0;
  for (size_t i = 0; i < weights_.size(); ++i) {
    double w = weights_[i];
    EMBER_CHECK(std::isfinite(w) && w >= 0, op, "weights[", i, "] = ", w,
                "; weights must be finite and non-negative");
    total += w;
    positive += w > 0;
  }
  EMBER_CHECK(total > 0, op, "the weights sum to zero");
  EMBER_CHECK(replacement_ || num_samples_ <= positive, op, "cannot draw ",
              num_samples_, " samples without replacement from ", positive,
              " indices with a positive weight");
}

std::vector<size_t> WeightedRandomSampler::indices() {
  size_t n = weights_.size();
  std::vector<size_t> out;
  out.reserve(num_samples_);
  if (replacement_) {
    std::vector<double> cdf(n);
    std::partial_sum(weights_.begin(), weights_.end(), cdf.begin());
    double total = cdf.back();
    for (double u : uniform_draws(num_samples_, gen_)) {
      // First index whose cumulative weight exceeds u * total; zero-weight
      // indices have cdf equal to their predecessor and are never chosen.
      auto it = std::upper_bound(cdf.begin(), cdf.end(), u * total);
      size_t i = std::min(static_cast<size_t>(it - cdf.begin()), n - 1);
      while (weights_[i] == 0) // u * total rounding onto the last step
        --i;
      out.push_back(i);
    }
    return out;
  }
  std::vector<double> u = uniform_draws(n, gen_);
  std::vector<std::pair<double, size_t>> keys;
  for (size_t i = 0; i < n; ++i)
    if (weights_[i] > 0) // log(u) / w: larger is earlier; u = 0 gives -inf.
      keys.emplace_back(std::log(u[i]) / weights_[i], i);
  std::partial_sort(
      keys.begin(), keys.begin() + static_cast<ptrdiff_t>(num_samples_),
      keys.end(),
      [](const auto &a, const auto &b) { return a.first > b.first; });
  for (size_t k = 0; k < num_samples_; ++k)
    out.push_back(keys[k].second);
  return out;
}

BatchSampler::BatchSampler(std::shared_ptr<Sampler> sampler, size_t batch_size,
                           bool drop_last)
    : sampler_(std::move(sampler)), batch_size_(batch_size),
      drop_last_(drop_last) {
  EMBER_CHECK(sampler_ != nullptr, "data::BatchSampler", "sampler is null");
  EMBER_CHECK(batch_size_ > 0, "data::BatchSampler",
              "batch_size should be a positive integer value, but got "
              "batch_size=",
              batch_size_);
}

std::vector<std::vector<size_t>> BatchSampler::batches() {
  std::vector<size_t> idx = sampler_->indices();
  std::vector<std::vector<size_t>> out;
  for (size_t s = 0; s < idx.size(); s += batch_size_) {
    size_t e = std::min(idx.size(), s + batch_size_);
    if (e - s < batch_size_ && drop_last_)
      break;
    out.emplace_back(idx.begin() + static_cast<ptrdiff_t>(s),
                     idx.begin() + static_cast<ptrdiff_t>(e));
  }
  return out;
}

size_t BatchSampler::size() const {
  size_t n = sampler_->size();
  return drop_last_ ? n / batch_size_ : (n + batch_size_ - 1) / batch_size_;
}

} // namespace ember::data

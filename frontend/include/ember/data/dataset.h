// Map-style datasets (torch.utils.data): an Example is one (data, target)
// pair; a Dataset returns the example at an index and knows its size.
// TensorDataset, Subset, ConcatDataset and random_split compose them.
//
//   auto ds = std::make_shared<data::TensorDataset>(x, y);   // x[i], y[i]
//   Generator g(42);
//   auto parts = data::random_split(ds, {80, 20}, &g);       // two Subsets
//   data::Example<> e = parts[0]->get(3);
#pragma once

#include "ember/random.h"
#include "ember/runtime/error.h"
#include "ember/tensor.h"

#include <cstddef>
#include <memory>
#include <type_traits>
#include <vector>

namespace ember::data {

/// One item of a dataset (LibTorch's torch::data::Example).
template <typename Data = Tensor, typename Target = Tensor> struct Example {
  using DataType = Data;
  using TargetType = Target;
  Data data;
  Target target;
};

/// A map-style dataset: get(i) for 0 <= i < size(). Every dataset here has a
/// known size (PyTorch's map-style datasets always do), so size() returns
/// size_t rather than LibTorch's optional. get() throws ember::Error for an
/// index out of range. get() is const-free so that datasets may cache, but
/// must return the same example for the same index (random augmentation
/// belongs in transforms, which draw from their own Generator).
template <typename ExampleT = Example<>> class Dataset {
public:
  using ExampleType = ExampleT;
  virtual ~Dataset() = default;
  /// The example at `index`.
  virtual ExampleT get(size_t index) = 0;
  /// The number of examples.
  virtual size_t size() const = 0;
};

namespace detail {
inline void check_index(const char *op, size_t index, size_t size) {
  EMBER_CHECK(index < size, op, "index ", index,
              " is out of range for a dataset of size ", size);
}
} // namespace detail

/// Wraps tensors that share their first dimension: get(i) is
/// {data[i], target[i]} (views, as torch.utils.data.TensorDataset).
class TensorDataset : public Dataset<Example<>> {
public:
  TensorDataset(Tensor data, Tensor target);
  Example<> get(size_t index) override;
  size_t size() const override;
  const Tensor &data() const { return data_; }
  const Tensor &target() const { return target_; }

private:
  Tensor data_, target_;
};

/// The examples of `dataset` at `indices` (torch.utils.data.Subset).
/// Indices are checked against the dataset's size when the Subset is made.
template <typename ExampleT> class Subset : public Dataset<ExampleT> {
public:
  Subset(std::shared_ptr<Dataset<ExampleT>> dataset,
         std::vector<size_t> indices)
      : dataset_(std::move(dataset)), indices_(std::move(indices)) {
    EMBER_CHECK(dataset_ != nullptr, "data::Subset", "dataset is null");
    size_t n = dataset_->size();
    for (size_t i : indices_)
      EMBER_CHECK(i < n, "data::Subset", "index ", i,
                  " is out of range for a dataset of size ", n);
  }
  ExampleT get(size_t index) override {
    detail::check_index("data::Subset", index, indices_.size());
    return dataset_->get(indices_[index]);
  }
  size_t size() const override { return indices_.size(); }
  const std::vector<size_t> &indices() const { return indices_; }
  const std::shared_ptr<Dataset<ExampleT>> &dataset() const { return dataset_; }

private:
  std::shared_ptr<Dataset<ExampleT>> dataset_;
  std::vector<size_t> indices_;
};

/// The datasets one after another (torch.utils.data.ConcatDataset). Sizes
/// are read once, at construction.
template <typename ExampleT> class ConcatDataset : public Dataset<ExampleT> {
public:
  explicit ConcatDataset(std::vector<std::shared_ptr<Dataset<ExampleT>>> ds)
      : datasets_(std::move(ds)) {
    EMBER_CHECK(!datasets_.empty(), "data::ConcatDataset",
                "needs at least one dataset");
    size_t total = 0;
    for (const auto &d : datasets_) {
      EMBER_CHECK(d != nullptr, "data::ConcatDataset", "a dataset is null");
      total += d->size();
      cumulative_.push_back(total);
    }
  }
  ExampleT get(size_t index) override {
    detail::check_index("data::ConcatDataset", index, size());
    size_t k = 0;
    while (index >= cumulative_[k])
      ++k;
    size_t start = k == 0 ? 0 : cumulative_[k - 1];
    return datasets_[k]->get(index - start);
  }
  size_t size() const override { return cumulative_.back(); }
  /// Running totals of the sizes (PyTorch's cumulative_sizes).
  const std::vector<size_t> &cumulative_sizes() const { return cumulative_; }

private:
  std::vector<std::shared_ptr<Dataset<ExampleT>>> datasets_;
  std::vector<size_t> cumulative_;
};

/// A random permutation of [0, n) drawn from `gen` (default generator when
/// null), as randperm(n).tolist().
std::vector<size_t> random_permutation(size_t n, Generator *gen = nullptr);

/// Splits `dataset` into non-overlapping Subsets of the given lengths, which
/// must sum to dataset->size() (torch.utils.data.random_split: one
/// randperm of the whole dataset, cut in order).
template <typename ExampleT>
std::vector<std::shared_ptr<Subset<ExampleT>>>
random_split(std::shared_ptr<Dataset<ExampleT>> dataset,
             const std::vector<size_t> &lengths, Generator *gen = nullptr) {
  EMBER_CHECK(dataset != nullptr, "data::random_split", "dataset is null");
  size_t total = 0;
  for (size_t l : lengths)
    total += l;
  EMBER_CHECK(total == dataset->size(), "data::random_split",
              "sum of input lengths (", total,
              ") does not equal the length of the input dataset (",
              dataset->size(), ")");
  std::vector<size_t> perm = random_permutation(total, gen);
  std::vector<std::shared_ptr<Subset<ExampleT>>> out;
  size_t offset = 0;
  for (size_t l : lengths) {
    std::vector<size_t> idx(perm.begin() + static_cast<ptrdiff_t>(offset),
                            perm.begin() + static_cast<ptrdiff_t>(offset + l));
    out.push_back(std::make_shared<Subset<ExampleT>>(dataset, std::move(idx)));
    offset += l;
  }
  return out;
}

/// Overload for a concrete dataset type (e.g. shared_ptr<TensorDataset>).
template <typename D>
requires(!std::is_same_v<D, Dataset<typename D::ExampleType>>)
    std::vector<std::shared_ptr<Subset<typename D::ExampleType>>> random_split(
        std::shared_ptr<D> dataset, const std::vector<size_t> &lengths,
        Generator *gen = nullptr) {
  return random_split(
      std::static_pointer_cast<Dataset<typename D::ExampleType>>(dataset),
      lengths, gen);
}

} // namespace ember::data

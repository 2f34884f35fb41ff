// DataLoader (torch.utils.data.DataLoader): batches of a map-style dataset,
// optionally shuffled, loaded by worker threads ahead of the training loop.
//
//   auto train = std::make_shared<data::datasets::FashionMNIST>(
//       data::datasets::FashionMNIST::kDefaultRoot, true, T::ToTensor());
//   data::DataLoader loader(train, {.batch_size = 64, .shuffle = true,
//                                   .num_workers = 2});
//   for (auto &batch : loader)          // Example<>{[64,1,28,28], [64]}
//     step(batch.data, batch.target);
//
// Determinism: for a given generator state the batches are identical for
// every num_workers, 0 included. The batch order comes from the sampler
// (drawn on the calling thread at begin()), and each batch is loaded under
// its own default generator (DefaultGeneratorGuard), seeded from one base
// seed drawn per epoch and the batch's position. So random transforms that
// use the default generator (gen = nullptr) draw the same numbers whichever
// thread runs them. A transform holding an explicit Generator shared by the
// workers stays thread-safe but its draws then depend on thread timing.
//
// Workers: num_workers threads fetch whole batches (dataset get() and the
// collate function) at most prefetch_factor * num_workers batches ahead of
// the consumer; batches come out in order. With workers, dataset get() and
// transforms run concurrently and must be thread-safe (the datasets and
// transforms in ember::data are). An exception in get() reaches the caller
// as ember::Error naming the sample index and the batch, when the loop
// reaches that batch. Breaking out of the loop, starting a new epoch, or
// destroying the loader stops the workers and joins them; no thread
// outlives the loader. Without persistent_workers the threads live for one
// epoch; with it they are kept for the next.
//
// pin_memory copies each batch's tensors into page-locked memory when a
// CUDA device is available, for fast host-to-device copies; without CUDA it
// does nothing (PyTorch warns and does the same).
#pragma once

#include "ember/data/dataset.h"
#include "ember/data/samplers.h"
#include "ember/random.h"
#include "ember/runtime/error.h"

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <type_traits>
#include <vector>

namespace ember::data {

struct DataLoaderOptions {
  size_t batch_size = 1;
  /// Reshuffle every epoch (a RandomSampler over the loader's generator).
  bool shuffle = false;
  /// Drop the last batch when it is smaller than batch_size.
  bool drop_last = false;
  /// Worker threads; 0 loads on the calling thread.
  size_t num_workers = 0;
  /// Batches each worker may load ahead of the consumer (PyTorch's
  /// prefetch_factor); the queue holds at most num_workers * this.
  size_t prefetch_factor = 2;
  /// Copy batches into page-locked memory when CUDA is available.
  bool pin_memory = false;
  /// Keep the worker threads between epochs.
  bool persistent_workers = false;
  /// Draws the shuffle order and the per-epoch base seed; null means the
  /// default generator. Not owned.
  Generator *generator = nullptr;
  /// Which indices to visit (instead of shuffle); not shared with another
  /// loader while both iterate.
  std::shared_ptr<Sampler> sampler = nullptr;
};

/// Stacks the examples' data and their targets along a new first dimension
/// (0-dim targets become a [batch] tensor), as PyTorch's default_collate.
Example<> default_collate(std::vector<Example<>> examples);

namespace detail {

/// Threads that run one epoch's batch loads in order, a bounded window ahead
/// of the consumer. Not a template, so the threading lives in one .cpp.
class LoaderWorkers {
public:
  explicit LoaderWorkers(size_t num_workers);
  /// Cancels any epoch and joins the threads.
  ~LoaderWorkers();
  LoaderWorkers(const LoaderWorkers &) = delete;
  LoaderWorkers &operator=(const LoaderWorkers &) = delete;

  /// Starts an epoch of `n` tasks: load(i) runs on some worker for each i,
  /// claimed in increasing order, at most `window` past the consumer.
  /// Cancels the previous epoch first.
  void start(size_t n, size_t window, std::function<void(size_t)> load);
  /// Blocks until task i is done and rethrows its exception. Tasks must be
  /// waited for in order; this lets the window move past i.
  void wait(size_t i);
  /// Hands out no more tasks and waits for the running ones to finish.
  void cancel();

private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Mixes the epoch's base seed with a batch position (splitmix64).
uint64_t batch_seed(uint64_t base, uint64_t batch);
/// Draws an epoch's base seed from `gen` (the default generator when null).
uint64_t draw_base_seed(Generator *gen);
/// Rethrows the current exception as ember::Error naming the sample.
[[noreturn]] void rethrow_sample_error(size_t index, size_t batch);
[[noreturn]] void rethrow_collate_error(size_t batch);

Tensor pin(const Tensor &t);
template <typename T> void pin_batch(T &batch) {
  if constexpr (std::is_same_v<T, Tensor>) {
    batch = pin(batch);
  } else if constexpr (std::is_same_v<T, Example<>>) {
    batch.data = pin(batch.data);
    batch.target = pin(batch.target);
  } else if constexpr (std::is_same_v<T, std::vector<Tensor>>) {
    for (Tensor &t : batch)
      t = pin(t);
  } else {
    EMBER_FAIL("data::DataLoader",
               "pin_memory supports batches of Tensor, Example<> or "
               "std::vector<Tensor>; this collate function returns another "
               "type");
  }
}
bool pinning_available();

} // namespace detail

/// Loads batches of `ExampleT` from a dataset, each made by a collate
/// function from a vector of examples (default_collate for Example<>).
template <typename ExampleT = Example<>, typename BatchT = ExampleT>
class DataLoader {
public:
  using Collate = std::function<BatchT(std::vector<ExampleT>)>;

  explicit DataLoader(std::shared_ptr<Dataset<ExampleT>> dataset,
                      DataLoaderOptions options = {}, Collate collate = {})
      : dataset_(std::move(dataset)), options_(std::move(options)),
        collate_(std::move(collate)) {
    const char *op = "data::DataLoader";
    EMBER_CHECK(dataset_ != nullptr, op, "dataset is null");
    EMBER_CHECK(options_.batch_size > 0, op,
                "batch_size should be a positive integer, got ",
                options_.batch_size);
    EMBER_CHECK(options_.prefetch_factor > 0, op,
                "prefetch_factor should be a positive integer, got ",
                options_.prefetch_factor);
    EMBER_CHECK(!(options_.sampler && options_.shuffle), op,
                "sampler option is mutually exclusive with shuffle");
    if (!collate_) {
      if constexpr (std::is_same_v<ExampleT, Example<>> &&
                    std::is_same_v<BatchT, Example<>>)
        collate_ = default_collate;
      else
        EMBER_FAIL(op, "examples that are not Example<Tensor, Tensor> need "
                       "a collate function");
    }
    std::shared_ptr<Sampler> sampler = options_.sampler;
    if (!sampler && options_.shuffle)
      sampler = std::make_shared<RandomSampler>(
          dataset_->size(), false, std::nullopt, options_.generator);
    else if (!sampler)
      sampler = std::make_shared<SequentialSampler>(dataset_->size());
    batches_ = std::make_unique<BatchSampler>(
        std::move(sampler), options_.batch_size, options_.drop_last);
  }
  ~DataLoader() { stop(); }
  DataLoader(const DataLoader &) = delete;
  DataLoader &operator=(const DataLoader &) = delete;

  /// Walks one epoch; an iterator is invalidated by the next begin().
  class Iterator {
  public:
    using iterator_category = std::input_iterator_tag;
    using value_type = BatchT;
    using difference_type = std::ptrdiff_t;
    using pointer = BatchT *;
    using reference = BatchT &;

    Iterator() = default;
    BatchT &operator*() const { return *loader_->current_; }
    BatchT *operator->() const { return &*loader_->current_; }
    Iterator &operator++() {
      loader_->advance();
      return *this;
    }
    bool operator==(const Iterator &other) const {
      return done() == other.done();
    }

  private:
    friend class DataLoader;
    explicit Iterator(DataLoader *loader) : loader_(loader) {}
    bool done() const { return !loader_ || !loader_->current_; }
    DataLoader *loader_ = nullptr;
  };

  /// Starts an epoch (abandoning one in progress) and loads its first batch.
  Iterator begin() {
    stop();
    epoch_ = batches_->batches();
    base_seed_ = detail::draw_base_seed(options_.generator);
    slots_.assign(epoch_.size(), std::nullopt);
    pos_ = 0;
    pin_ = options_.pin_memory && detail::pinning_available();
    if (options_.num_workers > 0 && !epoch_.empty()) {
      if (!workers_)
        workers_ =
            std::make_unique<detail::LoaderWorkers>(options_.num_workers);
      workers_->start(epoch_.size(),
                      options_.num_workers * options_.prefetch_factor,
                      [this](size_t b) { slots_[b] = load(b); });
    }
    fetch();
    return Iterator(this);
  }
  Iterator end() { return Iterator(); }

  /// Batches per epoch (len(loader)).
  size_t size() const { return batches_->size(); }
  const DataLoaderOptions &options() const { return options_; }
  const std::shared_ptr<Dataset<ExampleT>> &dataset() const { return dataset_; }

private:
  BatchT load(size_t b) const {
    Generator gen(detail::batch_seed(base_seed_, b));
    DefaultGeneratorGuard guard(gen);
    std::vector<ExampleT> examples;
    examples.reserve(epoch_[b].size());
    for (size_t index : epoch_[b]) {
      try {
        examples.push_back(dataset_->get(index));
      } catch (...) {
        detail::rethrow_sample_error(index, b);
      }
    }
    std::optional<BatchT> batch;
    try {
      batch.emplace(collate_(std::move(examples)));
    } catch (...) {
      detail::rethrow_collate_error(b);
    }
    if (pin_)
      detail::pin_batch(*batch);
    return std::move(*batch);
  }

  // Makes current_ the batch at pos_, or empty at the end of the epoch.
  void fetch() {
    current_.reset();
    if (pos_ >= epoch_.size()) {
      stop();
      return;
    }
    try {
      if (workers_ && options_.num_workers > 0) {
        workers_->wait(pos_);
        current_ = std::move(slots_[pos_]);
        slots_[pos_].reset();
      } else {
        current_ = load(pos_);
      }
    } catch (...) {
      stop(); // the epoch ends at the error; the loader stays usable
      throw;
    }
  }
  void advance() {
    ++pos_;
    fetch();
  }
  // Ends the epoch: cancels the workers' tasks (and joins the threads
  // unless persistent) before the slots they write go away.
  void stop() {
    if (workers_) {
      workers_->cancel();
      if (!options_.persistent_workers)
        workers_.reset();
    }
    current_.reset();
    slots_.clear();
    pos_ = epoch_.size();
  }

  std::shared_ptr<Dataset<ExampleT>> dataset_;
  DataLoaderOptions options_;
  Collate collate_;
  std::unique_ptr<BatchSampler> batches_;
  std::vector<std::vector<size_t>> epoch_;
  uint64_t base_seed_ = 0;
  bool pin_ = false;
  std::vector<std::optional<BatchT>> slots_;
  size_t pos_ = 0;
  std::optional<BatchT> current_;
  std::unique_ptr<detail::LoaderWorkers> workers_;
};

/// Deduces the example type from a concrete dataset pointer:
/// DataLoader loader(std::make_shared<TensorDataset>(x, y), {...}).
template <typename D>
DataLoader(std::shared_ptr<D>, DataLoaderOptions = {})
    -> DataLoader<typename D::ExampleType>;

} // namespace ember::data

// data::DataLoader: batching, order, shuffling, determinism across worker
// counts (random transforms included), worker errors, early exits and
// destruction (no deadlock, no leaked thread), custom collate, pinning.
#include "test_util.h"

#include <ember/runtime/cuda.h>

#include <atomic>
#include <chrono>
#include <numeric>
#include <set>
#include <thread>

using namespace ember;
using namespace ember::testing;
namespace T = ember::data::transforms;

namespace {

// x[i] = [i, i + 0.5], y[i] = i.
std::shared_ptr<data::TensorDataset> numbered(int64_t n) {
  Tensor i = arange(n, TensorOptions().dtype(kFloat32));
  Tensor x = stack({i, i + 0.5}, 1);
  return std::make_shared<data::TensorDataset>(x, arange(n));
}

std::vector<int64_t> targets_of(data::DataLoader<> &loader) {
  std::vector<int64_t> out;
  for (auto &batch : loader) {
    EXPECT_EQ(batch.data.size(0), batch.target.size(0));
    for (int64_t k = 0; k < batch.target.size(0); ++k)
      out.push_back(batch.target[k].item<int64_t>());
  }
  return out;
}

// A dataset whose examples go through a random transform drawing from the
// default generator, and that can fail or be slow on chosen indices.
class NoisyDataset : public data::Dataset<> {
public:
  explicit NoisyDataset(size_t n, int64_t fail_at = -1,
                        std::chrono::milliseconds delay = {})
      : n_(n), fail_at_(fail_at), delay_(delay) {}
  data::Example<> get(size_t i) override {
    ++calls;
    if (static_cast<int64_t>(i) == fail_at_)
      throw std::runtime_error("bad record");
    if (delay_.count())
      std::this_thread::sleep_for(delay_);
    Tensor img = full({1, 4, 4}, static_cast<double>(i));
    img = T::RandomHorizontalFlip(0.5)(img + rand({1, 4, 4}));
    return {img, tensor(static_cast<int64_t>(i))};
  }
  size_t size() const override { return n_; }
  std::atomic<int> calls{0};

private:
  size_t n_;
  int64_t fail_at_;
  std::chrono::milliseconds delay_;
};

std::vector<Tensor> all_batches(data::DataLoader<> &loader) {
  std::vector<Tensor> out;
  for (auto &b : loader)
    out.push_back(cat({b.data.flatten(), b.target.to(kFloat32)}));
  return out;
}

TEST(DataLoader, SequentialBatches) {
  data::DataLoader loader(numbered(10), {.batch_size = 4});
  EXPECT_EQ(loader.size(), 3u);
  std::vector<int64_t> sizes;
  for (auto &b : loader) {
    sizes.push_back(b.data.size(0));
    EXPECT_EQ(b.data.sizes(), (std::vector<int64_t>{b.data.size(0), 2}));
    EXPECT_EQ(b.target.dtype(), kInt64);
  }
  EXPECT_EQ(sizes, (std::vector<int64_t>{4, 4, 2}));
  std::vector<int64_t> want(10);
  std::iota(want.begin(), want.end(), 0);
  EXPECT_EQ(targets_of(loader), want);
  // The data rows travel with their targets.
  auto it = loader.begin();
  EXPECT_TRUE(tensors_equal((*it).data[1], tensor({1.f, 1.5f})));
}

TEST(DataLoader, DropLast) {
  data::DataLoader loader(numbered(10), {.batch_size = 4, .drop_last = true});
  EXPECT_EQ(loader.size(), 2u);
  EXPECT_EQ(targets_of(loader).size(), 8u);
}

TEST(DataLoader, ShuffleIsAPermutationPerEpochAndSeeded) {
  Generator g1(7), g2(7);
  data::DataLoader a(numbered(50),
                     {.batch_size = 8, .shuffle = true, .generator = &g1});
  data::DataLoader b(numbered(50),
                     {.batch_size = 8, .shuffle = true, .generator = &g2});
  std::vector<int64_t> e1 = targets_of(a), e2 = targets_of(a);
  EXPECT_EQ(std::set<int64_t>(e1.begin(), e1.end()).size(), 50u);
  EXPECT_NE(e1, e2); // reshuffled each epoch
  EXPECT_EQ(targets_of(b), e1);
  EXPECT_EQ(targets_of(b), e2);
}

TEST(DataLoader, SameBatchesForAnyNumberOfWorkers) {
  auto ds = std::make_shared<NoisyDataset>(37);
  std::vector<std::vector<Tensor>> runs;
  for (size_t workers : {0, 1, 2, 4}) {
    Generator g(123);
    data::DataLoader<> loader(ds, {.batch_size = 5,
                                   .shuffle = true,
                                   .num_workers = workers,
                                   .generator = &g});
    std::vector<Tensor> epoch1 = all_batches(loader);
    std::vector<Tensor> epoch2 = all_batches(loader);
    ASSERT_EQ(epoch1.size(), 8u);
    EXPECT_FALSE(tensors_equal(epoch1[0], epoch2[0]));
    epoch1.insert(epoch1.end(), epoch2.begin(), epoch2.end());
    runs.push_back(epoch1);
  }
  for (size_t r = 1; r < runs.size(); ++r)
    for (size_t k = 0; k < runs[0].size(); ++k)
      EXPECT_TRUE(tensors_equal(runs[0][k], runs[r][k]))
          << "run " << r << " batch " << k;
}

TEST(DataLoader, WorkersKeepOrderWithUnevenLoadTimes) {
  // Batch 0 is slow, so later batches finish first; they still come in
  // order.
  class Slow : public data::Dataset<> {
  public:
    data::Example<> get(size_t i) override {
      if (i < 2)
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
      return {tensor(static_cast<double>(i)), tensor(static_cast<int64_t>(i))};
    }
    size_t size() const override { return 12; }
  };
  data::DataLoader<> loader(std::make_shared<Slow>(),
                            {.batch_size = 2, .num_workers = 3});
  std::vector<int64_t> want(12);
  std::iota(want.begin(), want.end(), 0);
  EXPECT_EQ(targets_of(loader), want);
}

TEST(DataLoader, PrefetchIsBounded) {
  auto ds = std::make_shared<NoisyDataset>(100);
  data::DataLoader<> loader(
      ds, {.batch_size = 2, .num_workers = 2, .prefetch_factor = 2});
  auto it = loader.begin();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // Consumer holds batch 0; workers may run at most 2 * 2 batches past it.
  EXPECT_LE(ds->calls.load(), 2 * (1 + 4));
  EXPECT_GE(ds->calls.load(), 2);
  (void)it;
}

TEST(DataLoader, WorkerErrorNamesTheSample) {
  for (size_t workers : {0, 2}) {
    auto ds = std::make_shared<NoisyDataset>(20, /*fail_at=*/13);
    data::DataLoader<> loader(ds, {.batch_size = 4, .num_workers = workers});
    size_t seen = 0;
    try {
      for (auto &b : loader) {
        (void)b;
        ++seen;
      }
      ADD_FAILURE() << "no error with " << workers << " workers";
    } catch (const Error &e) {
      std::string msg = e.what();
      EXPECT_NE(msg.find("ember::data::DataLoader"), std::string::npos);
      EXPECT_NE(msg.find("sample index 13 (batch 3)"), std::string::npos)
          << msg;
      EXPECT_NE(msg.find("bad record"), std::string::npos) << msg;
    }
    EXPECT_EQ(seen, 3u); // batches before the bad one arrived
    // The loader is usable again: the next epoch fails at the same place.
    EXPECT_EMBER_ERROR(
        for (auto &b
             : loader) { (void)b; },
        "sample index 13");
  }
}

TEST(DataLoader, CollateErrorNamesTheBatch) {
  // Examples of different shapes cannot be stacked.
  class Ragged : public data::Dataset<> {
  public:
    data::Example<> get(size_t i) override {
      return {zeros({static_cast<int64_t>(i) + 1}), tensor(int64_t{0})};
    }
    size_t size() const override { return 4; }
  };
  data::DataLoader<> loader(std::make_shared<Ragged>(), {.batch_size = 2});
  EXPECT_EMBER_ERROR(loader.begin(), "collating batch 0 failed");
}

TEST(DataLoader, EarlyBreakAndDestructionDoNotHang) {
  auto ds =
      std::make_shared<NoisyDataset>(400, -1, std::chrono::milliseconds(1));
  for (bool persistent : {false, true}) {
    auto t0 = std::chrono::steady_clock::now();
    {
      data::DataLoader<> loader(ds, {.batch_size = 4,
                                     .num_workers = 2,
                                     .persistent_workers = persistent});
      for (int epoch = 0; epoch < 3; ++epoch) {
        int k = 0;
        for (auto &b : loader) {
          (void)b;
          if (++k == 2)
            break; // abandon the epoch with work in flight
        }
      }
      auto it = loader.begin(); // destroyed with an epoch in progress
      (void)it;
    }
    double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
    // Abandoned epochs load only the prefetch window, not 100 batches.
    EXPECT_LT(s, 2.0);
  }
  // Each epoch loads at most its first batches plus the window (2*2).
  EXPECT_LT(ds->calls.load(), 2 * 4 * 4 * (2 + 4 + 1));
}

TEST(DataLoader, PersistentWorkersServeManyEpochs) {
  Generator g1(5), g2(5);
  data::DataLoader<> a(numbered(30), {.batch_size = 7,
                                      .shuffle = true,
                                      .num_workers = 2,
                                      .persistent_workers = true,
                                      .generator = &g1});
  data::DataLoader<> b(numbered(30),
                       {.batch_size = 7, .shuffle = true, .generator = &g2});
  for (int epoch = 0; epoch < 4; ++epoch)
    EXPECT_EQ(targets_of(a), targets_of(b)) << "epoch " << epoch;
}

TEST(DataLoader, CustomCollateAndExampleTypes) {
  // Batches of the sum of the examples' data (any BatchT).
  data::DataLoader<data::Example<>, Tensor> loader(
      numbered(6), {.batch_size = 3, .num_workers = 1},
      [](std::vector<data::Example<>> ex) {
        Tensor s = zeros({2});
        for (auto &e : ex)
          s = s + e.data;
        return s;
      });
  std::vector<Tensor> got;
  for (Tensor &t : loader)
    got.push_back(t);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_TRUE(tensors_equal(got[0], tensor({3.f, 4.5f})));
  EXPECT_TRUE(tensors_equal(got[1], tensor({12.f, 13.5f})));
}

TEST(DataLoader, CustomSampler) {
  auto sampler = std::make_shared<data::SubsetRandomSampler>(
      std::vector<size_t>{1, 3, 5}, nullptr);
  data::DataLoader loader(numbered(10), {.batch_size = 2, .sampler = sampler});
  EXPECT_EQ(loader.size(), 2u);
  std::vector<int64_t> got = targets_of(loader);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<int64_t>{1, 3, 5}));
}

TEST(DataLoader, BadOptions) {
  EXPECT_EMBER_ERROR(data::DataLoader(numbered(4), {.batch_size = 0}),
                     "batch_size should be a positive integer, got 0");
  EXPECT_EMBER_ERROR(
      data::DataLoader(
          numbered(4),
          {.shuffle = true,
           .sampler = std::make_shared<data::SequentialSampler>(4)}),
      "mutually exclusive with shuffle");
  EXPECT_EMBER_ERROR(
      data::DataLoader(std::shared_ptr<data::TensorDataset>(), {}),
      "dataset is null");
  EXPECT_EMBER_ERROR(data::default_collate({}), "cannot collate an empty");
}

TEST(DataLoader, EmptyDataset) {
  data::DataLoader loader(numbered(0), {.batch_size = 3, .num_workers = 2});
  EXPECT_EQ(loader.size(), 0u);
  EXPECT_TRUE(targets_of(loader).empty());
}

TEST(DataLoader, PinMemory) {
  data::DataLoader loader(
      numbered(8), {.batch_size = 4, .num_workers = 1, .pin_memory = true});
  for (auto &b : loader) {
    // Page-locked when a GPU is present; a documented no-op otherwise.
    EXPECT_EQ(b.data.is_pinned(), cuda::is_available());
    EXPECT_EQ(b.target.is_pinned(), cuda::is_available());
  }
  Tensor x = arange(6.0).view({2, 3}).t();
  if (cuda::is_available()) {
    Tensor p = x.pin_memory();
    EXPECT_TRUE(p.is_pinned());
    EXPECT_FALSE(x.is_pinned());
    EXPECT_TRUE(tensors_equal(p, x));
    EXPECT_TRUE(p.pin_memory().is_pinned());
  } else {
    EXPECT_FALSE(x.is_pinned());
    EXPECT_EMBER_ERROR(x.pin_memory(), "page-locked memory");
  }
}

TEST(DataLoader, DefaultGeneratorGuardIsPerThread) {
  Generator mine(99);
  Tensor expect = rand({3}, {}, &mine);
  mine.manual_seed(99);
  Tensor other_thread;
  {
    DefaultGeneratorGuard guard(mine);
    std::thread t([&] { other_thread = rand({3}); });
    t.join();
    EXPECT_TRUE(tensors_equal(rand({3}), expect));
  }
  EXPECT_FALSE(tensors_equal(other_thread, expect));
}

} // namespace

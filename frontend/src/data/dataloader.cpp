// DataLoader's non-template half: the worker threads, seeds, default_collate
// and pinning.
#include "ember/data/dataloader.h"

#include "ember/ops.h"
#include "ember/runtime/cuda.h"
#include "ember/runtime/parallel.h"

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace ember::data {

Example<> default_collate(std::vector<Example<>> examples) {
  EMBER_CHECK(!examples.empty(), "data::default_collate",
              "cannot collate an empty batch");
  TensorList data, target;
  data.reserve(examples.size());
  target.reserve(examples.size());
  for (Example<> &e : examples) {
    data.push_back(std::move(e.data));
    target.push_back(std::move(e.target));
  }
  return {stack(data), stack(target)};
}

namespace detail {

// One epoch at a time: `n` tasks, `next` the first unclaimed one, `done[i]`
// set when task i finished (with `errors[i]` if it threw). Workers claim
// task `next` only while next < consumed + window. The generation counter
// lets cancel() wait for exactly the tasks of the current epoch.
struct LoaderWorkers::State {
  std::mutex mu;
  std::condition_variable work_cv; // workers: a task or stop
  std::condition_variable done_cv; // consumer: a task finished
  bool stopping = false;
  size_t n = 0, next = 0, consumed = 0, window = 1, running = 0;
  std::vector<char> done;
  std::vector<std::exception_ptr> errors;
  std::function<void(size_t)> load;
  std::vector<std::thread> threads;

  bool can_claim() const { return next < n && next < consumed + window; }

  void run() {
    SerialRegionGuard serial; // one core per worker; the pool is the model's
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
      work_cv.wait(lock, [&] { return stopping || can_claim(); });
      if (stopping)
        return;
      size_t i = next++;
      ++running;
      std::function<void(size_t)> fn = load; // stays valid while running
      lock.unlock();
      std::exception_ptr err;
      try {
        fn(i);
      } catch (...) {
        err = std::current_exception();
      }
      lock.lock();
      --running;
      // A cancelled epoch may have shrunk the vectors; drop late results.
      if (i < done.size()) {
        done[i] = 1;
        errors[i] = err;
      }
      done_cv.notify_all();
    }
  }
};

LoaderWorkers::LoaderWorkers(size_t num_workers)
    : state_(std::make_unique<State>()) {
  state_->threads.reserve(num_workers);
  try {
    for (size_t w = 0; w < num_workers; ++w)
      state_->threads.emplace_back([s = state_.get()] { s->run(); });
  } catch (...) {
    // Could not start every thread (std::system_error): stop the others.
    {
      std::lock_guard<std::mutex> lock(state_->mu);
      state_->stopping = true;
    }
    state_->work_cv.notify_all();
    for (std::thread &t : state_->threads)
      t.join();
    throw;
  }
}

LoaderWorkers::~LoaderWorkers() {
  cancel();
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->stopping = true;
  }
  state_->work_cv.notify_all();
  for (std::thread &t : state_->threads)
    t.join();
}

void LoaderWorkers::start(size_t n, size_t window,
                          std::function<void(size_t)> load) {
  cancel();
  std::lock_guard<std::mutex> lock(state_->mu);
  State &s = *state_;
  s.n = n;
  s.next = 0;
  s.consumed = 0;
  s.window = window == 0 ? 1 : window;
  s.done.assign(n, 0);
  s.errors.assign(n, nullptr);
  s.load = std::move(load);
  s.work_cv.notify_all();
}

void LoaderWorkers::wait(size_t i) {
  std::unique_lock<std::mutex> lock(state_->mu);
  State &s = *state_;
  EMBER_CHECK(i < s.n, "data::DataLoader", "batch ", i,
              " is past the end of the epoch (", s.n, " batches)");
  s.done_cv.wait(lock, [&] { return s.done[i] != 0; });
  s.consumed = i + 1;
  s.work_cv.notify_all();
  if (s.errors[i])
    std::rethrow_exception(std::exchange(s.errors[i], nullptr));
}

void LoaderWorkers::cancel() {
  std::unique_lock<std::mutex> lock(state_->mu);
  State &s = *state_;
  s.n = s.next; // nothing more to claim
  s.done_cv.wait(lock, [&] { return s.running == 0; });
  s.done.clear();
  s.errors.clear();
  s.load = nullptr;
  s.n = s.next = s.consumed = 0;
}

uint64_t batch_seed(uint64_t base, uint64_t batch) {
  uint64_t z = base + 0x9E3779B97F4A7C15ull * (batch + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint64_t draw_base_seed(Generator *gen) {
  // One Philox block of the generator, as PyTorch draws its _base_seed
  // from the loader's generator once per epoch.
  auto [seed, offset] = (gen ? *gen : default_generator()).reserve(1);
  return batch_seed(seed, offset);
}

namespace {
std::string what_of(const std::exception_ptr &e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception &ex) {
    return ex.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}
} // namespace

void rethrow_sample_error(size_t index, size_t batch) {
  EMBER_FAIL("data::DataLoader", "loading sample index ", index, " (batch ",
             batch, ") failed: ", what_of(std::current_exception()));
}

void rethrow_collate_error(size_t batch) {
  EMBER_FAIL("data::DataLoader", "collating batch ", batch,
             " failed: ", what_of(std::current_exception()));
}

Tensor pin(const Tensor &t) { return t.pin_memory(); }
bool pinning_available() { return cuda::is_available(); }

} // namespace detail
} // namespace ember::data

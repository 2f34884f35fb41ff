// A small fork-join pool. Workers sleep on a condition variable (never spin)
// so they cost nothing while a kernel runs elsewhere.
#include "ember/runtime/parallel.h"
#include "ember/runtime/error.h"

#include <cblas.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace ember {

namespace {

thread_local bool t_in_parallel = false;

class ThreadPool {
public:
  explicit ThreadPool(int n) { resize(n); }
  ~ThreadPool() { stop_workers(); }

  int size() const { return num_threads_; }

  void resize(int n) {
    std::lock_guard<std::mutex> run_lock(run_mu_);
    stop_workers();
    num_threads_ = n;
    stopping_ = false;
    for (int i = 1; i < n; ++i)
      workers_.emplace_back([this] { worker_loop(); });
  }

  // Runs fn(c) for c in [0, chunks) with the caller taking part.
  void run(int64_t chunks, const std::function<void(int64_t)> &fn) {
    std::lock_guard<std::mutex> run_lock(run_mu_); // one job at a time
    {
      std::lock_guard<std::mutex> lk(mu_);
      job_ = &fn;
      job_chunks_ = chunks;
      next_chunk_.store(0);
      pending_ = chunks;
      error_ = nullptr;
      ++generation_;
    }
    cv_.notify_all();
    work_on_job(fn);
    std::unique_lock<std::mutex> lk(mu_);
    // Also wait for every worker that joined this job to leave it, so none
    // still holds `fn` when the next job reuses the chunk counter.
    done_cv_.wait(lk, [&] { return pending_ == 0 && active_ == 0; });
    job_ = nullptr;
    if (error_)
      std::rethrow_exception(error_);
  }

private:
  void work_on_job(const std::function<void(int64_t)> &fn) {
    for (;;) {
      int64_t c = next_chunk_.fetch_add(1);
      if (c >= job_chunks_)
        return;
      try {
        fn(c);
      } catch (...) {
        std::lock_guard<std::mutex> lk(mu_);
        if (!error_)
          error_ = std::current_exception();
      }
      std::lock_guard<std::mutex> lk(mu_);
      if (--pending_ == 0)
        done_cv_.notify_all();
    }
  }

  void worker_loop() {
    t_in_parallel = true;
    uint64_t seen = 0;
    for (;;) {
      const std::function<void(int64_t)> *job;
      {
        std::unique_lock<std::mutex> lk(mu_);
        cv_.wait(lk,
                 [&] { return stopping_ || (job_ && generation_ != seen); });
        if (stopping_)
          return;
        seen = generation_;
        job = job_;
        ++active_;
      }
      work_on_job(*job);
      std::lock_guard<std::mutex> lk(mu_);
      if (--active_ == 0 && pending_ == 0)
        done_cv_.notify_all();
    }
  }

  void stop_workers() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto &t : workers_)
      t.join();
    workers_.clear();
  }

  std::mutex run_mu_;
  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  std::vector<std::thread> workers_;
  const std::function<void(int64_t)> *job_ = nullptr;
  int64_t job_chunks_ = 0;
  std::atomic<int64_t> next_chunk_{0};
  int64_t pending_ = 0;
  int active_ = 0;
  uint64_t generation_ = 0;
  std::exception_ptr error_;
  bool stopping_ = false;
  int num_threads_ = 1;
};

int default_threads() {
  if (const char *env = std::getenv("EMBER_NUM_THREADS")) {
    int n = std::atoi(env);
    if (n > 0)
      return n;
  }
  unsigned hc = std::thread::hardware_concurrency();
  return hc ? static_cast<int>(hc) : 1;
}

ThreadPool &pool() {
  static ThreadPool p([] {
    // OpenBLAS stays single-threaded: its spin-waiting threads would fight
    // this pool; kernels/blas.cpp splits large GEMMs over the pool instead.
    openblas_set_num_threads(1);
    return default_threads();
  }());
  return p;
}

} // namespace

void set_num_threads(int n) {
  EMBER_CHECK(n > 0, "set_num_threads",
              "expected a positive thread count, got ", n);
  EMBER_CHECK(!t_in_parallel, "set_num_threads",
              "cannot be called from inside a parallel region");
  if (pool().size() != n)
    pool().resize(n);
}

int get_num_threads() { return pool().size(); }

bool in_parallel_region() { return t_in_parallel; }

SerialRegionGuard::SerialRegionGuard() : prev_(t_in_parallel) {
  t_in_parallel = true;
}
SerialRegionGuard::~SerialRegionGuard() { t_in_parallel = prev_; }

void parallel_for(int64_t begin, int64_t end, int64_t grain,
                  const std::function<void(int64_t, int64_t)> &fn) {
  if (end <= begin)
    return;
  int64_t n = end - begin;
  grain = std::max<int64_t>(grain, 1);
  int threads = t_in_parallel ? 1 : pool().size();
  int64_t chunks = std::min<int64_t>(threads, (n + grain - 1) / grain);
  if (chunks <= 1) {
    fn(begin, end);
    return;
  }
  int64_t step = (n + chunks - 1) / chunks;
  pool().run(chunks, [&](int64_t c) {
    bool was = t_in_parallel;
    t_in_parallel = true;
    int64_t b = begin + c * step, e = std::min(end, b + step);
    try {
      if (b < e)
        fn(b, e);
    } catch (...) {
      t_in_parallel = was;
      throw;
    }
    t_in_parallel = was;
  });
}

} // namespace ember

// Shared by the *_bench.cpp files. Every benchmark binary runs its baseline
// in the same process, with repetitions, and prints ember-vs-baseline ratios
// of medians (these machines are noisy: medians, not means).
//
//   int main(int argc, char **argv) {
//     return ember::bench::run_with_ratios(argc, argv, {
//         {"BM_EmberAdd/4194304", "BM_StreamAdd/4194304", "time"}});
//   }
// or, for custom output, use RatioReporter directly (see matmul_bench.cpp).
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ember::bench {

/// A console reporter that remembers each benchmark's median real time
/// (in its display unit) and counters, keyed by the run name without the
/// "_median" suffix.
class RatioReporter : public benchmark::ConsoleReporter {
public:
  struct Entry {
    double time = 0;
    std::map<std::string, double> counters;
  };

  void ReportRuns(const std::vector<Run> &runs) override {
    for (const Run &r : runs) {
      if (r.error_occurred)
        continue;
      std::string name = r.benchmark_name();
      if (r.run_type == Run::RT_Aggregate) {
        if (r.aggregate_name != "median")
          continue;
        name = name.substr(0, name.size() - std::string("_median").size());
      }
      Entry &e = entries_[name];
      e.time = r.GetAdjustedRealTime();
      for (const auto &[k, c] : r.counters)
        e.counters[k] = c.value;
    }
    ConsoleReporter::ReportRuns(runs);
  }

  const Entry *find(const std::string &name) const {
    auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : &it->second;
  }

  /// Prints baseline time / ember time (> 1: ember is faster), with GFLOP/s
  /// when a FLOP count is given. Both benchmarks must use kMillisecond.
  void print_ratio(const std::string &ember, const std::string &baseline,
                   double flops = 0) const {
    const Entry *e = find(ember), *b = find(baseline);
    if (!e || !b)
      return;
    double te = e->time * 1e-3, tb = b->time * 1e-3;
    if (flops > 0)
      std::printf(
          "%-28s ember %8.2f GFLOP/s  baseline %8.2f GFLOP/s  ratio %.3f\n",
          ember.c_str(), flops / te * 1e-9, flops / tb * 1e-9, tb / te);
    else
      std::printf("%-28s ember %8.3f ms  baseline %8.3f ms  ratio %.3f\n",
                  ember.c_str(), te * 1e3, tb * 1e3, tb / te);
  }

private:
  std::map<std::string, Entry> entries_;
};

struct Ratio {
  std::string subject;  // run name (without the aggregate suffix)
  std::string baseline; // ditto
  /// "time": baseline time / subject time (> 1: subject is faster);
  /// otherwise a counter name: subject counter / baseline counter.
  std::string metric = "time";
};

/// Runs bench/<script> <args> with Debian's python3 (PyTorch 1.13) at one
/// OMP/OpenBLAS thread (torch.set_num_threads does not limit OpenBLAS
/// there) and returns the value of its last "<key> <number>" line; 0 when
/// python or torch is unavailable. The baseline runs in the same benchmark
/// run, in a child process.
/// The median wall time of `reps` calls of fn, in ms, after `warmups`
/// untimed calls (a jit::compile'd function traces and compiles on its
/// first call; a training step may retrace once on its second).
inline double median_ms(const std::function<void()> &fn, int reps,
                        int warmups = 2) {
  for (int i = 0; i < warmups; ++i)
    fn();
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    fn();
    t.push_back(std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - t0)
                    .count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

inline double run_torch_baseline(const std::string &script_and_args,
                                 const char *key, int threads = 1) {
  std::string n = std::to_string(threads);
  std::string cmd = "OMP_NUM_THREADS=" + n + " OPENBLAS_NUM_THREADS=" + n +
                    " /usr/bin/python3 " + EMBER_BENCH_DIR + "/" +
                    script_and_args + " 2>/dev/null";
  FILE *p = popen(cmd.c_str(), "r");
  if (!p)
    return 0;
  std::string fmt = std::string(key) + " %lf";
  char line[256];
  double value = 0;
  while (fgets(line, sizeof line, p))
    std::sscanf(line, fmt.c_str(), &value);
  pclose(p);
  return value;
}

inline int run_with_ratios(int argc, char **argv,
                           const std::vector<Ratio> &ratios) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  RatioReporter rep;
  benchmark::RunSpecifiedBenchmarks(&rep);
  std::printf("\n%-44s %-40s %10s\n", "subject", "baseline", "ratio");
  for (const Ratio &r : ratios) {
    const RatioReporter::Entry *s = rep.find(r.subject),
                               *b = rep.find(r.baseline);
    if (!s || !b)
      continue; // filtered out
    double v;
    if (r.metric == "time") {
      v = b->time / s->time;
    } else {
      auto sv = s->counters.find(r.metric), bv = b->counters.find(r.metric);
      v = sv != s->counters.end() && bv != b->counters.end() && bv->second != 0
              ? sv->second / bv->second
              : 0;
    }
    std::printf(
        "%-44s %-40s %9.3fx  (%s)\n", r.subject.c_str(), r.baseline.c_str(), v,
        r.metric == "time" ? "baseline time / subject time" : r.metric.c_str());
  }
  benchmark::Shutdown();
  return 0;
}

} // namespace ember::bench

// Shared by the *_bench.cpp files: a console reporter that also remembers
// each benchmark's time, so main() can print ember-vs-baseline ratios.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace ember::bench {

class RatioReporter : public benchmark::ConsoleReporter {
public:
  void ReportRuns(const std::vector<Run> &runs) override {
    // With --benchmark_repetitions the median (reported after the
    // repetitions) replaces the single runs.
    for (const Run &r : runs) {
      if (r.error_occurred)
        continue;
      std::string name = r.benchmark_name();
      if (r.run_type == Run::RT_Aggregate) {
        if (r.aggregate_name != "median")
          continue;
        name = name.substr(0, name.size() - std::string("_median").size());
      }
      seconds_[name] = r.GetAdjustedRealTime();
    }
    ConsoleReporter::ReportRuns(runs);
  }
  /// Prints baseline time / ember time (> 1: ember is faster) for each pair
  /// of names that both ran, with an optional FLOP count for GFLOP/s.
  void print_ratio(const std::string &ember, const std::string &baseline,
                   double flops = 0) const {
    auto e = seconds_.find(ember), b = seconds_.find(baseline);
    if (e == seconds_.end() || b == seconds_.end())
      return;
    // Times are in the benchmarks' display unit (all use kMillisecond).
    double te = e->second * 1e-3, tb = b->second * 1e-3;
    if (flops > 0)
      std::printf(
          "%-28s ember %8.2f GFLOP/s  baseline %8.2f GFLOP/s  ratio %.3f\n",
          ember.c_str(), flops / te * 1e-9, flops / tb * 1e-9, tb / te);
    else
      std::printf("%-28s ember %8.3f ms  baseline %8.3f ms  ratio %.3f\n",
                  ember.c_str(), te * 1e3, tb * 1e3, tb / te);
  }

private:
  std::map<std::string, double> seconds_;
};

} // namespace ember::bench

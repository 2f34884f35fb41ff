// Ratio reporting for ember's benchmarks: every benchmark binary runs its
// baseline in the same process, with repetitions, and prints the ratio of
// medians (these machines are noisy: medians, not means).
//
//   int main(int argc, char **argv) {
//     return ember::bench::run_with_ratios(argc, argv, {
//         {"BM_EmberAdd/4194304", "BM_StreamAdd/4194304", "time"}});
//   }
#pragma once

#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace ember::bench {

struct Ratio {
  std::string subject;  // benchmark run name (without aggregate suffix)
  std::string baseline; // ditto
  /// "time": baseline_time / subject_time (>1 means subject is faster);
  /// otherwise the name of a counter: subject / baseline.
  std::string metric = "time";
};

class MedianCollector : public benchmark::ConsoleReporter {
public:
  void ReportRuns(const std::vector<Run> &runs) override {
    for (const Run &r : runs) {
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name != "median")
        continue;
      auto &slot = medians_[r.run_name.str()];
      // With repetitions, prefer the median aggregate; otherwise the run.
      if (r.run_type == Run::RT_Aggregate || slot.time == 0) {
        slot.time = r.GetAdjustedRealTime();
        for (const auto &[k, c] : r.counters)
          slot.counters[k] = c.value;
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  struct Entry {
    double time = 0;
    std::map<std::string, double> counters;
  };
  const std::map<std::string, Entry> &medians() const { return medians_; }

private:
  std::map<std::string, Entry> medians_;
};

inline int run_with_ratios(int argc, char **argv, const std::vector<Ratio> &ratios) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  MedianCollector rep;
  benchmark::RunSpecifiedBenchmarks(&rep);
  std::printf("\n%-44s %-40s %10s\n", "subject", "baseline", "ratio");
  for (const Ratio &r : ratios) {
    auto s = rep.medians().find(r.subject), b = rep.medians().find(r.baseline);
    if (s == rep.medians().end() || b == rep.medians().end())
      continue; // filtered out
    double v;
    if (r.metric == "time") {
      v = b->second.time / s->second.time;
    } else {
      double sv = s->second.counters.count(r.metric) ? s->second.counters.at(r.metric) : 0;
      double bv = b->second.counters.count(r.metric) ? b->second.counters.at(r.metric) : 0;
      v = bv != 0 ? sv / bv : 0;
    }
    std::printf("%-44s %-40s %9.3fx  (%s)\n", r.subject.c_str(), r.baseline.c_str(), v,
                r.metric == "time" ? "baseline time / subject time" : r.metric.c_str());
  }
  benchmark::Shutdown();
  return 0;
}

} // namespace ember::bench

// Metrics files: one row per log() call, step first, then named values.
//
//   ember::CSVLogger csv("runs/exp1/metrics.csv");
//   csv.log(step, {{"loss", 0.31}, {"acc", 0.9}});
//   ember::JSONLLogger jl("runs/exp1/metrics.jsonl");
//   jl.log(step, {{"loss", 0.31}});   // {"step": 12, "loss": 0.31}
//
// Both start a new file (replacing an old one) and write it after every row
// through ember::atomic_write_file, so the file on disk always holds whole
// rows. Values are written in the shortest form that reads back exactly;
// NaN and infinities as nan/inf (CSV) and NaN/Infinity/-Infinity (JSONL, as
// Python's json module does).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ember {

using MetricValues = std::vector<std::pair<std::string, double>>;

/// CSV with a header "step,<names...>" fixed by the first row. Later rows may
/// leave names out (empty cells) but may not bring new ones (ember::Error).
class CSVLogger {
public:
  explicit CSVLogger(std::string path);
  void log(int64_t step, const MetricValues &values);
  const std::string &path() const { return path_; }
  const std::vector<std::string> &columns() const { return columns_; }

private:
  std::string path_;
  std::string bytes_;
  std::vector<std::string> columns_;
};

/// JSON Lines: one object per row, {"step": n, "<name>": value, ...}.
class JSONLLogger {
public:
  explicit JSONLLogger(std::string path);
  void log(int64_t step, const MetricValues &values);
  const std::string &path() const { return path_; }

private:
  std::string path_;
  std::string bytes_;
};

} // namespace ember

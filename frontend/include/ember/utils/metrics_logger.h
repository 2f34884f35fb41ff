// Metrics files: one row per log() call, step first, then named values.
//
//   ember::CSVLogger csv("runs/exp1/metrics.csv");
//   csv.log(step, {{"loss", 0.31}, {"acc", 0.9}});
//   ember::JSONLLogger jl("runs/exp1/metrics.jsonl");
//   jl.log(step, {{"loss", 0.31}});   // {"step": 12, "loss": 0.31}
//
// Both start a new file (replacing an old one) and append every row with one
// write(2) (ember::AppendFile), so the file on disk holds whole rows even
// if the process dies; it is fsynced when the logger goes away. Values are
// written in the shortest form that reads back exactly; NaN and infinities as
// nan/inf (CSV) and NaN/Infinity/-Infinity (JSONL, as Python's json module
// does).
#pragma once

#include "ember/runtime/file_io.h"

#include <cstdint>
#include <memory>
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
  std::unique_ptr<AppendFile> file_;
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
  std::unique_ptr<AppendFile> file_;
};

} // namespace ember

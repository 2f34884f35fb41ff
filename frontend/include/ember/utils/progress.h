// A progress bar for training loops, in the spirit of tqdm.
//
//   ember::ProgressBar bar(num_batches, {.desc = "epoch 3/10"});
//   for (...) {
//     ...
//     bar.set_postfix({{"loss", running_loss}, {"acc", acc}});
//     bar.update();
//   }
//   bar.close();
//
// One line: "epoch 3/10:  45%|#####      | 45/100 [00:12<00:15, 3.67it/s,
// loss=0.1234, acc=0.91]". On a terminal (isatty) the line is redrawn in
// place with '\r' at most every `min_interval_s`; otherwise (a log file, a
// pipe, a std::ostringstream) whole lines are printed every `print_percent`
// percent of the total (or every `print_interval_s` seconds when the total
// is unknown or progress is slow), and a last line on close().
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

namespace ember {

struct ProgressBarOptions {
  std::string desc = "";
  std::string unit = "it";
  int bar_width = 25;
  /// Terminal mode: the least time between redraws.
  double min_interval_s = 0.1;
  /// Plain mode: print a line each time progress passes a multiple of this.
  int print_percent = 10;
  /// Plain mode: also print when this long passed since the last line.
  double print_interval_s = 30.0;
  enum class Mode { Auto, Terminal, Plain };
  /// Auto: Terminal when the stream is std::cout/std::cerr/std::clog on a tty.
  Mode mode = Mode::Auto;
  /// Seconds on a monotonic clock; tests pass a fake one.
  std::function<double()> clock = nullptr;
};

class ProgressBar {
public:
  /// `total` <= 0: unknown length (no percentage, bar or ETA).
  explicit ProgressBar(int64_t total, ProgressBarOptions options = {},
                       std::ostream *os = nullptr); ///< os: std::cerr
  ~ProgressBar();                                   ///< close()
  ProgressBar(const ProgressBar &) = delete;
  ProgressBar &operator=(const ProgressBar &) = delete;

  void update(int64_t n = 1);
  /// Replaces the postfix (shown as name=value, in order).
  void set_postfix(std::vector<std::pair<std::string, double>> values);
  void set_description(std::string desc);
  /// Draws the final state and ends the line. Idempotent.
  void close();

  int64_t count() const { return count_; }
  bool terminal() const { return terminal_; }
  /// The line as it would be drawn now.
  std::string render() const;

private:
  void draw(bool final);
  double now() const;

  int64_t total_;
  ProgressBarOptions opt_;
  std::ostream *os_;
  bool terminal_;
  int64_t count_ = 0;
  double start_;
  double last_draw_ = -1e300;
  int64_t last_bucket_ = -1;
  int64_t printed_count_ = -1;
  size_t last_len_ = 0;
  bool closed_ = false;
  std::vector<std::pair<std::string, double>> postfix_;
};

/// "mm:ss", or "h:mm:ss" from one hour on.
std::string format_duration(double seconds);

} // namespace ember

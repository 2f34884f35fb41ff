// ProgressBar (see ember/utils/progress.h).
#include "ember/utils/progress.h"
#include "ember/runtime/error.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace ember {

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0)
    return "?";
  auto s = static_cast<int64_t>(seconds); // whole seconds, like tqdm
  char buf[32];
  if (s >= 3600)
    std::snprintf(
        buf, sizeof buf, "%lld:%02lld:%02lld", static_cast<long long>(s / 3600),
        static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  else
    std::snprintf(buf, sizeof buf, "%02lld:%02lld",
                  static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  return buf;
}

namespace {
bool stream_is_tty(const std::ostream *os) {
  if (os == &std::cout)
    return isatty(STDOUT_FILENO) != 0;
  if (os == &std::cerr || os == &std::clog)
    return isatty(STDERR_FILENO) != 0;
  return false;
}

std::string format_value(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}
} // namespace

ProgressBar::ProgressBar(int64_t total, ProgressBarOptions options,
                         std::ostream *os)
    : total_(total), opt_(std::move(options)), os_(os ? os : &std::cerr) {
  if (!opt_.clock)
    opt_.clock = [] {
      using namespace std::chrono;
      return duration<double>(steady_clock::now().time_since_epoch()).count();
    };
  switch (opt_.mode) {
  case ProgressBarOptions::Mode::Terminal:
    terminal_ = true;
    break;
  case ProgressBarOptions::Mode::Plain:
    terminal_ = false;
    break;
  default:
    terminal_ = stream_is_tty(os_);
  }
  start_ = now();
  if (terminal_)
    draw(false);
}

ProgressBar::~ProgressBar() {
  try {
    close();
  } catch (...) {
  }
}

double ProgressBar::now() const { return opt_.clock(); }

void ProgressBar::update(int64_t n) {
  if (closed_)
    return;
  count_ += n;
  draw(false);
}

void ProgressBar::set_postfix(
    std::vector<std::pair<std::string, double>> values) {
  postfix_ = std::move(values);
}

void ProgressBar::set_description(std::string desc) {
  opt_.desc = std::move(desc);
}

std::string ProgressBar::render() const {
  double elapsed = now() - start_;
  double rate = elapsed > 0 ? static_cast<double>(count_) / elapsed : 0.0;
  std::string line;
  if (!opt_.desc.empty())
    line += opt_.desc + ": ";
  std::string stats;
  if (total_ > 0) {
    double frac = std::min(1.0, static_cast<double>(count_) / total_);
    char pct[8];
    std::snprintf(pct, sizeof pct, "%3d%%", static_cast<int>(frac * 100));
    line += pct;
    if (opt_.bar_width > 0) {
      auto filled = static_cast<int>(frac * opt_.bar_width);
      line += detail::str_cat("|", std::string(filled, '#'),
                              std::string(opt_.bar_width - filled, ' '), "|");
    }
    line += detail::str_cat(" ", count_, "/", total_);
    double eta = rate > 0 ? (total_ - count_) / rate : NAN;
    stats = detail::str_cat(format_duration(elapsed), "<",
                            format_duration(count_ >= total_ ? 0.0 : eta));
  } else {
    line += detail::str_cat(count_, opt_.unit);
    stats = format_duration(elapsed);
  }
  char rate_buf[48];
  if (rate >= 1 || rate == 0)
    std::snprintf(rate_buf, sizeof rate_buf, "%.2f%s/s", rate,
                  opt_.unit.c_str());
  else
    std::snprintf(rate_buf, sizeof rate_buf, "%.2fs/%s", 1 / rate,
                  opt_.unit.c_str());
  stats += detail::str_cat(", ", rate_buf);
  for (const auto &[name, v] : postfix_)
    stats += detail::str_cat(", ", name, "=", format_value(v));
  line += detail::str_cat(" [", stats, "]");
  return line;
}

void ProgressBar::draw(bool final) {
  double t = now();
  if (terminal_) {
    if (!final && t - last_draw_ < opt_.min_interval_s)
      return;
    std::string line = render();
    std::string pad = line.size() < last_len_
                          ? std::string(last_len_ - line.size(), ' ')
                          : std::string();
    *os_ << '\r' << line << pad;
    if (final)
      *os_ << '\n';
    os_->flush();
    last_len_ = line.size();
    last_draw_ = t;
    return;
  }
  // Plain lines: on crossing a print_percent step, after print_interval_s,
  // and at the end.
  bool due = final || t - last_draw_ >= opt_.print_interval_s;
  if (total_ > 0 && opt_.print_percent > 0) {
    int64_t bucket = std::min(count_, total_) * 100 /
                     (total_ * static_cast<int64_t>(opt_.print_percent));
    if (bucket != last_bucket_ && count_ > 0)
      due = true;
    if (due)
      last_bucket_ = bucket;
  }
  if (!due || (final && count_ == printed_count_))
    return; // at close, the last line printed may already be current
  *os_ << render() << '\n';
  os_->flush();
  last_draw_ = t;
  printed_count_ = count_;
}

void ProgressBar::close() {
  if (closed_)
    return;
  draw(true);
  closed_ = true;
}

} // namespace ember

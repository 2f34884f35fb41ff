// CSV and JSON Lines metrics loggers (see ember/utils/metrics_logger.h).
#include "ember/utils/metrics_logger.h"
#include "ember/runtime/error.h"
#include "ember/runtime/file_io.h"

#include <charconv>
#include <cmath>
#include <set>

namespace ember {

namespace {

std::string format_number(double v, bool json) {
  if (std::isnan(v))
    return json ? "NaN" : "nan";
  if (std::isinf(v))
    return v > 0 ? (json ? "Infinity" : "inf") : (json ? "-Infinity" : "-inf");
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// RFC 4180: quote a field holding a comma, quote or line break.
std::string csv_field(const std::string &s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos)
    return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"')
      out += '"';
    out += c;
  }
  return out + "\"";
}

std::string json_string(const std::string &s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += static_cast<char>(c);
      }
    }
  }
  return out + "\"";
}

void check_names(const char *op, const std::string &path,
                 const MetricValues &values) {
  std::set<std::string> seen;
  for (const auto &[name, v] : values) {
    (void)v;
    EMBER_CHECK(!name.empty(), op, "'", path, "': a metric name is empty");
    EMBER_CHECK(name != "step", op, "'", path,
                "': 'step' is the step column, not a metric name");
    EMBER_CHECK(seen.insert(name).second, op, "'", path, "': metric '", name,
                "' is given twice in one row");
  }
}

} // namespace

CSVLogger::CSVLogger(std::string path) : path_(std::move(path)) {
  EMBER_CHECK(!path_.empty(), "CSVLogger", "path is empty");
  file_ = std::make_unique<AppendFile>("CSVLogger", path_);
}

void CSVLogger::log(int64_t step, const MetricValues &values) {
  const char *op = "CSVLogger";
  check_names(op, path_, values);
  std::string text;
  if (columns_.empty()) {
    EMBER_CHECK(!values.empty(), op, "'", path_,
                "': the first row needs at least one metric (it fixes the "
                "header)");
    text = "step";
    for (const auto &[name, v] : values) {
      (void)v;
      columns_.push_back(name);
      text += ',';
      text += csv_field(name);
    }
    text += "\n";
  }
  std::vector<const double *> cells(columns_.size(), nullptr);
  for (const auto &[name, v] : values) {
    size_t j = 0;
    while (j < columns_.size() && columns_[j] != name)
      ++j;
    if (j == columns_.size()) {
      std::string cols;
      for (const auto &c : columns_) {
        cols += cols.empty() ? "" : ", ";
        cols += c;
      }
      EMBER_FAIL(op, "'", path_, "': metric '", name,
                 "' is not a column of the header (step, ", cols,
                 "), which the first row fixed");
    }
    cells[j] = &v;
  }
  text += std::to_string(step);
  for (const double *c : cells) {
    text += ",";
    if (c)
      text += format_number(*c, false);
  }
  text += "\n";
  file_->append(text);
}

JSONLLogger::JSONLLogger(std::string path) : path_(std::move(path)) {
  EMBER_CHECK(!path_.empty(), "JSONLLogger", "path is empty");
  file_ = std::make_unique<AppendFile>("JSONLLogger", path_);
}

void JSONLLogger::log(int64_t step, const MetricValues &values) {
  const char *op = "JSONLLogger";
  check_names(op, path_, values);
  std::string line = detail::str_cat("{\"step\": ", step);
  for (const auto &[name, v] : values)
    line +=
        detail::str_cat(", ", json_string(name), ": ", format_number(v, true));
  line += "}\n";
  file_->append(line);
}

} // namespace ember

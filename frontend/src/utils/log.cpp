// Leveled logging to stderr (see ember/utils/log.h).
#include "ember/utils/log.h"
#include "ember/runtime/error.h"

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <mutex>

namespace ember {

namespace {

std::mutex &sink_mutex() {
  static std::mutex m;
  return m;
}
std::ostream *&sink() {
  static std::ostream *os = &std::cerr;
  return os;
}

std::string timestamp() {
  using namespace std::chrono;
  auto now = system_clock::now();
  std::time_t secs = system_clock::to_time_t(now);
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  localtime_r(&secs, &tm);
  char buf[40];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03d", static_cast<int>(ms));
  return buf;
}

// Writes one line whatever the threshold.
void emit(log::Level lvl, std::string_view message);

log::Level level_from_env() {
  const char *env = std::getenv("EMBER_LOG_LEVEL");
  if (env == nullptr || *env == '\0')
    return log::Level::Info;
  try {
    return log::parse_level(env);
  } catch (const Error &e) {
    emit(log::Level::Warn, std::string(e.what()) + "; using info");
    return log::Level::Info;
  }
}

std::atomic<int> &threshold() {
  static std::atomic<int> t{static_cast<int>(level_from_env())};
  return t;
}

} // namespace

log::Level log::parse_level(std::string_view name) {
  std::string s;
  for (char c : name)
    s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s == "debug")
    return Level::Debug;
  if (s == "info")
    return log::Level::Info;
  if (s == "warn" || s == "warning")
    return Level::Warn;
  if (s == "error")
    return Level::Error;
  EMBER_FAIL("log", "EMBER_LOG_LEVEL: unknown level '", name,
             "' (expected debug, info, warn or error)");
}

const char *log::level_name(Level level) {
  switch (level) {
  case Level::Debug:
    return "DEBUG";
  case Level::Info:
    return "INFO";
  case Level::Warn:
    return "WARN";
  case Level::Error:
    return "ERROR";
  }
  return "?";
}

log::Level log::level() { return static_cast<Level>(threshold().load()); }
void log::set_level(Level lvl) { threshold().store(static_cast<int>(lvl)); }
void log::reload_level_from_env() { set_level(level_from_env()); }
bool log::enabled(Level lvl) {
  return static_cast<int>(lvl) >= threshold().load();
}

void log::set_sink(std::ostream &os) {
  std::lock_guard<std::mutex> lock(sink_mutex());
  sink() = &os;
}
void log::reset_sink() {
  std::lock_guard<std::mutex> lock(sink_mutex());
  sink() = &std::cerr;
}

void log::write(Level lvl, std::string_view message) {
  if (enabled(lvl))
    emit(lvl, message);
}

namespace {
void emit(log::Level lvl, std::string_view message) {
  std::string line = timestamp();
  line += " [";
  line += log::level_name(lvl);
  line += "] ";
  line += message;
  line += '\n';
  std::lock_guard<std::mutex> lock(sink_mutex());
  *sink() << line << std::flush;
}
} // namespace

} // namespace ember

// Leveled logging: ember::log::debug/info/warn/error.
//
//   ember::log::info("epoch ", epoch, " loss ", loss);
//
// Each message is one line on stderr: "2026-11-27 00:40:01.123 [INFO] ...".
// The threshold comes from EMBER_LOG_LEVEL (debug|info|warn|error, default
// info), read on first use; set_level() overrides it. Arguments are only
// formatted when the level passes. Lines from several threads never
// interleave.
//
// `log` is a struct of static functions, not a namespace: ember::log(Tensor)
// already names the op, and only a class may share its name with a function
// (as struct stat and stat() do). Both `ember::log::info(...)` and
// `ember::log(x)` work.
#pragma once

#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

namespace ember {

struct log {
  log() = delete;

  enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3 };

  /// "debug" | "info" | "warn" | "error" (also "warning"), case-insensitive;
  /// throws ember::Error naming the bad value otherwise.
  static Level parse_level(std::string_view name);
  static const char *level_name(Level level);

  /// The current threshold (EMBER_LOG_LEVEL on first use; an invalid value
  /// falls back to info with a warning line).
  static Level level();
  static void set_level(Level level);
  /// Reads EMBER_LOG_LEVEL again (unset or empty: info).
  static void reload_level_from_env();
  static bool enabled(Level level);

  /// Where lines go: stderr by default. The stream must outlive its use;
  /// reset_sink() goes back to stderr.
  static void set_sink(std::ostream &os);
  static void reset_sink();

  /// Writes one line (timestamp, level, message) if `level` passes.
  static void write(Level level, std::string_view message);

  template <typename... Args> static void message(Level lvl, Args &&...args) {
    if (!enabled(lvl))
      return;
    std::ostringstream os;
    (os << ... << std::forward<Args>(args));
    write(lvl, os.str());
  }

  template <typename... Args> static void debug(Args &&...args) {
    message(Level::Debug, std::forward<Args>(args)...);
  }
  template <typename... Args> static void info(Args &&...args) {
    message(Level::Info, std::forward<Args>(args)...);
  }
  template <typename... Args> static void warn(Args &&...args) {
    message(Level::Warn, std::forward<Args>(args)...);
  }
  template <typename... Args> static void error(Args &&...args) {
    message(Level::Error, std::forward<Args>(args)...);
  }
};

} // namespace ember

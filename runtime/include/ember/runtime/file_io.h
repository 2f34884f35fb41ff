// Whole-file I/O with the guarantees ember promises for everything it
// writes: a write either fully replaces the file or leaves the old one.
#pragma once

#include <string>
#include <string_view>

namespace ember {

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// fsync, rename over `path`, fsync of the folder. Throws ember::Error
/// naming `op` and the file on any failure (the temporary is removed).
void atomic_write_file(const char *op, const std::string &path,
                       std::string_view bytes);
/// Reads the whole file; throws ember::Error naming `op` and the file.
std::string read_file(const char *op, const std::string &path);

} // namespace ember

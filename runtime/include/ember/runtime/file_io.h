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
/// An append-only log file (metrics, TensorBoard events). The constructor
/// creates it empty, atomically replacing an old file of that name; each
/// append() hands its bytes whole to write(2), so a crash of the process
/// leaves every completed append on disk; sync() and close() fsync, for
/// power loss. Appends are O(size of the append), unlike rewriting.
/// Throws ember::Error naming `op` and the file.
class AppendFile {
public:
  AppendFile(const char *op, std::string path);
  ~AppendFile();
  AppendFile(const AppendFile &) = delete;
  AppendFile &operator=(const AppendFile &) = delete;

  void append(std::string_view bytes);
  void sync();
  /// sync() and close; later appends throw.
  void close();
  bool is_open() const { return fd_ >= 0; }
  const std::string &path() const { return path_; }

private:
  const char *op_;
  std::string path_;
  int fd_ = -1;
};

/// Reads the whole file; throws ember::Error naming `op` and the file.
std::string read_file(const char *op, const std::string &path);

} // namespace ember

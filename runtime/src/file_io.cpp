#include "ember/runtime/file_io.h"
#include "ember/runtime/error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace ember {

namespace {
std::string dir_of(const std::string &path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}
} // namespace

void atomic_write_file(const char *op, const std::string &path,
                       std::string_view bytes) {
  std::string tmpl = path + ".tmp.XXXXXX";
  int fd = mkstemp(tmpl.data());
  EMBER_CHECK(fd >= 0, op, "cannot create a temporary file next to '", path,
              "': ", std::strerror(errno));
  auto fail = [&](const char *what) {
    int err = errno;
    ::close(fd);
    ::unlink(tmpl.c_str());
    EMBER_FAIL(op, "cannot write '", path, "' (", what,
               "): ", std::strerror(err));
  };
  const char *p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      fail("write");
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0)
    fail("fsync");
  if (::fchmod(fd, 0644) != 0)
    fail("chmod");
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmpl.c_str());
    EMBER_FAIL(op, "cannot write '", path, "' (close): ", std::strerror(err));
  }
  if (::rename(tmpl.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmpl.c_str());
    EMBER_FAIL(op, "cannot write '", path, "' (rename): ", std::strerror(err));
  }
  // Make the rename itself durable.
  int dfd = ::open(dir_of(path).c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

AppendFile::AppendFile(const char *op, std::string path)
    : op_(op), path_(std::move(path)) {
  atomic_write_file(op_, path_, "");
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  EMBER_CHECK(fd_ >= 0, op_, "cannot open '", path_,
              "' for appending: ", std::strerror(errno));
}

AppendFile::~AppendFile() {
  if (fd_ >= 0) {
    ::fsync(fd_);
    ::close(fd_);
  }
}

void AppendFile::append(std::string_view bytes) {
  EMBER_CHECK(fd_ >= 0, op_, "'", path_, "' is closed");
  const char *p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      EMBER_FAIL(op_, "cannot append to '", path_, "': ", std::strerror(errno));
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

void AppendFile::sync() {
  EMBER_CHECK(fd_ >= 0, op_, "'", path_, "' is closed");
  EMBER_CHECK(::fsync(fd_) == 0, op_, "cannot fsync '", path_,
              "': ", std::strerror(errno));
}

void AppendFile::close() {
  if (fd_ < 0)
    return;
  int fd = std::exchange(fd_, -1);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  EMBER_CHECK(rc == 0, op_, "cannot fsync '", path_, "': ", std::strerror(err));
}

std::string read_file(const char *op, const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  EMBER_CHECK(in.good(), op, "cannot open '", path,
              "': ", std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  EMBER_CHECK(!in.bad(), op, "error reading '", path, "'");
  return ss.str();
}

} // namespace ember

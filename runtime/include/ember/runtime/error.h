// ember::Error: the one exception type of the user API. Messages name the
// op, what was given and what was expected, e.g.
//   "ember::add: shapes [2, 3] and [4] are not broadcastable ..."
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace ember {

class Error : public std::runtime_error {
public:
  explicit Error(const std::string &msg) : std::runtime_error(msg) {}
};

namespace detail {
template <typename... Args> std::string str_cat(Args &&...args) {
  std::ostringstream os;
  (os << ... << std::forward<Args>(args));
  return os.str();
}
[[noreturn]] void throw_error(const char *op, const std::string &msg);
} // namespace detail

} // namespace ember

/// Throws ember::Error("ember::<op>: <message pieces>") unless `cond` holds.
#define EMBER_CHECK(cond, op, ...)                                             \
  do {                                                                         \
    if (!(cond)) [[unlikely]]                                                  \
      ::ember::detail::throw_error(op, ::ember::detail::str_cat(__VA_ARGS__)); \
  } while (0)

#define EMBER_FAIL(op, ...)                                                    \
  ::ember::detail::throw_error(op, ::ember::detail::str_cat(__VA_ARGS__))

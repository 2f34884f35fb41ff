#include "ember/runtime/error.h"

namespace ember::detail {

void throw_error(const char *op, const std::string &msg) {
  throw Error(std::string("ember::") + op + ": " + msg);
}

} // namespace ember::detail

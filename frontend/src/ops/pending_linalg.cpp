// PENDING: placeholder implementations until the linalg family lands; every
// one throws. Replaced by ops/linalg.cpp.
#include "../ops/common.h"

namespace ember::impl {
TensorList mm(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList bmm(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList matmul(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList conv2d(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList max_pool2d(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList avg_pool2d(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
} // namespace ember::impl

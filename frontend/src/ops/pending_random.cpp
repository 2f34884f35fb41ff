// PENDING: placeholder implementations until the random family lands; every
// one throws. Replaced by ops/random.cpp.
#include "../ops/common.h"

namespace ember::impl {
TensorList uniform_(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList normal_(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList randint(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList randperm(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList bernoulli(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
} // namespace ember::impl

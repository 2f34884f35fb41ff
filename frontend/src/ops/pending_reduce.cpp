// PENDING: placeholder implementations until the reduce family lands; every
// one throws. Replaced by ops/reduce.cpp.
#include "../ops/common.h"

namespace ember::impl {
TensorList sum(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList mean(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList prod(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList amax(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList amin(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList max_dim(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList min_dim(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList argmax(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList argmin(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList var(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList std(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList logsumexp(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList norm(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList softmax(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList log_softmax(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
} // namespace ember::impl

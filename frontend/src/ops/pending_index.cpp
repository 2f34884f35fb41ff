// PENDING: placeholder implementations until the index family lands; every
// one throws. Replaced by ops/index.cpp.
#include "../ops/common.h"

namespace ember::impl {
TensorList cat(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList stack(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList gather(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList scatter_add(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList index_select(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList index_tensor(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList index_put_(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
TensorList one_hot(const OpCall &call) { EMBER_FAIL(call.name(), "not implemented yet"); }
} // namespace ember::impl

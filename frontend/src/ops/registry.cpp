// The implementation table, generated from ops.def: every declared op must
// have an implementation `TensorList ember::impl::<name>(const OpCall &)`,
// or this file fails to link.
#include "ember/dispatch.h"

namespace ember::impl {
#define EMBER_OP(name, family, flags) TensorList name(const OpCall &call);
#include "ember/ops.def"
#undef EMBER_OP
} // namespace ember::impl

namespace ember::detail {

namespace {
constexpr OpImpl kImpls[] = {
#define EMBER_OP(name, family, flags) &impl::name,
#include "ember/ops.def"
#undef EMBER_OP
};
} // namespace

OpImpl op_impl(OpId op) { return kImpls[static_cast<size_t>(op)]; }

} // namespace ember::detail

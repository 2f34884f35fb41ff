// Gradient rules of the reduce family (filled in by the rules work).
#include "rules.h"

namespace ember::autograd {
void register_reduce_rules(RuleTable &) {}
} // namespace ember::autograd

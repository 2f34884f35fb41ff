// Gradient rules of the index family (filled in by the rules work).
#include "rules.h"

namespace ember::autograd {
void register_index_rules(RuleTable &) {}
} // namespace ember::autograd

// Gradient rules of the linalg family (filled in by the rules work).
#include "rules.h"

namespace ember::autograd {
void register_linalg_rules(RuleTable &) {}
} // namespace ember::autograd

// Gradient rules of the view family (filled in by the rules work).
#include "rules.h"

namespace ember::autograd {
void register_view_rules(RuleTable &) {}
} // namespace ember::autograd

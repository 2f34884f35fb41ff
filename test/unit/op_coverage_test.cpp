// The one op set (ARCHITECTURE.md): every op flagged Differentiable in
// ops.def has a gradient rule.
#include "test_util.h"

using namespace ember;

TEST(OpCoverage, EveryDifferentiableOpHasAGradientRule) {
  std::vector<std::string> missing;
  for (size_t i = 0; i < all_ops().size(); ++i) {
    const OpInfo &info = all_ops()[i];
    if (has_flag(info.flags, OpFlag::Differentiable) &&
        !autograd::has_gradient_rule(static_cast<OpId>(i)))
      missing.emplace_back(info.name);
  }
  std::string list;
  for (const auto &m : missing)
    list += m + " ";
  EXPECT_TRUE(missing.empty()) << "ops without a gradient rule: " << list;
}

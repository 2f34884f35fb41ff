#include <ember/ember.h>
#include <gtest/gtest.h>

using namespace ember;

TEST(Elementwise, AddBroadcast) {
  Tensor a = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}});
  Tensor b = tensor({10.0, 20.0, 30.0});
  Tensor c = a + b;
  ASSERT_EQ(c.sizes(), IntArrayRef({2, 3}));
  EXPECT_EQ(c.dtype(), kFloat32);
}

// mm, bmm and matmul against PyTorch goldens (test/golden/gen_linalg.py),
// including transposed, sliced and broadcast operands, and error messages.
#include <cmath> // test_util.h uses std::isnan without including it

#include "test_util.h"

using namespace ember;
using ember::testing::allclose;
using ember::testing::golden;
using ember::testing::matches_golden;
using ember::testing::tensors_equal;

namespace {

Tensor G(const std::string &name) { return golden("linalg", name); }

struct Case {
  const char *name;
  Tensor (*fn)(const Tensor &, const Tensor &);
};

} // namespace

TEST(Linalg, GoldenProducts) {
  auto mm_ = [](const Tensor &a, const Tensor &b) { return mm(a, b); };
  auto bmm_ = [](const Tensor &a, const Tensor &b) { return bmm(a, b); };
  auto matmul_ = [](const Tensor &a, const Tensor &b) { return matmul(a, b); };
  const Case cases[] = {
      {"mm_f32", mm_},
      {"mm_f64", mm_},
      {"mm_i64", mm_},
      {"mm_i32", mm_},
      {"mm_big", mm_},
      {"bmm_f32", bmm_},
      {"bmm_i64", bmm_},
      {"matmul_dot", matmul_},
      {"matmul_mv", matmul_},
      {"matmul_vm", matmul_},
      {"matmul_3d_2d", matmul_},
      {"matmul_3d_1d", matmul_},
      {"matmul_1d_3d", matmul_},
      {"matmul_2d_3d", matmul_},
      {"matmul_bcast", matmul_},
      {"matmul_bcast2", matmul_},
      {"matmul_4d", matmul_},
      {"matmul_i64", matmul_},
      {"matmul_i64_dot", matmul_},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    std::string n = c.name;
    Tensor got = c.fn(G(n + "_a"), G(n + "_b"));
    // golden_util saves 0-dim results as shape [1] (np.ascontiguousarray).
    if (got.dim() == 0)
      got = got.reshape({1});
    EXPECT_TRUE(matches_golden(got, G(n + "_out")));
  }
}

TEST(Linalg, MatmulShapes) {
  EXPECT_EQ(matmul(G("matmul_dot_a"), G("matmul_dot_b")).dim(), 0);
  EXPECT_EQ(matmul(G("matmul_bcast_a"), G("matmul_bcast_b")).sizes(),
            IntArrayRef({2, 5, 3, 2}));
  EXPECT_EQ(matmul(G("matmul_1d_3d_a"), G("matmul_1d_3d_b")).sizes(),
            IntArrayRef({2, 5}));
  EXPECT_EQ(G("mm_f32_a").matmul(G("mm_f32_b")).sizes(), IntArrayRef({5, 3}));
}

TEST(Linalg, TransposedAndSlicedOperands) {
  Tensor a = G("mm_tt_a"), b = G("mm_tt_b");
  EXPECT_TRUE(matches_golden(mm(a.t(), b.t()), G("mm_tt_out")));
  EXPECT_TRUE(
      matches_golden(G("mm_ta_a").t().mm(G("mm_ta_b")), G("mm_ta_out")));
  Tensor s =
      G("mm_slice_a").slice(0, 0, std::nullopt, 2).slice(1, 0, std::nullopt, 2);
  ASSERT_FALSE(s.is_contiguous());
  EXPECT_TRUE(matches_golden(mm(s, G("mm_slice_b")), G("mm_slice_out")));
  EXPECT_TRUE(matches_golden(bmm(G("bmm_t_a").transpose(1, 2), G("bmm_t_b")),
                             G("bmm_t_out")));
  EXPECT_TRUE(matches_golden(
      matmul(G("matmul_t_3d_a").transpose(-1, -2), G("matmul_t_3d_b")),
      G("matmul_t_3d_out")));
  EXPECT_TRUE(matches_golden(
      matmul(G("matmul_2d_t3d_a"), G("matmul_2d_t3d_b").transpose(-1, -2)),
      G("matmul_2d_t3d_out")));
  // Inputs are left untouched.
  EXPECT_TRUE(tensors_equal(a, G("mm_tt_a")));
}

TEST(Linalg, ExpandedAndStridedVectors) {
  // An expanded (0-stride) matrix must give the same as its copy.
  Tensor row = tensor({1.0f, 2.0f, 3.0f});
  Tensor a = row.unsqueeze(0).expand({4, 3});
  Tensor b = tensor({{1.0f, 0.0f}, {0.0f, 1.0f}, {1.0f, 1.0f}});
  EXPECT_TRUE(tensors_equal(mm(a, b), mm(a.contiguous(), b)));
  // A strided 1-D vector (every other element).
  Tensor v =
      arange(8, TensorOptions().dtype(kFloat32)).slice(0, 0, std::nullopt, 2);
  Tensor m = ones({3, 4});
  Tensor got = matmul(m, v); // 0 + 2 + 4 + 6
  EXPECT_TRUE(tensors_equal(got, full({3}, 12.0f)));
  EXPECT_TRUE(tensors_equal(matmul(v, m.t()), full({3}, 12.0f)));
  // Broadcast batch over a shared right operand folds into one GEMM; a
  // batch stride of 0 on the left does not.
  Tensor x = G("matmul_3d_2d_a"), y = G("matmul_3d_2d_b");
  Tensor xb = x.select(0, 0).unsqueeze(0).expand({3, 3, 4});
  Tensor want = matmul(x.select(0, 0), y);
  Tensor got3 = matmul(xb, y);
  for (int64_t i = 0; i < 3; ++i)
    EXPECT_TRUE(tensors_equal(got3.select(0, i), want));
}

TEST(Linalg, EmptyAndZeroK) {
  Tensor z = mm(ones({3, 0}), ones({0, 4}));
  EXPECT_EQ(z.sizes(), IntArrayRef({3, 4}));
  EXPECT_TRUE(tensors_equal(z, zeros({3, 4})));
  EXPECT_EQ(mm(ones({0, 2}), ones({2, 4})).sizes(), IntArrayRef({0, 4}));
  EXPECT_EQ(bmm(ones({0, 2, 3}), ones({0, 3, 4})).sizes(),
            IntArrayRef({0, 2, 4}));
  Tensor d = matmul(ones({0}), ones({0}));
  EXPECT_EQ(d.dim(), 0);
  EXPECT_EQ(d.item<float>(), 0.0f);
  Tensor zi = mm(ones({2, 0}, TensorOptions().dtype(kInt64)),
                 ones({0, 2}, TensorOptions().dtype(kInt64)));
  EXPECT_TRUE(tensors_equal(zi, zeros({2, 2}, TensorOptions().dtype(kInt64))));
}

TEST(Linalg, IntegerWraps) {
  // uint8 wraps like PyTorch: 3 * 100 = 300 -> 44.
  Tensor a = ones({2, 3}, TensorOptions().dtype(kUInt8));
  Tensor b = full({3, 2}, 100, TensorOptions().dtype(kUInt8));
  EXPECT_TRUE(
      tensors_equal(mm(a, b), full({2, 2}, 44, TensorOptions().dtype(kUInt8))));
}

TEST(Linalg, Errors) {
  EXPECT_EMBER_ERROR(
      mm(ones({2, 3}), ones({4, 5})),
      "ember::mm: mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
  EXPECT_EMBER_ERROR(
      mm(ones({2, 3}), ones({3, 2}, TensorOptions().dtype(kFloat64))),
      "expected m1 and m2 to have the same dtype, but got: float32 != float64");
  EXPECT_EMBER_ERROR(mm(ones({2, 2, 3}), ones({3, 2})), "expected 2-D tensors");
  EXPECT_EMBER_ERROR(bmm(ones({2, 3}), ones({3, 2})), "expected 3-D tensors");
  EXPECT_EMBER_ERROR(bmm(ones({2, 2, 3}), ones({3, 3, 2})),
                     "batch1 and batch2 shapes cannot be multiplied ([2, 2, 3] "
                     "and [3, 3, 2])");
  EXPECT_EMBER_ERROR(bmm(ones({2, 2, 3}), ones({2, 4, 2})),
                     "expected batch2 to have size [2, 3, *]");
  Tensor bt = ones({2, 2}, TensorOptions().dtype(kBool));
  EXPECT_EMBER_ERROR(mm(bt, bt), "not implemented for bool tensors");
  EXPECT_EMBER_ERROR(matmul(bt, bt), "not implemented for bool tensors");
  EXPECT_EMBER_ERROR(matmul(ones({3}), ones({4})),
                     "mat1 and mat2 shapes cannot be multiplied (1x3 and 4x1)");
  EXPECT_EMBER_ERROR(matmul(ones({2, 3}), ones({4})),
                     "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x1)");
  EXPECT_EMBER_ERROR(matmul(ones({3}), ones({4, 5})),
                     "mat1 and mat2 shapes cannot be multiplied (1x3 and 4x5)");
  EXPECT_EMBER_ERROR(matmul(ones({2, 2, 3}), ones({2, 4, 2})),
                     "shapes [2, 2, 3] and [2, 4, 2] cannot be multiplied (3 "
                     "columns vs 4 rows)");
  EXPECT_EMBER_ERROR(
      matmul(ones({2, 2, 3}), ones({3, 3, 4})),
      "batch dimensions [2] and [3] of shapes [2, 2, 3] and [3, 3, 4] are "
      "not broadcastable");
  EXPECT_EMBER_ERROR(matmul(ones({}), ones({3})),
                     "both arguments to matmul need to be at least 1-D, but "
                     "they are 0-D and 1-D");
  EXPECT_EMBER_ERROR(
      matmul(ones({3}), ones({3}, TensorOptions().dtype(kFloat64))),
      "ember::matmul: expected m1 and m2 to have the same dtype");
}

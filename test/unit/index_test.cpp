// gather, scatter_add, index_select, TensorIndex indexing, index_put_ and
// one_hot against PyTorch goldens (test/golden/gen_index.py).
#include <cmath> // test_util.h uses std::isnan without including it

#include "test_util.h"

using namespace ember;
using namespace ember::indexing;
using ember::testing::golden;
using ember::testing::tensors_equal;

namespace {
Tensor G(const std::string &name) { return golden("index", name); }
Tensor i64(std::initializer_list<int64_t> v) {
  return tensor(std::vector<int64_t>(v));
}
bool shares_storage(const Tensor &a, const Tensor &b) {
  return a.unsafe_impl()->storage() == b.unsafe_impl()->storage();
}
} // namespace

// --- gather / scatter_add / index_select
// ---------------------------------------

TEST(Gather, Goldens) {
  Tensor x = G("g_x");
  EXPECT_TRUE(tensors_equal(gather(x, 1, G("g_i1")), G("gather_dim1")));
  EXPECT_TRUE(tensors_equal(x.gather(-2, G("g_i0")), G("gather_dim0")));
  EXPECT_TRUE(tensors_equal(gather(x, 0, G("g_ibig")), G("gather_big")));
  Tensor it = G("g_i1").narrow(1, 0, 2).contiguous();
  Tensor idx = it - it.div(3).floor().to(kInt64) * 3; // it % 3
  EXPECT_TRUE(tensors_equal(gather(x.t(), 1, idx), G("gather_t")));
}

TEST(Gather, ScalarsAndEmpty) {
  Tensor s = full({}, 3.0);
  EXPECT_EQ(gather(s, 0, full({}, int64_t{0})).dim(), 0);
  EXPECT_EQ(gather(s, 0, i64({0, 0})).sizes(), IntArrayRef({2}));
  EXPECT_EQ(
      gather(ones({2, 3}), 1, empty({2, 0}, TensorOptions().dtype(kInt64)))
          .sizes(),
      IntArrayRef({2, 0}));
}

TEST(Gather, Errors) {
  Tensor x = ones({2, 3});
  EXPECT_EMBER_ERROR(
      gather(x, 0, tensor({{5}})),
      "ember::gather: index 5 is out of bounds for dimension 0 with size 2");
  EXPECT_EMBER_ERROR(gather(x, 1, tensor({{-1}})),
                     "index -1 is out of bounds for dimension 1 with size 3");
  EXPECT_EMBER_ERROR(gather(x, 0, tensor({{0}}, TensorOptions().dtype(kInt32))),
                     "expected an int64 index");
  EXPECT_EMBER_ERROR(gather(x, 0, i64({0})), "same number of dimensions");
  EXPECT_EMBER_ERROR(
      gather(x, 0, tensor({{0, 0, 0, 0}})),
      "expected index [1, 4] to be smaller than self [2, 3] apart "
      "from dimension 0");
  EXPECT_EMBER_ERROR(gather(x, 2, tensor({{0}})), "ember::gather");
}

TEST(ScatterAdd, DuplicatesSum) {
  Tensor x = G("g_x");
  Tensor before = x.clone();
  Tensor r = scatter_add(x, 0, G("s_idx"), G("s_src"));
  EXPECT_TRUE(tensors_equal(r, G("scatter_add_dim0")));
  EXPECT_TRUE(tensors_equal(x, before)); // out of place
  EXPECT_TRUE(tensors_equal(x.scatter_add(1, G("s_idx1"), G("s_src")),
                            G("scatter_add_dim1")));
  // Transposed self: same values, strided storage.
  Tensor xt = x.t().contiguous().t();
  EXPECT_TRUE(tensors_equal(scatter_add(xt, 0, G("s_idx"), G("s_src")),
                            G("scatter_add_dim0")));
}

TEST(ScatterAdd, Errors) {
  Tensor x = zeros({2, 3});
  EXPECT_EMBER_ERROR(
      scatter_add(x, 0, tensor({{5}}), ones({2, 3})),
      "ember::scatter_add: index 5 is out of bounds for dimension 0 "
      "with size 2");
  EXPECT_EMBER_ERROR(scatter_add(x, 0, tensor({{0}}),
                                 ones({2, 3}, TensorOptions().dtype(kFloat64))),
                     "same dtype");
  EXPECT_EMBER_ERROR(scatter_add(x, 0, tensor({{0, 0, 0, 0}}), ones({2, 3})),
                     "to be smaller than src [2, 3]");
  EXPECT_EMBER_ERROR(scatter_add(x, 0, i64({0}), ones({2, 3})),
                     "same number of dimensions");
}

TEST(IndexSelect, Goldens) {
  Tensor x = G("is_x");
  EXPECT_TRUE(tensors_equal(index_select(x, 1, i64({2, 0, 2})),
                            G("index_select_dim1")));
  EXPECT_TRUE(tensors_equal(
      x.index_select(-1, tensor({4, 1}, TensorOptions().dtype(kInt32))),
      G("index_select_neg")));
  EXPECT_TRUE(
      tensors_equal(index_select(x.transpose(0, 2), 0, i64({3, 3, 0, 1})),
                    G("index_select_t")));
  EXPECT_TRUE(tensors_equal(index_select(G("is_int"), 0, i64({1, 1, 0})),
                            G("index_select_int")));
}

TEST(IndexSelect, EdgeCasesAndErrors) {
  Tensor x = ones({2, 3});
  EXPECT_EQ(index_select(x, 0, full({}, int64_t{1})).sizes(),
            IntArrayRef({1, 3}));
  EXPECT_EQ(
      index_select(x, 1, empty({0}, TensorOptions().dtype(kInt64))).sizes(),
      IntArrayRef({2, 0}));
  EXPECT_EQ(index_select(full({}, 5.0), 0, i64({0})).dim(), 0);
  EXPECT_EMBER_ERROR(
      index_select(x, 0, i64({5})),
      "ember::index_select: index 5 is out of bounds for dimension 0 "
      "with size 2");
  EXPECT_EMBER_ERROR(index_select(x, 0, i64({-1})),
                     "index -1 is out of bounds");
  EXPECT_EMBER_ERROR(index_select(x, 0, tensor({{0}})),
                     "supposed to be a vector");
  EXPECT_EMBER_ERROR(index_select(x, 0, tensor({0.0})), "int64 or int32 index");
  EXPECT_EMBER_ERROR(index_select(empty({0, 3}), 0, i64({0})),
                     "index 0 is out of bounds for dimension 0 with size 0");
}

// --- TensorIndex indexing
// --------------------------------------------------------

TEST(Index, BasicIndicesAreViews) {
  Tensor x = G("ax");
  Tensor v = x.index({Slice(1, 3), None, -1, Slice(None, None, 2)});
  EXPECT_TRUE(tensors_equal(v, G("basic_combo")));
  EXPECT_TRUE(shares_storage(v, x));
  v.fill_(0.5); // writes through the view are visible in x
  EXPECT_EQ(x.index({1, 4, 2}).item<float>(), 0.5f);
  EXPECT_EQ(x.index({2, -1, 4}).item<float>(), 0.5f);
  Tensor e = x.index({Ellipsis});
  EXPECT_FALSE(e.is_same(x));
  EXPECT_TRUE(shares_storage(e, x));
  EXPECT_EQ(x.index({None, Ellipsis, None}).sizes(),
            IntArrayRef({1, 4, 5, 6, 1}));
  EXPECT_EQ(x.index({Ellipsis, 0}).sizes(), IntArrayRef({4, 5}));
  EXPECT_EQ(x.index({Slice(), Slice(-2)}).sizes(), IntArrayRef({4, 2, 6}));
  EXPECT_EQ(x.index({Slice(10, 20)}).sizes(), IntArrayRef({0, 5, 6}));
  EXPECT_EQ(x.index({full({}, int64_t{2})}).sizes(), IntArrayRef({5, 6}));
  EXPECT_TRUE(shares_storage(x.index({full({}, int64_t{2})}), x));
  std::vector<TensorIndex> idx = {1, Slice(0, 2)};
  EXPECT_EQ(x.index(idx).sizes(), IntArrayRef({2, 6}));
}

TEST(Index, BoolScalars) {
  Tensor x = G("ax");
  EXPECT_EQ(x.index({true}).sizes(), IntArrayRef({1, 4, 5, 6}));
  EXPECT_EQ(x.index({false}).sizes(), IntArrayRef({0, 4, 5, 6}));
  EXPECT_EQ(x.index({Slice(), true}).sizes(), IntArrayRef({4, 1, 5, 6}));
  EXPECT_EQ(x.index({full({}, true)}).sizes(), IntArrayRef({1, 4, 5, 6}));
}

TEST(Index, AdvancedGoldens) {
  Tensor x = G("ax");
  Tensor i1 = G("idx1"), i2 = G("idx2"), ia = G("idxa"), ib = G("idxb");
  Tensor m45 = G("mask45"), m56 = G("mask56"), m6 = G("mask6");
  EXPECT_TRUE(tensors_equal(x.index({i1}), G("adv_idx1")));
  EXPECT_TRUE(tensors_equal(x.index({Slice(), i2}), G("adv_slice_idx2")));
  EXPECT_TRUE(tensors_equal(x.index({Slice(), ia, ib}), G("adv_adjacent")));
  EXPECT_TRUE(tensors_equal(x.index({ia, Slice(), ib}), G("adv_separated")));
  EXPECT_TRUE(
      tensors_equal(x.index({ia, Slice(1, 4), ib}), G("adv_separated_none")));
  EXPECT_TRUE(tensors_equal(x.index({m45}), G("adv_mask45")));
  EXPECT_TRUE(
      tensors_equal(x.index({Slice(1, 3), m56}), G("adv_slice_mask56")));
  Tensor i1m = i1.add(6); // i1 % 6 for i1 in [-1, 5]
  i1m = where(i1m >= 6, i1m - 6, i1m);
  EXPECT_TRUE(
      tensors_equal(x.index({None, Ellipsis, i1m}), G("adv_none_ellipsis")));
  EXPECT_TRUE(tensors_equal(x.index({0, i2}), G("adv_int_idx")));
  EXPECT_TRUE(tensors_equal(x.index({i1, 0}), G("adv_idx_int")));
  EXPECT_TRUE(tensors_equal(x.index({i1, Slice(), 0}), G("adv_idx_slice_int")));
  EXPECT_TRUE(tensors_equal(x.index({Slice(None, None, 2), 1, m6}),
                            G("adv_step_mask6")));
  EXPECT_TRUE(tensors_equal(x.transpose(0, 2).index({i2, Slice(1)}),
                            G("adv_transposed")));
  EXPECT_TRUE(tensors_equal(x.index({Ellipsis, m6}), G("adv_ellipsis_mask")));
}

TEST(Index, AdvancedResultIsACopy) {
  Tensor x = arange(6).reshape({2, 3});
  Tensor r = x.index({i64({1, 0})});
  EXPECT_FALSE(shares_storage(r, x));
  r.fill_(0);
  EXPECT_EQ(x[1][2].item<int64_t>(), 5);
  // The free function takes optional tensors (nullopt: the whole dim).
  Tensor c = index(x, {std::nullopt, i64({2, 2, 0})});
  EXPECT_TRUE(tensors_equal(c, tensor({{2, 2, 0}, {5, 5, 3}})));
  Tensor d = index(x, {i64({0, 1}), i64({2, 0})});
  EXPECT_TRUE(tensors_equal(d, i64({2, 3})));
  EXPECT_TRUE(
      tensors_equal(index(x, {tensor({1, 1}, TensorOptions().dtype(kInt32))}),
                    tensor({{3, 4, 5}, {3, 4, 5}})));
  EXPECT_EQ(x.index({i64({})}).sizes(), IntArrayRef({0, 3}));
}

TEST(Index, Errors) {
  Tensor x = arange(12.0).reshape({3, 4});
  EXPECT_EMBER_ERROR(x.index({0, 0, 0}),
                     "too many indices for tensor of dimension 2");
  EXPECT_EMBER_ERROR(x.index({5}),
                     "ember::index: index 5 is out of bounds for dimension 0 "
                     "with size 3");
  EXPECT_EMBER_ERROR(x.index({Slice(), -5}),
                     "index -5 is out of bounds for dimension 1 with size 4");
  EXPECT_EMBER_ERROR(x.index({Slice(None, None, 0)}),
                     "step must be greater than zero");
  EXPECT_EMBER_ERROR(
      x.index({i64({5})}),
      "ember::index_tensor: index 5 is out of bounds for dimension 0 "
      "with size 3");
  EXPECT_EMBER_ERROR(x.index({Slice(), i64({-5})}),
                     "index -5 is out of bounds for dimension 1 with size 4");
  EXPECT_EMBER_ERROR(
      x.index({i64({0, 1}), i64({0, 1, 2})}),
      "shape mismatch: indexing tensors could not be broadcast together "
      "with shapes [2], [3]");
  EXPECT_EMBER_ERROR(x.index({tensor({0.5})}),
                     "tensors used as indices must be");
  EXPECT_EMBER_ERROR(
      x.index({ones({3, 5}, TensorOptions().dtype(kBool))}),
      "the shape of the mask [3, 5] at index 1 does not match the shape "
      "of the indexed tensor [3, 4] at index 1");
  EXPECT_EMBER_ERROR(index(x, {i64({0}), i64({0}), i64({0})}),
                     "too many indices");
}

// --- index_put_
// ------------------------------------------------------------------

TEST(IndexPut, AccumulateSumsDuplicates) {
  Tensor y = G("p_base").clone();
  index_put_(y, {G("p_dup")}, G("p_v"), /*accumulate=*/true);
  EXPECT_TRUE(tensors_equal(y, G("put_accumulate")));
  Tensor yi = zeros({6}, TensorOptions().dtype(kInt64));
  index_put_(yi, {i64({1, 1, 1, 5})}, i64({1, 2, 3, 4}), true);
  EXPECT_TRUE(tensors_equal(yi, G("put_int_acc")));
  Tensor y2 = G("p_base").clone();
  index_put_(y2, {G("idxa").flatten(), i64({1, 1})}, full({}, 1.5f), true);
  EXPECT_TRUE(tensors_equal(y2, G("put_two_idx_acc")));
}

TEST(IndexPut, TensorIndexForms) {
  Tensor base = G("p_base");
  Tensor y = base.clone();
  uint64_t v0 = y._version();
  y.index_put_({G("p_nodup")}, G("p_v"));
  EXPECT_TRUE(tensors_equal(y, G("put_plain")));
  EXPECT_GT(y._version(), v0);
  y = base.clone();
  y.index_put_({G("p_mask")}, 2.5);
  EXPECT_TRUE(tensors_equal(y, G("put_mask_scalar")));
  y = base.clone();
  y.index_put_({Slice(1, 3), i64({3, 0})}, tensor({{7.0f, 8.0f}}));
  EXPECT_TRUE(tensors_equal(y, G("put_slice_idx")));
  y = base.clone();
  y.index_put_({Slice(), 1}, arange(5, TensorOptions().dtype(kFloat32)));
  EXPECT_TRUE(tensors_equal(y, G("put_basic_col")));
}

TEST(IndexPut, BasicWritesThroughViews) {
  Tensor x = zeros({3, 4});
  x.index_put_({1}, 7); // scalar broadcast over a row
  x.index_put_({Slice(), 0}, tensor({{{1.0, 2.0, 3.0}}})); // leading 1s dropped
  x.index_put_({false}, 100);                              // writes nothing
  x.index_put_({Ellipsis, -1}, i64({9})); // int64 value into float32
  Tensor want = tensor({{1.0f, 0.0f, 0.0f, 9.0f},
                        {2.0f, 7.0f, 7.0f, 9.0f},
                        {3.0f, 0.0f, 0.0f, 9.0f}});
  EXPECT_TRUE(tensors_equal(x, want));
  Tensor z = zeros({3}, TensorOptions().dtype(kInt64));
  z.index_put_({i64({0, 1})}, 2.7); // converted to the tensor's dtype
  EXPECT_TRUE(tensors_equal(z, i64({2, 2, 0})));
  // A non-contiguous destination.
  Tensor t = zeros({4, 3}).t();
  t.index_put_({i64({2}), Slice(1, 3)}, 5.0);
  EXPECT_EQ(t[2][1].item<float>(), 5.0f);
  EXPECT_EQ(t[2][0].item<float>(), 0.0f);
}

TEST(IndexPut, Errors) {
  Tensor y = zeros({3});
  EXPECT_EMBER_ERROR(
      y.index_put_({i64({0, 1})},
                   tensor({1.0, 2.0}, TensorOptions().dtype(kFloat64))),
      "dtypes to match, got float32 for the destination and float64 for "
      "the source");
  EXPECT_EMBER_ERROR(
      y.index_put_({i64({0, 1})}, tensor({1.0f, 2.0f, 3.0f})),
      "shape mismatch: value tensor of shape [3] cannot be broadcast to "
      "indexing result of shape [2]");
  EXPECT_EMBER_ERROR(
      y.index_put_({i64({3})}, 1.0),
      "ember::index_put_: index 3 is out of bounds for dimension 0 with "
      "size 3");
  Tensor e = zeros({2}).expand({2, 2});
  EXPECT_EMBER_ERROR(index_put_(e, {i64({0})}, full({}, 1.0f), true),
                     "refers to a single memory location");
  EXPECT_EMBER_ERROR(y.index_put_({Slice(0, 2)}, tensor({1.0f, 2.0f, 3.0f})),
                     "ember::copy_");
}

TEST(IndexPut, ValuesAliasingSelf) {
  Tensor x = arange(5.0);
  Tensor v = x.index({Slice(0, 3)});
  index_put_(x, {i64({1, 2, 3})}, v);
  EXPECT_TRUE(tensors_equal(x, tensor({0.0f, 0.0f, 1.0f, 2.0f, 4.0f})));
}

// --- one_hot
// -----------------------------------------------------------------------

TEST(OneHot, Goldens) {
  Tensor x = G("oh_x");
  EXPECT_TRUE(tensors_equal(one_hot(x), G("one_hot_infer")));
  EXPECT_TRUE(tensors_equal(one_hot(x.t().t(), 5), G("one_hot_5")));
  EXPECT_TRUE(
      tensors_equal(one_hot(x.t(), 4).transpose(0, 1), G("one_hot_infer")));
  EXPECT_EQ(one_hot(empty({0}, TensorOptions().dtype(kInt64)), 4).sizes(),
            IntArrayRef({0, 4}));
  EXPECT_EQ(one_hot(full({}, int64_t{2}), 4).sizes(), IntArrayRef({4}));
}

TEST(OneHot, Errors) {
  EXPECT_EMBER_ERROR(one_hot(i64({0, 3, -1})),
                     "class values must be non-negative, got -1");
  EXPECT_EMBER_ERROR(
      one_hot(i64({0, 3, 1}), 3),
      "class values must be smaller than num_classes (3), got 3");
  EXPECT_EMBER_ERROR(one_hot(tensor({0, 1}, TensorOptions().dtype(kInt32)), 3),
                     "expected an int64 tensor");
  EXPECT_EMBER_ERROR(
      one_hot(empty({0}, TensorOptions().dtype(kInt64))),
      "can not infer the number of classes from an empty tensor");
  EXPECT_EMBER_ERROR(one_hot(i64({0}), -2), "num_classes must be -1");
}

// --- large inputs (parallel kernels)
// ------------------------------------------------

TEST(IndexLarge, ParallelPathsAgree) {
  // 200 x 300 = 60000 elements: above the parallel grain size.
  Tensor x = arange(60000, TensorOptions().dtype(kFloat64)).reshape({200, 300});
  Tensor rev = arange(299, -1, -1);
  Tensor a = index_select(x, 1, rev);
  Tensor b = x.index({Slice(), rev});
  Tensor c = gather(x, 1, rev.unsqueeze(0).expand({200, 300}).contiguous());
  EXPECT_TRUE(tensors_equal(a, b));
  EXPECT_TRUE(tensors_equal(a, c));
  EXPECT_EQ(a[7][0].item<double>(), 7 * 300 + 299);
  EXPECT_EQ(a[199][299].item<double>(), 199 * 300);
  // Accumulate into a few slots from many duplicates (serial, exact).
  Tensor acc = zeros({3}, TensorOptions().dtype(kFloat64));
  Tensor where_to = arange(60000);
  where_to = where_to - where_to.div(3).floor().to(kInt64) * 3; // i % 3
  index_put_(acc, {where_to}, ones({60000}, TensorOptions().dtype(kFloat64)),
             true);
  EXPECT_TRUE(
      tensors_equal(acc, full({3}, 20000.0, TensorOptions().dtype(kFloat64))));
  // A bad index deep inside a large index tensor still throws cleanly.
  Tensor bad = zeros({60000}, TensorOptions().dtype(kInt64));
  bad.index_put_({59999}, 300);
  EXPECT_EMBER_ERROR(
      index_select(x, 1, bad),
      "index 300 is out of bounds for dimension 1 with size 300");
  EXPECT_EMBER_ERROR(
      x.index({Slice(), bad}),
      "index 300 is out of bounds for dimension 1 with size 300");
}

// Linear, Conv1d/2d, pooling, LayerNorm, Embedding, Flatten, Identity
// against PyTorch goldens (gen_nn.py): forward outputs, input and weight
// gradients, option and input errors.
#include "nn_test_util.h"

using namespace ember;
using namespace ember::testing;

// --- Linear -----------------------------------------------------------------

TEST(NnLinear, ForwardGolden) {
  nn::Linear m{4, 3};
  forward_case(m, "linear");
  nn::Linear nb(nn::LinearOptions(5, 2).bias(false));
  EXPECT_FALSE(nb.bias.defined());
  forward_case(nb, "linear_nobias");
}

TEST(NnLinear, BackwardGolden) {
  nn::Linear m{4, 3};
  backward_case(m, "linear");
  nn::Linear nb(nn::LinearOptions(5, 2).bias(false));
  backward_case(nb, "linear_nobias");
}

TEST(NnLinear, ShapesAndDefaults) {
  nn::Linear m{4, 3};
  EXPECT_EQ(m.weight.sizes(), IntArrayRef({3, 4}));
  EXPECT_EQ(m.bias.sizes(), IntArrayRef({3}));
  EXPECT_TRUE(m.weight.requires_grad());
  EXPECT_EQ(m.state_dict().keys(),
            (std::vector<std::string>{"weight", "bias"}));
  EXPECT_EQ(m(ones({4})).sizes(), IntArrayRef({3}));
  EXPECT_EQ(m(ones({2, 5, 4})).sizes(), IntArrayRef({2, 5, 3}));
  EXPECT_EQ(m(ones({0, 4})).sizes(), IntArrayRef({0, 3}));
}

TEST(NnLinear, Errors) {
  nn::Linear m{4, 3};
  EXPECT_EMBER_ERROR(m(ones({2, 5})),
                     "mat1 and mat2 shapes cannot be multiplied (2x5 and 4x3)");
  EXPECT_EMBER_ERROR(m(ones({2, 3, 5})),
                     "mat1 and mat2 shapes cannot be multiplied (6x5 and 4x3)");
  EXPECT_EMBER_ERROR(nn::Linear(-1, 3), "in_features=-1");
  EXPECT_EMBER_ERROR(nn::Linear(2, -3), "out_features=-3");
}

// --- Conv -------------------------------------------------------------------

TEST(NnConv, Conv1dForwardGolden) {
  nn::Conv1d a(nn::Conv1dOptions(4, 6, 3).stride(2).padding(1).groups(2));
  forward_case(a, "conv1d");
  nn::Conv1d b(nn::Conv1dOptions(3, 2, 4).padding("same").bias(false));
  forward_case(b, "conv1d_same");
  nn::Conv1d c(nn::Conv1dOptions(2, 3, 2).dilation(2));
  forward_case(c, "conv1d_unbatched");
}

TEST(NnConv, Conv2dForwardGolden) {
  nn::Conv2d a(nn::Conv2dOptions(3, 4, {3, 2})
                   .stride({2, 1})
                   .padding({1, 0})
                   .dilation({1, 2}));
  forward_case(a, "conv2d");
  nn::Conv2d b(nn::Conv2dOptions(4, 4, 3).groups(2).padding(1).bias(false));
  forward_case(b, "conv2d_groups");
  nn::Conv2d c(
      nn::Conv2dOptions(2, 3, {2, 3}).padding("same").dilation({2, 1}));
  forward_case(c, "conv2d_same");
}

TEST(NnConv, Conv1dBackwardGolden) {
  nn::Conv1d a(nn::Conv1dOptions(4, 6, 3).stride(2).padding(1).groups(2));
  backward_case(a, "conv1d");
  nn::Conv1d b(nn::Conv1dOptions(3, 2, 4).padding("same").bias(false));
  backward_case(b, "conv1d_same");
  nn::Conv1d c(nn::Conv1dOptions(2, 3, 2).dilation(2));
  backward_case(c, "conv1d_unbatched");
}

TEST(NnConv, Conv2dBackwardGolden) {
  nn::Conv2d a(nn::Conv2dOptions(3, 4, {3, 2})
                   .stride({2, 1})
                   .padding({1, 0})
                   .dilation({1, 2}));
  backward_case(a, "conv2d");
  nn::Conv2d b(nn::Conv2dOptions(4, 4, 3).groups(2).padding(1).bias(false));
  backward_case(b, "conv2d_groups");
  nn::Conv2d c(
      nn::Conv2dOptions(2, 3, {2, 3}).padding("same").dilation({2, 1}));
  backward_case(c, "conv2d_same");
}

TEST(NnConv, ShapesAndValidPadding) {
  nn::Conv2d m(nn::Conv2dOptions(2, 6, {3, 1}).groups(2));
  EXPECT_EQ(m.weight.sizes(), IntArrayRef({6, 1, 3, 1}));
  EXPECT_EQ(m(ones({1, 2, 5, 4})).sizes(), IntArrayRef({1, 6, 3, 4}));
  nn::Conv2d v(nn::Conv2dOptions(2, 3, 3).padding("valid"));
  EXPECT_EQ(v(ones({2, 5, 5})).sizes(), IntArrayRef({3, 3, 3}));
  nn::Conv1d s(nn::Conv1dOptions(1, 1, 5).padding("same").dilation(2));
  EXPECT_EQ(s(ones({1, 1, 7})).sizes(), IntArrayRef({1, 1, 7}));
}

TEST(NnConv, OptionErrors) {
  EXPECT_EMBER_ERROR(nn::Conv2d(nn::Conv2dOptions(3, 4, 3).groups(2)),
                     "in_channels must be divisible by groups (in_channels=3, "
                     "groups=2)");
  EXPECT_EMBER_ERROR(nn::Conv2d(nn::Conv2dOptions(4, 3, 3).groups(2)),
                     "out_channels must be divisible by groups");
  EXPECT_EMBER_ERROR(nn::Conv2d(nn::Conv2dOptions(4, 4, 3).groups(0)),
                     "groups must be a positive integer, but got groups=0");
  EXPECT_EMBER_ERROR(
      nn::Conv2d(nn::Conv2dOptions(1, 1, {3, 0})),
      "kernel_size must be positive, but got kernel_size=(3, 0)");
  EXPECT_EMBER_ERROR(nn::Conv1d(nn::Conv1dOptions(1, 1, 3).stride(0)),
                     "stride must be positive, but got stride=(0,)");
  EXPECT_EMBER_ERROR(nn::Conv2d(nn::Conv2dOptions(1, 1, 3).padding(-1)),
                     "padding must be non-negative, but got padding=(-1, -1)");
  EXPECT_EMBER_ERROR(
      nn::Conv2d(nn::Conv2dOptions(1, 1, 3).padding("same").stride(2)),
      "padding='same' is not supported for strided convolutions");
  EXPECT_EMBER_ERROR(nn::Conv2d(nn::Conv2dOptions(1, 1, 3).padding("full")),
                     "Invalid padding string 'full'");
  EXPECT_EMBER_ERROR(
      nn::Conv2d(nn::Conv2dOptions(1, 1, 3).padding_mode("reflect")),
      "padding_mode='reflect' is not supported; only 'zeros'");
  EXPECT_EMBER_ERROR(
      nn::Conv2d(nn::Conv2dOptions(1, 1, 3).padding_mode("mirror")),
      "padding_mode must be one of ['zeros', 'reflect', 'replicate', "
      "'circular'], but got padding_mode='mirror'");
  EXPECT_EMBER_ERROR(nn::Conv2d(nn::Conv2dOptions(1, 1, {1, 2, 3})),
                     "expected 2 values (or a single int), but got [1, 2, 3]");
}

TEST(NnConv, InputErrors) {
  nn::Conv1d c1(2, 4, 3);
  EXPECT_EMBER_ERROR(c1(ones({1, 2, 3, 4})),
                     "Expected 2D (unbatched) or 3D (batched) input to conv1d, "
                     "but got input of size: [1, 2, 3, 4]");
  EXPECT_EMBER_ERROR(c1(ones({1, 3, 8})),
                     "Given groups=1, weight of size [4, 2, 3], expected "
                     "input[1, 3, 8] to have 2 channels, but got 3 channels "
                     "instead");
  nn::Conv2d c2(2, 4, 3);
  EXPECT_EMBER_ERROR(c2(ones({1, 5, 5, 5})),
                     "expected input[1, 5, 5, 5] to have 2 channels, but got "
                     "5 channels instead");
  EXPECT_EMBER_ERROR(c2(ones({1, 2, 2, 2})),
                     "Kernel size can't be greater than actual input size");
  EXPECT_EMBER_ERROR(c2(ones({2, 5})), "expected 3-D (unbatched) or 4-D");
}

// --- Pooling ----------------------------------------------------------------

TEST(NnPool, ForwardGolden) {
  nn::MaxPool2d mp(nn::MaxPool2dOptions(3).stride(2).padding(1));
  forward_case(mp, "maxpool");
  nn::MaxPool2d mpc(
      nn::MaxPool2dOptions({2, 3}).stride({2, 2}).dilation({1, 2}).ceil_mode(
          true));
  forward_case(mpc, "maxpool_ceil");
  nn::AvgPool2d ap(
      nn::AvgPool2dOptions(3).stride(2).padding(1).count_include_pad(false));
  forward_case(ap, "avgpool");
  nn::AvgPool2d apc(nn::AvgPool2dOptions(2).ceil_mode(true));
  forward_case(apc, "avgpool_ceil");
  nn::AdaptiveAvgPool2d ad({3, 4});
  forward_case(ad, "adaptive");
  nn::AdaptiveAvgPool2d add(2);
  forward_case(add, "adaptive_div");
  nn::AdaptiveAvgPool2d adn({std::nullopt, 2});
  forward_case(adn, "adaptive_none");
}

TEST(NnPool, BackwardGolden) {
  nn::MaxPool2d mp(nn::MaxPool2dOptions(3).stride(2).padding(1));
  backward_case(mp, "maxpool");
  nn::MaxPool2d mpc(
      nn::MaxPool2dOptions({2, 3}).stride({2, 2}).dilation({1, 2}).ceil_mode(
          true));
  backward_case(mpc, "maxpool_ceil");
  nn::AvgPool2d ap(
      nn::AvgPool2dOptions(3).stride(2).padding(1).count_include_pad(false));
  backward_case(ap, "avgpool");
  nn::AvgPool2d apc(nn::AvgPool2dOptions(2).ceil_mode(true));
  backward_case(apc, "avgpool_ceil");
  nn::AdaptiveAvgPool2d ad({3, 4});
  backward_case(ad, "adaptive");
  nn::AdaptiveAvgPool2d add(2);
  backward_case(add, "adaptive_div");
  nn::AdaptiveAvgPool2d adn({std::nullopt, 2});
  backward_case(adn, "adaptive_none");
}

TEST(NnPool, Errors) {
  EXPECT_EMBER_ERROR(nn::MaxPool2d(0),
                     "kernel_size must be greater than zero, but got "
                     "kernel_size=0");
  EXPECT_EMBER_ERROR(nn::MaxPool2d(nn::MaxPool2dOptions(2).padding(2)),
                     "pad should be at most half of kernel size, but got pad=2 "
                     "and kernel_size=2");
  EXPECT_EMBER_ERROR(nn::AvgPool2d(nn::AvgPool2dOptions({2, 2}).stride({0, 1})),
                     "stride must be greater than zero, but got stride=(0, 1)");
  EXPECT_EMBER_ERROR(nn::AdaptiveAvgPool2d(-1),
                     "output_size must be non-negative, but got "
                     "output_size=-1");
  nn::MaxPool2d mp(2);
  EXPECT_EMBER_ERROR(mp(ones({4, 4})), "expected a 3-D or 4-D");
  nn::AdaptiveAvgPool2d ad(2);
  EXPECT_EMBER_ERROR(ad(ones({4, 4})),
                     "Expected 3D or 4D tensor, but got [4, 4]");
  EXPECT_EQ(ad(ones({1, 2, 5, 3})).sizes(), IntArrayRef({1, 2, 2, 2}));
}

// --- LayerNorm --------------------------------------------------------------

TEST(NnLayerNorm, ForwardGolden) {
  nn::LayerNorm a{5};
  forward_case(a, "layernorm");
  nn::LayerNorm b(
      nn::LayerNormOptions({3, 5}).elementwise_affine(false).eps(1e-3));
  EXPECT_TRUE(b.parameters().empty());
  forward_case(b, "layernorm2");
}

TEST(NnLayerNorm, BackwardGolden) {
  nn::LayerNorm a{5};
  backward_case(a, "layernorm");
  nn::LayerNorm b(
      nn::LayerNormOptions({3, 5}).elementwise_affine(false).eps(1e-3));
  backward_case(b, "layernorm2");
}

TEST(NnLayerNorm, DefaultsAndErrors) {
  nn::LayerNorm m(std::vector<int64_t>{2, 3});
  EXPECT_TRUE(tensors_equal(m.weight, ones({2, 3})));
  EXPECT_TRUE(tensors_equal(m.bias, zeros({2, 3})));
  EXPECT_EMBER_ERROR(m(ones({4, 3, 2})),
                     "Given normalized_shape=[2, 3], expected input with shape "
                     "[*, 2, 3], but got input of size[4, 3, 2]");
  EXPECT_EMBER_ERROR(nn::LayerNorm(nn::LayerNormOptions({4}).eps(-1)),
                     "eps must be non-negative, but got eps=-1");
  EXPECT_EMBER_ERROR(nn::functional::layer_norm(ones({2, 4}), {4}, ones({3})),
                     "Expected weight to be of same shape as normalized_shape");
}

// --- Embedding --------------------------------------------------------------

TEST(NnEmbedding, ForwardGolden) {
  nn::Embedding e(nn::EmbeddingOptions(10, 4).padding_idx(2));
  forward_case(e, "embedding", /*grad_x=*/false);
  nn::Embedding p{6, 3};
  forward_case(p, "embedding_plain", false);
  // int32 indices work too.
  Tensor y = p(nn_golden("embedding_plain_x").to(kInt32));
  EXPECT_TRUE(close(y, nn_golden("embedding_plain_y")));
}

TEST(NnEmbedding, BackwardGoldenPaddingRowStaysZero) {
  nn::Embedding e(nn::EmbeddingOptions(10, 4).padding_idx(2));
  backward_case(e, "embedding", false);
  ASSERT_TRUE(e.weight.grad().defined());
  EXPECT_EQ(e.weight.grad()[2].abs().sum().item<float>(), 0.0f);
  nn::Embedding p{6, 3};
  backward_case(p, "embedding_plain", false);
}

TEST(NnEmbedding, InitAndErrors) {
  manual_seed(3);
  nn::Embedding e(nn::EmbeddingOptions(50, 8).padding_idx(-1));
  EXPECT_EQ(e.options.padding_idx(), 49);
  EXPECT_EQ(e.weight[49].abs().sum().item<float>(), 0.0f);
  EXPECT_GT(e.weight.abs().sum().item<float>(), 0.0f);
  EXPECT_EMBER_ERROR(nn::Embedding(nn::EmbeddingOptions(5, 2).padding_idx(5)),
                     "Padding_idx must be within num_embeddings");
  EXPECT_EMBER_ERROR(e(ones({3})), "'indices' to have one of the following "
                                   "scalar types: Long, Int; but got float32");
  EXPECT_EMBER_ERROR(e(tensor({50})), "index");
  auto pre = nn::Embedding::from_pretrained(tensor({{1.f, 2.f}, {3.f, 4.f}}));
  EXPECT_FALSE(pre.weight.requires_grad());
  EXPECT_TRUE(tensors_equal(pre(tensor({1})), tensor({{3.f, 4.f}})));
}

// --- Flatten, Identity ------------------------------------------------------

TEST(NnFlatten, ShapesAndIdentity) {
  nn::Flatten f;
  EXPECT_EQ(f(ones({2, 3, 4, 5})).sizes(), IntArrayRef({2, 60}));
  nn::Flatten f2(0, 2);
  EXPECT_EQ(f2(ones({2, 3, 4, 5})).sizes(), IntArrayRef({24, 5}));
  Tensor x = ones({2, 3}).transpose(0, 1);
  EXPECT_EQ(f(x).sizes(), IntArrayRef({3, 2}));
  nn::Identity id;
  EXPECT_TRUE(id(x).is_same(x));
  EXPECT_EQ(nn::functional::flatten(ones({2, 3, 4})).sizes(),
            IntArrayRef({24}));
}

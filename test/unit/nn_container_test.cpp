// Sequential, ModuleList, ModuleDict, a nested model (a Sequential with
// named children inside a user module) against PyTorch, and the printed
// form of every layer against str(module) from PyTorch.
#include "nn_test_util.h"

using namespace ember;
using namespace ember::testing;

namespace {

struct Net : nn::Module {
  nn::Sequential features{
      {"conv", nn::Conv2d(nn::Conv2dOptions(1, 2, 3).padding(1))},
      {"bn", nn::BatchNorm2d(2)},
      {"act", nn::ReLU()},
      {"pool", nn::MaxPool2d(2)}};
  nn::Flatten flatten;
  nn::Sequential head{nn::Linear(8, 4), nn::Dropout(0.1), nn::Linear(4, 3),
                      nn::LogSoftmax(1)};
  Net() {
    register_module("features", features);
    register_module("flatten", flatten);
    register_module("head", head);
  }
  Tensor forward(const Tensor &x) override {
    return head(flatten(features(x)));
  }
};

struct Doubler : nn::Module {
  Tensor forward(const Tensor &x) override { return x * 2; }
};

} // namespace

TEST(NnSequential, PositionalAndNamed) {
  nn::Sequential seq(nn::Linear(4, 3), nn::ReLU(), nn::Linear(3, 1));
  EXPECT_EQ(seq.size(), 3u);
  EXPECT_EQ(
      seq.named_parameters().keys(),
      (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias"}));
  EXPECT_EQ(seq[1].name(), "ReLU");
  EXPECT_EQ(seq[-1].name(), "Linear");
  EXPECT_EQ(seq.at<nn::Linear>(0).weight.sizes(), IntArrayRef({3, 4}));
  EXPECT_EQ(seq(ones({5, 4})).sizes(), IntArrayRef({5, 1}));
  seq.push_back(Doubler());
  EXPECT_EQ(seq.named_children().keys().back(), "3");

  nn::Sequential named({{"fc", nn::Linear(4, 3)}, {"act", nn::ReLU()}});
  EXPECT_EQ(named.named_parameters().keys(),
            (std::vector<std::string>{"fc.weight", "fc.bias"}));
  Tensor x = randn({2, 4});
  auto &fc = named.at<nn::Linear>(0);
  EXPECT_TRUE(tensors_equal(named(x), relu(fc(x))));
  named.push_back("out", nn::Linear(3, 2));
  EXPECT_EQ(named(x).sizes(), IntArrayRef({2, 2}));

  nn::Sequential empty_seq;
  EXPECT_TRUE(empty_seq(x).is_same(x));

  // Shared children: the same module object in two containers.
  auto shared = std::make_shared<nn::Linear>(4, 4);
  nn::Sequential s1(shared, nn::Tanh()), s2(shared);
  EXPECT_TRUE(s1[0].parameters()[0].is_same(s2[0].parameters()[0]));
}

TEST(NnSequential, Errors) {
  nn::Sequential seq(nn::Linear(4, 3), nn::ReLU());
  EXPECT_EMBER_ERROR(seq[2], "index 2 is out of range (size 2)");
  EXPECT_EMBER_ERROR(seq[-3], "index -3 is out of range");
  EXPECT_EMBER_ERROR(seq.at<nn::Linear>(1),
                     "Sequential child '1' is a ReLU, not a ember::nn::Linear");
  EXPECT_EMBER_ERROR(nn::Sequential({{"a", nn::ReLU()}, {"a", nn::Tanh()}}),
                     "'a' is already registered");
  EXPECT_EMBER_ERROR(seq(ones({2, 5})), "mat1 and mat2 shapes cannot be "
                                        "multiplied (2x5 and 4x3)");
  nn::ModuleList list{nn::ReLU()};
  EXPECT_EMBER_ERROR(list(ones({1})), "ModuleList has no forward");
}

TEST(NnSequential, TrainEvalAndMoves) {
  nn::Sequential seq(nn::Dropout(0.5), nn::BatchNorm1d(3));
  seq.eval();
  EXPECT_FALSE(seq[0].is_training());
  EXPECT_FALSE(seq[1].is_training());
  Tensor x = randn({4, 3});
  nn::Sequential moved = std::move(seq);
  EXPECT_EQ(moved.size(), 2u);
  EXPECT_EQ(moved.state_dict().size(), 5u);
  EXPECT_TRUE(moved(x).defined());
}

TEST(NnModuleList, PushIndexIterate) {
  nn::ModuleList list;
  for (int i = 0; i < 3; ++i)
    list.push_back(nn::Linear(2, 2));
  list.push_back(std::make_shared<nn::Tanh>());
  EXPECT_EQ(list.size(), 4u);
  int linears = 0;
  for (const auto &m : list)
    linears += m->name() == "Linear";
  EXPECT_EQ(linears, 3);
  EXPECT_EQ(list.parameters().size(), 6u);
  EXPECT_EQ(list.named_parameters().keys().front(), "0.weight");
  Tensor x = ones({1, 2});
  for (size_t i = 0; i < list.size(); ++i)
    x = list[static_cast<int64_t>(i)](x);
  EXPECT_EQ(x.sizes(), IntArrayRef({1, 2}));
}

TEST(NnModuleDict, ByName) {
  nn::ModuleDict d({{"enc", nn::Linear(3, 2)}, {"act", nn::ReLU()}});
  d.insert("dec", nn::Linear(2, 3));
  EXPECT_EQ(d.size(), 3u);
  EXPECT_TRUE(d.contains("act"));
  EXPECT_FALSE(d.contains("x"));
  EXPECT_EQ(d.keys(), (std::vector<std::string>{"enc", "act", "dec"}));
  EXPECT_EQ(d.at<nn::Linear>("dec").weight.sizes(), IntArrayRef({3, 2}));
  Tensor y = d["dec"](d["act"](d["enc"](ones({1, 3}))));
  EXPECT_EQ(y.sizes(), IntArrayRef({1, 3}));
  EXPECT_EQ(d.named_parameters().keys().front(), "enc.weight");
  EXPECT_EMBER_ERROR(d["nope"], "ModuleDict has no module named 'nope'");
  EXPECT_EMBER_ERROR(d.insert("act", nn::Tanh()),
                     "ModuleDict already has a module named 'act'");
  int n = 0;
  for (const auto &item : d)
    n += item.value() != nullptr;
  EXPECT_EQ(n, 3);
}

TEST(NnNested, StateDictForwardAndBackwardGolden) {
  Net net;
  net.eval();
  EXPECT_EQ(
      net.state_dict().keys(),
      (std::vector<std::string>{
          "features.conv.weight", "features.conv.bias", "features.bn.weight",
          "features.bn.bias", "features.bn.running_mean",
          "features.bn.running_var", "features.bn.num_batches_tracked",
          "head.0.weight", "head.0.bias", "head.2.weight", "head.2.bias"}));
  forward_case(net, "net");
}

TEST(NnNested, BackwardGolden) {
  Net net;
  net.eval();
  backward_case(net, "net");
}

TEST(NnRepr, NestedModelMatchesPyTorch) {
  Net net;
  EXPECT_EQ(net.repr(), repr_golden("net"));
}

TEST(NnRepr, EveryLayerMatchesPyTorch) {
  using namespace nn;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> mods = {
      {"linear", std::make_shared<Linear>(4, 3)},
      {"linear_nobias",
       std::make_shared<Linear>(LinearOptions(3, 4).bias(false))},
      {"conv1d", std::make_shared<Conv1d>(2, 4, 3)},
      {"conv1d_full", std::make_shared<Conv1d>(Conv1dOptions(2, 4, 3)
                                                   .stride(2)
                                                   .padding(1)
                                                   .dilation(2)
                                                   .groups(2)
                                                   .bias(false))},
      {"conv2d", std::make_shared<Conv2d>(2, 4, 3)},
      {"conv2d_same",
       std::make_shared<Conv2d>(Conv2dOptions(2, 4, {3, 1}).padding("same"))},
      {"conv2d_valid",
       std::make_shared<Conv2d>(Conv2dOptions(2, 4, 3).padding("valid"))},
      {"conv2d_full", std::make_shared<Conv2d>(Conv2dOptions(4, 8, {3, 5})
                                                   .stride({2, 1})
                                                   .padding({1, 2})
                                                   .dilation({2, 1})
                                                   .groups(4))},
      {"maxpool", std::make_shared<MaxPool2d>(2)},
      {"maxpool_full", std::make_shared<MaxPool2d>(MaxPool2dOptions({2, 3})
                                                       .stride(1)
                                                       .padding({1, 1})
                                                       .dilation(2)
                                                       .ceil_mode(true))},
      {"avgpool", std::make_shared<AvgPool2d>(2)},
      {"avgpool_pair",
       std::make_shared<AvgPool2d>(
           AvgPool2dOptions({2, 2}).stride({1, 2}).padding(1).ceil_mode(true))},
      {"adaptive", std::make_shared<AdaptiveAvgPool2d>(2)},
      {"adaptive_pair", std::make_shared<AdaptiveAvgPool2d>(
                            ExpandingArrayWithOptional<2>{std::nullopt, 3})},
      {"bn1d", std::make_shared<BatchNorm1d>(3)},
      {"bn2d", std::make_shared<BatchNorm2d>(BatchNormOptions(3)
                                                 .eps(1e-3)
                                                 .momentum(std::nullopt)
                                                 .affine(false)
                                                 .track_running_stats(false))},
      {"layernorm", std::make_shared<LayerNorm>(4)},
      {"layernorm2",
       std::make_shared<LayerNorm>(
           LayerNormOptions({3, 4}).eps(1e-6).elementwise_affine(false))},
      {"dropout", std::make_shared<Dropout>()},
      {"dropout2",
       std::make_shared<Dropout>(DropoutOptions(0.2).inplace(true))},
      {"embedding", std::make_shared<Embedding>(10, 3)},
      {"embedding_pad",
       std::make_shared<Embedding>(EmbeddingOptions(10, 3).padding_idx(-1))},
      {"flatten", std::make_shared<Flatten>()},
      {"flatten2", std::make_shared<Flatten>(0, 2)},
      {"identity", std::make_shared<Identity>()},
      {"relu", std::make_shared<ReLU>()},
      {"relu_inplace", std::make_shared<ReLU>(true)},
      {"leaky_relu", std::make_shared<LeakyReLU>()},
      {"leaky_relu2",
       std::make_shared<LeakyReLU>(
           LeakyReLUOptions().negative_slope(0.2).inplace(true))},
      {"elu", std::make_shared<ELU>()},
      {"elu2", std::make_shared<ELU>(0.5)},
      {"gelu", std::make_shared<GELU>()},
      {"gelu_tanh", std::make_shared<GELU>("tanh")},
      {"tanh", std::make_shared<Tanh>()},
      {"sigmoid", std::make_shared<Sigmoid>()},
      {"softmax", std::make_shared<Softmax>(1)},
      {"softmax_none", std::make_shared<Softmax>()},
      {"log_softmax", std::make_shared<LogSoftmax>(-1)},
      {"sequential",
       std::make_shared<Sequential>(Linear(4, 3), ReLU(), Linear(3, 1))},
      {"sequential_named",
       std::make_shared<Sequential>(std::initializer_list<NamedModule>{
           {"fc", Linear(4, 3)}, {"act", ReLU()}})},
      {"sequential_empty", std::make_shared<Sequential>()},
      {"module_list", std::make_shared<ModuleList>(Linear(2, 2), Tanh())},
      {"module_dict",
       std::make_shared<ModuleDict>(std::initializer_list<NamedModule>{
           {"a", ReLU()}, {"b", Sequential(Identity())}})},
  };
  for (const auto &[name, m] : mods)
    EXPECT_EQ(m->repr(), repr_golden(name)) << name;
}

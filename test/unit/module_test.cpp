// nn::Module's registration, traversal, state_dict, moves and printing,
// with small modules defined here (the layer library has its own tests).
#include "test_util.h"

#include <ember/nn/module.h>

using namespace ember;
using ember::testing::tensors_equal;

namespace {
struct Affine : nn::Module {
  Tensor weight, bias, count;
  Affine(int64_t in, int64_t out) {
    weight = register_parameter("weight", ones({out, in}));
    bias = register_parameter("bias", zeros({out}));
    count = register_buffer("count", zeros({}, dtype(kInt64)));
  }
  Tensor forward(const Tensor &x) override {
    return x.matmul(weight.t()) + bias;
  }
  std::string extra_repr() const override {
    return "in=" + std::to_string(weight.size(1)) +
           ", out=" + std::to_string(weight.size(0));
  }
};
struct Act : nn::Module {
  Tensor forward(const Tensor &x) override { return relu(x); }
};
struct Net : nn::Module {
  Affine fc1{3, 4};
  Act act;
  Affine fc2{4, 2};
  Net() {
    register_module("fc1", fc1);
    register_module("act", act);
    register_module("fc2", fc2);
  }
  Tensor forward(const Tensor &x) override { return fc2(act(fc1(x))); }
};
struct Forgetful : nn::Module {
  Affine used{2, 2};
  Affine forgotten{2, 2};
  Forgetful() { register_module("used", used); }
};
struct Outer : nn::Module {
  Net body;
  std::shared_ptr<Affine> head;
  Outer() {
    register_module("body", body);
    head = register_module("head", std::make_shared<Affine>(2, 1));
  }
};
} // namespace

TEST(Module, NamedParametersAndTraversal) {
  Net net;
  auto names = net.named_parameters().keys();
  EXPECT_EQ(names, (std::vector<std::string>{"fc1.weight", "fc1.bias",
                                             "fc2.weight", "fc2.bias"}));
  EXPECT_EQ(net.parameters().size(), 4u);
  EXPECT_EQ(net.named_buffers().keys(),
            (std::vector<std::string>{"fc1.count", "fc2.count"}));
  EXPECT_EQ(net.children().size(), 3u);
  EXPECT_EQ(net.named_modules().keys(),
            (std::vector<std::string>{"", "fc1", "act", "fc2"}));
  EXPECT_TRUE(net.parameters()[0].requires_grad());
  Outer outer;
  EXPECT_EQ(outer.named_parameters().keys().back(), "head.bias");
  EXPECT_EQ(outer.named_parameters().keys().front(), "body.fc1.weight");
  int visited = 0;
  outer.apply([&](nn::Module &) { ++visited; });
  EXPECT_EQ(visited, 6);
}

TEST(Module, ForgottenRegistrationIsCaught) {
  Forgetful f;
  EXPECT_EMBER_ERROR(
      f.parameters(),
      "Forgetful has a submodule of type Affine that was never registered");
  EXPECT_EMBER_ERROR(Affine(2, 2).register_parameter("weight", ones({1})),
                     "'weight' is already registered");
  Affine a(2, 2);
  EXPECT_EMBER_ERROR(a.register_buffer("a.b", ones({1})),
                     "must not contain '.'");
}

TEST(Module, ForwardTrainEvalZeroGrad) {
  Net net;
  Tensor y = net(ones({5, 3}));
  EXPECT_EQ(y.sizes(), IntArrayRef({5, 2}));
  EXPECT_TRUE(net.is_training());
  net.eval();
  EXPECT_FALSE(net.fc1.is_training());
  net.train();
  EXPECT_TRUE(net.fc2.is_training());
  y.sum().backward();
  EXPECT_TRUE(net.fc1.weight.grad().defined());
  net.zero_grad(/*set_to_none=*/false);
  EXPECT_EQ(net.fc1.weight.grad().abs().sum().item<float>(), 0.0f);
  net.zero_grad();
  EXPECT_FALSE(net.fc1.weight.grad().defined());
}

TEST(Module, MovesKeepMemberRegistrations) {
  Net a;
  a.fc1.weight.detach().fill_(2.0);
  auto b = std::make_shared<Net>(std::move(a));
  auto params = b->named_parameters();
  EXPECT_EQ(params.size(), 4u);
  EXPECT_EQ(params["fc1.weight"].data_ptr<float>()[0], 2.0f);
  EXPECT_TRUE(params["fc1.weight"].is_same(b->fc1.weight));
}

TEST(Module, ToCastsInPlaceKeepingHandles) {
  Net net;
  Tensor w = net.fc1.weight;
  net.to(kFloat64);
  EXPECT_EQ(w.dtype(), kFloat64);
  EXPECT_EQ(net.fc1.count.dtype(), kInt64); // integer buffers keep their dtype
  EXPECT_TRUE(w.requires_grad());
  EXPECT_EMBER_ERROR(net.to(kInt32), "expected a floating point dtype");
}

TEST(Module, StateDictRoundTripAndErrors) {
  Net a, b;
  a.fc2.bias.detach().fill_(3.0);
  auto sd = a.state_dict();
  EXPECT_EQ(sd.keys(),
            (std::vector<std::string>{"fc1.weight", "fc1.bias", "fc1.count",
                                      "fc2.weight", "fc2.bias", "fc2.count"}));
  b.load_state_dict(sd);
  EXPECT_TRUE(tensors_equal(b.fc2.bias, a.fc2.bias));
  OrderedDict<Tensor> partial;
  partial.insert("fc1.weight", ones({4, 3}));
  partial.insert("extra", ones({1}));
  EXPECT_EMBER_ERROR(b.load_state_dict(partial),
                     "Missing key(s) in state_dict: \"fc1.bias\"");
  EXPECT_EMBER_ERROR(b.load_state_dict(partial),
                     "Unexpected key(s) in state_dict: \"extra\"");
  b.load_state_dict(partial, /*strict=*/false);
  OrderedDict<Tensor> bad;
  bad.insert("fc1.weight", ones({3, 4}));
  EXPECT_EMBER_ERROR(
      b.load_state_dict(bad, false),
      "size mismatch for fc1.weight: copying a param with shape [3, 4] from "
      "checkpoint, the shape in current model is [4, 3]");
}

TEST(Module, PrintsLikePyTorch) {
  Net net;
  EXPECT_EQ(net.repr(), "Net(\n"
                        "  (fc1): Affine(in=3, out=4)\n"
                        "  (act): Act()\n"
                        "  (fc2): Affine(in=4, out=2)\n"
                        ")");
  Outer o;
  EXPECT_EQ(o.repr(), "Outer(\n"
                      "  (body): Net(\n"
                      "    (fc1): Affine(in=3, out=4)\n"
                      "    (act): Act()\n"
                      "    (fc2): Affine(in=4, out=2)\n"
                      "  )\n"
                      "  (head): Affine(in=2, out=1)\n"
                      ")");
}

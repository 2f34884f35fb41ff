// Models several tests train: the XNOR-net of training_test (activations
// and weights binarised by a custom autograd::Function with a
// straight-through estimator) and a narrow Fashion-MNIST-shaped CNN.
#pragma once

#include "ember/ember.h"

namespace ember::testing {

/// sign(x) forward, the straight-through estimator backward (XNOR-net).
struct XNorSign : autograd::Function<XNorSign> {
  static Tensor forward(autograd::AutogradContext *ctx, const Tensor &x) {
    ctx->save_for_backward({x});
    return x.sign();
  }
  static autograd::tensor_list backward(autograd::AutogradContext *ctx,
                                        autograd::tensor_list grads) {
    Tensor x = ctx->get_saved_variables()[0];
    return {grads[0] * (x.abs() <= 1)};
  }
};

/// A layer whose activations and weights are binarised by XNorSign, with
/// real-valued latent weights updated by the optimizer.
struct BinaryLinear : nn::Module {
  Tensor weight;
  BinaryLinear(int64_t in, int64_t out) {
    weight = register_parameter("weight", randn({out, in}) * 0.1);
  }
  Tensor forward(const Tensor &x) override {
    Tensor scale = weight.abs().mean({1}, /*keepdim=*/true).t();
    return XNorSign::apply(x).matmul(XNorSign::apply(weight).t()) * scale;
  }
};

/// 2 -> width -> BatchNorm -> binary width x width -> 2.
struct XnorNet : nn::Module {
  nn::Linear in;
  nn::BatchNorm1d bn;
  BinaryLinear hidden;
  nn::Linear out;
  explicit XnorNet(int64_t width)
      : in(2, width), bn(width), hidden(width, width), out(width, 2) {
    register_module("in", in);
    register_module("bn", bn);
    register_module("hidden", hidden);
    register_module("out", out);
  }
  Tensor forward(const Tensor &x) override { return out(hidden(bn(in(x)))); }
};

/// The Fashion-MNIST CNN's shape, narrower: conv 1->8, pool, conv 8->16,
/// pool, linear 784->10.
/// x * 2 whose backward scales by 2 / max|x|, read with item(): a backward
/// that is not ember ops, so a compiled training step splits at it.
struct ItemScale : autograd::Function<ItemScale> {
  static Tensor forward(autograd::AutogradContext *ctx, const Tensor &x) {
    ctx->save_for_backward({x});
    return x * 2;
  }
  static autograd::tensor_list backward(autograd::AutogradContext *ctx,
                                        autograd::tensor_list grads) {
    Tensor x = ctx->get_saved_variables()[0];
    double m = x.abs().max().item().to_double();
    return {grads[0] * (2.0 / (m > 0 ? m : 1.0))};
  }
};

inline nn::Sequential make_small_cnn() {
  return nn::Sequential{
      {"conv1", nn::Conv2d(nn::Conv2dOptions(1, 8, 3).padding(1))},
      {"relu1", nn::ReLU()},
      {"pool1", nn::MaxPool2d(2)},
      {"conv2", nn::Conv2d(nn::Conv2dOptions(8, 16, 3).padding(1))},
      {"relu2", nn::ReLU()},
      {"pool2", nn::MaxPool2d(2)},
      {"flatten", nn::Flatten()},
      {"fc", nn::Linear(16 * 7 * 7, 10)},
  };
}

} // namespace ember::testing

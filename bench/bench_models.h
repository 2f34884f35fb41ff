// The benchmarks' training steps and their models: the MLP 784-512-256-10 and
// the Fashion-MNIST CNN of issue 7 (the same layers as bench/torch_*_step.py).
#pragma once

#include <ember/ember.h>

namespace ember::bench {

inline nn::Sequential make_mlp() {
  return nn::Sequential{{"fc1", nn::Linear(784, 512)},
                        {"relu1", nn::ReLU()},
                        {"fc2", nn::Linear(512, 256)},
                        {"relu2", nn::ReLU()},
                        {"fc3", nn::Linear(256, 10)}};
}

inline nn::Sequential make_cnn() {
  return nn::Sequential{
      {"conv1", nn::Conv2d(nn::Conv2dOptions(1, 8, 3).padding(1))},
      {"relu1", nn::ReLU()},
      {"pool1", nn::MaxPool2d(2)},
      {"conv2", nn::Conv2d(nn::Conv2dOptions(8, 16, 3).padding(1))},
      {"relu2", nn::ReLU()},
      {"pool2", nn::MaxPool2d(2)},
      {"flatten", nn::Flatten()},
      {"fc", nn::Linear(16 * 7 * 7, 10)}};
}

/// One training step: zero_grad, forward, cross-entropy, backward, step.
inline Tensor train_step(nn::Module &m, optim::Optimizer &o, const Tensor &x,
                         const Tensor &y) {
  o.zero_grad();
  Tensor loss = nn::functional::cross_entropy(m(x), y);
  loss.backward();
  o.step();
  return loss.detach();
}

} // namespace ember::bench

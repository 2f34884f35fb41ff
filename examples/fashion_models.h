// The Fashion-MNIST models of ember-fashion, shared with
// bench/fashion_bench.cpp (bench/torch_fashion_epoch.py builds the same ones
// in PyTorch).
#pragma once

#include <ember/ember.h>

#include <memory>

namespace fashion {

using namespace ember;

// Two 3x3 conv blocks and a classifier: 2-conv networks of this size reach
// 0.90-0.92 on Fashion-MNIST in a few epochs.
inline std::shared_ptr<nn::Module> make_cnn() {
  return std::make_shared<nn::Sequential>(nn::Sequential{
      {"conv1", nn::Conv2d(nn::Conv2dOptions(1, 32, 3).padding(1))},
      {"relu1", nn::ReLU()},
      {"pool1", nn::MaxPool2d(2)},
      {"conv2", nn::Conv2d(nn::Conv2dOptions(32, 64, 3).padding(1))},
      {"relu2", nn::ReLU()},
      {"pool2", nn::MaxPool2d(2)},
      {"flatten", nn::Flatten()},
      {"fc1", nn::Linear(64 * 7 * 7, 128)},
      {"relu3", nn::ReLU()},
      {"dropout", nn::Dropout(0.25)},
      {"fc2", nn::Linear(128, 10)},
  });
}

inline std::shared_ptr<nn::Module> make_mlp() {
  return std::make_shared<nn::Sequential>(nn::Sequential{
      {"flatten", nn::Flatten()},
      {"fc1", nn::Linear(28 * 28, 256)},
      {"relu1", nn::ReLU()},
      {"fc2", nn::Linear(256, 128)},
      {"relu2", nn::ReLU()},
      {"fc3", nn::Linear(128, 10)},
  });
}

} // namespace fashion

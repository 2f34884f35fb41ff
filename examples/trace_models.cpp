// ember-trace-example: traces a small MLP or CNN and prints the imported
// MLIR with locations -- what the compiler sees of a model. The lit tests in
// test/lit/Import check its output, locations (this file's lines) included:
// moving code here means updating them.
//
//   ember-trace-example mlp|cnn
#include <ember/ember.h>

#include <cstring>
#include <iostream>

using namespace ember;

struct Mlp : nn::Module {
  nn::Linear fc1{4, 8}, fc2{8, 3};
  Mlp() {
    register_module("fc1", fc1);
    register_module("fc2", fc2);
  }
  Tensor forward(const Tensor &x) override {
    Tensor h = relu(fc1(x));
    return log_softmax(fc2(h), 1);
  }
};

struct Cnn : nn::Module {
  nn::Sequential features{
      {"0", nn::Conv2d(nn::Conv2dOptions(1, 2, 3).padding(1))},
      {"1", nn::ReLU()},
      {"2", nn::MaxPool2d(2)},
  };
  nn::Linear head{2 * 2 * 2, 3};
  Cnn() {
    register_module("features", features);
    register_module("head", head);
  }
  Tensor forward(const Tensor &x) override {
    Tensor f = features(x).flatten(1);
    return head(f);
  }
};

int main(int argc, char **argv) {
  if (argc != 2 ||
      (std::strcmp(argv[1], "mlp") && std::strcmp(argv[1], "cnn"))) {
    std::cerr << "usage: ember-trace-example mlp|cnn\n";
    return 2;
  }
  try {
    manual_seed(0);
    if (std::strcmp(argv[1], "mlp") == 0) {
      Mlp mlp;
      std::cout << jit::trace(mlp, {randn({2, 4})}).to_mlir(true) << "\n";
    } else {
      Cnn cnn;
      std::cout << jit::trace(cnn, {randn({1, 1, 4, 4})}).to_mlir(true) << "\n";
    }
  } catch (const std::exception &e) {
    std::cerr << "ember-trace-example: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

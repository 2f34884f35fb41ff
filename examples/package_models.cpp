// ember-package-example: traces a small MLP (4 -> 8 -> 3), a CNN (conv
// with padding, max pool, linear) or the Fashion-MNIST MLP classifier
// (784 -> 512 -> 256 -> 10, batch 1, random weights), in eval mode, and
// saves it as a model package with one golden input/output pair; the lit
// tests of emberc (test/lit/tools) compile what it writes. With a folder,
// the golden input is also written there as x.npy and the golden output
// as <output name>.npy.
//
//   ember-package-example mlp|cnn|fashion-mlp out.emberpkg [folder]
#include <ember/ember.h>
#include <ember/jit/package.h>

#include <iostream>

using namespace ember;

struct Mlp : nn::Module {
  nn::Linear fc1{4, 8}, fc2{8, 3};
  Mlp() {
    register_module("fc1", fc1);
    register_module("fc2", fc2);
  }
  Tensor forward(const Tensor &x) override {
    return log_softmax(fc2(relu(fc1(x))), 1);
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
    return head(features(x).flatten(1));
  }
};

struct FashionMlp : nn::Module {
  nn::Linear fc1{784, 512}, fc2{512, 256}, fc3{256, 10};
  FashionMlp() {
    register_module("fc1", fc1);
    register_module("fc2", fc2);
    register_module("fc3", fc3);
  }
  Tensor forward(const Tensor &x) override {
    return fc3(relu(fc2(relu(fc1(x)))));
  }
};

template <typename Model>
void savePackage(const char *path, const char *folder, IntArrayRef shape,
                 const char *output) {
  Model model;
  model.eval();
  Tensor x = randn(shape);
  Tensor y = model(x);
  jit::save(jit::trace(model, {x}), path,
            jit::PackageOptions()
                .module(model)
                .inputs({"x"})
                .outputs({output})
                .golden({x}, {y}));
  if (folder) {
    save_npy(x, std::string(folder) + "/x.npy");
    save_npy(y, std::string(folder) + "/" + output + ".npy");
  }
}

int main(int argc, char **argv) {
  std::string model = argc > 1 ? argv[1] : "";
  if ((argc != 3 && argc != 4) ||
      (model != "mlp" && model != "cnn" && model != "fashion-mlp")) {
    std::cerr << "usage: ember-package-example mlp|cnn|fashion-mlp "
                 "out.emberpkg [folder]\n";
    return 2;
  }
  try {
    manual_seed(0);
    const char *folder = argc == 4 ? argv[3] : nullptr;
    if (model == "mlp")
      savePackage<Mlp>(argv[2], folder, {2, 4}, "log_probs");
    else if (model == "cnn")
      savePackage<Cnn>(argv[2], folder, {1, 1, 4, 4}, "logits");
    else
      savePackage<FashionMlp>(argv[2], folder, {1, 784}, "logits");
  } catch (const std::exception &e) {
    std::cerr << "ember-package-example: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

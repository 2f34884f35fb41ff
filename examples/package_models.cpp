// ember-package-example: traces a small MLP (4 -> 8 -> 3, eval mode) and
// saves it as a model package with one golden input/output pair; the lit
// tests of emberc (test/lit/tools) compile what it writes. With a folder,
// the golden input is also written there as x.npy.
//
//   ember-package-example out.emberpkg [folder]
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

int main(int argc, char **argv) {
  if (argc != 2 && argc != 3) {
    std::cerr << "usage: ember-package-example out.emberpkg [folder]\n";
    return 2;
  }
  try {
    manual_seed(0);
    Mlp mlp;
    mlp.eval();
    Tensor x = randn({2, 4});
    Tensor y = mlp(x);
    jit::save(jit::trace(mlp, {x}), argv[1],
              jit::PackageOptions()
                  .module(mlp)
                  .inputs({"x"})
                  .outputs({"log_probs"})
                  .golden({x}, {y}));
    if (argc == 3)
      save_npy(x, std::string(argv[2]) + "/x.npy");
  } catch (const std::exception &e) {
    std::cerr << "ember-package-example: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
